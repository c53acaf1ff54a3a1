"""Every PO and POT file locpipe writes is a fixed point of GNU gettext's ``msgcat``: random
catalogs with strings chosen to be hard to wrap, every catalog of the example project, and
references to paths with spaces, which polib, babel and Translate Toolkit must read back as
one path."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from translate.storage.pypo import pofile as tt_pofile

from locpipe.catalog import catalog_text, read_catalog
from locpipe.linebreak import _native, table_width_breaks, width_breaks
from locpipe.pofile import parse_catalog, reference_path, reference_text, render_catalog
from locpipe.pomodel import Catalog, Entry

REPO = Path(__file__).resolve().parents[1]
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
pytestmark = pytest.mark.skipif(shutil.which("msgcat") is None, reason="needs GNU gettext")


def msgcat(text: str) -> str:
    """What GNU msgcat writes for a PO file of this text."""
    result = subprocess.run(
        ["msgcat", "--force-po", "-"], input=text.encode("utf-8"), capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


# Words and separators where gettext's line breaking has something to decide: hyphens,
# slashes, URLs, quotes and escapes, wide and combining characters, spaces at the cut.
_WORDS = [
    "de", "het", "Oekraïne", "raketten", "Zeeuws-Vlaanderen", "e-mail", "zo'n", "één",
    "ab-cd", "a--b", "well--known", "2024-05", "A-1", "—", "woord—woord", "\u2013",
    '"citaat"', "«citaat»", "„citaat”", "(haakjes)", "[1]", "{x}", "\\", "a\\b", "50%",
    "€12,50", "$5", "1.000,5", "https://nos.nl/artikel/2500000-atacms?x=1&y=2#kop",
    "www.nos.nl", "a/b-c.md", "x*y", "Straße", "Київ", "日本語のテキスト", "中文\uff0c标点\u3002",
    "한국어", "e\u0301", "\u0301", "😀", "👍🏽", "🇳🇱🇺🇦", "a\u200bb", "a\u2060b", "x\u00ady",
    "?!", "...", "…", "·", "a;b", "a:b", "a,b", "100%", "#1", "@user", "~", "°C",
]  # fmt: skip
_SPECIAL = ["\t", "\n", "\r", "\v", "\b", "\f", "\a", '"', "\\", "\xa0", "\u3000", "\u2028"]
_SEPARATORS = [" "] * 8 + ["  ", "   ", "", "-", "/", "\t", "\n", " - ", "\n\n"]

long_word = st.text(alphabet="abcdefghij-é/.日", min_size=20, max_size=120)
token = st.one_of(
    st.sampled_from(_WORDS),
    st.sampled_from(_WORDS),
    st.sampled_from(_SPECIAL),
    long_word,
    st.text(
        st.characters(blacklist_categories=("Cs", "Cn", "Co"), blacklist_characters="\x00\x04"),
        min_size=1,
        max_size=6,
    ),
)


@st.composite
def texts(draw: st.DrawFn, max_tokens: int = 50) -> str:
    """Text from empty to several wrapped lines long."""
    tokens = draw(st.lists(token, max_size=max_tokens))
    text = ""
    for item in tokens:
        text += draw(st.sampled_from(_SEPARATORS)) + item if text else item
    return text


# gettext reads a backslash at the end of a comment line as joining the next line to it, so
# no PO file can hold such a comment.
comment_line = (
    st.text(st.characters(blacklist_categories=("Cs", "Cn", "Co", "Cc", "Zl", "Zp")), max_size=100)
    .map(str.strip)
    .filter(lambda line: not line.endswith("\\"))
)
path = st.one_of(
    st.sampled_from(["articles/nl/atacms.txt", "./a-b/c-d.md", "uitleg/mijn stuk.md", "100%.md"]),
    st.text(alphabet="abc/-_. é", max_size=90).map(lambda name: "d" + name.strip()),
)


@st.composite
def entries(draw: st.DrawFn, number: int) -> Entry:
    """An entry with the fields locpipe writes: previous msgid, comments, references."""
    msgid = f"{number} " + draw(texts())
    obsolete = draw(st.booleans()) and draw(st.booleans())
    msgstr = draw(texts())
    translated = bool(msgstr)
    plural = not obsolete and draw(st.integers(0, 5)) == 0
    return Entry(
        msgid=msgid,
        msgstr="" if plural else msgstr,
        msgctxt=draw(st.none() | texts(max_tokens=5)),
        msgid_plural=draw(texts()) + "s" if plural else "",
        msgstr_plural={0: msgstr, 1: draw(texts())} if plural else {},
        flags=draw(
            st.lists(
                st.sampled_from(["fuzzy", "fuzzy", "c-format", "no-python-format", "no-wrap"]),
                unique=True,
                max_size=3,
            )
        ),
        tcomment="\n".join(draw(st.lists(comment_line, max_size=3))),
        comment="" if obsolete else "\n".join(draw(st.lists(comment_line, max_size=3))),
        occurrences=(
            []
            if obsolete
            else draw(st.lists(st.tuples(path, st.integers(1, 99999).map(str)), max_size=8))
        ),
        previous_msgid=draw(st.none() | texts()) if translated else None,
        obsolete=obsolete and translated,
    )


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    count = draw(st.integers(0, 6))
    metadata = {
        "Project-Id-Version": draw(texts(max_tokens=30)).replace("\n", " "),
        "Language": "nl",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    return Catalog(
        [draw(entries(number)) for number in range(count)],
        header="\n".join(draw(st.lists(comment_line, max_size=3))),
        metadata=metadata,
        metadata_is_fuzzy=draw(st.booleans()),
    )


@SETTINGS
@given(catalogs())
def test_msgcat_leaves_what_locpipe_writes_as_it_is(po: Catalog) -> None:
    text = render_catalog(po)
    assert msgcat(text) == text


@SETTINGS
@given(texts(max_tokens=80), st.sampled_from(["msgid", "msgstr", "msgctxt", "msgstr[0]"]))
def test_one_long_string_is_wrapped_as_msgcat_wraps_it(text: str, keyword: str) -> None:
    if keyword == "msgstr[0]":
        entry = Entry(msgid="x", msgid_plural="y", msgstr_plural={0: text, 1: "z"})
    elif keyword == "msgid":
        entry = Entry(msgid="x " + text)
    else:
        entry = Entry(msgid="x", **{keyword: text})  # type: ignore[arg-type]
    po = Catalog([entry], metadata={"Content-Type": "text/plain; charset=UTF-8"})
    rendered = render_catalog(po)
    assert msgcat(rendered) == rendered


# Lines of printable ASCII, some about as long as a PO line holds: header entries and
# most strings of several lines, which locpipe lays out without looking for breaks.
ascii_lines = st.lists(
    st.one_of(
        st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=90),
        st.integers(70, 80).map(lambda n: ("ab " * n)[:n]),
    ),
    min_size=1,
    max_size=5,
)


@SETTINGS
@given(ascii_lines, st.booleans(), st.booleans())
def test_strings_of_ascii_lines_are_laid_out_as_msgcat_lays_them_out(
    lines: list[str], final_newline: bool, obsolete: bool
) -> None:
    text = "\n".join(lines) + ("\n" if final_newline else "")
    entry = Entry(msgid="x", msgstr=text, obsolete=obsolete)
    po = Catalog([entry], metadata={"Content-Type": "text/plain; charset=UTF-8"})
    rendered = render_catalog(po)
    assert msgcat(rendered) == rendered


def example_catalogs() -> list[Path]:
    """The example project's catalogs and templates, and the golden templates."""
    return [
        *sorted((REPO / "locales").rglob("*.po")),
        *sorted((REPO / "locales").rglob("*.pot")),
        *sorted((REPO / "tests" / "golden").glob("*/expected.pot")),
    ]


