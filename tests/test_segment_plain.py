"""Plain-text segmentation: the seed's shape, and the variations real articles bring."""

from __future__ import annotations

from pathlib import Path

import pytest

from locpipe.model import UnitKind
from locpipe.segment import segment_article

SEED = Path(__file__).resolve().parents[2] / "shared" / "articles" / "atacms-nl.txt"
if not SEED.exists():  # the copy committed in the example project
    SEED = Path(__file__).resolve().parents[1] / "articles" / "nl" / "atacms.txt"


def cut(text: str | bytes, path: str = "a.txt"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return segment_article(data, path=path, name="a")


def kinds(text: str) -> list[tuple[UnitKind, str]]:
    return [(u.kind, u.text) for u in cut(text).units]


@pytest.fixture(scope="module")
def seed():
    return segment_article(SEED.read_bytes(), path="articles/nl/atacms.txt", name="atacms")


def test_seed_has_title_toc_twelve_sections_and_two_closing_lines(seed) -> None:
    units = seed.units
    assert units[0].kind is UnitKind.TITLE and units[0].line == 1
    toc = [u for u in units if u.kind is UnitKind.TOC]
    headings = [u for u in units if u.kind is UnitKind.HEADING]
    paragraphs = [u for u in units if u.kind is UnitKind.PARAGRAPH]
    assert len(toc) == 12 and len(headings) == 12
    assert [u.text for u in toc] == [u.text for u in headings]
    assert [u.line for u in toc] == list(range(3, 15))
    assert headings[0].line == 15  # glued to the TOC without a blank line
    assert len(paragraphs) == 14
    assert [p.text for p in paragraphs[-2:]] == [
        "Volg ons op MSN om elke dag de beste artikelen te ontvangen",
        "Meer voor jou",
    ]
    # every body paragraph follows its own heading
    for heading, paragraph in zip(headings, paragraphs[:12], strict=True):
        assert paragraph.section == heading.text
        assert paragraph.line == heading.line + 2


def test_seed_toc_lines_and_headings_share_entries(seed) -> None:
    toc_keys = [u.key for u in seed.units if u.kind is UnitKind.TOC]
    heading_keys = [u.key for u in seed.units if u.kind is UnitKind.HEADING]
    assert toc_keys == heading_keys
    assert len({u.key for u in seed.units}) == 27


def test_seed_layout_is_kept_byte_for_byte(seed) -> None:
    assert seed.source.encode("utf-8") == SEED.read_bytes()


def test_article_without_toc() -> None:
    text = "Titel\n\nKop een\n\nEerste alinea.\n\nKop twee\n\nTweede alinea.\n"
    assert kinds(text) == [
        (UnitKind.TITLE, "Titel"),
        (UnitKind.HEADING, "Kop een"),
        (UnitKind.PARAGRAPH, "Eerste alinea."),
        (UnitKind.HEADING, "Kop twee"),
        (UnitKind.PARAGRAPH, "Tweede alinea."),
    ]


def test_toc_separated_by_blank_line_is_found() -> None:
    text = "Titel\n\nKop een\nKop twee\n\nKop een\n\nTekst een.\n\nKop twee\n\nTekst twee.\n"
    units = cut(text).units
    assert [u.kind for u in units[1:3]] == [UnitKind.TOC, UnitKind.TOC]
    assert units[1].key == units[3].key


def test_toc_line_differing_by_punctuation_points_to_its_heading() -> None:
    text = (
        "Titel\n\nSteun met beperkingen\nWat nu\n\nSteun met beperkingen?\n\nTekst.\n\n"
        "Wat nu?\n\nMeer tekst.\n"
    )
    units = cut(text).units
    toc = [u for u in units if u.kind is UnitKind.TOC]
    assert [u.text for u in toc] == ["Steun met beperkingen", "Wat nu"]
    assert toc[0].notes == ("table of contents entry for: Steun met beperkingen?",)


def test_headings_that_differ_only_by_punctuation_stay_apart() -> None:
    text = "Titel\n\nSteun?\n\nEen vraag.\n\nSteun!\n\nEen uitroep.\n"
    headings = [u.text for u in cut(text).units if u.kind is UnitKind.HEADING]
    assert headings == ["Steun?", "Steun!"]


def test_multi_line_paragraph_is_one_unit_joined_by_spaces() -> None:
    text = "Titel\n\nKop\n\nDit is een alinea die\nover drie regels\nloopt.\n"
    unit = cut(text).units[-1]
    assert unit.kind is UnitKind.PARAGRAPH
    assert unit.text == "Dit is een alinea die over drie regels loopt."
    assert unit.line == 5


def test_crlf_bom_and_no_final_newline() -> None:
    data = "\ufeffTitel\r\n\r\nKop\r\n\r\nEen alinea\r\nop twee regels.".encode()
    article = cut(data)
    assert article.bom
    assert [u.text for u in article.units] == ["Titel", "Kop", "Een alinea op twee regels."]
    assert article.source.encode("utf-8") == data[3:]


def test_title_only_and_empty_articles() -> None:
    assert kinds("Alleen een titel\n") == [(UnitKind.TITLE, "Alleen een titel")]
    assert cut("").units == ()
    assert cut("  \n\n").units == ()
    assert cut("  \n\n").source == "  \n\n"


def test_short_closing_lines_are_not_headings() -> None:
    text = "Titel\n\nKop\n\nTekst.\n\nVolg ons op MSN\n\nMeer voor jou"
    assert kinds(text)[-2:] == [
        (UnitKind.PARAGRAPH, "Volg ons op MSN"),
        (UnitKind.PARAGRAPH, "Meer voor jou"),
    ]


def test_indentation_and_trailing_spaces_are_layout() -> None:
    text = "Titel  \n\n   Een ingesprongen alinea   \n   met twee regels.\n"
    article = cut(text)
    assert [u.text for u in article.units] == ["Titel", "Een ingesprongen alinea met twee regels."]
    assert article.source == text


def test_a_placed_unit_is_the_unit_with_another_section_and_context() -> None:
    """``Unit.placed`` copies each field by name: one added to Unit must be copied too."""
    from dataclasses import fields, replace

    from locpipe.model import Escape, Line, Unit, UnitKind

    unit = Unit(
        kind=UnitKind.LIST_ITEM,
        lines=(Line("- ", 'Zeg \\"ja\\"', " ", "\r\n", True), Line("  ", "nu")),
        line=7,
        section="Oud",
        context="oud",
        escape=Escape.YAML_DOUBLE,
        newline="\r\n",
        markdown=True,
        notes=("een noot",),
    )
    placed = unit.placed("Nieuw", "heading")
    assert placed == replace(unit, section="Nieuw", context="heading")
    assert all(
        getattr(placed, f.name) == getattr(unit, f.name)
        for f in fields(Unit)
        if f.name not in ("section", "context")
    )


def test_a_heading_that_is_an_address_alone_heads_no_section() -> None:
    """An address alone is layout, not a unit: the text after it is in the section of the
    heading before it."""
    data = b"Titel\n\nInleiding\n\nEerste zin.\n\nwww.example.org\n\nTweede zin.\n"
    article = segment_article(data, path="articles/nl/a.txt", name="a")
    assert [(u.text, u.section) for u in article.units] == [
        ("Titel", None),
        ("Inleiding", "Inleiding"),
        ("Eerste zin.", "Inleiding"),
        ("Tweede zin.", "Inleiding"),
    ]
