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
from locpipe.pomodel import Catalog, Entry

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


DATA = Path(__file__).parent / "data" / "tmx"


def imported_project(tmp_path: Path, url: str, *memories: str) -> Path:
    root = write_libre_project(tmp_path / "project", url)
    (root / "articles/nl/kort.md").write_text(KORT, encoding="utf-8")
    extract(root)
    for name in memories:
        import_tmx(root, DATA / name)
    result = pretranslate(root, "--lang", "en")
    assert result.exit_code == 0, result.output
    return root


KORT = """\
# Kort nieuws

De **Storm Shadow** is een [kruisraket](https://nl.wikipedia.org/wiki/Storm_Shadow) uit Frankrijk.

Dit is *echt* nieuws.
"""


def test_a_trados_memory_fills_each_unit_as_what_it_is(libre: LibreServer, tmp_path: Path) -> None:
    root = write_libre_project(tmp_path / "project", libre.url)
    extract(root)
    said = import_tmx(root, DATA / "trados.tmx")
    assert said.splitlines() == [
        "tm import: 6 units (en-GB, nl-NL): written tm/trados.tmx",
        "tm import: 1 machine output and 1 unconfirmed drafts (filled as fuzzy, never as "
        "reviewed); 1 rejected or with inline tags their source lacks (never used)",
    ]
    assert pretranslate(root, "--lang", "en").exit_code == 0
    po = read_po(root)
    found = states(po)

    # The newest unit wins, not the first: 2025's "Translated" over 2020's sign-off.
    fear = po.find("Angst voor escalatie")
    assert (fear.msgstr, found[fear.msgid]) == ("Fear of escalation", EntryState.TRANSLATED)
    # x-Origin MachineTranslation is machine output, whatever its confirmation level.
    kremlin = po.find("Volgens het Kremlin")
    assert (kremlin.msgstr, found[kremlin.msgid]) == (
        "According to the Kremlin",
        EntryState.MACHINE,
    )
    assert "machine translation by MachineTranslation (from tm/trados.tmx)" in kremlin.tcomment
    # A person's draft is fuzzy, and no machine output.
    draft = po.find("Een ander soort probleem")
    assert (draft.msgstr, found[draft.msgid]) == ("A different kind of problem", EntryState.FUZZY)
    assert "unconfirmed draft from translation memory (tm/trados.tmx)" in draft.tcomment
    # A rejected translation is never used: the engine translates instead.
    delivered = po.find("Geleverd door de VS")
    assert delivered.msgstr != "Delivered of the VS"
    assert "machine translation by libre" in delivered.tcomment
    # The unit's note reaches the translator.
    shortage = po.find("Tekort aan ATACMS")
    assert (shortage.msgstr, found[shortage.msgid]) == ("Shortage of ATACMS", EntryState.TRANSLATED)
    assert " ".join(shortage.tcomment.split()) == (
        "translation memory note: ATACMS stays as it is: the client's style guide, section 4 "
        "locpipe: from translation memory (tm/trados.tmx)"
    )
    assert_msgfmt_clean(root / "locales/en/atacms.po")


def test_an_omegat_memory_is_dated_and_signed_on_its_tuv(
    libre: LibreServer, tmp_path: Path
) -> None:
    root = imported_project(tmp_path, libre.url, "omegat.tmx")
    po = read_po(root)
    found = states(po)
    support = po.find("Steun met beperkingen?")
    assert (support.msgstr, found[support.msgid]) == ("Support with limits?", EntryState.TRANSLATED)
    other = po.find("Een ander soort probleem")
    assert (other.msgstr, found[other.msgid]) == ("Another kind of problem", EntryState.MACHINE)
    assert "machine translation by MT! (from tm/omegat.tmx)" in other.tcomment


