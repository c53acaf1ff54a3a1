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
    assert (root / "articles" / "en" / "_index.md").read_text(encoding="utf-8") == PROSE_FREE

    source.write_text(WITH_PROSE, encoding="utf-8")
    again = api.run_project(project, engine=engine)
    assert again.exit_code == EXIT_OK
    revived = polib.pofile(str(english))
    assert [(e.msgid, e.msgstr, e.obsolete) for e in revived] == [
        ("Blog", "Translator: Blog", 0),
        ("Alle berichten.", "Translator: Alle berichten.", 0),
    ]
    built = (root / "articles" / "en" / "_index.md").read_text(encoding="utf-8")
    assert (
        built == '---\ntitle: "Translator: Blog"\nweight: 2\n---\n\nTranslator: Alle berichten.\n'
    )
