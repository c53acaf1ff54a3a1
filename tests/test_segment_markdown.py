"""Markdown segmentation: which text becomes a translation unit, and nothing is ever lost.

Every article in this file goes through ``segment``, which also checks the identity
invariant: the layout and the units' source lines join back to the article byte for byte.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from locpipe.assemble import render_unit
from locpipe.model import Escape, Line, Unit, UnitKind
from locpipe.segment.markdown import segment_markdown

H = UnitKind.HEADING
P = UnitKind.PARAGRAPH
LI = UnitKind.LIST_ITEM
BQ = UnitKind.BLOCKQUOTE
CELL = UnitKind.TABLE_CELL


def segment(text: str, *, mdx: bool = False) -> list[Unit]:
    """The article's units, after checking that its parts join back to the text exactly."""
    parts = segment_markdown(text, mdx=mdx)
    assert "".join(p if isinstance(p, str) else p.source for p in parts) == text
    return [part for part in parts if isinstance(part, Unit)]


def found(text: str, *, mdx: bool = False) -> list[tuple[UnitKind, str, int]]:
    """(kind, msgid, line) of every unit in the article."""
    return [(u.kind, u.text, u.line) for u in segment(text, mdx=mdx)]


def test_empty_document_has_no_parts():
    assert segment_markdown("") == ()
    assert found("\n\n") == []


# Front matter


@pytest.mark.parametrize(
    ("line", "text", "raw", "suffix"),
    [
        ("title: Over Koersk", "Over Koersk", "Over Koersk", ""),
        ('title: "Zeg \\"ja\\""', 'Zeg "ja"', '"Zeg \\"ja\\""', ""),
        ("title: 'Het is ''af'''  # klaar", "Het is 'af'", "'Het is ''af'''", "  # klaar"),
    ],
)
def test_front_matter_title_is_a_unit_holding_the_whole_scalar(line, text, raw, suffix):
    article = f"---\nslug: koersk\n{line}\ntags: [a, b]\n---\n\nTekst.\n"
    parts = segment_markdown(article)
    (title, body) = segment(article)
    assert (title.kind, title.text, title.line, title.escape) == (
        UnitKind.TITLE,
        text,
        3,
        Escape.YAML_SCALAR,
    )
    assert (title.lines[0].prefix, title.lines[0].text) == ("", raw)
    assert parts[parts.index(title) + 1].startswith(f"{suffix}\ntags")
    assert (body.kind, body.text, body.line) == (P, "Tekst.", 7)


def test_front_matter_closes_with_dots_and_offers_block_and_multi_line_titles():
    assert found("---\ntitle: |\n  Lang\n...\nTekst.\n") == [
        (UnitKind.TITLE, "Lang", 2),
        (P, "Tekst.", 5),
    ]
    assert found("---\ntitle: Begin\n  vervolg\n---\n") == [(UnitKind.TITLE, "Begin vervolg", 2)]
    assert found("---\nmeta:\n  title: Genest\n---\n") == []  # not a key the default names


def test_unclosed_front_matter_is_markdown():
    assert found("---\ntitle: Geen\n") == [(P, "title: Geen", 2)]


# Headings


def test_atx_headings_at_every_level_keep_markers_and_closing_hashes_as_layout():
    article = "".join(f"{'#' * n} Kop {n} {'#' * n}\n\n" for n in range(1, 7))
    units = segment(article)
    assert [(u.kind, u.text, u.line) for u in units] == [
        (H, f"Kop {n}", 2 * n - 1) for n in range(1, 7)
    ]
    assert (units[2].lines[0].prefix, units[2].lines[0].suffix) == ("### ", " ###")


def test_setext_heading_underline_is_layout():
    assert found("Grote kop\n=========\n\nKleine kop\n---\n") == [
        (H, "Grote kop", 1),
        (H, "Kleine kop", 4),
    ]


def test_heading_id_is_layout():
    (heading,) = segment("## Kaarten {#kaarten}\n")
    assert (heading.text, heading.lines[0].suffix) == ("Kaarten", " {#kaarten}")


# Paragraphs


def test_wrapped_paragraph_is_one_unit_with_a_line_per_source_line():
    (unit,) = segment("De slag bij Koersk\nwas in 1943.\n")
    assert (unit.kind, unit.text, unit.line) == (P, "De slag bij Koersk was in 1943.", 1)
    assert [line.text for line in unit.lines] == ["De slag bij Koersk", "was in 1943."]


