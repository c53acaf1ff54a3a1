"""Markdown dialects: each site generator's syntax is layout, the prose inside it is units.

Over the golden articles of every dialect (and the CommonMark ones): no msgid holds site
syntax, every construct's prose is a unit, and a pseudo-translation (every msgstr made
upper case and longer, as Translate Toolkit's podebug does) rebuilds an article that parses,
with the same dialect, into the same units in the same places.  Hypothesis does the same
over generated articles of each dialect.  Then the configuration: ``markdown_dialect``,
``[dialects]`` by folder, detection from the site's own configuration, and
``locpipe segments --dialect``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from locpipe.assemble import assemble_article
from locpipe.cli import main
from locpipe.errors import ConfigError
from locpipe.model import Article, UnitKind
from locpipe.project import detect_dialect, load_project
from locpipe.protect import blank_out, masked_spans
from locpipe.segment import DIALECTS, SegmentOptions, segment_article

from .conftest import write_project

GOLDEN = Path(__file__).resolve().parent / "golden"
MARKDOWN_CASES = sorted(
    path.parent.name for path in GOLDEN.glob("*/article.*") if path.suffix in (".md", ".mdx")
)
DIALECT_CASES = {
    "mkdocs": "md-mkdocs",
    "docusaurus": "md-docusaurus",
    "hugo": "md-hugo",
    "jekyll": "md-jekyll",
}
A, T, TAB = UnitKind.ATTRIBUTE, UnitKind.ADMONITION_TITLE, UnitKind.TAB_LABEL
P, L, H = UnitKind.PARAGRAPH, UnitKind.LIST_ITEM, UnitKind.HEADING


def segment(text: str, dialect: str, name: str = "article.md") -> Article:
    options = SegmentOptions(dialect=dialect)
    return segment_article(text.encode("utf-8"), path=name, name="article", options=options)


def case_article(case: str) -> tuple[str, str]:
    """A golden case's article text and the dialect its site configuration picks."""
    folder = GOLDEN / case
    (path,) = folder.glob("article.*")
    return path.read_text(encoding="utf-8"), detect_dialect(folder, folder) or "commonmark"


# What no msgid may hold, as written (attribute lists, event handlers, markers) or
# outside the spans an engine gets as placeholders (template tags, inline shortcodes).
_RAW_SYNTAX = {
    "admonition marker": re.compile(r"(?:^|\n)[ \t]*(?:!!!|\?\?\?|===|:::|///)"),
    "attribute list": re.compile(r"\{:?[ \t]*(?:[.#][\w-]+|[\w-]+=)[^{}]*\}|\{ [\w-]+ \}"),
    "event handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "link reference definition": re.compile(r"(?:^|\n) {0,3}\[[^\]]+\]:[ \t]"),
    "snippet": re.compile(r"-{1,}8<-{1,}"),
    "script": re.compile(r"<(?:script|style)\b", re.IGNORECASE),
}
_TEMPLATE_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}")


def syntax_in(msgid: str) -> list[str]:
    """The kinds of site syntax a msgid holds where a translator or engine could break it."""
    found = [name for name, pattern in _RAW_SYNTAX.items() if pattern.search(msgid)]
    visible = blank_out(msgid, masked_spans(msgid, markup="markdown"))
    if _TEMPLATE_SYNTAX.search(visible):
        found.append("shortcode or Liquid tag")
    return found


@pytest.mark.parametrize("case", MARKDOWN_CASES)
def test_no_msgid_holds_site_syntax(case: str) -> None:
    text, dialect = case_article(case)
    for unit in segment(text, dialect).units:
        assert syntax_in(unit.text) == [], (unit.line, unit.text)


def test_the_syntax_check_can_fail() -> None:
    assert syntax_in('!!! tip "Tip"') == ["admonition marker"]
    assert syntax_in("Kop { data-search-exclude }") == ["attribute list"]
    assert syntax_in("[Knop](x){ .md-button }") == ["attribute list"]
    assert syntax_in("<a onclick=\"go('x')\">ga</a>") == ["event handler"]
    assert syntax_in('[2003]: {{< ref "x" >}}') == ["link reference definition"]
    assert syntax_in("Zie {% if x %}") == []  # a placeholder: masked whole
    assert syntax_in("Zie {{ x") == ["shortcode or Liquid tag"]


# Every construct of each generator's documentation gives its prose as a unit.

