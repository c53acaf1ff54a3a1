"""Review of the TMX and TBX readers: term status as termbases write it, and XML that could
change what a unit or term says without showing it."""

from __future__ import annotations

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

from .complexity import assert_cpu_time_grows_linearly, assert_lines_do_not_grow
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


def test_a_long_paragraph_is_searched_only_as_far_as_the_memory_reaches() -> None:
    # An imported memory with inline tags, and a long paragraph it holds nothing of: each
    # possible first sentence used to be keyed in full, the square of the paragraph's length
    # (50 kB took 8 s).  The keying is in C, where a count of Python lines cannot see it, but
    # the loop over sentence ends is Python: the search stops past the memory's longest text,
    # so the work does not grow with the paragraph at all.
    memory = TranslationMemory()
    memory.add("Een \x01o1\x02vet\x01c1\x02 woord.", "A \x01o1\x02bold\x01c1\x02 word.", "m.tmx")
    memory.add("Het regent.", "It rains.", "m.tmx")

    def search(sentences: int) -> None:
        assert memory.by_sentences("Dit is een zin met **nadruk**. " * sentences, "nl") is None

    assert_lines_do_not_grow(search, 300)


def test_a_sentence_memory_still_fills_a_paragraph_whose_first_sentence_is_tagged() -> None:
    memory = TranslationMemory()
    memory.add("Een \x01o1\x02vet\x01c1\x02 woord.", "A \x01o1\x02bold\x01c1\x02 word.", "m.tmx")
    memory.add("Het regent.", "It rains.", "m.tmx")
    match = memory.by_sentences("Een **vet** woord. Het regent.", "nl")
    assert match is not None
    assert match.translation == "A **bold** word. It rains."


def test_markup_is_keyed_in_linear_time_over_unclosed_image_brackets() -> None:
    # Each "![" was read to the end of the text for its "]", the square of its length.  That
    # reading is one regular expression's, in C, where a count of Python lines cannot see it;
    # so CPU times of two lengths, measured here, are compared.
    def key(brackets: int) -> None:
        assert markup_key("![" * brackets) == "!" * brackets

    assert_cpu_time_grows_linearly(key, 4000)


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


def test_a_paragraph_too_long_to_split_stays_whole_whatever_its_length() -> None:
    # pysbd's time grows with the square of a text's length (100 kB took over half a minute).
    # Past LONGEST_SPLIT a text is one piece and pysbd is not asked, so the work does not
    # grow with the text at all.
    sentences = "Dit is een zin met o.a. een afkorting. En nog een zin! "

    def cut(repeats: int) -> None:
        paragraph = sentences * repeats
        assert split_sentences(paragraph, "nl") == [paragraph]

    assert_lines_do_not_grow(cut, LONGEST_SPLIT // len(sentences) + 1)
    # A paragraph of LONGEST_SPLIT characters is still cut into its sentences.
    paragraph = (sentences * (LONGEST_SPLIT // len(sentences) + 1))[:LONGEST_SPLIT]
    assert len(split_sentences(paragraph, "nl")) > 300


def test_a_unit_with_a_run_of_adjacent_tags_fails_to_match_without_backtracking() -> None:
    # Each tag's Markdown is matched atomically.  Matched otherwise, every way of cutting a
    # run of stars among adjacent tags is tried before the match fails at the last
    # character: 16 tags took half a minute, 20 never ended.  Sixty stars cut among 40 tags
    # on either side of "vet" are C(40, 20) ** 2, some 10 ** 22 ways: the atomic match
    # fails at once, a backtracking one would keep the suite from ever finishing.
    tags = 40
    opening = "".join(f"\x01o{n}\x02" for n in range(tags))
    closing = "".join(f"\x01c{n}\x02" for n in reversed(range(tags)))
    unit = f"{opening}vet{closing}"
    stars = "*" * (tags * 3 // 2)
    assert resolve_tags(unit, unit, f"{stars}vet{stars}!") is None
    bold = "**" * tags
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
