"""Pretranslation of the seed article, end to end, against the LibreTranslate-compatible
server on loopback: glossary protection, cache, faults, translation memory, and what is
never touched.  Every catalog written must pass GNU ``msgfmt --check``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner, Result

from locpipe import api, catalog
from locpipe.cli import main
from locpipe.model import EntryState
from locpipe.project import load_project
from locpipe.provenance import read_provenance
from locpipe.results import Status

from .conftest import assert_msgfmt_clean, closed_port_url, write_libre_project
from .libre_server import LibreServer

KEEP = ("ATACMS", "Storm Shadow", "Kyiv")
AGREED = {"Poetin": "Putin", "Koersk": "Kursk"}
MANGLED = ("Atacms", "Kiev", "Storm shadow")
# A second article sharing one heading with the seed and nearly another.
REPEATS = (
    "Angst voor escalatie\n\n"
    "Het beleid van Trump ongedaan maken\n\n"
    "Dit artikel herhaalt alleen wat elders al staat.\n"
)
REPEATS_REVIEWED = {
    "Angst voor escalatie": "Fear of escalation",
    "Het beleid van Trump ongedaan maken": "Undoing Trump's policy",
    "Dit artikel herhaalt alleen wat elders al staat.": "This article only repeats.",
}


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def extract(root: Path) -> None:
    result = invoke("extract", "--project", root)
    assert result.exit_code == 0, result.output


def pretranslate(root: Path, *options: str) -> Result:
    return invoke("pretranslate", "--project", root, *options)


def read_po(root: Path, language: str = "en", name: str = "atacms") -> polib.POFile:
    return polib.pofile(str(root / "locales" / language / f"{name}.po"))


def states(po: polib.POFile) -> dict[str, EntryState]:
    return {entry.msgid: catalog.entry_state(entry) for entry in po}


def assert_catalogs_valid(root: Path) -> None:
    """Every catalog and template in the project passes msgfmt --check without a word."""
    paths = sorted((root / "locales").rglob("*.po*"))
    assert paths
    for path in paths:
        assert_msgfmt_clean(path)


def review(root: Path, language: str, name: str, translations: dict[str, str]) -> None:
    """A person translates entries of a catalog (reviewed: not fuzzy)."""
    po = read_po(root, language, name)
    for entry in po:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
    po.save()


def with_repeats(root: Path, *languages: str) -> None:
    """Add the second article and a person's reviewed translation of it."""
    (root / "articles/nl/herhaling.txt").write_text(REPEATS, encoding="utf-8")
    extract(root)
    for language in languages:
        review(root, language, "herhaling", REPEATS_REVIEWED)


def edit_seed(root: Path, old: str, new: str) -> None:
    path = root / "articles/nl/atacms.txt"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# The glossary through machine translation


