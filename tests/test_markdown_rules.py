"""Leaving out the block rules that cannot match changes no token.

The Markdown segmenter parses each source with markdown-it's block rules less the ones the
source cannot trigger (no ``|``, no table; no setext underline line, no setext heading):
see ``_absent_rules``.  That is only a saving if it is exact, so these properties compare
the tokens with those of the parser that has every rule, on generated articles and on
sources made of nothing but the characters Markdown's block syntax is built from, in
every nesting of block quotes and list items.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it.token import Token

from locpipe.segment.markdown import _absent_rules, _block_parser

from .test_dialects import _GENERATED
from .test_properties import SETTINGS, md_article


def _shape(tokens: list[Token]) -> list[tuple[object, ...]]:
    return [
        (t.type, t.tag, t.nesting, t.level, t.map, t.markup, t.info, t.content, t.attrs)
        for t in tokens
    ]


def _assert_same_tokens(source: str, *, mdx: bool) -> frozenset[str]:
    absent = _absent_rules(source)
    full = _block_parser(mdx=mdx).parse(source, {})
    pruned = _block_parser(mdx=mdx, absent=absent).parse(source, {})
    assert _shape(pruned) == _shape(full), sorted(absent)
    return absent


# Lines built from block syntax alone: container prefixes, markers, fences, underlines.
_PREFIX = st.lists(st.sampled_from(["> ", ">", "- ", "* ", "1. ", "2) ", "  ", "    ", "\t"]))
_SYNTAX = [
    "", "woord", "# kop", "###", "===", "---", "- - -", "***", "_ _ _", "```", "~~~", "```js",
    "| a | b |", "|---|---|", "a | b", "<div>", "</div>", "<!-- x -->", "[a]: /b", "[a]:",
    "]: x", "+ item", "10. item", "> citaat", "    code",
]  # fmt: skip
_BODY = st.one_of(st.sampled_from(_SYNTAX), st.text(alphabet="#>-=*_|`~<[]:+.)1 \tab", max_size=12))
_LINE = st.tuples(_PREFIX.map("".join), _BODY).map("".join)
block_syntax = st.lists(_LINE, max_size=14).map("\n".join)


@pytest.mark.parametrize("mdx", [False, True], ids=["commonmark", "mdx"])
@SETTINGS
@given(source=block_syntax)
def test_block_syntax_alone_parses_the_same_without_the_absent_rules(
    source: str, mdx: bool
) -> None:
    _assert_same_tokens(source, mdx=mdx)


@SETTINGS
@given(data=md_article())
def test_generated_articles_parse_the_same_without_the_absent_rules(data: bytes) -> None:
    _assert_same_tokens(data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n"), mdx=False)


@pytest.mark.parametrize("dialect", ["commonmark", "mkdocs", "docusaurus", "hugo", "jekyll"])
@SETTINGS
@given(data=st.data())
def test_generated_site_articles_parse_the_same_without_the_absent_rules(
    dialect: str, data: st.DataObject
) -> None:
    source = "\n\n".join(data.draw(_GENERATED[dialect])) + "\n"
    _assert_same_tokens(source, mdx=dialect == "docusaurus")


def test_prose_leaves_out_the_rules_it_cannot_trigger() -> None:
    prose = "# Kop\n\nTekst over Kyiv en ATACMS-raketten,\nover twee regels.\n"
    assert _assert_same_tokens(prose, mdx=False) == {
        "table", "fence", "blockquote", "hr", "reference", "html_block", "lheading",
    }  # fmt: skip
    underlined = "Kop\n---\n\n> citaat\n"
    absent = _assert_same_tokens(underlined, mdx=False)
    assert "lheading" not in absent and "blockquote" not in absent and "hr" not in absent
