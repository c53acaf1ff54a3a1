"""HTML segmentation: which text becomes a unit, what stays layout, and nothing is ever lost.

Every document here goes through ``segment``, which also checks the identity invariant: the
layout and the units' sources join back to the document byte for byte.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import polib
import pytest

from locpipe.model import Escape, Unit, UnitKind
from locpipe.segment import segment_article
from locpipe.segment.html import segment_html, tokenize

from .conftest import SEED

TITLE = UnitKind.TITLE
H = UnitKind.HEADING
P = UnitKind.PARAGRAPH
LI = UnitKind.LIST_ITEM
CELL = UnitKind.TABLE_CELL
TOC = UnitKind.TOC


def segment(text: str, **options: tuple[str, ...]) -> list[Unit]:
    """The document's units, after checking that its parts join back to the text exactly."""
    parts = segment_html(text, **options)
    assert "".join(p if isinstance(p, str) else p.source for p in parts) == text
    assert not any(isinstance(a, str) and isinstance(b, str) for a, b in pairwise(parts))
    return [part for part in parts if isinstance(part, Unit)]


def found(text: str) -> list[tuple[UnitKind, str]]:
    """(kind, msgid) of every unit in the document."""
    return [(u.kind, u.text) for u in segment(text)]


def texts(text: str) -> list[str]:
    return [u.text for u in segment(text)]


def test_a_document_keeps_every_byte_outside_its_units() -> None:
    document = (
        "\ufeff<!DOCTYPE html>\r\n<!-- export -->\r\n<html lang=nl>\r\n<head><title>Kop</title>"
        "\r\n<body>\r\n<p class='lead'  id=x>Eerste alinea\r\n<p>Tweede &amp; laatste\r\n"
        "<ul><li>een<li>twee</ul>"
    )
    article = segment_article(document.encode(), path="a.html", name="a")
    assert article.bom
    assert article.source == document[1:]
    assert [u.text for u in article.units] == [
        "Kop",
        "Eerste alinea",
        "Tweede & laatste",
        "een",
        "twee",
    ]
    # The unit is the text alone: tags, quoting and the CRLF around it are layout.
    assert article.parts[2] == "</title>\r\n<body>\r\n<p class='lead'  id=x>"


@pytest.mark.parametrize("suffix", [".html", ".htm", ".HTML"])
def test_html_and_htm_are_html(suffix: str) -> None:
    article = segment_article(b"<p>Tekst</p>", path=f"a{suffix}", name="a")
    assert [(u.kind, u.escape) for u in article.units] == [(P, Escape.HTML)]


def test_tokens_report_their_source_spans() -> None:
    text = "<p>a\n<b\n class=x>b</b><!-- c --></p>"
    spans = [text[t.start : t.end] for t in tokenize(text)]
    assert spans == ["<p>", "a\n", "<b\n class=x>", "b", "</b>", "<!-- c -->", "</p>"]


def test_units_of_a_page() -> None:
    page = """<html><head><title>VS levert ATACMS</title></head><body>
<h1>Tekort aan ATACMS</h1>
<p>De <strong>strijdkrachten</strong> hebben te maken met een
   tekort, meldt <a href="https://nyt.com">de krant</a>.</p>
<ul><li>Kyiv</li><li>Koersk</li></ul>
<table><caption>Wapens</caption><tr><th>Land<td>Verenigde Staten</table>
<figure><figcaption>Een lancering</figcaption></figure>
<blockquote><p>Geen escalatie.</p></blockquote>
<details><summary>Meer</summary></details>
<dl><dt>ATACMS</dt><dd>Een raket</dd></dl>
<button>Akkoord</button><label>Zoeken</label>
</body></html>"""
    assert found(page) == [
        (TITLE, "VS levert ATACMS"),
        (H, "Tekort aan ATACMS"),
        (
            P,
            "De <strong>strijdkrachten</strong> hebben te maken met een tekort, meldt "
            '<a href="https://nyt.com">de krant</a>.',
        ),
        (LI, "Kyiv"),
        (LI, "Koersk"),
        (UnitKind.CAPTION, "Wapens"),
        (CELL, "Land"),
        (CELL, "Verenigde Staten"),
        (UnitKind.CAPTION, "Een lancering"),
        (UnitKind.BLOCKQUOTE, "Geen escalatie."),
        (P, "Meer"),
        (LI, "ATACMS"),
        (LI, "Een raket"),
        (UnitKind.LABEL, "Akkoord"),
        (UnitKind.LABEL, "Zoeken"),
    ]


def test_a_unit_belongs_to_the_heading_before_it() -> None:
    article = segment_article(
        b"<title>Titel</title><p>Lead</p><h2>Eerste</h2><p>Een</p><h3>Tweede</h3><p>Twee</p>",
        path="a.html",
        name="a",
    )
    assert [(u.text, u.section) for u in article.units] == [
        ("Titel", None),
        ("Lead", None),
        ("Eerste", "Eerste"),
        ("Een", "Eerste"),
        ("Tweede", "Tweede"),
        ("Twee", "Tweede"),
    ]


