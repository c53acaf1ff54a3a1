"""``python -m locpipe``."""

from .cli import main

main()
