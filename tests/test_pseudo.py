"""Pseudo-translation: every text longer and marked, and an article of any shape built from
it keeps its source's block structure, front matter included, as its parsers read it."""

from __future__ import annotations

import json
import re
import tomllib
from itertools import accumulate
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from locpipe.assemble import assemble_article
from locpipe.protect import span_texts
from locpipe.pseudo import CLOSE, OPEN, pseudo_translate, pseudo_translations
from locpipe.segment import DIALECTS, SegmentOptions, segment_article
from locpipe.segment.base import is_address, split_lines
from locpipe.segment.frontmatter import front_matter_formats, read_front_matter

from .test_dialects import _GENERATED
from .test_properties import SETTINGS, _join, dutch_word, md_block
from .test_properties_html import html_article, shape


def test_prose_is_marked_and_longer_and_masked_spans_are_kept() -> None:
    text = 'Zie `code()`, <kbd>X</kbd> en [de kaart](https://nos.nl/k "Kaart") &amp; meer.'
    pseudo = pseudo_translate(text)
    assert pseudo.startswith(OPEN) and pseudo.endswith(CLOSE)
    assert len(pseudo) >= 1.3 * len(text)
    assert span_texts(pseudo, markup="markdown") == span_texts(text, markup="markdown")
    assert "Zie" not in pseudo and "kaart" not in pseudo and "ďé ķááŕţ" in pseudo


def test_template_syntax_and_addresses_are_kept() -> None:
    text = 'Bel {{< ref "over.md" >}} of mail info@example.org, {% raw %}nu{% endraw %}.'
    pseudo = pseudo_translate(text)
    for kept in ('{{< ref "over.md" >}}', "info@example.org", "{% raw %}", "{% endraw %}"):
        assert kept in pseudo


# Generated articles: front matter in each of Hugo's formats over a Markdown body.

words = st.lists(dutch_word, min_size=1, max_size=12).map(" ".join)


@st.composite
def front_matter(draw: st.DrawFn) -> list[str]:
    """Front matter with a title and a description in one of the styles each format has."""
    fmt = draw(st.sampled_from(["yaml", "toml", "json", "none"]))
    title, description = draw(words), draw(words)
    plain = re.sub(r"[^\w ]", "", description).strip() or "leeg"
    if fmt == "yaml":
        style = draw(st.sampled_from(["plain", "quoted", "literal", "folded"]))
        value = {
            "plain": [plain],
            "quoted": [json.dumps(description, ensure_ascii=False)],
            "literal": ["|", *(f"  {w}" for w in description.split(" ", 2))],
            "folded": [">-", *(f"  {w}" for w in description.split(" ", 2))],
        }[style]
        return [
            "---",
            f"title: {json.dumps(title, ensure_ascii=False)}",
            "tags: [a, b]",
            f"description: {value[0]}",
            *value[1:],
            "---",
            "",
        ]
    if fmt == "toml":
        quoted = json.dumps(title, ensure_ascii=False)
        return ["+++", f"title = {quoted}", f"description = '''\n{description}'''", "+++", ""]
    if fmt == "json":
        data = {"title": title, "weight": 3, "description": description}
        return [*json.dumps(data, ensure_ascii=False, indent=2).split("\n"), ""]
    return []


@st.composite
def document(draw: st.DrawFn) -> bytes:
    lines = draw(front_matter())
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        lines.extend(draw(md_block()))
        lines.extend(draw(st.lists(st.sampled_from(["", "", "  "]), min_size=1, max_size=2)))
    return _join(draw, lines)


def split_front_matter(text: str, *, mdx: bool) -> tuple[object, str]:
    """The front matter as its parser reads it (None if there is none) and the body."""
    lines = split_lines(text)
    starts = list(accumulate((len(line.body) + len(line.eol) for line in lines), initial=0))
    formats = front_matter_formats("commonmark", mdx=mdx)
    found = read_front_matter(text, lines, starts, keys=(), newline="\n", formats=formats)
    if found is None:
        return None, text
    head, body = text[: starts[found.lines]], text[starts[found.lines] :]
    if found.format == "json":
        return json.loads(head), body
    inner = head.split("\n", 1)[1].rsplit("\n", 2)[0] + "\n"
    return (yaml.safe_load(inner) if found.format == "yaml" else tomllib.loads(inner)), body


def block_structure(body: str, *, mdx: bool) -> list[tuple[str, str, int, int]]:
    """Every block token markdown-it finds: type, tag, nesting and depth."""
    md = MarkdownIt("commonmark").enable("table")
    if mdx:
        md.disable("code")
    return [(t.type, t.tag, t.nesting, t.level) for t in md.parse(body) if t.type != "inline"]


def pseudo_build(data: bytes, suffix: str) -> tuple[str, str, dict[str, str]]:
    """The source text, its pseudo-translated build, and the front matter values offered."""
    article = segment_article(data, path=f"articles/nl/artikel{suffix}", name="artikel")
    built = assemble_article(article, pseudo_translations(article)).text
    offered = {
        unit.notes[0].removeprefix("front matter: "): unit.text
        for unit in article.units
        if unit.notes and unit.notes[0].startswith("front matter: ")
    }
    return article.source, built.removeprefix("\ufeff"), offered


