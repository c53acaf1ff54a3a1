"""The glossary: reading CSV and TBX files, finding terms, checking, annotating, protecting.

Glossary files live in the project's ``glossary/`` folder.  A CSV has the header
``term,rule,<lang>...[,note][,case]``; TBX 2 (``martif``) and TBX 3 (``tbx``) termbases are
read with defusedxml.  Terms are found at word boundaries, longest first, also inside
hyphenated Dutch compounds; machine translation sees them protected and gets the agreed
form back.
"""

from __future__ import annotations

import itertools
import re
import shutil
import tempfile
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from locpipe.cli import main
from locpipe.engines import Protection
from locpipe.errors import GlossaryError
from locpipe.glossary import (
    _RESIDUE,
    Glossary,
    describe_term,
    leftover_placeholders,
    load_glossary,
    protect,
    read_glossary,
    restore,
    verify_translation,
)
from locpipe.model import GlossaryTerm, TermRule

from .conftest import REPO, SEED, assert_msgfmt_clean, write_project

REPO_GLOSSARY = REPO / "glossary"
TOKENS = Protection(token="{{{n}}}")
MARKUP = Protection(markup=True, open="<x>", close="</x>")
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

KEEP, TRANSLATE = TermRule.KEEP, TermRule.TRANSLATE


def glossary_of(*terms: GlossaryTerm) -> Glossary:
    return Glossary(terms)


def keep(term: str, *, case_sensitive: bool = True) -> GlossaryTerm:
    return GlossaryTerm(term, KEEP, case_sensitive=case_sensitive)


def translate(term: str, *, case_sensitive: bool = True, **targets: str) -> GlossaryTerm:
    return GlossaryTerm(term, TRANSLATE, tuple(targets.items()), case_sensitive=case_sensitive)


def write_glossary(root: Path, files: dict[str, str | bytes]) -> Path:
    """Glossary files in ``root/glossary``; returns the folder."""
    folder = root / "glossary"
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return folder


def read(folder: Path, languages: tuple[str, ...] = ("en", "de")) -> Glossary:
    return read_glossary(folder, languages=languages, display="glossary")


def problem_lines(glossary: Glossary) -> list[str]:
    return [str(problem) for problem in glossary.problems]


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def repo_glossary() -> Glossary:
    """The example project's glossary/terms.csv, read for its three languages."""
    glossary = read(REPO_GLOSSARY, ("en", "de", "af"))
    assert glossary.problems == ()
    return glossary


# Reading CSV glossaries


def test_the_example_csv_reads_as_keep_and_translate_terms(repo_glossary: Glossary) -> None:
    terms = {term.term: term for term in repo_glossary.terms}
    assert list(terms) == ["ATACMS", "Storm Shadow", "Kyiv", "Poetin", "Koersk"]
    assert terms["ATACMS"].rule is KEEP
    assert terms["ATACMS"].note == "Army Tactical Missile System; never spelled out"
    assert terms["ATACMS"].target("en") == "ATACMS"
    assert terms["Kyiv"].note == "never Kiev or Kiew"
    assert terms["Poetin"].rule is TRANSLATE
    assert dict(terms["Poetin"].translations) == {"en": "Putin", "de": "Putin", "af": "Poetin"}
    assert terms["Koersk"].target("en") == "Kursk"
    assert all(term.case_sensitive for term in terms.values())
    assert terms["Koersk"].origin == "glossary/terms.csv" and terms["Koersk"].line == 6


def test_csv_columns_may_come_in_any_order_with_a_bom_and_crlf(tmp_path: Path) -> None:
    folder = write_glossary(
        tmp_path,
        {
            "terms.csv": "\ufeffnote,de,case,en,rule,term\r\n"
            "stad,Kursk,insensitive,Kursk,translate,Koersk\r\n"
        },
    )
    glossary = read(folder)
    assert glossary.problems == ()
    (term,) = glossary.terms
    assert (term.term, term.rule, term.note, term.case_sensitive) == (
        "Koersk",
        TRANSLATE,
        "stad",
        False,
    )
    assert term.target("en") == term.target("de") == "Kursk"


def test_a_missing_glossary_folder_is_an_empty_glossary(tmp_path: Path) -> None:
    glossary = read(tmp_path / "glossary")
    assert glossary.terms == () and glossary.problems == ()
    assert glossary.find("ATACMS") == []


# Reading TBX termbases

TBX2 = """\
<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="nl">
  <martifHeader><fileDesc><sourceDesc><p>locpipe</p></sourceDesc></fileDesc></martifHeader>
  <text>
    <body>
      <termEntry id="atacms">
        <descrip type="definition">Army Tactical
          Missile System</descrip>
        <langSet xml:lang="nl"><tig><term>ATACMS</term></tig></langSet>
        <langSet xml:lang="en"><tig><term>ATACMS</term></tig></langSet>
      </termEntry>
      <termEntry id="poetin">
        <langSet xml:lang="nl"><tig><term>Poetin</term></tig></langSet>
        <langSet xml:lang="en-US"><tig><term>Putin</term></tig></langSet>
        <langSet xml:lang="de"><tig><term>Putin</term></tig></langSet>
      </termEntry>
    </body>
  </text>
</martif>
"""

