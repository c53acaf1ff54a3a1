"""Provenance survives the tools translators use: every catalog of a pretranslated project
is rewritten by the real msgcat, msgmerge, msgattrib, msguniq, Translate Toolkit's PO
storage (what Weblate saves with) and polib, and locpipe reads it as it did before.

What must not move: what ``build`` publishes (with and without machine output, and with
fuzzy entries), the figures of ``stats`` and ``check``, which entries pretranslate would
fill, and the catalogs' entries after a following ``extract`` and ``pretranslate``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from translate.storage import pypo

from locpipe import api, catalog, provenance, tmx
from locpipe.build import BuildOptions
from locpipe.checks import check_catalog
from locpipe.engines.fake import FakeEngine
from locpipe.glossary import Glossary
from locpipe.model import EntryState
from locpipe.project import Project, load_project

from .conftest import GLOSSARY, REPO, SEED, assert_msgfmt_clean, write_project

LANGUAGES = ("en", "de", "af")
FAILING = "In november 2024"  # the engine changes its number: it fails verification
UNCHANGED = "Niet lang daarna"  # the engine gives it back as it is: the check warns
REVIEWED = "Angst voor escalatie"  # a person cleared fuzzy on the machine output
EDITED = "Geleverd door de VS"  # a person edited the machine output and left it fuzzy
SIMILAR = "Angst voor een escalatie"  # in another article: a fuzzy match of REVIEWED
BUILDS = {
    "default": BuildOptions(min_translated=0),
    "reviewed-only": BuildOptions(min_translated=0, include_machine=False),
    "include-fuzzy": BuildOptions(min_translated=0, include_fuzzy=True),
}


def machine(text: str) -> str:
    """The scripted engine: marks its output, fails one unit, leaves one as it is."""
    if text.startswith(UNCHANGED):
        return text
    return "(mt) " + text.replace("2024", "2025")


@dataclass(frozen=True)
class Observed:
    """Everything a user sees of a project's catalogs."""

    built: dict[str, dict[str, bytes]]  # build options -> output file -> bytes
    stats: list[tuple[str, str, dict[str, int | float]]]
    findings: Counter[tuple[str, str, str, str]]  # (catalog, check, severity, message)
    states: dict[str, dict[catalog.Key, EntryState]]
    pending: dict[str, list[catalog.Key]]
    memory: dict[str, tmx.TmxMemory]  # tm export --include-machine, by language


def catalogs(root: Path) -> list[Path]:
    return sorted((root / "locales").rglob("*.po"))


def template_of(project: Project, path: Path) -> Path:
    """The template of a catalog ``locales/<lang>/<article>.po``."""
    article = path.relative_to(project.locales_dir).with_suffix("")
    return project.template_path(article.relative_to(article.parts[0]).as_posix())


def observe(project: Project) -> Observed:
    root = project.root
    built = {}
    for name, options in BUILDS.items():
        for language in LANGUAGES:
            shutil.rmtree(root / "articles" / language, ignore_errors=True)
        result = api.build(project, options=options, jobs=1, incremental=False)
        assert not result.problems, [o.detail for o in result.problems]
        built[name] = {
            path.relative_to(root).as_posix(): path.read_bytes()
            for language in LANGUAGES
            for path in sorted((root / "articles" / language).rglob("*"))
            if path.is_file()
        }
    stats = [(r.language, r.article, r.stats.as_dict()) for r in api.stats(project).rows if r.stats]
    findings = Counter(
        (p.path, p.check, p.severity, p.message) for p in api.check(project).findings
    )
    states, pending = {}, {}
    for path in catalogs(root):
        po = catalog.read_catalog(path)
        shown = path.relative_to(root).as_posix()
        states[shown] = {entry.key: catalog.entry_state(entry) for entry in po}
        pending[shown] = [entry.key for entry in catalog.pending_entries(po)]
    memory = {code: tmx.export_memory(project, code, include_machine=True) for code in LANGUAGES}
    return Observed(built, stats, findings, states, pending, memory)


