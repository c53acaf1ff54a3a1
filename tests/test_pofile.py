"""parse_catalog reads what polib 1.2.0 reads, field for field, and refuses only what msgfmt
refuses: random catalogs (made as polib's and written by render_catalog), every PO file in
the repository, and the lines polib reads in its own way.  What render_catalog writes is
compared with GNU msgcat in test_gettext_layout.py."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from locpipe import pofile
from locpipe.pofile import reference_path, render_catalog
from locpipe.pomodel import Catalog

from .polib_oracle import from_polib

REPO = Path(__file__).resolve().parents[1]
WIDTH = 78
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def render(po: polib.POFile, width: int = WIDTH) -> str:
    """What locpipe writes for the same catalog."""
    return render_catalog(from_polib(po), width=width)


# Texts: words, and the characters that polib escapes, wraps at or counts specially.

_WORDS = [
    "de", "het", "Oekraïne", "raketten", "Zeeuws-Vlaanderen", "e-mail", "zo'n", "één",
    "ab-cd", "a-b-c-d", "x-", "-b", "--", "---", "a--b", "well--known", "ab--", "2024-05",
    "A-1", "é-è", "_-_", "—", "woord—woord", "\u2013", '"citaat"', "\\", "\\n", "a\\b", "\\-x",
    "Straße", "Київ", "日本", "😀", "€12,50", "www.nos.nl", "a/b-c.md", "x*y", "50%",
]  # fmt: skip
_SPECIAL = [
    "\t", "\n", "\r", "\r\n", "\v", "\b", "\f", '"', "\\", "\u2028", "\x1c", "\x85",
    "\xa0", "\u3000", "\x00",
]  # fmt: skip
_SEPARATORS = [" "] * 8 + ["  ", "   ", "", "-", "\t", "\n", " - ", " -- "]
_WIDE_SEPARATORS = [*_SEPARATORS, " " * 80]  # spaces that do not fit on one line

long_word = st.text(alphabet="abcdefghij-é", min_size=20, max_size=120)
token = st.one_of(
    st.sampled_from(_WORDS),
    st.sampled_from(_WORDS),
    st.sampled_from(_SPECIAL),
    st.text(min_size=1, max_size=8),
    long_word,
)


@st.composite
def texts(draw: st.DrawFn, max_tokens: int = 60) -> str:
    """Text made of words and separators, from empty to several wrapped lines long."""
    tokens = draw(st.lists(token, max_size=max_tokens))
    separators = draw(st.sampled_from([_SEPARATORS, _SEPARATORS, _SEPARATORS, _WIDE_SEPARATORS]))
    text = ""
    for item in tokens:
        text += draw(st.sampled_from(separators)) + item if text else item
    if draw(st.booleans()):
        # Without a hyphen textwrap's cuts are only at spaces, which the renderer finds
        # another way; both ways must be tried.
        text = text.replace("-", "")
    return text


any_text = st.one_of(texts(), texts(max_tokens=4), st.text(max_size=200))
short_text = st.one_of(texts(max_tokens=6), st.text(max_size=20))
comment = st.one_of(st.just(""), texts(max_tokens=30), st.text(max_size=120))
path = st.one_of(
    st.sampled_from(["articles/nl/atacms.txt", "a-b/c-d.md", "\u2068met spatie.md\u2069"]),
    st.text(alphabet="abc -*/\t.\xa0é", min_size=1, max_size=30),
)
line_number = st.one_of(st.just(""), st.integers(0, 9999).map(str), st.integers(0, 9999))
flags = st.lists(
    st.sampled_from(["fuzzy", "locpipe-mt", "c-format", "no-c-format", "python-format"]),
    unique=True,
    max_size=3,
)


@st.composite
def entries(draw: st.DrawFn) -> polib.POEntry:
    """An entry with any of the parts a PO file can give it."""
    obsolete = draw(st.booleans())
    entry = polib.POEntry(
        msgctxt=draw(st.none() | short_text),
        msgid=draw(any_text),
        msgstr=draw(any_text),
        tcomment=draw(comment),
        comment=draw(comment),
        occurrences=draw(st.lists(st.tuples(path, line_number), max_size=12)),
        flags=draw(flags),
        previous_msgctxt=draw(st.none() | short_text),
        previous_msgid=draw(st.none() | any_text),
        previous_msgid_plural=draw(st.none() | short_text),
        obsolete=obsolete,
    )
    if draw(st.booleans()):
        entry.msgid_plural = draw(any_text)
        count = draw(st.integers(0, 4))
        entry.msgstr_plural = {index: draw(any_text) for index in range(count)}
    return entry


_METADATA_KEYS = [
    "Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date", "PO-Revision-Date",
    "Last-Translator", "Language-Team", "Language", "MIME-Version", "Content-Type",
    "Content-Transfer-Encoding", "Plural-Forms", "X-Generator", "X-10", "X-9", "x-a", "X-B",
]  # fmt: skip


@st.composite
def catalogs(draw: st.DrawFn) -> polib.POFile:
    """A catalog with a header comment, metadata (maybe none), entries and obsolete ones."""
    po = polib.POFile(wrapwidth=WIDTH, encoding="utf-8")
    po.header = draw(
        st.one_of(st.just(""), texts(max_tokens=20), st.sampled_from([",fuzzy", ":x", "\n\na"]))
    )
    po.metadata = draw(st.dictionaries(st.sampled_from(_METADATA_KEYS), short_text, max_size=8))
    po.metadata_is_fuzzy = draw(st.booleans())
    po.extend(draw(st.lists(entries(), max_size=6)))
    return po


# The repository's catalogs


def repository_catalogs() -> list[Path]:
    found = [
        *(REPO / "tests" / "golden").rglob("*.po*"),
        *(REPO / "locales").rglob("*.po*"),
        *(REPO / "templates").rglob("*.po*"),
    ]
    return sorted(path for path in found if path.suffix in (".po", ".pot"))


def test_the_repository_has_catalogs_to_compare() -> None:
    assert len(repository_catalogs()) >= 10


# Reading: parse_catalog reads what polib reads, and refuses only what msgfmt refuses.

_ENTRY_FIELDS = (
    "msgctxt", "msgid", "msgstr", "msgid_plural", "msgstr_plural", "tcomment", "comment",
    "occurrences", "flags", "previous_msgctxt", "previous_msgid", "previous_msgid_plural",
)  # fmt: skip


def assert_same_catalog(ours: Catalog, theirs: polib.POFile) -> None:
    """Header, metadata and every entry field equal; line numbers where polib knows them."""
    assert (ours.header, ours.metadata) == (theirs.header, theirs.metadata)
    # polib keeps the header entry's flags, and writes "#, fuzzy" if there are any.
    assert ours.metadata_is_fuzzy == bool(theirs.metadata_is_fuzzy)
    assert len(ours) == len(theirs)
    for mine, other in zip(ours, theirs, strict=True):
        for name in _ENTRY_FIELDS:
            if mine.obsolete and name.startswith("previous_"):
                continue  # polib drops an obsolete entry's "#~|" lines; locpipe keeps them
            if name == "occurrences":
                # polib keeps a reference's text; locpipe decodes a percent-encoded path.
                theirs = [(reference_path(path), str(line)) for path, line in other.occurrences]
                assert mine.occurrences == theirs
                continue
            assert getattr(mine, name) == getattr(other, name), name
        assert bool(mine.obsolete) == bool(other.obsolete)
        # polib gives the first entry of a file line 0, and starts an obsolete entry after
        # the "#~|" lines it drops; locpipe starts every entry at its first line.
        previous = (mine.previous_msgctxt, mine.previous_msgid, mine.previous_msgid_plural)
        skipped = mine.obsolete and any(value is not None for value in previous)
        if other.linenum and not skipped:
            assert mine.linenum == other.linenum


@st.composite
def well_formed_catalogs(draw: st.DrawFn) -> polib.POFile:
    """Catalogs msgfmt would accept: distinct keys, plural forms only with a msgid_plural."""
    po = draw(catalogs())
    kept = {(e.msgctxt, e.msgid): e for e in reversed(po) if e.msgid}  # the first one wins
    po[:] = reversed(kept.values())
    for entry in po:
        if not entry.msgid_plural:
            entry.msgstr_plural = {}
        elif not entry.msgstr_plural:
            entry.msgstr_plural = {0: ""}
    text = render(po)
    assume("\x04" not in text)  # U+0004 separates msgctxt from msgid in MO files
    # gettext writes U+0007 as "\\a", which polib (and babel) read as two characters.
    assume("\a" not in str(po))
    return po


@SETTINGS
@given(po=well_formed_catalogs())
def test_catalogs_read_as_polib_reads_them(po: polib.POFile) -> None:
    text = render(po)
    with tempfile.TemporaryDirectory() as folder:
        # polib splits a file at LF, CR and CRLF only, as parse_catalog does; its content
        # argument would split at every str.splitlines break.
        path = Path(folder, "x.po")
        path.write_text(text, encoding="utf-8", newline="")
        try:
            theirs = polib.pofile(str(path), wrapwidth=WIDTH, encoding="utf-8")
        except OSError:
            assume(False)  # polib cannot read its own rendering of this one
    ours = pofile.parse_catalog(text, path="x.po")
    assert_same_catalog(ours, theirs)
    # Once read, what locpipe writes it reads back as it was.
    assert render_catalog(pofile.parse_catalog(render_catalog(ours), path="x.po")) == (
        render_catalog(ours)
    )


@pytest.mark.parametrize("path", repository_catalogs(), ids=lambda p: str(p.relative_to(REPO)))
def test_repository_catalogs_read_as_polib_reads_them(path: Path) -> None:
    theirs = polib.pofile(str(path), wrapwidth=WIDTH, encoding="utf-8")
    ours = pofile.parse_catalog(path.read_text(encoding="utf-8"), path=path.name)
    assert_same_catalog(ours, theirs)


def test_an_empty_comment_keyword_is_skipped_as_polib_skips_it() -> None:
    text = 'msgid ""\nmsgstr "Language: en\\n"\n\n#. \u3000\n#: a.md:3\nmsgid "a"\nmsgstr "b"\n'
    (entry,) = pofile.parse_catalog(text, path="x.po")
    assert (entry.comment, entry.occurrences, entry.linenum) == ("", [("a.md", "3")], 5)


@given(
    st.lists(
        st.sampled_from(
            ["a.md", "a.md:12", ":3", "x:y", " ", "\t", "\u00a0", "\u2003", "\x1f", "\x85",
             "\u2068a b.md\u2069", "\u2068a.md\u2069:4", "%2B", "+", "é"]
        ),
        max_size=8,
    ).map("".join)
)  # fmt: skip
def test_a_reference_line_is_cut_as_the_reference_pattern_cuts_it(text: str) -> None:
    """Cutting at white space with str.split, where no reference is bracketed, gives the
    references the pattern gives."""
    expected = []
    for reference in re.findall(pofile._REFERENCE, text):
        path, colon, number = reference.rpartition(":")
        if colon and number.isdigit():
            expected.append((reference_path(path), number))
        else:
            expected.append((reference_path(reference), ""))
    assert list(pofile._references(text)) == expected


# The common-form reader: most files are read a whole entry at a time, and must be read
# exactly as the state machine reads them, line numbers included; whatever it does not
# take (or any error) the state machine reads.


def read_by_state_machine(text: str) -> Catalog | str:
    """The state machine's catalog, or its error as the user sees it."""
    parser = pofile._Parser("x.po")
    try:
        for number, line in enumerate(pofile.physical_lines(text), start=1):
            if stripped := line.strip():
                parser.feed(number, stripped)
        return parser.finish()
    except pofile.CatalogError as error:
        return f"{error.line}: {error}"


