"""Hardening: what a hostile or broken project, engine or file system must not do to a run.

Each test reproduces one item of the "Hardening" issue through the command a user runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner, Result

from locpipe import api, catalog
from locpipe.cli import main
from locpipe.project import load_project
from locpipe.results import Kind, Status

from .conftest import SEED, assert_msgfmt_clean, write_libre_project, write_project
from .hostile_server import HostileServer
from .libre_server import LibreServer


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def report_of(root: Path, *args: str) -> tuple[Result, dict[str, object]]:
    """``locpipe run --report`` on a project: the result and the report it wrote."""
    path = root / "report.json"
    args = ("--min-translated", "0", *args)
    result = invoke("run", "--project", str(root), "--report", str(path), *args)
    return result, json.loads(path.read_text(encoding="utf-8"))


def article(root: Path, name: str, text: str = "Titel\n\nEen zin over de oorlog.\n") -> Path:
    path = root / "articles" / "nl" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# One bad article fails alone


def test_a_control_character_fails_that_article_only(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", ("en",))
    article(root, "bad.txt", "Titel\n\nEen zin met \x04 erin.\n")
    article(root, "good.txt")
    result = invoke("extract", "--project", str(root))
    assert result.exit_code == 1
    assert "extract: failed bad: articles/nl/bad.txt:3: control character U+0004" in result.output
    assert "locpipe: error" not in result.output
    assert_msgfmt_clean(root / "locales/en/good.po")
    assert not (root / "locales/en/bad.po").exists()
    # Once fixed, the article is extracted: nothing of the failure was remembered.
    article(root, "bad.txt", "Titel\n\nEen zin zonder.\n")
    again = invoke("extract", "--project", str(root))
    assert again.exit_code == 0, again.output
    assert_msgfmt_clean(root / "locales/en/bad.po")


def test_a_folder_where_a_catalog_belongs_fails_that_catalog_only(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", ("en",))
    article(root, "bad.txt")
    article(root, "good.txt")
    (root / "locales/en/bad.po").mkdir(parents=True)
    result = invoke("extract", "--project", str(root))
    assert result.exit_code == 1
    assert "locales/en/bad.po: cannot read the catalog: Is a directory" in result.output
    assert "locpipe: error" not in result.output
    assert (root / "locales/en/bad.po").is_dir()
    assert_msgfmt_clean(root / "locales/en/good.po")


# File names


def test_upper_case_suffixes_are_articles(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", ("en",))
    article(root, "NIEUWS.TXT")
    article(root, "Uitleg.MD", "# Titel\n\nEen zin.\n")
    result = invoke("extract", "--project", str(root))
    assert result.exit_code == 0, result.output
    assert_msgfmt_clean(root / "locales/en/NIEUWS.po")
    assert_msgfmt_clean(root / "locales/en/Uitleg.po")


def test_a_file_name_with_a_line_break_is_refused(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", ("af",))  # apertium, offline
    article(root, "twee\nregels.txt")
    article(root, "goed.txt")
    result, report = report_of(root)
    assert result.exit_code == 1
    assert "articles/nl/twee\\nregels.txt: a file name with a line break" in result.output
    problems = report["problems"]
    assert isinstance(problems, list)
    assert {(p["article"], p["kind"]) for p in problems} == {("twee\nregels", Kind.SOURCE)}
    assert not list((root / "locales").rglob("twee*"))
    assert_msgfmt_clean(root / "locales/af/goed.po")


def test_a_file_name_that_is_not_utf8_is_refused_and_reported(tmp_path: Path) -> None:
    """As the program runs it: one line names the file by its bytes, and the report is
    JSON, with JSON's escape for what stands in for the byte that is not UTF-8."""
    root = write_project(tmp_path / "project", ("af",))  # apertium, offline
    (root / "articles/nl").mkdir(parents=True, exist_ok=True)
    (root / os.fsdecode(b"articles/nl/caf\xe9.md")).write_bytes(b"# Kop\n\nEen zin.\n")
    article(root, "goed.txt")
    report = root / "report.json"
    done = subprocess.run(
        [sys.executable, "-m", "locpipe", "run", "--project", str(root), "--report", str(report)],
        capture_output=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert b"Traceback" not in done.stderr
    line = b"articles/nl/caf\\xe9.md: a file name that is not UTF-8 cannot name its catalog"
    assert line in done.stderr
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    assert {(p["article"], p["kind"]) for p in problems} >= {("caf\udce9", Kind.SOURCE)}
    assert not list((root / "locales").rglob("caf*"))
    assert_msgfmt_clean(root / "locales/af/goed.po")


def test_the_longest_name_the_file_system_takes_works(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", ("en",))
    name = "a" * (255 - len(".txt"))  # NAME_MAX: catalogs are .po, shorter still
    article(root, f"{name}.txt")
    result = invoke("extract", "--project", str(root))
    assert result.exit_code == 0, result.output
    assert_msgfmt_clean(root / f"locales/en/{name}.po")
    built = invoke("build", "--project", str(root), "--min-translated", "0")
    assert built.exit_code == 0, built.output
    assert (root / f"articles/en/{name}.txt").exists()


# Links out of the project


def test_an_article_linked_out_of_the_project_is_never_read(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", ("af",))
    outside = tmp_path / "secret.txt"
    outside.write_text("Geheim\n\nDe minister treedt morgen af.\n", encoding="utf-8")
    (root / "articles/nl/lek.txt").symlink_to(outside)
    article(root, "goed.txt")
    result, report = report_of(root)
    assert result.exit_code == 1
    assert "articles/nl/lek.txt: links to a file outside the project; not read" in result.output
    problems = report["problems"]
    assert isinstance(problems, list)
    assert {(p["article"], p["kind"]) for p in problems} == {("lek", Kind.SOURCE)}
    assert "minister" not in "".join(p.read_text() for p in (root / "locales").rglob("*.po*"))
    assert_msgfmt_clean(root / "locales/af/goed.po")


def test_a_catalog_linked_out_of_the_project_is_neither_read_nor_written(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", ("en", "de"))
    article(root, "goed.txt")
    outside = tmp_path / "elsewhere.po"
    outside.write_text("not ours", encoding="utf-8")
    (root / "locales/en").mkdir(parents=True)
    (root / "locales/en/goed.po").symlink_to(outside)
    result = invoke("extract", "--project", str(root))
    assert result.exit_code == 1
    assert "locales/en/goed.po: links outside the project; not read or written" in result.output
    assert outside.read_text(encoding="utf-8") == "not ours"
    assert (root / "locales/en/goed.po").is_symlink()


def test_a_folder_outside_the_project_is_a_configuration_error(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", ("en",))
    config = root / "locpipe.toml"
    config.write_text(config.read_text() + "\n[check]\n", encoding="utf-8")
    config.write_text('output = "../site/{lang}"\n' + config.read_text(), encoding="utf-8")
    result = invoke("extract", "--project", str(root))
    assert result.exit_code == 2
    assert "locpipe.toml:1: output: folder '../site/{lang}' is outside the project" in result.output


def test_symlinks_inside_the_project_still_work(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", ("en",))
    target = article(root, "echt.txt")
    (root / "articles/nl/alias.txt").symlink_to(target)
    os.symlink(root / "articles/nl", root / "bron")  # a link that is never walked
    result = invoke("extract", "--project", str(root))
    assert result.exit_code == 0, result.output
    assert_msgfmt_clean(root / "locales/en/alias.po")


# Temporary files


def test_a_run_removes_the_temporaries_a_killed_run_left(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", ("en",))
    article(root, "goed.txt")
    assert invoke("extract", "--project", str(root)).exit_code == 0
    # A pid that is surely dead: a child that has exited and been waited for.
    dead = _dead_pid()
    folder = root / "locales/en"
    stale = folder / f".goed.po.{dead}-3.tmp"
    stale.write_text("half a catalog", encoding="utf-8")
    live = folder / f".goed.po.{os.getppid()}-0.tmp"  # a running process: not ours to judge
    live.write_text("being written", encoding="utf-8")
    unrelated = folder / ".goed.po.tmp"
    unrelated.write_text("someone's own", encoding="utf-8")
    article(root, "goed.txt", "Titel\n\nEen andere zin.\n")  # so the catalog is written
    assert invoke("extract", "--project", str(root)).exit_code == 0
    assert not stale.exists()
    assert live.exists() and unrelated.exists()
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [live.name, unrelated.name, "goed.po"]
    )


def _dead_pid() -> int:
    import subprocess

    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


# Bad values in locpipe.toml


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("[check]\nmin_length = nan", "locpipe.toml:5: min_length: must be a finite number"),
        ("[pretranslate]\ntimeout = inf", "locpipe.toml:5: timeout: must be a finite number"),
        ("x = " + "[" * 5000 + "]" * 5000, "locpipe.toml: not valid TOML: nested too deeply"),
        ("x = " + "{a = " * 3000 + "}" * 3000, "locpipe.toml: not valid TOML: nested too deeply"),
        ("[pretranslate]\nworkers = 99999999999999999999", "workers: must be at most 64"),
        ("[pretranslate]\ntimeout = 1e308", "timeout: must be at most 3600"),
        ("[engine.libre]\nrequests_per_second = 1e-320", "must be at least 0.001"),
    ],
)
def test_bad_values_in_locpipe_toml_are_one_line(tmp_path: Path, extra: str, message: str) -> None:
    root = tmp_path / "project"
    (root / "articles/nl").mkdir(parents=True)
    (root / "locpipe.toml").write_text(
        f'source_language = "nl"\nlanguages = ["en"]\n\n{extra}\n', encoding="utf-8"
    )
    result = invoke("extract", "--project", str(root))
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1
    assert message in result.output
    assert "Traceback" not in result.output


# Glossary CSV that loses terms


def glossary_project(tmp_path: Path, csv_text: str) -> Path:
    root = write_project(tmp_path / "project", ("en",))
    article(root, "goed.txt", "Titel\n\nDe ATACMS en Kyiv.\n")
    (root / "glossary").mkdir()
    (root / "glossary/terms.csv").write_text(csv_text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("csv_text", "problem"),
    [
        (  # the note's quote is never closed: it swallows the two rows after it
            'term,rule,en,note\nATACMS,keep,,"wapen\nKyiv,keep,,\nPoetin,translate,Putin,\n',
            "glossary/terms.csv:2: error: unterminated quote",
        ),
        (  # a term quoted over two lines, closed further on
            'term,rule,en\n"ATACMS\nKyiv",keep,\nPoetin,translate,Putin\n',
            "glossary/terms.csv:2: error: the term cell runs on to line 3",
        ),
        (  # no newline at the end: csv would take the open quote as closed
            'term,rule,en\nATACMS,keep,\nKyiv,keep,\nPoetin,"translate,Putin',
            "glossary/terms.csv:4: error: unterminated quote",
        ),
    ],
)
def test_a_glossary_that_loses_terms_is_an_error_everywhere(
    tmp_path: Path, csv_text: str, problem: str
) -> None:
    root = glossary_project(tmp_path, csv_text)
    checked = invoke("glossary", "check", "--project", str(root))
    assert checked.exit_code == 1
    assert problem in checked.output
    for command in ("extract", "build", "run"):
        refused = invoke(command, "--project", str(root))
        assert refused.exit_code == 2, (command, refused.output)
        assert f"locpipe: error: {problem.replace(': error', '')}" in refused.output
    assert not (root / "locales").exists()  # nothing was extracted with half a glossary


def test_a_multi_line_note_that_holds_rows_is_warned_about(tmp_path: Path) -> None:
    root = glossary_project(
        tmp_path, 'term,rule,en,note\nATACMS,keep,,"wapen\nKyiv,keep,,"\nPoetin,translate,Putin,\n'
    )
    checked = invoke("glossary", "check", "--project", str(root))
    assert "glossary/terms.csv:2: warning: the note runs on to line 3" in checked.output
    assert "glossary: 2 terms, 0 errors, 1 warnings" in checked.output
    assert invoke("extract", "--project", str(root)).exit_code == 0


# Workers die with the run


def _children(parent: int) -> list[int]:
    """The processes whose parent is ``parent``, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rpartition(")")[2].split()[1]) == parent:
            found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    """Whether a process exists and is not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_kill_9_of_the_run_ends_its_workers(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    root = write_project(tmp_path / "project", ("en", "de"))
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for number in range(1500):  # enough work for workers, still busy when killed
        text = "\n".join([f"{lines[0]} ({number})", *lines[1:]])
        article(root, f"artikel-{number:03}.txt", text)
    run = subprocess.Popen(
        [sys.executable, "-m", "locpipe", "extract", "--project", str(root), "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        workers: list[int] = []
        for _ in range(600):  # up to a minute for the workers to start
            workers = _children(run.pid)
            if len(workers) >= 2 or run.poll() is not None:
                break
            time.sleep(0.1)
        assert len(workers) >= 2, "the run ended before its workers could be seen"
        os.kill(run.pid, signal.SIGKILL)
        run.wait()
        for _ in range(100):  # "a second later", with room for a slow machine
            if not any(_running(pid) for pid in workers):
                break
            time.sleep(0.1)
        assert not [pid for pid in workers if _running(pid)]
    finally:
        run.kill()
        run.wait()


# Engines that misbehave


@pytest.fixture
def loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy configured in the environment must not see loopback requests."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


def hostile_project(tmp_path: Path, url: str, **pretranslate: float) -> Path:
    """The seed article, English by the libre engine at ``url``, no glossary."""
    settings: dict[str, float] = {"retries": 0, "workers": 1, **pretranslate}
    return write_libre_project(tmp_path / "project", url, ("en",), glossary=False, **settings)


def language_report(report: dict[str, object]) -> dict[str, object]:
    languages = report["languages"]
    assert isinstance(languages, list)
    first = languages[0]
    assert isinstance(first, dict)
    return first


def test_a_server_that_drips_bytes_is_cut_off_within_the_timeout(
    tmp_path: Path, loopback: None
) -> None:
    with HostileServer("drip") as server:  # a byte every 0.2 s: no single read times out
        root = hostile_project(tmp_path, server.url, timeout=1)
        started = time.monotonic()
        result, report = report_of(root)
        elapsed = time.monotonic() - started
    assert elapsed < 30, "the run waited for the drip"  # it drips for 60 s
    assert result.exit_code == 1
    assert "did not finish its answer in time" in result.output
    assert language_report(report)["error_kind"] == Kind.ENGINE_UNAVAILABLE


def test_an_answer_too_large_is_refused(tmp_path: Path, loopback: None) -> None:
    with HostileServer("huge") as server:
        root = hostile_project(tmp_path, server.url)
        result, report = report_of(root)
    assert result.exit_code == 1
    assert "sent an answer of more than 1000000 bytes" in result.output
    assert language_report(report)["error_kind"] == Kind.ENGINE_REJECTED


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("empty", "answered with nothing for 27 texts"),
        ("flood", "answered with far more than was sent for 27 texts"),
        ("repeat", "answered with far more than was sent for 27 texts"),
        ("control", "answered with a control character (U+0004) for 27 texts"),
        ("surrogate", "answered with a control character (U+D800) for 27 texts"),
        ("quoted", "answered with the text in quotes for 27 texts"),
    ],
)
def test_answers_that_are_no_translation_fail_the_run(
    tmp_path: Path, loopback: None, mode: str, reason: str
) -> None:
    with HostileServer(mode) as server:
        root = hostile_project(tmp_path, server.url)
        result, report = report_of(root)
    assert result.exit_code == 1
    assert f"pretranslate en (libre): libre: {reason}" in result.output
    summary = language_report(report)
    assert summary["error_kind"] == Kind.ENGINE_REJECTED
    # Nothing refused was kept: those entries stay untranslated, for the next run to try.
    po = polib.pofile(str(root / "locales/en/atacms.po"))
    assert not any(entry.msgstr for entry in po)
    assert all("\x04" not in entry.msgstr and "\ud800" not in entry.msgstr for entry in po)


def test_a_key_echoed_by_the_server_is_never_printed_or_reported(
    tmp_path: Path, loopback: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = "sk-live-0123456789abcdef"
    monkeypatch.setenv("LOCPIPE_TEST_LIBRE_KEY", key)
    with HostileServer("echo-key") as server:
        root = hostile_project(tmp_path, server.url)
        config = root / "locpipe.toml"
        config.write_text(
            config.read_text() + 'api_key_env = "LOCPIPE_TEST_LIBRE_KEY"\n', encoding="utf-8"
        )
        result, _ = report_of(root)
    assert result.exit_code == 1
    assert "Invalid API key: [redacted]" in result.output
    assert key not in result.output
    assert key not in (root / "report.json").read_text(encoding="utf-8")


def test_the_budget_stops_sending_and_says_so(tmp_path: Path, libre: LibreServer) -> None:
    libre.state.delay = 0.7  # each answer in time, but two of them outlast the budget
    root = write_libre_project(
        tmp_path / "project",
        libre.url,
        ("en", "de"),
        glossary=False,
        timeout=5,
        retries=0,
        workers=1,
        budget=1,
    )
    started = time.monotonic()
    result, report = report_of(root)
    assert time.monotonic() - started < 30
    assert result.exit_code == 1
    line = "pretranslate de (libre): libre: the [pretranslate] budget of 1 s is used up"
    assert line in result.output
    languages = report["languages"]
    assert isinstance(languages, list)
    assert languages[1]["error_kind"] == Kind.ENGINE_UNAVAILABLE
    assert languages[1]["pretranslate"]["requests"] == 0  # nothing sent once it was spent


def test_a_translators_save_during_extract_is_never_lost(tmp_path: Path) -> None:
    """Lost update: a translator saves (atomically, as Poedit does, or in place) at random
    moments while extract merges the same catalog; extract either merges the save or leaves
    the file as saved (a conflict), and never writes over it."""
    import random
    import threading

    from locpipe import api, load_project

    root = tmp_path / "p"
    (root / "articles/nl").mkdir(parents=True)
    (root / "locpipe.toml").write_text(
        'source_language = "nl"\nlanguages = ["en"]\n', encoding="utf-8"
    )
    source = root / "articles/nl/a.txt"
    po_path = root / "locales/en/a.po"
    project = load_project(root)
    rng = random.Random(2026)
    conflicts = 0
    for round_number in range(150):
        paragraphs = "\n\n".join(f"Alinea {n} van ronde {round_number}." for n in range(30))
        source.write_text(f"Titel\n\nVaste zin.\n\n{paragraphs}\n", encoding="utf-8")
        if round_number == 0:
            api.extract(project, jobs=1)
        before = po_path.read_text(encoding="utf-8")
        saved = before.replace(
            'msgid "Vaste zin."\nmsgstr ""', 'msgid "Vaste zin."\nmsgstr "Fixed."'
        )
        assert saved != before or 'msgstr "Fixed."' in before

        def save(text: str = saved, atomic: bool = round_number % 2 == 0) -> None:
            time.sleep(rng.uniform(0, 0.004))
            if atomic:
                temporary = po_path.with_name("poedit.tmp")
                temporary.write_text(text, encoding="utf-8")
                temporary.replace(po_path)
            else:
                with po_path.open("r+", encoding="utf-8") as handle:
                    handle.seek(0)
                    handle.write(text)
                    handle.truncate()

        saver = threading.Thread(target=save)
        saver.start()
        result = api.extract(project, jobs=1, incremental=False)
        saver.join()
        conflicts += sum(1 for o in result.problems if o.kind == Kind.CONFLICT)
        final = po_path.read_text(encoding="utf-8")
        assert 'msgid "Vaste zin."\nmsgstr "Fixed."' in final, (round_number, result.problems)
    assert conflicts < 150  # most rounds merge the save; the rest leave it as saved


@pytest.mark.parametrize("atomic", [True, False])
@pytest.mark.parametrize("every_time", [False, True])
def test_a_save_between_extracts_read_and_write_is_never_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, atomic: bool, every_time: bool
) -> None:
    """The worst moment: the translator saves after extract read the catalog and before it
    writes the merge.  The write fails (a compare-and-swap) and extract merges again, now
    with the save; a translator who saves at that moment every time gets a conflict
    reported and the file as saved."""
    from locpipe import api, catalog, load_project

    root = tmp_path / "p"
    (root / "articles/nl").mkdir(parents=True)
    (root / "locpipe.toml").write_text('source_language = "nl"\nlanguages = ["en"]\n', "utf-8")
    source = root / "articles/nl/a.txt"
    source.write_text("Titel\n\nVaste zin.\n\nTweede zin.\n", encoding="utf-8")
    project = load_project(root)
    api.extract(project, jobs=1)
    po_path = root / "locales/en/a.po"
    saved = po_path.read_text(encoding="utf-8").replace(
        'msgid "Vaste zin."\nmsgstr ""', 'msgid "Vaste zin."\nmsgstr "Fixed."'
    )
    real = catalog.update_catalog
    saves: list[str] = []

    def merge_while_the_translator_saves(*args: object, **kwargs: object) -> object:
        merged = real(*args, **kwargs)  # type: ignore[arg-type]
        if every_time or not saves:
            text = saved + f"\n# save {len(saves)}\n" if every_time else saved
            saves.append(text)
            if atomic:
                (po_path.parent / "poedit.tmp").write_text(text, encoding="utf-8")
                (po_path.parent / "poedit.tmp").replace(po_path)
            else:
                po_path.write_text(text, encoding="utf-8")
        return merged

    monkeypatch.setattr(catalog, "update_catalog", merge_while_the_translator_saves)
    source.write_text("Titel\n\nVaste zin.\n\nEen andere zin.\n", encoding="utf-8")
    result = api.extract(project, jobs=1)
    monkeypatch.undo()
    now = po_path.read_text(encoding="utf-8")
    if every_time:
        assert [(o.language, o.kind) for o in result.problems] == [("en", Kind.CONFLICT)]
        assert now == saves[-1]  # left exactly as last saved
        result = api.extract(project, jobs=1)  # the next run merges it
        now = po_path.read_text(encoding="utf-8")
    assert result.problems == ()
    assert 'msgid "Vaste zin."\nmsgstr "Fixed."' in now and "Een andere zin." in now


def test_a_hung_engine_is_waited_for_once_not_once_per_language(
    tmp_path: Path, loopback: None
) -> None:
    with HostileServer("drip") as server:
        root = write_libre_project(
            tmp_path / "project", server.url, ("en", "de"), glossary=False, retries=0, timeout=1
        )
        result, report = report_of(root)
    assert result.exit_code == 1
    en, de = report["languages"]  # type: ignore[misc]
    assert "did not finish its answer in time" in en["error"]
    assert de["error"].endswith("(not tried again for de)")
    assert de["pretranslate"]["requests"] == 0 and de["error_kind"] == Kind.ENGINE_UNAVAILABLE


def _extract_in_a_process(root: Path) -> subprocess.CompletedProcess[bytes]:
    """``locpipe extract`` as the program runs it; a stage that hangs fails the test."""
    return subprocess.run(
        [sys.executable, "-m", "locpipe", "extract", "--project", str(root)],
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_a_named_pipe_for_the_run_state_is_no_state_and_does_not_hang(tmp_path: Path) -> None:
    """Reading a named pipe would wait for a writer for ever: it is no run state, and the
    stage replaces it with one."""
    root = write_project(tmp_path / "project", ("en",))
    article(root, "een.txt")
    (root / ".locpipe").mkdir()
    os.mkfifo(root / ".locpipe/state.json")
    done = _extract_in_a_process(root)
    assert done.returncode == 0, done.stderr
    assert (root / ".locpipe/state.json").is_file()
    assert_msgfmt_clean(root / "locales/en/een.po")


def test_a_named_pipe_where_a_catalog_belongs_fails_that_catalog_alone(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", ("en",))
    article(root, "een.txt")
    article(root, "twee.txt")
    (root / "locales/en").mkdir(parents=True)
    os.mkfifo(root / "locales/en/een.po")
    done = _extract_in_a_process(root)
    assert done.returncode == 1
    assert b"Traceback" not in done.stderr
    assert (
        b"locales/en/een.po: cannot read the catalog: not a regular file"
        in done.stdout + done.stderr
    )
    assert_msgfmt_clean(root / "locales/en/twee.po")


def test_a_named_pipe_where_a_template_belongs_is_replaced_by_the_template(
    tmp_path: Path,
) -> None:
    """A template is generated, never edited: one that cannot be read is rebuilt."""
    root = write_project(tmp_path / "project", ("en",))
    article(root, "een.txt")
    (root / "locales/templates").mkdir(parents=True)
    os.mkfifo(root / "locales/templates/een.pot")
    done = _extract_in_a_process(root)
    assert done.returncode == 0, done.stderr
    assert_msgfmt_clean(root / "locales/templates/een.pot")


def test_a_template_rewritten_while_extract_works_is_written_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unlike a catalog, a template holds nothing of a person's: another tool's write
    between extract's reading and writing it is no conflict, and extract's template wins."""
    root = write_project(tmp_path / "project", ("en",))
    source = article(root, "een.txt")
    assert CliRunner().invoke(main, ["extract", "--project", str(root)]).exit_code == 0
    source.write_text("Titel\n\nEen andere zin.\n", encoding="utf-8")
    template = root / "locales/templates/een.pot"
    real = catalog.refresh_template

    def meanwhile(new: catalog.Catalog, old: catalog.Catalog | None) -> catalog.Catalog:
        template.write_bytes(template.read_bytes() + b"\n# regenerated by another tool\n")
        return real(new, old)

    monkeypatch.setattr(catalog, "refresh_template", meanwhile)
    result = api.extract(load_project(root), jobs=1)
    assert {(o.language, o.status) for o in result.outcomes} == {
        (None, Status.WRITTEN),
        ("en", Status.WRITTEN),
    }
    assert b"another tool" not in template.read_bytes()
    assert_msgfmt_clean(template)


def test_a_run_state_nested_too_deep_to_read_is_no_state(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", ("en",))
    article(root, "een.txt")
    (root / ".locpipe").mkdir()
    (root / ".locpipe/state.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    done = _extract_in_a_process(root)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    assert_msgfmt_clean(root / "locales/en/een.po")
