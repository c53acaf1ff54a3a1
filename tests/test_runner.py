"""The runner and the API: one walker, stages that know no other stage, error kinds kept,
and read-only stages that cover every catalog even when one is broken."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner, Result

from locpipe import api, load_project
from locpipe.checks import Problem
from locpipe.cli import main
from locpipe.results import EXIT_OK, EXIT_PROBLEMS, Kind, Outcome, StageResult, Status, exit_code
from locpipe.summaries import (
    CheckResult,
    LanguageSummary,
    PretranslateResult,
    RunResult,
    StatsResult,
    StatsRow,
)

from .conftest import SEED

SRC = Path(__file__).resolve().parents[1] / "src" / "locpipe"
STAGES = {"extract", "build", "pretranslate", "review"}


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def imported_modules(path: Path) -> set[str]:
    """The locpipe modules a source file imports, as their last dotted name."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                names.add(node.module.split(".")[0])
            else:
                names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_no_stage_imports_another_stage_or_the_layers_above(stage: str) -> None:
    imported = imported_modules(SRC / f"{stage}.py")
    assert imported & (STAGES - {stage}) == set()
    assert imported & {"api", "cli", "report"} == set()


def test_only_the_runner_touches_the_run_state() -> None:
    users = {
        path.stem
        for path in SRC.rglob("*.py")
        if "read_state" in path.read_text(encoding="utf-8")
        or "write_state" in path.read_text(encoding="utf-8")
    }
    assert users == {"runner", "state"}