def test_every_glossary_rule_holds_in_the_machine_translations(
    libre: LibreServer, tmp_path: Path
) -> None:
    root = write_libre_project(tmp_path, libre.url)
    extract(root)
    result = pretranslate(root, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""

    po = read_po(root)
    machine = [entry for entry in po if catalog.entry_state(entry) is EntryState.MACHINE]
    assert len(machine) >= 0.9 * len(po)
    for entry in machine:
        for term in KEEP:
            if term in entry.msgid:
                assert term in entry.msgstr, (entry.msgid, entry.msgstr)
        for source, target in AGREED.items():
            if source in entry.msgid:
                assert target in entry.msgstr and source not in entry.msgstr, entry.msgstr
    for entry in po:
        for wrong in MANGLED:
            assert wrong not in entry.msgstr, entry.msgstr
    title = po.find(
        "VS levert nieuwe ATACMS-raketten aan Oekraïne: wat zijn de gevolgen voor de oorlog?"
    )
    assert title.msgstr.startswith("VS delivers new ATACMS missiles to Ukraine")
    # The terms crossed the wire protected, never bare.
    bare = [re.sub(r"<code>.*?</code>", "", text) for text in libre.state.texts]
    assert not any(term in text for text in bare for term in (*KEEP, *AGREED))
    assert_catalogs_valid(root)


def test_without_protection_the_engine_mangles_the_terms(
    libre: LibreServer, tmp_path: Path
) -> None:
    # The control: the same run with no glossary shows what protection prevents.
    root = write_libre_project(tmp_path, libre.url, glossary=False)
    extract(root)
    assert pretranslate(root, "--lang", "en").exit_code == 0
    msgstrs = " ".join(entry.msgstr for entry in read_po(root))
    for wrong in MANGLED:
        assert wrong in msgstrs
    assert "Poetin" in msgstrs and "Putin" not in msgstrs


def test_machine_output_is_fuzzy_flagged_and_names_the_engine(
    libre: LibreServer, tmp_path: Path
) -> None:
    root = write_libre_project(tmp_path, libre.url)
    extract(root)
    result = pretranslate(root, "--lang", "en")
    assert result.stdout == (
        "pretranslate en (libre): 27 entries: 0 from memory, 0 fuzzy from memory, "
        "27 machine-translated, 0 failed verification, 0 untranslated; "
        "2 requests, 2687 characters sent\n"
    )
    for entry in read_po(root):
        assert entry.fuzzy
        assert read_provenance(entry).passed
        assert entry.previous_msgid is None
        assert "locpipe: machine translation by libre" in entry.tcomment.splitlines()
    text = (root / "locales/en/atacms.po").read_text(encoding="utf-8")
    # Only flags gettext knows: msgcat, msgmerge and Poedit drop the others.
    assert "#, fuzzy\n" in text and "locpipe-mt" not in text


def test_a_translation_that_fails_verification_is_kept_fuzzy_with_the_reason(
    libre: LibreServer, tmp_path: Path
) -> None:
    root = write_libre_project(tmp_path, libre.url)
    extract(root)
    # Every form loses its terms: the tokens, then the <code> elements, then plain terms
    # are "corrected" by the engine, as it does to any term it sees.
    libre.state.faults.extend(["drop-tokens", "drop-tokens", "drop-code"])
    result = pretranslate(root, "--lang", "en")
    assert result.exit_code == 0, result.output

    po = read_po(root)
    failed = [entry for entry in po if read_provenance(entry).failed]
    assert failed
    for entry in po:
        # The engine "corrects" the keep terms whenever it sees them; an agreed translation
        # sent as it is (the plain form) comes back intact.
        protected = any(term in entry.msgid for term in KEEP)
        if not protected:
            assert catalog.entry_state(entry) is EntryState.MACHINE
            continue
        assert entry in failed
        assert entry.fuzzy and not read_provenance(entry).passed
        assert catalog.entry_state(entry) is EntryState.FUZZY  # never published as is
        note = " ".join(entry.tcomment.split())  # polib wraps long comments
        assert note.startswith("locpipe: machine translation by libre failed verification: ")
        assert "was lost" in note
    lines = po.find("Tekort aan ATACMS").tcomment.splitlines()
    assert lines[-1].startswith("locpipe: output ")  # what the machine wrote, hashed
    assert " ".join(" ".join(lines[:-1]).split()) == (
        "locpipe: machine translation by libre failed verification: "
        "tokens {n}: the protected term 'ATACMS' was lost; keep term 'ATACMS' is missing | "
        "markup <code>: the protected term 'ATACMS' was lost; keep term 'ATACMS' is missing | "
        "plain: the protected span 'ATACMS' was lost; keep term 'ATACMS' is missing"
    )
    assert f"{len(failed)} failed verification, 0 untranslated" in result.stdout
    assert_catalogs_valid(root)

    # A unit that failed in every form is not sent again while nothing it depends on has
    # changed; after its back-off it is, and the failure note, wrapped over two lines in
    # the file, is replaced, not piled up.
    requests_before = libre.state.requests
    waiting = pretranslate(root, "--lang", "en")
    assert f"{len(failed)} failed verification ({len(failed)} not sent again)" in waiting.stdout
    assert libre.state.requests == requests_before
    config = root / "locpipe.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "[pretranslate]\n", "[pretranslate]\nretry_failed_after = 0\n"
        ),
        encoding="utf-8",
    )
    again = pretranslate(root, "--lang", "en")
    assert f"{len(failed)} entries" in again.stdout
    assert libre.state.requests > requests_before
    po = read_po(root)
    assert not [entry for entry in po if read_provenance(entry).failed]
    assert all(catalog.entry_state(entry) is EntryState.MACHINE for entry in po)
    assert all(
        entry.tcomment.splitlines()[0] == "locpipe: machine translation by libre" for entry in po
    )


# Cache: each text goes to the engine once


