"""Templates and catalogs: what a POT holds, how msgmerge-style updates treat translations,
what broken PO files are refused, and that GNU msgfmt, babel and polib all agree."""

from __future__ import annotations

import subprocess
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from locpipe import __version__, plural_table
from locpipe.catalog import (
    catalog_text,
    content_changed,
    count_catalog,
    entry_state,
    fill_entry,
    pending_entries,
    read_catalog,
    refresh_template,
    template_from_article,
    translations,
    update_catalog,
    write_catalog,
)
from locpipe.errors import CatalogError, SourceError
from locpipe.model import Article, EntryState, Line, Unit, UnitKind
from locpipe.plurals import DEFAULT_PLURAL_FORMS
from locpipe.provenance import machine_note
from locpipe.summaries import CatalogStats

from .conftest import run_msgfmt

CREATED = datetime(2024, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=2)))
LATER = datetime(2024, 6, 2, 18, 45, tzinfo=UTC)
PATH = "articles/nl/atacms.txt"


# Building articles by hand


def unit(
    text: str,
    line: int = 1,
    kind: UnitKind = UnitKind.PARAGRAPH,
    *,
    section: str | None = None,
    context: str | None = None,
    notes: tuple[str, ...] = (),
) -> Unit:
    lines = tuple(Line("", part, hard_break=True) for part in text.split("\n"))
    return Unit(
        kind=kind,
        lines=lines,
        line=line,
        section=section,
        context=context,
        notes=notes,
    )


def article(*units: Unit, path: str = PATH, name: str = "atacms") -> Article:
    parts: list[str | Unit] = []
    for u in units:
        parts += [u, "\n\n"]
    return Article(path=path, name=name, parts=tuple(parts))


def paragraphs(*texts: str) -> Article:
    """An article of paragraphs, each two lines below the one before."""
    return article(*(unit(text, 1 + 2 * i) for i, text in enumerate(texts)))


def seed_article() -> Article:
    """The shape of the seed: title, a TOC line and its heading, paragraphs, a repeated text."""
    return article(
        unit("Tekort aan ATACMS in Oekraïne", 1, UnitKind.TITLE),
        unit("Tekort aan ATACMS", 3, UnitKind.TOC, context="heading"),
        unit("Inzet", 4, UnitKind.TOC),
        unit(
            "Tekort aan ATACMS", 6, UnitKind.HEADING, section="Tekort aan ATACMS", context="heading"
        ),
        unit(
            'Het leger zegt: "er is een tekort".',
            8,
            section="Tekort aan ATACMS",
            notes=("ATACMS is a name: keep it.",),
        ),
        unit("Inzet", 10, UnitKind.HEADING, section="Inzet"),
        unit("Tekort aan ATACMS", 12, section="Inzet"),
        unit("Ja", 14, UnitKind.LIST_ITEM, section="Inzet"),
        unit("Ja", 15, UnitKind.LIST_ITEM, section="Inzet"),
    )


def translated(po: polib.POFile, *, prefix: str = "") -> polib.POFile:
    """Fill every untranslated entry the way a translator would (swapcase keeps newlines)."""
    for entry in po:
        if not entry.msgstr and not entry.obsolete:
            entry.msgstr = prefix + entry.msgid.swapcase()
    return po


def catalog_for(art: Article, *, language: str = "de") -> polib.POFile:
    """A fully translated catalog of an article."""
    template = template_from_article(art, created=CREATED)
    return translated(update_catalog(template, None, language=language, now=CREATED))


def update(art: Article, existing: polib.POFile | None, *, language: str = "de") -> polib.POFile:
    template = template_from_article(art, created=LATER)
    return update_catalog(template, existing, language=language, now=LATER)


def entry(po: polib.POFile, msgid: str, msgctxt: str | None = None) -> polib.POEntry:
    found = [e for e in po if e.msgid == msgid and e.msgctxt == msgctxt]
    assert len(found) == 1, f"{len(found)} entries for {msgctxt!r}, {msgid!r}"
    return found[0]


def write(path: Path, po: polib.POFile) -> Path:
    path.write_bytes(catalog_text(po).encode("utf-8"))
    return path


# The template


def test_one_entry_per_key_in_first_occurrence_order() -> None:
    pot = template_from_article(seed_article(), created=CREATED)
    assert [(e.msgctxt, e.msgid) for e in pot] == [
        (None, "Tekort aan ATACMS in Oekraïne"),
        ("heading", "Tekort aan ATACMS"),
        (None, "Inzet"),
        (None, 'Het leger zegt: "er is een tekort".'),
        (None, "Tekort aan ATACMS"),
        (None, "Ja"),
    ]


def test_every_occurrence_is_referenced() -> None:
    pot = template_from_article(seed_article(), created=CREATED)
    assert entry(pot, "Tekort aan ATACMS", "heading").occurrences == [(PATH, "3"), (PATH, "6")]
    assert entry(pot, "Inzet").occurrences == [(PATH, "4"), (PATH, "10")]
    assert entry(pot, "Ja").occurrences == [(PATH, "14"), (PATH, "15")]
    assert f"#: {PATH}:3 {PATH}:6\nmsgctxt" in catalog_text(pot)


