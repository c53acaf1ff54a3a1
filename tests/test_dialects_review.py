"""Review of the dialect scanner: hostile long lines cost linear time, and real documentation
pages' shapes stay prose or layout as their generator reads them."""

from __future__ import annotations

import time

import pytest

from locpipe.assemble import assemble_article
from locpipe.model import Article, UnitKind
from locpipe.protect import masked_spans
from locpipe.segment import SegmentOptions, segment_article

LONG = 100_000


def segment(text: str, dialect: str) -> Article:
    options = SegmentOptions(dialect=dialect)
    return segment_article(text.encode("utf-8"), path="a.md", name="a", options=options)


@pytest.mark.parametrize(
    ("dialect", "line"),
    [
        ("docusaurus", ":::tip x" + " " * LONG + "y"),
        ("mkdocs", "/// details | x" + " " * LONG + "y"),
        ("mkdocs", "*[AI]: x" + " " * LONG + "y"),
        ("mkdocs", "Een kop" + " " * LONG + "zonder attributen"),
    ],
    ids=["docusaurus-title", "pymdownx-title", "abbreviation", "attribute-list"],
)
def test_a_long_hostile_line_is_read_in_linear_time(dialect: str, line: str) -> None:
    started = time.perf_counter()
    article = segment(f"# Kop\n\n{line}\n", dialect)
    assert time.perf_counter() - started < 2
    assert article.units[0].text == "Kop"


@pytest.mark.parametrize(
    ("dialect", "line", "title"),
    [
        ("docusaurus", ":::tip   Let op   ", "Let op"),
        ("mkdocs", "/// details | Meer weten  ", "Meer weten"),
    ],
)
def test_a_title_is_still_cut_without_the_spaces_around_it(
    dialect: str, line: str, title: str
) -> None:
    article = segment(f"{line}\n\nTekst.\n\n{line[:3]}\n", dialect)
    first = article.units[0]
    assert (first.kind, first.text) == (UnitKind.ADMONITION_TITLE, title)


HANDLER_SPELLINGS = {
    # A handler right after a quoted value: browsers run it all the same.
    "no space": ('<a href="#"onclick="toon(\'kaart\')">de kaart</a>', '<a href="#">de kaart</a>'),
    # Text in a value that looks like a handler is the value's text.
    "in a value": ('<a href="#" title="zie onclick=kaart">de kaart</a>', None),
}


@pytest.mark.parametrize("name", HANDLER_SPELLINGS)
@pytest.mark.parametrize("path", ["a.md", "a.html"])
def test_an_event_handler_never_reaches_a_msgid_however_it_is_spelt(path: str, name: str) -> None:
    link, expected = HANDLER_SPELLINGS[name]
    text = f"Zie {link} hier.\n"
    if path.endswith(".html"):
        text = f"<html><body><p>{text.strip()}</p></body></html>\n"
    options = SegmentOptions(dialect="mkdocs")
    article = segment_article(text.encode(), path=path, name="a", options=options)
    [unit] = [u for u in article.units if u.kind is UnitKind.PARAGRAPH]
    assert unit.text == f"Zie {expected or link} hier."
    # The translation's tag gets its handler back from the source.
    translation = unit.text.replace("Zie", "See").replace("hier", "here")
    built = assemble_article(article, {unit.key: translation}).text
    assert built == text.replace("Zie", "See").replace("hier", "here")


@pytest.mark.parametrize("opening", ["{{", "{%", "{{<"])
def test_unclosed_template_tags_are_masked_in_linear_time(opening: str) -> None:
    unclosed = opening * (LONG // len(opening))
    started = time.perf_counter()
    assert [s for s in masked_spans(unclosed, markdown=True) if s.kind == "template"] == []
    assert time.perf_counter() - started < 2
    text = unclosed + ' {{< ref "x" >}} en {% raw %}'
    spans = masked_spans(text, markdown=True)
    assert [text[s.start : s.end] for s in spans if s.kind == "template"] == [
        '{{< ref "x" >}}',
        "{% raw %}",
    ]


@pytest.mark.parametrize(
    ("dialect", "line"),
    [("hugo", "{{< kaart"), ("jekyll", "{% include kaart")],
)
def test_a_page_of_unclosed_tags_is_not_read_once_per_line(dialect: str, line: str) -> None:
    # Each unclosed tag was followed character by character to the end of the page.
    text = "# Kop\n\n" + f"{line}\n\n" * 3000 + "Slot.\n"
    started = time.perf_counter()
    article = segment(text, dialect)
    assert time.perf_counter() - started < 5
    assert article.units[-1].text == "Slot."