TBX3 = """\
<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Core" style="dca" xml:lang="nl" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>locpipe</p></sourceDesc></fileDesc></tbxHeader>
  <text>
    <body>
      <conceptEntry id="storm-shadow">
        <langSec xml:lang="nl"><termSec><term>Storm Shadow</term></termSec></langSec>
      </conceptEntry>
      <conceptEntry id="koersk">
        <note>de stad, niet de onderzeeboot</note>
        <langSec xml:lang="nl-NL"><termSec><term>Koersk</term></termSec></langSec>
        <langSec xml:lang="EN"><termSec><term>Kursk</term></termSec></langSec>
        <langSec xml:lang="de"><termSec><term>Kursk</term></termSec></langSec>
      </conceptEntry>
    </body>
  </text>
</tbx>
"""


def test_tbx2_martif_entries_become_keep_or_translate_terms(tmp_path: Path) -> None:
    glossary = read(write_glossary(tmp_path, {"termbase.tbx": TBX2}))
    assert glossary.problems == ()
    atacms, poetin = glossary.terms
    # every target equal to the Dutch term: keep it
    assert (atacms.term, atacms.rule, atacms.note) == (
        "ATACMS",
        KEEP,
        "Army Tactical Missile System",
    )
    # en-US serves a project whose language is en
    assert (poetin.term, poetin.rule) == ("Poetin", TRANSLATE)
    assert dict(poetin.translations) == {"en": "Putin", "de": "Putin"}
    assert (poetin.origin, poetin.line) == ("glossary/termbase.tbx", 12)


def test_tbx3_concept_entries_become_keep_or_translate_terms(tmp_path: Path) -> None:
    glossary = read(write_glossary(tmp_path, {"termbase.tbx": TBX3}))
    assert glossary.problems == ()
    storm_shadow, koersk = glossary.terms
    # no target terms at all: keep
    assert (storm_shadow.term, storm_shadow.rule, storm_shadow.translations) == (
        "Storm Shadow",
        KEEP,
        (),
    )
    assert (koersk.term, koersk.rule, koersk.note) == (
        "Koersk",
        TRANSLATE,
        "de stad, niet de onderzeeboot",
    )
    assert koersk.target("en") == koersk.target("de") == "Kursk"
    assert koersk.line == 9


def test_tbx_language_codes_match_project_codes_written_either_way(tmp_path: Path) -> None:
    folder = write_glossary(tmp_path, {"termbase.tbx": TBX2.replace('"de"', '"pt-BR"')})
    (_, poetin) = read(folder, ("en", "pt_BR")).terms
    assert dict(poetin.translations) == {"en": "Putin", "pt_BR": "Putin"}
    (_, poetin) = read(folder, ("en", "pt-BR")).terms
    assert dict(poetin.translations) == {"en": "Putin", "pt-BR": "Putin"}
    # a regional project language takes the base language, but not another region
    folder = write_glossary(tmp_path, {"termbase.tbx": TBX2.replace('"de"', '"pt-PT"')})
    (_, poetin) = read(folder, ("en", "pt_BR")).terms
    assert dict(poetin.translations) == {"en": "Putin"}


def test_a_tbx_entry_without_a_dutch_term_is_a_warning_at_its_line(tmp_path: Path) -> None:
    tbx = TBX3.replace('xml:lang="nl-NL"', 'xml:lang="fr"')
    glossary = read(write_glossary(tmp_path, {"termbase.tbx": tbx}))
    assert problem_lines(glossary) == [
        "glossary/termbase.tbx:9: warning: koersk: no term in the source language (nl)",
        "glossary/termbase.tbx:11: warning: language 'fr' is not one of the project's; "
        "its terms are ignored",
    ]
    assert [term.term for term in glossary.terms] == ["Storm Shadow"]


BILLION_LAUGHS = """\
<?xml version="1.0"?>
<!DOCTYPE martif [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<martif><text><body><termEntry>
  <langSet xml:lang="nl"><tig><term>&lol9;</term></tig></langSet>
</termEntry></body></text></martif>
"""
ENTRY = '<langSet xml:lang="nl"><tig><term>{}</term></tig></langSet>'
HOSTILE = {
    "billion laughs": BILLION_LAUGHS,
    "external entity": '<!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]>'
    f"<martif><text><body><termEntry>{ENTRY.format('&a;')}</termEntry></body></text></martif>",
    "parameter entity": '<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><x/>',
}


