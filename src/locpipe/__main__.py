"""``python -m locpipe``, and the ``locpipe`` command."""

import gc


def main() -> None:
    """Run the program, with the collector off while it imports its modules.

    Importing them makes tens of thousands of objects that live as long as the process;
    the collector, run every 700 allocations, walked them about forty times for nothing.
    :func:`~locpipe.cli.program` then freezes them and tunes it.
    """
    gc.disable()
    try:
        from .cli import program
    finally:
        gc.enable()
    program()


if __name__ == "__main__":
    main()
