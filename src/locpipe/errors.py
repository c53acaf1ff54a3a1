"""Exceptions that carry the one line a user sees.

    LocpipeError               anything locpipe reports to a user
     ├── ConfigError           locpipe.toml is missing, malformed or names bad values
     ├── SourceError           a source article cannot be read (encoding, binary data)
     │    └── SegmentationError  an article's structure cannot be cut into units
     └── CatalogError          a PO or POT file is broken or contradicts its place

Every error knows the file and, where there is one, the line; ``str(error)`` is the
``path:line: message`` line the CLI prints.
"""

from __future__ import annotations

from pathlib import Path


class LocpipeError(Exception):
    """An error with a message meant for the user, located in a file when possible."""

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = str(self.path) if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class ConfigError(LocpipeError):
    """The project configuration is missing, malformed or names bad values."""


class SourceError(LocpipeError):
    """A source article cannot be read as text."""


class SegmentationError(SourceError):
    """An article's structure cannot be cut into translation units."""


class CatalogError(LocpipeError):
    """A PO or POT file cannot be parsed or contradicts where it lives."""
