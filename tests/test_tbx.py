"""Termbases as tools really write them: Weblate's (Translate Toolkit's) TBX exports and the
official TBX-Basic v3 sample load, with a DOCTYPE, in a project whose source is not Dutch,
and term status becomes agreed translations and forbidden variants.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from locpipe import api
from locpipe.cli import main
from locpipe.engines import Protection
from locpipe.glossary import Glossary, read_glossary, verify_translation
from locpipe.model import GlossaryTerm, TermRule

from .conftest import SEED, write_project

DATA = Path(__file__).parent / "data" / "tbx"
TOKENS = Protection(token="{{{n}}}")


def load(name: str, tmp_path: Path, *, source: str, languages: tuple[str, ...]) -> Glossary:
    folder = tmp_path / "glossary"
    folder.mkdir(exist_ok=True)
    shutil.copy(DATA / name, folder / name)
    return read_glossary(folder, languages=languages, display="glossary", source_language=source)


def by_term(glossary: Glossary) -> dict[str, GlossaryTerm]:
    return {term.term: term for term in glossary.terms}


def test_weblates_tbx_export_with_its_doctype_loads(tmp_path: Path) -> None:
    glossary = load("weblate-cs.tbx", tmp_path, source="en", languages=("cs",))
    assert glossary.problems == ()
    assert [(t.term, t.rule, t.translations) for t in glossary.terms] == [
        ("address bar", TermRule.TRANSLATE, (("cs", "adresní řádek"),)),
        ("administrator", TermRule.TRANSLATE, (("cs", "správce"),)),
        ("administrate", TermRule.TRANSLATE, (("cs", "spravovat"),)),
        ("always on top", TermRule.TRANSLATE, (("cs", "vždy navrchu"),)),
    ]
    assert glossary.terms[0].line == 13


def test_weblates_obsolete_terms_are_forbidden_and_agree_no_translation(tmp_path: Path) -> None:
    glossary = load("weblate-fr-extended-metadata.tbx", tmp_path, source="en", languages=("fr",))
    assert glossary.problems == ()
    terms = by_term(glossary)
    bus = terms["data bus"]
    # Every French term is obsolete: none is agreed, and the old one may not be used.
    assert (bus.rule, bus.translations) == (TermRule.TRANSLATE, ())
    assert bus.forbidden == ("bus de données",)
    assert bus.note.startswith("Superseded but still found in older manuals.")
    code = terms["SYS_ERR_406"]
    assert (code.rule, code.forbidden) == (TermRule.KEEP, ())
    problems = verify_translation(
        "Check the data bus.", "Vérifiez le bus de données.", glossary, "fr", TOKENS
    )
    assert problems == ["forbidden variant 'bus de données' of 'data bus'"]


def test_the_tbx_basic_v3_sample_loads_in_a_project_whose_source_is_english(tmp_path: Path) -> None:
    glossary = load("tbx-basic-astronomy-excerpt.tbx", tmp_path, source="en", languages=("es",))
    assert glossary.problems == ()
    cluster, disk = glossary.terms
    # preferredTerm-admn-sts is the source term; the superseded one still names it.
    assert (cluster.term, cluster.forms, cluster.translations) == (
        "open cluster",
        ("galactic cluster",),
        (("es", "cúmulo abierto"),),
    )
    assert cluster.line == 15
    assert cluster.note.startswith("General; G-Source: http://www.physics.drexel.edu/")
    assert "Una acumulación" in cluster.note and "Over 1100" not in cluster.note
    # Admitted source terms are forms of the preferred one; the preferred Spanish term
    # is the agreed translation, not the first one listed.
    assert disk.term == "circumstellar accretion disk"
    assert disk.forms == ("accretion disc", "circumstellar disk")
    assert disk.translations == (("es", "disco de acreción"),)
    assert [m.term.term for m in glossary.find("an accretion disc and an open cluster")] == [
        "circumstellar accretion disk",
        "open cluster",
    ]


def test_the_tbx_basic_sample_in_a_dutch_project_warns_once_per_language(tmp_path: Path) -> None:
    glossary = load("tbx-basic-astronomy-excerpt.tbx", tmp_path, source="nl", languages=("de",))
    assert glossary.terms == ()
    assert [str(p) for p in glossary.problems] == [
        "glossary/tbx-basic-astronomy-excerpt.tbx:15: warning: c1: no term in the source "
        "language (nl)",
        "glossary/tbx-basic-astronomy-excerpt.tbx:126: warning: c2: no term in the source "
        "language (nl)",
        "glossary/tbx-basic-astronomy-excerpt.tbx:30: warning: language 'en' is not one of "
        "the project's; its terms are ignored",
        "glossary/tbx-basic-astronomy-excerpt.tbx:90: warning: language 'es' is not one of "
        "the project's; its terms are ignored",
    ]


KIEV = """\
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif PUBLIC "ISO 12200:1999A//DTD MARTIF core (DXFcdV04)//EN" "TBXcdv04.dtd">
<martif type="TBX" xml:lang="nl">
  <text><body>
    <termEntry id="kyiv">
      <langSet xml:lang="nl"><tig><term>Kyiv</term></tig>
        <tig><term>Kiev</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
      </langSet>
      <langSet xml:lang="en">
        <tig><term>Kiev</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
        <tig><term>Kyiv</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
      </langSet>
      <langSet xml:lang="de">
        <ntig><termGrp><term>Kiew</term></termGrp>
          <termNote type="normativeAuthorization">supersededTerm</termNote></ntig>
        <ntig><termGrp><term>Kyjiw</term></termGrp>
          <termNote type="normativeAuthorization">admittedTerm</termNote></ntig>
      </langSet>
    </termEntry>
  </body></text>