def test_extracted_comments_give_kinds_section_and_notes() -> None:
    pot = template_from_article(seed_article(), created=CREATED)
    assert entry(pot, "Tekort aan ATACMS in Oekraïne").comment == "title"
    assert entry(pot, "Tekort aan ATACMS", "heading").comment == "table of contents, heading"
    assert entry(pot, "Inzet").comment == "table of contents, heading"
    assert entry(pot, 'Het leger zegt: "er is een tekort".').comment == (
        "paragraph, section: Tekort aan ATACMS\nATACMS is a name: keep it."
    )
    assert entry(pot, "Tekort aan ATACMS").comment == "paragraph, section: Inzet"
    assert entry(pot, "Ja").comment == "list item, section: Inzet"
    assert "#. paragraph, section: Tekort aan ATACMS\n#. ATACMS is a name: keep it.\n" in (
        catalog_text(pot)
    )


def test_an_entry_in_several_sections_names_them_all() -> None:
    art = article(unit("Ja", 2, section="Een"), unit("Ja", 4, section="Twee"))
    pot = template_from_article(art, created=CREATED)
    assert pot[0].comment == "paragraph, sections: Een; Twee"


def test_msgctxt_only_where_the_unit_has_a_context() -> None:
    text = catalog_text(template_from_article(seed_article(), created=CREATED))
    assert text.count("msgctxt") == 1
    assert 'msgctxt "heading"\nmsgid "Tekort aan ATACMS"\n' in text


def test_template_header() -> None:
    pot = template_from_article(seed_article(), created=CREATED)
    assert pot.metadata == {
        "Project-Id-Version": "atacms",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "2024-05-01 09:30+0200",
        "PO-Revision-Date": "2024-05-01 09:30+0200",
        "Last-Translator": "",
        "Language-Team": "",
        "Language": "nl",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": f"locpipe {__version__}",
    }
    pot = template_from_article(seed_article(), created=CREATED, source_language="fy")
    assert pot.metadata["Language"] == "fy"


def test_template_needs_a_timezone_aware_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        template_from_article(seed_article(), created=datetime(2024, 5, 1, 9, 30))


def test_a_unit_with_the_mo_context_separator_is_a_source_error() -> None:
    with pytest.raises(SourceError, match="U\\+0004") as caught:
        template_from_article(paragraphs("Een.", "a\x04b"), created=CREATED)
    assert (caught.value.path, caught.value.line) == (PATH, 3)


def test_a_path_with_spaces_is_encoded_as_translate_toolkit_encodes_it() -> None:
    art = article(unit("Hallo", 1), path="articles/nl/mijn stuk.txt")
    text = catalog_text(template_from_article(art, created=CREATED))
    assert "#: articles/nl/mijn+stuk.txt:1\n" in text


# GNU msgfmt accepts what we write, without a single warning


@pytest.mark.parametrize("language", ["de", "en", "af", "pt-BR", "pt_BR", "pl", "ar", "ja", "li"])
def test_msgfmt_check_passes_without_warnings(tmp_path: Path, language: str) -> None:
    pot = template_from_article(seed_article(), created=CREATED)
    old = catalog_for(
        paragraphs("Dit verdwijnt straks.", "Het leger zegt: er is een tekort!", "Ja")
    )
    po = update_catalog(pot, old, language=language, now=LATER)
    pending = pending_entries(po)[0]
    fill_entry(po, pending.key, "machine", fuzzy=True, note=machine_note("apertium"))
    assert {entry_state(e) for e in po} == set(EntryState)  # every state is in the file
    for path in (write(tmp_path / "a.pot", pot), write(tmp_path / "a.po", po)):
        result = run_msgfmt(path)
        assert (result.returncode, result.stderr) == (0, "")


def test_header_of_a_new_catalog() -> None:
    po = update(seed_article(), None, language="pt-BR")
    assert po.metadata["Language"] == "pt-BR"
    assert po.metadata["Language-Team"] == "Portuguese (Brazil)"
    assert po.metadata["Plural-Forms"] == plural_table.GETTEXT["pt_BR"]
    assert po.metadata["Last-Translator"] == ""
    assert po.metadata["POT-Creation-Date"] == po.metadata["PO-Revision-Date"]
    assert po.header == f"Translations of {PATH}."


def test_a_language_babel_does_not_know_still_gets_a_valid_header() -> None:
    po = update(seed_article(), None, language="li")
    assert po.metadata["Language-Team"] == "li"
    assert po.metadata["Plural-Forms"] == DEFAULT_PLURAL_FORMS


@pytest.mark.parametrize(
    ("language", "table", "key"),
    [
        ("de", plural_table.GETTEXT, "de"),
        ("pt_BR", plural_table.GETTEXT, "pt_BR"),
        ("pt-PT", plural_table.GETTEXT, "pt"),
        ("sr-Latn", plural_table.GETTEXT, "sr"),
        ("af", plural_table.CLDR, "af"),
        ("ar", plural_table.CLDR, "ar"),
    ],
)
def test_a_new_catalog_takes_gettexts_rule_then_cldrs(
    language: str, table: dict[str, str], key: str
) -> None:
    po = update(seed_article(), None, language=language)
    assert po.metadata["Plural-Forms"] == table[key]


