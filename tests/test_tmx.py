"""Translation memory exchange: TMX 1.4b exported from one project and imported into
another, checked against translate-toolkit's TMX reader; hostile and broken files refused.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from translate.storage import tmx as toolkit_tmx

from locpipe import catalog
from locpipe.model import EntryState
from locpipe.tmx import TmxMemory, TmxUnit, generate_tmx, parse_tmx, units_from_entries

from .conftest import assert_msgfmt_clean, write_libre_project
from .libre_server import LibreServer
from .test_pretranslate import (
    REPEATS_REVIEWED,
    extract,
    invoke,
    pretranslate,
    read_po,
    review,
    states,
    with_repeats,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def translated(msgid: str) -> str:
    """A person's English for a seed entry, with characters XML must escape."""
    return f'EN <{msgid}> & "done"'


def reviewed_project(root: Path, url: str) -> dict[str, str]:
    """A project whose seed is fully reviewed in English; return msgid -> msgstr."""
    write_libre_project(root, url)
    extract(root)
    wanted = {entry.msgid: translated(entry.msgid) for entry in read_po(root)}
    review(root, "en", "atacms", wanted)
    return wanted


def export(root: Path, path: Path, *options: str) -> None:
    result = invoke("tm", "export", "--project", root, "--lang", "en", path, *options)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def units(path: Path) -> list[ET.Element]:
    return ET.parse(path).getroot().findall("body/tu")


def props(tu: ET.Element, kind: str) -> list[str]:
    return [p.text or "" for p in tu.findall("prop") if p.get("type") == kind]


def test_a_memory_exported_from_one_project_fills_another(
    libre: LibreServer, tmp_path: Path
) -> None:
    wanted = reviewed_project(tmp_path / "a", libre.url)
    exported = tmp_path / "a.tmx"
    export(tmp_path / "a", exported)

    other = write_libre_project(tmp_path / "b", libre.url)
    extract(other)
    result = invoke("tm", "import", "--project", other, exported)
    assert result.exit_code == 0, result.output
    count = len(set(wanted.items()))
    assert result.stdout == f"tm import: {count} units (en, nl): written tm/a.tmx\n"
    assert (other / "tm/a.tmx").read_bytes() == exported.read_bytes()

    libre.state.reset()
    result = pretranslate(other, "--lang", "en")
    assert result.exit_code == 0, result.output
    entries = len(read_po(other))
    assert f"{entries} entries: {entries} from memory, 0 fuzzy from memory" in result.stdout
    assert libre.state.requests == 0
    po = read_po(other)
    assert {entry.msgid: entry.msgstr for entry in po} == wanted
    assert set(states(po).values()) == {EntryState.TRANSLATED}
    assert all("locpipe: from translation memory (tm/a.tmx)" in e.tcomment for e in po)
    assert_msgfmt_clean(other / "locales/en/atacms.po")


def test_the_export_is_tmx_1_4b_and_deterministic(libre: LibreServer, tmp_path: Path) -> None:
    root = tmp_path / "a"
    wanted = reviewed_project(root, libre.url)
    path = tmp_path / "en.tmx"
    export(root, path)

    tmx = ET.parse(path).getroot()
    assert tmx.get("version") == "1.4"
    header = tmx.find("header")
    assert header is not None
    assert {k: header.get(k) for k in ("creationtool", "datatype", "segtype", "adminlang")} == {
        "creationtool": "locpipe",
        "datatype": "plaintext",
        "segtype": "paragraph",
        "adminlang": "en",
    }
    assert header.get("srclang") == "nl" and header.get("o-tmf") == "PO"
    assert header.get("creationtoolversion")

    revised = catalog.revision_date(read_po(root))
    assert revised is not None
    found = units(path)
    assert len(found) == len(set(wanted.items()))
    for tu in found:
        assert tu.get("creationdate") == revised.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        assert props(tu, "x-locpipe-article") == ["atacms"]
        source, target = ((tuv.get(XML_LANG), tuv.findtext("seg")) for tuv in tu.findall("tuv"))
        assert source[0] == "nl" and target == ("en", wanted[source[1] or ""])
    assert all(props(tu, "x-context") == [] for tu in found)  # the seed has no msgctxt
    assert b"EN &lt;" in path.read_bytes()

    result = invoke("tm", "export", "--project", root, "--lang", "en", path)
    assert result.exit_code == 0 and "unchanged" in result.stdout


def test_translate_toolkit_reads_the_same_units(libre: LibreServer, tmp_path: Path) -> None:
    wanted = reviewed_project(tmp_path / "a", libre.url)
    path = tmp_path / "en.tmx"
    export(tmp_path / "a", path)

    store = toolkit_tmx.tmxfile.parsefile(str(path))
    pairs = [(unit.source, unit.target) for unit in store.units]
    assert sorted(pairs) == sorted(set(wanted.items()))
    assert store.getsourcelanguage() == "nl"