def edit(path: Path, change: Callable[[catalog.Entry], None], msgid_start: str) -> None:
    """What a translator does in an editor, done through locpipe's own reader and writer."""
    po = catalog.read_catalog(path)
    change(next(entry for entry in po if entry.msgid.startswith(msgid_start)))
    catalog.write_catalog(path, po)


@pytest.fixture(scope="module")
def pretranslated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Observed]:
    """A project with machine output, a failed unit, a reviewed, an edited and an ignored
    entry in every catalog of one article, a fuzzy memory match in another's, and what
    locpipe makes of it."""
    root = write_project(tmp_path_factory.mktemp("baseline") / "project", LANGUAGES)
    shutil.copy(SEED, root / "articles" / "nl" / "atacms.txt")
    (root / "glossary").mkdir()
    shutil.copy(GLOSSARY, root / "glossary" / "terms.csv")
    project = load_project(root)
    assert not api.extract(project, jobs=1).problems
    result = api.pretranslate(project, engine=FakeEngine(machine))
    assert not result.problems
    assert [summary.failed_verification for summary in result.languages] == [1, 1, 1]
    before = observe(project)
    for path in catalogs(root):

        def review(entry: catalog.Entry) -> None:
            entry.flags.remove("fuzzy")

        def rewrite(entry: catalog.Entry) -> None:
            entry.msgstr += " (checked)"
            entry.tcomment += "\nAnn: looked at this one"

        def silence(entry: catalog.Entry) -> None:
            entry.tcomment += "\n" + provenance.ignore_note(["untranslated"])

        edit(path, review, REVIEWED)
        edit(path, rewrite, EDITED)
        edit(path, silence, UNCHANGED)
    # The reviewed heading, a little changed, is filled from memory as fuzzy, with #|.
    (root / "articles" / "nl" / "vervolg.txt").write_text(
        f"{SIMILAR}\n\nDe oorlog gaat door.\n", encoding="utf-8"
    )
    assert not api.extract(project, jobs=1).problems
    assert not api.pretranslate(project, engine=FakeEngine(machine)).problems
    observed = observe(project)
    # Each mark shows: the planted states, the failed unit kept out, the silenced warning.
    for shown, states in observed.states.items():
        by_text = {key[1]: state for key, state in states.items()}
        if shown.endswith("vervolg.po"):
            assert by_text == {
                SIMILAR: EntryState.FUZZY,
                "De oorlog gaat door.": EntryState.MACHINE,
            }
            similar = catalog.read_catalog(root / shown).find((None, SIMILAR))
            assert similar is not None and similar.previous_msgid == REVIEWED
            continue
        assert by_text[REVIEWED] is EntryState.TRANSLATED
        assert by_text[EDITED] is EntryState.FUZZY
        assert next(s for t, s in by_text.items() if t.startswith(FAILING)) is EntryState.FUZZY
        assert Counter(by_text.values())[EntryState.MACHINE] > 20
        assert [key[1][:16] for key in observed.pending[shown]] == [FAILING]
    for memory in observed.memory.values():
        origins = Counter(dict(unit.props).get(tmx.ORIGIN_PROP) for unit in memory.units)
        assert origins[None] == 1 and origins["machine"] > 20  # the reviewed one, and MT
    assert before.findings - observed.findings == Counter(
        {key: 1 for key in before.findings if key[1] == "untranslated"}
    )
    assert not any(key[1] == "untranslated" for key in observed.findings)
    for name, files in observed.built.items():
        for file, text in files.items():
            if file.endswith("vervolg.txt"):
                assert (f"(mt) {REVIEWED}".encode() in text) is (name == "include-fuzzy")
                continue
            assert b"2025" not in text  # failed output is never published
            reviewed = text.count(f"(mt) {REVIEWED}".encode())
            assert reviewed == 2  # in the table of contents and as a heading
            assert (text.count(b"(mt) ") > reviewed) is (name != "reviewed-only")
            assert (b"(checked)" in text) is (name == "include-fuzzy")
    for path in catalogs(root):
        text = path.read_text(encoding="utf-8")
        assert "locpipe-" not in text  # only flags gettext knows
        assert_msgfmt_clean(path)
    return root, observed


