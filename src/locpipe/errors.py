"""Exceptions that carry the one line a user sees.

    LocpipeError               anything locpipe reports to a user
     ├── ConfigError           locpipe.toml is missing, malformed or names bad values
     ├── SourceError           a source article cannot be read (encoding, binary data)
     │    └── SegmentationError  an article's structure cannot be cut into units
     ├── CatalogError          a PO or POT file is broken or contradicts its place
     │    └── CatalogChanged     someone saved it while locpipe was merging or filling it
     ├── GlossaryError         a glossary file has errors that make it unsafe to apply
 ├── TmxError              a TMX translation memory is malformed or unsafe to parse
 ├── XliffError            an XLIFF file is malformed, unsafe, or not for this project
     └── EngineError           a machine translation engine could not translate
          ├── EngineUnavailable  it failed now, may work on retry (timeout, 5xx, 429)
          │    └── EngineUnreachable  no connection at all (no network, DNS, refused)
          └── EngineRejected     it refuses: no key, bad key, unsupported language pair

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


class CatalogChanged(CatalogError):
    """A catalog changed (a translator saved it) while locpipe was merging or filling it."""


class GlossaryError(LocpipeError):
    """A glossary file has errors that make it unsafe to apply."""


class TmxError(LocpipeError):
    """A TMX file is not well-formed, not TMX, or refused as unsafe XML."""


class XliffError(LocpipeError):
    """An XLIFF file is not well-formed, not XLIFF, unsafe, or names no article or language
    of the project."""


class EngineError(LocpipeError):
    """A machine translation engine could not translate."""


class EngineUnavailable(EngineError):
    """The engine cannot be reached now; trying again later may work."""

    def __init__(self, message: str, *, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class EngineUnreachable(EngineUnavailable):
    """No connection could be made: retrying within this run would only waste time."""


class EngineRejected(EngineError):
    """The engine refuses the request: no or bad key, unsupported pair, bad input."""
