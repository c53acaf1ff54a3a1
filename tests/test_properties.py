"""Properties over random articles: the identity round trip through a PO file, and re-wrapping.

The PO render/parse round trip for random entries (polib, babel's ``read_po`` and msgfmt) is
covered by ``test_catalog.py``; it is not repeated here.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import fields, replace
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from locpipe.assemble import assemble_article, render_unit
from locpipe.catalog import (
    catalog_bytes,
    catalog_text,
    new_catalog_bytes,
    read_catalog,
    template_from_article,
    translations,
    update_catalog,
)
from locpipe.model import Article, Escape, Line, Unit, UnitKind
from locpipe.segment import segment_article
from locpipe.segment.base import assign_sections_and_contexts

CREATED = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
LATER = datetime(2024, 6, 2, 10, 45, tzinfo=UTC)
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


# Words

_DUTCH = [
    "de", "het", "een", "en", "van", "in", "op", "met", "voor", "niet", "dat", "zijn",
    "Oekraïne", "raketten", "regering", "Kyiv", "tekort", "beslissing", "Koersk", "wij",
    "ontmoeting", "werkelijkheid", "uitspraken", "strijdkrachten", "ijsbeer", "café",
    "Zeeuws-Vlaanderen", "zo'n", "financiën", "één", "coördinatie", "ĳzer", "Ærø",
    "€12,50", "50%", "2024", "14:30", "“citaat”", "„aanhalings”", "(haakjes)", "—",
    "e-mail", "www.nos.nl", "Straße", "Αθήνα", "Київ", "日本", "😀", "a/b", "x&y",
]  # fmt: skip
_PUNCTUATION = ["", "", "", "", ".", ",", ";", ":", "!", "?", "…", '"', "'", ")", "\\"]
_ODD_CHARS = "\t\u00a0\u2028\x0c\\\"'#*_`[]<>|&"

dutch_word = st.builds(
    lambda word, mark: word + mark, st.sampled_from(_DUTCH), st.sampled_from(_PUNCTUATION)
)
odd_word = st.text(
    alphabet=st.characters(
        codec="utf-8",
        categories=("L", "N", "P", "S"),
        include_characters=_ODD_CHARS,
        exclude_characters="\x00\x04\r\n ",
    ),
    min_size=1,
    max_size=10,
)
word = st.one_of(dutch_word, dutch_word, dutch_word, odd_word)
# Anything an article may hold: NUL makes it binary and U+0004 cannot stand in a PO file,
# both refused with an error elsewhere.
any_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x00\x04"), min_size=1, max_size=30
)
eol = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"])


def wrap(words: list[str], width: int) -> list[str]:
    """Greedy wrap, the way a newsroom editor hard-wraps a paragraph."""
    rows: list[str] = []
    row = ""
    for item in words:
        if row and len(row) + 1 + len(item) > width:
            rows.append(row)
            row = item
        else:
            row = f"{row} {item}" if row else item
    rows.append(row)
    return rows


# Plain-text articles


@st.composite
def plain_block(draw: st.DrawFn, headings: list[str]) -> list[str]:
    """A block of non-blank lines: a heading, a wrapped paragraph or a table of contents."""
    kind = draw(st.sampled_from(["heading", "paragraph", "paragraph", "toc", "lines"]))
    if kind == "heading":
        # Now and then an address alone, which is layout rather than a heading.
        heading = draw(
            st.one_of(
                st.lists(dutch_word, min_size=1, max_size=6).map(" ".join),
                st.sampled_from(["www.nos.nl", "https://nos.nl/nieuws"]),
            )
        )
        headings.append(heading)
        return [heading]
    if kind == "toc" and headings:
        return draw(st.lists(st.sampled_from(headings), min_size=2, max_size=6))
    if kind == "lines":
        return draw(st.lists(any_text, max_size=4))
    words = draw(st.lists(word, min_size=1, max_size=40))
    return wrap(words, draw(st.integers(min_value=10, max_value=90)))


@st.composite
def plain_article(draw: st.DrawFn) -> bytes:
    """Plain text with random wrapping, blank runs, trailing spaces and line endings."""
    headings: list[str] = []
    lines: list[str] = []
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        block = [row for row in draw(plain_block(headings)) if row.strip()]
        lines.extend(row + draw(st.sampled_from(["", "", "", " ", "  ", "\t"])) for row in block)
        blanks = draw(st.lists(st.sampled_from(["", "", " ", "\t "]), min_size=1, max_size=3))
        lines.extend(blanks)
    return _join(draw, lines)


def _join(draw: st.DrawFn, lines: list[str]) -> bytes:
    """Lines joined with a random mix of endings, an optional BOM and final newline."""
    if not lines:
        return draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
    main = draw(eol)
    endings = [draw(st.one_of(st.just(main), st.just(main), eol)) for _ in lines]
    if not draw(st.booleans()):
        endings[-1] = ""
    text = "".join(line + ending for line, ending in zip(lines, endings, strict=True))
    bom = "\ufeff" if draw(st.booleans()) else ""
    return (bom + text).encode("utf-8")


# Markdown articles

inline = st.one_of(
    word,
    word,
    word,
    st.sampled_from(
        ["**vet**", "_schuin_", "`code()`", "[kaart](https://nos.nl/k)", "&amp;", "<kbd>X</kbd>"]
    ),
)


def md_words(draw: st.DrawFn, most: int = 30) -> list[str]:
    return draw(st.lists(inline, min_size=1, max_size=most))


@st.composite
def md_paragraph(draw: st.DrawFn, indent: str = "", first: str = "") -> list[str]:
    """A wrapped paragraph, its first line after ``first`` and the rest after ``indent``."""
    rows = wrap(md_words(draw), draw(st.integers(min_value=20, max_value=80)))
    out = []
    for index, row in enumerate(rows):
        end = draw(st.sampled_from(["", "", "", "", " ", "  ", "\\"]))
        out.append((first if index == 0 else indent) + row + end)
    return out


@st.composite
def md_list(draw: st.DrawFn, depth: int = 0) -> list[str]:
    ordered = draw(st.booleans())
    bullet = draw(st.sampled_from("-*+"))
    lines: list[str] = []
    for number in range(1, draw(st.integers(min_value=1, max_value=3)) + 1):
        marker = f"{number}. " if ordered else f"{bullet} "
        lines.extend(draw(md_paragraph(indent=" " * len(marker), first=marker)))
        if depth < 2 and draw(st.booleans()):
            nested = draw(md_list(depth=depth + 1))
            lines.extend(" " * len(marker) + line if line else "" for line in nested)
    return lines


@st.composite
def md_table(draw: st.DrawFn) -> list[str]:
    columns = draw(st.integers(min_value=1, max_value=4))
    cell = st.lists(st.one_of(dutch_word, st.just("a \\| b"), st.just("`x`")), max_size=3).map(
        " ".join
    )
    align = st.sampled_from(["---", ":--", "--:", ":-:"])
    rows = [draw(st.lists(cell, min_size=columns, max_size=columns))]
    rows.append(draw(st.lists(align, min_size=columns, max_size=columns)))
    rows.extend(draw(st.lists(st.lists(cell, min_size=columns, max_size=columns), max_size=3)))
    return ["| " + " | ".join(row) + " |" for row in rows]


@st.composite
def md_block(draw: st.DrawFn) -> list[str]:
    kind = draw(
        st.sampled_from(
            ["atx", "setext", "paragraph", "paragraph", "list", "quote", "table", "fence"]
        )
    )
    if kind == "atx":
        level = draw(st.integers(min_value=1, max_value=6))
        closing = draw(st.sampled_from(["", "", " " + "#" * level]))
        return ["#" * level + " " + " ".join(md_words(draw, 8)) + closing]
    if kind == "setext":
        return [" ".join(md_words(draw, 8)), draw(st.sampled_from(["===", "---", "=========="]))]
    if kind == "list":
        return draw(md_list())
    if kind == "quote":
        lazy = draw(st.booleans())
        rows = draw(md_paragraph(indent="" if lazy else "> ", first="> "))
        return rows
    if kind == "table":
        return draw(md_table())
    if kind == "fence":
        language = draw(st.sampled_from(["", "python", "mermaid"]))
        body = draw(st.lists(st.sampled_from(["graph TD", "  A --> B", "# geen kop", ""])))
        return ["```" + language, *body, "```"]
    return draw(md_paragraph())


@st.composite
def md_article(draw: st.DrawFn) -> bytes:
    lines: list[str] = []
    if draw(st.booleans()):
        title = " ".join(draw(st.lists(dutch_word, min_size=1, max_size=6)))
        quote = draw(st.sampled_from(["", '"', "'"]))
        if quote:
            title = title.replace("\\", "").replace(quote, "")
        lines += ["---", f"title: {quote}{title}{quote}", "slug: artikel", "---", ""]
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        lines.extend(draw(md_block()))
        lines.extend(draw(st.lists(st.sampled_from(["", "", "  "]), min_size=1, max_size=2)))
    return _join(draw, lines)


# The identity round trip


def segment(data: bytes, suffix: str) -> Article:
    return segment_article(data, path=f"articles/nl/artikel{suffix}", name="artikel")


def identity_through_po(data: bytes, suffix: str) -> bytes:
    """Segment, write the template, read it back, fill msgstr = msgid, assemble."""
    article = segment(data, suffix)
    template = template_from_article(article, created=CREATED)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "artikel.pot"
        path.write_bytes(catalog_text(template).encode("utf-8"))
        po = read_catalog(path)
    for entry in po:
        entry.msgstr = entry.msgid
    assert len(po) == len({unit.key for unit in article.units})
    return assemble_article(article, translations(po)).text.encode("utf-8")


@SETTINGS
@given(data=plain_article())
def test_plain_text_survives_the_identity_round_trip_through_po(data: bytes) -> None:
    assert identity_through_po(data, ".txt") == data


@SETTINGS
@given(data=md_article(), suffix=st.sampled_from([".md", ".mdx"]))
def test_markdown_survives_the_identity_round_trip_through_po(data: bytes, suffix: str) -> None:
    assert identity_through_po(data, suffix) == data


@SETTINGS
@given(data=plain_article())
def test_plain_units_are_placed_as_the_shared_rule_places_units_without_a_section(
    data: bytes,
) -> None:
    """The plain segmenter gives each unit its section as it makes it; that is what
    assign_sections_and_contexts gives the same units from scratch (a heading that is an
    address alone is layout, and heads nothing)."""
    parts = segment(data, ".txt").parts
    cleared = tuple(
        replace(part, section=None, context=None) if isinstance(part, Unit) else part
        for part in parts
    )
    assert assign_sections_and_contexts(cleared) == parts


# A new catalog made from its template's bytes


@SETTINGS
@given(
    data=st.one_of(
        plain_article().map(lambda d: (d, ".txt")),
        st.tuples(md_article(), st.sampled_from([".md", ".mdx"])),
    ),
    language=st.sampled_from(["en", "de", "pt_BR", "ar", "ja", "uk", "sr@latin"]),
)
def test_a_new_catalog_from_its_template_bytes_is_what_merging_gives(
    data: tuple[bytes, str], language: str
) -> None:
    article = segment(*data)
    template = template_from_article(article, created=CREATED)
    merged = update_catalog(template, None, language=language, now=LATER)
    made = new_catalog_bytes(template, catalog_bytes(template), language=language, now=LATER)
    assert made == catalog_bytes(merged)


# Re-wrapping a translation

# Words that must not begin a line, or Markdown would read a new block (a list, heading,
# quote, fence, table, setext underline or thematic break) where the paragraph went on.
_OPENS_A_BLOCK = re.compile(r"#{1,6}|[-+*_=]+|\d{1,9}[.)]|>.*|`{3,}.*|~{3,}.*|<.*|\|.*")
plain_word = st.sampled_from([w for w in _DUTCH if w.isalpha()])
translation_word = st.one_of(
    dutch_word,
    dutch_word,
    dutch_word,
    st.sampled_from(["-", "*", "**", "_", "+", "#", "##", "1.", "2)", ">", "===", "---", "***"]),
    st.sampled_from(["<b>vet</b>", "|", "```", "~~~", "**vet**", "`x`", "C:\\", "a\\\\"]),
    odd_word.filter(lambda w: not set(w) & set("\t\u00a0\u2028\x0c")),
)


@st.composite
def translation_piece(draw: st.DrawFn) -> str:
    """Words of a translation between hard breaks.

    The first word is a plain one: the renderer keeps block-opening words off the start of
    a line it begins, but cannot change the word a translator put first.
    """
    words = draw(st.lists(translation_word, max_size=40))
    return " ".join([draw(plain_word), *words])


def wrappable_units(article: Article) -> list[int]:
    """Indexes of the units whose translation is wrapped (not the one-line kinds)."""
    return [i for i, unit in enumerate(article.units) if not unit.single_line]


def rebuilt(article: Article, unit: Unit, translation: str) -> bytes:
    result = assemble_article(article, {unit.key: translation})
    return result.text.encode("utf-8")


def check_rewrap(data: bytes, suffix: str, draw: st.DrawFn) -> None:
    article = segment(data, suffix)
    candidates = wrappable_units(article)
    assume(candidates)
    index = draw(st.sampled_from(candidates))
    unit = article.units[index]
    assume(sum(u.key == unit.key for u in article.units) == 1)
    hard_breaks = sum(line.hard_break for line in unit.lines)
    pieces = draw(st.lists(translation_piece(), min_size=1, max_size=hard_breaks + 1))
    translation = "\n".join(pieces)
    if suffix == ".txt":
        # Plain text reads its shape from the words: a short line without a final period
        # can be a heading or a table-of-contents line.  A paragraph that does not look like
        # one, translated by a sentence, keeps the article's shape.
        assume(len(unit.lines) > 1 or unit.text.endswith((".", ",", ";", "…")))
        translation += "."
    assume(translation != unit.text)

    # Every word comes out, in order, with the source's prefixes and breaks.
    rendered = render_unit(unit, translation)
    again = segment(rebuilt(article, unit, translation), suffix)
    assert len(again.units) == len(article.units)
    new = again.units[index]
    assert new.text == translation
    assert new.kind is unit.kind
    assert new.lines[0].prefix == unit.lines[0].prefix
    assert new.source == rendered

    # No line is wider than the source paragraph, unless one word alone is wider.
    soft_breaks = any(not line.hard_break for line in unit.lines[:-1])
    if soft_breaks:
        width = max(len(line.prefix) + len(line.text) for line in unit.lines)
        for line in new.lines:
            assert len(line.prefix) + len(line.text) <= width or _unbreakable(line.text), (
                line,
                width,
            )


def _unbreakable(text: str) -> bool:
    """One word, with the words that may not begin a line after it."""
    words = text.split(" ")
    return all(
        _OPENS_A_BLOCK.fullmatch(word) or _ends_in_backslash(previous)
        for previous, word in pairwise(words)
    )


def _ends_in_backslash(word: str) -> bool:
    """A word a line break after would turn into a Markdown hard break."""
    return (len(word) - len(word.rstrip("\\"))) % 2 == 1


@SETTINGS
@given(data=plain_article(), draw=st.data())
def test_plain_text_translations_are_rewrapped_at_the_source_width(
    data: bytes, draw: st.DataObject
) -> None:
    check_rewrap(data, ".txt", draw.draw)


@SETTINGS
@given(data=md_article(), draw=st.data())
def test_markdown_translations_are_rewrapped_at_the_source_width(
    data: bytes, draw: st.DataObject
) -> None:
    check_rewrap(data, ".md", draw.draw)


@SETTINGS
@given(data=md_article(), draw=st.data())
def test_markdown_one_line_units_stay_one_line_with_the_translation_as_their_text(
    data: bytes, draw: st.DataObject
) -> None:
    """Headings, table cells, alt texts and the front-matter title, escaped where they stand."""
    article = segment(data, ".md")
    candidates = [i for i, unit in enumerate(article.units) if unit.single_line]
    assume(candidates)
    index = draw.draw(st.sampled_from(candidates))
    unit = article.units[index]
    assume(sum(u.key == unit.key for u in article.units) == 1)
    translation = draw.draw(translation_piece())
    assume(translation != unit.text)

    rendered = render_unit(unit, translation)
    assert not re.search(r"[\r\n]", rendered)
    again = segment(rebuilt(article, unit, translation), ".md")
    assert len(again.units) == len(article.units)
    assert (again.units[index].kind, again.units[index].text) == (unit.kind, translation)


@SETTINGS
@given(
    kind=st.sampled_from(UnitKind),
    line=st.builds(
        Line,
        prefix=st.text(" \t>-#", max_size=3),
        text=st.text(min_size=1, max_size=40),
        suffix=st.text(" \\#", max_size=2),
    ),
    number=st.integers(1, 10_000),
    section=st.none() | st.text(max_size=20),
    escape=st.sampled_from(Escape),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    markdown=st.booleans(),
)
def test_a_unit_of_one_line_is_the_unit_the_dataclass_makes(
    kind: UnitKind,
    line: Line,
    number: int,
    section: str | None,
    escape: Escape,
    newline: str,
    markdown: bool,
) -> None:
    """Unit.of_line, the segmenters' fast way to the commonest unit, makes exactly the unit
    the dataclass's own __init__ makes: fields, decoded text, equality, hash and repr."""
    options = {"section": section, "escape": escape, "newline": newline, "markdown": markdown}
    try:
        made = Unit(kind, (line,), number, **options)  # type: ignore[arg-type]
    except Exception as error:  # a front matter value YAML refuses: both must refuse it
        with pytest.raises(type(error)):
            Unit.of_line(kind, line, number, **options)  # type: ignore[arg-type]
        return
    fast = Unit.of_line(kind, line, number, **options)  # type: ignore[arg-type]
    assert fast == made
    assert (hash(fast), repr(fast), fast.text) == (hash(made), repr(made), made.text)
    assert [getattr(fast, f.name) for f in fields(Unit)] == [
        getattr(made, f.name) for f in fields(Unit)
    ]