@pytest.mark.parametrize("xml", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_xml_is_refused_with_a_problem_never_expanded(tmp_path: Path, xml: str) -> None:
    glossary = read(write_glossary(tmp_path, {"hostile.tbx": xml}))
    assert glossary.terms == ()
    (problem,) = glossary.problems
    assert str(problem).startswith("glossary/hostile.tbx:1: error: refused unsafe XML")
    assert "root:" not in str(problem) and "lollol" not in str(problem)


MALFORMED = {
    "mismatched tag": ("<martif>\n<text>\n<body>\n<termEntry>\n</body>\n", 5),
    "undefined entity": ("<martif>\n<text>\n\n" + ENTRY.format("&a;") + "\n</text></martif>", 4),
    "empty file": ("", 1),
    "two roots": ("<martif/>\n<martif/>\n", 2),
    "unknown encoding": ('<?xml version="1.0" encoding="klingon"?>\n<martif/>', 1),
    "not UTF-8": (b"<martif>\n<text>caf\xe9</text></martif>", 2),
}


@pytest.mark.parametrize(("xml", "line"), MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_xml_names_file_and_line(tmp_path: Path, xml: str | bytes, line: int) -> None:
    glossary = read(write_glossary(tmp_path, {"broken.tbx": xml}))
    assert glossary.terms == ()
    (problem,) = glossary.problems
    assert str(problem).startswith(f"glossary/broken.tbx:{line}: error: not ")


@SETTINGS
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.tuples(
            st.sampled_from([TBX2, TBX3, *HOSTILE.values()]),
            st.integers(0, 2000),
            st.integers(0, 20),
            st.text(alphabet='<>&;"=/!?[]% \nxa\x00', max_size=8),
        ).map(lambda t: (t[0][: t[1]] + t[3] + t[0][t[1] + t[2] :]).encode("utf-8")),
    )
)
def test_any_bytes_in_a_tbx_file_give_terms_or_problems_never_a_crash(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        glossary = read(write_glossary(Path(folder), {"fuzz.tbx": data}))
    for problem in glossary.problems:
        assert re.match(r"glossary/fuzz\.tbx:\d+: (error|warning): ", str(problem)), problem
    assert "root:" not in repr(glossary.terms)


# Finding terms in text


@pytest.fixture
def seed_terms() -> Glossary:
    # "Storm" comes first: the longer "Storm Shadow" must win all the same
    return glossary_of(keep("Storm"), keep("ATACMS"), keep("Storm Shadow"), keep("Kyiv"))


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Tekort aan ATACMS", ["ATACMS"]),
        ("nieuwe ATACMS-raketten aan Oekraïne", ["ATACMS"]),
        ("minstens 14 Storm Shadow-raketten en 31 ATACMS-raketten", ["Storm Shadow", "ATACMS"]),
        ("de Storm Shadow, niet de Storm", ["Storm Shadow", "Storm"]),
        ("Storm\nShadow over multiple lines", ["Storm\nShadow"]),
        ("(ATACMS) en 'Kyiv'.", ["ATACMS", "Kyiv"]),
        ("anti-ATACMS", ["ATACMS"]),
        ("XATACMS en ATACMSX", []),
        ("ATACMS2 en 2ATACMS en ATACMS_", []),
        ("Kyivs regering en Kyivse", ["Kyiv", "Kyiv"]),  # Dutch endings count as the term
        ("Stormschade", []),
        ("atacms en kyiv", []),  # case-sensitive by default
    ],
)
def test_terms_are_found_at_word_boundaries_longest_first(
    seed_terms: Glossary, text: str, found: list[str]
) -> None:
    assert [text[m.start : m.end] for m in seed_terms.find(text)] == found


def test_case_sensitivity_is_per_term() -> None:
    glossary = glossary_of(
        keep("ATACMS"), translate("Oekraïne", en="Ukraine", case_sensitive=False)
    )
    text = "OEKRAÏNE, oekraïne en Oekraïne-beleid; atacms is niet ATACMS"
    assert [text[m.start : m.end] for m in glossary.find(text)] == [
        "OEKRAÏNE",
        "oekraïne",
        "Oekraïne",
        "ATACMS",
    ]
    assert [term.term for term in glossary.terms_in(text)] == ["Oekraïne", "ATACMS"]


FIND_TERMS = glossary_of(
    keep("Storm"),
    keep("ATACMS"),
    keep("Storm Shadow"),
    translate("Kyiv", case_sensitive=False, en="Kyiv"),
    keep("AT&T"),
)

# Terms, their pieces, word characters and separators, to be glued together at random.
FIND_PIECES = [
    *("ATACMS", "Storm", "Shadow", "kyiv", "KYIV", "AT", "&", "T", "-raketten", "x", "é", "1"),
    *("_", ".", "(", ")", "-", " ", "  ", "\n"),
]


