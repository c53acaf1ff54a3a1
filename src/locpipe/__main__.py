"""``python -m locpipe``."""

from .cli import program

program()
