"""A CAT tool that edits the text of machine output may leave its machine mark: XLIFF 2
tools do not know locpipe's ``subState="locpipe:machine"``, and a 1.2 tool may keep the
``state-qualifier``.  The edit is a person's, as the same edit in a PO editor is: it comes
in as their (fuzzy) translation, never as machine output pretranslate may replace."""

from __future__ import annotations

from pathlib import Path

import pytest

from locpipe import catalog, provenance
from locpipe.model import EntryState

from .test_xliff import entry_states, example, export, invoke

__all__ = ["example"]  # the fixture, used by name


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_machine_output_edited_under_its_machine_mark_is_a_persons(
    example: Path, tmp_path: Path, version: str
) -> None:
    assert entry_states(example, "af", "uitleg/atacms")["Kenmerken"] == (
        "Kenmerk",
        EntryState.MACHINE,
    )
    (path,) = [
        p for p in export(example, tmp_path, "af", "--version", version) if "uitleg" in p.parts
    ]
    text = path.read_text(encoding="utf-8")
    assert text.count(">Kenmerk</target>") == 1
    path.write_text(text.replace(">Kenmerk</target>", ">Eienskappe</target>"), encoding="utf-8")
    result = invoke("xliff", "import", "--project", example, path)
    assert result.exit_code == 0, result.output
    assert entry_states(example, "af", "uitleg/atacms")["Kenmerken"] == (
        "Eienskappe",
        EntryState.FUZZY,
    )
    po = catalog.read_catalog(example / "locales" / "af" / "uitleg" / "atacms.po")
    entry = po.find((None, "Kenmerken"))
    assert entry is not None and not provenance.read_provenance(entry).machine
    assert catalog.pending_entries(po) == []