def test_an_existing_catalog_keeps_its_plural_forms() -> None:
    old = catalog_for(paragraphs("Een."), language="pt-BR")
    old.metadata["Plural-Forms"] = "nplurals=3; plural=(n==0 ? 0 : n==1 ? 1 : 2);"
    po = update(paragraphs("Een.", "Twee."), old, language="pt-BR")
    assert po.metadata["Plural-Forms"] == "nplurals=3; plural=(n==0 ? 0 : n==1 ? 1 : 2);"


def test_msginits_placeholder_plural_forms_is_filled_in() -> None:
    old = catalog_for(paragraphs("Een."))
    old.metadata["Plural-Forms"] = "nplurals=INTEGER; plural=EXPRESSION;"
    po = update(paragraphs("Een."), old, language="de")
    assert po.metadata["Plural-Forms"] == plural_table.GETTEXT["de"]


def test_gettexts_rules_are_what_the_installed_msginit_writes(tmp_path: Path) -> None:
    """The table agrees with the real msginit on every language it takes from gettext."""
    template = tmp_path / "t.pot"
    template.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
    for code, rule in plural_table.GETTEXT.items():
        result = subprocess.run(
            ["msginit", "--no-translator", "-l", code, "-i", str(template), "-o", "-"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert f"Plural-Forms: {rule}\\n" in result.stdout.replace('"\n"', ""), code


def test_the_frozen_language_names_are_babels_for_every_locale_it_knows() -> None:
    """Language-Team comes from the frozen table; with the pinned babel it says exactly what
    babel says, and a tag babel knows only through its parser still gets babel's name."""
    from babel import Locale
    from babel.localedata import locale_identifiers

    from locpipe import language_names
    from locpipe.languages import english_name

    assert set(language_names.NAMES) == set(locale_identifiers())
    for code, name in language_names.NAMES.items():
        assert name == (Locale.parse(code).english_name or ""), code
        assert english_name(code.replace("_", "-")) == (name or code.replace("_", "-"))
    assert english_name("PT-br") == "Portuguese (Brazil)"  # not in the table as written
    assert english_name("tlh-Piqd") == "tlh-Piqd"  # unknown to both


@pytest.mark.parametrize("table", [plural_table.GETTEXT, plural_table.CLDR])
def test_every_rule_in_the_table_passes_msgfmt(tmp_path: Path, table: dict[str, str]) -> None:
    """One catalog per rule, with a plural entry, so that msgfmt really evaluates the rule."""
    failures = {}
    for code, rule in table.items():
        count = int(rule.split("nplurals=")[1].split(";")[0])
        forms = "".join(f'msgstr[{index}] "x{index}"\n' for index in range(count))
        path = tmp_path / f"{code}.po"
        header = {
            "Project-Id-Version": "locpipe",
            "PO-Revision-Date": "2026-01-01 00:00+0000",
            "Last-Translator": "",
            "Language-Team": "",
            "Language": code,
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": rule,
        }
        fields = "".join(f'"{name}: {value}\\n"\n' for name, value in header.items())
        path.write_text(
            f'msgid ""\nmsgstr ""\n{fields}\nmsgid "een"\nmsgid_plural "twee"\n{forms}',
            encoding="utf-8",
        )
        result = run_msgfmt(path)
        if result.returncode or result.stderr:
            failures[code] = result.stderr
    assert failures == {}


def test_the_translator_owns_last_translator_team_and_header_comment() -> None:
    old = catalog_for(paragraphs("Een."))
    old.metadata["Last-Translator"] = "Anna <anna@example.org>"
    old.metadata["Language-Team"] = "Duits <de@example.org>"
    old.header = "Copyright Anna."
    po = update(paragraphs("Een.", "Twee."), old)
    assert po.metadata["Last-Translator"] == "Anna <anna@example.org>"
    assert po.metadata["Language-Team"] == "Duits <de@example.org>"
    assert po.header == "Copyright Anna."


def test_a_fuzzy_header_is_filled_in_and_no_longer_fuzzy(tmp_path: Path) -> None:
    old = catalog_for(paragraphs("Een."))
    old.metadata_is_fuzzy = ["fuzzy"]
    po = update(paragraphs("Een."), old)
    assert not po.metadata_is_fuzzy
    result = run_msgfmt(write(tmp_path / "de.po", po))
    assert (result.returncode, result.stderr) == (0, "")


def test_placeholders_left_by_msginit_are_replaced() -> None:
    old = catalog_for(paragraphs("Een."))
    old.metadata["Last-Translator"] = "FULL NAME <EMAIL@ADDRESS>"
    old.metadata["Language-Team"] = "LANGUAGE <LL@li.org>"
    po = update(paragraphs("Een."), old)
    assert po.metadata["Last-Translator"] == ""
    assert po.metadata["Language-Team"] == "German"


# msgmerge semantics


def test_an_unchanged_entry_keeps_translation_state_and_translator_comment() -> None:
    old = catalog_for(paragraphs("Een.", "Twee."))
    entry(old, "Twee.").flags = ["fuzzy"]
    entry(old, "Twee.").previous_msgid = "Twee!"
    entry(old, "Een.").tcomment = "checked by Anna"
    po = update(article(unit("Een.", 7), unit("Twee.", 9)), old)
    one, two = entry(po, "Een."), entry(po, "Twee.")
    assert (one.msgstr, entry_state(one), one.tcomment) == (
        "eEN.",
        EntryState.TRANSLATED,
        "checked by Anna",
    )
    assert (two.msgstr, entry_state(two), two.previous_msgid) == (
        "tWEE.",
        EntryState.FUZZY,
        "Twee!",
    )
    assert one.occurrences == [(PATH, "7")]  # references come from the template


def test_a_translated_entry_drops_a_stale_previous_msgid() -> None:
    old = catalog_for(paragraphs("Een."))
    old[0].previous_msgid = "Eén."  # the translator cleared fuzzy and left the #| line
    po = update(paragraphs("Een."), old)
    assert po[0].previous_msgid is None


def test_an_edited_source_makes_the_entry_fuzzy_with_its_previous_msgid() -> None:
    old = catalog_for(paragraphs("Het leger meldt een groot tekort aan raketten."))
    po = update(paragraphs("Het leger meldt een ernstig tekort aan raketten."), old)
    [new] = po
    assert new.msgid == "Het leger meldt een ernstig tekort aan raketten."
    assert new.msgstr == "hET LEGER MELDT EEN GROOT TEKORT AAN RAKETTEN."
    assert entry_state(new) is EntryState.FUZZY
    assert new.previous_msgid == "Het leger meldt een groot tekort aan raketten."
    assert '#, fuzzy\n#| msgid "Het leger meldt een groot tekort aan raketten."\n' in (
        catalog_text(po)
    )


def test_the_most_similar_old_entry_wins() -> None:
    old = catalog_for(paragraphs("De kat zit op de mat.", "De hond zat op de mat vandaag."))
    po = update(paragraphs("De kat zat op de mat vandaag."), old)
    assert po[0].previous_msgid == "De hond zat op de mat vandaag."


def test_an_obsolete_entry_can_seed_a_fuzzy_match_and_stays_obsolete() -> None:
    old = update(paragraphs("Iets anders."), catalog_for(paragraphs("De raketten zijn op.")))
    assert entry_state(entry(old, "De raketten zijn op.")) is EntryState.OBSOLETE
    po = update(paragraphs("De raketten zijn bijna op."), old)
    assert po[0].previous_msgid == "De raketten zijn op."
    assert entry_state(po[0]) is EntryState.FUZZY
    assert entry_state(entry(po, "De raketten zijn op.")) is EntryState.OBSOLETE


def test_a_dissimilar_new_entry_is_untranslated() -> None:
    old = catalog_for(paragraphs("De kat zit op de mat."))
    po = update(paragraphs("De kat zit op de mat.", "Raketten zijn duur."), old)
    new = entry(po, "Raketten zijn duur.")
    assert (new.msgstr, new.flags, new.previous_msgid) == ("", [], None)


def test_a_fuzzy_entry_edited_again_keeps_the_msgid_its_translation_was_made_for() -> None:
    old = catalog_for(paragraphs("De voorraad raketten is bijna op."))
    once = update(paragraphs("De voorraad raketten is al bijna op."), old)
    twice = update(paragraphs("De voorraad raketten is nu al bijna op."), once)
    assert twice[0].previous_msgid == "De voorraad raketten is bijna op."


def test_a_new_context_keeps_the_translation_as_fuzzy() -> None:
    old = catalog_for(paragraphs("Tekort aan ATACMS"))
    new = article(
        unit("Tekort aan ATACMS", 1, UnitKind.HEADING, context="heading"),
        unit("Tekort aan ATACMS", 3),
    )
    po = update(new, old)
    heading = entry(po, "Tekort aan ATACMS", "heading")
    assert (heading.msgstr, entry_state(heading)) == ("tEKORT AAN atacms", EntryState.FUZZY)
    assert (heading.previous_msgctxt, heading.previous_msgid) == (None, "Tekort aan ATACMS")
    assert entry_state(entry(po, "Tekort aan ATACMS")) is EntryState.TRANSLATED


def test_a_dropped_context_keeps_the_translation_as_fuzzy() -> None:
    old = catalog_for(article(unit("Inzet", 1, UnitKind.HEADING, context="heading")))
    po = update(paragraphs("Inzet"), old)
    assert (po[0].msgstr, entry_state(po[0])) == ("iNZET", EntryState.FUZZY)
    assert '#| msgctxt "heading"\n#| msgid "Inzet"\nmsgid "Inzet"\n' in catalog_text(po)


def test_a_removed_translated_entry_becomes_obsolete() -> None:
    old = catalog_for(paragraphs("Een.", "Dit gaat weg, helemaal."))
    po = update(paragraphs("Een."), old)
    gone = entry(po, "Dit gaat weg, helemaal.")
    assert (gone.obsolete, gone.msgstr) == (True, "dIT GAAT WEG, HELEMAAL.")
    assert catalog_text(po).endswith(
        '#~ msgid "Dit gaat weg, helemaal."\n#~ msgstr "dIT GAAT WEG, HELEMAAL."\n'
    )


def test_a_removed_untranslated_entry_is_dropped_as_msgmerge_drops_it() -> None:
    # gettext keeps no obsolete entry without a translation, whatever its comments say.
    old = update(paragraphs("Een.", "Nooit vertaald.", "Wel besproken.", "Twee."), None)
    entry(old, "Wel besproken.").tcomment = "ask the author"
    entry(old, "Twee.").msgstr = "Zwei."
    entry(old, "Twee.").tcomment = "checked"
    po = update(paragraphs("Een."), old)
    assert [(e.msgid, e.obsolete, e.tcomment) for e in po] == [
        ("Een.", False, ""),
        ("Twee.", True, "checked"),
    ]
    assert "# checked\n#~ msgid" in catalog_text(po)


def test_an_obsolete_entry_that_comes_back_is_revived_with_its_state() -> None:
    old = catalog_for(paragraphs("Een.", "Twee."))
    entry(old, "Twee.").flags = ["fuzzy"]
    entry(old, "Twee.").tcomment = "unsure"
    removed = update(paragraphs("Een."), old)
    assert entry(removed, "Twee.").obsolete
    back = update(paragraphs("Een.", "Twee."), removed)
    two = entry(back, "Twee.")
    assert (two.obsolete, two.msgstr, entry_state(two), two.tcomment) == (
        False,
        "tWEE.",
        EntryState.FUZZY,
        "unsure",
    )
    assert two.occurrences == [(PATH, "3")]
    assert len(back) == 2


def test_existing_obsolete_entries_are_kept() -> None:
    old = catalog_for(paragraphs("Een.", "Twee."))
    once = update(paragraphs("Een."), old)
    twice = update(paragraphs("Een.", "Drie, iets heel anders."), once)
    assert entry(twice, "Twee.").obsolete


def test_inserting_a_paragraph_turns_no_other_entry_fuzzy() -> None:
    texts = ["De titel van het stuk", "Eerste alinea over raketten.", "Tweede alinea, over tanks."]
    old = catalog_for(paragraphs(*texts))
    po = update(paragraphs(texts[0], "Een heel nieuwe zin hier.", *texts[1:]), old)
    assert [(e.msgid, entry_state(e)) for e in po] == [
        (texts[0], EntryState.TRANSLATED),
        ("Een heel nieuwe zin hier.", EntryState.UNTRANSLATED),
        (texts[1], EntryState.TRANSLATED),
        (texts[2], EntryState.TRANSLATED),
    ]
    assert entry(po, texts[2]).occurrences == [(PATH, "7")]


def test_update_does_not_change_its_inputs() -> None:
    template = template_from_article(paragraphs("Een nieuwe zin."), created=LATER)
    old = catalog_for(paragraphs("Een oude zin."))
    before = (catalog_text(template), catalog_text(old))
    update_catalog(template, old, language="de", now=LATER)
    assert (catalog_text(template), catalog_text(old)) == before


# Stable files: dates change only with content


def test_regenerating_an_unchanged_template_is_byte_identical(tmp_path: Path) -> None:
    path = write(tmp_path / "a.pot", template_from_article(seed_article(), created=CREATED))
    before = path.read_bytes()
    again = template_from_article(seed_article(), created=LATER)
    assert not content_changed(read_catalog(path), again)
    refreshed = refresh_template(again, read_catalog(path))
    assert catalog_text(refreshed).encode("utf-8") == before
    assert again.metadata["POT-Creation-Date"] == "2024-06-02 18:45+0000"  # input untouched


def test_a_changed_template_gets_the_new_date(tmp_path: Path) -> None:
    path = write(tmp_path / "a.pot", template_from_article(paragraphs("Een."), created=CREATED))
    new = template_from_article(paragraphs("Een.", "Twee."), created=LATER)
    assert content_changed(read_catalog(path), new)
    refreshed = refresh_template(new, read_catalog(path))
    assert refreshed.metadata["POT-Creation-Date"] == "2024-06-02 18:45+0000"
    assert refresh_template(new, None) is new


def test_updating_an_unchanged_catalog_is_byte_identical(tmp_path: Path) -> None:
    pot_path, po_path = tmp_path / "a.pot", tmp_path / "a.po"
    art = seed_article()
    write(pot_path, template_from_article(art, created=CREATED))
    po = translated(update_catalog(read_catalog(pot_path), None, language="de", now=CREATED))
    entry(po, "Ja").tcomment = "a long translator comment " * 6  # polib wraps it
    entry(po, "Inzet").flags = ["fuzzy"]
    write(po_path, po)
    write(po_path, read_catalog(po_path))  # settle polib's wrapping of long comments
    before = po_path.read_bytes()

    template = refresh_template(template_from_article(art, created=LATER), read_catalog(pot_path))
    again = update_catalog(template, read_catalog(po_path, language="de"), language="de", now=LATER)
    assert catalog_text(again).encode("utf-8") == before
    assert not write_catalog(po_path, again)


def test_po_revision_date_is_the_translators_and_never_moves_on_update() -> None:
    old = catalog_for(paragraphs("Een.", "Twee."))
    same = update_catalog(
        template_from_article(paragraphs("Een.", "Twee."), created=CREATED),
        old,
        language="de",
        now=LATER,
    )
    assert same.metadata["PO-Revision-Date"] == "2024-05-01 09:30+0200"
    changed = update(paragraphs("Een.", "Drie."), old)
    assert changed.metadata["PO-Revision-Date"] == "2024-05-01 09:30+0200"
    assert changed.metadata["POT-Creation-Date"] == "2024-06-02 18:45+0000"


def test_content_changed_ignores_only_the_dates() -> None:
    a = template_from_article(paragraphs("Een."), created=CREATED)
    b = template_from_article(paragraphs("Een."), created=LATER)
    assert not content_changed(a, b)
    assert content_changed(None, b)
    b[0].msgstr = "Eins."
    assert content_changed(a, b)


def test_write_catalog_writes_only_changes(tmp_path: Path) -> None:
    po = catalog_for(paragraphs("Een."))
    path = tmp_path / "de" / "a.po"
    assert write_catalog(path, po)
    assert not write_catalog(path, po)
    assert path.read_text(encoding="utf-8") == catalog_text(po)


# What other stages read


def test_translations_and_states() -> None:
    old = catalog_for(paragraphs("Een.", "Twee.", "Vier, weg ermee."))
    entry(old, "Twee.").flags = ["fuzzy"]
    po = update(paragraphs("Een.", "Twee.", "Drie."), old)
    assert [entry_state(e) for e in po] == [
        EntryState.TRANSLATED,
        EntryState.FUZZY,
        EntryState.UNTRANSLATED,
        EntryState.OBSOLETE,
    ]
    assert translations(po) == {(None, "Een."): "eEN."}
    assert translations(po, include_fuzzy=True) == {
        (None, "Een."): "eEN.",
        (None, "Twee."): "tWEE.",
    }


def test_a_fuzzy_flag_on_an_empty_msgstr_is_untranslated() -> None:
    assert entry_state(polib.POEntry(msgid="a", flags=["fuzzy"])) is EntryState.UNTRANSLATED


def test_count_catalog() -> None:
    old = catalog_for(paragraphs("Een twee drie.", "Vier vijf.", "Zes, weg ermee."))
    entry(old, "Vier vijf.").flags = ["fuzzy"]
    stats = count_catalog(
        update(paragraphs("Een twee drie.", "Vier vijf.", "Zeven acht negen tien."), old)
    )
    assert stats == CatalogStats(
        translated=1,
        translated_words=3,
        fuzzy=1,
        fuzzy_words=2,
        untranslated=1,
        untranslated_words=4,
    )
    assert (stats.entries, stats.words) == (3, 9)
    assert stats.percent_translated == pytest.approx(100 / 3)
    assert stats.as_dict()["fuzzy_words"] == 2
    assert CatalogStats().percent_translated == 100.0


# Reading: polib, babel and msgfmt agree on what we write


def as_read_by_polib(po: polib.POFile) -> list[tuple[object, ...]]:
    return [
        (
            e.msgctxt,
            e.msgid,
            e.msgstr,
            e.fuzzy,
            bool(e.obsolete),
            e.tcomment,
            e.previous_msgctxt,
            e.previous_msgid,
        )
        for e in po
    ]


def as_read_by_babel(path: Path) -> list[tuple[object, ...]]:
    """What babel reads: it keeps `#|` lines as (deduplicated) comments, so they are left out."""
    with path.open("rb") as handle:
        cat = read_po(handle)
    messages = [(m, False) for m in cat if m.id] + [(m, True) for m in cat.obsolete.values()]
    return [
        (
            m.context,
            m.id,
            m.string,
            m.fuzzy,
            obsolete,
            "\n".join(c for c in m.user_comments if not c.startswith("|")),
        )
        for m, obsolete in messages
    ]


def check_readers_agree(po: polib.POFile, directory: Path) -> None:
    path = write(directory / "x.po", po)
    expected = as_read_by_polib(po)
    assert as_read_by_polib(read_catalog(path)) == expected
    assert as_read_by_babel(path) == [row[:6] for row in expected]
    result = run_msgfmt(path)
    assert (result.returncode, result.stderr) == (0, "")
    assert catalog_text(read_catalog(path)) == catalog_text(po)


def test_polib_babel_and_msgfmt_read_the_same_catalog(tmp_path: Path) -> None:
    old = catalog_for(seed_article())
    entry(old, "Ja").tcomment = "short answer"
    entry(old, "Inzet").flags = ["fuzzy"]
    new = article(
        unit("Tekort aan ATACMS in Oekraïne!", 1, UnitKind.TITLE),
        unit("Tekort aan ATACMS", 3, UnitKind.HEADING, context="heading"),
        unit("Inzet", 5, UnitKind.HEADING),
        unit('Een regel\nmet een harde regeleinde en \\ en "quotes" en\ttab.', 7),
        unit("Door een machine vertaald.", 9),
    )
    po = update(new, old)
    key = (None, "Door een machine vertaald.")
    fill_entry(po, key, "Machine-translated.", fuzzy=True, note=machine_note("apertium"))
    assert {entry_state(e) for e in po} == set(EntryState)
    check_readers_agree(po, tmp_path)


# Random texts, with what segmenters can produce: no NUL, no line ending inside a line, and no
# U+0004, which gettext reserves (see the test above).
# \b, \v and \f are left out because babel's read_po does not decode those escapes;
# polib and msgfmt do (see the test after the property).
line_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",), blacklist_characters="\x00\x04\r\n\x08\x0b\x0c"
    ),
    min_size=1,
    max_size=120,
)
unit_text = st.lists(line_text, min_size=1, max_size=4).map("\n".join) | st.sampled_from(
    ['"', "\\", '\\"', "a\\nb", "\t", "x" * 300, ("woord " * 40).strip(), "€ — “ok” ☃ 😀"]
)