def test_inline_tags_become_the_entrys_own_markdown_or_the_unit_is_not_used(
    libre: LibreServer, tmp_path: Path
) -> None:
    root = write_libre_project(tmp_path / "project", libre.url)
    (root / "articles/nl/kort.md").write_text(KORT, encoding="utf-8")
    extract(root)
    said = import_tmx(root, DATA / "memoq.tmx")
    assert "; 1 rejected or with inline tags their source lacks (never used)" in said
    assert pretranslate(root, "--lang", "en").exit_code == 0
    po = read_po(root, name="kort")
    found = states(po)
    missile = next(e for e in po if e.msgid.startswith("De **Storm Shadow**"))
    assert missile.msgstr == (
        "The **Storm Shadow** is a French "
        "[cruise missile](https://nl.wikipedia.org/wiki/Storm_Shadow)."
    )
    assert found[missile.msgid] is EntryState.TRANSLATED
    assert po.find("Kort nieuws").msgstr == "News in brief"
    # Its translation holds a tag its source lacks: the engine translates it instead.
    news = po.find("Dit is *echt* nieuws.")
    assert found[news.msgid] is EntryState.MACHINE
    assert "{" not in news.msgstr and "real" not in news.msgstr
    for entry in po:
        assert "\x01" not in entry.msgstr and "{}" not in entry.msgstr
    assert_msgfmt_clean(root / "locales/en/kort.po")


def test_machine_output_from_memory_is_verified_like_an_engines(
    libre: LibreServer, tmp_path: Path
) -> None:
    root = write_libre_project(tmp_path / "project", libre.url)
    extract(root)
    paragraph = next(e.msgid for e in read_po(root) if "positie van Kyiv" in e.msgid)
    memory = tmp_path / "mt.tmx"
    memory.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<tmx version="1.4">'
        '<header creationtool="SDL Language Platform" srclang="nl-NL" segtype="sentence" '
        'o-tmf="SDL TM8 Format" adminlang="en-US" datatype="xml"/><body>'
        '<tu><prop type="x-Origin">MachineTranslation</prop>'
        f'<tuv xml:lang="nl-NL"><seg>{paragraph}</seg></tuv>'
        '<tuv xml:lang="en-GB"><seg>Ukraine\'s forces lack ATACMS missiles, the New York Times '
        "reports. It could weaken Kiev's position.</seg></tuv></tu></body></tmx>\n",
        encoding="utf-8",
    )
    import_tmx(root, memory)
    assert pretranslate(root, "--lang", "en").exit_code == 0
    entry = read_po(root).find(paragraph)
    assert "Kiev" not in entry.msgstr
    assert "machine translation by libre" in entry.tcomment


def test_a_memory_note_is_not_repeated_when_an_entry_is_filled_again() -> None:
    po = Catalog()
    po.append(Entry(msgid="Tekort aan ATACMS", msgstr=""))
    note = "translation memory note: " + " ".join(["ATACMS stays as it is"] * 5)
    key = (None, "Tekort aan ATACMS")
    catalog.fill_entry(po, key, "Shortage", fuzzy=True, note="first", comments=(note,))
    entry = po.find(key)
    assert entry is not None
    entry.tcomment = "checked by Ann\n" + entry.tcomment.replace("it is ATACMS", "it is\nATACMS", 1)
    catalog.fill_entry(po, key, "Lack", fuzzy=True, note="second", comments=(note,))
    assert entry.tcomment.count("translation memory note") == 1
    assert entry.tcomment.startswith("checked by Ann\n")
    assert entry.tcomment.endswith("\nlocpipe: second")


def test_a_memory_of_the_same_name_is_replaced_only_when_asked(tmp_path: Path) -> None:
    """Two agencies' ``memory.tmx`` must not silently replace each other in tm/."""
    root = tmp_path / "p"
    write_libre_project(root, "http://127.0.0.1:9")
    first, second = tmp_path / "a" / "memory.tmx", tmp_path / "b" / "memory.tmx"
    for path, english in ((first, "Fear of escalation"), (second, "Fear of an escalation")):
        path.parent.mkdir()
        path.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header '
            'creationtool="t" creationtoolversion="1" segtype="paragraph" o-tmf="x" '
            'adminlang="en" srclang="nl" datatype="plaintext"/><body><tu>'
            '<tuv xml:lang="nl"><seg>Angst voor escalatie</seg></tuv>'
            f'<tuv xml:lang="en"><seg>{english}</seg></tuv>'
            "</tu></body></tmx>\n",
            encoding="utf-8",
        )
    import_tmx(root, first)
    refused = invoke("tm", "import", "--project", root, second)
    assert refused.exit_code != 0
    assert "tm/memory.tmx already holds another memory" in refused.output
    assert (root / "tm" / "memory.tmx").read_bytes() == first.read_bytes()
    import_tmx(root, first)  # the same memory again is no conflict
    replaced = invoke("tm", "import", "--project", root, second, "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert (root / "tm" / "memory.tmx").read_bytes() == second.read_bytes()