def test_a_block_tag_never_appears_in_a_msgid() -> None:
    units = segment(
        "<div>Voor <p>midden <em>nadruk</em></p> na <div>binnen</div><section>deel</section>"
    )
    assert [u.text for u in units] == ["Voor", "midden <em>nadruk</em>", "na", "binnen", "deel"]


def test_unclosed_paragraphs_and_items_end_where_html_ends_them() -> None:
    units = segment("<ul>\n<li>een\n<li>twee <b>vet</b>\n</ul>\n<p>alinea\n<h2>kop</h2>")
    assert [(u.kind, u.text) for u in units] == [
        (LI, "een"),
        (LI, "twee <b>vet</b>"),
        (P, "alinea"),
        (H, "kop"),
    ]


@pytest.mark.parametrize(
    "html",
    [
        "<script>var t = 'Wij gebruiken cookies';</script>",
        "<style>p::before { content: 'Lees ook'; }</style>",
        "<template><p>Verborgen tekst</p></template>",
        "<svg><title>Pictogram</title><text>Kaart</text></svg>",
        "<math><mi>straal</mi></math>",
        "<pre>Bereik:  300 km\nLading: 227 kg</pre>",
        "<p><code>atacms.bereik</code></p>",
        "<p><kbd>Ctrl</kbd> <samp>fout</samp> <var>x</var></p>",
        '<div translate="no"><p>ATACMS Storm Shadow</p></div>',
        '<p class="kop notranslate">NOS Politiek</p>',
        '<p><span translate="no">ATACMS</span></p>',
        "<noscript><p>Zet JavaScript aan</p></noscript>",
    ],
)
def test_what_is_never_a_unit(html: str) -> None:
    assert texts(f"<body>{html}<p>Zichtbaar</p></body>") == ["Zichtbaar"]


def test_a_no_translate_class_is_configurable() -> None:
    html = '<p class="merk">NOS Politiek</p><p class="notranslate">Tekst</p>'
    assert [u.text for u in segment(html, no_translate_classes=("merk",))] == ["Tekst"]


def test_a_script_inside_a_paragraph_splits_it() -> None:
    units = segment("<p>Voor <script>toon('cookies')</script> na</p>")
    assert [u.text for u in units] == ["Voor", "na"]
    assert not any("script" in u.text or "cookies" in u.text for u in units)


def test_inline_tags_stay_in_the_msgid_with_code_and_no_translate_spans() -> None:
    html = (
        '<p>De <span translate="no">ATACMS</span> heeft <sup>1</sup> bereik <code>300</code>'
        '<br>km, <abbr title="niet bekend">n.b.</abbr> <mark>zie</mark> <q>dit</q> '
        '<time datetime="2024-11-21">donderdag</time> <sub>2</sub> <i>en</i> <b>zo</b></p>'
    )
    assert texts(html) == [html[3:-4]]


def test_entities_are_decoded_where_that_is_safe() -> None:
    html = "<p>Moskou &amp; Kyiv, caf&eacute; &#8364;5 &lt;b&gt; 10&nbsp;km &amp;lt; &shy;x</p>"
    assert texts(html) == ["Moskou & Kyiv, café €5 &lt;b&gt; 10&nbsp;km &amp;lt; &shy;x"]


def test_whitespace_in_text_is_collapsed_in_the_msgid() -> None:
    (unit,) = segment("<p>\n   een\n   twee\t drie\n</p>")
    assert unit.text == "een twee drie"
    assert unit.source == "een\n   twee\t drie"


def test_visible_attributes_are_units_of_their_own() -> None:
    html = (
        '<nav aria-label="Hoofdmenu"><img src=a.jpg alt="Een raket"> '
        "<input placeholder='Zoek in het nieuws'><a href=/ title=Voorpagina><img src=logo.png></a>"
        '<img alt=""><img alt="  "><div title="Tekort &amp; nood">2024</div></nav>'
    )
    units = segment(html)
    assert [(u.kind, u.text, u.escape) for u in units] == [
        (UnitKind.ATTRIBUTE, "Hoofdmenu", Escape.HTML_ATTRIBUTE),
        (UnitKind.IMAGE_ALT, "Een raket", Escape.HTML_ATTRIBUTE),
        (UnitKind.ATTRIBUTE, "Zoek in het nieuws", Escape.HTML_ATTRIBUTE),
        (UnitKind.ATTRIBUTE, "Voorpagina", Escape.HTML_ATTRIBUTE),
        (UnitKind.ATTRIBUTE, "Tekort & nood", Escape.HTML_ATTRIBUTE),
    ]
    # The quotes are the unit's, so an unquoted value can be given some on the way back.
    assert [u.source for u in units[1:4]] == ['"Een raket"', "'Zoek in het nieuws'", "Voorpagina"]


