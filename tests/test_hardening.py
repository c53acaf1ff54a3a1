"""Hardening: what a hostile or broken project, engine or file system must not do to a run.

Each test reproduces one item of the "Hardening" issue through the command a user runs.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from locpipe.cli import main

from .conftest import assert_msgfmt_clean, write_project


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