@SETTINGS
@given(
    st.lists(
        st.sampled_from(FIND_PIECES),
        max_size=25,
    ).map("".join)
)
def test_find_agrees_with_a_search_term_by_term(text: str) -> None:
    matches = FIND_TERMS.find(text)
    for before, after in itertools.pairwise(matches):
        assert before.end <= after.start
    occurrences = []
    for term in FIND_TERMS.terms:
        words = r"\s+".join(re.escape(word) for word in term.term.split())
        flags = 0 if term.case_sensitive else re.IGNORECASE
        pattern = re.compile(rf"(?<!\w){words}(?!\w)", flags)
        occurrences += [(m.start(), m.end(), term) for m in pattern.finditer(text)]
    for match in matches:
        # a real occurrence, at word boundaries, of the longest term that fits there
        assert (match.start, match.end, match.term) in occurrences
        assert all(end <= match.end for start, end, _ in occurrences if start == match.start)
    # and every occurrence is covered by some match
    for start, end, _ in occurrences:
        assert any(m.start < end and start < m.end for m in matches), (start, end)


# locpipe glossary check


@pytest.fixture
def check_project(tmp_path: Path) -> Path:
    """A project with languages en and de, and no glossary yet."""
    return write_project(tmp_path / "project", ("en", "de"))


def check(root: Path, files: dict[str, str | bytes]) -> Result:
    write_glossary(root, files)
    return invoke("glossary", "check", "--project", str(root))


HEADER = "term,rule,en,de,note\n"

CHECKS = {
    "duplicate in one file": (
        {"terms.csv": HEADER + "Kyiv,keep,,,\nKyiv,keep,,,\n"},
        ("glossary/terms.csv:3", "warning", "duplicate of glossary/terms.csv:2"),
    ),
    "conflicting rule": (
        {"terms.csv": HEADER + "Koersk,keep,,,\nKoersk,translate,Kursk,Kursk,\n"},
        ("glossary/terms.csv:3", "error", "Koersk: conflicts with glossary/terms.csv:2"),
    ),
    "conflicting translations across files": (
        {
            "a.csv": HEADER + "Poetin,translate,Putin,Putin,\n",
            "b.csv": HEADER + "Kyiv,keep,,,\nPoetin,translate,Poutine,Putin,\n",
        },
        ("glossary/b.csv:3", "error", "Poetin: conflicts with glossary/a.csv:2"),
    ),
    "conflict between a CSV and a TBX file": (
        {"a.tbx": TBX2, "b.csv": HEADER + "Poetin,keep,,,\n"},
        ("glossary/b.csv:2", "error", "Poetin: conflicts with glossary/a.tbx:12"),
    ),
    "a case-insensitive term covers the same word": (
        {"terms.csv": "term,rule,en,de,case\nKyiv,keep,,,\nkyiv,translate,Kiev,Kiew,insensitive\n"},
        ("glossary/terms.csv:3", "error", "kyiv: conflicts with glossary/terms.csv:2"),
    ),
    "unknown column": (
        {"terms.csv": "term,rule,en,nte\nKyiv,keep,,\n"},
        ("glossary/terms.csv:1", "error", "unknown column 'nte'"),
    ),
    "empty term": (
        {"terms.csv": HEADER + "Kyiv,keep,,,\n  ,keep,,,\n"},
        ("glossary/terms.csv:3", "error", "empty term"),
    ),
    "bad rule value": (
        {"terms.csv": HEADER + "Kyiv,keep,,,\nPoetin,vertaal,Putin,Putin,\n"},
        ("glossary/terms.csv:3", "error", "Poetin: rule must be 'keep' or 'translate'"),
    ),
    "empty rule": (
        {"terms.csv": HEADER + "Poetin,,Putin,Putin,\n"},
        ("glossary/terms.csv:2", "error", "Poetin: rule must be 'keep' or 'translate'"),
    ),
    "bad case value": (
        {"terms.csv": "term,rule,case\nKyiv,keep,soms\n"},
        ("glossary/terms.csv:2", "error", "Kyiv: case must be 'sensitive' or 'insensitive'"),
    ),
    "keep with a translation": (
        {"terms.csv": HEADER + "Kyiv,keep,Kiev,,\n"},
        ("glossary/terms.csv:2", "error", "Kyiv: rule 'keep' conflicts with a translation"),
    ),
    "translate without a translation for a language": (
        {"terms.csv": HEADER + "Poetin,translate,Putin,,\n"},
        ("glossary/terms.csv:2", "warning", "Poetin: no agreed translation for de"),
    ),
    "more cells than the header": (
        {"terms.csv": HEADER + "Kyiv,keep,,,,extra\n"},
        ("glossary/terms.csv:2", "error", "6 cells, but the header has 5"),
    ),
    "a missing rule column": (
        {"terms.csv": "term,en,de\nKyiv,,\n"},
        ("glossary/terms.csv:1", "error", "missing column 'rule'"),
    ),
    "a column twice": (
        {"terms.csv": "term,rule,en,en\nKyiv,keep,,\n"},
        ("glossary/terms.csv:1", "error", "column 'en' appears twice"),
    ),
    "a multi-line note, then a bad row": (
        {"terms.csv": HEADER + 'Kyiv,keep,,,"nooit\nKiev"\nKoersk,bogus,,,\n'},
        ("glossary/terms.csv:4", "error", "Koersk: rule must be"),
    ),
    "a bad row with a multi-line note": (
        {"terms.csv": HEADER + 'Kyiv,bogus,,,"nooit\nKiev"\n'},
        ("glossary/terms.csv:2", "error", "Kyiv: rule must be"),
    ),
    "invalid UTF-8": (
        {"terms.csv": HEADER.encode() + b"Kyiv,keep,,,\nKo\xebrsk,keep,,,\n"},
        ("glossary/terms.csv:3", "error", "invalid UTF-8"),
    ),
    "an empty file": ({"terms.csv": ""}, ("glossary/terms.csv:1", "warning", "empty file")),
    "malformed TBX": (
        {"terms.tbx": "<martif>\n<text>\n</martif>\n"},
        ("glossary/terms.tbx:3", "error", "not well-formed XML"),
    ),
    "hostile TBX": (
        {"terms.tbx": HOSTILE["external entity"]},
        ("glossary/terms.tbx:1", "error", "refused unsafe XML"),
    ),
}


