"""Dutch word forms, forbidden variants, Unicode spellings and numbers read the Dutch way:
what verification holds a machine translation to."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from locpipe.engines import Protection
from locpipe.glossary import Glossary, protect, read_glossary, restore, verify_translation
from locpipe.model import GlossaryTerm, TermRule

TOKENS = Protection(token="{{{n}}}")
GLOSSARY = Glossary(
    (
        GlossaryTerm("Kyiv", TermRule.KEEP, forbidden=("Kiev", "Kiew")),
        GlossaryTerm("Poetin", TermRule.TRANSLATE, (("en", "Putin"), ("fr", "Poutine"))),
        GlossaryTerm("Koersk", TermRule.TRANSLATE, (("en", "Kursk"),)),
        GlossaryTerm("Oekraïne", TermRule.TRANSLATE, (("en", "Ukraine"),)),
        GlossaryTerm("ATACMS", TermRule.KEEP),
    )
)


def problems(source: str, translation: str, language: str = "en") -> list[str]:
    return verify_translation(source, translation, GLOSSARY, language, TOKENS)


@pytest.mark.parametrize(
    ("source", "good", "bad", "why"),
    [
        ("Kyivs regering", "Kyiv's government", "Kiev's government", "'Kyiv' is missing"),
        ("Poetins reactie", "Putin's reaction", "Poutine's reaction", "'Putin' is missing"),
        ("de Koerskse regio", "the Kursk region", "the Koersk region", "'Kursk' is missing"),
        ("ATACMS-raketten", "ATACMS missiles", "Atacms missiles", "'ATACMS' is missing"),
    ],
)
def test_inflected_and_derived_forms_count_as_the_term(
    source: str, good: str, bad: str, why: str
) -> None:
    assert problems(source, good) == []
    assert any(why in problem for problem in problems(source, bad)), problems(source, bad)


def test_a_keep_terms_ending_travels_outside_and_an_agreed_one_is_replaced_whole() -> None:
    sent = protect("Kyivs regering en Poetins reactie", GLOSSARY, "en", TOKENS)
    assert sent.text == "{0}s regering en {1} reactie"
    assert sent.targets == ("Kyiv", "Putin")
    assert restore("{0}'s government and {1}'s reaction", sent, TOKENS) == (
        "Kyiv's government and Putin's reaction",
        [],
    )


def test_an_agreed_translation_with_a_dutch_ending_glued_on_fails() -> None:
    assert problems("Poetins plan", "Putins plan") == ["agreed translation 'Putin' is missing"]
    assert problems("de EU", "in EUROPE") == []  # no term; and counting is by whole words
    eu = Glossary((GlossaryTerm("EU", TermRule.KEEP),))
    assert verify_translation("de EU", "EUROPE", eu, "en", TOKENS) == ["keep term 'EU' is missing"]


def test_a_forbidden_variant_fails_even_beside_the_term() -> None:
    assert problems("Kyiv", "Kyiv (Kiev)") == ["forbidden variant 'Kiev' of 'Kyiv'"]


def test_a_term_twice_in_the_source_must_come_back_twice() -> None:
    assert problems("Kyiv en Kyiv", "Kyiv and Kiev") == [
        "keep term 'Kyiv' occurs 1 times of 2",
        "forbidden variant 'Kiev' of 'Kyiv'",
    ]


def test_swapped_agreed_translations_are_not_counted_twice() -> None:
    assert problems("Poetin en Koersk", "Putin and Putin") == [
        "agreed translation 'Kursk' is missing"
    ]


def test_a_keep_term_in_another_case_fails() -> None:
    assert problems("ATACMS", "Atacms") == ["keep term 'ATACMS' is missing"]


def test_a_decomposed_spelling_is_the_same_term() -> None:
    decomposed = unicodedata.normalize("NFD", "Oekraïne")
    assert decomposed != "Oekraïne"
    assert [m.term.term for m in GLOSSARY.find(f"{decomposed} vecht")] == ["Oekraïne"]
    assert problems(f"{decomposed} vecht", "Ukraine fights") == []
    assert problems(f"{decomposed} vecht", "Oekraine fights") == [
        "agreed translation 'Ukraine' is missing"
    ]


@pytest.mark.parametrize(
    ("source", "translation", "differ"),
    [
        ("2,5 miljard", "2.5 billion", False),
        ("2,5 miljard", "25 billion", True),
        ("14.000 raketten", "14,000 missiles", False),
        ("14.000 raketten", "14.000 Raketen", False),
        ("14.000 raketten", "14 missiles", True),
        ("1.000 en 1", "1 and 1,000", False),
        ("0,5 procent", "0.5 per cent", False),
    ],
)
def test_numbers_are_compared_as_numbers_read_the_dutch_way(
    source: str, translation: str, differ: bool
) -> None:
    assert ("numbers differ from the source" in problems(source, translation)) == differ


def test_the_csv_lists_forms_and_forbidden_variants(tmp_path: Path) -> None:
    (tmp_path / "terms.csv").write_text(
        "term,rule,en,note,forms,forbidden\n"
        "Kyiv,keep,,,Kyivse,Kiev|Kiew\n"
        "Den Haag,translate,The Hague,,'s-Gravenhage,\n",
        encoding="utf-8",
    )
    glossary = read_glossary(tmp_path, languages=("en",))
    assert glossary.problems == ()
    kyiv, haag = sorted(glossary.terms, key=lambda t: t.term, reverse=True)
    assert kyiv.forbidden == ("Kiev", "Kiew") and haag.forms == ("'s-Gravenhage",)
    assert [m.term.term for m in glossary.find("in 's-Gravenhage")] == ["Den Haag"]
