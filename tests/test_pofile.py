"""render_catalog writes what polib 1.2.0 writes, byte for byte: random catalogs, every PO
file in the repository, and the places where polib's wrapping is easy to get wrong.  The
catalogs are made as polib's, the oracle, and converted to locpipe's model to render."""

from __future__ import annotations

import tempfile
import textwrap
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from locpipe import pofile
from locpipe.catalog import catalog_text
from locpipe.pofile import render_catalog
from locpipe.pomodel import Catalog

from .polib_oracle import from_polib

REPO = Path(__file__).resolve().parents[1]
WIDTH = 78
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def polib_text(po: polib.POFile, width: int = WIDTH) -> str:
    po.wrapwidth = width
    return str(po)


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


# Properties


@SETTINGS
@given(po=catalogs())
def test_random_catalogs_render_as_polib_renders_them(po: polib.POFile) -> None:
    assert render(po) == polib_text(po)


@SETTINGS
@given(
    text=st.text(alphabet=st.sampled_from(list("ab -é—\"\\\t_1.,?!'&")), max_size=300),
    prefix=st.sampled_from(["", "#~ "]),
)
def test_hyphens_dashes_and_spaces_are_cut_where_textwrap_cuts_them(text: str, prefix: str) -> None:
    po = polib.POFile()
    po.append(polib.POEntry(msgid=text, msgstr=text[::-1], obsolete=bool(prefix)))
    assert render(po) == polib_text(po)


@SETTINGS
@given(
    text=st.one_of(
        texts(),
        st.text(alphabet=st.sampled_from(list("aé_1²٣- -—\"'.!?&,;*\xa0")), max_size=60),
        st.text(alphabet=st.characters(exclude_characters="\t\n\x0b\x0c\r"), max_size=40),
    ),
    width=st.integers(1, 40),
)
def test_the_splitter_cuts_where_textwrap_cuts(text: str, width: int) -> None:
    # The hand-written splitter against textwrap itself, on text as textwrap sees it (tabs
    # expanded, ASCII whitespace made spaces): its chunks, and both kinds of wrapping.
    text = text.expandtabs().translate({ord(c): " " for c in "\n\x0b\x0c\r"})
    expected = [chunk for chunk in textwrap.TextWrapper.wordsep_re.split(text) if chunk]
    assert pofile._chunks(text) == expected
    assert pofile._wrap_escaped(text, width) == textwrap.wrap(
        text, width, drop_whitespace=False, break_long_words=False
    )
    assert pofile._wrap_words(text, width, "#. ") == textwrap.wrap(
        text, width, initial_indent="#. ", subsequent_indent="#. ", break_long_words=False
    )


@SETTINGS
@given(po=catalogs(), width=st.integers(3, 120))
def test_other_widths_render_as_polib_renders_them(po: polib.POFile, width: int) -> None:
    assert render(po, width) == polib_text(po, width)


@settings(max_examples=50, deadline=None)
@given(po=catalogs(), width=st.integers(-5, 2))
def test_tiny_widths_fail_or_render_as_polib(po: polib.POFile, width: int) -> None:
    try:
        expected = polib_text(po, width)
    except ValueError:
        with pytest.raises(ValueError, match="invalid width"):
            render(po, width)
    else:
        assert render(po, width) == expected


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


@pytest.mark.parametrize("path", repository_catalogs(), ids=lambda p: str(p.relative_to(REPO)))
def test_repository_catalogs_render_as_polib_renders_them(path: Path) -> None:
    po = polib.pofile(str(path), wrapwidth=WIDTH)
    assert render(po) == str(po)


def test_catalog_text_is_render_catalog() -> None:
    po = polib.pofile(str(REPO / "tests" / "golden" / "seed" / "filled.po"), wrapwidth=40)
    ours = from_polib(po)
    assert catalog_text(ours) == render_catalog(ours) == polib_text(po)


# The tricky spots, each checked against polib and against the text it must give


def one_entry(**fields: object) -> polib.POFile:
    po = polib.POFile(wrapwidth=WIDTH)
    po.append(polib.POEntry(**fields))
    return po


