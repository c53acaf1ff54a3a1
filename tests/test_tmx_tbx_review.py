"""Review of the TMX and TBX readers: term status as termbases write it, and XML that could
change what a unit or term says without showing it."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from locpipe.catalog import MemoryEntry
from locpipe.errors import TmxError, XliffError
from locpipe.glossary import read_glossary
from locpipe.model import TermRule
from locpipe.sentences import LONGEST_SPLIT, split_sentences
from locpipe.tm import TranslationMemory
from locpipe.tmx import (
    Trust,
    markup_key,
    parse_tmx,
    resolve_tags,
    sentence_entries,
    usable_units,
)
from locpipe.xliff import parse_xliff

from .conftest import write_libre_project
from .libre_server import LibreServer
from .test_pretranslate import extract, invoke, read_po, review


def tbx(body: str, *, doctype: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}'
        f'<martif type="TBX" xml:lang="nl"><text><body>{body}</body></text></martif>\n'
    )


ADMITTED_THEN_PREFERRED = """
<termEntry id="bike">
  <langSet xml:lang="nl"><tig><term>fiets</term></tig></langSet>
  <langSet xml:lang="en">
    <tig><term>push bike</term>
      <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig>
    <tig><term>bicycle</term>
      <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
  </langSet>
</termEntry>"""


def test_the_preferred_term_is_agreed_even_after_an_admitted_one(tmp_path: Path) -> None:
    (tmp_path / "bikes.tbx").write_text(tbx(ADMITTED_THEN_PREFERRED), encoding="utf-8")
    glossary = read_glossary(tmp_path, languages=("en",), display="glossary")
    (bike,) = glossary.terms
    assert (bike.rule, bike.translations, bike.forbidden) == (
        TermRule.TRANSLATE,
        (("en", "bicycle"),),
        (),
    )


# A memory whose DOCTYPE signs every unit as a person's: the unit itself says machine.
SIGNED_BY_DECLARATION = b"""<?xml version="1.0"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd" [<!ATTLIST tu changeid CDATA "anna">]>
<tmx version="1.4"><header srclang="nl" creationtool="x"/><body>
<tu creationid="MT!"><tuv xml:lang="nl"><seg>Hallo</seg></tuv>
<tuv xml:lang="en"><seg>Hello</seg></tuv></tu></body></tmx>
"""
PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY % remote SYSTEM "file:///etc/passwd"> %remote;]>
<tmx version="1.4"><header srclang="nl"/><body/></tmx>
"""
XINCLUDE = b"""<?xml version="1.0"?>
<tmx version="1.4" xmlns:xi="http://www.w3.org/2001/XInclude"><header srclang="nl"/><body>
<tu><tuv xml:lang="nl"><seg>Hallo</seg></tuv>
<tuv xml:lang="en"><seg><xi:include href="/etc/hostname" parse="text"/></seg></tuv></tu>
</body></tmx>
"""


@pytest.mark.parametrize(
    ("data", "refused"),
    [(SIGNED_BY_DECLARATION, "DeclarationForbidden"), (PARAMETER_ENTITY, "EntitiesForbidden")],
    ids=["attribute-default", "parameter-entity"],
)
def test_a_memory_whose_doctype_declares_anything_is_refused(data: bytes, refused: str) -> None:
    with pytest.raises(TmxError, match=rf"^m\.tmx: refused unsafe XML \({refused}\)"):
        parse_tmx(data, path="m.tmx")


def test_an_xinclude_in_a_memory_is_never_followed() -> None:
    memory = parse_tmx(XINCLUDE, path="m.tmx")
    [unit] = memory.units
    # The include is an inline code like any other: no file's content comes in.
    assert [text for _, text in unit.variants] == ["Hallo", "\x01p#1\x02"]
    assert usable_units(memory, source="nl", target="en", origin="m.tmx") == []


