"""Front matter: which values are units, and that every translation is written back as a
value the format's own parser (PyYAML, tomllib, json) reads as exactly that translation."""

from __future__ import annotations

import json
import tomllib

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from locpipe.assemble import assemble_article
from locpipe.model import Article, Unit, UnitKind
from locpipe.segment import SegmentOptions, segment_article
from locpipe.segment.base import assign_sections_and_contexts
from locpipe.segment.frontmatter import default_keys, is_key_path
from locpipe.segment.markdown import segment_markdown

KEYS = ("title", "description", "summary", "seo.description", "faq.question", "hero.title")


def article(text: str, keys: tuple[str, ...] = KEYS, *, mdx: bool = False) -> Article:
    """The article, after checking that its parts join back to the text exactly."""
    parts = segment_markdown(text, mdx=mdx, front_matter_keys=keys)
    result = Article("a.md", "a", assign_sections_and_contexts(parts))
    assert result.source == text
    return result


def found(text: str, keys: tuple[str, ...] = KEYS) -> list[tuple[UnitKind, str, int, str]]:
    """(kind, msgid, line, note) of every front matter unit."""
    return [
        (u.kind, u.text, u.line, u.notes[0] if u.notes else "")
        for u in article(text, keys).units
        if u.notes
    ]


def front_matter(text: str) -> object:
    """The front matter as its generator reads it."""
    fence = text[:3]
    if fence in ("---", "+++"):
        lines = text.split("\n")
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip(" \t") == fence)
        body = "\n".join(lines[1:end]) + "\n"
        return yaml.safe_load(body) if fence == "---" else tomllib.loads(body)
    document, _ = json.JSONDecoder().raw_decode(text)
    return document


YAML = """---
title: Over Koersk # de stad
slug: koersk
description: >
  Een lange
  beschrijving.
seo:
  description: |-
    Regel een
    regel twee
  keywords: [koersk, stad]
hero:
  title: 'Het is ''af'''
faq:
  - question: Hoe kom ik er?
    answer: Met de trein.
  - {question: "Waarom \\"Koersk\\"?", answer: Daarom}
date: 2024-03-12
---

Tekst.
"""

TOML = '''+++
title = "Over \\"Koersk\\""
weight = 3
summary = """
Een samenvatting
over twee regels."""

[seo]
description = 'Letterlijk'

[[faq]]
question = "Hoe kom ik er?" # vraag
[[faq]]
question = \'\'\'Waarom?\'\'\'
+++

Tekst.
'''

JSON = """{
  "title": "Over Koersk",
  "weight": 3,
  "seo": {"description": "Beschrijving met \\"aanhalingstekens\\""},
  "faq": [{"question": "Hoe?"}, {"question": "Waarom?", "answer": "Daarom"}]
}

Tekst.
"""

FM = UnitKind.FRONT_MATTER


def test_yaml_values_of_the_named_keys_are_units_nested_and_in_lists() -> None:
    assert found(YAML) == [
        (UnitKind.TITLE, "Over Koersk", 2, "front matter: title"),
        (UnitKind.DESCRIPTION, "Een lange beschrijving.", 4, "front matter: description"),
        (FM, "Regel een\nregel twee", 8, "front matter: seo.description"),
        (FM, "Het is 'af'", 13, "front matter: hero.title"),
        (FM, "Hoe kom ik er?", 15, "front matter: faq.question"),
        (FM, 'Waarom "Koersk"?', 17, "front matter: faq.question"),
    ]


def test_toml_values_of_the_named_keys_are_units_in_tables_and_arrays_of_tables() -> None:
    assert found(TOML) == [
        (UnitKind.TITLE, 'Over "Koersk"', 2, "front matter: title"),
        (FM, "Een samenvatting\nover twee regels.", 4, "front matter: summary"),
        (FM, "Letterlijk", 9, "front matter: seo.description"),
        (FM, "Hoe kom ik er?", 12, "front matter: faq.question"),
        (FM, "Waarom?", 14, "front matter: faq.question"),
    ]


def test_json_values_of_the_named_keys_are_units() -> None:
    assert found(JSON) == [
        (UnitKind.TITLE, "Over Koersk", 2, "front matter: title"),
        (FM, 'Beschrijving met "aanhalingstekens"', 4, "front matter: seo.description"),
        (FM, "Hoe?", 5, "front matter: faq.question"),
        (FM, "Waarom?", 5, "front matter: faq.question"),
    ]


def test_json_front_matter_is_not_read_in_mdx_where_braces_open_an_expression() -> None:
    assert not [u for u in article(JSON, mdx=True).units if u.notes]


@pytest.mark.parametrize("text", [YAML, TOML, JSON])
def test_the_front_matter_body_is_layout_not_markdown(text: str) -> None:
    units = article(text).units
    assert [u.text for u in units if not u.notes] == ["Tekst."]


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: 2024\n---\n",  # a number, not a string
        "---\ntitle: &t Met anker\nkop: *t\n---\n",  # an anchor the unit could not keep
        "---\ntitle: !!str Met tag\n---\n",
        "---\ntitle: : kapot\n---\n",  # not YAML: still layout, never Markdown
        "+++\ntitle = 'open\n+++\n",
        "---\n- een\n- lijst\n---\n",
        "---\nslug: geen-titel\n---\n",
    ],
)
def test_values_that_are_not_plain_strings_or_not_named_are_not_units(text: str) -> None:
    units = [(u.text, u.notes) for u in article(text).units]
    assert units == []


