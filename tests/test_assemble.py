"""Reassembly: translations go back in the source's layout, wrapped the way the source was."""

from __future__ import annotations

from locpipe.assemble import assemble_article, render_unit
from locpipe.segment import segment_article


def cut(text: str, path: str = "a.txt"):
    return segment_article(text.encode("utf-8"), path=path, name="a")


def test_identity_gives_back_the_source() -> None:
    text = "Titel\r\n\r\nKop\r\n\r\nEen alinea  \r\nover twee regels. \r\n\r\nSlot"
    article = cut(text)
    result = assemble_article(article, {u.key: u.text for u in article.units})
    assert result.text == text
    assert result.translated_share == 1.0


def test_untranslated_units_keep_their_source_and_count_as_untranslated() -> None:
    article = cut("Titel\n\nKop\n\nTekst.\n")
    result = assemble_article(article, {(None, "Titel"): "Title"})
    assert result.text == "Title\n\nKop\n\nTekst.\n"
    assert (result.translated_entries, result.total_entries) == (1, 3)


def test_translation_is_wrapped_at_the_source_width() -> None:
    source = (
        "Titel\n\nKop\n\n"
        "De Oekraiense strijdkrachten hebben te maken met een\n"
        "tekort aan raketten, meldt de krant.\n"
    )
    article = cut(source)
    paragraph = article.units[-1]
    width = max(len(line) for line in source.splitlines()[4:])
    translation = (
        "The Ukrainian armed forces are facing a shortage of missiles, "
        "the newspaper reports, and it is getting worse."
    )
    rendered = render_unit(paragraph, translation)
    rows = rendered.split("\n")
    assert len(rows) > 1
    assert all(len(row) <= width for row in rows)
    assert " ".join(rows) == translation


def test_wrapped_markdown_keeps_quote_markers_and_list_indentation() -> None:
    source = (
        "# Kop\n\n"
        "> Een citaat dat over\n> twee regels loopt.\n\n"
        "- Een lijstitem dat ook\n  over twee regels loopt.\n"
    )
    article = cut(source, "a.md")
    quote, item = article.units[-2:]
    long = "A quotation that runs over more lines than the source did, clearly"
    quoted = render_unit(quote, long).split("\n")
    assert all(row.startswith("> ") for row in quoted) and len(quoted) > 2
    listed = render_unit(item, long).split("\n")
    assert listed[0].startswith("- ") and all(row.startswith("  ") for row in listed[1:])


def test_one_line_units_stay_on_one_line() -> None:
    article = cut("Titel\n\nKop\n\nTekst.\n")
    assert render_unit(article.units[1], "Heading\nover two lines") == "Heading over two lines"


def test_hard_breaks_stay_hard_breaks() -> None:
    article = cut("Een regel  \ntweede regel\\\nderde regel\n", "a.md")
    (unit,) = article.units
    assert unit.text == "Een regel\ntweede regel\nderde regel"
    assert render_unit(unit, "One line\nsecond line\nthird line") == (
        "One line  \nsecond line\\\nthird line"
    )


def test_wrapping_never_starts_a_line_with_a_markdown_block_marker() -> None:
    source = "Een alinea die over\ntwee regels loopt.\n"
    (unit,) = cut(source, "a.md").units
    rendered = render_unit(unit, "see point - here and # there, or 1. this one > that")
    for row in rendered.split("\n")[1:]:
        assert not row.startswith(("- ", "# ", "1. ", ">"))


def test_table_cells_escape_pipes() -> None:
    source = "| Kop | Waarde |\n| --- | --- |\n| links | rechts |\n"
    article = cut(source, "a.md")
    cell = next(u for u in article.units if u.text == "links")
    assert render_unit(cell, "left | right") == "left \\| right"