def break_catalog(path: Path) -> int:
    """Leave one msgstr unterminated, as a translator might; return its line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith('msgstr ""') and i > 20)
    lines[number] = 'msgstr "Shortage of ATACMS\n'
    path.write_text("".join(lines), encoding="utf-8")
    return number + 1


@pytest.fixture
def two_articles(project: Path) -> Path:
    """The seed project with a second article, extracted, and its German catalog broken."""
    shutil.copy(SEED, project / "articles/nl/tweede.txt")
    assert invoke("extract", "--project", str(project)).exit_code == 0
    return project


def test_stats_reports_a_broken_catalog_and_counts_the_others(two_articles: Path) -> None:
    line = break_catalog(two_articles / "locales/de/atacms.po")
    result = api.stats(load_project(two_articles))
    broken = [row for row in result.rows if row.error]
    assert [(row.language, row.article, row.kind) for row in broken] == [
        ("de", "atacms", Kind.CATALOG)
    ]
    assert f"locales/de/atacms.po:{line}:" in str(broken[0].error)
    counted = {(row.language, row.article) for row in result.rows if row.stats is not None}
    assert counted == {("en", "atacms"), ("en", "tweede"), ("de", "tweede")}
    assert result.exit_code == EXIT_PROBLEMS

    shown = invoke("stats", "--project", str(two_articles), "--format", "json")
    assert shown.exit_code == EXIT_PROBLEMS
    assert f"locales/de/atacms.po:{line}:" in shown.stderr
    rows = {
        (language["language"], row["article"]): row
        for language in json.loads(shown.stdout)["languages"]
        for row in language["articles"]
    }
    assert rows["de", "atacms"]["error"]["kind"] == "catalog"
    assert rows["de", "tweede"]["entries"] == rows["en", "atacms"]["entries"]


def test_check_reports_a_broken_catalog_and_checks_the_others(two_articles: Path) -> None:
    for path in (two_articles / "locales").glob("*/tweede.po"):
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = entry.msgid.replace("ATACMS", "Atacms")  # fails the glossary check
        po.save()
    line = break_catalog(two_articles / "locales/de/atacms.po")
    result = api.check(load_project(two_articles))
    assert [(o.path, o.kind) for o in result.problems] == [("locales/de/atacms.po", Kind.CATALOG)]
    assert {finding.path for finding in result.findings} == {
        "locales/de/tweede.po",
        "locales/en/tweede.po",
    }
    shown = invoke("check", "--project", str(two_articles))
    assert shown.exit_code == EXIT_PROBLEMS
    assert f"locales/de/atacms.po:{line}:" in shown.stderr
    assert "locales/en/tweede.po:" in shown.stdout


def test_check_of_one_file_checks_that_file_only(two_articles: Path) -> None:
    break_catalog(two_articles / "locales/de/tweede.po")
    result = api.check(load_project(two_articles), files=[two_articles / "locales/en/atacms.po"])
    assert result.problems == () and result.exit_code == 0


def test_failed_outcomes_keep_the_kind_of_problem(two_articles: Path) -> None:
    break_catalog(two_articles / "locales/de/atacms.po")
    (two_articles / "articles/nl/leeg.txt").write_text("\n", encoding="utf-8")
    (two_articles / "articles/nl/kapot.txt").write_bytes(b"Titel\n\n\xff\xfe kapot\n")
    project = load_project(two_articles)
    extracted = api.extract(project)
    kinds = {(o.article, o.language): o.kind for o in extracted.problems}
    assert kinds == {("atacms", "de"): Kind.CATALOG, ("kapot", None): Kind.SOURCE}
    built = api.build(project)
    by_slot = {(o.article, o.language): o.kind for o in built.problems}
    assert by_slot["atacms", "de"] is Kind.CATALOG
    assert by_slot["tweede", "en"] is Kind.BELOW_THRESHOLD
    assert exit_code(extracted, built) == EXIT_PROBLEMS


def test_run_report_names_the_kind_of_every_problem(two_articles: Path, tmp_path: Path) -> None:
    break_catalog(two_articles / "locales/de/atacms.po")
    report_path = tmp_path / "report.json"
    result = invoke(
        "run", "--project", str(two_articles), "--engine", "apertium", "--report", str(report_path)
    )
    assert result.exit_code == EXIT_PROBLEMS
    report = json.loads(report_path.read_text(encoding="utf-8"))
    problems = {(p["stage"], p["language"], p["article"]): p["kind"] for p in report["problems"]}
    assert problems["extract", "de", "atacms"] == "catalog"
    assert problems["build", "en", "atacms"] == "below-threshold"
    assert problems["pretranslate", "en", None] == "engine-rejected"
    assert all(kind is not None for kind in problems.values()), problems


def test_a_language_is_named_as_the_project_spells_it(project: Path) -> None:
    loaded = load_project(project)
    assert api.chosen_languages(loaded, ["EN"]) == ("en",)
    with pytest.raises(Exception, match="--lang fr: not a language of this project"):
        api.chosen_languages(loaded, ["fr"])


def test_results_say_what_each_stage_did(project: Path) -> None:
    loaded = load_project(project)
    result = api.extract(loaded)
    assert result.count(Status.WRITTEN) == 3 and result.exit_code == 0


def test_each_kind_of_result_decides_its_own_exit_code() -> None:
    done = Outcome("a", "en", Status.WRITTEN)
    failure = Outcome("a", "de", Status.FAILED, "locales/de/a.po", "broken", Kind.CATALOG)
    assert StageResult("extract", (done,)).exit_code == EXIT_OK
    assert StageResult("extract", (done, failure)).exit_code == EXIT_PROBLEMS
    translated = PretranslateResult(dry_run=False, outcomes=[done])
    assert translated.exit_code == EXIT_OK
    translated.languages.append(LanguageSummary("en", "apertium", error="unreachable"))
    assert translated.exit_code == EXIT_PROBLEMS
    assert PretranslateResult(dry_run=False, outcomes=[failure]).exit_code == EXIT_PROBLEMS
    assert StatsResult((StatsRow("en", "a", None),)).exit_code == EXIT_OK
    assert StatsResult((StatsRow("en", "a", None, error="broken"),)).exit_code == EXIT_PROBLEMS
    warning = Problem("a.po", 3, "punctuation", "warning", "the final . differs")
    error = Problem("a.po", 3, "numbers", "error", "a number changed")
    assert CheckResult((warning,)).exit_code == EXIT_OK
    assert CheckResult((warning,), strict=True).exit_code == EXIT_PROBLEMS
    assert CheckResult((error,)).exit_code == EXIT_PROBLEMS
    assert CheckResult((), (failure,)).exit_code == EXIT_PROBLEMS
    run = RunResult(StageResult("extract"), translated, StageResult("build", (done,)))
    assert run.exit_code == EXIT_PROBLEMS
    assert exit_code(StageResult("build", (done,)), run) == EXIT_PROBLEMS
    assert exit_code(StageResult("build", (done,))) == exit_code() == EXIT_OK


def test_in_one_process_each_article_is_read_just_before_it_is_done(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Planned one at a time, not all first: a project's sources and a build's catalogs
    are not all held at once."""
    import locpipe.runner

    text = SEED.read_text(encoding="utf-8")
    for number in range(5):
        (project / f"articles/nl/stuk-{number}.txt").write_text(text, encoding="utf-8")
    events: list[str] = []
    real = locpipe.runner._do

    def doing(work: locpipe.runner.ArticleWork, task: locpipe.runner.Task, *rest: object) -> object:
        events.append(f"do {task.source.files.name}")
        return real(work, task, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(locpipe.runner, "_do", doing)
    for stage in (api.extract, api.build):
        events.clear()
        stage(load_project(project), jobs=1, progress=lambda files: events.append(files.name))
        names = sorted({event.removeprefix("do ") for event in events})
        assert events == [event for name in names for event in (name, f"do {name}")]