def test_a_second_run_sends_nothing(libre: LibreServer, tmp_path: Path) -> None:
    root = write_libre_project(tmp_path, libre.url)
    extract(root)
    assert pretranslate(root, "--lang", "en").exit_code == 0
    sent = libre.state.requests
    assert sent == 2
    before = (root / "locales/en/atacms.po").read_bytes()

    result = pretranslate(root, "--lang", "en")
    assert result.exit_code == 0
    assert "0 entries" in result.stdout
    assert libre.state.requests == sent
    assert (root / "locales/en/atacms.po").read_bytes() == before


def test_a_lost_catalog_is_refilled_from_the_cache(libre: LibreServer, tmp_path: Path) -> None:
    root = write_libre_project(tmp_path, libre.url)
    extract(root)
    pretranslate(root, "--lang", "en")
    first = {entry.msgid: entry.msgstr for entry in read_po(root)}
    sent = libre.state.requests

    (root / "locales/en/atacms.po").unlink()
    extract(root)
    result = pretranslate(root, "--lang", "en")
    assert result.exit_code == 0
    assert "27 machine-translated" in result.stdout and "0 requests" in result.stdout
    assert libre.state.requests == sent
    assert {entry.msgid: entry.msgstr for entry in read_po(root)} == first
    assert_catalogs_valid(root)


# Faults


def test_faults_delay_the_run_but_lose_nothing(libre: LibreServer, tmp_path: Path) -> None:
    root = write_libre_project(tmp_path, libre.url)
    extract(root)
    libre.state.timeout_sleep = 2.0  # the client gives up after 0.5 s
    libre.state.faults.extend(["429", "500", "timeout"])
    result = pretranslate(root, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "27 machine-translated" in result.stdout
    assert libre.state.requests == 2 + 3
    assert set(states(read_po(root)).values()) == {EntryState.MACHINE}
    assert_catalogs_valid(root)


def test_malformed_answers_leave_entries_untranslated(libre: LibreServer, tmp_path: Path) -> None:
    root = write_libre_project(tmp_path, libre.url, retries=1)
    extract(root)
    before = (root / "locales/en/atacms.po").read_bytes()
    libre.state.faults.extend(["malformed"] * 10)
    result = pretranslate(root, "--lang", "en")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("pretranslate en (libre): libre: ")
    assert "malformed answer" in line and line.endswith("27 entries left untranslated")
    assert (root / "locales/en/atacms.po").read_bytes() == before
    assert set(states(read_po(root)).values()) == {EntryState.UNTRANSLATED}


def test_an_unreachable_engine_is_one_line_per_language_and_the_rest_goes_on(
    tmp_path: Path,
) -> None:
    root = write_libre_project(tmp_path, closed_port_url())
    with_repeats(root, "de")
    result = pretranslate(root, "--lang", "en", "--lang", "de")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "pretranslate en (libre)",
        "pretranslate de (libre)",
    ]
    assert all("libre: cannot connect to http://127.0.0.1:" in line for line in lines)
    assert "Traceback" not in result.output
    # Nothing was machine-translated, but German still took what memory had.
    assert set(states(read_po(root, "en")).values()) == {EntryState.UNTRANSLATED}
    german = states(read_po(root, "de"))
    assert german.pop("Angst voor escalatie") is EntryState.TRANSLATED
    assert german.pop("Het beleid van Biden ongedaan maken") is EntryState.FUZZY
    assert set(german.values()) == {EntryState.UNTRANSLATED}
    assert "pretranslate de (libre): 27 entries: 1 from memory, 1 fuzzy from memory" in (
        result.stdout
    )
    assert_catalogs_valid(root)


# Translation memory