def test_page_descriptions_and_social_titles() -> None:
    head = (
        '<head><title>Raketten</title><meta name="description" content="Wat de levering betekent">'
        '<meta property="og:title" content="Raketten"><meta property=og:description content=Kort>'
        '<meta name="twitter:title" content="Raketten voor Kyiv">'
        '<meta name="twitter:description" content="Lang verhaal">'
        '<meta name="twitter:card" content="summary large image"><meta name=keywords content="a b">'
        "</head>"
    )
    assert found(head) == [
        (TITLE, "Raketten"),
        (UnitKind.DESCRIPTION, "Wat de levering betekent"),
        (TITLE, "Raketten"),
        (UnitKind.DESCRIPTION, "Kort"),
        (TITLE, "Raketten voor Kyiv"),
        (UnitKind.DESCRIPTION, "Lang verhaal"),
    ]


def test_a_table_of_contents_of_in_page_links_shares_its_headings_entries() -> None:
    html = (
        '<nav><ol><li><a href="#tekort">Tekort aan ATACMS</a></li>'
        '<li><a href="#angst">angst voor escalatie</a></li><li><a href="#weg">Elders</a></li>'
        '<li><a href="/x">Tekort aan ATACMS</a></ol></nav>'
        '<h2 id="tekort">Tekort aan ATACMS</h2><p>Een</p>'
        "<h2 id=angst>Angst voor escalatie</h2><p>Twee</p>"
    )
    units = segment(html)
    assert [(u.kind, u.text, u.notes) for u in units] == [
        (TOC, "Tekort aan ATACMS", ()),
        (TOC, "angst voor escalatie", ("table of contents entry for: Angst voor escalatie",)),
        (LI, '<a href="#weg">Elders</a>', ()),
        (LI, '<a href="/x">Tekort aan ATACMS</a>', ()),
        (H, "Tekort aan ATACMS", ()),
        (P, "Een", ()),
        (H, "Angst voor escalatie", ()),
        (P, "Twee", ()),
    ]
    assert units[0].key == units[4].key  # one PO entry, referenced from both places


def test_a_fragment_without_a_final_newline_and_with_cr_line_endings() -> None:
    units = segment("<h2>Kop</h2>\r<p>Een\rtwee &amp; drie</p>\r<p>Slot")
    assert [(u.kind, u.text, u.line) for u in units] == [
        (H, "Kop", 1),
        (P, "Een twee & drie", 2),
        (P, "Slot", 4),
    ]


def test_text_without_letters_is_layout() -> None:
    assert texts("<p>2024</p><p>&mdash;</p><td>€ 12,50</td><p><br></p>") == []


def test_the_seed_saved_as_html_cuts_as_the_text_does() -> None:
    golden = Path(__file__).resolve().parent / "golden"
    text = segment_article(SEED.read_bytes(), path="atacms.txt", name="atacms")
    page = segment_article(
        (golden / "html-seed" / "article.html").read_bytes(), path="atacms.html", name="atacms"
    )
    assert [(u.kind, u.text, u.section) for u in page.units] == [
        (u.kind, u.text, u.section) for u in text.units if u.kind is not TOC
    ]
    kinds = [u.kind for u in page.units]
    assert (kinds.count(TITLE), kinds.count(H), kinds.count(P)) == (1, 12, 14)


def test_the_project_names_its_no_translate_classes_and_visible_attributes(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from locpipe import api, load_project
    from locpipe.cli import main

    root = tmp_path / "p"
    (root / "articles/nl").mkdir(parents=True)
    (root / "articles/nl/a.html").write_text(
        '<p>Zichtbaar <span class="merk">Geheim</span> tekst.</p>\n'
        '<p class="merk">Niet vertalen.</p>\n'
        '<img src="x.png" alt="Een foto" data-tooltip="Een tip">\n',
        encoding="utf-8",
    )
    (root / "locpipe.toml").write_text(
        'source_language = "nl"\nlanguages = ["en"]\n\n[html]\n'
        'no_translate_classes = ["merk"]\nvisible_attributes = ["alt", "data-tooltip"]\n',
        encoding="utf-8",
    )
    project = load_project(root)
    assert project.segmenting.no_translate_classes == ("merk",)
    api.extract(project)
    msgids = {e.msgid for e in polib.pofile(str(root / "locales/en/a.po"))}
    assert "Een tip" in msgids and "Een foto" in msgids
    assert "Niet vertalen." not in msgids

    (root / "locpipe.toml").write_text(
        'source_language = "nl"\nlanguages = ["en"]\n\n[html]\nvisible_attributes = "alt"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["extract", "--project", str(root)])
    assert result.exit_code == 2
    assert "locpipe.toml:5: visible_attributes: must be a list" in result.stderr
