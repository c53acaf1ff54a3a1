"""Worker processes: extract and build give the same files, outcomes and state as inline."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polib
import pytest

from locpipe import api, runner
from locpipe import workers as workers_module
from locpipe.project import load_project
from locpipe.results import Status

from .conftest import SEED, assert_msgfmt_clean, write_project

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
ARTICLES = 2 * runner.PARALLEL_MIN  # enough for the stages to use workers


def many_articles(root: Path) -> Path:
    """A project with ARTICLES distinct copies of the seed, one of them in a subfolder."""
    write_project(root)
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for number in range(ARTICLES):
        folder = root / "articles/nl" / ("dossier" if number == 7 else "")
        folder.mkdir(parents=True, exist_ok=True)
        text = "\n".join([f"{lines[0]} ({number})", *lines[1:]])
        (folder / f"artikel-{number:03}.txt").write_text(text, encoding="utf-8")
    return root


def translate_everything(root: Path) -> None:
    for path in sorted((root / "locales").rglob("*.po")):
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = entry.msgid.upper()
        po.save()


def files_of(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the stages that start worker processes."""
    counts: list[int] = []
    run_in_workers = workers_module.run_in_workers

    def counted(*args: Any, **kwargs: Any) -> Any:
        counts.append(1)
        return run_in_workers(*args, **kwargs)

    monkeypatch.setattr(workers_module, "run_in_workers", counted)
    return counts


@pytest.fixture
def workers(started: list[int], monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Workers whenever a stage has PARALLEL_MIN tasks, however little work they hold
    (the seed's copies are light: left to the runner's judgement, two workers would not
    pay on this machine); the list counts the stages that started them."""
    monkeypatch.setattr(runner, "_WORKER_START", 0.0)
    return started


def test_workers_write_what_one_process_writes(tmp_path: Path, workers: list[int]) -> None:
    inline, parallel = many_articles(tmp_path / "inline"), tmp_path / "parallel"
    shutil.copytree(inline, parallel)
    results = {}
    for root, jobs in ((inline, 1), (parallel, 2)):
        project = load_project(root)
        extracted = api.extract(project, ("en", "de"), created=NOW, jobs=jobs)
        translate_everything(root)
        built = api.build(project, ("en", "de"), jobs=jobs)
        results[jobs] = (extracted.outcomes, built.outcomes)
        assert extracted.count(Status.WRITTEN) == 3 * ARTICLES
        assert built.count(Status.WRITTEN) == 2 * ARTICLES
    assert len(workers) == 2  # extract and build, with jobs=2
    assert results[1] == results[2]
    assert files_of(inline) == files_of(parallel)
    assert_msgfmt_clean(parallel / "locales/de/dossier/artikel-007.po")
    assert (parallel / "articles/en/artikel-000.txt").read_text(encoding="utf-8") == (
        (inline / "articles/nl/artikel-000.txt").read_text(encoding="utf-8").upper()
    )

    project = load_project(parallel)
    again = api.extract(project, ("en", "de"), created=NOW, jobs=2)
    assert again.count(Status.UNCHANGED) == 3 * ARTICLES
    edited = parallel / "articles/nl/artikel-010.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n\nEen nieuwe zin.", "utf-8")
    rebuilt = api.build(project, ("en", "de"), jobs=2)
    assert rebuilt.count(Status.UNCHANGED) == 2 * ARTICLES - 2  # the source is in the key


def test_a_worker_that_cannot_write_fails_that_article_only(
    tmp_path: Path, workers: list[int]
) -> None:
    root = many_articles(tmp_path / "project")
    (root / "locales/templates/artikel-100.pot").mkdir(parents=True)
    result = api.extract(load_project(root), ("en",), created=NOW, jobs=2)
    (failed,) = result.problems
    assert failed.path == "locales/templates/artikel-100.pot"
    assert "cannot write: Is a directory" in failed.detail
    assert result.count(Status.WRITTEN) == 2 * ARTICLES - 1
    assert not list(root.rglob("*.tmp"))
    assert workers


def test_workers_start_only_when_the_work_left_pays_for_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started: list[int]
) -> None:
    """The first articles are timed in this process; the rest goes to workers only if,
    at that pace, workers would save more than they cost to start."""
    roots = {cost: many_articles(tmp_path / str(cost)) for cost in (0.0, 3600.0)}
    results = {}
    for cost, root in roots.items():
        monkeypatch.setattr(runner, "_WORKER_START", cost)
        before = len(started)
        result = api.extract(load_project(root), ("en", "de"), created=NOW, jobs=2)
        results[cost] = result.outcomes
        assert len(started) - before == (1 if cost == 0.0 else 0)
        assert result.count(Status.WRITTEN) == 3 * ARTICLES
    assert results[0.0] == results[3600.0]
    assert files_of(roots[0.0]) == files_of(roots[3600.0])


def test_what_workers_are_judged_to_save() -> None:
    # Two workers on 2 CPUs save a quarter of the work, less than they cost below 0.3 s of
    # it; eight save most of it.
    assert not runner.workers_pay(0.29, 2) and runner.workers_pay(0.31, 2)
    assert runner.workers_pay(0.1, 8) and not runner.workers_pay(0.09, 8)
    assert not runner.workers_pay(10.0, 1)  # one worker only adds its cost


def test_the_jobs_option_and_its_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: list[int]
) -> None:
    from click.testing import CliRunner

    from locpipe.cli import main

    root = many_articles(tmp_path / "project")
    result = CliRunner().invoke(main, ["extract", "--project", str(root), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"extract: {ARTICLES} articles, 2 languages: {3 * ARTICLES} written\n"
    monkeypatch.setenv("LOCPIPE_JOBS", "-1")
    result = CliRunner().invoke(main, ["extract", "--project", str(root)])
    assert result.exit_code == 2
    assert "-1 is not in the range x>=0" in result.stderr


def test_chunks_shrink_towards_the_end_and_keep_every_item_in_order() -> None:
    def results(count: int) -> list[runner.Task | runner.Done]:
        return [runner.Done(f"artikel-{number}") for number in range(count)]

    sizes = [len(chunk) for chunk in runner._chunks(results(250), expected=250, jobs=2)]
    assert sum(sizes) == 250
    assert sizes[0] == runner._CHUNK and sizes[-1] <= runner._LAST_CHUNK
    assert sizes == sorted(sizes, reverse=True)  # the end is shared out in smaller pieces
    assert [i for chunk in runner._chunks(results(250), 250, 2) for i in chunk] == results(250)
    # With no count to go by, or more items than counted, the chunks still take everything.
    assert [len(c) for c in runner._chunks(results(70))] == [runner._CHUNK] * 2 + [6]
    assert sum(len(c) for c in runner._chunks(results(300), expected=100, jobs=2)) == 300
