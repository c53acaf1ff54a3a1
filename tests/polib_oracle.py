"""Conversions between polib's catalogs and locpipe's own, so that polib can stay the oracle
the tests compare locpipe's PO syntax with."""

from __future__ import annotations

import polib

from locpipe.pomodel import Catalog, Entry


def entry_from_polib(entry: polib.POEntry) -> Entry:
    """The same entry in locpipe's model."""
    return Entry(
        msgid=entry.msgid,
        msgstr=entry.msgstr,
        msgctxt=entry.msgctxt,
        msgid_plural=entry.msgid_plural,
        msgstr_plural=dict(entry.msgstr_plural),
        flags=list(entry.flags),
        tcomment=entry.tcomment,
        comment=entry.comment,
        # polib writes a reference's line with "%s" when it is true: an int 0 or an empty
        # string gives the path alone, as an empty string does here.
        occurrences=[(path, str(line) if line else "") for path, line in entry.occurrences],
        previous_msgctxt=entry.previous_msgctxt,
        previous_msgid=entry.previous_msgid,
        previous_msgid_plural=entry.previous_msgid_plural,
        obsolete=bool(entry.obsolete),
        linenum=int(entry.linenum or 0),
    )


def from_polib(po: polib.POFile) -> Catalog:
    """The same catalog in locpipe's model (polib's wrap width and encoding are not part of it)."""
    return Catalog(
        [entry_from_polib(entry) for entry in po],
        po.header,
        dict(po.metadata),
        bool(po.metadata_is_fuzzy),
    )