EXPECTED = {
    "mkdocs": [
        (T, "Begin klein"),  # !!! tip "..."
        (P, "Kies eerst één proces waarin het algoritme weinig risico oplevert. "
            "Breid daarna stap voor stap uit."),  # its indented body is prose, not code
        (L, "Leg vast wie verantwoordelijk is."),
        (T, "Bekijk alle vereisten"),  # ??? with a macro comment as its body
        (T, "Voorbeeld uit de praktijk"),  # ???+
        (T, "Let op bij persoonsgegevens"),  # nested
        (P, "Doe eerst een gegevensbeschermingseffectbeoordeling."),
        (P, "Een notitie zonder titel."),  # !!! note ""
        (T, "Naast de tekst"),  # inline end
        (H, "Aan de slag"),  # heading with an attribute list
        (TAB, "Voor beleidsmakers"),
        (T, "Samenvatting"),  # an admonition in a tab
        (P, "Het kader volgt de levenscyclus van een algoritme."),
        (TAB, "Voor juristen"),  # ===+
        (T, "Gelukt"),  # an admonition in a list item
        (L, "Het team is compleet."),
        (P, "Meld je aan"),  # a button: the link and its attribute list are layout
        (P, "Een tekst met een kenmerk aan het eind."),  # block attribute list
        (P, "Deze tekst zweeft rechts."),  # /// html | div
        (T, "Meer over de levenscyclus"),  # /// details | ...
        (T, "Aandachtspunt"),
        (P, "Een kaart met uitleg over <strong>transparantie</strong>."),  # HTML block
        (L, '<a href="#">Open de beslishulp</a>'),  # onclick stays layout
        (P, 'Gebruik de <a href="#">beslishulp</a> om te zien welke regels voor u gelden.'),
        (P, "Waarom is dit belangrijk?"),  # <summary>
        (UnitKind.IMAGE_ALT, "Schema van de levenscyclus"),
        (A, "De zes fasen"),  # an image title
        (P, "Zie ook de [handreiking](handreiking.md)."),  # a footnote
        (P, "Een tweede alinea in de voetnoot."),
        (A, "Artificiële intelligentie"),  # *[AI]: an abbreviation's expansion
        (L, "__Snel aan de slag__"),  # a grid card: its icon and attribute list are layout
        (L, "Installeer het kader en begin met de eerste stap."),
        (UnitKind.IMAGE_ALT, "Het team aan het werk"),  # <figure markdown="span">
        (UnitKind.CAPTION, "Het team bespreekt de risico's."),
    ],
    "docusaurus": [
        (T, "Verplichte standaard"),  # :::info[...]
        (T, "Let op"),  # :::note Title
        (T, "Bewaar je sleutel veilig"),  # nested ::::tip[...]
        (TAB, "Met curl"),  # <TabItem label>
        (P, "Stuur een verzoek met je sleutel in de kop."),  # indented, not code (MDX)
        (P, "Vergeet de versie niet."),  # an admonition in a tab
        (A, "Jan de Vries, architect"),  # a prop of a multi-line tag
        (P, "Open standaarden maken samenwerking mogelijk."),  # the quote it holds
        (UnitKind.DESCRIPTION, "Alles over het ontwerpen van API's"),
        (A, "API-ontwerp"),  # heading=
        (UnitKind.LABEL, "Lees meer"),  # linkLabel=
        (P, "Hoe vraag ik een sleutel aan?"),  # <summary>
        (UnitKind.IMAGE_ALT, "Schema van de koppeling"),
        (UnitKind.CAPTION, "Zo loopt een verzoek door de keten."),
        (A, "Verder lezen"),  # a component in a list item
        (H, "Veelgestelde vragen"),  # {#faq} is layout
    ],
    "hugo": [
        (UnitKind.CAPTION, "Uitzicht over de vallei > prachtig in de ochtend"),  # quoted '>'
        (UnitKind.IMAGE_ALT, "Een groene vallei met mist"),
        (A, "Het kasteel van Bouillon"),  # a shortcode over several lines
        (A, "Foto: Anna Jansen"),
        (P, "Neem **regenkleding** mee, ook in de zomer."),  # {{% notice %}} body
        (A, "Wat kost een overnachting?"),  # summary=
        (P, "Een nacht op de camping kost ongeveer twintig euro."),
        (A, "Filmpje van de rit"),  # a shortcode in a list item
        (H, "Route"),  # {#route .kop} is layout
        (P, "Lees het [verslag van 2003][2003] en [dat van 2004][2004]."),
        (P, "Tot de volgende reis!"),  # HTML block
    ],
    "jekyll": [
        (UnitKind.CAPTION, "Het stadhuis aan de Markt"),  # {% include ... caption= %}
        (UnitKind.IMAGE_ALT, "Voorgevel van het stadhuis"),
        (H, "Openingstijden"),
        (P, "Let op: op feestdagen zijn wij gesloten."),  # inside {% if %}
        (L, "Neem uw legitimatiebewijs mee."),  # a list with an IAL after it
        (P, "Dit is een **melding** in een variabele."),  # inside {% capture %}
    ],
}  # fmt: skip
NOT_UNITS = {
    "mkdocs": ["make check", "includes/", "type: info", "float", "list_vereisten"],
    "docusaurus": ["import", "redacteuren", "value=", "@theme"],
    "hugo": ["fmt.Println", "Zo schrijf je een figuur", "verslag-2003", "figure"],
    "jekyll": ["puts", "blijft", "Een opmerking voor de redactie", "site.baseurl", "lead"],
}


