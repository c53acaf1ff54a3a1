"""Reassembly: translations go back in the source's layout, wrapped the way the source was."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_a_translation_that_starts_like_a_block_stays_text() -> None:
    # An engine (or a translator) answering "# Kop" or "2024. Het jaar" turned a paragraph
    # into a heading or a list; so did a line after a hard break.
    (paragraph, item, quote) = cut("Een alinea.\n\n- Een item.\n\n> Een citaat.\n", "a.md").units
    assert render_unit(paragraph, "# Heading") == "\\# Heading"
    assert render_unit(item, "2024. A year\n- more") == "- 2024\\. A year\\\n  \\- more"
    assert render_unit(quote, "> Quoted\n===") == "> \\> Quoted\\\n> \\==="
    assert render_unit(paragraph, "#hashtag and 1.5 million") == "#hashtag and 1.5 million"
    assert render_unit(paragraph, "```x `` y``` is code") == "```x `` y``` is code"


_BLOCKY = st.text(alphabet="#-+*>1.)`~=_|: \ta\n", max_size=30).filter(lambda t: t.strip())


@settings(deadline=None, max_examples=300)
@given(_BLOCKY, st.sampled_from(["Een alinea.", "- Een item.", "> Een citaat.", "1. Een stap."]))
def test_no_translation_changes_the_blocks_of_its_article(translation: str, source: str) -> None:
    from markdown_it import MarkdownIt

    article = cut(f"# Kop\n\n{source}\n\nSlot.\n", "a.md")
    (_, unit, _) = article.units
    built = assemble_article(article, {unit.key: translation}).text

    def blocks(text: str) -> list[str]:
        tokens = MarkdownIt("commonmark").enable("table").parse(text)
        return [t.type for t in tokens if t.type != "inline"]

    assert blocks(built) == blocks(article.source)


def test_table_cells_escape_pipes() -> None:
    source = "| Kop | Waarde |\n| --- | --- |\n| links | rechts |\n"
    article = cut(source, "a.md")
    cell = next(u for u in article.units if u.text == "links")
    assert render_unit(cell, "left | right") == "left \\| right"


def test_wrapping_keeps_to_the_width_by_moving_the_word_before_a_block_marker_down() -> None:
    source = "Een alinea die over\ntwee regels loopt.\n"
    (unit,) = cut(source, "a.md").units
    rendered = render_unit(unit, "one two three four five - six seven *** eight")
    rows = rendered.split("\n")
    assert all(len(row) <= len("Een alinea die over") for row in rows)
    assert not any(row.startswith(("- ", "***")) for row in rows)
    assert [u.text for u in cut(rendered + "\n", "a.md").units] == [
        "one two three four five - six seven *** eight"
    ]


def test_a_line_never_ends_in_a_backslash_the_translation_did_not_mean_as_a_break() -> None:
    (unit,) = cut("Een alinea die over\ntwee regels loopt.\n", "a.md").units
    translation = "the folder C:\\ holds the files for the program"
    rendered = render_unit(unit, translation)
    assert [u.text for u in cut(rendered, "a.md").units] == [translation]


def test_a_translation_ending_in_a_backslash_before_a_hard_break_keeps_both() -> None:
    (unit,) = cut("Een regel\\\ntweede regel\n", "a.md").units
    rendered = render_unit(unit, "path C:\\\nsecond line")
    assert rendered == "path C:\\  \nsecond line"
    assert [u.text for u in cut(rendered, "a.md").units] == ["path C:\\\nsecond line"]


@pytest.mark.parametrize("source", ["# Kop\n", "## Kop\n", "> ### Kop  \n"])
def test_an_atx_heading_translation_ending_in_hashes_keeps_them(source: str) -> None:
    article = cut(source, "a.md")
    result = assemble_article(article, {article.units[0].key: "Step #"})
    assert [u.text for u in cut(result.text, "a.md").units] == ["Step #"]


def test_a_newline_in_a_plain_text_translation_is_a_plain_line_break() -> None:
    (unit,) = [u for u in cut("Titel\n\nKop\n\nEen alinea.\n").units if u.kind.value == "paragraph"]
    assert render_unit(unit, "One line\nand another") == "One line\nand another"


def test_a_pipe_in_a_heading_over_dashes_stays_a_heading_not_a_table() -> None:
    # "Vragen |" over "---" would be a one-column table in markdown-it, escaped or not.
    article = cut("Vragen\n---\n\nTekst.\n", path="a.md")
    result = assemble_article(article, {(None, "Vragen"): "Questions | answers"})
    assert result.text == "Questions &#124; answers\n---\n\nTekst.\n"
    again = cut(result.text, path="a.md")
    assert (again.units[0].kind, again.units[0].text) == ("heading", "Questions | answers")


def test_added_lines_take_the_first_line_ending_on_a_tie_in_every_process() -> None:
    # Two CRLF and two LF endings: the choice must not follow the hash seed of the process.
    source = "Titel\r\n\r\nEen korte alinea.\n\nSlot"
    script = (
        "from locpipe.segment.base import dominant_newline, split_lines\n"
        f"print(repr(dominant_newline(split_lines({source!r}))))\n"
    )
    chosen = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": str(seed), "PATH": ""},
        ).stdout.strip()
        for seed in range(8)
    }
    assert chosen == {repr("\r\n")}
