"""Review of the dialect scanner: hostile long lines cost linear time, and real documentation
pages' shapes stay prose or layout as their generator reads them."""

from __future__ import annotations

import pytest

from locpipe.assemble import assemble_article
from locpipe.model import Article, UnitKind
from locpipe.protect import masked_spans
from locpipe.segment import SegmentOptions, segment_article

from .complexity import assert_cpu_time_grows_linearly, assert_lines_grow_linearly


def segment(text: str, dialect: str) -> Article:
    options = SegmentOptions(dialect=dialect)
    return segment_article(text.encode("utf-8"), path="a.md", name="a", options=options)


@pytest.mark.parametrize(
    ("dialect", "before", "after"),
    [
        ("docusaurus", ":::tip x", "y"),
        ("mkdocs", "/// details | x", "y"),
        ("mkdocs", "*[AI]: x", "y"),
        ("mkdocs", "Een kop", "zonder attributen"),
    ],
    ids=["docusaurus-title", "pymdownx-title", "abbreviation", "attribute-list"],
)
def test_a_long_hostile_line_is_read_in_linear_time(dialect: str, before: str, after: str) -> None:
    # A title read as .*? before [ \t]*, or an attribute list searched for from every blank
    # of a run, read a long run of blanks once per blank: 100 kB took minutes.  That reading
    # is one regular expression's, in C, where a count of Python lines cannot see it; so the
    # CPU time of a run eight times as long is compared with the short one's, both measured
    # here: linear time grows about 8 times, the square 64 times.
    def read(blanks: int) -> None:
        article = segment(f"# Kop\n\n{before}{' ' * blanks}{after}\n", dialect)
        assert article.units[0].text == "Kop"

    assert_cpu_time_grows_linearly(read, 4000)


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
    # Each unclosed opening was read to the end of the text, the square of its length (100 kB
    # took 20 s).  That reading is one regular expression's, in C, where a count of Python
    # lines cannot see it; so CPU times of two lengths, measured here, are compared.
    def mask(length: int) -> None:
        unclosed = opening * (length // len(opening))
        assert [s for s in masked_spans(unclosed, markup="markdown") if s.kind == "template"] == []

    assert_cpu_time_grows_linearly(mask, 2000)
    # The tags after a run of unclosed openings are still found whole.
    unclosed = opening * 1000
    text = unclosed + ' {{< ref "x" >}} en {% raw %}'
    spans = masked_spans(text, markup="markdown")
    assert [text[s.start : s.end] for s in spans if s.kind == "template"] == [
        '{{< ref "x" >}}',
        "{% raw %}",
    ]


@pytest.mark.parametrize(
    ("dialect", "line"),
    [("hugo", "{{< kaart"), ("jekyll", "{% include kaart")],
)
def test_reading_a_page_of_unclosed_tags_grows_linearly_with_its_length(
    dialect: str, line: str
) -> None:
    # Each unclosed tag was followed character by character to the end of the page (a 28 kB
    # page took 24 s), a loop in Python whose lines grew as the square of the page.
    def read(tags: int) -> None:
        text = "# Kop\n\n" + f"{line}\n\n" * tags + "Slot.\n"
        assert segment(text, dialect).units[-1].text == "Slot."

    assert_lines_grow_linearly(read, 300)