def test_machine_translations_only_with_include_machine(libre: LibreServer, tmp_path: Path) -> None:
    root = write_libre_project(tmp_path / "a", libre.url)
    extract(root)
    review(root, "en", "atacms", {"Angst voor escalatie": "Fear of escalation"})
    assert pretranslate(root, "--lang", "en").exit_code == 0
    machine = [e for e in read_po(root) if catalog.entry_state(e) is EntryState.MACHINE]
    assert machine

    reviewed_only, everything = tmp_path / "reviewed.tmx", tmp_path / "all.tmx"
    export(root, reviewed_only)
    [tu] = units(reviewed_only)
    assert [seg.text for seg in tu.iter("seg")] == ["Angst voor escalatie", "Fear of escalation"]
    assert props(tu, "x-locpipe-origin") == []

    export(root, everything, "--include-machine")
    found = units(everything)
    marked = [tu for tu in found if props(tu, "x-locpipe-origin") == ["machine"]]
    assert len(marked) == len(found) - 1 == len({(e.msgid, e.msgstr) for e in machine})
    assert all(props(tu, "x-locpipe-engine") == ["libre"] for tu in marked)


def test_reviewed_catalog_entries_win_over_imported_memory(
    libre: LibreServer, tmp_path: Path
) -> None:
    reviewed_project(tmp_path / "a", libre.url)
    exported = tmp_path / "a.tmx"
    export(tmp_path / "a", exported)
    other = write_libre_project(tmp_path / "b", libre.url)
    with_repeats(other, "en")
    assert invoke("tm", "import", "--project", other, exported).exit_code == 0

    assert pretranslate(other, "--lang", "en").exit_code == 0
    entry = read_po(other).find("Angst voor escalatie")
    assert entry.msgstr == REPEATS_REVIEWED["Angst voor escalatie"]
    assert "(locales/en/herhaling.po)" in entry.tcomment


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<tmx version="1.4"><header srclang="nl"/><body><tu><tuv xml:lang="nl"><seg>&b;</seg></tuv>
</tu></body></tmx>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<tmx version="1.4"><header srclang="nl"/><body><tu><tuv xml:lang="en"><seg>&secret;</seg>
</tuv></tu></body></tmx>
"""
MALFORMED = b"""<?xml version="1.0"?>
<tmx version="1.4"><header srclang="nl"/>
<body><tu><tuv xml:lang="en"><seg>open</tuv></tu></body></tmx>
"""


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (MALFORMED, ":3: not well-formed XML: mismatched tag"),
        (BILLION_LAUGHS, ": refused unsafe XML (EntitiesForbidden)"),
        (EXTERNAL_ENTITY, ": refused unsafe XML (EntitiesForbidden)"),
        (b'<?xml version="1.0"?>\n<martif/>\n', ": not a TMX file: the root element is <martif>"),
    ],
    ids=["malformed", "billion-laughs", "external-entity", "not-tmx"],
)
def test_broken_and_hostile_files_are_one_line_and_nothing_is_copied(
    project: Path, tmp_path: Path, data: bytes, expected: str
) -> None:
    path = tmp_path / "bad.tmx"
    path.write_bytes(data)
    result = invoke("tm", "import", "--project", project, path)
    assert result.exit_code == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"locpipe: error: {path}{expected}")
    assert not (project / "tm").exists()


def test_a_doctype_without_entities_is_accepted() -> None:
    # Most TMX writers name the DTD; the parser never fetches it.
    memory = TmxMemory("nl", (TmxUnit((("nl", "Hallo"), ("en-GB", "Hello"))),))
    declaration, rest = generate_tmx(memory).split(b"\n", 1)
    data = declaration + b'\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n' + rest
    assert parse_tmx(data, path="x.tmx") == memory


def test_a_broken_memory_in_tm_fails_pretranslation_of_nothing_else(
    libre: LibreServer, tmp_path: Path
) -> None:
    root = write_libre_project(tmp_path / "a", libre.url)
    extract(root)
    (root / "tm").mkdir()
    (root / "tm/bad.tmx").write_bytes(MALFORMED)
    result = pretranslate(root, "--lang", "en")
    assert result.exit_code == 1
    assert result.stderr.startswith("pretranslate: failed tm/bad.tmx: tm/bad.tmx:3: ")
    assert "0 from memory" in result.stdout and "machine-translated" in result.stdout


def test_round_trip_through_the_model() -> None:
    created = datetime(2024, 5, 1, 7, 30, tzinfo=UTC)
    unit = TmxUnit(
        (("nl", "a < b & c"), ("en", "a < b & c")), created, (("x-locpipe-article", "x/y"),)
    )
    memory = TmxMemory("nl", (unit,))
    assert parse_tmx(generate_tmx(memory), path="m.tmx") == memory


def test_a_pair_in_several_places_is_one_unit_naming_each() -> None:
    early, late = datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 6, 1, tzinfo=UTC)
    machine = catalog.MemoryEntry(None, "Hallo", "Hello", machine=True, engine="libre")
    entries = [
        ("a", machine, late),
        ("b", catalog.MemoryEntry("menu", "Hallo", "Hello"), early),
        ("b", catalog.MemoryEntry(None, "Dag", "Bye", machine=True), None),
    ]
    hello, bye = units_from_entries(entries, source="nl", target="en")
    assert hello == TmxUnit(
        (("nl", "Hallo"), ("en", "Hello")),
        late,
        (("x-locpipe-article", "a"), ("x-locpipe-article", "b"), ("x-context", "menu")),
    )
    assert bye.props == (("x-locpipe-article", "b"), ("x-locpipe-origin", "machine"))
    assert bye.created is None
    data = generate_tmx(TmxMemory("nl", (hello, bye)))
    assert b'<prop type="x-context">menu</prop>' in data
    assert b"<tu>" in data  # no date, no creationdate