@pytest.mark.parametrize("dialect", sorted(DIALECT_CASES))
def test_every_construct_is_a_unit_and_no_syntax_is(dialect: str) -> None:
    text, detected = case_article(DIALECT_CASES[dialect])
    assert detected == dialect
    units = [(unit.kind, unit.text) for unit in segment(text, dialect).units]
    missing = [pair for pair in EXPECTED[dialect] if pair not in units]
    assert missing == []
    for needle in NOT_UNITS[dialect]:
        assert not [msgid for _, msgid in units if needle in msgid], needle


@pytest.mark.parametrize("dialect", DIALECTS)
def test_reference_definitions_are_layout_but_prose_that_looks_like_one_is_not(
    dialect: str,
) -> None:
    text = (
        'Zie [het verslag][1].\n\n[1]: {{< ref "verslag" >}} "Het verslag"\n'
        "[2]: {{ site.url }}/x\n\n[Let op]: dit blijft een zin.\n\n"
        # A line that only looks like a definition, with many tags: no slow backtracking.
        f"[a]: {'{{x}}{{ ' * 2000}\n"
    )
    units = [unit.text for unit in segment(text, dialect).units]
    assert units[:2] == ["Zie [het verslag][1].", "[Let op]: dit blijft een zin."]


def test_an_indented_example_of_mkdocs_syntax_stays_code_but_a_list_items_block_does_not() -> None:
    text = (
        'Voorbeeld:\n\n    !!! note "Titel"\n        Tekst\n\n'
        '- Punt\n\n    !!! note "In de lijst"\n        Lijsttekst\n'
    )
    units = [(unit.kind, unit.text) for unit in segment(text, "mkdocs").units]
    assert units == [(P, "Voorbeeld:"), (L, "Punt"), (T, "In de lijst"), (L, "Lijsttekst")]


@pytest.mark.parametrize(
    ("dialect", "code"),
    [
        ("mkdocs", '!!! note "Titel in code"\n      Tekst in code.'),
        ("hugo", '{{< figure title="Titel in code" >}}'),
        ("jekyll", '{% include note.html title="Titel in code" %}'),
        ("docusaurus", ":::note Titel in code\n  :::"),
    ],
)
def test_site_syntax_in_a_code_fence_after_quote_or_list_markers_stays_code(
    dialect: str, code: str
) -> None:
    # A fence opened after "- " or "> " was not seen as one: the dialect's syntax in the
    # code was offered for translation.
    text = (
        f"- ```\n  {code}\n  ```\n\n"
        + "> Citaat:\n>\n> ```\n"
        + "".join(f"> {line.strip()}\n" for line in code.split("\n"))
        + "> ```\n\nEinde.\n"
    )
    units = [(unit.kind, unit.text) for unit in segment(text, dialect).units]
    assert units == [(UnitKind.BLOCKQUOTE, "Citaat:"), (P, "Einde.")]
    assert segment(text, dialect).source == text