def test_a_named_key_holding_a_list_of_strings_offers_each() -> None:
    assert [u.text for u in article("---\ntitle: [Een, Lijst]\n---\n").units] == ["Een", "Lijst"]


def test_unclosed_front_matter_is_markdown() -> None:
    assert [(u.kind, u.text) for u in article("---\ntitle: Geen\n").units] == [
        (UnitKind.PARAGRAPH, "title: Geen")
    ]


def test_default_keys_depend_on_the_dialect_and_segment_options_carry_the_keys() -> None:
    assert default_keys("docusaurus") == ("title", "description", "sidebar_label")
    assert default_keys("jekyll")[-1] == "excerpt"
    assert default_keys("unknown") == default_keys("commonmark") == ("title", "description")
    source = b"---\ntitle: Titel\ntoelichting: Uitleg bij de regel.\n---\n"
    plain = segment_article(source, path="a.md", name="a")
    assert [u.text for u in plain.units] == ["Titel"]
    options = SegmentOptions(front_matter_keys=("title", "toelichting"))
    extended = segment_article(source, path="a.md", name="a", options=options)
    assert [u.text for u in extended.units] == ["Titel", "Uitleg bij de regel."]


def test_key_paths() -> None:
    assert is_key_path("title") and is_key_path("seo.description") and is_key_path("linkTitle")
    assert not any(map(is_key_path, ["", ".a", "a.", "a b", "faq[].q"]))


def test_a_translation_keeps_the_source_style_where_it_fits() -> None:
    text = (
        "---\ntitle: Over Koersk # stad\nhero:\n  title: 'Kop'\n"
        "description: |\n  Een\n  twee\n---\n"
    )
    units = article(text).units
    built = assemble_article(
        article(text),
        {
            units[0].key: "About Kursk",
            units[1].key: "It's done",
            units[2].key: "One\ntwo\nthree",
        },
    ).text
    assert built == (
        "---\ntitle: About Kursk # stad\nhero:\n  title: 'It''s done'\n"
        "description: |\n  One\n  two\n  three\n---\n"
    )


def test_a_translation_that_does_not_fit_the_style_is_double_quoted() -> None:
    text = "---\ntitle: Over Koersk\n---\n"
    (unit,) = article(text).units
    built = assemble_article(article(text), {unit.key: 'Kursk: "the city" # yes'}).text
    assert built == '---\ntitle: "Kursk: \\"the city\\" # yes"\n---\n'


def test_a_folded_translation_is_folded_at_the_source_width() -> None:
    text = "---\ndescription: >\n  Een lange regel die\n  verder gaat.\n---\n"
    (unit,) = article(text).units
    translation = "A long line that goes on and on, well past the width of the source lines"
    built = assemble_article(article(text), {unit.key: translation}).text
    rows = built.split("\n")[2:-2]
    assert len(rows) == 4
    assert all(row.startswith("  ") and len(row) <= len("  ") + 20 for row in rows)
    assert front_matter(built) == {"description": translation + "\n"}


# Any translation, in any source style, reads back as itself.

_YAML_STYLES = [
    "Platte waarde",
    "'Enkel'",
    '"Dubbel"',
    "Over twee\n    regels",
    "|\n    Letterlijk\n    blok",
    "|-\n    Letterlijk zonder einde",
    ">\n    Gevouwen\n    blok",
    ">-\n    Gevouwen zonder einde",
]
_TOML_STYLES = ['"Basis"', "'Letterlijk'", '"""\nMeer\nregels"""', "'''Letterlijk\nmeer'''"]
_JSON_STYLES = ['"Tekst"', '"Met \\u00e9\\n"']


def _documents() -> list[tuple[str, str, str]]:
    """(source, key path, the value's expected tail) in every format and style."""
    cases = []
    for style in _YAML_STYLES:
        tail = "\n" if style[0] in "|>" and "-" not in style.split("\n")[0] else ""
        cases.append((f"---\nseo:\n  description: {style}\nslug: x\n---\n\nTekst.\n", "y", tail))
        cases.append((f"---\nfaq: [{{question: {style}}}]\n---\n", "f", tail))
    for style in _TOML_STYLES:
        cases.append((f"+++\nweight = 1\n[seo]\ndescription = {style} # c\n+++\n", "t", ""))
    for style in _JSON_STYLES:
        cases.append(('{"seo": {"description": ' + style + "}}\n\nTekst.\n", "j", ""))
    return [
        case for case in cases if "[{question: |" not in case[0] and "[{question: >" not in case[0]
    ]


_TRANSLATION = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40
).filter(lambda text: text.strip() and not text.startswith("\n") and not text.endswith("\n"))