def test_translation_memory_fills_exact_and_similar_entries(
    libre: LibreServer, tmp_path: Path
) -> None:
    root = write_libre_project(tmp_path, libre.url)
    with_repeats(root, "en")
    result = pretranslate(root, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "1 from memory, 1 fuzzy from memory, 25 machine-translated" in result.stdout

    po = read_po(root)
    exact = po.find("Angst voor escalatie")
    assert exact.msgstr == "Fear of escalation"
    assert catalog.entry_state(exact) is EntryState.TRANSLATED
    assert "locpipe: from translation memory (locales/en/herhaling.po)" in exact.tcomment

    similar = po.find("Het beleid van Biden ongedaan maken")
    assert similar.msgstr == "Undoing Trump's policy"
    assert catalog.entry_state(similar) is EntryState.FUZZY
    assert similar.previous_msgid == "Het beleid van Trump ongedaan maken"
    assert "locpipe: translation memory 86% match (locales/en/herhaling.po)" in similar.tcomment
    text = (root / "locales/en/atacms.po").read_text(encoding="utf-8")
    assert '#| msgid "Het beleid van Trump ongedaan maken"\n' in text
    # Neither went to the engine.
    assert not any(t.startswith(("Angst voor", "Het beleid van")) for t in libre.state.texts)
    assert_catalogs_valid(root)


# What pretranslation never touches, and what it refills


def test_a_persons_translations_are_never_touched(libre: LibreServer, tmp_path: Path) -> None:
    root = write_libre_project(tmp_path, libre.url)
    extract(root)
    po = read_po(root)
    po.find("Tekort aan ATACMS").msgstr = "Shortage of ATACMS"
    unsure = po.find("Geleverd door de VS")
    unsure.msgstr = "Delivered by the USA"
    unsure.flags.append("fuzzy")
    po.save()
    before = {entry.msgid: str(entry) for entry in read_po(root) if entry.msgstr}

    assert pretranslate(root, "--lang", "en").exit_code == 0
    after = read_po(root)
    for msgid, text in before.items():
        assert str(after.find(msgid)) == text
    assert catalog.entry_state(after.find("Tekort aan ATACMS")) is EntryState.TRANSLATED
    assert catalog.entry_state(after.find("Geleverd door de VS")) is EntryState.FUZZY
    assert not any(t.startswith(("Tekort aan", "Geleverd door")) for t in libre.state.texts)
    assert_catalogs_valid(root)


def test_a_translation_saved_while_the_engine_works_is_kept(
    libre: LibreServer, tmp_path: Path
) -> None:
    root = write_libre_project(tmp_path, libre.url, workers=1)
    extract(root)
    saved = []

    def translator_saves() -> None:  # in Poedit, while the machine translations are awaited
        if not saved:
            po = read_po(root)
            po.find("Tekort aan ATACMS").msgstr = "Short of ATACMS"
            po.save()
            saved.append(True)

    libre.state.on_request = translator_saves
    assert pretranslate(root, "--lang", "en").exit_code == 0
    after = read_po(root)
    kept = after.find("Tekort aan ATACMS")
    assert kept.msgstr == "Short of ATACMS"
    assert catalog.entry_state(kept) is EntryState.TRANSLATED
    assert catalog.entry_state(after.find("Geleverd door de VS")) is EntryState.MACHINE
    assert_catalogs_valid(root)


def test_a_changed_source_is_refilled_by_machine_but_a_persons_work_stays_fuzzy(
    libre: LibreServer, tmp_path: Path
) -> None:
    root = write_libre_project(tmp_path, libre.url)
    extract(root)
    review(root, "en", "atacms", {"Angst voor escalatie": "Fear of escalation"})
    pretranslate(root, "--lang", "en")
    # A person also reviews one machine translation: clearing "fuzzy", as PO editors do,
    # keeps the other flags.
    po = read_po(root)
    kremlin = next(entry for entry in po if entry.msgid.startswith("Hoewel Kyiv"))
    kremlin.flags.remove("fuzzy")
    reviewed_kremlin = kremlin.msgstr
    po.save()
    assert catalog.entry_state(kremlin) is EntryState.TRANSLATED

    edit_seed(root, "Angst voor escalatie", "Angst voor een escalatie")  # TOC and heading
    edit_seed(root, "meldt de New York Times. Dit", "meldde de New York Times. Dit")
    edit_seed(root, "geen cijfers heeft verstrekt", "geen cijfers had verstrekt")
    extract(root)
    libre.state.reset()
    result = pretranslate(root, "--lang", "en")
    assert result.exit_code == 0, result.output

    po = read_po(root)
    refilled = next(entry for entry in po if entry.msgid.startswith("De Oekraïense"))
    assert "meldde" in refilled.msgid
    assert catalog.entry_state(refilled) is EntryState.MACHINE
    assert refilled.previous_msgid is None
    assert "ATACMS missiles" in refilled.msgstr and "Kyiv" in refilled.msgstr
    assert len(libre.state.texts) == 1  # only the changed machine translation was sent

    person = po.find("Angst voor een escalatie")
    assert person.msgstr == "Fear of escalation"
    assert catalog.entry_state(person) is EntryState.FUZZY
    assert person.previous_msgid == "Angst voor escalatie"
    assert not read_provenance(person).passed

    reviewed = next(entry for entry in po if entry.msgid.startswith("Hoewel Kyiv"))
    assert reviewed.msgstr == reviewed_kremlin
    assert catalog.entry_state(reviewed) is EntryState.FUZZY
    assert reviewed.previous_msgid is not None and "heeft verstrekt" in reviewed.previous_msgid
    assert_catalogs_valid(root)


# The library call behind the command


def test_pretranslate_returns_a_summary_per_language_and_reports_progress(
    libre: LibreServer, tmp_path: Path
) -> None:
    root = write_libre_project(tmp_path, libre.url)
    extract(root)
    project = load_project(root)
    done: list[tuple[str, int]] = []
    result = api.pretranslate(
        project,
        ["en", "de"],
        created=datetime(2025, 1, 2, 3, 4, tzinfo=UTC),
        progress=lambda language, count: done.append((language, count)),
    )
    assert result.exit_code == 0 and not result.dry_run
    assert [(s.language, s.engine, s.entries, s.machine) for s in result.languages] == [
        ("en", "libre", 27, 27),
        ("de", "libre", 27, 27),
    ]
    assert sum(count for language, count in done if language == "en") == 27
    assert [(o.path, o.status) for o in result.outcomes] == [
        ("locales/en/atacms.po", Status.WRITTEN),
        ("locales/de/atacms.po", Status.WRITTEN),
    ]
    # A machine filling entries is no translator's edit: PO-Revision-Date stays.
    assert "PO-Revision-Date: 2025-01-02" not in (
        (root / "locales/en/atacms.po").read_text(encoding="utf-8")
    )


# Build and dry run


def test_build_publishes_machine_translations_unless_reviewed_only(
    libre: LibreServer, tmp_path: Path
) -> None:
    root = write_libre_project(tmp_path, libre.url)
    extract(root)
    pretranslate(root, "--lang", "en")
    article = root / "articles/en/atacms.txt"

    result = invoke("build", "--project", root, "--lang", "en", "--reviewed-only")
    assert result.exit_code == 1
    assert "0 of 27 entries translated" in result.stderr
    assert not article.exists()

    result = invoke("build", "--project", root, "--lang", "en")
    assert result.exit_code == 0, result.output
    text = article.read_text(encoding="utf-8")
    assert text.startswith("VS delivers new ATACMS missiles to Ukraine")
    for term in (*KEEP, *AGREED.values()):
        assert term in text
    for wrong in (*MANGLED, "Poetin", "Koersk"):
        assert wrong not in text


def test_dry_run_reports_entries_and_characters_and_sends_nothing(
    libre: LibreServer, tmp_path: Path, snapshot: Callable[[Path], dict[str, bytes]]
) -> None:
    root = write_libre_project(tmp_path, libre.url)
    extract(root)
    before = snapshot(root / "locales")
    result = pretranslate(root, "--dry-run", "--lang", "en", "--lang", "de")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"pretranslate {language} (libre): dry run: 27 entries; 0 from memory, "
        "0 fuzzy from memory, 0 cached; 2687 characters would be sent"
        for language in ("en", "de")
    ]
    assert libre.state.requests == 0
    assert snapshot(root / "locales") == before

    real = pretranslate(root, "--lang", "en")
    assert "2687 characters sent" in real.stdout  # what the dry run announced
    again = pretranslate(root, "--dry-run", "--lang", "en", "--lang", "de")
    assert again.stdout.splitlines() == [
        "pretranslate en (libre): dry run: 0 entries; 0 from memory, 0 fuzzy from memory, "
        "0 cached; 0 characters would be sent",
        "pretranslate de (libre): dry run: 27 entries; 0 from memory, 0 fuzzy from memory, "
        "0 cached; 2687 characters would be sent",
    ]


