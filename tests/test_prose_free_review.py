"""An article that loses its prose and gets it back: its catalogs keep every translation,
and nothing of a catalog it no longer uses is sent to an engine in between."""

from __future__ import annotations

from pathlib import Path

import polib

from locpipe import api
from locpipe.engines.fake import FakeEngine
from locpipe.project import load_project
from locpipe.results import EXIT_OK, Status

from .conftest import assert_msgfmt_clean, write_project

WITH_PROSE = "---\ntitle: Blog\nweight: 2\n---\n\nAlle berichten.\n"
PROSE_FREE = "---\nweight: 2\n---\n"


def test_a_catalog_of_an_article_that_lost_its_prose_is_kept_obsolete_and_revived(
    tmp_path: Path,
) -> None:
    root = write_project(tmp_path / "site")
    (root / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    source = root / "articles" / "nl" / "_index.md"
    source.write_text(WITH_PROSE, encoding="utf-8")
    project = load_project(root)
    api.extract(project)
    english = root / "locales" / "en" / "_index.po"
    po = polib.pofile(str(english))
    for entry in po:
        entry.msgstr = f"Translator: {entry.msgid}"
    po.save()

    sent: list[str] = []
    engine = FakeEngine(lambda text: sent.append(text) or f"EN {text}")
    source.write_text(PROSE_FREE, encoding="utf-8")
    result = api.run_project(project, engine=engine)
    assert result.exit_code == EXIT_OK
    # The German catalog's untranslated entries went to no engine: nothing uses them.
    assert sent == []
    statuses = {(o.language, o.status) for o in result.extracted.outcomes}
    assert statuses == {
        (None, Status.PROSE_FREE),
        ("en", Status.PROSE_FREE),
        ("de", Status.PROSE_FREE),
    }
    kept = polib.pofile(str(english))
    assert [(e.msgid, e.msgstr, e.obsolete) for e in kept] == [
        ("Blog", "Translator: Blog", 1),
        ("Alle berichten.", "Translator: Alle berichten.", 1),
    ]
    assert_msgfmt_clean(english)
    # No tool reading the template (Weblate, Poedit's update) offers the old strings any more.
    template = root / "locales" / "templates" / "_index.pot"
    assert list(polib.pofile(str(template))) == []
    assert_msgfmt_clean(template)
    assert (root / "articles" / "en" / "_index.md").read_text(encoding="utf-8") == PROSE_FREE

    source.write_text(WITH_PROSE, encoding="utf-8")
    again = api.run_project(project, engine=engine)
    assert again.exit_code == EXIT_OK
    assert [e.msgid for e in polib.pofile(str(template))] == ["Blog", "Alle berichten."]
    revived = polib.pofile(str(english))
    assert [(e.msgid, e.msgstr, e.obsolete) for e in revived] == [
        ("Blog", "Translator: Blog", 0),
        ("Alle berichten.", "Translator: Alle berichten.", 0),
    ]
    built = (root / "articles" / "en" / "_index.md").read_text(encoding="utf-8")
    assert (
        built == '---\ntitle: "Translator: Blog"\nweight: 2\n---\n\nTranslator: Alle berichten.\n'
    )


def test_a_hand_made_localized_copy_of_a_prose_free_article_is_kept(tmp_path: Path) -> None:
    # Nothing in it is a unit, so a localized slug or menu can only be made by hand.
    root = write_project(tmp_path / "site")
    (root / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    source = root / "articles" / "nl" / "over" / "_index.md"
    source.parent.mkdir(parents=True)
    source.write_text("+++\nweight = 1\nslug = 'over'\n+++\n", encoding="utf-8")
    english = root / "articles" / "en" / "over" / "_index.md"
    german = root / "articles" / "de" / "over" / "_index.md"
    english.parent.mkdir(parents=True)
    hand_made = "+++\nweight = 1\nslug = 'about'\n+++\n"
    english.write_text(hand_made, encoding="utf-8")
    project = load_project(root)

    def build() -> dict[str | None, str]:
        result = api.build(project)
        assert result.exit_code == EXIT_OK
        assert {o.status for o in result.outcomes} <= {Status.PROSE_FREE, Status.UNCHANGED}
        return {o.language: o.detail for o in result.outcomes}

    details = build()
    assert "kept the localized file made by hand" in details["en"]
    assert english.read_text(encoding="utf-8") == hand_made
    assert german.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")

    # The source changes: build's own copy follows it, the hand-made one stays.
    source.write_text("+++\nweight = 2\nslug = 'over'\n+++\n", encoding="utf-8")
    details = build()
    assert "kept" in details["en"] and details["de"] == "nothing to translate: copied as it is"
    assert english.read_text(encoding="utf-8") == hand_made
    assert german.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")

    # Edited again by hand, it is still the translator's; deleted, build copies again.
    english.write_text(hand_made.replace("about", "about-us"), encoding="utf-8")
    source.write_text("+++\nweight = 3\nslug = 'over'\n+++\n", encoding="utf-8")
    assert "kept" in build()["en"]
    assert "about-us" in english.read_text(encoding="utf-8")
    english.unlink()
    assert build()["en"] == "nothing to translate: copied as it is"
    assert english.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")


def test_stats_shows_an_article_that_lost_its_prose_as_prose_free(tmp_path: Path) -> None:
    root = write_project(tmp_path / "site")
    source = root / "articles" / "nl" / "kop.md"
    source.write_text("---\ntitle: Een kop\n---\n", encoding="utf-8")
    project = load_project(root)
    api.extract(project)
    source.write_text("---\nweight: 1\n---\n", encoding="utf-8")
    api.extract(project)
    assert (root / "locales" / "en" / "kop.po").exists()  # kept, for when the title returns
    rows = {(r.article, r.language): r for r in api.stats(project).rows}
    assert rows["kop", "en"].prose_free and rows["kop", "en"].stats is None
