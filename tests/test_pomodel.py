"""locpipe's catalog model: what it holds survives a trip through pofile exactly, polib (the
oracle) reads the same catalogs, and the key index follows the entries."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from locpipe.pofile import parse_catalog, render_catalog
from locpipe.pomodel import Catalog, Entry

from .polib_oracle import from_polib

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Strings keep every character a segmenter can give (escapes, long lines, hyphens, line
# breaks of every kind) except U+0004, which msgfmt refuses.
strings = st.one_of(
    st.text(alphabet=st.characters(exclude_characters="\x04", exclude_categories=["Cs"])),
    st.lists(st.sampled_from(["woord", "Zeeuws-Vlaanderen", "--", " ", "\n", '"', "\\"])).map(
        "".join
    ),
    st.text(alphabet="ab -", min_size=70, max_size=200),
)
# Comments, references and flags are written a line (or word) at a time and stripped when
# read, as by every PO reader: they round trip when they hold no outer spaces or
# empty lines, and are short enough not to be wrapped.
word = st.text(alphabet="abcxyzé0-_./!?'", min_size=1, max_size=12)
comment_line = st.lists(word, min_size=1, max_size=5).map(" ".join)
comment = st.lists(comment_line, max_size=3).map("\n".join)
flag = st.text(alphabet="abcz-", min_size=1, max_size=12)
# gettext drops a leading "./" from a path, and a reference given twice.
reference = st.tuples(
    st.text(alphabet="abc-_/.é", min_size=1, max_size=20).filter(
        lambda path: not path.startswith("./")
    ),
    st.one_of(st.just(""), st.integers(1, 9999).map(str)),
)


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    """An entry whose every field is written to the file and read back as it was."""
    obsolete = draw(st.booleans())
    entry = Entry(
        msgid=draw(strings.filter(bool)),
        msgctxt=draw(st.none() | strings),
        msgstr=draw(strings),
        flags=draw(st.lists(flag, unique=True, max_size=3)),
        tcomment=draw(comment),
        obsolete=obsolete,
    )
    if draw(st.booleans()):
        entry.msgid_plural = draw(strings.filter(bool))
        entry.msgstr = ""
        entry.msgstr_plural = {n: draw(strings) for n in range(draw(st.integers(1, 3)))}
    if obsolete:
        # gettext keeps an obsolete entry only with a translation, and no flag but fuzzy.
        entry.flags = []
        if not (entry.msgstr_plural.get(0) if entry.msgid_plural else entry.msgstr):
            entry.obsolete = False
    entry.previous_msgctxt = draw(st.none() | strings)
    entry.previous_msgid = draw(st.none() | strings)
    entry.previous_msgid_plural = draw(st.none() | strings)
    if not entry.obsolete:  # locpipe writes none of these on an obsolete entry
        entry.comment = draw(comment)
        entry.occurrences = draw(st.lists(reference, max_size=8, unique=True))
    return entry


header_field = st.text(alphabet="ABCXYZ-ab", min_size=1, max_size=20)
header_value = st.text(alphabet="abc 0:;=<>@.-", max_size=30).map(str.strip)


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    """A catalog with distinct keys, in the order a file lists them (obsolete entries last)."""
    found = draw(st.lists(entries(), max_size=6, unique_by=lambda e: (e.msgctxt, e.msgid)))
    metadata = draw(st.dictionaries(header_field, header_value, max_size=5))
    return Catalog(
        [e for e in found if not e.obsolete] + [e for e in found if e.obsolete],
        header=draw(comment),
        metadata=metadata,
        # gettext writes "fuzzy" on no entry without a translation, the header's included.
        metadata_is_fuzzy=bool(metadata) and draw(st.booleans()),
    )


@SETTINGS
@given(po=catalogs())
def test_a_catalog_reads_back_as_it_was_written(po: Catalog) -> None:
    text = render_catalog(po)
    again = parse_catalog(text, path="x.po")
    assert again == po
    assert render_catalog(again) == text


@SETTINGS
@given(po=catalogs())
def test_polib_reads_the_same_catalog(po: Catalog) -> None:
    # gettext writes U+0007 as "\\a", which polib reads as two characters.
    assume("\\x07" not in repr(po))
    text = render_catalog(po)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "x.po")
        path.write_text(text, encoding="utf-8", newline="")
        theirs = from_polib(polib.pofile(str(path), wrapwidth=78, encoding="utf-8"))
    for entry in po:
        if entry.obsolete:  # polib drops an obsolete entry's "#~|" lines
            entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
    assert theirs == po


def test_entries_know_their_key_and_fuzziness() -> None:
    entry = Entry(msgctxt="heading", msgid="Inzet", flags=["fuzzy", "locpipe-mt"])
    assert (entry.key, entry.fuzzy) == (("heading", "Inzet"), True)
    assert not Entry(msgid="Inzet", flags=["locpipe-mt"]).fuzzy


def test_a_copy_shares_nothing_and_equality_ignores_the_line() -> None:
    entry = Entry(msgid="a", flags=["fuzzy"], occurrences=[("a.txt", "1")], msgstr_plural={0: "x"})
    entry.linenum = 12
    copy = entry.copy()
    assert copy == entry and copy.linenum == 12
    copy.flags.append("x")
    copy.occurrences.clear()
    copy.msgstr_plural[1] = "y"
    assert entry == Entry(
        msgid="a", flags=["fuzzy"], occurrences=[("a.txt", "1")], msgstr_plural={0: "x"}
    )
    assert Entry(msgid="a", linenum=3) == Entry(msgid="a")


def test_the_key_index_follows_appends_and_removals() -> None:
    first, repeated = Entry(msgid="a", msgstr="1"), Entry(msgid="a", msgstr="2")
    heading = Entry(msgctxt="heading", msgid="a")
    po = Catalog([first])
    assert po.find((None, "a")) is first
    assert po.find(("heading", "a")) is None
    po.append(heading)
    po.extend([repeated])
    assert po.find(("heading", "a")) is heading
    assert po.find((None, "a")) is first  # the first one wins, as msgmerge reads it
    po.remove(first)
    assert po.find((None, "a")) is repeated
    with pytest.raises(ValueError, match="not in this catalog"):
        po.remove(Entry(msgid="a", msgstr="2"))  # an equal entry is not the entry
    assert [e.msgstr for e in po] == ["", "2"] and len(po) == 2 and po[1] is repeated
