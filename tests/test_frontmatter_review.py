"""Front matter as each generator reads it: the cases a review against real sites found."""

from __future__ import annotations

import tomllib

import yaml

from locpipe.assemble import assemble_article
from locpipe.model import UnitKind
from locpipe.segment import SegmentOptions, segment_article

from .complexity import assert_lines_do_not_grow, assert_lines_grow_linearly


def _units(text: str, dialect: str, *keys: str) -> list[tuple[str, str, UnitKind]]:
    options = SegmentOptions(dialect=dialect, front_matter_keys=keys)
    article = segment_article(text.encode(), path="a.md", name="a", options=options)
    return [
        (unit.notes[0].removeprefix("front matter: "), unit.text, unit.kind)
        for unit in article.units
        if unit.notes and unit.notes[0].startswith("front matter: ")
    ]


def test_hugo_reads_front_matter_keys_whatever_their_case() -> None:
    # Hugo's own documentation long wrote ``linktitle``; Hugo lowercases every key it reads.
    text = "---\nTitle: Over ons\nlinktitle: Over\nDescription: Wie wij zijn\n---\nTekst.\n"
    assert _units(text, "hugo") == [
        ("Title", "Over ons", UnitKind.TITLE),
        ("linktitle", "Over", UnitKind.FRONT_MATTER),
        ("Description", "Wie wij zijn", UnitKind.DESCRIPTION),
    ]
    toml = '+++\nLinkTitle = "Over"\n[Params]\nToelichting = "Uitleg hier"\n+++\nTekst.\n'
    assert _units(toml, "hugo", "params.toelichting") == [
        ("LinkTitle", "Over", UnitKind.FRONT_MATTER),
        ("Params.Toelichting", "Uitleg hier", UnitKind.FRONT_MATTER),
    ]
    json = '{\n  "TITLE": "Over ons"\n}\nTekst.\n'
    assert _units(json, "hugo") == [("TITLE", "Over ons", UnitKind.TITLE)]


def test_other_generators_read_keys_as_written() -> None:
    # Docusaurus (JavaScript), MkDocs (Python) and Jekyll (Ruby) look keys up as written.
    text = "---\nTitle: Over ons\ndescription: Wie wij zijn\n---\nTekst.\n"
    for dialect in ("docusaurus", "mkdocs", "jekyll"):
        assert [key for key, _, _ in _units(text, dialect)] == ["description"]


def test_a_value_under_a_key_of_another_case_is_written_back_in_place() -> None:
    options = SegmentOptions(dialect="hugo")
    source = b"---\nlinktitle: Over\nTITLE: 'Over ons'\n---\nTekst.\n"
    article = segment_article(source, path="a.md", name="a", options=options)
    translations = {unit.key: f"{unit.text}: EN" for unit in article.units}
    built = assemble_article(article, translations).text
    assert built.startswith("---\nlinktitle: \"Over: EN\"\nTITLE: 'Over ons: EN'\n---\n")


def _build(text: str, dialect: str, *keys: str) -> str:
    options = SegmentOptions(dialect=dialect, front_matter_keys=keys)
    article = segment_article(text.encode(), path="a.md", name="a", options=options)
    translations = {unit.key: f"EN {unit.text}" for unit in article.units}
    return assemble_article(article, translations).text


def test_an_anchored_value_is_offered_and_its_aliases_read_the_translation() -> None:
    # The anchor stays in the layout, so ``og_title: *t`` reads the translated title.
    text = "---\ntitle: &t Over ons\nog_title: *t\n---\nTekst.\n"
    assert _units(text, "jekyll") == [("title", "Over ons", UnitKind.TITLE)]
    built = _build(text, "jekyll")
    assert built.startswith("---\ntitle: &t EN Over ons\nog_title: *t\n---\n")
    parsed = yaml.safe_load(built.split("---\n")[1])
    assert parsed == {"title": "EN Over ons", "og_title": "EN Over ons"}


def test_a_value_is_found_at_its_anchor_even_when_an_alias_comes_first_in_the_walk() -> None:
    # The alias's key is not a named one: the value must still be offered under its own.
    text = "---\nseo: &s\n  title: Over ons\nsocial: *s\ntitle: !!str Welkom\n---\nTekst.\n"
    assert _units(text, "docusaurus", "seo.title") == [
        ("seo.title", "Over ons", UnitKind.FRONT_MATTER),
        ("title", "Welkom", UnitKind.TITLE),
    ]
    built = _build(text, "docusaurus", "seo.title")
    parsed = yaml.safe_load(built.split("---\n")[1])
    assert parsed["social"] == {"title": "EN Over ons"} and parsed["title"] == "EN Welkom"
    assert "title: !!str EN Welkom\n" in built


