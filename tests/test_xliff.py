"""XLIFF 1.2 and 2.1 exchange: exports validated against the official OASIS schemas and
read by Translate Toolkit, a round trip that changes no catalog, and imports that never let
machine output, an unreviewed or an older translation replace a person's."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import polib
import pytest
from click.testing import CliRunner, Result
from lxml import etree
from translate.storage import xliff as toolkit_xliff
from translate.storage import xliff2 as toolkit_xliff2

from locpipe import api, catalog
from locpipe.cli import main
from locpipe.model import EntryState
from locpipe.xliff import XLIFF2, XLIFF12, Code, inline_pieces, parse_xliff

from .conftest import REPO, assert_msgfmt_clean

SCHEMAS = Path(__file__).parent / "schemas" / "xliff"
SCHEMA_FILES = {"1.2": "xliff-core-1.2-strict.xsd", "2.1": "xliff-core-2.0.xsd"}
NAMESPACES = {"1.2": XLIFF12, "2.1": XLIFF2}
ARTICLES = ("atacms", "uitleg/atacms")
LANGUAGES = ("en", "de", "af")
each_version = pytest.mark.parametrize("version", ["1.2", "2.1"])
each_split = pytest.mark.parametrize("per", ["article", "language"])


class _LocalXmlSchema(etree.Resolver):
    """The schemas import xml.xsd by its web address: the copy beside them serves it."""

    def resolve(self, url: str | None, pubid: str | None, context: object) -> object:
        if url and url.endswith("xml.xsd"):
            return self.resolve_filename(str(SCHEMAS / "xml.xsd"), context)
        return None


def oasis_schema(version: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalXmlSchema())
    return etree.XMLSchema(etree.parse(str(SCHEMAS / SCHEMA_FILES[version]), parser))


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """This repository's example project: English and German reviewed by people, Afrikaans
    machine output from apertium, a plain-text and a Markdown article."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "locpipe.toml", root)
    for folder in ("articles/nl", "locales", "glossary"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def export(root: Path, folder: Path, language: str, *options: str) -> list[Path]:
    result = invoke("xliff", "export", "--project", root, "--lang", language, *options, folder)
    assert result.exit_code == 0, result.output
    return sorted(folder.rglob(f"*{language}.xlf"))


def every_export(
    root: Path, folder: Path, version: str, per: str
) -> Iterator[tuple[str, list[Path]]]:
    """Each language of the example project exported, into a folder of its own."""
    for language in LANGUAGES:
        yield (
            language,
            export(root, folder / language, language, "--version", version, "--per", per),
        )


def catalogs(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted((root / "locales").rglob("*.po"))
    }


def entry_states(root: Path, language: str, name: str) -> dict[str, tuple[str, EntryState]]:
    po = catalog.read_catalog(root / "locales" / language / f"{name}.po")
    return {e.msgid: (e.msgstr, catalog.entry_state(e)) for e in po if not e.obsolete}


def units_of(path: Path, version: str) -> list[ET.Element]:
    tag = "trans-unit" if version == "1.2" else "unit"
    return list(ET.parse(path).getroot().iter(f"{{{NAMESPACES[version]}}}{tag}"))


def set_target(path: Path, version: str, msgid: str, text: str, **state: str) -> None:
    """Do what a CAT tool does: give a unit a new target and state, and save."""
    ns = NAMESPACES[version]
    tree = ET.parse(path)
    ET.register_namespace("", ns)
    for unit in tree.getroot().iter(f"{{{ns}}}{'trans-unit' if version == '1.2' else 'unit'}"):
        source = unit.find(f".//{{{ns}}}source")
        assert source is not None
        if "".join(source.itertext()) != msgid:
            continue
        holder = unit if version == "1.2" else unit.find(f"{{{ns}}}segment")
        assert holder is not None
        target = holder.find(f"{{{ns}}}target")
        if target is None:
            target = ET.SubElement(holder, f"{{{ns}}}target")
        target.text = text
        for child in list(target):
            target.remove(child)
        attributes = target.attrib if version == "1.2" else holder.attrib
        attributes.pop("subState", None)
        attributes.pop("state-qualifier", None)
        attributes.update(state)
        if version == "1.2" and state.get("state") != "final":
            unit.attrib.pop("approved", None)
        tree.write(path, encoding="UTF-8", xml_declaration=True)
        return
    raise AssertionError(f"no unit with source {msgid!r} in {path}")


@each_version
@each_split
def test_exports_validate_against_the_oasis_schemas(
    example: Path, tmp_path: Path, version: str, per: str
) -> None:
    schema = oasis_schema(version)
    for language, paths in every_export(example, tmp_path, version, per):
        assert len(paths) == (len(ARTICLES) if per == "article" else 1)
        for path in paths:
            document = etree.parse(str(path))
            assert schema.validate(document), f"{path}: {schema.error_log}"
            root = document.getroot()
            if version == "1.2":
                for file in root.iter(f"{{{XLIFF12}}}file"):
                    assert file.get("source-language") == "nl"
                    assert file.get("target-language") == language
            else:
                assert (root.get("srcLang"), root.get("trgLang")) == ("nl", language)


def test_a_schema_violation_is_caught() -> None:
    """The validation can fail: a 2.1 segment state outside the four XLIFF knows."""
    bad = (
        f'<xliff xmlns="{XLIFF2}" version="2.1" srcLang="nl"><file id="f1"><unit id="u1">'
        '<segment state="machine"><source>Hallo</source></segment></unit></file></xliff>'
    )
    assert not oasis_schema("2.1").validate(etree.fromstring(bad.encode()))


@each_version
@each_split
def test_export_then_import_gives_back_identical_catalogs(
    example: Path, tmp_path: Path, version: str, per: str
) -> None:
    before = catalogs(example)
    mtimes = {p: p.stat().st_mtime_ns for p in (example / "locales").rglob("*.po")}
    for _, paths in every_export(example, tmp_path, version, per):
        result = invoke("xliff", "import", "--project", example, *paths)
        assert result.exit_code == 0, result.output
        assert result.stderr == ""
        assert "0 filled" in result.stdout and "0 refused" in result.stdout
    assert catalogs(example) == before
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes


@each_version
def test_states_carry_over(example: Path, tmp_path: Path, version: str) -> None:
    """Reviewed is final, machine output is a machine suggestion, no translation is new."""
    (path,) = export(example, tmp_path, "af", "--version", version, "--per", "language")
    document = parse_xliff(path.read_bytes(), path=str(path))
    got = {(f.original, u.source): u.state for f in document.files for u in f.units}
    want = {
        (name, msgid): state
        for name in ARTICLES
        for msgid, (_, state) in entry_states(example, "af", name).items()
    }
    assert got == want
    assert EntryState.MACHINE in got.values()
    text = path.read_text(encoding="utf-8")
    if version == "1.2":
        assert 'state="needs-review-translation" state-qualifier="mt-suggestion"' in text
    else:
        assert 'state="translated" subState="locpipe:machine"' in text


@each_version
def test_translate_toolkit_reads_the_exports(example: Path, tmp_path: Path, version: str) -> None:
    for language in ("en", "af"):
        (path,) = [
            p
            for p in export(example, tmp_path / language, language, "--version", version)
            if p.name == f"atacms.{language}.xlf" and p.parent.name != "uitleg"
        ]
        reader = toolkit_xliff.xlifffile if version == "1.2" else toolkit_xliff2.Xliff2File
        store = reader.parsefile(str(path))
        assert store.getsourcelanguage() == "nl"
        assert store.gettargetlanguage() == language
        units = [unit for unit in store.units if not unit.isheader()]
        entries = entry_states(example, language, "atacms")
        assert [unit.source for unit in units] == list(entries)
        for unit in units:
            msgstr, state = entries[unit.source]
            assert unit.target == msgstr
            assert unit.isfuzzy() == (state is EntryState.MACHINE and version == "1.2")
            if state is EntryState.TRANSLATED:
                assert unit.isapproved() if version == "1.2" else unit.istranslated()


LINK = "Meer achtergrond staat in [ons artikel over de levering](../atacms.txt)."
EMPHASIS = "Het *Army Tactical Missile System*, kortweg **ATACMS**, is een"


@pytest.mark.parametrize(
    ("version", "source", "written"),
    [
        (
            "1.2",
            LINK,
            '<source>Meer achtergrond staat in <bpt id="1" rid="1" ctype="link">[</bpt>ons '
            'artikel over de levering<ept id="2" rid="1">](../atacms.txt)</ept>.</source>',
        ),
        (
            "2.1",
            LINK,
            '<source>Meer achtergrond staat in <sc id="1" dataRef="d1" />ons artikel over '
            'de levering<ec startRef="1" dataRef="d2" />.</source>',
        ),
        (
            "1.2",
            EMPHASIS,
            '<source>Het <bpt id="1" rid="1" ctype="italic">*</bpt>Army Tactical Missile '
            'System<ept id="2" rid="1">*</ept>, kortweg <bpt id="3" rid="3" ctype="bold">'
            '**</bpt>ATACMS<ept id="4" rid="3">**</ept>, is een',
        ),
        (
            "2.1",
            EMPHASIS,
            '<source>Het <sc id="1" dataRef="d1" />Army Tactical Missile System<ec '
            'startRef="1" dataRef="d1" />, kortweg <sc id="3" dataRef="d2" />ATACMS<ec '
            'startRef="3" dataRef="d2" />, is een',
        ),
    ],
    ids=["link-1.2", "link-2.1", "emphasis-1.2", "emphasis-2.1"],
)
def test_inline_markdown_is_codes_around_translatable_text_and_comes_back_exactly(
    example: Path, tmp_path: Path, version: str, source: str, written: str
) -> None:
    """A link's or an emphasis's text stays translatable between two codes; a URL is not
    text at all; reading the file back gives the Markdown byte for byte."""
    (path,) = [
        p
        for p in export(example, tmp_path, "en", "--version", version)
        if p.parent.name == "uitleg"
    ]
    assert written in path.read_text(encoding="utf-8")
    document = parse_xliff(path.read_bytes(), path=str(path))
    assert any(unit.source.startswith(source) for unit in document.files[0].units)


def test_inline_codes_of_code_html_and_urls() -> None:
    text = "Run `make` on <b>https://x.nl</b> & <br/> [ref] *`x`*"
    pieces = inline_pieces(text, markup="markdown")
    codes = [(p.role, p.data) for p in pieces if isinstance(p, Code)]
    assert codes == [
        ("ph", "`make`"),
        ("open", "<b>"),
        ("ph", "https://x.nl"),
        ("close", "</b>"),
        ("ph", "<br/>"),
        ("ph", "[ref]"),
        ("open", "*"),
        ("ph", "`x`"),
        ("close", "*"),
    ]
    assert "".join(p if isinstance(p, str) else p.data for p in pieces) == text
    translated = inline_pieces(
        "Voer `make` uit <br/>", markup="markdown", reuse=[p for p in pieces if isinstance(p, Code)]
    )
    assert [(p.id, p.data) for p in translated if isinstance(p, Code)] == [
        ("1", "`make`"),
        ("5", "<br/>"),
    ]


@each_version
def test_an_edited_target_marked_final_becomes_a_reviewed_translation(
    example: Path, tmp_path: Path, version: str
) -> None:
    msgid = "Kenmerken"
    assert entry_states(example, "af", "uitleg/atacms")[msgid][1] is EntryState.MACHINE
    (path,) = [
        p for p in export(example, tmp_path, "af", "--version", version) if "uitleg" in p.parts
    ]
    set_target(path, version, msgid, "Eienskappe", state="final")
    result = invoke("xliff", "import", "--project", example, path)
    assert result.exit_code == 0, result.output
    assert "1 filled" in result.stdout
    assert entry_states(example, "af", "uitleg/atacms")[msgid] == (
        "Eienskappe",
        EntryState.TRANSLATED,
    )
    written = example / "locales" / "af" / "uitleg" / "atacms.po"
    assert_msgfmt_clean(written)
    entry = polib.pofile(str(written)).find(msgid)
    assert entry is not None and entry.msgstr == "Eienskappe" and not entry.fuzzy
    assert "locpipe: reviewed in XLIFF (atacms.af.xlf)" in entry.tcomment.splitlines()
    # Built with --reviewed-only, it is published now: it is a person's.
    build = invoke(
        "build", "--project", example, "--lang", "af", "--reviewed-only", "--min-translated", "0"
    )
    assert build.exit_code == 0, build.output
    assert "## Eienskappe" in (example / "articles" / "af" / "uitleg" / "atacms.md").read_text()


@each_version
def test_a_machine_state_imports_as_machine_output(
    example: Path, tmp_path: Path, version: str
) -> None:
    msgid = "Kenmerken"
    po_path = example / "locales" / "de" / "uitleg" / "atacms.po"
    po = catalog.read_catalog(po_path)
    entry = po.find((None, msgid))
    assert entry is not None
    entry.msgstr = ""  # not translated yet
    catalog.write_catalog(po_path, po)
    (path,) = [
        p for p in export(example, tmp_path, "de", "--version", version) if "uitleg" in p.parts
    ]
    machine = (
        {"state": "needs-review-translation", "state-qualifier": "mt-suggestion"}
        if version == "1.2"
        else {"state": "translated", "subState": "locpipe:machine"}
    )
    set_target(path, version, msgid, "Merkmale", **machine)
    result = invoke("xliff", "import", "--project", example, path)
    assert result.exit_code == 0, result.output
    assert entry_states(example, "de", "uitleg/atacms")[msgid] == ("Merkmale", EntryState.MACHINE)
    assert_msgfmt_clean(po_path)


@each_version
@pytest.mark.parametrize(
    "state",
    [
        {
            "1.2": {"state": "needs-review-translation", "state-qualifier": "mt-suggestion"},
            "2.1": {"state": "translated", "subState": "locpipe:machine"},
        },
        {"1.2": {"state": "needs-review-translation"}, "2.1": {"state": "initial"}},
    ],
    ids=["machine", "unreviewed"],
)
def test_machine_or_unreviewed_output_never_replaces_a_persons_translation(
    example: Path, tmp_path: Path, version: str, state: dict[str, dict[str, str]]
) -> None:
    before = catalogs(example)
    msgid = "Kenmerken"
    (path,) = [
        p for p in export(example, tmp_path, "en", "--version", version) if "uitleg" in p.parts
    ]
    set_target(path, version, msgid, "Qualities", **state[version])
    line = next(
        number
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ">Qualities<" in text
    )
    result = invoke("xliff", "import", "--project", example, path)
    assert result.exit_code == 1
    assert catalogs(example) == before
    (problem,) = result.stderr.splitlines()
    assert problem.startswith(f"xliff import: {path}:")
    assert ": conflict: " in problem
    unit_line = int(problem.split(":")[2])
    assert 0 < unit_line < line  # the unit's first line, before its target


@each_version
def test_a_reviewed_translation_older_than_the_catalogs_is_a_conflict(
    example: Path, tmp_path: Path, version: str
) -> None:
    """A file exported before the entry last changed may undo a later edit: refused."""
    msgid = "Kenmerken"
    project = api.load_project(example)
    old = datetime(2020, 1, 1, tzinfo=UTC)
    done = api.export_xliff(project, "en", tmp_path, version=version, created=old)
    (path,) = [p for p, _ in done.files if "uitleg" in p.parts]
    set_target(path, version, msgid, "Qualities", state="final")
    edited = polib.pofile(str(example / "locales" / "en" / "uitleg" / "atacms.po"))
    edited.find(msgid).msgstr = "Characteristics"
    edited.save()
    before = catalogs(example)
    result = api.import_xliff(project, [path])
    assert result.exit_code == 1
    assert [v.verdict for _, v in result.refused] == ["conflict"]
    assert "changed after this file was exported" in result.refused[0][1].reason
    assert catalogs(example) == before
    # Exported now, after the catalog's last change, the same edit is the newer one.
    done = api.export_xliff(project, "en", tmp_path / "new", version=version)
    (path,) = [p for p, _ in done.files if "uitleg" in p.parts]
    set_target(path, version, msgid, "Qualities", state="final")
    assert api.import_xliff(project, [path]).exit_code == 0
    assert entry_states(example, "en", "uitleg/atacms")[msgid] == (
        "Qualities",
        EntryState.TRANSLATED,
    )


def test_a_unit_whose_source_changed_is_reported_stale(example: Path, tmp_path: Path) -> None:
    (path,) = [p for p in export(example, tmp_path, "af") if "uitleg" in p.parts]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("<source>Kenmerken</source>", "<source>Kenmerk</source>"))
    result = invoke("xliff", "import", "--project", example, path)
    assert result.exit_code == 1
    assert "stale: no such entry" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<xliff", "not well-formed XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><xliff>&a;</xliff>',
            "refused unsafe XML",
        ),
        (b"<tmx version='1.4'/>", "not XLIFF 1.2 or 2.x"),
        (
            f'<xliff xmlns="{XLIFF12}" version="1.2"><file original="nowhere" '
            'source-language="nl" target-language="en" datatype="po"><body/></file>'
            "</xliff>".encode(),
            "no such article",
        ),
        (
            f'<xliff xmlns="{XLIFF2}" version="2.1" srcLang="nl" trgLang="fr">'
            '<file id="f1" original="atacms"><unit id="u"><segment><source>x</source>'
            "</segment></unit></file></xliff>".encode(),
            "nl to fr; this project translates nl to en, de, af",
        ),
    ],
    ids=["malformed", "entities", "not-xliff", "unknown-article", "unknown-language"],
)
def test_a_bad_file_is_one_line_and_no_catalog_changes(
    example: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    before = catalogs(example)
    path = tmp_path / "bad.xlf"
    path.write_bytes(content)
    result = invoke("xliff", "import", "--project", example, path)
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"locpipe: error: {path}")
    assert message in line
    assert catalogs(example) == before


