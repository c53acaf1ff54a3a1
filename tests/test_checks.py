"""Quality checks: each check at its entry's line, ignore flags, severities, CLI and build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from locpipe.catalog import read_catalog, write_catalog
from locpipe.checks import CHECKS, check_catalog
from locpipe.cli import main
from locpipe.errors import ConfigError
from locpipe.glossary import read_glossary
from locpipe.project import load_project

from .conftest import GLOSSARY, REPO, write_project

HEADER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: en\\n"
"""

# One planted problem per check: (check, msgid, msgstr, extra flags).
PLANTED = [
    ("glossary", "De ATACMS-raketten zijn er.", "The Atacms missiles are here <apertium-notrans>."),
    ("numbers", "Er zijn 200 raketten.", "There are 300 missiles."),
    ("markdown", "Zie [de site](https://a.nl) nu.", "See [the site](https://b.nl) now."),
    ("empty", "Nog een zin.", " "),
    ("whitespace", "Een zin.", "A sentence. "),
    ("punctuation", "Wat gebeurt er nu?", "What happens now."),
    ("untranslated", "Meer voor jou en mij", "Meer voor jou en mij"),
    ("doubled-word", "De raket vliegt.", "The the missile flies."),
    ("length", "Een vrij lange Nederlandse zin over raketten.", "Missiles."),
]


def planted_po(flags: dict[int, str] | None = None) -> tuple[str, dict[str, int]]:
    """A catalog with one problem of each kind; also the line each entry starts on."""
    flags = flags or {}
    text = HEADER
    lines: dict[str, int] = {}
    for index, (check, msgid, msgstr) in enumerate(PLANTED):
        text += "\n"
        lines[check] = text.count("\n") + 1
        text += f"#. planted: {check}\n"
        if index in flags:
            text += f"#, {flags[index]}\n"
        text += f'msgid "{msgid}"\nmsgstr "{msgstr}"\n'
    # Untranslated and obsolete entries are not checked.
    text += '\nmsgid "Nog niet vertaald, 12 stuks."\nmsgstr ""\n'
    text += '\n#~ msgid "Oud 12."\n#~ msgstr "Old 13"\n'
    return text, lines


@pytest.fixture
def checked(tmp_path: Path) -> Path:
    """A project with the repository's glossary and the planted catalog as en/atacms.po."""
    root = write_project(tmp_path / "project", ("en", "de", "af"))
    (root / "glossary").mkdir()
    shutil.copy(GLOSSARY, root / "glossary" / "terms.csv")
    (root / "locales" / "en").mkdir(parents=True)
    (root / "locales" / "en" / "atacms.po").write_text(planted_po()[0], encoding="utf-8")
    return root