def test_a_fence_left_open_in_a_list_item_ends_with_the_item_and_inline_code_opens_none() -> None:
    # CommonMark ends the code with its list item (a line indented less than the item's
    # text, or out of its quote): the syntax after it is found again.
    text = (
        "- ```\n  code\nNa de lijst.\n\n:::note Erna\nTekst.\n:::\n\n"
        "> - ```\n>   code\n\n:::tip Ook erna\nMeer.\n:::\n\n"
        # Inline code, not a fence: a fence's info string holds no backtick.
        "```npm``` eerst.\n\n:::info Daarna\nKlaar.\n:::\n"
    )
    units = [(unit.kind, unit.text) for unit in segment(text, "docusaurus").units]
    assert units == [
        (P, "Na de lijst."),
        (UnitKind.ADMONITION_TITLE, "Erna"),
        (P, "Tekst."),
        (UnitKind.ADMONITION_TITLE, "Ook erna"),
        (P, "Meer."),
        (P, "```npm``` eerst."),
        (UnitKind.ADMONITION_TITLE, "Daarna"),
        (P, "Klaar."),
    ]


def test_the_same_article_as_commonmark_misses_what_the_dialect_finds() -> None:
    text, _ = case_article("md-mkdocs")
    commonmark = {unit.text for unit in segment(text, "commonmark").units}
    assert "Begin klein" not in commonmark
    assert any(msgid.startswith('!!! tip "Begin klein"') for msgid in commonmark)


def test_the_readme_examples_give_the_units_they_name() -> None:
    readme = (GOLDEN.parents[1] / "README.md").read_text(encoding="utf-8")
    example = re.compile(r"```(?:markdown|mdx)\n<!-- (\w+): units (.*?) -->\n(.*?)```", re.S)
    found = example.findall(readme)
    assert sorted(dialect for dialect, _, _ in found) == sorted(DIALECT_CASES)
    for dialect, named, text in found:
        units = [unit.text for unit in segment(text, dialect).units]
        assert units == re.findall(r'"([^"]*)"', named), dialect


# Pseudo-translation: every msgstr longer and upper case; the structure must survive.

_LONGER = " ~ ŁØŅĠËŘ ŦËẊŦ"


def pseudo(msgid: str) -> str:
    """The msgid upper case outside the spans an engine must keep, and longer."""
    spans = masked_spans(msgid, markup="markdown")
    out, position = [], 0
    for span in spans:
        out.append(msgid[position : span.start].upper())
        out.append(msgid[span.start : span.end])
        position = span.end
    out.append(msgid[position:].upper())
    return "".join(out) + _LONGER


def assert_structure_survives(text: str, dialect: str, name: str = "article.md") -> None:
    """A pseudo-translated build, segmented again, has the same units in the same order."""
    article = segment(text, dialect, name)
    translations = {unit.key: pseudo(unit.text) for unit in article.units}
    built = assemble_article(article, translations).text
    again = segment(built, dialect, name)
    before = [(unit.kind, translations[unit.key]) for unit in article.units]
    after = [(unit.kind, unit.text) for unit in again.units]
    assert after == before, built
    # And the identity round trip gives back the bytes.
    identity = {unit.key: unit.text for unit in article.units}
    assert assemble_article(article, identity).text == text


@pytest.mark.parametrize("case", MARKDOWN_CASES)
def test_a_pseudo_translation_keeps_the_structure_of_every_golden_article(case: str) -> None:
    text, dialect = case_article(case)
    (path,) = (GOLDEN / case).glob("article.*")
    assert_structure_survives(text, dialect, path.name)


# Generated articles of each dialect

_WORDS = [
    "de", "regering", "Kyiv", "één", "coördinatie", "financiën", "Zeeuws-Vlaanderen", "zo'n",
    "tekort", "strijdkrachten", "café", "2024", "50%", "werkelijkheid", "en", "niet", "wij",
]  # fmt: skip
_ENDS = ["", ".", ",", "!", "?", ":"]
sentence = st.builds(
    lambda words, end: " ".join(words).capitalize() + end,
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=9),
    st.sampled_from(_ENDS),
)
title = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4).map(" ".join)


def _indent(block: str, spaces: int) -> str:
    return "\n".join(" " * spaces + line if line else line for line in block.split("\n"))