def test_a_broken_catalog_is_reported_and_the_others_are_exported(
    example: Path, tmp_path: Path
) -> None:
    broken = example / "locales" / "en" / "atacms.po"
    broken.write_text('msgid "a"\nmsgstr "b"\nmsgstr "c"\n', encoding="utf-8")
    folder = tmp_path / "out"
    result = invoke("xliff", "export", "--project", example, "--lang", "en", folder)
    assert result.exit_code == 1, result.output
    assert "locales/en/atacms.po" in result.output
    exported = [path.relative_to(folder).as_posix() for path in folder.rglob("*.xlf")]
    assert exported == ["uitleg/atacms.en.xlf"]  # the other article
    done = api.export_xliff(api.load_project(example), "en", tmp_path / "again")
    assert done.exit_code == 1 and len(done.problems) == 1 and len(done.files) == 1


def test_every_file_is_checked_before_any_catalog_is_written(example: Path, tmp_path: Path) -> None:
    (good,) = [p for p in export(example, tmp_path, "af") if "uitleg" in p.parts]
    set_target(good, "2.1", "Kenmerken", "Eienskappe", state="final")
    bad = tmp_path / "bad.xlf"
    bad.write_bytes(b"<xliff")
    before = catalogs(example)
    result = invoke("xliff", "import", "--project", example, good, bad)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"locpipe: error: {bad}:1: not well-formed XML")
    assert catalogs(example) == before