def invoke(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--project", str(root), *args])
    return result.exit_code, result.stdout


def test_the_registry_names_a_severity_and_explanation_for_each_check() -> None:
    assert {c.name for c in CHECKS.values()} == {check for check, *_ in PLANTED}
    assert all(c.severity in ("error", "warning") and c.explanation for c in CHECKS.values())
    errors = {c.name for c in CHECKS.values() if c.severity == "error"}
    assert errors == {"glossary", "numbers", "markdown", "empty"}


def test_each_planted_problem_is_reported_at_its_entry_line(checked: Path) -> None:
    code, out = invoke(checked)
    _, lines = planted_po()
    found = {(line.split(": ")[2], line.split(":")[1]) for line in out.splitlines()[:-1]}
    assert found == {(check, str(lines[check])) for check in lines}
    assert "locales/en/atacms.po:" in out and out.splitlines()[-1] == "check: 5 errors, 5 warnings"
    assert code == 1


def test_glossary_check_names_term_and_placeholder(checked: Path) -> None:
    _, out = invoke(checked)
    glossary = [line for line in out.splitlines() if ": glossary: " in line]
    assert [line.split("glossary: ", 1)[1] for line in glossary] == [
        "keep term 'ATACMS' is missing or altered",
        "placeholder 'apertium-notrans' left over",
    ]


def test_the_ignore_flag_silences_exactly_that_check_on_that_entry(checked: Path) -> None:
    # Entry 2 (markdown) ignores markdown; entry 8 (length) ignores numbers, which it lacks.
    text, _ = planted_po({2: "locpipe-ignore-markdown", 8: "fuzzy, locpipe-ignore-numbers"})
    path = checked / "locales" / "en" / "atacms.po"
    path.write_text(text, encoding="utf-8")
    po = read_catalog(path)
    glossary = read_glossary(checked / "glossary", languages=("en", "de", "af"))
    problems = check_catalog(po, path="x.po", glossary=glossary, language="en")
    assert "markdown" not in {p.check for p in problems}
    assert "length" in {p.check for p in problems}  # still checked, though fuzzy
    assert len(problems) == 9


def test_errors_only_runs_the_error_checks_alone(checked: Path) -> None:
    path = checked / "locales" / "en" / "atacms.po"
    po = read_catalog(path)
    glossary = read_glossary(checked / "glossary", languages=("en", "de", "af"))
    every = check_catalog(po, path="x.po", glossary=glossary, language="en")
    errors = check_catalog(po, path="x.po", glossary=glossary, language="en", errors_only=True)
    assert {p.severity for p in every} == {"error", "warning"}
    assert errors == [p for p in every if p.severity == "error"]
    promoted = check_catalog(
        po,
        path="x.po",
        glossary=glossary,
        language="en",
        severities={"length": "error"},
        errors_only=True,
    )
    assert "length" in {p.check for p in promoted}


def test_severity_config_turns_checks_off_and_into_errors(checked: Path) -> None:
    with (checked / "locpipe.toml").open("a", encoding="utf-8") as config:
        config.write('\n[check]\nseverity = { length = "error", numbers = "off" }\n')
    code, out = invoke(checked)
    assert ": numbers: " not in out
    assert ": error: length: " in out
    assert out.splitlines()[-1] == "check: 5 errors, 4 warnings"
    assert code == 1


def test_warnings_only_exit_0_unless_strict(checked: Path) -> None:
    off = ", ".join(f'{name} = "off"' for name in ("glossary", "numbers", "markdown", "empty"))
    with (checked / "locpipe.toml").open("a", encoding="utf-8") as config:
        config.write(f"\n[check]\nseverity = {{ {off} }}\n")
    assert invoke(checked)[0] == 0
    assert invoke(checked, "--strict")[0] == 1


def test_an_unknown_check_is_a_config_error_naming_the_key(checked: Path) -> None:
    with (checked / "locpipe.toml").open("a", encoding="utf-8") as config:
        config.write('\n[check]\nseverity = { lenght = "error" }\n')
    with pytest.raises(ConfigError, match=r"locpipe.toml:\d+: severity: lenght: unknown check"):
        load_project(checked)
    result = CliRunner().invoke(main, ["check", "--project", str(checked)])
    assert result.exit_code == 2


def test_length_bounds_are_configurable(checked: Path) -> None:
    with (checked / "locpipe.toml").open("a", encoding="utf-8") as config:
        config.write("\n[check]\nmin_length_ratio = 0.1\n")
    _, out = invoke(checked)
    assert ": length: " not in out


def test_json_format_parses(checked: Path) -> None:
    code, out = invoke(checked, "--format", "json")
    problems = json.loads(out)
    assert code == 1 and len(problems) == 10
    assert set(problems[0]) == {"path", "line", "severity", "check", "message"}
    assert problems[0]["path"] == "locales/en/atacms.po"


def test_files_limit_the_check_and_must_be_catalogs(checked: Path, tmp_path: Path) -> None:
    path = checked / "locales" / "en" / "atacms.po"
    assert invoke(checked, str(path))[0] == 1
    assert invoke(checked, "--lang", "de", str(path))[0] == 2
    stray = tmp_path / "stray.po"
    stray.write_text(HEADER, encoding="utf-8")
    assert invoke(checked, str(stray))[0] == 2


def test_the_example_project_has_no_problems(tmp_path: Path) -> None:
    """The committed en/de translations and the apertium af output pass every check.

    Afrikaans keeps some short headings as in Dutch ("Tekort aan ATACMS", "Wat is
    ATACMS?"), which is correct, so the untranslated check only judges longer texts.
    """
    root = tmp_path / "example"
    root.mkdir()
    for name in ("articles", "locales", "glossary"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "locpipe.toml", root / "locpipe.toml")
    code, out = invoke(root)
    assert (code, out) == (0, "check: 0 errors, 0 warnings\n")


def test_build_reports_errors_and_publishes_unless_strict(project: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["extract", "--project", str(project)]).exit_code == 0
    path = project / "locales" / "en" / "atacms.po"
    po = read_catalog(path)
    for entry in po:
        entry.msgstr = entry.msgid  # "translated" as the source: publishable
    po.find((None, "Tekort aan ATACMS")).msgstr = "Tekort aan 3 ATACMS"
    write_catalog(path, po)
    args = ["build", "--project", str(project), "--lang", "en"]
    done = runner.invoke(main, args)
    assert done.exit_code == 0
    assert "build: check: locales/en/atacms.po:" in done.stderr
    assert ": error: numbers: numbers differ from the source" in done.stderr
    assert ": warning: " not in done.stderr  # build reports errors only
    assert (project / "articles" / "en" / "atacms.txt").exists()
    (project / "articles" / "en" / "atacms.txt").unlink()
    strict = runner.invoke(main, [*args, "--strict"])
    assert strict.exit_code == 1
    assert "quality check errors" in strict.stderr
    assert not (project / "articles" / "en" / "atacms.txt").exists()