def run_tool(command: list[str]) -> None:
    subprocess.run(command, check=True, timeout=60, capture_output=True)


def msgcat(path: Path, template: Path) -> None:
    run_tool(["msgcat", "-o", str(path), str(path)])


def msgmerge(path: Path, template: Path) -> None:
    # Without --previous, as scripts often run it: the #| previous msgids go.
    run_tool(["msgmerge", "--quiet", "-o", str(path), str(path), str(template)])


def msgmerge_previous(path: Path, template: Path) -> None:
    run_tool(["msgmerge", "--quiet", "--previous", "-o", str(path), str(path), str(template)])


def msgattrib(path: Path, template: Path) -> None:
    run_tool(["msgattrib", "--no-obsolete", "-o", str(path), str(path)])


def msguniq(path: Path, template: Path) -> None:
    run_tool(["msguniq", "-o", str(path), str(path)])


def translate_toolkit(path: Path, template: Path) -> None:
    """What Weblate does with a PO file: load it with Translate Toolkit and save it."""
    store = pypo.pofile.parsefile(str(path))
    store.savefile(str(path))


def polib_save(path: Path, template: Path) -> None:
    polib.pofile(str(path)).save()


TOOLS = [msgcat, msgmerge, msgmerge_previous, msgattrib, msguniq, translate_toolkit, polib_save]


def copy_project(source: Path, tmp_path: Path) -> Project:
    root = tmp_path / "project"
    shutil.copytree(source, root)
    return load_project(root)


def entries(project: Project) -> dict[Path, list[catalog.Entry]]:
    return {path: catalog.read_catalog(path).entries for path in catalogs(project.root)}


def rewrite_then_extract(
    source: Path, tmp_path: Path, tool: Callable[[Path, Path], None], observed: Observed
) -> tuple[Project, dict[Path, list[catalog.Entry]]]:
    """A copy of the project whose catalogs ``tool`` rewrote, checked to read as before,
    then extracted, checked to have the same entries; and those entries."""
    project = copy_project(source, tmp_path)
    for path in catalogs(project.root):
        tool(path, template_of(project, path))
    assert observe(project) == observed
    rewritten = entries(project)  # as read: an older catalog's flags read as notes
    assert not api.extract(project, jobs=1, incremental=False).problems
    assert entries(project) == rewritten  # extract then changes no entry
    return project, rewritten


@pytest.mark.parametrize("tool", TOOLS, ids=lambda tool: tool.__name__)
def test_a_tools_rewrite_changes_nothing_locpipe_does(
    pretranslated: tuple[Path, Observed], tmp_path: Path, tool: Callable[[Path, Path], None]
) -> None:
    source, observed = pretranslated
    project, rewritten = rewrite_then_extract(source, tmp_path, tool, observed)
    engine = FakeEngine({})  # a text sent would be a LookupError
    result = api.pretranslate(project, engine=engine)
    assert not result.problems and engine.sent == []
    assert entries(project) == rewritten
    assert observe(project) == observed