def test_a_locked_cache_is_a_warning_and_the_translations_still_reach_the_catalog(
    libre: LibreServer, tmp_path: Path
) -> None:
    import sqlite3

    root = write_libre_project(tmp_path, libre.url)
    extract(root)
    pretranslate(root, "--lang", "de")  # creates the cache
    holder = sqlite3.connect(root / ".locpipe/cache.sqlite")
    holder.execute("BEGIN EXCLUSIVE")  # another run holds the cache
    try:
        from locpipe import cache as cache_module

        original = cache_module.sqlite3.connect

        def impatient(*args: object, **kwargs: object) -> sqlite3.Connection:
            kwargs["timeout"] = 0.1  # the test need not wait 30 s for the lock
            return original(*args, **kwargs)  # type: ignore[arg-type]

        cache_module.sqlite3.connect = impatient  # type: ignore[assignment]
        try:
            result = pretranslate(root, "--lang", "en")
        finally:
            cache_module.sqlite3.connect = original  # type: ignore[assignment]
    finally:
        holder.rollback()
        holder.close()
    assert "Traceback" not in result.output
    assert "pretranslate: warning: " in result.stderr and "not cached" in result.stderr
    assert "27 machine-translated" in result.stdout
    assert all(read_provenance(e).passed for e in read_po(root))