def test_an_anchored_block_scalar_keeps_its_anchor_and_header() -> None:
    text = "---\ndescription: &d |\n  Regel een\n  regel twee\nsummary: *d\n---\nTekst.\n"
    assert _units(text, "hugo") == [
        ("description", "Regel een\nregel twee", UnitKind.DESCRIPTION),
    ]
    built = _build(text, "hugo")
    assert built.startswith("---\ndescription: &d |\n  EN Regel een\n  regel twee\nsummary: *d\n")


def test_docusaurus_offers_the_label_of_the_previous_and_next_buttons() -> None:
    # As a Dutch design-system portal writes it: the pager shows pagination_label.
    text = (
        "---\ntitle: Bevestigingspagina van een formulier\nhide_title: true\n"
        "sidebar_label: Introductie bevestigingspagina\nsidebar_position: 3\n"
        "pagination_label: Bevestigingspagina\nslug: /richtlijnen/formulieren/bevestiging\n---\n"
    )
    assert [key for key, _, _ in _units(text, "docusaurus")] == [
        "title",
        "sidebar_label",
        "pagination_label",
    ]


def test_toml_arrays_and_inline_tables_offer_their_strings_as_yaml_lists_do() -> None:
    text = (
        "+++\ntitle = 'Over ons'\n"
        "keywords = [\n  \"Gemeente\", # de eerste\n  'Burgerzaken',\n  3,\n]\n"
        'seo = { title = "Zoek ons", weight = 2, extra = { title = "Nooit" } }\n'
        'faq = [{ q = "Wat is dit?" }, { q = """Hoe "zo"?""" }]\n'
        "date = 1979-05-27 07:32:00Z\n+++\nTekst.\n"
    )
    assert _units(text, "hugo", "keywords", "seo.title", "faq.q") == [
        ("title", "Over ons", UnitKind.TITLE),
        ("keywords", "Gemeente", UnitKind.FRONT_MATTER),
        ("keywords", "Burgerzaken", UnitKind.FRONT_MATTER),
        ("seo.title", "Zoek ons", UnitKind.FRONT_MATTER),
        ("faq.q", "Wat is dit?", UnitKind.FRONT_MATTER),
        ("faq.q", 'Hoe "zo"?', UnitKind.FRONT_MATTER),
    ]
    built = _build(text, "hugo", "keywords", "seo.title", "faq.q")
    parsed = tomllib.loads(built.split("+++\n")[1])
    assert parsed["keywords"] == ["EN Gemeente", "EN Burgerzaken", 3]
    assert parsed["seo"] == {"title": "EN Zoek ons", "weight": 2, "extra": {"title": "Nooit"}}
    assert parsed["faq"] == [{"q": "EN Wat is dit?"}, {"q": 'EN Hoe "zo"?'}]


def test_a_multi_line_toml_array_is_not_read_as_keys() -> None:
    # A line inside the array that looks like an assignment is part of a string.
    text = "+++\nnotes = [\n  '''\ntitle = \"Niet de titel\"\n''',\n]\ntitle = \"De titel\"\n+++\n"
    assert _units(text, "hugo") == [("title", "De titel", UnitKind.TITLE)]


def test_checking_toml_list_items_grows_linearly_with_their_number() -> None:
    # Each string was compared with every string tomllib read at its key (8,000 items took
    # minutes), a loop in Python whose lines grew as the square of the list.
    def check(count: int) -> None:
        items = "".join(f'[[faq]]\nq = "Vraag nummer {i}?"\n' for i in range(count))
        units = _units(f"+++\n{items}+++\n", "hugo", "faq.q")
        assert len(units) == count and units[-1][1] == f"Vraag nummer {count - 1}?"

    assert_lines_grow_linearly(check, 300)


def test_a_toml_key_of_tens_of_thousands_of_dotted_parts_is_layout_whatever_its_length() -> None:
    # tomllib joins a key's parts one tuple at a time, in time that grows with the square of
    # their number (150,000 parts took half a minute).  The joining is in C, where a count
    # of Python lines cannot see it, but the loop over the parts is Python: a line of more
    # than 10,000 dots is never given to tomllib, so the work does not grow with the key at
    # all, here from 15,000 parts to 60,000.
    def read(parts: int) -> None:
        key = "a." * parts + "b = 1"
        assert _units(f"+++\ntitle = 'Over ons'\n{key}\n+++\nTekst.\n", "hugo") == []

    assert_lines_do_not_grow(read, 15_000)