def body(po: polib.POFile) -> str:
    """The rendered entry after the header's, checked against polib on the way."""
    text = render(po)
    assert text == polib_text(po)
    return text.split("\n\n", 1)[1]


def test_an_empty_catalog_has_a_bare_comment_line_and_an_empty_header_entry() -> None:
    po = polib.POFile()
    assert render(po) == polib_text(po) == '#\nmsgid ""\nmsgstr ""\n'


def test_a_single_metadata_field_stays_on_the_msgstr_line() -> None:
    po = polib.POFile()
    po.header = "Titel\n,fuzzy"
    po.metadata = {"Language": "nl"}
    po.metadata_is_fuzzy = True
    assert render(po) == polib_text(po)
    assert render(po) == '# Titel\n#,fuzzy\n#, fuzzy\nmsgid ""\nmsgstr "Language: nl\\n"\n'


def test_metadata_comes_in_polib_order() -> None:
    po = polib.POFile()
    po.metadata = {"X-10": "a", "x-9": "b", "Language": "nl", "Project-Id-Version": "p"}
    text = render(po)
    assert text == polib_text(po)
    assert (
        text.index("Project-Id") < text.index("Language:") < text.index("x-9") < text.index("X-10")
    )


def test_a_line_exactly_at_the_width_is_not_wrapped() -> None:
    fits = "a" * (WIDTH - len('msgid ""'))
    assert body(one_entry(msgid=fits)) == f'msgid "{fits}"\nmsgstr ""\n'
    assert body(one_entry(msgid=fits + "b")).startswith(f'msgid ""\n"{fits}b"\n')


def test_escapes_are_subtracted_from_the_length_not_added() -> None:
    # polib's test is len(text) - escapes, so quotes let a line pass the width unwrapped.
    text = '"' * 30 + "a" * 20
    assert (
        body(one_entry(msgid=text))
        == f'msgid "{text.replace(chr(34), chr(92) + chr(34))}"\nmsgstr ""\n'
    )


def test_a_hyphenated_word_is_cut_after_its_hyphen() -> None:
    text = "x" * 60 + " Zeeuws-Vlaanderen en verder"
    assert body(one_entry(msgid=text)) == (
        f'msgid ""\n"{"x" * 60} Zeeuws-"\n"Vlaanderen en verder"\nmsgstr ""\n'
    )


def test_a_double_hyphen_dash_is_a_chunk_but_an_em_dash_is_part_of_a_word() -> None:
    # textwrap's "em-dash" is "--"; U+2014 is just another character of a word to it.
    dashed = "x" * 72 + " ab--cd ef"
    assert body(one_entry(msgid=dashed)).startswith(f'msgid ""\n"{"x" * 72} ab"\n"--cd ef"\n')
    fits = "x" * 70 + " ab--cd ef"
    assert body(one_entry(msgid=fits)).startswith(f'msgid ""\n"{"x" * 70} ab--"\n"cd ef"\n')
    em = "x" * 72 + " ab—cd ef"
    assert body(one_entry(msgid=em)).startswith(f'msgid ""\n"{"x" * 72} "\n"ab—cd ef"\n')


def test_a_word_longer_than_the_width_stands_alone() -> None:
    text = "kort " + "w" * 100 + " kort"
    assert body(one_entry(msgid=text)) == f'msgid ""\n"kort "\n"{"w" * 100}"\n" kort"\nmsgstr ""\n'


def test_spaces_are_kept_at_the_cuts() -> None:
    text = "a" * 70 + "      " + "b" * 10
    assert body(one_entry(msgid=text)) == f'msgid ""\n"{"a" * 70}      "\n"{"b" * 10}"\nmsgstr ""\n'


def test_a_newline_cuts_the_string_and_its_lines_are_never_wrapped() -> None:
    long = "lang " * 30
    text = f"eerste\n{long}\u2028laatste"
    assert body(one_entry(msgid=text)) == (
        f'msgid ""\n"eerste\\n"\n"{long}\u2028"\n"laatste"\nmsgstr ""\n'
    )
    assert body(one_entry(msgid="alleen\n")) == 'msgid "alleen\\n"\nmsgstr ""\n'