def test_machine_output_a_person_edited_is_theirs_and_never_translated_again(
    libre: LibreServer, tmp_path: Path
) -> None:
    """A translator fixes a failed machine entry and one whose source later changed, and
    leaves both fuzzy for review: no later run may overwrite the fix."""
    root = write_libre_project(tmp_path, libre.url, retry_failed_after=0)
    extract(root)
    libre.state.faults.extend(["drop-tokens", "drop-tokens", "drop-code"])
    assert pretranslate(root, "--lang", "en").exit_code == 0
    po_path = root / "locales/en/atacms.po"
    po = polib.pofile(str(po_path))
    failed = next(e for e in po if read_provenance(e).failed)
    passed = next(e for e in po if read_provenance(e).passed)
    failed.msgstr = failed.msgstr.replace("Atacms", "ATACMS") + " (fixed)"
    passed.msgstr = passed.msgstr + " (checked)"
    fixed, checked = failed.msgstr, passed.msgstr
    po.save()
    source = root / "articles/nl/atacms.txt"
    source.write_text(
        source.read_text(encoding="utf-8").replace(passed.msgid, passed.msgid + " Ook."), "utf-8"
    )
    extract(root)
    before = len(libre.state.texts)
    result = pretranslate(root, "--lang", "en")
    assert result.exit_code == 0, result.output
    po = polib.pofile(str(po_path))
    assert po.find(failed.msgid).msgstr == fixed
    assert po.find(passed.msgid + " Ook.").msgstr == checked

    # Neither went to the engine again (the other failed entries, unedited, did).
    def words(text: str) -> str:
        return re.sub(r"\{\d+\}|ATACMS|Kyiv|Storm Shadow|\s+", "", text)

    sent = {words(text) for text in libre.state.texts[before:]}
    assert sent and words(failed.msgid) not in sent and words(passed.msgid + " Ook.") not in sent
    # A person's fuzzy work is published only with --include-fuzzy, like any other.
    entry = po.find(failed.msgid)
    assert catalog.entry_state(entry) is EntryState.FUZZY
    assert not catalog.failed_machine_output(entry)


def test_a_save_while_pretranslate_fills_a_catalog_is_never_written_over(
    libre: LibreServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from locpipe.results import Kind

    root = write_libre_project(tmp_path, libre.url)
    extract(root)
    po_path = root / "locales/en/atacms.po"
    saved = po_path.read_text(encoding="utf-8").replace(
        'msgid "Angst voor escalatie"\nmsgstr ""',
        'msgid "Angst voor escalatie"\nmsgstr "Fear of escalation"',
    )
    real = catalog.write_catalog

    def save_first(*args: object, **kwargs: object) -> bool:
        po_path.write_text(saved, encoding="utf-8")  # the translator saves, just then
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(catalog, "write_catalog", save_first)
    result = api.pretranslate(load_project(root), ["en"])
    assert [(o.path, o.kind) for o in result.problems] == [("locales/en/atacms.po", Kind.CONFLICT)]
    assert po_path.read_text(encoding="utf-8") == saved
    monkeypatch.undo()
    again = api.pretranslate(load_project(root), ["en"])  # the next run fills around it
    assert again.problems == ()
    po = polib.pofile(str(po_path))
    assert po.find("Angst voor escalatie").msgstr == "Fear of escalation"
    assert read_provenance(po.find("Tekort aan ATACMS")).passed
