"""XLIFF 2 units a CAT tool split into sentences (Okapi, memoQ and Phrase segment a unit
and put the space between sentences in an ``<ignorable>``): the whole translation comes
back, targets in their ``order``; a unit with a sentence still untranslated is reported,
never filled with part of its translation."""

from __future__ import annotations

from pathlib import Path

from locpipe.model import EntryState

from .test_xliff import catalogs, entry_states, example, invoke

__all__ = ["example"]  # the fixture, used by name

FIRST = (
    "De Oekraïense strijdkrachten hebben te maken met een tekort aan ATACMS-raketten, "
    "meldt de New York Times."
)
SECOND = "Dit tekort kan de strategische positie van Kyiv flink onder druk zetten."
FIRST_EN = "Ukraine's armed forces are short of ATACMS missiles, the New York Times reports."
SECOND_EN = "The shortage could put Kyiv's strategic position under heavy pressure."


def segmented(tmp_path: Path, first: str, second: str) -> Path:
    path = tmp_path / "segmented.xlf"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="nl" '
        'trgLang="af">\n<file id="f1" original="atacms">\n<unit id="u1">\n'
        f'<segment id="s1" state="reviewed"><source>{FIRST}</source>{first}</segment>\n'
        "<ignorable><source> </source></ignorable>\n"
        f'<segment id="s2" state="reviewed"><source>{SECOND}</source>{second}</segment>\n'
        "</unit>\n</file>\n</xliff>\n",
        encoding="utf-8",
    )
    return path


def test_sentences_come_back_as_one_translation_with_the_space_between(
    example: Path, tmp_path: Path
) -> None:
    path = segmented(tmp_path, f"<target>{FIRST_EN}</target>", f"<target>{SECOND_EN}</target>")
    result = invoke("xliff", "import", "--project", example, path)
    assert result.exit_code == 0, result.output
    assert entry_states(example, "af", "atacms")[f"{FIRST} {SECOND}"] == (
        f"{FIRST_EN} {SECOND_EN}",
        EntryState.TRANSLATED,
    )


def test_targets_a_translator_reordered_come_back_in_their_order(
    example: Path, tmp_path: Path
) -> None:
    path = segmented(
        tmp_path,
        f'<target order="3">{FIRST_EN}</target>',
        f'<target order="1">{SECOND_EN}</target>',
    )
    result = invoke("xliff", "import", "--project", example, path)
    assert result.exit_code == 0, result.output
    assert entry_states(example, "af", "atacms")[f"{FIRST} {SECOND}"][0] == (
        f"{SECOND_EN} {FIRST_EN}"
    )


def test_a_unit_with_a_sentence_untranslated_is_reported_and_left_alone(
    example: Path, tmp_path: Path
) -> None:
    path = segmented(tmp_path, f"<target>{FIRST_EN}</target>", "")
    before = catalogs(example)
    result = invoke("xliff", "import", "--project", example, path)
    assert result.exit_code == 1
    assert f"{path}:4: incomplete: 1 of its 2 segments has no translation" in result.stderr
    assert catalogs(example) == before
