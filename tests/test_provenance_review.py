"""Provenance edge cases found in review: what real tools and older catalogs do to notes."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import polib

from locpipe import catalog, provenance
from locpipe.model import EntryState

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n'


def msgmerge_changed_source(path: Path) -> tuple[catalog.Catalog, catalog.Entry]:
    """``msgmerge --previous -U`` with a template whose one msgid changed a little; the
    catalog read back, and its one active entry."""
    template = path.with_suffix(".pot")
    template.write_text(HEADER + 'msgid "Oorlog in de Oekraïne"\nmsgstr ""\n', encoding="utf-8")
    subprocess.run(
        ["msgmerge", "--quiet", "--previous", "-U", "--backup=off", str(path), str(template)],
        check=True,
    )
    po = catalog.read_catalog(path)
    (entry,) = [e for e in po if not e.obsolete]
    return po, entry


def test_machine_output_of_an_older_catalog_shows_a_later_edit(tmp_path: Path) -> None:
    """An older locpipe wrote machine output with its flag but no hash.  Once the catalog is
    written again with notes, a person's edit in an editor that leaves fuzzy set (Lokalize,
    Weblate's "needs editing") must make the entry theirs, so that a later change of its
    source does not send their text to the engine as stale machine output."""
    path = tmp_path / "en.po"
    path.write_text(
        HEADER + "# locpipe: machine translation by apertium\n#, fuzzy, locpipe-mt\n"
        'msgid "Oorlog in Oekraïne"\nmsgstr "War in Ukraine"\n',
        encoding="utf-8",
    )
    catalog.write_catalog(path, catalog.read_catalog(path))  # extract's first write
    edited = polib.pofile(str(path))
    edited[0].msgstr = "The war in Ukraine"
    edited.save()
    po, entry = msgmerge_changed_source(path)
    assert entry.msgstr == "The war in Ukraine"
    assert catalog.entry_state(entry) is EntryState.FUZZY
    assert catalog.pending_entries(po) == []


def test_a_reviewed_entry_made_obsolete_stays_a_persons_when_msgmerge_revives_it(
    tmp_path: Path,
) -> None:
    """Machine output a person reviewed (cleared fuzzy), whose source went away: msgmerge
    revives an obsolete entry as a fuzzy match of a similar new msgid, with its comments.
    It must read as the person's fuzzy translation, never as stale machine output that
    pretranslate replaces."""
    msgid = "Oorlog in Oekraïne"
    reviewed = catalog.Entry(msgid=msgid, msgstr="War in Ukraine")
    provenance.record_note(reviewed, provenance.machine_note("apertium"))
    existing = catalog.Catalog([reviewed], metadata={"Language": "en"})
    now = datetime(2026, 12, 6, tzinfo=UTC)
    emptied = catalog.update_catalog(catalog.Catalog([]), existing, language="en", now=now)
    path = tmp_path / "en.po"
    catalog.write_catalog(path, emptied)
    po, entry = msgmerge_changed_source(path)
    assert entry.msgstr == "War in Ukraine" and entry.fuzzy
    assert catalog.entry_state(entry) is EntryState.FUZZY
    assert catalog.pending_entries(po) == []


LONG_NOTE = (
    "locpipe: machine translation by apertium failed verification: the number 2024 was "
    "changed, and the protected term 'ATACMS' was lost"
)


def test_a_persons_line_after_a_long_note_on_one_line_stays() -> None:
    """GNU gettext's tools (and locpipe with gettext's layout) never wrap comments, so a long
    note is one line; the translator's line after it is theirs, however it starts."""
    comment = f"{LONG_NOTE}\nAnn: keep the month in lower case"
    entry = catalog.Entry(msgid="In november 2024", msgstr="In November 2025", flags=["fuzzy"])
    entry.tcomment = comment
    provenance.record_note(entry, provenance.machine_note("apertium"))
    assert "Ann: keep the month in lower case" in entry.tcomment.splitlines()
    assert "Ann: keep the month in lower case" in provenance.mark_reviewed(comment).splitlines()


def test_a_plural_entry_is_never_pending() -> None:
    """A plural entry keeps its translation in msgstr[N]; msgstr is empty.  Pending, a
    person's plural forms would get a machine msgstr beside them (msgfmt refuses the
    entry), and an engine gives no plural forms anyway."""
    translated = catalog.Entry(
        msgid="%d raket",
        msgid_plural="%d raketten",
        msgstr_plural={0: "%d missile", 1: "%d missiles"},
        flags=["c-format"],
    )
    untranslated = catalog.Entry(
        msgid="%d doel", msgid_plural="%d doelen", msgstr_plural={0: "", 1: ""}
    )
    po = catalog.Catalog([translated, untranslated])
    assert catalog.pending_entries(po) == []