def random_article(texts: list[str], contexts: list[bool]) -> Article:
    return article(
        *(
            unit(text, 1 + i, context="heading" if heading else None)
            for i, (text, heading) in enumerate(zip(texts, contexts, strict=False))
        )
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    old_texts=st.lists(unit_text, min_size=1, max_size=5),
    new_texts=st.lists(unit_text, min_size=1, max_size=5),
    contexts=st.lists(st.booleans(), min_size=5, max_size=5),
)
def test_random_texts_round_trip_through_polib_babel_and_msgfmt(
    old_texts: list[str], new_texts: list[str], contexts: list[bool]
) -> None:
    old = catalog_for(random_article(old_texts, contexts))
    new_article = random_article(new_texts + old_texts[:1], contexts[::-1])
    template = template_from_article(new_article, created=LATER)
    po = update_catalog(template, old, language="de", now=LATER)
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        pot_path = write(directory / "x.pot", template)
        assert catalog_text(read_catalog(pot_path)) == catalog_text(template)
        result = run_msgfmt(pot_path)
        assert (result.returncode, result.stderr) == (0, "")
        check_readers_agree(po, directory)

        # Running the update again over what was written changes not a byte.
        tomorrow = LATER + timedelta(days=1)
        again = template_from_article(new_article, created=tomorrow)
        again = refresh_template(again, read_catalog(pot_path))
        assert catalog_text(again) == catalog_text(template)
        updated = update_catalog(
            again, read_catalog(directory / "x.po"), language="de", now=tomorrow
        )
        assert catalog_text(updated) == catalog_text(po)