def read_whole(text: str, *, source_comments: bool = True) -> Catalog | str:
    """The catalog ``parse_catalog`` reads, or its error as the user sees it."""
    try:
        return pofile.parse_catalog(text, path="x.po", source_comments=source_comments)
    except pofile.CatalogError as error:
        return f"{error.line}: {error}"


def as_read(po: Catalog | str | None) -> object:
    if not isinstance(po, Catalog):
        return po
    entries = [(entry, entry.linenum) for entry in po]
    return (po.header, list(po.metadata.items()), po.metadata_is_fuzzy, entries)


_EDITS = st.lists(
    st.tuples(
        st.integers(0, 400),
        st.sampled_from([
            "blank", "trailing space", "leading space", "drop", "repeat", "swap", "tab",
            "#", "# ", "# header", "#. note", "#.note", "#.\tnote", "#. ", "#: a.md:1",
            "#:a.md", "#, fuzzy", "#,fuzzy", "#,", "#~ msgid \"x\"",
            '"more"', 'msgid "x"', 'msgstr "y"', 'msgctxt "c"', "\\q", "\x04", "\r",
        ]),
    ),
    max_size=4,
)  # fmt: skip


def edited(text: str, edits: list[tuple[int, str]]) -> str:
    """``text`` with some lines changed the ways hands and other tools change them."""
    lines = text.split("\n")
    for at, edit in edits:
        at %= len(lines)
        line = lines[at]
        if edit == "blank":
            lines.insert(at, "")
        elif edit == "trailing space":
            lines[at] = line + " "
        elif edit == "leading space":
            lines[at] = " " + line
        elif edit == "tab":
            lines[at] = line.replace(" ", "\t", 1)
        elif edit == "drop":
            del lines[at]
        elif edit == "repeat":
            lines.insert(at, line)
        elif edit == "swap" and at + 1 < len(lines):
            lines[at], lines[at + 1] = lines[at + 1], line
        elif edit in ("\\q", "\x04", "\r"):
            lines[at] = line[:-1] + edit + line[-1:] if line else edit
        else:
            lines.insert(at, edit)
    return "\n".join(lines)


