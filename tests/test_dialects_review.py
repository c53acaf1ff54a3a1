"""Review of the dialect scanner: hostile long lines cost linear time, and real documentation
pages' shapes stay prose or layout as their generator reads them."""

from __future__ import annotations

import time

import pytest

from locpipe.model import Article, UnitKind
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