@settings(max_examples=150, deadline=None)
@given(case=st.sampled_from(_documents()), translation=_TRANSLATION)
def test_any_translation_reads_back_as_itself(case: tuple[str, str, str], translation: str) -> None:
    source, which, _ = case
    segmented = article(source)
    (unit,) = [u for u in segmented.units if u.notes]
    original = front_matter(source)
    built = assemble_article(segmented, {unit.key: translation}).text
    data = front_matter(built)
    value = data["faq"][0]["question"] if which == "f" else data["seo"]["description"]  # type: ignore[index]
    expected = original["faq"][0]["question"] if which == "f" else original["seo"]["description"]  # type: ignore[index]
    assert value == translation + expected[len(expected.rstrip("\n")) :]
    # Everything else in the file is as it was.
    assert built.endswith(source[source.rindex("\n", 0, len(source) - 1) :])
    rest = data
    if which == "f":
        rest["faq"][0]["question"] = expected  # type: ignore[index]
    else:
        rest["seo"]["description"] = expected  # type: ignore[index]
    assert rest == original
    # And the translated value is offered again as a unit, with the translation as its text,
    # when it still holds words.
    again = [u for u in article(built).units if u.notes]
    if any(char.isalpha() for char in translation):
        assert [u.text for u in again] == [translation]
        assert again[0].escape is unit.escape


def test_a_unit_has_one_line_holding_the_whole_value() -> None:
    (unit,) = article("---\ntitle: |\n  Lang\n  verhaal\n---\n").units
    assert isinstance(unit, Unit)
    assert unit.lines[0].text == "|\n  Lang\n  verhaal"
    assert not unit.single_line


def test_a_translation_never_writes_a_line_that_closes_the_front_matter() -> None:
    text = '+++\nsummary = """\nEen\nzin"""\n+++\n\nTekst.\n'
    (unit, _) = article(text).units
    built = assemble_article(article(text), {unit.key: "One\n+++\nline"}).text
    assert built == '+++\nsummary = "One\\n+++\\nline\\n"\n+++\n\nTekst.\n'.replace(
        '\\nline\\n"', '\\nline"'
    )
    assert front_matter(built) == {"summary": "One\n+++\nline"}


def test_toml_dotted_keys_name_nested_values_and_inline_tables_are_layout() -> None:
    text = '+++\nseo.description = "Gestippeld"\nhero = { title = "Inline" }\n+++\n'
    assert found(text) == [(FM, "Gestippeld", 2, "front matter: seo.description")]


def test_crlf_front_matter_keeps_its_line_endings_in_a_translated_block() -> None:
    text = "---\r\ndescription: |\r\n  Een\r\n  twee\r\nslug: x\r\n---\r\n\r\nTekst.\r\n"
    (unit, _) = article(text).units
    assert unit.text == "Een\ntwee"
    built = assemble_article(article(text), {unit.key: "One\ntwo\nthree"}).text
    assert built == (
        "---\r\ndescription: |\r\n  One\r\n  two\r\n  three\r\nslug: x\r\n---\r\n\r\nTekst.\r\n"
    )
    assert front_matter(built.replace("\r\n", "\n")) == {
        "description": "One\ntwo\nthree\n",
        "slug": "x",
    }


def test_a_translation_that_reads_as_another_type_is_quoted_and_never_constructed() -> None:
    text = "---\ntitle: Over Koersk\n---\n"
    (unit,) = article(text).units
    for translation, written in [("2024-13-45", '"2024-13-45"'), ("yes", '"yes"'), ("~", '"~"')]:
        built = assemble_article(article(text), {unit.key: translation}).text
        assert built == f"---\ntitle: {written}\n---\n"
        assert front_matter(built) == {"title": translation}


def test_each_dialect_reads_its_generators_front_matter_formats_and_keys() -> None:
    toml = '+++\ntitle = "Titel"\nsummary = "Samenvatting"\nlinkTitle = "Kort"\n+++\n\nTekst.\n'
    hugo = segment_article(
        toml.encode(), path="a.md", name="a", options=SegmentOptions(dialect="hugo")
    )
    assert [u.text for u in hugo.units] == ["Titel", "Samenvatting", "Kort", "Tekst."]
    # Jekyll reads YAML front matter only: +++ is a paragraph to it, and so to locpipe.
    jekyll = SegmentOptions(dialect="jekyll")
    assert "Titel" not in [
        u.text for u in segment_article(toml.encode(), path="a.md", name="a", options=jekyll).units
    ]
    yaml_text = "---\ntitle: Titel\nexcerpt: Uittreksel\nsidebar_label: Zijbalk\n---\n"
    for dialect, texts in [
        ("jekyll", ["Titel", "Uittreksel"]),
        ("docusaurus", ["Titel", "Zijbalk"]),
        ("mkdocs", ["Titel"]),
    ]:
        options = SegmentOptions(dialect=dialect)
        units = segment_article(yaml_text.encode(), path="a.md", name="a", options=options).units
        assert [u.text for u in units] == texts, dialect