@st.composite
def common_catalogs(draw: st.DrawFn) -> polib.POFile:
    """Catalogs whose entries are all of the common form: no obsolete entry, no previous
    strings, no plural, distinct keys (as most of a project's catalogs are)."""
    po = draw(well_formed_catalogs())
    for entry in po:
        entry.obsolete = False
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
        entry.msgid_plural, entry.msgstr_plural = "", {}
    return po


def edited_text(po: polib.POFile, edits: list[tuple[int, str]], final_newline: bool) -> str:
    """The catalog rendered, edited, and ending in a newline or not."""
    text = edited(render(po), edits)
    return text if final_newline else text.rstrip("\n")


@settings(SETTINGS, max_examples=400)
@given(po=catalogs() | common_catalogs(), edits=_EDITS, final_newline=st.booleans())
def test_the_common_form_reads_as_the_state_machine_reads(
    po: polib.POFile, edits: list[tuple[int, str]], final_newline: bool
) -> None:
    text = edited_text(po, edits, final_newline)
    assert as_read(read_whole(text)) == as_read(read_by_state_machine(text))


def without_source_comments(po: Catalog | str) -> Catalog | str:
    """A catalog as read without its extracted comments and references."""
    if isinstance(po, Catalog):
        for entry in po:
            entry.comment, entry.occurrences = "", []
    return po


