"""TMX as CAT tools write it: machine provenance (locpipe's own, Trados', and the usual
``creationid``/``creationtool`` marks) fills entries as machine output, never as reviewed;
the newest unit wins; notes reach the translator; inline tags become the entry's own
inline Markdown or the unit is not used.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import Result

from locpipe import catalog
from locpipe.model import EntryState

from .conftest import assert_msgfmt_clean, write_libre_project
from .libre_server import LibreServer
from .test_pretranslate import extract, invoke, pretranslate, read_po, review, states


def import_tmx(root: Path, path: Path) -> str:
    result = invoke("tm", "import", "--project", root, path)
    assert result.exit_code == 0, result.output
    return result.stdout


def export(root: Path, path: Path, *options: str) -> Result:
    return invoke("tm", "export", "--project", root, "--lang", "en", path, *options)


def test_machine_output_exported_and_imported_stays_machine_output(
    libre: LibreServer, tmp_path: Path
) -> None:
    source = write_libre_project(tmp_path / "a", libre.url)
    extract(source)
    review(source, "en", "atacms", {"Angst voor escalatie": "Fear of escalation"})
    assert pretranslate(source, "--lang", "en").exit_code == 0
    machine = {
        e.msgid: e.msgstr for e in read_po(source) if catalog.entry_state(e) is EntryState.MACHINE
    }
    assert len(machine) > 20
    exported = tmp_path / "all.tmx"
    result = invoke(
        "tm", "export", "--project", source, "--lang", "en", exported, "--include-machine"
    )
    assert result.exit_code == 0, result.output

    other = write_libre_project(tmp_path / "b", libre.url)
    extract(other)
    said = import_tmx(other, exported)
    assert f"tm import: {len(machine)} machine output and 0 unconfirmed drafts" in said
    libre.state.reset()
    result = pretranslate(other, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert libre.state.requests == 0  # every entry came from the memory

    po = read_po(other)
    found = states(po)
    assert found.pop("Angst voor escalatie") is EntryState.TRANSLATED
    assert set(found.values()) == {EntryState.MACHINE}
    for entry in po:
        if entry.msgid in machine:
            assert entry.msgstr == machine[entry.msgid]
            assert "locpipe: machine translation by libre (from tm/all.tmx)" in entry.tcomment
    assert_msgfmt_clean(other / "locales/en/atacms.po")

    # Published only when machine output may be, and exported again as machine output.
    result = invoke("build", "--project", other, "--lang", "en", "--reviewed-only")
    assert result.exit_code == 1
    assert f"1 of {len(po)} entries translated" in result.stderr
    again = tmp_path / "again.tmx"
    result = export(other, again)
    assert "tm export en: 1 units (0 machine)" in result.stdout
    result = export(other, again, "--include-machine")
    assert f"({len(machine)} machine)" in result.stdout
