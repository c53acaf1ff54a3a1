"""``locpipe glossary suggest``: candidate terms from the source articles, as glossary rows."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from locpipe.cli import main
from locpipe.glossary import Glossary, read_glossary
from locpipe.model import TermRule
from locpipe.segment import segment_article
from locpipe.terminology import (
    TermKind,
    TermSuggestion,
    stop_words_for,
    suggest_terms,
    suggestions_to_csv,
)

from .conftest import GLOSSARY, SEED, write_project

DUTCH_STOP_WORDS = stop_words_for("nl")
SENTENCE_STARTS = ("Volgens", "Hoewel", "Door", "Tijdens", "Het", "De", "Een")


def seed_texts() -> list[tuple[str, str]]:
    article = segment_article(SEED.read_bytes(), path="atacms.txt", name="atacms")
    return [(unit.text, f"atacms.txt:{unit.line}") for unit in article.units]


def suggest(glossary: Glossary, texts: list[tuple[str, str]] | None = None) -> list[str]:
    found = suggest_terms(
        seed_texts() if texts is None else texts, glossary, stop_words=DUTCH_STOP_WORDS
    )
    return [s.term for s in found]


def repo_glossary() -> Glossary:
    return read_glossary(GLOSSARY.parent, languages=("en", "de", "af"))


def test_the_dutch_stop_word_list_comes_from_the_package() -> None:
    assert {"de", "het", "een", "door", "van"} <= DUTCH_STOP_WORDS


def test_with_an_empty_glossary_the_seed_yields_its_names_and_acronyms() -> None:
    terms = suggest(Glossary())
    for expected in (
        "ATACMS",
        "Storm Shadow",
        "Keir Starmer",
        "New York Times",
        "Kyiv Independent",
    ):
        assert expected in terms


def test_sentence_initial_words_and_stop_words_are_not_suggested() -> None:
    terms = suggest(Glossary())
    for word in SENTENCE_STARTS:
        assert word not in terms
        assert not any(term.startswith(f"{word} ") for term in terms), terms
    assert not [term for term in terms if term.casefold() in DUTCH_STOP_WORDS]


def test_a_particle_belongs_to_a_name_only_before_another_capitalised_word() -> None:
    texts = [
        ("Volgens Rafael van der Vaart won het team.", "a:1"),
        ("Het werk van Rembrandt hangt in Amsterdam van oudsher.", "a:2"),
    ]
    terms = suggest(Glossary(), texts)
    assert "Rafael van der Vaart" in terms
    assert not [term for term in terms if term.endswith((" van", " van oudsher"))]


def test_a_capitalised_word_also_seen_in_lowercase_is_not_suggested() -> None:
    texts = [
        ("Zij las Kompas op het station. Later las hij Kompas weer.", "a:1"),
        ("Ze keek op een kompas.", "a:2"),
        ("De redactie van Trouw schreef. Ook Trouw meldde het.", "a:3"),
    ]
    terms = suggest(Glossary(), texts)
    assert "Kompas" not in terms
    assert "Trouw" in terms


def test_the_glossary_excludes_known_terms_and_names_that_contain_them() -> None:
    terms = suggest(repo_glossary())
    for known in ("ATACMS", "Storm Shadow", "Kyiv", "Kyiv Independent", "Vladimir Poetin"):
        assert known not in terms
    for expected in ("Keir Starmer", "New York Times", "Donald Trump", "Volodymyr Zelensky"):
        assert expected in terms


def test_names_and_acronyms_come_first_then_frequency() -> None:
    found = suggest_terms(seed_texts(), Glossary(), stop_words=DUTCH_STOP_WORDS)
    kinds = [s.kind is TermKind.WORD for s in found]
    assert kinds == sorted(kinds)
    leading = [s.count for s in found if s.kind is not TermKind.WORD]
    assert leading == sorted(leading, reverse=True)
    assert found[0].term == "ATACMS"


def test_each_suggestion_has_its_frequency_and_an_example() -> None:
    found = {s.term: s for s in suggest_terms(seed_texts(), Glossary())}
    starmer = found["Keir Starmer"]
    assert starmer.count == 1
    assert starmer.rule is TermRule.KEEP
    assert "premier Keir Starmer" in starmer.context
    assert starmer.note.startswith('seen 1 time: "')
    assert starmer.where.startswith("atacms.txt:")
    assert found["New York Times"].count == 4


def test_min_count_and_limit() -> None:
    found = suggest_terms(seed_texts(), Glossary(), stop_words=DUTCH_STOP_WORDS, min_count=3)
    assert all(s.count >= 3 for s in found)
    assert "Keir Starmer" not in [s.term for s in found]
    assert len(suggest_terms(seed_texts(), Glossary(), limit=2)) == 2


def test_csv_rows_have_the_glossary_columns() -> None:
    rows = list(
        csv.reader(
            io.StringIO(
                suggestions_to_csv(
                    [TermSuggestion("HIMARS", TermKind.ACRONYM, 2, 'met "HIMARS", zei hij', "a:1")],
                    ["en", "de"],
                )
            )
        )
    )
    assert rows == [
        ["term", "rule", "en", "de", "note"],
        ["HIMARS", "keep", "", "", 'seen 2 times: "met "HIMARS", zei hij"'],
    ]


@pytest.fixture
def glossary_project(tmp_path: Path) -> Path:
    """The seed with the repository's glossary (whose columns are en, de and af)."""
    root = write_project(tmp_path / "project", ("en", "de", "af"))
    shutil.copy(SEED, root / "articles" / "nl" / "atacms.txt")
    (root / "glossary").mkdir()
    shutil.copy(GLOSSARY, root / "glossary" / "terms.csv")
    return root


def test_cli_output_can_be_appended_to_the_glossary(glossary_project: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["glossary", "suggest", "--project", str(glossary_project)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["term", "rule", "en", "de", "af", "note"]
    terms = [row[0] for row in rows[1:]]
    assert "Keir Starmer" in terms and "ATACMS" not in terms
    assert "candidate terms" in result.stderr

    body = result.stdout.split("\n", 1)[1]
    with (glossary_project / "glossary" / "terms.csv").open("a", encoding="utf-8") as file:
        file.write(body)
    check = runner.invoke(main, ["glossary", "check", "--project", str(glossary_project)])
    assert check.exit_code == 0, check.output
    glossary = read_glossary(glossary_project / "glossary", languages=("en", "de", "af"))
    assert "Keir Starmer" in [term.term for term in glossary.terms]


def test_cli_limit(glossary_project: Path) -> None:
    result = CliRunner().invoke(
        main, ["glossary", "suggest", "--project", str(glossary_project), "--limit", "3"]
    )
    assert result.exit_code == 0, result.output
    assert len(list(csv.reader(io.StringIO(result.stdout)))) == 4
