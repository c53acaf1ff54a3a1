"""Front matter as each generator reads it: the cases a review against real sites found."""

from __future__ import annotations

from locpipe.assemble import assemble_article
from locpipe.model import UnitKind
from locpipe.segment import SegmentOptions, segment_article


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