def test_control_characters_babel_cannot_read_still_round_trip_through_polib_and_msgfmt(
    tmp_path: Path,
) -> None:
    po = catalog_for(paragraphs("form\ffeed", "vertical\vtab", "back\bspace", "sep\u2028line\x1c"))
    path = write(tmp_path / "x.po", po)
    assert as_read_by_polib(read_catalog(path)) == as_read_by_polib(po)
    assert run_msgfmt(path).returncode == 0


# Reading: what is refused, and where


HEADER = 'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        pytest.param('msgid "a\nmsgstr "b"\n', 6, "unterminated string", id="unterminated"),
        pytest.param('msgid "a"\nmsgstr "b\\"\n', 7, "unterminated string", id="escaped-end"),
        pytest.param('msgid a\nmsgstr "b"\n', 6, "missing opening quote", id="missing-quotes"),
        pytest.param('msgid "a"\nmsgstr\n', 7, "missing string", id="no-string"),
        pytest.param(
            'msgid "a"\nmsgstr "b"\n\nmsgstr "c"\n', 9, "msgstr without msgid", id="msgstr"
        ),
        pytest.param(
            'msgid "a"\n\nmsgid "c"\nmsgstr "d"\n', 6, "msgid without msgstr", id="no-msgstr"
        ),
        pytest.param('msgid "a"\nmsgstr "b"\n\nmsgid "c"\n', 9, "msgid without msgstr", id="eof"),
        pytest.param(
            'msgid "a"\nmsgstr "b"\n\nmsgctxt "x"\n', 9, "msgctxt without msgid", id="ctx"
        ),
        pytest.param(
            'msgid "a"\nmsgstr "b"\nhello world\n', 8, "unknown keyword 'hello'", id="garbage"
        ),
        pytest.param('msgid "a"\nmsgstrr "b"\n', 7, "unknown keyword 'msgstrr'", id="typo"),
        pytest.param('msgid "a"b"\nmsgstr "b"\n', 6, "unexpected text", id="unescaped-quote"),
        pytest.param('msgid "a\\q"\nmsgstr "b"\n', 6, "escape sequence '\\q'", id="bad-escape"),
        pytest.param('#. c\n"more"\nmsgid "a"\nmsgstr "b"\n', 7, "a string continues", id="orphan"),
        pytest.param('#| foo "x"\nmsgid "a"\nmsgstr "b"\n', 6, "previous-msgid", id="bad-previous"),
        pytest.param(
            'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 9, "duplicate entry", id="duplicate"
        ),
        pytest.param(
            'msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n',
            9,
            "duplicate",
            id="dup-obsolete",
        ),
        pytest.param('#~ msgid "a\n#~ msgstr "b"\n', 6, "unterminated string", id="obsolete"),
        pytest.param('msgid "a"\nmsgstr "b\x04"\n', 7, "U+0004", id="context-separator"),
    ],
)
def test_broken_catalogs_are_refused_at_the_right_line(
    tmp_path: Path, body: str, line: int, message: str
) -> None:
    path = tmp_path / "de.po"
    path.write_text(HEADER + body, encoding="utf-8")
    assert run_msgfmt(path).returncode != 0  # GNU gettext refuses it too
    with pytest.raises(CatalogError) as caught:
        read_catalog(path, display_path="locales/de/a.po")
    assert (caught.value.path, caught.value.line) == ("locales/de/a.po", line)
    assert message in caught.value.message
    assert str(caught.value).startswith(f"locales/de/a.po:{line}: ")