def test_a_review_is_seen_whichever_tool_made_it(
    pretranslated: tuple[Path, Observed], tmp_path: Path
) -> None:
    """Clearing fuzzy (msgattrib --clear-fuzzy), editing the text (Translate Toolkit, as
    Weblate saves an edit) and deleting the machine note (polib) each make an entry a
    person's, with nothing but gettext's own flags to go by."""
    source, _ = pretranslated
    project = copy_project(source, tmp_path)
    en, af = (project.catalog_path(language, "atacms") for language in ("en", "af"))
    run_tool(["msgattrib", "--clear-fuzzy", "-o", str(en), str(en)])
    store = pypo.pofile.parsefile(str(af))
    edited = next(unit for unit in store.units if unit.source.startswith("Tekort aan ATACMS"))
    edited.target = "Tekort aan ATACMS (nagegaan)"
    store.savefile(str(af))
    po = polib.pofile(str(af))
    unnoted = next(entry for entry in po if entry.msgid.startswith("Het Verenigd"))
    unnoted.tcomment = ""
    po.save()

    observed = observe(project)
    states = observed.states
    assert set(states["locales/en/atacms.po"].values()) == {EntryState.TRANSLATED}
    af_states = {key[1]: state for key, state in states["locales/af/atacms.po"].items()}
    assert af_states["Tekort aan ATACMS"] is EntryState.FUZZY
    assert af_states["Het Verenigd Koninkrijk volgde de Verenigde Staten"] is EntryState.FUZZY
    reviewed_only = observed.built["reviewed-only"]["articles/en/atacms.txt"]
    assert b"(mt) " in reviewed_only  # a person's review is published as reviewed

    # The next extract records the reviews, so an entry marked fuzzy again ("needs work")
    # is the reviewer's, not machine output to publish or replace.
    assert not api.extract(project, jobs=1).problems
    assert "# locpipe: reviewed machine translation by fake\n" in en.read_text(encoding="utf-8")
    run_tool(["msgattrib", "--set-fuzzy", "-o", str(en), str(en)])
    again = observe(project)
    assert set(again.states["locales/en/atacms.po"].values()) == {EntryState.FUZZY}
    assert again.pending["locales/en/atacms.po"] == []


# Catalogs of an older locpipe, whose flags gettext tools dropped


def to_legacy(path: Path) -> None:
    """The catalog as locpipe wrote it before its provenance moved to notes: flags, and an
    output hash without the source's."""
    po = polib.pofile(str(path))
    for entry in po:
        found = provenance.read_provenance(entry)
        if found.machine and entry.fuzzy:
            entry.flags.append("locpipe-mt-failed" if found.failed else "locpipe-mt")
        entry.flags.extend(f"locpipe-ignore-{name}" for name in sorted(found.ignored))
        lines = [line for line in entry.tcomment.splitlines() if "locpipe: ignore" not in line]
        entry.tcomment = re.sub(r", source [0-9a-f]+", "", "\n".join(lines))
    po.save()


def test_an_older_catalog_reads_as_before_and_its_flags_become_notes(
    pretranslated: tuple[Path, Observed], tmp_path: Path
) -> None:
    source, observed = pretranslated
    project = copy_project(source, tmp_path)
    for path in catalogs(project.root):
        to_legacy(path)
        assert "#, fuzzy, locpipe-mt\n" in path.read_text(encoding="utf-8")
    assert observe(project) == observed
    dates = {
        path: catalog.read_catalog(path).metadata["PO-Revision-Date"]
        for path in catalogs(project.root)
    }
    assert not api.extract(project, jobs=1, incremental=False).problems
    for path in catalogs(project.root):
        text = path.read_text(encoding="utf-8")
        assert "locpipe-" not in text
        assert ("# locpipe: ignore untranslated\n" in text) is (path.stem == "atacms")
        # Nothing changed for the user, so the translator's date stays.
        assert catalog.read_catalog(path).metadata["PO-Revision-Date"] == dates[path]
    assert observe(project) == observed
    engine = FakeEngine({})
    assert not api.pretranslate(project, engine=engine).problems and engine.sent == []


def old_machine_output(path: Path) -> list[str]:
    """The msgids of machine output by the rules of locpipe before its notes: the flag,
    fuzzy, no previous msgid, and a text that still matches the output hash if any."""
    found = []
    for entry in polib.pofile(str(path)):
        output = re.search(r"^locpipe: output ([0-9a-f]{12})$", entry.tcomment, re.MULTILINE)
        edited = output is not None and output[1] != provenance.fingerprint(entry.msgstr)
        if "locpipe-mt" in entry.flags and entry.fuzzy and not entry.previous_msgid:
            found += [] if edited or entry.obsolete or not entry.msgstr else [entry.msgid]
    return found