def test_lazy_continuation_lines_belong_to_their_container():
    article = "> Een citaat dat\ndoorloopt.\n\n- Een punt dat\nook doorloopt.\n"
    units = segment(article)
    assert [(u.kind, u.text, u.line) for u in units] == [
        (BQ, "Een citaat dat doorloopt.", 1),
        (LI, "Een punt dat ook doorloopt.", 4),
    ]
    assert [line.prefix for line in units[0].lines] == ["> ", ""]


def test_hard_breaks_of_both_kinds_become_newlines():
    (unit,) = segment("Regel een  \nregel twee\\\nregel drie\n")
    assert unit.text == "Regel een\nregel twee\nregel drie"
    assert [(line.suffix, line.hard_break) for line in unit.lines] == [
        ("  ", True),
        ("\\", True),
        ("", False),
    ]


def test_inline_markup_stays_in_the_msgid():
    article = "Een **vette** zin over [de kaart](https://example.org), `code` en <kbd>Ctrl</kbd>.\n"
    assert found(article) == [(P, article.rstrip("\n"), 1)]


def test_paragraph_without_words_outside_code_urls_and_html_is_layout():
    assert found("`alleen_code()`\n\n<https://example.org>\n\n<span></span> 42\n") == []


# Lists


def test_nested_lists_put_markers_and_indentation_in_the_prefix():
    article = "1. Eerste\n   - Tweede\n     - Derde\n2. Vierde\n"
    units = segment(article)
    assert [(u.kind, u.text, u.line) for u in units] == [
        (LI, "Eerste", 1),
        (LI, "Tweede", 2),
        (LI, "Derde", 3),
        (LI, "Vierde", 4),
    ]
    assert [u.lines[0].prefix for u in units] == ["1. ", "   - ", "     - ", "2. "]


def test_loose_list_items_with_several_paragraphs():
    article = "- Punt een.\n\n  Nog een alinea\n  in punt een.\n\n- Punt twee.\n"
    assert found(article) == [
        (LI, "Punt een.", 1),
        (LI, "Nog een alinea in punt een.", 3),
        (LI, "Punt twee.", 6),
    ]


# Tables


def test_table_cells_are_units_and_pipes_alignment_row_and_code_cells_are_layout():
    article = (
        "| Naam | Waarde \\| eenheid |   |\n|:-----|-------:|:-:|\n| `x` | de `y` waarde | 7 |\n"
    )
    units = segment(article)
    assert [(u.kind, u.text, u.line) for u in units] == [
        (CELL, "Naam", 1),
        (CELL, "Waarde | eenheid", 1),
        (CELL, "de `y` waarde", 3),
    ]
    assert {u.escape for u in units} == {Escape.TABLE_CELL}
    assert units[1].lines[0] == Line(prefix="", text="Waarde \\| eenheid")  # padding is layout


def test_table_without_outer_pipes_inside_a_quote_and_extra_cells():
    article = "> Kop | Tweede\n> --- | ---\n> een | twee | te veel\n"
    assert found(article) == [
        (CELL, "Kop", 1),
        (CELL, "Tweede", 1),
        (CELL, "een", 3),
        (CELL, "twee", 3),
    ]


# Blockquotes


def test_blockquote_with_wrapped_lines_and_a_nested_list():
    article = "> Een citaat\n> over twee regels.\n>\n> - met een punt\n>   dat doorloopt\n"
    units = segment(article)
    assert [(u.kind, u.text, u.line) for u in units] == [
        (BQ, "Een citaat over twee regels.", 1),
        (LI, "met een punt dat doorloopt", 4),
    ]
    assert [line.prefix for line in units[1].lines] == ["> - ", ">   "]


# Images and links


def test_image_alone_in_a_paragraph_gives_its_alt_text_and_title():
    article = '![De kaart van *Koersk*](kaart.png "Kaart")\n\n[![Logo](logo.png)](https://example.org)\n\n![](leeg.png)\n'
    units = segment(article)
    assert [(u.kind, u.text, u.line) for u in units] == [
        (UnitKind.IMAGE_ALT, "De kaart van *Koersk*", 1),
        (UnitKind.ATTRIBUTE, "Kaart", 1),
        (UnitKind.IMAGE_ALT, "Logo", 3),
    ]
    assert (units[0].lines[0].prefix, units[0].lines[0].suffix) == ("![", '](kaart.png "')


