"""Translators' tools and locpipe do not rewrite each other's files: a catalog whose content
did not change is left in whatever layout a tool saved it, and the header fields a tool owns
stay as it set them, through extract and pretranslate."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from locpipe import __version__, api
from locpipe.catalog import read_catalog
from locpipe.cli import main
from locpipe.project import load_project

from .conftest import assert_msgfmt_clean, write_libre_project
from .libre_server import LibreServer

TOOL_HEADER = {
    "Language": "en_GB",  # Poedit writes the translator's region
    "PO-Revision-Date": "2025-03-04 10:11+0100",
    "Last-Translator": "Anna de Vries <anna@example.org>",
    "Language-Team": "Engels team <en@example.org>",
    "X-Generator": "Poedit 3.4.2",
    "Plural-Forms": "nplurals=2; plural=n != 1;",
}


def run(*args: str | Path) -> None:
    result = CliRunner().invoke(main, [str(arg) for arg in args])
    assert result.exit_code == 0, result.output


def save_as_an_editor(path: Path, *, translate: dict[str, str] | None = None) -> bytes:
    """What a PO editor leaves: its own header fields and polib's layout at 60 columns."""
    po = polib.pofile(str(path), wrapwidth=60)
    po.metadata.update(TOOL_HEADER)
    for entry in po:
        if translate and entry.msgid in translate:
            entry.msgstr = translate[entry.msgid]
    po.save(str(path))
    return path.read_bytes()


def test_extract_leaves_a_catalog_an_editor_saved_in_its_own_layout(project: Path) -> None:
    run("extract", "--project", project)
    po_path = project / "locales" / "en" / "atacms.po"
    saved = save_as_an_editor(po_path, translate={"Tekort aan ATACMS": "Shortage of ATACMS"})
    pot_path = project / "locales" / "templates" / "atacms.pot"
    subprocess.run(["msgcat", "--width=50", "-o", str(pot_path), str(pot_path)], check=True)
    polib.pofile(str(pot_path), wrapwidth=40).save(str(pot_path))  # its comments rewrapped
    template = pot_path.read_bytes()
    # A day later, so that a template written again would show new dates.
    api.extract(load_project(project), created=datetime(2030, 1, 2, tzinfo=UTC), jobs=1)
    assert po_path.read_bytes() == saved
    assert pot_path.read_bytes() == template


def test_a_changed_source_updates_the_catalog_but_not_the_tools_header(project: Path) -> None:
    run("extract", "--project", project)
    po_path = project / "locales" / "en" / "atacms.po"
    save_as_an_editor(po_path)
    article = project / "articles" / "nl" / "atacms.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\n\nEen nieuwe alinea.\n")
    run("extract", "--project", project)
    po = read_catalog(po_path)
    assert {name: po.metadata[name] for name in TOOL_HEADER} == TOOL_HEADER
    assert po.find((None, "Een nieuwe alinea.")) is not None
    template = read_catalog(project / "locales" / "templates" / "atacms.pot")
    assert po.metadata["POT-Creation-Date"] == template.metadata["POT-Creation-Date"]
    assert_msgfmt_clean(po_path)


def test_a_new_catalog_gets_locpipes_header_and_a_placeholder_is_replaced(
    project: Path,
) -> None:
    run("extract", "--project", project)
    po_path = project / "locales" / "de" / "atacms.po"
    po = read_catalog(po_path)
    assert po.metadata["X-Generator"] == f"locpipe {__version__}"
    assert po.metadata["Language-Team"] == "German"
    text = po_path.read_text(encoding="utf-8")
    placeholder = r'"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"'
    text = re.sub(r'"Last-Translator: [^"]*"', placeholder, text)
    text = text.replace('"X-Generator: locpipe', '"X-Generator: Lokalize')
    po_path.write_text(text, encoding="utf-8")
    run("extract", "--project", project)
    po = read_catalog(po_path)
    assert po.metadata["Last-Translator"] == ""  # msgfmt --check refuses the placeholder
    assert po.metadata["X-Generator"].startswith("Lokalize")
    assert_msgfmt_clean(po_path)


@pytest.mark.usefixtures("libre")
def test_pretranslate_fills_entries_but_keeps_the_translators_revision_date(
    libre: LibreServer, tmp_path: Path
) -> None:
    root = write_libre_project(tmp_path, libre.url)
    run("extract", "--project", root)
    po_path = root / "locales" / "en" / "atacms.po"
    save_as_an_editor(po_path)
    run("pretranslate", "--project", root, "--lang", "en")
    po = read_catalog(po_path)
    assert any(entry.msgstr for entry in po)
    assert {name: po.metadata[name] for name in TOOL_HEADER} == TOOL_HEADER


def rewrite_with(tool: str, po_path: Path, pot_path: Path) -> None:
    """Save a catalog the way one of the translators' tools does."""
    if tool == "translate-toolkit":
        from translate.storage.pypo import pofile as tt_pofile

        store = tt_pofile(po_path.read_bytes())
        po_path.write_bytes(bytes(store))
        return
    commands = {
        "msgcat": ["msgcat", "-o", po_path, po_path],
        "msgmerge": ["msgmerge", "--quiet", "--previous", "-o", po_path, po_path, pot_path],
        "msgattrib": ["msgattrib", "-o", po_path, po_path],
    }
    subprocess.run([str(part) for part in commands[tool]], check=True)


@pytest.mark.parametrize("tool", ["msgcat", "msgmerge", "msgattrib", "translate-toolkit"])
def test_after_a_tool_rewrites_a_catalog_extract_writes_nothing(project: Path, tool: str) -> None:
    run("extract", "--project", project)
    po_path = project / "locales" / "en" / "atacms.po"
    pot_path = project / "locales" / "templates" / "atacms.pot"
    save_as_an_editor(po_path, translate={"Tekort aan ATACMS": "Shortage of ATACMS"})
    run("extract", "--project", project)  # the editor's own layout stays, whatever it is
    rewrite_with(tool, po_path, pot_path)
    rewritten = po_path.read_bytes()
    run("extract", "--project", project)
    assert po_path.read_bytes() == rewritten


@pytest.mark.parametrize("tool", ["msgcat", "msgmerge", "msgattrib", "translate-toolkit"])
def test_after_a_tool_rewrites_the_example_catalogs_extract_writes_nothing(
    tmp_path: Path, tool: str
) -> None:
    repo = Path(__file__).resolve().parents[1]
    root = tmp_path / "example"
    for part in ("articles/nl", "locales", "glossary"):
        shutil.copytree(repo / part, root / part)
    shutil.copy(repo / "locpipe.toml", root / "locpipe.toml")
    templates = root / "locales" / "templates"
    for po_path in sorted((root / "locales").glob("[!t]*/**/*.po")):
        name = po_path.relative_to(root / "locales")  # <lang>/<article>.po
        pot_path = templates / Path(*name.parts[1:]).with_suffix(".pot")
        rewrite_with(tool, po_path, pot_path)
    before = {path: path.read_bytes() for path in sorted((root / "locales").rglob("*.po*"))}
    assert len(before) == 8  # two templates, six catalogs
    run("extract", "--project", root)
    after = {path: path.read_bytes() for path in sorted((root / "locales").rglob("*.po*"))}
    assert after == before