@pytest.mark.parametrize(("files", "expected"), CHECKS.values(), ids=CHECKS.keys())
def test_glossary_check_names_each_problem_by_file_and_line(
    check_project: Path, files: dict[str, str | bytes], expected: tuple[str, str, str]
) -> None:
    where, severity, message = expected
    result = check(check_project, files)
    lines = result.stderr.splitlines()
    assert any(line.startswith(f"{where}: {severity}: ") and message in line for line in lines), (
        lines
    )
    # every line on stderr is one problem, located
    assert all(re.match(r"glossary/\S+:\d+: (error|warning): ", line) for line in lines), lines
    assert result.exit_code == (1 if " error: " in result.stderr else 0)
    assert result.exit_code == (1 if severity == "error" else 0)


def test_glossary_check_on_a_clean_glossary_exits_0(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", ("en", "de", "af"))
    shutil.copytree(REPO_GLOSSARY, root / "glossary")
    tbx = TBX3.replace("Storm Shadow", "HIMARS").replace("Koersk", "Charkiv")
    write_glossary(root, {"termbase.tbx": tbx.replace("Kursk", "Kharkiv")})
    result = invoke("glossary", "check", "--project", str(root))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout == "glossary: 7 terms, 0 errors, 0 warnings\n"


def test_glossary_check_counts_errors_and_warnings(check_project: Path) -> None:
    result = check(
        check_project,
        {"terms.csv": HEADER + "Kyiv,keep,,,\nKyiv,keep,,,\nPoetin,translate,Putin,,\nX,y,,,\n"},
    )
    assert result.exit_code == 1
    assert result.stdout == "glossary: 2 terms, 1 errors, 2 warnings\n"
    assert len(result.stderr.splitlines()) == 3


def test_glossary_check_without_a_glossary_folder_is_clean(check_project: Path) -> None:
    result = invoke("glossary", "check", "--project", str(check_project))
    assert (result.exit_code, result.stdout) == (0, "glossary: 0 terms, 0 errors, 0 warnings\n")


def test_language_columns_in_another_order_are_no_conflict(check_project: Path) -> None:
    result = check(
        check_project,
        {
            "a.csv": "term,rule,en,de\nPoetin,translate,Putin,Putin\n",
            "b.csv": "term,rule,de,en\nPoetin,translate,Putin,Putin\n",
        },
    )
    assert result.exit_code == 0
    assert result.stderr == "glossary/b.csv:2: warning: Poetin: duplicate of glossary/a.csv:2\n"


# Extracted comments in the PO files


def test_every_entry_with_glossary_terms_lists_them_for_the_translator(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", ("en", "de", "af"))
    shutil.copy(SEED, root / "articles" / "nl" / "atacms.txt")
    shutil.copytree(REPO_GLOSSARY, root / "glossary")
    result = invoke("extract", "--project", str(root))
    assert result.exit_code == 0, result.output

    expected = {
        "ATACMS": "glossary: ATACMS: keep as is; Army Tactical Missile System; never spelled out",
        "Storm Shadow": "glossary: Storm Shadow: keep as is",
        "Kyiv": "glossary: Kyiv: keep as is; never Kiev or Kiew",
        "Poetin": "glossary: Poetin: translate (en: Putin, de: Putin, af: Poetin)",
        "Koersk": "glossary: Koersk: translate (en: Kursk, de: Kursk, af: Koersk)",
    }
    for path in [root / "locales/templates/atacms.pot", *root.glob("locales/*/atacms.po")]:
        assert_msgfmt_clean(path)
        annotated = 0
        for entry in polib.pofile(str(path)):
            # polib wraps long comments; the translator reads them as one text
            comment = " ".join(entry.comment.split())
            for term, note in expected.items():
                present = re.search(rf"(?<!\w){term}(?!\w)", entry.msgid) is not None
                assert (note in comment) == present, (term, entry.msgid, comment)
                assert comment.count(f"glossary: {term}:") <= 1
            annotated += "glossary:" in comment
        assert annotated >= 10

    po = polib.pofile(str(root / "locales/en/atacms.po"))
    title = po[0]
    assert title.msgid.startswith("VS levert nieuwe ATACMS-raketten")
    assert title.comment.splitlines()[0] == "title"


def test_describe_term_gives_rule_agreed_translation_and_note() -> None:
    term = GlossaryTerm("Koersk", TRANSLATE, (("en", "Kursk"), ("de", "")), note="de stad")
    assert describe_term(term) == "glossary: Koersk: translate (en: Kursk); de stad"
    assert describe_term(keep("Kyiv")) == "glossary: Kyiv: keep as is"


# Protection through machine translation

NUMBERS = "numbers differ from the source"
SENTENCE = (
    "Hoewel Kyiv geen cijfers heeft verstrekt, beweert het Kremlin dat Oekraïne sinds "
    "november minstens 14 Storm Shadow-raketten en 31 ATACMS-raketten heeft ingezet."
)


def test_token_protection_replaces_terms_and_splits_compounds(repo_glossary: Glossary) -> None:
    sent = protect(SENTENCE, repo_glossary, "en", TOKENS)
    assert sent.text == (
        "Hoewel {0} geen cijfers heeft verstrekt, beweert het Kremlin dat Oekraïne sinds "
        "november minstens 14 {1} raketten en 31 {2} raketten heeft ingezet."
    )
    assert sent.targets == ("Kyiv", "Storm Shadow", "ATACMS")
    engine_output = (
        "Although {0} has not given figures, the Kremlin claims that Ukraine has used at "
        "least 14 {1} missiles and 31 {2} missiles since November."
    )
    restored, problems = restore(engine_output, sent, TOKENS)
    assert problems == []
    assert restored == (
        "Although Kyiv has not given figures, the Kremlin claims that Ukraine has used at "
        "least 14 Storm Shadow missiles and 31 ATACMS missiles since November."
    )
    assert verify_translation(SENTENCE, restored, repo_glossary, "en", TOKENS) == []


def test_markup_protection_wraps_the_target_and_escapes_the_rest(repo_glossary: Glossary) -> None:
    source = "Poetin & Koersk: <ATACMS-raketten> & meer"
    sent = protect(source, repo_glossary, "en", MARKUP)
    assert sent.text == "<x>Putin</x> &amp; <x>Kursk</x>: &lt;<x>ATACMS</x> raketten&gt; &amp; meer"
    restored, problems = restore(
        "<x>Putin</x> &amp; <x>Kursk</x>: &lt;<x>ATACMS</x> missiles&gt; &amp; more", sent, MARKUP
    )
    assert (restored, problems) == ("Putin & Kursk: <ATACMS missiles> & more", [])


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Putin reacted; Kursk was calm"),
        ("de", "Putin reacted; Kursk was calm"),
        ("af", "Poetin reacted; Koersk was calm"),
    ],
)
def test_restore_puts_back_the_agreed_form_for_the_language(
    repo_glossary: Glossary, language: str, expected: str
) -> None:
    for protection in (TOKENS, MARKUP):
        sent = protect("Poetin reageerde; Koersk was kalm", repo_glossary, language, protection)
        output = sent.text.replace("reageerde", "reacted").replace("was kalm", "was calm")
        assert restore(output, sent, protection) == (expected, [])