def test_link_text_is_kept_with_its_url():
    assert found("[De kaart](https://example.org/kaart)\n") == [
        (P, "[De kaart](https://example.org/kaart)", 1)
    ]


# Code and HTML


def test_fenced_code_of_any_kind_is_layout():
    article = "```mermaid\ngraph TD\n  A --> B\n```\n\n~~~python\n# Geen kop\n~~~\n\nNa de code.\n"
    assert found(article) == [(P, "Na de code.", 10)]


def test_indented_code_is_layout_except_in_mdx():
    article = "Tekst.\n\n    code hier\n"
    assert found(article) == [(P, "Tekst.", 1)]
    assert found(article, mdx=True) == [(P, "Tekst.", 1), (P, "code hier", 3)]


def test_comments_reference_definitions_and_breaks_are_layout_html_blocks_prose():
    article = (
        "<!-- een opmerking\nover regels -->\n\n"
        '<p align="center">Gecentreerd <b>blok</b></p>\n\n'
        "[kaart]: https://example.org/kaart\n\n***\n\nEinde.\n"
    )
    assert found(article) == [(P, "Gecentreerd <b>blok</b>", 4), (P, "Einde.", 10)]


def test_html_blocks_inside_quotes_are_read_without_their_quote_markers():
    # GitHub-style callouts and pull quotes wrap HTML in a quote: '>' is no text to HTML.
    article = (
        '> <div class="note">\n> Tekst in een blok.\n> </div>\n\n'
        "> <p>Een alinea in een citaat.</p>\n\n"
        "> - <p>In een lijst in een citaat.</p>\n>   <p>Nog een.</p>\n\n"
        "> <p>Over twee\n> regels.</p>\n"
    )
    assert found(article) == [
        (P, "Tekst in een blok.", 2),
        (P, "Een alinea in een citaat.", 5),
        (P, "In een lijst in een citaat.", 7),
        (P, "Nog een.", 8),
        # A unit over two quoted lines would need its markers back between them: layout.
    ]


@pytest.mark.parametrize("dialect", ["commonmark", "mkdocs", "hugo", "jekyll"])
def test_visible_attributes_on_lines_of_tags_alone_are_offered(dialect):
    # A README's centred logo, a badge, a search field: lines of tags and nothing else.
    article = (
        '<p align="center">\n  <img src="logo.png" alt="Logo van het project">\n</p>\n\n'
        '<a href="https://x"><img src="b.svg" alt="Bouwstatus"></a>\n'
        '<input type="search" placeholder="Zoek in de documentatie">\n\nTekst.\n'
    )
    parts = segment_markdown(article, dialect=dialect)
    assert "".join(p if isinstance(p, str) else p.source for p in parts) == article
    assert [(u.kind, u.text) for u in parts if isinstance(u, Unit)] == [
        (UnitKind.IMAGE_ALT, "Logo van het project"),
        (UnitKind.IMAGE_ALT, "Bouwstatus"),
        (UnitKind.ATTRIBUTE, "Zoek in de documentatie"),
        (P, "Tekst."),
    ]


def test_a_line_break_in_an_html_units_translation_keeps_its_container_markers():
    article = "> <p>Een alinea.</p>\n\n- <p>Een item.</p>\n"
    quoted, listed = segment(article)
    assert render_unit(quoted, "A\nparagraph.") == "A\n> paragraph."
    assert render_unit(listed, "An\nitem.") == "An\n  item."


def test_pre_blocks_are_not_opened_up():
    assert found("<pre>\n<b>\nniet vertalen\n</b>\n</pre>\n\nWel.\n") == [(P, "Wel.", 7)]


# Documentation-site syntax


def test_admonition_fences_are_layout_and_their_prose_is_translated():
    article = (
        ":::tip Goed om te weten\nProza in de tip.\n:::\n\n"
        "- Punt\n\n  :::note\n  In de lijst.\n  :::\n"
    )
    assert found(article) == [(P, "Proza in de tip.", 2), (LI, "Punt", 5), (LI, "In de lijst.", 8)]


def test_site_syntax_inside_fenced_code_is_left_alone():
    assert found("```md\n:::tip\n<Tabs>\n```\n") == []