def _prose_blocks() -> st.SearchStrategy[str]:
    """Blocks every dialect shares: paragraphs, lists, headings, quotes, tables, HTML."""
    return st.one_of(
        sentence,
        st.builds(lambda a, b: f"{a}\n{b}", sentence, sentence),
        st.builds(lambda t: f"## {t}", title),
        st.lists(sentence, min_size=1, max_size=3).map(
            lambda items: "\n".join(f"- {item}" for item in items)
        ),
        sentence.map(lambda s: f"> {s}"),
        st.builds(lambda a, b: f"| {a} | x |\n| --- | --- |\n| {b} | 1 |", title, title),
        sentence.map(lambda s: f"<p>{s}</p>"),
        st.builds(lambda a, b: f'![{a}](a.png "{b}")', title, title),
        st.builds(lambda a, b: f"[{a}](x.md) {b}", title, sentence),
        st.builds(
            lambda a, b: f'Zie <a href="#" onclick="f(\'{a}\')">{a}</a>\n{b}', title, sentence
        ),
    )


def _mkdocs_blocks(depth: int) -> st.SearchStrategy[str]:
    inner = _prose_blocks() if depth == 0 else _mkdocs_blocks(depth - 1)
    body = st.lists(inner, min_size=1, max_size=3).map("\n\n".join)
    marker = st.sampled_from(["!!! note", "??? tip", "???+ example", "!!! info inline end"])
    return st.one_of(
        _prose_blocks(),
        st.builds(lambda m, t, b: f'{m} "{t}"\n\n{_indent(b, 4)}', marker, title, body),
        st.builds(lambda m, b: f"{m}\n{_indent(b, 4)}", marker, body),
        st.builds(lambda t, b: f'=== "{t}"\n\n{_indent(b, 4)}', title, body),
        st.builds(lambda t, b: f"/// details | {t}\n    type: info\n\n{b}\n///", title, body),
        st.builds(lambda t: f"## {t} {{ #kop .klein }}", title),
        st.builds(lambda s: f"{s}\n{{ .lead }}", sentence),
        st.builds(lambda t: f"[{t}](x.md){{ .md-button }}", title),
        st.just('--8<-- "includes/a.md"'),
        st.builds(lambda s, b: f"- {s}\n\n    !!! note\n{_indent(b, 8)}", sentence, body),
    )


def _docusaurus_blocks(depth: int) -> st.SearchStrategy[str]:
    inner = _prose_blocks() if depth == 0 else _docusaurus_blocks(depth - 1)
    body = st.lists(inner, min_size=1, max_size=3).map("\n\n".join)
    kind = st.sampled_from(["note", "tip", "info", "warning"])
    # Docusaurus closes an admonition at the first fence of as many colons or more: one that
    # holds another takes more colons than the one inside.
    fence = ":" * (3 + depth)
    return st.one_of(
        _prose_blocks(),
        st.builds(lambda k, t, b: f"{fence}{k}[{t}]\n\n{b}\n\n{fence}", kind, title, body),
        st.builds(lambda k, t, b: f"{fence}{k} {t}\n{b}\n{fence}", kind, title, body),
        st.builds(
            lambda t, b: (
                f'<Tabs>\n  <TabItem value="a" label="{t}">\n{_indent(b, 4)}\n  </TabItem>\n</Tabs>'
            ),
            title,
            body,
        ),
        st.builds(
            lambda t, b: f'<Blockquote\n  attribution="{t}"\n>\n{_indent(b, 2)}\n</Blockquote>',
            title,
            body,
        ),
        st.builds(lambda a, b: f'<Card heading="{a}" linkLabel="{b}" />', title, title),
        st.just("{/* opmerking */}"),
    )


def _template_blocks(depth: int, dialect: str) -> st.SearchStrategy[str]:
    inner = _prose_blocks() if depth == 0 else _template_blocks(depth - 1, dialect)
    body = st.lists(inner, min_size=1, max_size=3).map("\n\n".join)
    if dialect == "hugo":
        tags = st.one_of(
            st.builds(
                lambda a, b: f'{{{{< figure src="a.jpg" caption="{a} > {b}" alt="{b}" >}}}}',
                title,
                title,
            ),
            st.builds(lambda a: f'{{{{< figure\n  src="a.jpg"\n  title="{a}"\n>}}}}', title),
        )
        pair = st.builds(lambda b: f"{{{{% notice tip %}}}}\n{b}\n{{{{% /notice %}}}}", body)
        reference = st.just('[1]: {{< ref "x" >}}')
    else:
        tags = st.builds(lambda a: f'{{% include figure.html caption="{a}" %}}', title)
        pair = st.builds(lambda b: f"{{% if page.x %}}\n{b}\n{{% endif %}}", body)
        reference = st.just("[1]: {{ site.url }}/x")
    return st.one_of(
        _prose_blocks(),
        tags,
        pair,
        reference,
        st.builds(lambda s: f'{s} {{{{< ref "x" >}}}}.', sentence),
        st.just("{% raw %}\n{{ niet vertalen }}\n{% endraw %}"),
    )


