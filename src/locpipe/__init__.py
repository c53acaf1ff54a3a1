"""locpipe: cut Dutch articles into units, keep them in gettext PO files, rebuild them."""

__version__ = "0.1.0"
