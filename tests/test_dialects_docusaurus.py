"""Docusaurus's own MDX compiler judges the Docusaurus dialect: a pseudo-translated build
compiles into the element tree of its source.

``tests/docusaurus/judge.cjs`` compiles Markdown with ``@docusaurus/mdx-loader``'s own
``compileToJSX`` (the loader's preprocessing of MDX 1's heading ids and admonition titles,
then its MDX processor: remark-directive admonitions, GFM, heading ids, details, images),
with Docusaurus 3's defaults (``.md`` read as MDX), and prints the tree rehype holds: HTML
elements, JSX components, expressions and ESM, with their attributes and text.  The trees
of a source and of its pseudo-translated build must be equal, text and the values of the
attributes that carry text aside; and the build must show no Dutch outside code and no
pseudo-translated text inside it, so prose locpipe missed and code it offered both fail.
One Node process serves the whole module; ``scripts/test`` installs the pinned packages
(``tests/docusaurus/package-lock.json``).

The cases at the end are what the judge found locpipe reading differently from Docusaurus.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from locpipe.assemble import assemble_article
from locpipe.model import UnitKind

from .complexity import assert_lines_grow_linearly
from .test_dialects import (
    _GENERATED,
    DIALECT_CASES,
    GOLDEN,
    _docusaurus_blocks,
    _indent,
    segment,
    sentence,
    title,
)
from .test_dialects_real_parsers import pseudo_build
from .test_properties import SETTINGS
from .test_pseudo import dialect_front_matter

JUDGE = Path(__file__).resolve().parent / "docusaurus"
# Attributes and JSX props whose value is text a reader sees: the visible list the README
# documents for Docusaurus and the default [html] visible attributes (as HTML and as the
# hast property names).  An admonition's title is a title attribute in the tree.
TEXT_ATTRIBUTES = frozenset(
    {"alt", "title", "aria-label", "ariaLabel", "placeholder", "caption", "description"}
    | {"heading", "label", "linkLabel", "attribution"}
)
# A one-pixel PNG: Docusaurus reads the size of every Markdown image it compiles.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478"
    "da63f8cfc0f01f0005000201a5b1f3a70000000049454e44ae426082"
)


class DocusaurusJudge:
    """One Node process that compiles documents as Docusaurus does, one JSON line each."""

    def __init__(self, site: Path) -> None:
        node = shutil.which("node")
        if node is None or not (JUDGE / "node_modules" / "@docusaurus" / "mdx-loader").is_dir():
            pytest.fail("Node and tests/docusaurus/node_modules are missing: run ./scripts/test")
        (site / "docs").mkdir(parents=True)
        (site / "docs" / "a.png").write_bytes(PIXEL)
        self._log: IO[str] = (site / "judge.log").open("w+", encoding="utf-8")
        self._process = subprocess.Popen(
            [node, JUDGE / "judge.cjs", site],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            encoding="utf-8",
        )

    def compile(self, text: str, name: str = "article.md") -> dict[str, Any]:
        """What Docusaurus compiles the document to: its tree, or the error it refuses with."""
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps({"path": f"docs/{name}", "text": text}) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            self._log.seek(0)
            pytest.fail(f"the Docusaurus judge stopped: {self._log.read()}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        """End the Node process."""
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.close()
        self._process.wait(timeout=30)
        self._process.stdout.close()
        self._log.close()


@pytest.fixture(scope="module")
def judge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DocusaurusJudge]:
    judge = DocusaurusJudge(tmp_path_factory.mktemp("docusaurus"))
    yield judge
    judge.close()


def structure(node: Any) -> Any:
    """The judge's tree with its text and the values of text-carrying attributes left out."""
    if not isinstance(node, list):
        return node
    if len(node) == 4 and node[0] in ("element", "jsx"):
        kind, name, attributes, children = node
        kept = [
            [key, None if key in TEXT_ATTRIBUTES and isinstance(value, str) else value]
            for key, value in attributes
        ]
        return [kind, name, kept, [structure(child) for child in children if not _text(child)]]
    return [structure(child) for child in node if not _text(child)]


def _text(node: Any) -> bool:
    return isinstance(node, list) and len(node) == 2 and node[0] == "text"