def test_comments_are_wrapped_without_their_outer_spaces() -> None:
    note = "locpipe: machine translation by libre failed verification: the protected term"
    po = one_entry(msgid="a", tcomment=f"{note}\n\nsee\tticket 7", comment="x " * 50)
    text = body(po)
    assert text.startswith(
        "# locpipe: machine translation by libre failed verification: the protected\n"
        "# term\n"
        "# \n"
        "# see\tticket 7\n"
        f"#. {'x ' * 37}x\n"
    )


def test_references_are_cut_at_spaces_but_not_at_hyphens() -> None:
    occurrences = [(f"articles/nl/een-lang-pad-{n}.txt", str(n)) for n in range(4)]
    occurrences.append(("pad met*ster.md", ""))
    text = body(one_entry(msgid="a", occurrences=occurrences))
    assert text.startswith(
        "#: articles/nl/een-lang-pad-0.txt:0 articles/nl/een-lang-pad-1.txt:1\n"
        "#: articles/nl/een-lang-pad-2.txt:2 articles/nl/een-lang-pad-3.txt:3 pad\n"
        "#: met-ster.md\n"
    )


def test_previous_strings_plurals_and_obsolete_entries() -> None:
    po = polib.POFile()
    po.append(
        polib.POEntry(
            msgid="een",
            msgid_plural="twee",
            msgstr_plural={1: "twee", 0: "een"},
            flags=["fuzzy", "locpipe-mt"],
            previous_msgctxt="ctx",
            # '#| msgid "x…x"' is 73 columns, but polib counts "previous_msgid" and wraps it.
            previous_msgid="x" * 62,
        )
    )
    po.append(polib.POEntry(msgid="oud", msgstr="old", tcomment="t", comment="c", obsolete=True))
    po.insert(0, polib.POEntry(msgid="nieuw", occurrences=[("a.txt", "1")]))
    assert body(po) == (
        '#: a.txt:1\nmsgid "nieuw"\nmsgstr ""\n\n'
        "#, fuzzy, locpipe-mt\n"
        '#| msgctxt "ctx"\n'
        f'#| msgid ""\n#| "{"x" * 62}"\n'
        'msgid "een"\nmsgid_plural "twee"\nmsgstr[0] "een"\nmsgstr[1] "twee"\n\n'
        '# t\n#~ msgid "oud"\n#~ msgstr "old"\n'
    )


def test_wrapped_lines_match_textwrap() -> None:
    # The reference the renderer reproduces: polib wraps the escaped text at width - 2.
    text = "ab-cd " * 20
    expected = textwrap.wrap(text, WIDTH - 2, drop_whitespace=False, break_long_words=False)
    rendered = body(one_entry(msgid=text)).split("\nmsgstr")[0].split("\n")[1:]
    assert rendered == [f'"{line}"' for line in expected]


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
            assert getattr(mine, name) == getattr(other, name), name
        assert bool(mine.obsolete) == bool(other.obsolete)
        if other.linenum:  # polib gives the first entry of a file line 0
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
    assert render_catalog(ours) == polib_text(theirs)


@pytest.mark.parametrize("path", repository_catalogs(), ids=lambda p: str(p.relative_to(REPO)))
def test_repository_catalogs_read_as_polib_reads_them(path: Path) -> None:
    theirs = polib.pofile(str(path), wrapwidth=WIDTH, encoding="utf-8")
    ours = pofile.parse_catalog(path.read_text(encoding="utf-8"), path=path.name)
    assert_same_catalog(ours, theirs)


def test_an_empty_comment_keyword_is_skipped_as_polib_skips_it() -> None:
    text = 'msgid ""\nmsgstr "Language: en\\n"\n\n#. \u3000\n#: a.md:3\nmsgid "a"\nmsgstr "b"\n'
    (entry,) = pofile.parse_catalog(text, path="x.po")
    assert (entry.comment, entry.occurrences, entry.linenum) == ("", [("a.md", "3")], 5)
