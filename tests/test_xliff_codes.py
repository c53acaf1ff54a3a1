"""XLIFF import against what CAT tools do to inline codes: a target whose codes were moved
or reordered comes in; one with a code dropped, added, or replaced by a tag locpipe never
wrote is refused, reported at its file and line, and the catalog is left as it is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from translate.storage import xliff as toolkit_xliff
from translate.storage import xliff2 as toolkit_xliff2

from locpipe.model import EntryState

from .test_xliff import catalogs, entry_states, example, export, invoke

__all__ = ["example"]  # the fixture, used by name

LINK = "Meer achtergrond staat in [ons artikel over de levering](../atacms.txt)."
EMPHASIS = "Het *Army Tactical Missile System*, kortweg **ATACMS**, is een"
EMPHASIS_TEXT = "Tactical Missile System"
LINK_CODES = {
    "1.2": (
        '<bpt id="1" rid="1" ctype="link">[</bpt>',
        '<ept id="2" rid="1">](../atacms.txt)</ept>',
    ),
    "2.1": ('<sc id="1" dataRef="d1"/>', '<ec startRef="1" dataRef="d2"/>'),
}
EMPHASIS_CODES = {
    "1.2": (
        '<bpt id="1" rid="1" ctype="italic">*</bpt>',
        '<ept id="2" rid="1">*</ept>',
        '<bpt id="3" rid="3" ctype="bold">**</bpt>',
        '<ept id="4" rid="3">**</ept>',
    ),
    "2.1": (
        '<sc id="1" dataRef="d1"/>',
        '<ec startRef="1" dataRef="d1"/>',
        '<sc id="3" dataRef="d2"/>',
        '<ec startRef="3" dataRef="d2"/>',
    ),
}


def replace_target(path: Path, version: str, source_start: str, inner: str) -> int:
    """Give the unit whose source holds this text a reviewed target with this XML; its line."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    plain = re.compile(r"<[^>]+>")
    for number, line in enumerate(lines):
        if "<source>" in line and source_start in plain.sub("", line):
            target = number + 1
            assert "<target" in lines[target]
            opening = "<target>" if version == "2.1" else '<target state="final">'
            lines[target] = re.sub(
                r"<target[^>]*>.*</target>", opening + inner + "</target>", lines[target]
            )
            if version == "2.1":
                lines[number - 1] = re.sub(
                    r'state="[^"]*"( subState="[^"]*")?', 'state="final"', lines[number - 1]
                )
            path.write_text("".join(lines), encoding="utf-8")
            unit = next(
                i for i in range(number, -1, -1) if "<unit" in lines[i] or "<trans-unit" in lines[i]
            )
            return unit + 1
    raise AssertionError(source_start)


def exported(example: Path, tmp_path: Path, version: str) -> Path:
    (path,) = [
        p for p in export(example, tmp_path, "af", "--version", version) if "uitleg" in p.parts
    ]
    return path


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_codes_a_tool_moved_or_reordered_come_in(
    example: Path, tmp_path: Path, version: str
) -> None:
    path = exported(example, tmp_path, version)
    em_open, em_close, strong_open, strong_close = EMPHASIS_CODES[version]
    replace_target(
        path,
        version,
        EMPHASIS_TEXT,
        f"Die {strong_open}ATACMS{strong_close} ({em_open}Army Tactical Missile System{em_close}) "
        "is 'n Amerikaanse ballistiese missiel.",
    )
    result = invoke("xliff", "import", "--project", example, path)
    assert result.exit_code == 0, result.output
    states = entry_states(example, "af", "uitleg/atacms")
    (key,) = [k for k in states if k.startswith(EMPHASIS)]
    assert states[key] == (
        "Die **ATACMS** (*Army Tactical Missile System*) is 'n Amerikaanse ballistiese missiel.",
        EntryState.TRANSLATED,
    )


@pytest.mark.parametrize("version", ["1.2", "2.1"])
@pytest.mark.parametrize(
    "case",
    ["dropped", "added", "changed", "g"],
)
def test_a_target_with_codes_dropped_or_invented_is_refused_at_its_line(
    example: Path, tmp_path: Path, version: str, case: str
) -> None:
    path = exported(example, tmp_path, version)
    start, end = LINK_CODES[version]
    inner = {
        "dropped": "Meer agtergrond staan in ons artikel oor die lewering.",
        "added": f"Meer agtergrond staan in {start}ons artikel{end} oor die {start}lewering{end}.",
        "changed": f"Meer agtergrond staan in {start}ons artikel{end.replace('../atacms.txt', 'https://evil.example')}.",
        "g": 'Meer agtergrond staan in <g id="1">ons artikel oor die lewering</g>.',
    }[case]
    if case == "changed" and version == "2.1":
        inner = f'Meer agtergrond staan in {start}ons artikel<ph id="9" dataRef="d1"/>.'
    if case == "g" and version == "2.1":
        inner = 'Meer agtergrond staan in <pc id="1">ons artikel oor die lewering</pc>.'
    line = replace_target(path, version, "ons artikel over de levering", inner)
    before = catalogs(example)
    result = invoke("xliff", "import", "--project", example, path)
    assert result.exit_code == 1, result.output
    assert f"xliff import: {path}:{line}: codes: inline codes " in result.stderr
    assert "1 refused" in result.stdout
    assert catalogs(example) == before


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_markdown_a_tool_saved_as_plain_text_comes_in_when_it_is_intact(
    example: Path, tmp_path: Path, version: str
) -> None:
    """A tool that keeps a target as plain text (Weblate's "XLIFF translation file") writes
    the codes as the Markdown they held, which is all a page needs."""
    path = exported(example, tmp_path, version)
    replace_target(path, version, "ons artikel over de levering", TOOLKIT_TEXT)
    result = invoke("xliff", "import", "--project", example, path)
    assert result.exit_code == 0, result.output
    assert entry_states(example, "af", "uitleg/atacms")[LINK] == (
        TOOLKIT_TEXT,
        EntryState.TRANSLATED,
    )


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_old_codes_a_tool_left_beside_a_new_text_are_refused(
    example: Path, tmp_path: Path, version: str
) -> None:
    """Translate Toolkit's XLIFF storage, given a plain target for a unit with codes, writes
    the text and keeps the old codes after it: the link would be there twice."""
    path = exported(example, tmp_path, version)
    reader = toolkit_xliff.xlifffile if version == "1.2" else toolkit_xliff2.Xliff2File
    store = reader.parsefile(str(path))
    (unit,) = [u for u in store.units if "ons artikel over de levering" in u.source]
    unit.target = TOOLKIT_TEXT
    unit.markapproved(True)
    path.write_bytes(bytes(store))
    before = catalogs(example)
    result = invoke("xliff", "import", "--project", example, path)
    assert result.exit_code == 1
    assert ": codes: inline codes not in the source '[', '](../atacms.txt)'" in result.stderr
    assert catalogs(example) == before


TOOLKIT_TEXT = "Vir meer agtergrond, lees [ons artikel oor die lewering](../atacms.txt)."