def test_a_termbase_whose_doctype_declares_attributes_is_refused(tmp_path: Path) -> None:
    # A default xml:lang would make every untagged langSet Dutch, unseen.
    doctype = '<!DOCTYPE martif SYSTEM "TBXcdv04.dtd" [<!ATTLIST langSet xml:lang CDATA "en">]>\n'
    (tmp_path / "t.tbx").write_text(tbx(ADMITTED_THEN_PREFERRED, doctype=doctype), "utf-8")
    glossary = read_glossary(tmp_path, languages=("en",), display="glossary")
    assert glossary.terms == ()
    assert [str(problem) for problem in glossary.problems] == [
        "glossary/t.tbx:1: error: refused unsafe XML (DeclarationForbidden): "
        "TBX needs no DTD declarations"
    ]


@pytest.mark.parametrize(
    "reference",
    [
        '<!DOCTYPE martif [<!ENTITY % s SYSTEM "{url}"> %s;]>\n',
        '<!DOCTYPE martif [<!ENTITY s SYSTEM "{url}">]>\n',
        "<xi:include href='{url}' parse='text'/>",
    ],
    ids=["parameter-entity", "external-entity", "xinclude"],
)
def test_a_termbase_never_reads_another_file(tmp_path: Path, reference: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("geheim", encoding="utf-8")
    folder = tmp_path / "glossary"
    folder.mkdir()
    include = reference.format(url=secret.as_uri())
    term = "&s;" if "ENTITY s " in include else "fiets"
    body = f"""<termEntry><langSet xml:lang="nl"><tig><term>{term}</term></tig></langSet>
      <langSet xml:lang="en"><tig><term>bike{"" if include.startswith("<!") else include}</term>
      </tig></langSet></termEntry>"""
    document = tbx(body, doctype=include if include.startswith("<!") else "")
    document = document.replace("<martif ", '<martif xmlns:xi="http://www.w3.org/2001/XInclude" ')
    (folder / "t.tbx").write_text(document, encoding="utf-8")
    glossary = read_glossary(folder, languages=("en",), display="glossary")
    assert "geheim" not in repr(glossary)
    if include.startswith("<!"):
        assert [p.message for p in glossary.problems] == [
            "refused unsafe XML (EntitiesForbidden): TBX needs no DTD declarations"
        ]
    else:
        assert [(t.term, t.translations) for t in glossary.terms] == [("fiets", (("en", "bike"),))]


def test_a_long_paragraph_is_not_searched_once_per_sentence_end() -> None:
    # An imported memory with inline tags, and a long paragraph it holds nothing of: each
    # possible first sentence used to be keyed in full, the square of the paragraph's length.
    memory = TranslationMemory()
    memory.add("Een \x01o1\x02vet\x01c1\x02 woord.", "A \x01o1\x02bold\x01c1\x02 word.", "m.tmx")
    memory.add("Het regent.", "It rains.", "m.tmx")
    paragraph = "Dit is een zin met **nadruk**. " * 3000
    started = time.perf_counter()
    assert memory.by_sentences(paragraph, "nl") is None
    assert time.perf_counter() - started < 2


def test_a_sentence_memory_still_fills_a_paragraph_whose_first_sentence_is_tagged() -> None:
    memory = TranslationMemory()
    memory.add("Een \x01o1\x02vet\x01c1\x02 woord.", "A \x01o1\x02bold\x01c1\x02 word.", "m.tmx")
    memory.add("Het regent.", "It rains.", "m.tmx")
    match = memory.by_sentences("Een **vet** woord. Het regent.", "nl")
    assert match is not None
    assert match.translation == "A **bold** word. It rains."


def test_markup_is_keyed_in_one_pass_over_unclosed_image_brackets() -> None:
    started = time.perf_counter()
    assert markup_key("![" * 50_000) == "!" * 50_000
    assert time.perf_counter() - started < 1


# A memory of three languages, each translation signed on its own <tuv>: the English one
# by a machine, the German one by a person, the English one dated last.
SIGNED_PER_LANGUAGE = b"""<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="nl" creationtool="OmegaT" segtype="sentence"/><body>
<tu>
  <tuv xml:lang="nl"><seg>Een ander soort probleem</seg></tuv>
  <tuv xml:lang="en" changeid="MT!" changedate="20250302T110500Z"><seg>Another problem</seg></tuv>
  <tuv xml:lang="de" changeid="ann" changedate="20240101T090000Z"><seg>Ein anderes Problem</seg>
  </tuv>
</tu>
</body></tmx>
"""


def test_each_translation_is_trusted_as_its_own_tuv_was_signed() -> None:
    memory = parse_tmx(SIGNED_PER_LANGUAGE, path="m.tmx")
    [english] = usable_units(memory, source="nl", target="en", origin="m.tmx")
    [german] = usable_units(memory, source="nl", target="de", origin="m.tmx")
    assert (english.provenance.trust, english.provenance.engine) == (Trust.MACHINE, "MT!")
    assert german.provenance.trust is Trust.REVIEWED
    assert (english.date, german.date) == (
        datetime(2025, 3, 2, 11, 5, tzinfo=UTC),
        datetime(2024, 1, 1, 9, 0, tzinfo=UTC),
    )


def test_a_huge_paragraph_is_not_cut_into_sentences_in_quadratic_time() -> None:
    paragraph = "Dit is een zin met o.a. een afkorting. En nog een zin! " * 1800
    started = time.perf_counter()
    assert split_sentences(paragraph, "nl") == [paragraph]
    assert time.perf_counter() - started < 2
    assert len(split_sentences(paragraph[:LONGEST_SPLIT], "nl")) > 300


def test_a_unit_with_a_run_of_adjacent_tags_is_matched_in_linear_time() -> None:
    opening = "".join(f"\x01o{n}\x02" for n in range(16))
    closing = "".join(f"\x01c{n}\x02" for n in reversed(range(16)))
    unit = f"{opening}vet{closing}"
    started = time.perf_counter()
    # Every way of cutting 24 stars among 16 tags fails only at the last character.
    assert resolve_tags(unit, unit, "*" * 24 + "vet" + "*" * 24 + "!") is None
    assert time.perf_counter() - started < 2
    bold = "**" * 16
    assert (
        resolve_tags(unit, unit.replace("vet", "bold"), f"{bold}vet{bold}") == f"{bold}bold{bold}"
    )


def test_an_entry_xml_cannot_carry_is_left_out_of_an_export_that_stays_readable(
    libre: LibreServer, tmp_path: Path
) -> None:
    root = tmp_path / "project"
    write_libre_project(root, libre.url)
    extract(root)
    first, second = (entry.msgid for entry in read_po(root)[:2])
    # A translator pasted a form feed into one translation.
    review(root, "en", "atacms", {first: "Page\x0cbreak", second: "Fine"})
    path = tmp_path / "out.tmx"
    result = invoke("tm", "export", "--project", root, "--lang", "en", path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "tm export en: 1 left out (characters XML cannot hold)"
    memory = parse_tmx(path.read_bytes(), path="out.tmx")
    assert [text for unit in memory.units for lang, text in unit.variants if lang == "en"] == [
        "Fine"
    ]


def test_an_xliff_file_whose_doctype_declares_a_state_is_refused() -> None:
    # A default state="final" would pass machine output off as signed off.
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ATTLIST target state CDATA "final">]>\n'
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"/>\n'
    )
    with pytest.raises(XliffError, match=r"^x\.xlf: refused unsafe XML \(DeclarationForbidden\)"):
        parse_xliff(data, path="x.xlf")


