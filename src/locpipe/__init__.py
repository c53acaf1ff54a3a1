"""locpipe: cut Dutch articles into gettext PO files by heading, and rebuild localized articles.

The Python API is in :mod:`locpipe.api`; its main calls are importable from here
(``from locpipe import load_project, run_project``) without slowing down ``locpipe --help``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_API = ("build", "check", "extract", "load_project", "pretranslate", "run_project", "stats")

if TYPE_CHECKING:
    from .api import build, check, extract, load_project, pretranslate, run_project, stats


def __getattr__(name: str) -> Any:
    # The API imports the stages; the CLI imports this package for its version only.
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'locpipe' has no attribute {name!r}")


__all__ = [
    "__version__",
    "build",
    "check",
    "extract",
    "load_project",
    "pretranslate",
    "run_project",
    "stats",
]