def test_a_term_without_an_agreed_form_is_left_to_the_engine() -> None:
    glossary = glossary_of(translate("Moskou", de="Moskau"))
    assert protect("in Moskou", glossary, "en", TOKENS).text == "in Moskou"
    assert protect("in Moskou", glossary, "de", TOKENS).text == "in {0}"
    assert verify_translation("in Moskou", "in Moscow", glossary, "en", TOKENS) == []


def test_placeholder_like_text_in_the_source_survives(repo_glossary: Glossary) -> None:
    source = "Vervang {0} door ATACMS en {1} door Kyiv"
    sent = protect(source, repo_glossary, "en", TOKENS)
    assert sent.text == "Vervang {0} door {2} en {1} door {3}"
    output = "Replace {0} with {2} and {1} with {3}"
    restored, problems = restore(output, sent, TOKENS)
    assert (restored, problems) == ("Replace {0} with ATACMS and {1} with Kyiv", [])
    assert verify_translation(source, restored, repo_glossary, "en", TOKENS) == []


@pytest.mark.parametrize(
    ("output", "problem"),
    [
        ("{0} en {1}", "the protected term 'Storm Shadow' was lost"),
        ("{0} {0} en {1} {2}", "the protected term 'Kyiv' came back more than once or altered"),
        ("{0} {1} {2} {3}", "the engine invented placeholder {3}"),
        ("{ 0 } {1} {2}", None),  # engines may pad a token with spaces
    ],
)
def test_restore_reports_lost_duplicated_and_invented_tokens(
    repo_glossary: Glossary, output: str, problem: str | None
) -> None:
    sent = protect("Kyiv, ATACMS en Storm Shadow", repo_glossary, "en", TOKENS)
    assert sent.targets == ("Kyiv", "ATACMS", "Storm Shadow")
    _, problems = restore(output, sent, TOKENS)
    assert problems == ([problem] if problem else [])


