"""XLIFF import decides per entry whether a reviewed translation may replace a person's:
each exported unit says what its entry was, so an edit made after the export in an editor
that leaves PO-Revision-Date alone (msgcat, msgmerge, a text editor, polib) is never
overwritten, and an edit elsewhere in the catalog refuses nothing.  A unit that lost that
record (a tool dropped it) is judged by the file's date, as before."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import polib
import pytest

from locpipe import api
from locpipe.model import EntryState

from .test_xliff import catalogs, entry_states, example, set_target

__all__ = ["example"]  # the fixture, used by name

MSGID = "Kenmerken"
OTHER = "Vergelijking"
each_version = pytest.mark.parametrize("version", ["1.2", "2.1"])


def exported(example: Path, folder: Path, version: str, created: datetime | None = None) -> Path:
    project = api.load_project(example)
    done = api.export_xliff(project, "en", folder, version=version, created=created)
    (path,) = [p for p, _ in done.files if "uitleg" in p.parts]
    return path


def exported_with_edit(example: Path, folder: Path, version: str) -> Path:
    """An export dated long ago, in which a CAT tool gave MSGID a reviewed translation."""
    path = exported(example, folder, version, created=datetime(2020, 1, 1, tzinfo=UTC))
    set_target(path, version, MSGID, "Qualities", state="final")
    return path


def edit_in_catalog(example: Path, msgid: str, msgstr: str) -> None:
    """A person's edit saved by a tool that does not touch PO-Revision-Date."""
    po = polib.pofile(str(example / "locales" / "en" / "uitleg" / "atacms.po"))
    entry = po.find(msgid)
    assert entry is not None
    entry.msgstr = msgstr
    po.save()


@each_version
def test_an_edit_after_the_export_is_never_overwritten_whatever_the_date_says(
    example: Path, tmp_path: Path, version: str
) -> None:
    path = exported(example, tmp_path, version)
    set_target(path, version, MSGID, "Qualities", state="final")
    edit_in_catalog(example, MSGID, "Characteristics")
    before = catalogs(example)
    result = api.import_xliff(api.load_project(example), [path])
    assert [(v.verdict, v.reason) for _, v in result.refused] == [
        ("conflict", "the entry changed after this file was exported")
    ]
    assert catalogs(example) == before


@each_version
def test_an_edit_of_another_entry_refuses_nothing(
    example: Path, tmp_path: Path, version: str
) -> None:
    path = exported_with_edit(example, tmp_path, version)
    edit_in_catalog(example, OTHER, "A comparison")
    result = api.import_xliff(api.load_project(example), [path])
    assert result.exit_code == 0, result.refused
    assert entry_states(example, "en", "uitleg/atacms")[MSGID] == (
        "Qualities",
        EntryState.TRANSLATED,
    )


@each_version
def test_a_unit_without_its_record_is_judged_by_the_files_date(
    example: Path, tmp_path: Path, version: str
) -> None:
    path = exported_with_edit(example, tmp_path, version)
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r' (extradata|[\w-]+:exported-as)="[^"]*"', "", text), encoding="utf-8")
    before = catalogs(example)
    result = api.import_xliff(api.load_project(example), [path])
    assert [v.verdict for _, v in result.refused] == ["conflict"]
    assert "the catalog changed after this file was exported" in result.refused[0][1].reason
    assert catalogs(example) == before