def front_matter_shape(value: Any) -> Any:
    """The front matter's keys and nesting, its strings left out."""
    if isinstance(value, dict):
        return {key: front_matter_shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [front_matter_shape(item) for item in value]
    return None if isinstance(value, str) else value


def compiled_structure(judge: DocusaurusJudge, text: str, name: str) -> tuple[Any, Any]:
    """The structure Docusaurus compiles the document to; a refusal fails the test."""
    answer = judge.compile(text, name)
    assert "error" not in answer, f"{answer['error']}\n{text}"
    return structure(answer["tree"]), front_matter_shape(answer["frontMatter"])


# Letters a pseudo-translation leaves alone: the source's own, Dutch as written.
_UNTRANSLATED = re.compile(r"[A-Za-z]")
_CODE = frozenset({"code", "pre"})


def left_untranslated(tree: Any) -> list[str]:
    """What a pseudo-translated build still shows in Dutch, and code it translated.

    A reader sees text outside code and the values of text-carrying attributes; every letter
    of those is accented in a pseudo-translation, and no code is.  Left out: a bare URL (its
    text is its link), and what GFM writes itself around footnotes, in English.  A link's
    title is left out too: it stays inside its paragraph's unit, masked from engines with
    the destination, so a pseudo-translation keeps it as written.
    """
    found: list[str] = []

    def walk(nodes: list[Any], *, code: bool, footnotes: bool, href: object = None) -> None:
        for node in nodes:
            if node[0] == "text":
                if code and "⟦" in node[1]:
                    found.append(f"code translated: {node[1]!r}")
                elif not code and node[1] != href and _UNTRANSLATED.search(node[1]):
                    found.append(f"text: {node[1]!r}")
            elif node[0] in ("element", "jsx"):
                _, name, attributes, children = node
                properties = dict(attributes)
                for key, value in attributes:
                    skip = (name == "a" and key == "title") or (footnotes and key == "ariaLabel")
                    untranslated = isinstance(value, str) and _UNTRANSLATED.search(value)
                    if key in TEXT_ATTRIBUTES and untranslated and not skip:
                        found.append(f"{name} {key}: {value!r}")
                if footnotes and name == "h2":
                    continue  # GFM's "Footnotes" label
                walk(
                    children,
                    code=code or name in _CODE,
                    footnotes=footnotes or "dataFootnotes" in properties,
                    href=properties.get("href"),
                )
            elif node[0] == "root":
                walk(node[1], code=code, footnotes=footnotes)

    walk(tree, code=False, footnotes=False)
    return found


def assert_docusaurus_structure_survives(
    judge: DocusaurusJudge, text: str, name: str = "article.md"
) -> None:
    """A pseudo-translated build compiles to the source's structure, with no Dutch left."""
    source = compiled_structure(judge, text, name)
    built = pseudo_build(text, "docusaurus", name)
    answer = judge.compile(built, name)
    assert "error" not in answer, f"{answer['error']}\n{built}"
    shape = structure(answer["tree"]), front_matter_shape(answer["frontMatter"])
    assert shape == source, built
    assert left_untranslated(answer["tree"]) == [], built


def test_the_structure_sees_components_attributes_and_nesting_but_not_text(
    judge: DocusaurusJudge,
) -> None:
    def seen(text: str) -> tuple[Any, Any]:
        return compiled_structure(judge, text, "a.md")

    assert seen('<Card heading="Kop" />\n\nEen *zin*.\n') == seen(
        '<Card heading="Ḱöƥ" />\n\nẊ *ŷ* ż.\n'
    )
    assert seen(":::tip[Titel]\nTekst.\n:::\n") == seen(":::tip[Ŧ]\nŦëẋŧ.\n:::\n")
    assert seen(":::tip\nTekst.\n:::\n") != seen(":::note\nTekst.\n:::\n")
    assert seen('<Card value="a" />\n') != seen('<Card value="b" />\n')
    assert seen("## Kop {#kop}\n") != seen("## Kop {#andere}\n")
    assert seen("## Kop\n") == seen("## Andere kop\n")  # an id slugged from the words
    assert seen("- a\n") != seen("- a\n- b\n")


def test_the_untranslated_check_sees_dutch_text_and_props_and_translated_code(
    judge: DocusaurusJudge,
) -> None:
    def found(text: str) -> list[str]:
        return left_untranslated(judge.compile(text)["tree"])

    assert found('⟦Žíñ⟧ `⟦çóďé⟧`\n\n<Card heading="Kop" />\n\nEen zin[^1].\n\n[^1]: ⟦Ñóóţ⟧\n') == [
        "code translated: '⟦çóďé⟧'",
        "Card heading: 'Kop'",
        "text: 'Een zin'",
    ]
    assert found("⟦Žíé⟧ https://x.nl `code` [⟦ĺíñķ⟧](x.md 'Titel').\n") == []


def test_the_judge_reads_md_as_docusaurus_3_does(judge: DocusaurusJudge) -> None:
    # Indented prose is a paragraph, not code; an unclosed tag is an error, as in MDX.
    ((_, (paragraph, _toc)),) = judge.compile("    Geen code.\n")["tree"]
    assert paragraph == ["element", "p", [], [["text", "Geen code."]]]
    assert "Expected a closing tag" in judge.compile("<div>\n\nTekst.\n")["error"]


def test_the_golden_docusaurus_article_compiles_with_the_same_structure(
    judge: DocusaurusJudge,
) -> None:
    text = (GOLDEN / DIALECT_CASES["docusaurus"] / "article.md").read_text(encoding="utf-8")
    tree = json.dumps(judge.compile(text)["tree"])
    # The compiler read the constructs: admonitions, tabs, components, an explicit id.
    for sign in ('"admonition"', '"TabItem"', '"Blockquote"', '"Card"', '["id", "faq"]'):
        assert sign in tree
    assert_docusaurus_structure_survives(judge, text)


@pytest.mark.parametrize(
    ("case", "name"), [("md-docusaurus", "article.md"), ("mdx-components", "article.mdx")]
)
def test_the_golden_translations_compile_with_the_structure_of_their_source(
    judge: DocusaurusJudge, case: str, name: str
) -> None:
    # The expected localized articles, built from the golden cases' real translations.
    source = (GOLDEN / case / name).read_text(encoding="utf-8")
    expected = (GOLDEN / case / name.replace("article", "expected")).read_text(encoding="utf-8")
    assert compiled_structure(judge, expected, name) == compiled_structure(judge, source, name)


def test_the_readmes_docusaurus_example_compiles_with_the_same_structure(
    judge: DocusaurusJudge,
) -> None:
    readme = (GOLDEN.parents[1] / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```mdx\n<!-- docusaurus: units .*? -->\n(.*?)```", readme, re.S)
    assert_docusaurus_structure_survives(judge, example)


def test_the_golden_mdx_article_compiles_with_the_same_structure(judge: DocusaurusJudge) -> None:
    text = (GOLDEN / "mdx-components" / "article.mdx").read_text(encoding="utf-8")
    assert_docusaurus_structure_survives(judge, text, "article.mdx")


@SETTINGS
@given(front=dialect_front_matter("docusaurus"), blocks=_GENERATED["docusaurus"])
def test_generated_docusaurus_documents_compile_with_the_same_structure(
    judge: DocusaurusJudge, front: str, blocks: list[str]
) -> None:
    assert_docusaurus_structure_survives(judge, front + "\n\n".join(blocks) + "\n")


# Docusaurus's constructs the shared generator leaves out, as format strings and the
# strategies that fill them: S a sentence, W a few words, B blocks of the shared generator.
S, W = sentence, title
B = st.lists(_docusaurus_blocks(1), min_size=1, max_size=2).map("\n\n".join)
_MORE_FORMS: list[tuple[str, *tuple[st.SearchStrategy[str], ...]]] = [
    ("## {} {{#kop-een}}", W),
    (
        '<Tabs>\n  <TabItem value="b" label="{}">\n\n    ```js title="a.js"\n'
        "    const a = 1;\n    ```\n\n  </TabItem>\n</Tabs>",
        W,
    ),
    (":::tip[{}]\n\n```bash\nnpm run start\n```\n\n:::", W),
    ('{} <Highlight color="#25c2a0">{}</Highlight> {}', S, W, S),
    ('<div className="kaart">\n\n{}\n\n</div>', B),
    ('<Kaart image={{require("./a.png").default}} titel="{}">\n  {}\n</Kaart>', W, S),
    ('<Card\n  heading="{}"\n  description="{}"\n/>', W, S),
    ("{} {{props.naam}}", S),
    ("    {}", S),  # indented: MDX has no indented code
    ("<!-- een opmerking -->",),
    ("{} `fetch` {}", S, S),
    ("{}<br />\n{}", S, S),
    ("**{0}** en _{1}_ &amp; {0}&nbsp;!", W, W),
    ("<b>{}</b> {}", W, S),
    ("<div>{}</div> {}", W, S),
    ("{}\n---\n\n{}", W, S),
    ("1. {}\n   - {}\n   - {}", S, S, S),
    ("> - {}\n> - {}", S, S),
    ("- [ ] {}\n- [x] {}", S, S),
    ("{}[^1]\n\n[^1]: Een voetnoot.", S),
    ("Zie https://example.org en {}", S),
    ('<Foo title="{}">{}</Foo>', W, S),
    ("  <Foo><b>{}</b></Foo>\n\n{}", W, S),
    ("> {1}\n>\n> :::tip[{0}]\n> {1}\n> :::", W, S),
    # Fences of more colons than those of the admonitions the body may hold.
    (':::::note{{title="{}"}}\n{}\n:::::', W, B),
    ("<Foo>\n    {}\n    - {}\n    ## {}\n</Foo>", S, W, W),
    ('> <Foo>\n> {}\n> </Foo>\n\n> <Card heading="{}" />', S, W),
    ('- {}\n- <Card heading="{}" />\n- <Foo>\n    {}\n  </Foo>', S, W, S),
]


def _details(summary: str, body: str) -> str:
    return f"<details>\n  <summary>{summary}</summary>\n\n{_indent(body, 2)}\n\n</details>"


def _more_docusaurus_blocks() -> st.SearchStrategy[str]:
    """What Docusaurus's documentation shows that the shared generator leaves out."""
    return st.one_of(
        *(st.builds(form.format, *parts) for form, *parts in _MORE_FORMS),
        st.builds(_details, W, B),
        # Admonitions, tabs and components in list items.
        st.builds(lambda s, b: f"- {s}\n\n{_indent(b, 2)}", S, B),
        st.builds(lambda s, b: f"1. {s}\n\n{_indent(b, 3)}\n\n2. {s}", S, B),
    )


# ESM declares its names once per module: one import, at most, opens the document.
_IMPORT = st.sampled_from(["", "import Kaart from '@site/src/components/Kaart';\n\n"])


@SETTINGS
@given(
    front=dialect_front_matter("docusaurus"),
    imports=_IMPORT,
    blocks=st.lists(
        st.one_of(_docusaurus_blocks(2), _more_docusaurus_blocks()), min_size=1, max_size=6
    ),
)
def test_more_of_docusaurus_compiles_with_the_same_structure(
    judge: DocusaurusJudge, front: str, imports: str, blocks: list[str]
) -> None:
    assert_docusaurus_structure_survives(judge, front + imports + "\n\n".join(blocks) + "\n")


# What the judge found where locpipe's MDX reading differed from Docusaurus's


def test_a_list_indented_under_a_component_is_a_list_of_items(judge: DocusaurusJudge) -> None:
    # MDX has no indented code, so a marker four columns in starts an item; markdown-it's
    # CommonMark rule read "- b" as the continuation of item a, one unit for two items.
    text = '<Tabs>\n  <TabItem value="a" label="Een">\n    - Eerste\n    - Tweede\n  </TabItem>\n'
    text += "</Tabs>\n"
    units = [unit.text for unit in segment(text, "docusaurus").units]
    assert units == ["Een", "Eerste", "Tweede"]
    assert_docusaurus_structure_survives(judge, text)


@pytest.mark.parametrize("dialect", ["docusaurus", "hugo", "jekyll", "mkdocs", "commonmark"])
def test_a_tasks_checkbox_is_layout(dialect: str, judge: DocusaurusJudge) -> None:
    # GFM reads "[ ] " opening an item's first paragraph as a checkbox; inside the msgid, a
    # translation that put anything before it turned every task into text.
    text = "- [ ] Eerste taak\n- [x] Tweede taak\n\n  [ ] Geen taak meer\n"
    units = [unit.text for unit in segment(text, dialect).units]
    assert units == ["Eerste taak", "Tweede taak", "[ ] Geen taak meer"]
    if dialect == "docusaurus":
        assert_docusaurus_structure_survives(judge, text)


P, L, H, Q = UnitKind.PARAGRAPH, UnitKind.LIST_ITEM, UnitKind.HEADING, UnitKind.BLOCKQUOTE
T, A, C = UnitKind.ADMONITION_TITLE, UnitKind.ATTRIBUTE, UnitKind.TABLE_CELL


def assert_offered(judge: DocusaurusJudge, text: str, units: list[tuple[UnitKind, str]]) -> None:
    """locpipe offers these units, and Docusaurus compiles their pseudo-translation alike."""
    assert [(unit.kind, unit.text) for unit in segment(text, "docusaurus").units] == units
    assert_docusaurus_structure_survives(judge, text)


def test_an_element_alone_on_its_line_offers_only_its_text(judge: DocusaurusJudge) -> None:
    # MDX reads <Tag>text</Tag> alone on a line as a block holding the text; with the tags
    # in the msgid, a translation that wrote past them made it a paragraph.
    text = (
        '<Foo title="Een kop">Tekst erin.</Foo>\n\n  <Foo><span>Binnen.</span></Foo>\n\n'
        "<Foo>Tekst</Foo> en meer.\n\n<Foo>Een <Foo>twee</Foo></Foo>\n"
    )
    units = [unit.text for unit in segment(text, "docusaurus").units]
    assert units == [
        "Een kop",
        "Tekst erin.",
        "Binnen.",
        "<Foo>Tekst</Foo> en meer.",  # inline: the paragraph holds the element
        "<Foo>Een <Foo>twee</Foo></Foo>",  # which tag closes which is left to the parser
    ]
    assert_docusaurus_structure_survives(judge, text.rsplit("\n\n", 1)[0] + "\n")


def test_an_admonition_title_written_as_an_attribute_is_a_unit(judge: DocusaurusJudge) -> None:
    text = ':::note{title="Een &quot;titel&quot;"}\nTekst.\n:::\n'
    assert_offered(judge, text, [(T, 'Een "titel"'), (P, "Tekst.")])
    article = segment(text, "docusaurus")
    translations = {unit.key: f'{unit.text} "vertaald"' for unit in article.units}
    built = assemble_article(article, translations).text
    assert built.startswith(':::note{title="Een &quot;titel&quot; &quot;vertaald&quot;"}\n')


READ_AS_DOCUSAURUS_READS = {
    # Without indented code MDX lets a list or heading interrupt a paragraph at any indent;
    # markdown-it's CommonMark rule read them as the paragraph's lazy continuation lines.
    "an indented list or heading ends a paragraph": (
        '<Tabs>\n  <TabItem value="a">\n    Installeer eerst:\n    - npm\n    - yarn\n'
        "    ## Daarna\n  </TabItem>\n</Tabs>\n\nTekst\n        doorlopend.\n",
        [
            (P, "Installeer eerst:"),
            (L, "npm"),
            (L, "yarn"),
            (H, "Daarna"),
            (P, "Tekst doorlopend."),
        ],
    ),
    # remark-directive reads fences in a quote; locpipe put them in the quote's msgid.
    "an admonition inside a quote is one": (
        "> Intro.\n>\n> :::tip[In citaat]\n> Tekst.\n> :::\n\n"
        "> > :::note Diep\n> > Meer.\n> > :::\n",
        [(Q, "Intro."), (T, "In citaat"), (Q, "Tekst."), (T, "Diep"), (Q, "Meer.")],
    ),
    # A fence after quote or list markers holds code, ":::" lines and all: read as an
    # admonition, its lines were offered, and masking them ended the quote around it.
    "a code fence in a quote or a list item is code": (
        "> Een citaat:\n>\n> ```md\n> :::note Titel in code\n> Tekst in code.\n> :::\n> ```\n\n"
        "> > ~~~\n> > :::tip\n> > ~~~\n> > Na de code.\n\n"
        "- Een punt:\n\n  ```md\n  :::info Ook code\n  :::\n  ```\n\n"
        "- ```\n  :::danger Code\n  ```\n\nEinde.\n",
        [(Q, "Een citaat:"), (Q, "Na de code."), (L, "Een punt:"), (P, "Einde.")],
    ),
    # ... and ends where its quote or list item ends, when no closing fence comes first.
    "a fence left open in a list item ends with the item": (
        "- ```\n  code\nNa de lijst.\n\n:::note Erna\nTekst.\n:::\n",
        [(P, "Na de lijst."), (T, "Erna"), (P, "Tekst.")],
    ),
    # Component tags after quote or list markers: their props and children were missed.
    # (A line of tags is layout, list marker and all, so the item's text reads as a paragraph.)
    "components in quotes and list items": (
        '> <Foo>\n> Tekst in citaat.\n> </Foo>\n\n> <Card heading="Kop in citaat" />\n\n'
        '- <Card heading="Kop in lijst" />\n- <Foo>\n    Tekst in lijst.\n  </Foo>\n',
        [
            (Q, "Tekst in citaat."),
            (A, "Kop in citaat"),
            (A, "Kop in lijst"),
            (P, "Tekst in lijst."),
        ],
    ),
    # Lines that are each <Tag>text</Tag> are each a block of its own in MDX (a sponsors'
    # list of links): Markdown's one paragraph of them held the tags, and the title props
    # offered beside it overlapped it, so the article could not be cut.
    "elements on consecutive lines are blocks each": (
        '<div align="center">\n\n<a href="https://a.example" title="Een raamwerk">Hoek</a>\n'
        '<a href="https://b.example" title="Post voor marketing">Maanpost</a>\n'
        "<b>Vet alleen</b>\n\n</div>\n",
        [
            (A, "Een raamwerk"),
            (P, "Hoek"),
            (A, "Post voor marketing"),
            (P, "Maanpost"),
            (P, "Vet alleen"),
        ],
    ),
    # With a line of other text, MDX reads the element inside a paragraph: its props stay in
    # the paragraph's unit, as for an element in running text.
    "an element beside a line of text is inline": (
        '<a href="https://a.example" title="Een raamwerk">Hoek</a>\nen meer tekst.\n\n'
        'Eerst tekst,\n<a href="https://b.example" title="Een post">Maanpost</a>\n',
        [
            (P, '<a href="https://a.example" title="Een raamwerk">Hoek</a> en meer tekst.'),
            (P, 'Eerst tekst, <a href="https://b.example" title="Een post">Maanpost</a>'),
        ],
    ),
    # A component alone on its line inside an HTML block: the HTML segmenter cuts its text,
    # but offers only HTML's visible attributes, so the component's props stay offered.
    "a component's props inside an HTML block": (
        '<details>\n<summary>Meer</summary>\n<Card heading="Een kop">Tekst hier</Card>\n'
        "</details>\n",
        [(P, "Meer"), (A, "Een kop"), (P, "Tekst hier")],
    ),
    # Underlined, the line is a heading that holds the element, props and all.
    "an element in a setext heading": (
        '<a href="https://a.example" title="Een raamwerk">Hoek</a>\n===\n\nTekst.\n',
        [(H, '<a href="https://a.example" title="Een raamwerk">Hoek</a>'), (P, "Tekst.")],
    ),
    # An HTML table's cell alone on its line: the HTML segmenter cuts the cell and its
    # title; the title was offered a second time, as a prop, and the units overlapped.
    "a table cell with a title, alone on its line": (
        '<table>\n<tr>\n<th title="Eerder stabiel genoemd">Huidig</th>\n</tr>\n</table>\n',
        [(A, "Eerder stabiel genoemd"), (C, "Huidig")],
    ),
}


@pytest.mark.parametrize("case", sorted(READ_AS_DOCUSAURUS_READS))
def test_blocks_are_read_as_docusaurus_reads_them(judge: DocusaurusJudge, case: str) -> None:
    text, units = READ_AS_DOCUSAURUS_READS[case]
    assert_offered(judge, text, units)


def test_reading_paragraphs_as_mdx_does_grows_linearly_with_a_long_tight_list() -> None:
    # A first version capped the indents of every line up to the next blank before each
    # paragraph: the items of a list with no blank line took time in the square of its
    # length.  That was a loop in Python, so the lines of Python it ran grew as the square
    # too, and counting them needs no clock.
    def read(items: int) -> None:
        text = "".join(f"- Punt {number} van de lijst\n" for number in range(items))
        assert len(segment(text, "docusaurus").units) == items

    assert_lines_grow_linearly(read, 500)