def test_restore_reports_an_altered_or_lost_markup_term(repo_glossary: Glossary) -> None:
    sent = protect("Kyiv en Poetin", repo_glossary, "en", MARKUP)
    restored, problems = restore("<x>Kiev</x> and Putin", sent, MARKUP)
    assert restored == "Kiev and Putin"
    assert problems == [
        "the protected term 'Kyiv' was lost",
        "the protected term 'Putin' was lost",
        "the protected term 'Kiev' came back more than once or altered",
    ]


@pytest.mark.parametrize(
    ("source", "translation", "problems"),
    [
        (
            "Tekort aan ATACMS",
            "Shortage of Army Tactical Missiles",
            ["keep term 'ATACMS' is missing"],
        ),
        ("Poetin reageerde", "Poetin reacted", ["agreed translation 'Putin' is missing"]),
        ("minstens 14 raketten", "at least 41 missiles", [NUMBERS]),
        ("minstens 14 raketten", "at least fourteen missiles", [NUMBERS]),
        ("1.000 raketten", "1,000 missiles", []),
        ("3,5 miljoen", "3.5 million", []),
        ("10 000 soldaten", "10,000 soldiers", []),
        ("In 2024 200 raketten", "In 2024, 200 missiles", []),
        ("Tekort aan ATACMS", "Shortage of ATACMS {0}", [NUMBERS, "placeholder residue '{0}'"]),
        (
            "Tekort aan ATACMS",
            "Shortage of apertium-notrans ATACMS",
            ["placeholder residue 'apertium-notrans'"],
        ),
        ("Tekort aan ATACMS", "Shortage of ATACMS</x>", ["placeholder residue '</x>'"]),
        ("Zie {0}", "See {0}", []),  # it stood in the source
        ("Zie {0}", "See {0} and {1}", [NUMBERS, "placeholder residue '{1}'"]),
        ("Zie {0}", "See {0} and {0}", [NUMBERS, "placeholder residue '{0}'"]),
    ],
)
def test_verify_reports_missing_terms_changed_numbers_and_residue(
    repo_glossary: Glossary, source: str, translation: str, problems: list[str]
) -> None:
    assert verify_translation(source, translation, repo_glossary, "en", TOKENS) == problems


def test_verify_with_markup_accepts_markup_that_stood_in_the_source(
    repo_glossary: Glossary,
) -> None:
    source = "Gebruik <x> voor Poetin </x>"
    assert verify_translation(source, "Use <x> for Putin </x>", repo_glossary, "en", MARKUP) == []
    assert verify_translation("Poetin", "<x>Putin</x>", repo_glossary, "en", MARKUP) == [
        "placeholder residue '<x>'",
        "placeholder residue '</x>'",
    ]


# The round-trip property: an engine that changes nothing gives back the agreed forms

ROUND_TRIP = glossary_of(
    translate("Storm", en="Tempest", de="Sturm"),  # shorter, so "Storm Shadow" must win
    keep("ATACMS"),
    keep("Storm Shadow"),
    keep("Kyiv"),
    keep("AT&T"),
    translate("Poetin", en="Putin", de="Putin"),
    translate("Koersk", en="Kursk", de="Kursk"),
    translate("Oekraïne", case_sensitive=False, en="Ukraine", de="Ukraine"),
    translate("Moskou", de="Moskau"),  # no agreed English form
)
TERM_WORDS = {
    word.casefold() for term in ROUND_TRIP.terms for word in re.findall(r"\w+", term.term)
}
SEPARATORS = [" ", "  ", ", ", ". ", "; ", "\n", " (", ") ", " - ", ' "', '" ']


def cased(term: GlossaryTerm) -> st.SearchStrategy[str]:
    if term.case_sensitive:
        return st.just(term.term)
    return st.sampled_from([term.term, term.term.upper(), term.term.lower()])


@st.composite
def term_token(draw: st.DrawFn, language: str) -> tuple[str, str]:
    """A glossary term as it may stand in a text, and what must come back for it."""
    term = draw(st.sampled_from(ROUND_TRIP.terms))
    written = draw(cased(term))
    target = term.target(language)
    agreed = written if target is None else target
    suffix = draw(st.text(alphabet="abcdefghijklmnoprstuvwz", min_size=1, max_size=8))
    if draw(st.booleans()) and suffix not in TERM_WORDS:
        # a Dutch compound: sent as two words, and joined again when the engine leaves
        # the rest as it was (an identity engine always does)
        return f"{written}-{suffix}", f"{agreed if target else written}-{suffix}"
    return written, agreed


word = st.one_of(
    st.text(alphabet="abcdefXYZéëï<>&;'{}0123456789.,/", min_size=1, max_size=10),
    st.sampled_from(["1.000", "14", "3,5", "<x>", "</x>", "&amp;", "{0}", "{ 1 }", "&lt"]),
).filter(lambda w: not any(part.casefold() in TERM_WORDS for part in re.findall(r"\w+", w)))