@settings(SETTINGS, max_examples=200)
@given(po=catalogs() | common_catalogs(), edits=_EDITS, final_newline=st.booleans())
def test_without_source_comments_a_catalog_reads_the_same_but_for_them(
    po: polib.POFile, edits: list[tuple[int, str]], final_newline: bool
) -> None:
    """Build reads catalogs without #. and #: lines: every other field, the line of each
    entry and every error stay as a full read gives them."""
    text = edited_text(po, edits, final_newline)
    lean = read_whole(text, source_comments=False)
    assert as_read(lean) == as_read(without_source_comments(read_whole(text)))


def read_in_the_common_form(text: str) -> Catalog:
    """``text`` read by the common form alone: it must take the whole file."""
    parser = pofile._Parser("x.po")
    position, _ = pofile._read_common_entries(text, parser)
    assert text[position:].strip("\n") == ""
    return parser.finish()


def test_a_catalog_locpipe_writes_is_read_in_the_common_form() -> None:
    """Without this, a pattern that never matched would leave every file to the state
    machine and every test above green."""
    text = (REPO / "tests" / "golden").rglob("*.po").__next__().read_text(encoding="utf-8")
    assert as_read(read_in_the_common_form(text)) == as_read(read_by_state_machine(text))


def test_the_state_machine_reads_on_from_where_the_common_form_ends() -> None:
    """An obsolete entry at the end (where msgmerge puts them) leaves the entries before
    it read as they were, and the file is not read twice."""
    text = (
        'msgid ""\nmsgstr "Language: en\\n"\n\n#: a.md:1\nmsgid "a"\nmsgstr "b"\n\n'
        '#~ msgid "old"\n#~ msgstr "oud"\n'
    )
    parser = pofile._Parser("x.po")
    position, number = pofile._read_common_entries(text, parser)
    assert text[position:].startswith("\n#~ msgid") and number == 7
    assert as_read(pofile.parse_catalog(text, path="x.po")) == as_read(read_by_state_machine(text))