@each_version
def test_characters_xml_cannot_hold_come_back(tmp_path: Path, version: str) -> None:
    """A form feed or an escape pasted into an article is a code point, not broken XML."""
    root = tmp_path / "project"
    (root / "articles" / "nl").mkdir(parents=True)
    (root / "locpipe.toml").write_text('source_language = "nl"\nlanguages = ["en"]\n')
    text = "Een zin met\x0cform feed, `co\x1bde` en [een\x1b link](https://x.nl)."
    (root / "articles" / "nl" / "a.md").write_text(f"# Titel\n\n{text}\n")
    assert invoke("extract", "--project", root).exit_code == 0
    po_path = root / "locales" / "en" / "a.po"
    po = catalog.read_catalog(po_path)
    entry = po.find((None, text))
    assert entry is not None
    entry.msgstr = text.replace("zin", "sentence")
    catalog.write_catalog(po_path, po)
    before = catalogs(root)
    (path,) = export(root, tmp_path / "out", "en", "--version", version)
    assert oasis_schema(version).validate(etree.parse(str(path)))
    document = parse_xliff(path.read_bytes(), path=str(path))
    assert (text, entry.msgstr) in [(u.source, u.target) for u in document.files[0].units]
    result = invoke("xliff", "import", "--project", root, path)
    assert result.exit_code == 0, result.output
    assert catalogs(root) == before


@each_version
def test_a_translation_saved_by_translate_toolkit_comes_back(
    example: Path, tmp_path: Path, version: str
) -> None:
    """What Weblate does to an XLIFF file: Translate Toolkit's own storage edits and saves."""
    (path,) = [
        p for p in export(example, tmp_path, "af", "--version", version) if "uitleg" in p.parts
    ]
    reader = toolkit_xliff.xlifffile if version == "1.2" else toolkit_xliff2.Xliff2File
    store = reader.parsefile(str(path))
    (unit,) = [u for u in store.units if u.source == "Kenmerken"]
    unit.target = "Eienskappe"
    unit.markfuzzy(False)
    unit.markapproved(True)
    path.write_bytes(bytes(store))
    result = invoke("xliff", "import", "--project", example, path)
    assert result.exit_code == 0, result.output
    assert entry_states(example, "af", "uitleg/atacms")["Kenmerken"] == (
        "Eienskappe",
        EntryState.TRANSLATED,
    )
    others = entry_states(example, "af", "uitleg/atacms")
    assert [state for msgid, (_, state) in others.items() if msgid != "Kenmerken"] == [
        EntryState.MACHINE
    ] * (len(others) - 1)