def test_a_comment_without_a_space_reads_as_msgfmt_reads_it(tmp_path: Path) -> None:
    # GNU gettext takes "#nospace" as a translator comment (polib refuses the line).
    path = tmp_path / "de.po"
    path.write_text(HEADER + '#nospace\nmsgid "a"\nmsgstr "b"\n', encoding="utf-8")
    assert run_msgfmt(path).returncode == 0
    (entry,) = read_catalog(path)
    assert (entry.tcomment, entry.msgid, entry.msgstr, entry.linenum) == ("nospace", "a", "b", 6)


def test_invalid_utf8_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "de.po"
    path.write_bytes(HEADER.encode() + b'msgid "a"\nmsgstr "\xff"\n')
    with pytest.raises(CatalogError, match="invalid UTF-8") as caught:
        read_catalog(path)
    assert caught.value.line == 7
    assert isinstance(caught.value.__cause__, UnicodeDecodeError)


def test_a_missing_file_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_catalog(tmp_path / "nope.po")


def test_a_catalog_in_another_language_is_refused_at_its_header_line(tmp_path: Path) -> None:
    path = write(tmp_path / "de.po", catalog_for(paragraphs("Een."), language="fr"))
    header_line = catalog_text(read_catalog(path)).splitlines().index('"Language: fr\\n"') + 1
    with pytest.raises(CatalogError) as caught:
        read_catalog(path, language="de", display_path="locales/de/a.po")
    assert (caught.value.path, caught.value.line) == ("locales/de/a.po", header_line)
    assert "'fr'" in caught.value.message and "'de'" in caught.value.message