def test_the_example_project_has_catalogs() -> None:
    assert len(example_catalogs()) >= 20


@pytest.mark.parametrize("path", example_catalogs(), ids=lambda p: str(p.relative_to(REPO)))
def test_msgcat_leaves_every_example_catalog_as_locpipe_writes_it(path: Path) -> None:
    text = catalog_text(read_catalog(path))
    assert msgcat(text) == text
    assert path.read_text(encoding="utf-8") == text


def test_a_reference_with_spaces_reads_back_as_one_path_everywhere(tmp_path: Path) -> None:
    entry = Entry(
        msgid="Kop",
        occurrences=[("articles/nl/mijn stuk.md", "3"), ("100% zeker.md", ""), ("a.md", "1")],
    )
    text = render_catalog(Catalog([entry], metadata={"Content-Type": "text/plain; charset=UTF-8"}))
    assert "#: articles/nl/mijn+stuk.md:3 100%25+zeker.md a.md:1\n" in text
    assert msgcat(text) == text
    file = tmp_path / "a.po"
    file.write_text(text, encoding="utf-8")
    expected = ["articles/nl/mijn+stuk.md", "100%25+zeker.md", "a.md"]
    assert [path for path, _ in polib.pofile(str(file))[0].occurrences] == expected
    with file.open("rb") as handle:
        babel_catalog = read_po(handle)
    assert [path for path, _ in babel_catalog["Kop"].locations] == expected
    # Translate Toolkit (and so Weblate) decodes them: the encoding is its own.
    store = tt_pofile(file.read_bytes())
    unit = next(u for u in store.units if u.source == "Kop")
    assert unit.getlocations() == ["articles/nl/mijn stuk.md:3", "100% zeker.md", "a.md:1"]
    again = tt_pofile()
    copy = again.addsourceunit("Kop")
    for location in unit.getlocations():
        copy.addlocation(location)
    # ... and writes them as locpipe does.
    assert str(copy).startswith("#: articles/nl/mijn+stuk.md:3\n#: 100%25+zeker.md\n#: a.md:1\n")
    assert parse_catalog(text, path="a.po")[0].occurrences == entry.occurrences


