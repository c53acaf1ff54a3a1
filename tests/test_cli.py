"""The command line: what batch jobs and people see, exit codes, and one-line errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
from click.testing import CliRunner, Result

from locpipe.cli import main

from .conftest import SEED, assert_msgfmt_clean, write_project


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_one_line_error(result: Result, *needles: str) -> None:
    """The failure is reported on stderr in one line per problem, with no traceback."""
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for needle in needles:
        assert needle in result.stderr, result.stderr


def test_run_on_a_fresh_project_extracts_and_skips_untranslated(project: Path) -> None:
    result = invoke("run", "--project", str(project))
    assert result.exit_code == 1  # nothing is translated yet: both languages skipped
    assert "below the 80% threshold" in result.stderr
    for path in [
        project / "locales/templates/atacms.pot",
        project / "locales/en/atacms.po",
        project / "locales/de/atacms.po",
    ]:
        assert_msgfmt_clean(path)
    assert not (project / "articles/en").exists()


def test_rerun_rewrites_nothing(project: Path, snapshot) -> None:
    invoke("extract", "--project", str(project))
    before = snapshot(project)
    mtimes = {p: p.stat().st_mtime_ns for p in project.rglob("*.po*")}
    result = invoke("extract", "--project", str(project))
    assert result.exit_code == 0
    assert result.stdout == "extract: 1 article, 2 languages: 3 unchanged\n"
    assert snapshot(project) == before
    assert {p: p.stat().st_mtime_ns for p in project.rglob("*.po*")} == mtimes


def test_extract_leaves_the_plural_forms_a_catalog_has(project: Path) -> None:
    invoke("extract", "--project", str(project))
    po_path = project / "locales/en/atacms.po"
    rule = "nplurals=2; plural=n != 1;"  # as a translator's tool may write it
    po_path.write_text(
        po_path.read_text(encoding="utf-8").replace(
            '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', f'"Plural-Forms: {rule}\\n"'
        ),
        encoding="utf-8",
    )
    source = project / "articles/nl/atacms.txt"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Tijdens de ontmoeting", "Bij de ontmoeting"), "utf-8")
    assert invoke("extract", "--project", str(project)).exit_code == 0
    po = polib.pofile(str(po_path))
    assert any(entry.msgid.startswith("Bij de ontmoeting") for entry in po)
    assert po.metadata["Plural-Forms"] == rule


def test_build_writes_translated_articles_and_respects_threshold(project: Path) -> None:
    invoke("extract", "--project", str(project))
    po_path = project / "locales/en/atacms.po"
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = entry.msgid.upper()
    po.save()
    result = invoke("build", "--project", str(project), "--lang", "en")
    assert result.exit_code == 0, result.output
    built = (project / "articles/en/atacms.txt").read_text(encoding="utf-8")
    assert built == SEED.read_text(encoding="utf-8").upper()

    po = polib.pofile(str(po_path))
    for entry in list(po)[:10]:
        entry.msgstr = ""
    po.save()
    result = invoke("build", "--project", str(project), "--lang", "en")
    assert result.exit_code == 1
    assert "17 of 27 entries translated (63%, below the 80% threshold)" in result.stderr
    result = invoke("build", "--project", str(project), "--lang", "en", "--min-translated", "60")
    assert result.exit_code == 0


def test_fuzzy_entries_are_used_only_when_asked(project: Path) -> None:
    invoke("extract", "--project", str(project))
    po_path = project / "locales/en/atacms.po"
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = "X " + entry.msgid
        entry.flags.append("fuzzy")
    po.save()
    assert invoke("build", "--project", str(project), "--lang", "en").exit_code == 1
    result = invoke("build", "--project", str(project), "--lang", "en", "--include-fuzzy")
    assert result.exit_code == 0
    assert (project / "articles/en/atacms.txt").read_text(encoding="utf-8").startswith("X VS")


def test_edited_source_keeps_every_translation(project: Path) -> None:
    invoke("extract", "--project", str(project))
    po_path = project / "locales/en/atacms.po"
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = f"[en] {entry.msgid}"
    po.save()

    source = project / "articles/nl/atacms.txt"
    text = source.read_text(encoding="utf-8")
    edited = text.replace("flink onder druk zetten.", "ernstig onder druk zetten.")
    edited = edited.replace(
        "Angst voor escalatie\n\n",
        "Angst voor escalatie\n\nEen nieuw ingevoegde alinea over iets anders.\n\n",
        2,
    )
    edited = edited.replace("Meer voor jou", "")
    source.write_text(edited, encoding="utf-8")

    assert invoke("extract", "--project", str(project)).exit_code == 0
    po = polib.pofile(str(po_path))
    by_id = {e.msgid: e for e in po if not e.obsolete}
    changed = next(e for e in po if "ernstig onder druk" in e.msgid)
    assert "fuzzy" in changed.flags
    assert changed.previous_msgid and "flink onder druk" in changed.previous_msgid
    assert changed.msgstr.startswith("[en] ") and "flink" in changed.msgstr
    inserted = by_id["Een nieuw ingevoegde alinea over iets anders."]
    assert inserted.msgstr == "" and "fuzzy" not in inserted.flags
    # nothing else turned fuzzy: identity is the text, not the line number
    assert [e.msgid for e in po if "fuzzy" in e.flags] == [changed.msgid]
    obsolete = [e for e in po if e.obsolete]
    assert [(e.msgid, e.msgstr) for e in obsolete] == [("Meer voor jou", "[en] Meer voor jou")]
    assert_msgfmt_clean(po_path)


def test_init_then_run(tmp_path: Path) -> None:
    result = invoke("init", str(tmp_path / "new"), "--languages", "en,fr")
    assert result.exit_code == 0, result.output
    (tmp_path / "new/articles/nl/a.md").write_text("# Titel\n\nTekst.\n", encoding="utf-8")
    result = invoke("extract", "--project", str(tmp_path / "new"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new/locales/fr/a.po").is_file()
    assert invoke("init", str(tmp_path / "new")).exit_code == 2


def test_segments_shows_kind_section_and_line() -> None:
    result = invoke("segments", str(SEED))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 39
    assert lines[0].split()[:2] == ["1", "title"]
    assert "15  heading            [Tekort aan ATACMS]  Tekort aan ATACMS" in lines[13]
    assert result.stderr.strip() == "39 units"


def test_stats_table_and_json(project: Path) -> None:
    invoke("extract", "--project", str(project))
    result = invoke("stats", "--project", str(project), "--format", "json")
    assert result.exit_code == 0
    import json

    document = json.loads(result.stdout)
    rows = [
        {"language": lang["language"], **row}
        for lang in document["languages"]
        for row in lang["articles"]
    ]
    assert {(r["language"], r["article"], r["untranslated"]) for r in rows} == {
        ("en", "atacms", 27),
        ("de", "atacms", 27),
    }
    table = invoke("stats", "--project", str(project)).stdout
    assert "atacms" in table and "0%" in table


# Bad input: one clear line, the right exit code, nothing lost or half-written.


def test_config_error_exits_2(tmp_path: Path) -> None:
    root = write_project(tmp_path)
    (root / "locpipe.toml").write_text('source_language = "nl"\nlanguages = ["qq1"]\n')
    result = invoke("extract", "--project", str(root))
    assert result.exit_code == 2
    assert_one_line_error(result, "locpipe.toml:2: languages:", "qq1")
    assert len(result.stderr.splitlines()) == 1


def test_unknown_lang_option_exits_2(project: Path) -> None:
    result = invoke("build", "--project", str(project), "--lang", "fr")
    assert result.exit_code == 2
    assert_one_line_error(result, "--lang fr: not a language of this project")


def test_empty_and_title_only_articles(project: Path) -> None:
    (project / "articles/nl/leeg.txt").write_bytes(b"")
    (project / "articles/nl/titel.txt").write_text("Alleen een titel\n", encoding="utf-8")
    result = invoke("extract", "--project", str(project))
    assert result.exit_code == 0
    assert "3 prose-free" in result.stdout and "leeg" not in result.stderr
    assert not (project / "locales/en/leeg.po").exists()
    assert (project / "locales/en/titel.po").is_file()
    assert (project / "locales/en/atacms.po").is_file()


def test_invalid_utf8_names_file_and_byte_offset(project: Path) -> None:
    (project / "articles/nl/kapot.txt").write_bytes(b"Titel\n\nCaf\xe9 ligt\n")
    result = invoke("extract", "--project", str(project))
    assert result.exit_code == 1
    assert_one_line_error(result, "articles/nl/kapot.txt:3: invalid UTF-8 at byte offset 10")
    assert not (project / "locales/en/kapot.po").exists()
    assert (project / "locales/en/atacms.po").is_file()  # the rest of the run went on


def test_binary_file(project: Path) -> None:
    (project / "articles/nl/plaatje.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = invoke("extract", "--project", str(project))
    assert result.exit_code == 1
    assert_one_line_error(result, "articles/nl/plaatje.txt: binary file")


def test_broken_po_is_reported_and_left_untouched(project: Path) -> None:
    invoke("extract", "--project", str(project))
    po_path = project / "locales/en/atacms.po"
    lines = po_path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith('msgstr ""') and i > 20)
    lines[number] = 'msgstr "Shortage of ATACMS\n'  # a translator forgot the closing quote
    broken = "".join(lines).encode("utf-8")
    po_path.write_bytes(broken)

    for command in ("extract", "build", "run"):
        result = invoke(command, "--project", str(project))
        assert result.exit_code == 1
        assert_one_line_error(result, f"locales/en/atacms.po:{number + 1}:")
        assert po_path.read_bytes() == broken
    assert (project / "locales/de/atacms.po").is_file()


def test_a_file_that_cannot_be_written_fails_its_article_only(project: Path) -> None:
    # A directory where a catalog and an output should go: writing there fails even as root.
    shutil.copy(SEED, project / "articles/nl/tweede.txt")
    template = project / "locales/templates/atacms.pot"
    template.mkdir(parents=True)
    result = invoke("extract", "--project", str(project))
    assert result.exit_code == 1
    assert_one_line_error(result, "locales/templates/atacms.pot: cannot write: Is a directory")
    assert_msgfmt_clean(project / "locales/templates/tweede.pot")
    assert not list(project.rglob("*.tmp"))

    template.rmdir()
    assert invoke("extract", "--project", str(project)).exit_code == 0  # not remembered as done
    assert_msgfmt_clean(template)
    for name in ("atacms", "tweede"):
        po = polib.pofile(str(project / f"locales/en/{name}.po"))
        for entry in po:
            entry.msgstr = entry.msgid
        po.save()
    (project / "articles/en/atacms.txt").mkdir(parents=True)
    result = invoke("build", "--project", str(project), "--lang", "en")
    assert result.exit_code == 1
    assert_one_line_error(result, "articles/en/atacms.txt: cannot write: Is a directory")
    assert (project / "articles/en/tweede.txt").read_text(encoding="utf-8") == SEED.read_text(
        encoding="utf-8"
    )
    (project / "articles/en/atacms.txt").rmdir()
    assert invoke("build", "--project", str(project), "--lang", "en").exit_code == 0
    assert (project / "articles/en/atacms.txt").is_file()


def test_po_language_header_must_match_its_folder(project: Path) -> None:
    invoke("extract", "--project", str(project))
    po_path = project / "locales/de/atacms.po"
    text = po_path.read_text(encoding="utf-8").replace('"Language: de\\n"', '"Language: fr\\n"')
    po_path.write_text(text, encoding="utf-8")
    result = invoke("extract", "--project", str(project))
    assert result.exit_code == 1
    assert_one_line_error(result, "locales/de/atacms.po:", "fr", "de")
    assert po_path.read_text(encoding="utf-8") == text


def test_articles_differing_only_by_extension(project: Path) -> None:
    (project / "articles/nl/dubbel.txt").write_text("Titel\n", encoding="utf-8")
    (project / "articles/nl/dubbel.md").write_text("# Titel\n", encoding="utf-8")
    result = invoke("extract", "--project", str(project))
    assert result.exit_code == 1
    assert_one_line_error(
        result, "articles/nl/dubbel.md and articles/nl/dubbel.txt would share one catalog"
    )
    assert not (project / "locales/en/dubbel.po").exists()


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = invoke("--debug", "extract", "--project", str(tmp_path))
    assert result.exception is not None and not isinstance(result.exception, SystemExit)


def test_console_script_runs_as_a_process(project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "locpipe", "extract", "--project", str(project)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "extract: 1 article, 2 languages: 3 written\n"
    assert "\x1b[" not in done.stdout + done.stderr  # no escape codes into a pipe


def test_a_process_ends_with_its_commands_code_and_every_line_it_printed(
    project: Path, tmp_path: Path
) -> None:
    """The program leaves without the interpreter's teardown: the code, the one-line
    error and all buffered output must still come out, as they do from ``main``."""
    (project / "articles/nl/kapot.txt").write_bytes(b"Titel\n\n\xff kapot\n")
    problems = subprocess.run(
        [sys.executable, "-m", "locpipe", "extract", "--project", str(project)],
        capture_output=True,
        text=True,
    )
    assert problems.returncode == 1
    assert "articles/nl/kapot.txt" in problems.stderr
    assert problems.stdout == "extract: 2 articles, 2 languages: 3 written, 1 failed\n"
    usage = subprocess.run(
        [sys.executable, "-m", "locpipe", "extract", "--project", str(tmp_path / "leeg")],
        capture_output=True,
        text=True,
    )
    assert usage.returncode == 2
    assert usage.stderr.count("\n") == 1 and usage.stderr.startswith("locpipe: error: ")
    # Far more than a pipe or a file's buffer holds, printed to a file: every line arrives.
    big = tmp_path / "groot.txt"
    lines = "\n\n".join(f"Alinea {n}." for n in range(5000))
    big.write_text(f"Titel\n\n{lines}\n", encoding="utf-8")
    listing = tmp_path / "segments.out"
    with listing.open("wb") as out:
        code = subprocess.run(
            [sys.executable, "-m", "locpipe", "segments", str(big)], stdout=out
        ).returncode
    assert code == 0
    assert listing.read_text(encoding="utf-8") == invoke("segments", str(big)).stdout


def test_project_may_come_before_the_command(project: Path) -> None:
    result = invoke("--project", str(project), "extract")
    assert result.exit_code == 0, result.output
    assert (project / "locales/en/atacms.po").is_file()
    assert invoke("--project", str(project), "glossary", "check").exit_code == 0


def test_a_reader_that_goes_away_ends_the_output_quietly(tmp_path: Path) -> None:
    big = tmp_path / "groot.txt"  # far more than a pipe holds, so the writer meets EPIPE
    big.write_text(
        "Titel\n\n" + "\n\n".join(f"Alinea {n} over de oorlog." for n in range(20000)) + "\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        f"{sys.executable} -m locpipe segments {big} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.count("\n") == 1
    assert "Broken pipe" not in done.stderr and "Traceback" not in done.stderr


def test_the_cli_called_in_a_process_leaves_its_garbage_collector_as_it_was(
    tmp_path: Path,
) -> None:
    """Only the program (``program``), which owns its process, tunes the collector; tests and
    programs that call ``main`` keep theirs."""
    import gc

    before = gc.get_threshold(), gc.get_freeze_count()
    CliRunner().invoke(main, ["stats", "--project", str(tmp_path)])
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_the_program_imports_with_the_collector_off_and_runs_with_it_on() -> None:
    """``locpipe`` (``locpipe.__main__:main``) turns the collector off while it imports,
    and back on, frozen and tuned, before the command runs."""
    code = (
        "import gc, sys\n"
        "import locpipe.cli as cli\n"
        "seen = []\n"
        "cli.main = lambda: seen.append((gc.isenabled(), gc.get_threshold()[0]))\n"
        "from locpipe.__main__ import main\n"
        "main()\n"
        "print(seen, gc.get_freeze_count() > 0)\n"
    )
    assert _printed_by(code) == "[(True, 50000)] True"


def test_the_collector_is_on_again_when_the_program_cannot_import() -> None:
    """A program that embeds locpipe and calls its main keeps a working collector, even
    when the import fails."""
    code = (
        "import gc, sys\n"
        "sys.modules['locpipe.cli'] = None  # makes importing it fail\n"
        "from locpipe.__main__ import main\n"
        "try:\n"
        "    main()\n"
        "except ImportError:\n"
        "    print(gc.isenabled())\n"
    )
    assert _printed_by(code) == "True"


def _printed_by(code: str) -> str:
    """What a fresh interpreter prints running ``code``."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()