@SETTINGS
@given(data=document(), suffix=st.sampled_from([".md", ".mdx"]))
def test_a_pseudo_translated_build_keeps_the_block_structure_and_the_front_matter(
    data: bytes, suffix: str
) -> None:
    source, built, offered = pseudo_build(data, suffix)
    mdx = suffix == ".mdx"
    source_front, source_body = split_front_matter(_lf(source), mdx=mdx)
    built_front, built_body = split_front_matter(_lf(built), mdx=mdx)
    assert block_structure(built_body, mdx=mdx) == block_structure(source_body, mdx=mdx)
    if isinstance(source_front, dict):
        assert isinstance(built_front, dict) and built_front.keys() == source_front.keys()
        for key, value in source_front.items():
            if key in offered:
                tail = value[len(value.rstrip("\n")) :]
                assert built_front[key] == pseudo_translate(offered[key]) + tail
            else:
                assert built_front[key] == value


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def test_the_pseudo_command_prints_the_article_pseudo_translated(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from locpipe.cli import main

    article = tmp_path / "a.md"
    article.write_text("---\ntitle: Koersk\n---\n\n# Kop\n\nZie `code`.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["pseudo", str(article), "--expansion", "0"])
    assert result.exit_code == 0
    assert result.output == "---\ntitle: ⟦Ķóéŕšķ⟧\n---\n\n# ⟦Ķóþ⟧\n\n⟦Žíé `code`.⟧\n"


@SETTINGS
@given(data=html_article())
def test_a_pseudo_translated_html_build_parses_into_the_source_tree(data: bytes) -> None:
    article = segment_article(data, path="articles/nl/artikel.html", name="artikel")
    built = assemble_article(article, pseudo_translations(article)).text
    assert shape(built.removeprefix("\ufeff")) == shape(data.decode("utf-8").removeprefix("\ufeff"))


# Every dialect: a pseudo-translated build of generated articles, front matter included,
# is segmented again into the same units, each holding its pseudo-translation.

_DIALECT_KEY = {"hugo": "summary", "docusaurus": "sidebar_label", "jekyll": "excerpt"}


@st.composite
def dialect_front_matter(draw: st.DrawFn, dialect: str) -> str:
    """Front matter in a format the dialect's generator reads, with its own keys."""
    values = {"title": draw(words), _DIALECT_KEY.get(dialect, "description"): draw(words)}
    fmt = draw(st.sampled_from(["yaml", "toml", "json"] if dialect in ("hugo",) else ["yaml"]))
    if fmt == "json":
        return json.dumps({**values, "weight": 2}, ensure_ascii=False, indent=2) + "\n\n"
    quoted = {key: json.dumps(value, ensure_ascii=False) for key, value in values.items()}
    if fmt == "toml":
        return "+++\n" + "".join(f"{k} = {v}\n" for k, v in quoted.items()) + "+++\n\n"
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in quoted.items()) + "tags: [a]\n---\n\n"


def values(front: str) -> list[str]:
    """The two values the generated front matter holds."""
    found, _ = split_front_matter(front, mdx=False)
    assert isinstance(found, dict)
    return [str(value) for key, value in found.items() if key not in ("tags", "weight")]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_pseudo_translated_build_of_every_dialect_has_the_same_units(dialect: str) -> None:
    @SETTINGS
    @given(front=dialect_front_matter(dialect), blocks=_GENERATED[dialect])
    def check(front: str, blocks: list[str]) -> None:
        text = front + "\n\n".join(blocks) + "\n"
        options = SegmentOptions(dialect=dialect)
        article = segment_article(text.encode(), path="a.md", name="a", options=options)
        translations = pseudo_translations(article)
        built = assemble_article(article, translations).text
        again = segment_article(built.encode(), path="a.md", name="a", options=options)
        assert [(u.kind, u.text) for u in again.units] == [
            (u.kind, translations[u.key]) for u in article.units
        ], built
        front_units = [u for u in article.units if "front matter: " in "".join(u.notes)]
        offered = [v for v in values(front) if any(map(str.isalpha, v)) and not is_address(v)]
        assert len(front_units) == len(offered)

    check()


def test_the_pseudo_command_reads_the_file_in_its_sites_dialect(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from locpipe.cli import main

    (tmp_path / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    article = tmp_path / "a.md"
    article.write_text('+++\nsummary = "Kort"\n+++\n\nTekst.\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["pseudo", str(article), "--expansion", "0"])
    assert result.output == '+++\nsummary = "⟦Ķóŕţ⟧"\n+++\n\n⟦Ţéķšţ.⟧\n'
    forced = CliRunner().invoke(main, ["pseudo", str(article), "--dialect", "jekyll"])
    # Jekyll has no TOML front matter: to it, those lines are a paragraph.
    assert forced.output.startswith("⟦+++ šúɱɱáŕý =")