def test_gettexts_bracketed_references_are_read_as_one_path() -> None:
    references = "\u2068mijn stuk.md\u2069:3 \u2068a  b\u2069 c.md:1"
    text = f'msgid ""\nmsgstr ""\n\n#: {references}\nmsgid "x"\nmsgstr ""\n'
    po = parse_catalog(text, path="a.po")
    assert po[0].occurrences == [("mijn stuk.md", "3"), ("a  b", ""), ("c.md", "1")]
    assert "#: mijn+stuk.md:3 a++b c.md:1\n" in render_catalog(po)


@given(path)
def test_reference_text_and_path_are_inverse(name: str) -> None:
    assert reference_path(reference_text(name)) == name.removeprefix("./")


# The line breaking itself, against the libunistring gettext is linked with.


def libunistring() -> ctypes.CDLL | None:
    try:
        library = ctypes.CDLL("libunistring.so.2")
    except OSError:
        return None
    library.u8_width_linebreaks.argtypes = [
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.c_char_p,
    ]
    return library


LIBUNISTRING = libunistring()
unicode_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200
)


@pytest.mark.skipif(LIBUNISTRING is None, reason="needs libunistring.so.2")
@SETTINGS
@given(st.one_of(unicode_text, texts()), st.integers(1, 80), st.integers(0, 30))
def test_breaks_fall_where_libunistring_puts_them(text: str, width: int, start: int) -> None:
    assert LIBUNISTRING is not None
    data = text.encode("utf-8")
    out = ctypes.create_string_buffer(len(data))
    LIBUNISTRING.u8_width_linebreaks(data, len(data), width, start, 0, None, b"UTF-8", out)
    offsets = [len(text[:index].encode("utf-8")) for index in range(len(text))]
    expected = [index for index, offset in enumerate(offsets) if out.raw[offset] == 2]
    assert table_width_breaks(text, width, start) == expected


# A string to break, and the places an escape forbids a break in it.
breakable = st.one_of(unicode_text, texts())
escapes_at = st.sets(st.integers(0, 199), max_size=10)


def inside(text: str, prohibited: set[int]) -> list[int]:
    return sorted(index for index in prohibited if index < len(text))


@SETTINGS
@given(breakable, st.integers(1, 80), st.integers(1, 30), escapes_at)
def test_a_string_that_breaks_from_a_lines_start_breaks_when_it_starts_further_right(
    text: str, width: int, later: int, prohibited: set[int]
) -> None:
    """What the renderer counts on to look at a long string once, not twice: a string
    broken when it starts a line is broken on the keyword's line too."""
    refused = inside(text, prohibited)
    if table_width_breaks(text, width, 0, refused):
        assert table_width_breaks(text, width, later, refused)


@SETTINGS
@given(
    st.permutations(
        ["fuzzy", "python-format", "no-c-format", "range: 0..5", "no-wrap", "sh-format"]
    )
)
def test_flags_come_in_gettexts_order(flags: list[str]) -> None:
    entry = Entry(msgid="%d stuk", msgid_plural="%d stuks", msgstr_plural={0: "a", 1: "b"})
    entry.flags = flags
    po = Catalog([entry], metadata={"Content-Type": "text/plain; charset=UTF-8"})
    text = render_catalog(po)
    assert "#, fuzzy, no-c-format, python-format, sh-format, range: 0..5, no-wrap\n" in text
    assert msgcat(text) == text


def test_an_obsolete_entrys_previous_msgid_survives_as_msgmerge_left_it() -> None:
    text = (
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        "# checked\n#, fuzzy\n"
        '#~| msgid "Het oude kopje"\n#~ msgid "Het kopje"\n#~ msgstr "The heading"\n'
    )
    assert msgcat(text) == text
    (entry,) = parse_catalog(text, path="a.po")
    assert (entry.obsolete, entry.previous_msgid, entry.tcomment) == (
        True,
        "Het oude kopje",
        "checked",
    )
    assert render_catalog(parse_catalog(text, path="a.po")) == text


@pytest.mark.skipif(_native() is None, reason="libunistring is not the table's version here")
@SETTINGS
@given(breakable, st.integers(1, 80), st.integers(0, 30), escapes_at)
def test_the_library_and_the_table_break_alike(
    text: str, width: int, start: int, prohibited: set[int]
) -> None:
    """Where locpipe asks libunistring itself, it gets what the frozen table gives elsewhere,
    also where escapes forbid a break."""
    refused = inside(text, prohibited)
    assert width_breaks(text, width, start, refused) == table_width_breaks(
        text, width, start, refused
    )