_GENERATED = {
    "commonmark": st.lists(_prose_blocks(), min_size=1, max_size=6),
    "mkdocs": st.lists(_mkdocs_blocks(2), min_size=1, max_size=6),
    "docusaurus": st.lists(_docusaurus_blocks(2), min_size=1, max_size=6),
    "hugo": st.lists(_template_blocks(1, "hugo"), min_size=1, max_size=6),
    "jekyll": st.lists(_template_blocks(1, "jekyll"), min_size=1, max_size=6),
}
_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("dialect", DIALECTS)
def test_generated_articles_round_trip_and_keep_their_structure(dialect: str) -> None:
    seen: list[int] = []

    @_SETTINGS
    @given(blocks=_GENERATED[dialect], eol=st.sampled_from(["\n", "\r\n"]))
    def check(blocks: list[str], eol: str) -> None:
        seen.append(1)
        text = ("\n\n".join(blocks) + "\n").replace("\n", eol)
        article = segment(text, dialect)
        for unit in article.units:
            assert syntax_in(unit.text) == [], unit.text
        assert_structure_survives(text, dialect)

    check()
    assert len(seen) >= 50  # the property ran, not just its first example


_SYNTAX_LINES = [
    '!!! note "Titel"', "??? tip", '=== "Tab"', "/// details | Meer", "///", "    type: info",
    '--8<-- "a.md"', "--8<--", ":::note Let op", ":::info[Titel]", ":::",
    '<TabItem label="Een" value="x">', "</TabItem>", '<Card heading="Kop"', '  linkLabel="Lees"',
    "/>", ">", "{/* x */}", "{", "}", '{{< figure caption="a > b" >}}', "{{< figure",
    '  title="Titel"', ">}}", "{{% notice %}}", "{{% /notice %}}", "{% if x %}", "{% endif %}",
    "{% raw %}", "{% endraw %}", "{{ site.x }}", "{: .lead }", "{ .x }", "{::comment}",
    "{:/comment}", '[1]: {{< ref "x" >}}', "[^1]: Noot.", "Tekst hier.", "## Kop { #a }",
    "```", "<p>Para <b>x</b></p>", "<div>", '![alt](a.png "Titel")', '<a onclick="x()">y</a> z',
    "| a | b |", "| - | - |", "", "    ingesprongen tekst", "\t!!! note \"T\"",
]  # fmt: skip
_SYNTAX_LINE = st.tuples(
    st.sampled_from(["", "  ", "    ", "- ", "> ", "1. ", "\t"]),
    st.one_of(st.sampled_from(_SYNTAX_LINES), st.text(max_size=8)),
    st.sampled_from(["\n", "\r\n", "\r", ""]),
)


@_SETTINGS
@given(
    lines=st.lists(_SYNTAX_LINE, max_size=16),
    dialect=st.sampled_from(DIALECTS),
    name=st.sampled_from(["a.md", "a.mdx"]),
)
def test_any_mix_of_site_syntax_cuts_into_parts_that_join_back(
    lines: list[tuple[str, str, str]], dialect: str, name: str
) -> None:
    text = "".join(prefix + body + eol for prefix, body, eol in lines).replace("\0", "")
    data = text.encode("utf-8", "surrogatepass")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return  # lone surrogates: refused as invalid UTF-8 elsewhere
    options = SegmentOptions(dialect=dialect)
    assert segment_article(data, path=name, name="a", options=options).source == text


# Configuration


def _project(tmp_path: Path, extra: str = "") -> Path:
    root = write_project(tmp_path / "site")
    with (root / "locpipe.toml").open("a", encoding="utf-8") as config:
        config.write(extra)
    return root


