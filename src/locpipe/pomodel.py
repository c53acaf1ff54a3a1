"""locpipe's own model of a gettext catalog: :class:`Entry` and :class:`Catalog`.

:mod:`locpipe.pofile` reads and writes these (the syntax), :mod:`locpipe.catalog` builds and
merges them (msgmerge's rules), and every other stage reads them through
:mod:`locpipe.catalog`'s functions.  They replaced polib's ``POEntry`` and ``POFile``,
whose keyword-heavy constructors and untyped attributes were most of the cost of reading
and updating catalogs; the attribute names stay polib's, so a reader who knows polib knows
these.  polib remains the oracle the tests compare the syntax with.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

__all__ = ["Catalog", "Entry", "Key"]

Key = tuple[str | None, str]  # an entry's identity: (msgctxt, msgid)


@dataclass(slots=True, kw_only=True)
class Entry:
    """One PO entry: its strings, comments, references, flags and previous strings.

    ``tcomment`` is the translator comment (``#``), ``comment`` the extracted one
    (``#.``), ``occurrences`` the references (``#:``) as (path, line) with the line a
    string, possibly empty; ``previous_*`` are the ``#|`` strings msgmerge leaves on a
    fuzzy entry.  ``linenum`` is the entry's first line in the file it was read from (0
    for an entry made in memory) and takes no part in equality.
    """

    msgid: str = ""
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    tcomment: str = ""
    comment: str = ""
    occurrences: list[tuple[str, str]] = field(default_factory=list)
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    linenum: int = field(default=0, compare=False)

    @property
    def key(self) -> Key:
        """The entry's identity in its catalog: (msgctxt, msgid)."""
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        """Whether the entry is flagged fuzzy."""
        return "fuzzy" in self.flags

    def copy(self) -> Entry:
        """A copy that shares no list or dict with this entry."""
        return Entry(
            msgid=self.msgid,
            msgstr=self.msgstr,
            msgctxt=self.msgctxt,
            msgid_plural=self.msgid_plural,
            msgstr_plural=dict(self.msgstr_plural),
            flags=list(self.flags),
            tcomment=self.tcomment,
            comment=self.comment,
            occurrences=list(self.occurrences),
            previous_msgctxt=self.previous_msgctxt,
            previous_msgid=self.previous_msgid,
            previous_msgid_plural=self.previous_msgid_plural,
            obsolete=self.obsolete,
            linenum=self.linenum,
        )


@dataclass(slots=True)
class Catalog:
    """A PO or POT file: header comment, header fields in order, and entries in file order.

    ``metadata`` keeps the fields of the header entry (``msgid ""``) in the order they were
    set; the file lists the usual ones first anyway (see :mod:`locpipe.pofile`).  Keys are
    looked up through an index built on first use and dropped whenever entries are added
    or removed through the catalog; an entry's msgctxt and msgid must not be changed while
    it is in a catalog.
    """

    entries: list[Entry] = field(default_factory=list)
    header: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    metadata_is_fuzzy: bool = False
    # Read from a file in an older locpipe's syntax (its own flags): written again even
    # when what it says has not changed.
    outdated_syntax: bool = field(default=False, compare=False)
    _index: dict[Key, Entry] | None = field(default=None, init=False, repr=False, compare=False)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, index: int) -> Entry:
        return self.entries[index]

    def append(self, entry: Entry) -> None:
        """Add an entry at the end."""
        self.entries.append(entry)
        self._index = None

    def extend(self, entries: Iterable[Entry]) -> None:
        """Add entries at the end, in order."""
        self.entries.extend(entries)
        self._index = None

    def remove(self, entry: Entry) -> None:
        """Take an entry out (the entry itself, not an equal one)."""
        for position, candidate in enumerate(self.entries):
            if candidate is entry:
                del self.entries[position]
                self._index = None
                return
        raise ValueError("the entry is not in this catalog")

    def find(self, key: Key) -> Entry | None:
        """The entry with this (msgctxt, msgid), obsolete or not; the first if repeated."""
        index = self._index
        if index is None:
            index = {}
            for entry in self.entries:
                index.setdefault((entry.msgctxt, entry.msgid), entry)
            self._index = index
        return index.get(key)