@pytest.mark.parametrize(
    "line",
    ["# note", "#  two spaces", "# ", "#  ", "# \n# after an empty one", "#.note",
     "#.\tnote", "#. note ", "#.  two", "#. ", "#,fuzzy", "#, fuzzy, c-format",
     "#:a.md:1 b.md", "#: \u2068a b.md\u2069:3", "#: a.md:1\t"],
)  # fmt: skip
@pytest.mark.parametrize("where", ["first", "entry"])
def test_each_comment_form_is_read_as_the_state_machine_reads_it(line: str, where: str) -> None:
    """Before the header entry a "# " line is the file's header comment; anywhere else
    each form lands in its entry's field as the state machine puts it."""
    header = 'msgid ""\nmsgstr "Language: en\\n"\n\n'
    entry = '#. context\nmsgid "a"\nmsgstr "b"\n'
    text = f"{line}\n{header}{entry}" if where == "first" else f"{header}{line}\n{entry}"
    assert as_read(read_in_the_common_form(text)) == as_read(read_by_state_machine(text))


@given(
    st.lists(
        st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=90)
        # lines that just fit, or just do not, with each prefix at widths 79 and 40
        | st.sampled_from([35, 36, 37, 38, 71, 72, 73, 74, 75, 76, 77, 78]).map(
            lambda n: ("ab " * n)[:n]
        )
        | st.text(st.characters(max_codepoint=0x7E), max_size=20),  # tabs, escapes, quotes
        min_size=1,
        max_size=6,
    ),
    st.booleans(),
    st.sampled_from(["", "#~ "]),
    st.sampled_from(["msgid", "msgstr", "msgstr[1]", "msgctxt"]),
)
def test_strings_of_whole_lines_are_cut_as_the_general_wrapping_cuts_them(
    lines: list[str], final_newline: bool, prefix: str, keyword: str
) -> None:
    """The shortcut for strings of several short ASCII lines lays them out exactly as the
    general path, which follows gettext, would."""
    text = "\n".join(lines) + ("\n" if final_newline else "")
    for width in (79, 40):
        general = pofile._wrapped_lines(prefix, keyword, text, width)
        assert pofile._field_lines(prefix, keyword, text, width) == general