@pytest.mark.parametrize("declared", ["pt_BR", "pt-BR", "pt_br", ""])
def test_language_spellings_are_compared_loosely(tmp_path: Path, declared: str) -> None:
    po = catalog_for(paragraphs("Een."), language="pt-BR")
    po.metadata["Language"] = declared
    path = write(tmp_path / "pt-BR.po", po)
    assert len(read_catalog(path, language="pt-BR")) == 1


def test_gnu_style_catalogs_are_read(tmp_path: Path) -> None:
    text = (
        "# Anna's notes.\r\n"
        + HEADER.replace("\n", "\r\n")
        + "# translator\r\n#. extracted\r\n#: a.txt:3 a.txt:9\r\n#, fuzzy\r\n"
        + '#| msgctxt "heading"\r\n#| msgid ""\r\n#| "Old"\r\n'
        + 'msgctxt "heading"\r\nmsgid ""\r\n"Long text "\r\n"wrapped"\r\nmsgstr "Lang"\r\n\r\n'
        + '#~ msgid "Gone"\r\n#~ msgstr ""\r\n#~ "Weg"\r\n'
    )
    path = tmp_path / "de.po"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    po = read_catalog(path, language="de")
    assert as_read_by_polib(po) == [
        ("heading", "Long text wrapped", "Lang", True, False, "translator", "heading", "Old"),
        (None, "Gone", "Weg", False, True, "", None, None),
    ]


