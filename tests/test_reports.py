"""The machine-readable reports: ``stats --format json`` and ``run --report``, checked
against the JSON Schemas shipped in ``schemas/`` and against the catalogs they describe.
Engines run against the LibreTranslate-compatible server on loopback."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import polib
import pytest
from click.testing import CliRunner, Result

from locpipe import catalog
from locpipe.cli import main
from locpipe.summaries import CatalogStats

from .conftest import REPO, write_libre_project
from .libre_server import LibreServer

SCHEMAS = REPO / "schemas"
EXPLAINER = "Uitleg\n\nDit is een korte uitleg over ATACMS.\n"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def counts(root: Path, language: str, name: str) -> CatalogStats:
    po = polib.pofile(str(root / "locales" / language / f"{name}.po"))
    return catalog.count_catalog(po)


def run_with_report(root: Path, *options: str) -> tuple[Result, dict[str, Any]]:
    report = root / "out" / "report.json"
    result = invoke("run", "--project", root, "--report", report, *options)
    return result, json.loads(report.read_text(encoding="utf-8"))


@pytest.fixture
def libre_project(libre: LibreServer, tmp_path: Path) -> Path:
    """The seed and a second article, translated by the loopback server, en and de."""
    root = write_libre_project(tmp_path / "project", libre.url, ("en", "de"), glossary=False)
    (root / "articles" / "nl" / "uitleg.txt").write_text(EXPLAINER, encoding="utf-8")
    return root


# stats --format json


def test_stats_json_matches_its_schema_and_the_catalogs(libre_project: Path) -> None:
    root = libre_project
    assert invoke("extract", "--project", root, "--lang", "en").exit_code == 0
    assert invoke("pretranslate", "--project", root, "--lang", "en").exit_code == 0
    # A reviewer finishes one entry of the explainer.
    po = polib.pofile(str(root / "locales" / "en" / "uitleg.po"))
    po[0].msgstr, po[0].flags = "Explainer", []
    po.save()

    result = invoke("stats", "--project", root, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    validator("stats").validate(document)
    assert document["version"] == 1 and document["threshold"] == 80
    by_language = {lang["language"]: lang["articles"] for lang in document["languages"]}
    en = {row["article"]: row for row in by_language["en"]}
    expected = counts(root, "en", "uitleg")
    assert (en["uitleg"]["translated"], en["uitleg"]["machine"]) == (1, expected.machine)
    assert en["uitleg"]["entries"] == expected.entries == 2
    assert en["uitleg"]["catalog"] == "locales/en/uitleg.po"
    assert en["uitleg"]["percent_complete"] == 100 and en["uitleg"]["publishable"] is True
    assert en["atacms"]["machine"] == 27 and en["atacms"]["publishable"] is True
    # No catalog in German yet: no counts, and nothing to publish.
    assert by_language["de"] == [
        {"article": "atacms", "catalog": None, "publishable": False, "error": None},
        {"article": "uitleg", "catalog": None, "publishable": False, "error": None},
    ]


def test_stats_publishable_follows_the_threshold_like_build(libre_project: Path) -> None:
    root = libre_project
    invoke("extract", "--project", root, "--lang", "en")
    po = polib.pofile(str(root / "locales" / "en" / "uitleg.po"))
    po[0].msgstr = "Explainer"  # one of two entries: 50%
    po.save()
    for threshold, publishable in (("51", False), ("50", True)):
        result = invoke(
            "stats", "--project", root, "--lang", "en", "--format", "json",
            "--min-translated", threshold,
        )  # fmt: skip
        document = json.loads(result.stdout)
        validator("stats").validate(document)
        row = document["languages"][0]["articles"][1]
        assert (row["article"], row["percent_complete"]) == ("uitleg", 50)
        assert row["publishable"] is publishable
        built = invoke("build", "--project", root, "--lang", "en", "--min-translated", threshold)
        assert (root / "articles" / "en" / "uitleg.txt").exists() is publishable, built.output
    table = invoke("stats", "--project", root, "--lang", "en", "--min-translated", "50").stdout
    assert "build" in table.splitlines()[0]
    assert [line.split()[-1] for line in table.splitlines()[1:3]] == ["no", "yes"]


# run --report


def test_run_report_matches_its_schema_and_the_catalogs(
    libre: LibreServer, libre_project: Path
) -> None:
    root = libre_project
    result, report = run_with_report(root)
    assert result.exit_code == 0, result.output
    validator("run-report").validate(report)
    assert report["version"] == 1 and report["exit_code"] == 0
    assert [s["stage"] for s in report["stages"]] == ["extract", "pretranslate", "build"]
    assert report["duration_seconds"] >= 0 and report["started"] <= report["finished"]
    assert [(a["article"], a["units"], a["entries"]) for a in report["articles"]] == [
        ("atacms", 39, 27),
        ("uitleg", 2, 2),
    ]
    assert report["problems"] == []
    (engine,) = report["engines"]
    assert engine["engine"] == "libre" and engine["languages"] == ["en", "de"]
    assert engine["requests"] == libre.state.requests
    assert engine["characters"] == sum(len(text) for text in libre.state.texts)
    for language in report["languages"]:
        lang = language["language"]
        for article in language["articles"]:
            name, filled = article["article"], article["pretranslate"]
            assert filled["machine"] == counts(root, lang, name).machine
            assert article["catalog"]["status"] == "written"
            assert article["build"] == {
                "status": "written",
                "path": f"articles/{lang}/{name}.txt",
                "reason": None,
                "kind": None,
                "checks": [],
            }
        total = sum(a["pretranslate"]["machine"] for a in language["articles"])
        assert total == language["pretranslate"]["machine"] == 29


def test_run_report_says_why_articles_were_skipped(libre_project: Path) -> None:
    root = libre_project
    (root / "articles" / "nl" / "leeg.txt").write_text("\n", encoding="utf-8")
    result, report = run_with_report(root, "--reviewed-only", "--lang", "en")
    assert result.exit_code == 1
    validator("run-report").validate(report)
    assert report["exit_code"] == 1
    empty = next(a for a in report["articles"] if a["article"] == "leeg")
    assert empty["status"] == "prose-free" and "nothing to translate" in empty["reason"]
    (english,) = report["languages"]
    builds = {a["article"]: a["build"] for a in english["articles"]}
    assert (
        builds["leeg"]["status"] == "prose-free"
        and builds["leeg"]["path"] == "articles/en/leeg.txt"
    )
    assert builds["atacms"]["status"] == "skipped"
    assert "0 of 27 entries translated" in builds["atacms"]["reason"]
    skipped = {(p["stage"], p["article"]) for p in report["problems"]}
    assert skipped == {
        ("build", "atacms"),
        ("build", "uitleg"),
    }
    assert all(p["reason"] for p in report["problems"])


def test_a_wrong_report_fails_validation(libre_project: Path) -> None:
    _, report = run_with_report(libre_project, "--lang", "en")
    check = validator("run-report")
    check.validate(report)
    broken = []
    unexplained = {"status": "skipped", "path": "x", "reason": None, "kind": None}
    for mutate in (
        lambda r: r.pop("stages"),
        lambda r: r.update(version=2),
        lambda r: r.update(surprise=True),
        lambda r: r["languages"][0]["articles"][0]["pretranslate"].update(machine=-1),
        lambda r: r["languages"][0]["articles"][0].update(build=unexplained),
    ):
        wrong = copy.deepcopy(report)
        mutate(wrong)
        broken.append(not check.is_valid(wrong))
    assert broken == [True] * 5
    stats = json.loads(invoke("stats", "--project", libre_project, "--format", "json").stdout)
    stats["languages"][0]["articles"][0]["publishable"] = "yes"
    assert not validator("stats").is_valid(stats)


# Output to a pipe or a file


def test_run_into_pipes_writes_no_escape_codes(libre_project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "locpipe", "run", "--project", str(libre_project)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "build: 2 articles, 2 languages: 4 written" in done.stdout
    for stream in (done.stdout, done.stderr):
        assert "\x1b[" not in stream and "\r" not in stream


def test_run_report_lists_the_checks_a_published_catalog_fails(libre_project: Path) -> None:
    root = libre_project
    run_with_report(root, "--lang", "en")
    po_path = root / "locales" / "en" / "atacms.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if "minstens 14" in e.msgid)
    entry.msgstr = entry.msgstr.replace("14", "41")  # a person slips on a number
    entry.flags = []
    po.save()
    result, report = run_with_report(root, "--lang", "en")
    assert "build: check:" in result.stderr
    validator("run-report").validate(report)
    (language,) = report["languages"]
    built = next(a for a in language["articles"] if a["article"] == "atacms")["build"]
    assert built["status"] == "written"  # publishing is not blocked without --strict
    assert [(c["check"], c["severity"], c["path"]) for c in built["checks"]] == [
        ("numbers", "error", "locales/en/atacms.po")
    ]