</martif>
"""


def test_a_deprecated_term_is_never_the_agreed_translation_but_a_forbidden_one(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "places.tbx").write_text(KIEV, encoding="utf-8")
    glossary = read_glossary(folder, languages=("en", "de"), display="glossary")
    assert glossary.problems == ()
    (kyiv,) = glossary.terms
    assert (kyiv.term, kyiv.rule, kyiv.translations) == (
        "Kyiv",
        TermRule.TRANSLATE,
        (("en", "Kyiv"), ("de", "Kyjiw")),
    )
    assert kyiv.forms == ("Kiev",)  # the source's deprecated spelling is still the concept
    assert kyiv.forbidden == ("Kiev", "Kiew")
    assert verify_translation("Kiev viel.", "Kiew fiel.", glossary, "de", TOKENS) == [
        "agreed translation 'Kyjiw' is missing",
        "forbidden variant 'Kiew' of 'Kyiv'",
    ]


def test_a_doctype_is_accepted_but_never_fetched(tmp_path: Path) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    connections: list[object] = []

    def accept() -> None:
        with contextlib.suppress(TimeoutError):
            connections.append(listener.accept())

    waiter = threading.Thread(target=accept)
    waiter.start()
    tbx = KIEV.replace('"TBXcdv04.dtd"', f'"http://127.0.0.1:{port}/tbx.dtd"')
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "remote.tbx").write_text(tbx, encoding="utf-8")
    glossary = read_glossary(folder, languages=("en",), display="glossary")
    waiter.join()
    listener.close()
    assert [t.term for t in glossary.terms] == ["Kyiv"]
    assert connections == []


def test_glossary_check_reads_the_projects_source_language(tmp_path: Path) -> None:
    root = write_project(tmp_path, ("es",))
    config = root / "locpipe.toml"
    text = config.read_text(encoding="utf-8").replace('"nl"', '"en"', 1)
    config.write_text(text, encoding="utf-8")
    (root / "articles" / "en").mkdir()
    (root / "glossary").mkdir()
    shutil.copy(DATA / "tbx-basic-astronomy-excerpt.tbx", root / "glossary")
    project = api.load_project(root)
    assert project.source_language == "en"
    glossary = api.read_glossary(project)
    assert [t.term for t in glossary.terms] == ["open cluster", "circumstellar accretion disk"]


@pytest.mark.parametrize("column", ["fr", "pt-BR"])
def test_a_csv_column_for_a_language_the_project_does_not_target_is_a_warning(
    tmp_path: Path, column: str
) -> None:
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "terms.csv").write_text(
        f"term,rule,en,{column}\nPoetin,translate,Putin,Poutine\n", encoding="utf-8"
    )
    glossary = read_glossary(folder, languages=("en",), display="glossary")
    assert [str(p) for p in glossary.problems] == [
        f"glossary/terms.csv:1: warning: language column {column!r} is not one of the "
        "project's (project languages: en); ignored"
    ]
    assert glossary.errors == ()
    (term,) = glossary.terms
    assert term.translations == (("en", "Putin"),)


def test_extract_goes_on_with_a_column_for_a_language_not_targeted_yet(tmp_path: Path) -> None:
    root = write_project(tmp_path, ("en",))
    shutil.copy(SEED, root / "articles" / "nl" / "atacms.txt")
    (root / "glossary").mkdir()
    (root / "glossary" / "terms.csv").write_text(
        "term,rule,en,af,note\nPoetin,translate,Putin,Poetin,\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["extract", "--project", str(root)])
    assert result.exit_code == 0, result.output
    assert "Putin" in (root / "locales" / "en" / "atacms.po").read_text(encoding="utf-8")