@pytest.mark.parametrize(
    ("msgid", "msgstr", "units"),
    [
        # As many sentences, cut elsewhere: pairing them would make two wrong units.
        (
            "Het regent al dagen en de rivier treedt buiten haar oevers. Thuis.",
            "It rains. For days the river has flooded, so we stay home.",
            ["Het regent al dagen en de rivier treedt buiten haar oevers. Thuis."],
        ),
        (
            "Ja. Wij blijven vandaag thuis.",
            "Yes, indeed. We stay home today.",
            ["Ja.", "Wij blijven vandaag thuis."],
        ),
    ],
    ids=["cut-elsewhere", "short-sentence"],
)
def test_an_export_pairs_sentences_only_where_their_lengths_agree(
    msgid: str, msgstr: str, units: list[str]
) -> None:
    entry = MemoryEntry(None, msgid, msgstr)
    found = sentence_entries([("a", entry, None)], source="nl", target="en")
    assert [piece.msgid for _, piece, _ in found] == units


DCT_STYLE = """\
<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dct" xml:lang="nl" xmlns="urn:iso:std:iso:30042:ed-2"
     xmlns:basic="http://www.tbxinfo.net/ns/basic">
  <text><body><conceptEntry id="kyiv">
    <langSec xml:lang="nl"><termSec><term>Kyiv</term></termSec></langSec>
    <langSec xml:lang="en">
      <termSec><term>Kiev</term>
        <basic:administrativeStatus>deprecatedTerm-admn-sts</basic:administrativeStatus>
      </termSec>
      <termSec><term>Kyiv</term>
        <basic:administrativeStatus>preferredTerm-admn-sts</basic:administrativeStatus>
      </termSec>
    </langSec>
    <langSec xml:lang="de">
      <termSec><term>Kyjiw</term></termSec>
      <termSec><term>Kiew</term>
        <basic:administrativeStatus>supersededTerm-admn-sts</basic:administrativeStatus>
      </termSec>
    </langSec>
  </conceptEntry></body></text>
</tbx>
"""


