"""Golden cases, mdpo style: each folder in ``tests/golden`` is an article and what it becomes.

A case holds ``article.<ext>``, ``expected.pot`` (the exact template), ``filled.po`` (an
English catalog translated by hand, with a fuzzy entry that must not be used) and
``expected.<ext>`` (the exact article ``build`` makes from it for English).  Adding a case is
adding the article and filled.po, then running ``tests/golden/regenerate.py CASE`` and
reading what it wrote.  A case written for a site generator holds that generator's own
configuration file (``mkdocs.yml``, ``hugo.toml``, ...), which picks the dialect as it does
in a project.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from locpipe import catalog
from locpipe.assemble import assemble_article
from locpipe.catalog import read_catalog
from locpipe.model import Article
from locpipe.project import detect_dialect
from locpipe.segment import SegmentOptions, segment_article

from .conftest import run_msgfmt

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = sorted(path.parent.name for path in GOLDEN.glob("*/article.*"))
FIXED = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


class Case:
    """The files of one golden case."""

    def __init__(self, name: str) -> None:
        self.folder = GOLDEN / name
        (self.article,) = self.folder.glob("article.*")
        self.expected_article = self.folder / f"expected{self.article.suffix}"
        self.expected_template = self.folder / "expected.pot"
        self.filled = self.folder / "filled.po"

    def segment(self) -> Article:
        path = f"articles/nl/article{self.article.suffix}"
        options = SegmentOptions(dialect=detect_dialect(self.folder, self.folder) or "commonmark")
        return segment_article(
            self.article.read_bytes(), path=path, name="article", options=options
        )


def test_the_cases_are_all_there() -> None:
    assert {
        "seed",
        "plain-no-toc",
        "plain-crlf-bom",
        "plain-punctuation-toc",
        "md-front-matter",
        "md-nested",
        "md-docs-site",
        "empty",
        "title-only",
        "html-news",
        "html-seed",
        "html-fragment",
    } <= set(CASES)


@pytest.mark.parametrize("name", CASES)
def test_golden_case(name: str) -> None:
    case = Case(name)
    article = case.segment()

    # The template, exactly.
    template = catalog.template_from_article(article, created=FIXED)
    assert catalog.catalog_text(template) == case.expected_template.read_text(encoding="utf-8")

    # The identity round trip: msgstr = msgid for every entry gives back the source bytes.
    for entry in template:
        entry.msgstr = entry.msgid
    rebuilt = assemble_article(article, catalog.translations(template))
    assert rebuilt.text.encode("utf-8") == case.article.read_bytes()
    assert rebuilt.translated_entries == rebuilt.total_entries == len(template)

    # The hand-made translation: the localized article, exactly, without the fuzzy entries.
    filled = read_catalog(case.filled, language="en")
    localized = assemble_article(article, catalog.translations(filled), language="en")
    assert localized.text.encode("utf-8") == case.expected_article.read_bytes()
    fuzzy = [entry for entry in filled if entry.fuzzy and not entry.obsolete]
    assert localized.translated_entries == len(template) - len(fuzzy)

    # GNU gettext takes both catalogs without a word.
    for path in (case.expected_template, case.filled):
        result = run_msgfmt(path)
        assert (result.returncode, result.stderr) == (0, ""), path