def test_a_translators_plural_forms_and_flags_survive_an_update(tmp_path: Path) -> None:
    """A plural entry a translator's tool wrote keeps its msgid_plural (msgfmt refuses
    msgstr[n] without it), and flags a translator set stay on an unchanged entry."""
    old = catalog_for(paragraphs("Een.", "Twee."))
    first = old.entries[0]
    first.msgid_plural = "Enen."
    first.msgstr_plural = {0: "One.", 1: "Ones."}
    first.msgstr = ""
    first.flags = ["no-wrap", "locpipe-ignore-length"]
    po = update(paragraphs("Een.", "Twee.", "Drie."), old)
    carried = entry(po, "Een.")
    assert (carried.msgid_plural, carried.msgstr_plural) == ("Enen.", {0: "One.", 1: "Ones."})
    assert carried.flags == ["no-wrap", "locpipe-ignore-length"]
    result = run_msgfmt(write(tmp_path / "de.po", po))
    assert (result.returncode, result.stderr) == (0, "")


def test_a_new_catalog_is_made_only_from_a_template_and_its_own_rendering() -> None:
    from locpipe.catalog import Catalog, Entry, catalog_bytes, new_catalog_bytes

    now = datetime(2024, 6, 2, 10, 45, tzinfo=UTC)
    template = Catalog([Entry(msgid="Tekort aan ATACMS")], "Translations of a.txt.")
    made = new_catalog_bytes(template, catalog_bytes(template), language="en", now=now)
    assert made.endswith(b'\n\nmsgid "Tekort aan ATACMS"\nmsgstr ""\n')
    other = Catalog([Entry(msgid="Angst voor escalatie")], "Translations of b.txt.")
    with pytest.raises(ValueError, match="rendering"):
        new_catalog_bytes(template, catalog_bytes(other), language="en", now=now)
    for entry in (
        Entry(msgid="Tekort", msgstr="Shortage"),
        Entry(msgid="Oud", msgstr="Old", obsolete=True),
    ):
        translated = Catalog([entry])
        with pytest.raises(ValueError, match="not a template"):
            new_catalog_bytes(translated, catalog_bytes(translated), language="en", now=now)