@st.composite
def text_with_terms(draw: st.DrawFn, language: str) -> tuple[str, str]:
    """A text of glossary terms and other words, and its expected round trip."""
    tokens = draw(
        st.lists(st.one_of(term_token(language), word.map(lambda w: (w, w))), max_size=12)
    )
    source, expected = [], []
    for index, (written, agreed) in enumerate(tokens):
        separator = draw(st.sampled_from(SEPARATORS)) if index else ""
        source += [separator, written]
        expected += [separator, agreed]
    return "".join(source), "".join(expected)


@pytest.mark.parametrize("protection", [TOKENS, MARKUP], ids=["token", "markup"])
@pytest.mark.parametrize("language", ["en", "de"])
@SETTINGS
@given(data=st.data())
def test_an_identity_engine_gives_back_the_text_with_the_agreed_forms(
    protection: Protection, language: str, data: st.DataObject
) -> None:
    source, expected = data.draw(text_with_terms(language))
    sent = protect(source, ROUND_TRIP, language, protection)

    # the engine sees no term it could translate ...
    bare = protection.pattern.sub(" ", sent.text)
    assert all(m.term.target(language) is None for m in ROUND_TRIP.find(bare))
    if protection.markup:
        # ... and markup engines see the rest escaped: no stray '<', every '&' an entity
        assert "<" not in bare
        assert re.fullmatch(r"([^&]|&(amp|lt|gt);)*", bare, re.S)

    restored, problems = restore(sent.text, sent, protection)
    assert problems == []
    assert restored == expected
    assert verify_translation(source, restored, ROUND_TRIP, language, protection) == []


@SETTINGS
@given(data=st.data())
def test_protecting_a_text_without_terms_changes_nothing_but_escaping(data: st.DataObject) -> None:
    text = data.draw(st.lists(word, max_size=8).map(" ".join))
    assume(not ROUND_TRIP.find(text))
    assert protect(text, ROUND_TRIP, "en", TOKENS).text == text
    sent = protect(text, ROUND_TRIP, "en", MARKUP)
    assert MARKUP.unescape(sent.text) == text
    assert restore(sent.text, sent, MARKUP) == (text, [])


# load_glossary and pretranslate refuse a glossary with errors


def test_load_glossary_raises_with_file_and_line(tmp_path: Path) -> None:
    folder = write_glossary(
        tmp_path, {"terms.csv": HEADER + "Kyiv,keep,,,\nPoetin,vertaal,Putin,Putin,\n,keep,,,\n"}
    )
    with pytest.raises(GlossaryError) as raised:
        load_glossary(folder, languages=("en", "de"), display="glossary")
    error = raised.value
    assert (error.path, error.line) == ("glossary/terms.csv", 3)
    assert str(error) == (
        "glossary/terms.csv:3: Poetin: rule must be 'keep' or 'translate', not 'vertaal' "
        "(and 1 more; run 'locpipe glossary check')"
    )


def test_load_glossary_accepts_warnings(tmp_path: Path) -> None:
    folder = write_glossary(tmp_path, {"terms.csv": HEADER + "Kyiv,keep,,,\nKyiv,keep,,,\n"})
    glossary = load_glossary(folder, languages=("en", "de"), display="glossary")
    assert [term.term for term in glossary.terms] == ["Kyiv"]
    assert [p.severity for p in glossary.problems] == ["warning"]


def test_pretranslate_with_a_broken_glossary_exits_2_with_one_line(project: Path, snapshot) -> None:
    write_glossary(project, {"terms.csv": HEADER + "Kyiv,keep,,,\nPoetin,vertaal,Putin,Putin,\n"})
    before = snapshot(project)
    result = invoke("pretranslate", "--project", str(project))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "locpipe: error: glossary/terms.csv:3: Poetin: rule must be 'keep' or 'translate', "
        "not 'vertaal'\n"
    )
    assert snapshot(project) == before


# Text an engine may give back: prose, with now and then a piece of its markup.
_PROSE_AND_MARKUP = st.lists(
    st.sampled_from(
        ["de ", "raket ", "an ", "n", "a", "{", "}", " { 0 } ", "{12}", "<", ">", "/", "x",
         "<x>", "</x>", "<code>", "apertium-notrans", "notranslate", "notrans", "é"]
    ),
    max_size=12,
).map("".join)  # fmt: skip


@given(source=_PROSE_AND_MARKUP, translation=_PROSE_AND_MARKUP)
def test_leftover_placeholders_finds_what_the_residue_pattern_alone_finds(
    source: str, translation: str
) -> None:
    """The quick look for markup before the pattern runs changes no answer."""
    found = dict.fromkeys(m.group() for m in _RESIDUE.finditer(translation))
    expected = [r for r in found if translation.count(r) > source.count(r)]
    assert leftover_placeholders(source, translation) == expected