def machine_output(path: Path) -> list[str]:
    """The msgids of machine output as locpipe reads them now."""
    po = catalog.read_catalog(path)
    return [entry.msgid for entry in po if catalog.entry_state(entry) is EntryState.MACHINE]


@pytest.mark.parametrize(
    "text",
    [
        # Reviewed, then its source changed: fuzzy again, with the note but not the flag.
        '#, locpipe-mt\nmsgid "Een"\nmsgstr "One"\n\n'
        '# locpipe: machine translation by libre\n#, fuzzy\n#| msgid "Twee"\n'
        'msgid "Twee."\nmsgstr "Two"\n',
        # A person deleted the note, but the flag stayed.
        '#, fuzzy, locpipe-mt\nmsgid "Drie"\nmsgstr "Three"\n',
        # A failed one, and one whose text a person edited.
        "# locpipe: machine translation by libre failed verification: the protected\n"
        "# term 'ATACMS' was lost\n"
        '#, fuzzy, locpipe-mt-failed, locpipe-ignore-numbers\nmsgid "Vier"\nmsgstr "4"\n\n'
        "# locpipe: machine translation by libre\n# locpipe: output 000000000000\n"
        '#, fuzzy, locpipe-mt, no-wrap\nmsgid "Vijf"\nmsgstr "Five"\n',
    ],
    ids=["reviewed-then-changed", "note-deleted", "failed-and-edited"],
)
def test_older_flags_decide_as_they_did(text: str, tmp_path: Path) -> None:
    path = tmp_path / "en.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + text)
    old = old_machine_output(path)
    po = catalog.read_catalog(path)
    assert machine_output(path) == old
    old_pending = [e.msgid for e in polib.pofile(str(path)) if "locpipe-mt-failed" in e.flags]
    old_pending += [
        e.msgid
        for e in polib.pofile(str(path))
        if "locpipe-mt" in e.flags and e.fuzzy and e.previous_msgid is not None
    ]
    assert sorted(e.msgid for e in catalog.pending_entries(po)) == sorted(old_pending)
    catalog.write_catalog(path, po)
    written = path.read_text(encoding="utf-8")
    assert "locpipe-" not in written
    msgcat = subprocess.run(["msgcat", str(path)], capture_output=True, text=True, check=True)
    path.write_text(msgcat.stdout, encoding="utf-8")
    assert machine_output(path) == old


def test_the_example_catalogs_read_as_their_flags_said(tmp_path: Path) -> None:
    """The repository's own catalogs, written by locpipe before its notes (or, once they
    are written again, put back into that form)."""
    paths = []
    for number, path in enumerate(sorted((REPO / "locales").rglob("*.po"))):
        paths.append(tmp_path / f"{number}.po")
        shutil.copy(path, paths[-1])
        if "locpipe-mt" not in path.read_text(encoding="utf-8"):
            to_legacy(paths[-1])
    assert sum(len(old_machine_output(path)) for path in paths) > 40
    for path in paths:
        old = old_machine_output(path)
        assert machine_output(path) == old
        catalog.write_catalog(path, catalog.read_catalog(path))  # flags become notes
        run_tool(["msgcat", "-o", str(path), str(path)])
        assert machine_output(path) == old