@pytest.mark.parametrize(
    ("files", "dialect"),
    [
        ({"docusaurus.config.ts": "export default {};"}, "docusaurus"),
        ({"mkdocs.yml": "site_name: x\nmarkdown_extensions:\n  - admonition\n"}, "mkdocs"),
        ({"hugo.toml": 'baseURL = "https://x.nl/"\n'}, "hugo"),
        ({"config.toml": 'baseURL = "https://x.nl/"\ntheme = "ananke"\n'}, "hugo"),
        ({"config.toml": "[tool]\nname = 'not a site'\n"}, "commonmark"),
        ({"_config.yml": "title: Nieuws\n"}, "jekyll"),
        ({}, "commonmark"),
    ],
)
def test_the_dialect_is_detected_from_the_sites_configuration(
    tmp_path: Path, files: dict[str, str], dialect: str
) -> None:
    root = _project(tmp_path)
    for name, content in files.items():
        (root / name).write_text(content, encoding="utf-8")
    assert load_project(root).segmenting.dialect == dialect


def test_the_nearest_configuration_wins_and_the_setting_beats_detection(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "_config.yml").write_text("title: x\n", encoding="utf-8")
    (root / "articles" / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    assert load_project(root).segmenting.dialect == "mkdocs"
    config = (root / "locpipe.toml").read_text(encoding="utf-8")
    (root / "locpipe.toml").write_text(f'markdown_dialect = "hugo"\n{config}', encoding="utf-8")
    assert load_project(root).segmenting.dialect == "hugo"


def test_folders_can_have_their_own_dialect(tmp_path: Path) -> None:
    root = _project(tmp_path, '\n[dialects]\n"docs" = "mkdocs"\n"docs/blog" = "hugo"\n')
    for folder in ("docs/blog", "docs/api"):
        (root / "articles" / "nl" / folder).mkdir(parents=True)
        (root / "articles" / "nl" / folder / "a.md").write_text("x\n", encoding="utf-8")
    project = load_project(root)
    dialects = {files.name: project.segment_options(files).dialect for files in project.articles()}
    assert dialects == {"docs/blog/a": "hugo", "docs/api/a": "mkdocs"}


@pytest.mark.parametrize(
    ("extra", "message", "line"),
    [
        ('markdown_dialect = "gatsby"\n', "markdown_dialect: must be one of commonmark", 1),
        ("\n[dialects]\nblog = 3\n", "dialects: blog: must be one of commonmark", 8),
        ('\n[dialects]\n"../x" = "hugo"\n', "must be a folder under the articles folder", 8),
    ],
)
def test_a_bad_dialect_setting_is_one_clear_error(
    tmp_path: Path, extra: str, message: str, line: int
) -> None:
    root = _project(tmp_path)
    config = (root / "locpipe.toml").read_text(encoding="utf-8")
    text = extra + config if extra.startswith("markdown") else config + extra
    (root / "locpipe.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_project(root)
    assert message in str(caught.value)
    assert caught.value.line == line


def test_segments_uses_the_sites_dialect_or_the_one_asked_for(tmp_path: Path) -> None:
    site = tmp_path / "docs"
    site.mkdir()
    article = site / "a.md"
    article.write_text('!!! tip "Goede tip"\n    Tekst in de tip.\n', encoding="utf-8")
    runner = CliRunner()
    plain = runner.invoke(main, ["segments", str(article)])
    assert plain.exit_code == 0
    assert "admonition title" not in plain.stdout
    (site / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    detected = runner.invoke(main, ["segments", str(article)])
    assert "admonition title" in detected.stdout
    assert "Tekst in de tip." in detected.stdout
    asked = runner.invoke(main, ["segments", "--dialect", "commonmark", str(article)])
    assert asked.stdout == plain.stdout


def test_segments_uses_the_dialect_of_the_project_the_file_belongs_to(tmp_path: Path) -> None:
    root = _project(tmp_path, '\n[dialects]\n"blog" = "docusaurus"\n')
    (root / "articles" / "nl" / "blog").mkdir()
    article = root / "articles" / "nl" / "blog" / "a.md"
    article.write_text(":::note[Let op]\nTekst.\n:::\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["segments", "--format", "json", str(article)])
    assert result.exit_code == 0
    assert '"kind": "admonition title"' in result.stdout


def test_extract_offers_the_prose_of_the_dialect(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    (root / "articles" / "nl" / "a.md").write_text(
        '??? expander "Bekijk alle vereisten"\n    Zeven vereisten gelden altijd.\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["extract", "--project", str(root)])
    assert result.exit_code == 0, result.output
    template = (root / "locales" / "templates" / "a.pot").read_text(encoding="utf-8")
    assert 'msgid "Bekijk alle vereisten"' in template
    assert 'msgid "Zeven vereisten gelden altijd."' in template
    assert "???" not in template
