"""Re-runs skip what has not changed, and redo exactly what has (``.locpipe/state.json``)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polib
import pytest
from click.testing import CliRunner, Result

import locpipe.catalog
import locpipe.extract
import locpipe.fileio
import locpipe.runner
import locpipe.state
from locpipe import api
from locpipe.build import BuildOptions
from locpipe.cli import main
from locpipe.model import Article
from locpipe.project import load_project
from locpipe.results import StageResult, Status

from .conftest import SEED, write_project

NOW = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
MAIN_THREAD = threading.main_thread()
KEPT = "term,rule,en,de,af,note\nATACMS,keep,,,,\nKyiv,keep,,,,\n"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def segmented(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The reference of every article segmented, in order, by counting calls."""
    calls: list[str] = []
    real: Callable[..., Article] = locpipe.runner.segment_article

    def counting(data: bytes, *, path: str, name: str, **options: Any) -> Article:
        calls.append(path)
        return real(data, path=path, name=name, **options)

    monkeypatch.setattr(locpipe.runner, "segment_article", counting)
    return calls


@pytest.fixture
def worked_on(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The reference of every article a stage took up (rather than found as the last run
    left it), in order: segmented, or read back from the segmentation cache."""
    calls: list[str] = []
    real = locpipe.runner._do

    def counting(work: Any, task: locpipe.runner.Task, *args: Any) -> locpipe.runner.Done:
        calls.append(task.source.files.reference)
        return real(work, task, *args)

    monkeypatch.setattr(locpipe.runner, "_do", counting)
    return calls


@pytest.fixture
def two(project: Path) -> Path:
    """The seed project with a second article and a glossary of terms kept as they are."""
    write_project(project, ("en", "de", "af"))
    text = SEED.read_text(encoding="utf-8")
    (project / "articles/nl/tweede.txt").write_text(text + "\nNog een zin.\n", encoding="utf-8")
    (project / "glossary").mkdir()
    (project / "glossary/terms.csv").write_text(KEPT, encoding="utf-8")
    return project


def translate_all(project: Path) -> None:
    """Fill every catalog by hand, as a translator would, so nothing is pending."""
    for path in sorted((project / "locales").glob("[!t]*/*.po")):
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = entry.msgid
        po.save()


def extract(project: Path, *, incremental: bool = True) -> StageResult:
    return api.extract(load_project(project), created=NOW, incremental=incremental)


def build(project: Path, *, incremental: bool = True, **options: float | bool) -> StageResult:
    settings = BuildOptions(**options)  # type: ignore[arg-type]
    return api.build(load_project(project), options=settings, incremental=incremental)


def mtimes(project: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in project.rglob("*") if p.is_file()}


def statuses(result: StageResult) -> set[Status]:
    return {o.status for o in result.outcomes}


def test_second_extract_and_build_rewrite_nothing_and_report_unchanged(
    two: Path, segmented: list[str]
) -> None:
    extract(two)
    translate_all(two)
    extract(two)  # the translators' edits are merged once
    build(two)
    assert (two / ".locpipe/state.json").is_file()
    before, segmented[:] = mtimes(two), []
    assert statuses(extract(two)) == {Status.UNCHANGED}
    assert statuses(build(two)) == {Status.UNCHANGED}
    assert segmented == []
    assert mtimes(two) == before


def test_unchanged_extract_still_reports_units_and_entries(two: Path) -> None:
    first = [o for o in extract(two).outcomes if o.language is None]
    again = [o for o in extract(two).outcomes if o.language is None]
    assert [(o.units, o.entries) for o in again] == [(o.units, o.entries) for o in first]
    assert all(o.units for o in again)


def test_second_run_rewrites_nothing_and_reports_unchanged(two: Path, segmented: list[str]) -> None:
    invoke("extract", "--project", str(two))
    translate_all(two)
    first = invoke("run", "--project", str(two))
    assert first.exit_code == 0, first.output
    before, segmented[:] = mtimes(two), []
    again = invoke("run", "--project", str(two))
    assert again.exit_code == 0, again.output
    assert "extract: 2 articles, 3 languages: 8 unchanged" in again.stdout
    assert "build: 2 articles, 3 languages: 6 unchanged" in again.stdout
    assert segmented == []
    assert mtimes(two) == before


def test_run_segments_each_article_once(two: Path, segmented: list[str]) -> None:
    invoke("extract", "--project", str(two))
    translate_all(two)
    segmented[:] = []
    result = invoke("run", "--project", str(two))
    assert result.exit_code == 0, result.output
    # extract redoes both (the catalogs were edited); build reuses its articles
    assert sorted(segmented) == ["articles/nl/atacms.txt", "articles/nl/tweede.txt"]


def test_editing_one_article_redoes_only_that_one(two: Path, worked_on: list[str]) -> None:
    extract(two)
    build(two, min_translated=0)
    source = two / "articles/nl/tweede.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nNog een.\n", encoding="utf-8")
    worked_on[:] = []
    result = extract(two)
    assert worked_on == ["articles/nl/tweede.txt"]
    assert {o.article for o in result.outcomes if o.status is Status.WRITTEN} == {"tweede"}
    worked_on[:] = []
    built = build(two, min_translated=0)
    assert worked_on == ["articles/nl/tweede.txt"]
    assert {o.article for o in built.outcomes if o.status is Status.WRITTEN} == {"tweede"}


def test_a_translators_edit_is_merged_and_built(two: Path, worked_on: list[str]) -> None:
    extract(two)
    translate_all(two)
    extract(two)
    build(two)
    po_path = two / "locales/en/atacms.po"
    po = polib.pofile(str(po_path))
    po[0].msgstr = "Edited by a translator"
    po.save()
    worked_on[:] = []
    extract(two)
    assert worked_on == ["articles/nl/atacms.txt"]
    assert "Edited by a translator" in po_path.read_text(encoding="utf-8")
    built = build(two)
    written = {(o.article, o.language) for o in built.outcomes if o.status is Status.WRITTEN}
    assert written == {("atacms", "en")}
    assert "Edited by a translator" in (two / "articles/en/atacms.txt").read_text("utf-8")


def test_a_glossary_edit_redoes_every_article(two: Path, worked_on: list[str]) -> None:
    extract(two)
    build(two, min_translated=0)
    with (two / "glossary/terms.csv").open("a", encoding="utf-8") as handle:
        handle.write("Storm Shadow,keep,,,,\n")
    worked_on[:] = []
    extract(two)
    assert len(worked_on) == 2
    worked_on[:] = []
    build(two, min_translated=0)
    assert len(worked_on) == 2


def test_a_changed_config_redoes_every_article(two: Path, worked_on: list[str]) -> None:
    extract(two)
    with (two / "locpipe.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[check]\nmin_length = 30\n")
    worked_on[:] = []
    extract(two)
    assert len(worked_on) == 2


def test_a_deleted_output_is_written_again(two: Path) -> None:
    extract(two)
    build(two, min_translated=0)
    (two / "articles/de/tweede.txt").unlink()
    (two / "locales/templates/atacms.pot").unlink()
    extracted = extract(two)
    assert [o.path for o in extracted.outcomes if o.status is Status.WRITTEN] == [
        "locales/templates/atacms.pot"
    ]
    built = build(two, min_translated=0)
    assert [o.path for o in built.outcomes if o.status is Status.WRITTEN] == [
        "articles/de/tweede.txt"
    ]
    assert (two / "articles/de/tweede.txt").is_file()


def test_an_output_edited_by_hand_is_written_again(two: Path) -> None:
    extract(two)
    build(two, min_translated=0)
    output = two / "articles/en/atacms.txt"
    expected = output.read_bytes()
    output.write_text("changed by hand\n", encoding="utf-8")
    built = build(two, min_translated=0)
    assert [o.path for o in built.outcomes if o.status is Status.WRITTEN] == [
        "articles/en/atacms.txt"
    ]
    assert output.read_bytes() == expected


@pytest.mark.parametrize(
    "options",
    [
        {"min_translated": 0.5},
        {"min_translated": 0.0},
        {"include_fuzzy": True},
        {"include_machine": False},
        {"strict": True},
    ],
)
def test_changed_build_options_redo_every_article(
    two: Path, worked_on: list[str], options: dict[str, float | bool]
) -> None:
    extract(two)
    translate_all(two)
    build(two, min_translated=1)
    worked_on[:] = []
    build(two, **{"min_translated": 1, **options})
    assert len(worked_on) == 2
    worked_on[:] = []
    assert statuses(build(two, **{"min_translated": 1, **options})) == {Status.UNCHANGED}
    assert worked_on == []


def test_skipped_and_failed_articles_are_tried_again(two: Path, worked_on: list[str]) -> None:
    extract(two)
    first = build(two)  # nothing translated: every article is below the threshold
    assert statuses(first) == {Status.SKIPPED}
    worked_on[:] = []
    assert statuses(build(two)) == {Status.SKIPPED}
    assert len(worked_on) == 2


def test_not_incremental_does_the_work(two: Path, worked_on: list[str]) -> None:
    extract(two)
    worked_on[:] = []
    assert statuses(extract(two, incremental=False)) == {Status.UNCHANGED}
    assert len(worked_on) == 2


def test_a_broken_state_file_is_ignored(two: Path, worked_on: list[str]) -> None:
    extract(two)
    (two / ".locpipe/state.json").write_text("{not json", encoding="utf-8")
    worked_on[:] = []
    assert statuses(extract(two)) == {Status.UNCHANGED}
    assert len(worked_on) == 2
    worked_on[:] = []
    extract(two)
    assert worked_on == []


def test_after_pretranslation_a_full_extract_agrees_with_the_skip(two: Path) -> None:
    """Pretranslation lets extract's record follow the catalogs it fills: check that a
    real extract of those catalogs would indeed change nothing."""
    invoke("extract", "--project", str(two))
    for path in sorted((two / "locales").glob("[!t]*/*.po")):
        po = polib.pofile(str(path))
        for entry in po[::2]:
            entry.msgstr = entry.msgid.upper()
        po.save()
    invoke("extract", "--project", str(two))
    (two / "tm").mkdir()
    # a translation memory that fills the rest, so no engine is needed
    units = "".join(
        f'<tu><tuv xml:lang="nl"><seg>{_xml(e.msgid)}</seg></tuv>'
        f'<tuv xml:lang="{lang}"><seg>{_xml(e.msgid.lower())}</seg></tuv></tu>'
        for lang in ("en", "de", "af")
        for e in polib.pofile(str(two / "locales/templates/atacms.pot"))
    )
    (two / "tm/memory.tmx").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
        'creationtoolversion="1" segtype="paragraph" o-tmf="t" adminlang="en" srclang="nl" '
        f'datatype="plaintext"/><body>{units}</body></tmx>\n',
        encoding="utf-8",
    )
    filled = invoke("pretranslate", "--project", str(two))
    assert filled.exit_code == 0, filled.output
    assert "from translation memory" in (two / "locales/en/atacms.po").read_text("utf-8")
    skipped = extract(two)
    assert statuses(skipped) == {Status.UNCHANGED}
    assert statuses(extract(two, incremental=False)) == {Status.UNCHANGED}


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_extract_reads_each_template_and_catalog_once(
    two: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hashed, parsed and compared from one reading, and a file its folder does not hold
    not looked for at all: while the writer creates files in the same folders, every
    lookup of a missing one waits for the folder."""
    extract(two)
    translate_all(two)  # catalogs with translations to merge: all of them are read
    for source in (two / "articles/nl").iterdir():
        source.write_text(source.read_text(encoding="utf-8") + "\nNieuw.\n", encoding="utf-8")
    (two / "locales/af/tweede.po").unlink()  # and one catalog that is made anew
    reads: Counter[str] = Counter()
    real = locpipe.fileio.read_bytes

    def counting(path: Path) -> bytes:
        # In the calling thread: where threads another test left keep the writer from
        # forking, a writer thread checks each compare-and-swap by reading the file, which
        # is the write's reading, not extract's.
        if path.suffix in (".po", ".pot") and threading.current_thread() is MAIN_THREAD:
            reads[path.relative_to(two).as_posix()] += 1
        return real(path)

    monkeypatch.setattr(locpipe.fileio, "read_bytes", counting)
    monkeypatch.setattr(locpipe.extract, "read_bytes", counting)
    monkeypatch.setattr(locpipe.catalog, "read_bytes", counting)
    result = api.extract(load_project(two), created=NOW, jobs=1)
    assert statuses(result) == {Status.WRITTEN}
    assert reads == {
        f"locales/{folder}/{name}.{'pot' if folder == 'templates' else 'po'}": 1
        for folder in ("templates", "en", "de", "af")
        for name in ("atacms", "tweede")
        if (folder, name) != ("af", "tweede")  # not there: its folder's listing says so
    }


def test_build_reads_each_catalog_once(two: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bytes hashed into a language's key are the bytes built from: a save between the
    two readings would otherwise be published under the key of what was there before."""
    extract(two)
    translate_all(two)
    reads: Counter[str] = Counter()
    real = locpipe.fileio.read_bytes

    def counting(path: Path) -> bytes:
        if path.suffix == ".po" and threading.current_thread() is MAIN_THREAD:
            reads[path.relative_to(two).as_posix()] += 1
        return real(path)

    monkeypatch.setattr(locpipe.fileio, "read_bytes", counting)
    for module in (locpipe.runner, locpipe.state, locpipe.catalog):
        monkeypatch.setattr(module, "read_bytes", counting)
    options = BuildOptions(min_translated=0)
    result = api.build(load_project(two), options=options, jobs=1)
    assert statuses(result) == {Status.WRITTEN}
    assert reads == {
        f"locales/{language}/{name}.po": 1
        for language in ("en", "de", "af")
        for name in ("atacms", "tweede")
    }


def test_a_catalog_made_after_its_folder_was_listed_is_merged_not_overwritten(
    two: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The listing a stage takes of each folder is as old as the stage: a translator's new
    catalog saved after it fails the write's compare-and-swap, and the article is done
    again, from a fresh listing, merging the translator's work."""
    extract(two)
    saved = (two / "locales/de/tweede.po").read_text(encoding="utf-8")
    (two / "locales/de/tweede.po").unlink()
    po = polib.pofile(saved)
    po[0].msgstr = "Vom Übersetzer."
    translated = str(po)
    real = locpipe.fileio.FolderListing.absent

    def listed_then_saved(self: locpipe.fileio.FolderListing, path: Path) -> bool:
        absent = real(self, path)
        if absent and path.name == "tweede.po" and path.parent.name == "de":
            path.write_text(translated, encoding="utf-8")  # the translator saves it now
        return absent

    monkeypatch.setattr(locpipe.fileio.FolderListing, "absent", listed_then_saved)
    (two / "articles/nl/tweede.txt").write_text(
        (two / "articles/nl/tweede.txt").read_text(encoding="utf-8") + "\nNieuw.\n",
        encoding="utf-8",
    )
    result = api.extract(load_project(two), created=NOW, jobs=1)
    outcome = next(o for o in result.outcomes if (o.article, o.language) == ("tweede", "de"))
    assert outcome.status is Status.WRITTEN, outcome
    merged = polib.pofile(str(two / "locales/de/tweede.po"))
    assert merged.find(po[0].msgid).msgstr == "Vom Übersetzer."
    assert merged.find("Nieuw.") is not None


def test_a_catalog_build_reads_itself_keys_the_slot_by_its_bytes(
    two: Path, monkeypatch: pytest.MonkeyPatch, worked_on: list[str]
) -> None:
    """Where a catalog could not be read when the slot was planned and build reads it after,
    the slot is recorded under the key of what was built, so the next run skips it."""
    extract(two)
    translate_all(two)
    real = locpipe.runner._read_input

    def unreadable_at_planning(path: Path) -> bytes | None:
        return None if path.name == "tweede.po" and path.parent.name == "de" else real(path)

    with monkeypatch.context() as patched:
        patched.setattr(locpipe.runner, "_read_input", unreadable_at_planning)
        first = build(two, min_translated=0)
    assert statuses(first) == {Status.WRITTEN}
    worked_on.clear()
    again = build(two, min_translated=0)
    assert statuses(again) == {Status.UNCHANGED}
    assert worked_on == []