def test_mdx_imports_exports_and_component_tags_are_layout_around_prose():
    article = (
        "import Tabs from '@theme/Tabs';\n"
        "import TabItem from '@theme/TabItem';\n\n"
        "export const meta = {\n  versie: 2,\n};\n\n"
        "<Tabs>\n"
        '  <TabItem value="a" label="A">\n'
        "    Proza in tab A.\n"
        "  </TabItem>\n"
        '  <TabItem value="b" label="B">\n\n'
        "  Proza in tab B.\n\n"
        "  </TabItem>\n"
        "</Tabs>\n\n"
        "<Kaart />\n"
    )
    assert found(article, mdx=True) == [(P, "Proza in tab A.", 10), (P, "Proza in tab B.", 14)]


def test_import_as_a_word_is_prose_outside_mdx():
    assert found("import van graan\n\nimport x from 'y'\n") == [(P, "import van graan", 1)]


# Line endings and edges


def test_crlf_line_endings_stay_in_the_layout_and_the_lines():
    units = segment("# Kop\r\n\r\nEen\r\ntwee\r\n")
    assert [(u.kind, u.text, u.line) for u in units] == [(H, "Kop", 1), (P, "Een twee", 3)]
    assert units[1].newline == "\r\n"
    assert [line.eol for line in units[1].lines] == ["\r\n", ""]


def test_no_final_newline():
    assert found("# Kop\n\nLaatste regel") == [(H, "Kop", 1), (P, "Laatste regel", 3)]


def test_tabs_and_nul_bytes_are_kept():
    article = "-\tPunt met tab\n\tvervolg\n\n>\tCitaat\n\nN\0L\n"
    assert found(article) == [(LI, "Punt met tab vervolg", 1), (BQ, "Citaat", 4), (P, "N\0L", 6)]


# The identity invariant, for any mix of constructs

_SNIPPETS = [
    "---",
    "...",
    "title: Hallo",
    "title: 'it''s'",
    'title: "a \\" b"',
    "# Kop #",
    "###### Zes",
    "Titel",
    "===",
    "-----",
    "Een zin",
    "met vervolg  ",
    "met backslash\\",
    "> quote",
    ">\tquote",
    "> - item",
    ">   meer",
    "- item",
    "  - genest",
    "    - diep",
    "1. een",
    "   2) twee",
    "| a | b \\| c |",
    "|:--|--:|",
    "| `x` | y |",
    "a | b",
    "--- | ---",
    "![alt](x.png)",
    "[![alt](x.png)](y)",
    "```",
    "```mermaid",
    "~~~",
    "    code",
    "\tcode",
    "<!-- c -->",
    "<!--",
    "-->",
    "<div>",
    "</div>",
    "<Tabs>",
    '  <TabItem value="a">',
    "<Foo />",
    "<pre>",
    "</pre>",
    ":::tip",
    ":::note Titel",
    ":::",
    "import X from 'y';",
    "export const a = 1;",
    "[ref]: http://x",
    "***",
    "",
    "  ",
    "\\",
    "|",
    "`",
    "#",
    "## Kop {#kop}",
    "\0",
    "\u00a0x",
]
_LINES = st.tuples(
    st.sampled_from(["", " ", "   ", "\t", "> ", "- ", "1. ", ">> "]),
    st.one_of(st.sampled_from(_SNIPPETS), st.text(max_size=12)),
    st.sampled_from(["\n", "\r\n", "\r", ""]),
)


@settings(deadline=None)
@given(lines=st.lists(_LINES, max_size=14), mdx=st.booleans())
def test_parts_always_join_back_to_the_article(lines, mdx):
    segment("".join(prefix + body + eol for prefix, body, eol in lines), mdx=mdx)


def test_a_definitions_table_html_and_term_keep_the_list_whatever_the_translation():
    article = (
        "Appel\n:   | Naam | Kleur |\n    |---|---|\n    | Elstar | rood |\n\n"
        "Peer\n:   Tekst\n\n    <div>\n    <p>Tekst hier</p>\n    </div>\n"
    )
    parts = segment_markdown(article, dialect="mkdocs")
    assert "".join(p if isinstance(p, str) else p.source for p in parts) == article
    units = [u for u in parts if isinstance(u, Unit)]
    assert [u.text for u in units] == [
        "Appel", "Naam", "Kleur", "Elstar", "rood", "Peer", "Tekst", "Tekst hier"
    ]  # fmt: skip
    term, html = units[0], units[-1]
    assert render_unit(term, "1990. A year") == "1990\\. A year"
    assert render_unit(html, "Text\nhere") == "Text\n    here"