def test_term_status_as_a_dct_style_termbase_writes_it(tmp_path: Path) -> None:
    # TBX v3's DCT style writes a data category as an element of its own, not a termNote.
    (tmp_path / "places.tbx").write_text(DCT_STYLE, encoding="utf-8")
    glossary = read_glossary(tmp_path, languages=("en", "de"), display="glossary")
    (kyiv,) = glossary.terms
    assert (kyiv.rule, kyiv.translations, kyiv.forbidden) == (
        TermRule.TRANSLATE,
        (("en", "Kyiv"), ("de", "Kyjiw")),
        ("Kiev", "Kiew"),
    )


ALIGNED = b"""<?xml version="1.0" encoding="utf-8"?>
<tmx version="1.4"><header creationtool="MemoQ" srclang="nl-nl" segtype="sentence"/><body>
<tu creationid="ann" changeid="ann">
  <prop type="aligned">yes</prop>
  <tuv xml:lang="nl-nl"><seg>Het kabinet zweeg.</seg></tuv>
  <tuv xml:lang="en-gb"><seg>The cabinet was silent.</seg></tuv>
</tu>
</body></tmx>
"""


def test_an_aligned_unit_is_a_draft_until_a_reviewer_approves_it() -> None:
    [unit] = usable_units(parse_tmx(ALIGNED, path="m.tmx"), source="nl", target="en", origin="m")
    assert unit.provenance.trust is Trust.DRAFT


def test_a_csv_column_that_stands_for_a_target_language_must_be_named_as_the_project_names_it(
    tmp_path: Path,
) -> None:
    # An en-GB column in a project that targets en would otherwise be ignored with a warning,
    # and machine translation would never see its agreed translations.
    (tmp_path / "terms.csv").write_text("term,rule,en-GB,fr\nfiets,translate,bicycle,vélo\n")
    glossary = read_glossary(tmp_path, languages=("en",), display="glossary")
    assert [str(problem) for problem in glossary.problems][:2] == [
        "glossary/terms.csv:1: error: language column 'en-GB' stands for the project's 'en': "
        "name it so",
        "glossary/terms.csv:1: warning: language column 'fr' is not one of the project's "
        "(project languages: en); ignored",
    ]