def test_output_for_an_older_source_stays_outdated_when_msgmerge_drops_the_previous_msgid(
    pretranslated: tuple[Path, Observed], tmp_path: Path
) -> None:
    source, _ = pretranslated
    project = copy_project(source, tmp_path)
    article = project.root / "articles" / "nl" / "atacms.txt"
    old, new = "Een ander soort probleem", "Een heel ander soort probleem"
    article.write_text(article.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    assert not api.extract(project, jobs=1).problems
    path = project.catalog_path("en", "atacms")
    assert catalog.read_catalog(path).find((None, new)).previous_msgid == old
    msgmerge(path, project.template_path("atacms"))
    entry = catalog.read_catalog(path).find((None, new))
    assert entry.previous_msgid is None and entry.msgstr == f"(mt) {old}"
    assert catalog.entry_state(entry) is EntryState.FUZZY  # not published as machine output
    assert entry.key in {e.key for e in catalog.pending_entries(catalog.read_catalog(path))}
    engine = FakeEngine(machine)
    assert not api.pretranslate(project, ["en"], engine=engine).problems
    assert engine.sent == [new]
    entry = catalog.read_catalog(path).find((None, new))
    assert (entry.msgstr, catalog.entry_state(entry)) == (f"(mt) {new}", EntryState.MACHINE)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Observed]:
    """The repository's example project, its catalogs as an older locpipe wrote them."""
    root = tmp_path_factory.mktemp("example") / "project"
    root.mkdir()
    for name in ("articles", "glossary", "locales"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "locpipe.toml", root)
    return root, observe(load_project(root))


@pytest.mark.parametrize("tool", TOOLS, ids=lambda tool: tool.__name__)
def test_the_example_project_builds_as_before_after_a_tools_rewrite(
    example: tuple[Path, Observed], tmp_path: Path, tool: Callable[[Path, Path], None]
) -> None:
    source, observed = example
    assert any(b"Geleverd deur die VSA" in text for text in observed.built["default"].values())
    assert not any(b"VSA" in text for text in observed.built["reviewed-only"].values())
    project, _ = rewrite_then_extract(source, tmp_path, tool, observed)
    assert observe(project) == observed


def test_an_ignore_mark_silences_its_checks_and_a_misspelt_one_is_reported(
    tmp_path: Path,
) -> None:
    path = tmp_path / "en.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        "# locpipe: ignore lenght, numbers\n# locpipe:ignore punctuation\n"
        'msgid "In 2024 kwam de eerste levering."\nmsgstr "In 2025 came the first delivery"\n',
        encoding="utf-8",
    )
    po = catalog.read_catalog(path)
    assert provenance.ignored_checks(po[0]) == {"lenght", "numbers", "punctuation"}
    problems = check_catalog(po, path="en.po", glossary=Glossary(), language="en")
    assert [(p.check, p.severity, p.message) for p in problems] == [
        ("ignore", "warning", "no check named 'lenght': the ignore mark silences nothing")
    ]
    errors = check_catalog(po, path="en.po", glossary=Glossary(), language="en", errors_only=True)
    assert errors == []


def test_machine_output_from_an_imported_memory_stays_machine_output_through_msgcat(
    pretranslated: tuple[Path, Observed], tmp_path: Path
) -> None:
    source, _ = pretranslated
    exported = tmp_path / "all.tmx"
    tmx.export_tmx(load_project(source), "en", exported, include_machine=True)
    root = write_project(tmp_path / "other", LANGUAGES)
    shutil.copy(SEED, root / "articles" / "nl" / "atacms.txt")
    (root / "glossary").mkdir()
    shutil.copy(GLOSSARY, root / "glossary" / "terms.csv")
    project = load_project(root)
    assert not api.extract(project, ["en"], jobs=1).problems
    tmx.import_tmx(project, exported)
    assert not api.pretranslate(project, ["en"], engine=FakeEngine(machine)).problems
    path = project.catalog_path("en", "atacms")
    before = {e.key: catalog.entry_state(e) for e in catalog.read_catalog(path)}
    assert Counter(before.values())[EntryState.MACHINE] > 20
    assert Counter(before.values())[EntryState.TRANSLATED] == 1  # the one reviewed
    msgcat(path, template_of(project, path))
    assert {e.key: catalog.entry_state(e) for e in catalog.read_catalog(path)} == before
