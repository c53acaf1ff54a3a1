"""Reassembling HTML: translations go back escaped, the source's tags may move but never grow,
and the document says which language it is in."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from locpipe.assemble import assemble_article, is_right_to_left
from locpipe.cli import main
from locpipe.model import Article
from locpipe.segment import segment_article

from .conftest import write_project


def article(text: str) -> Article:
    return segment_article(text.encode("utf-8"), path="a.html", name="a")


def build(text: str, translations: dict[str, str], language: str | None = None) -> str:
    """The document with each msgid in ``translations`` replaced."""
    source = article(text)
    keys = {unit.text: unit.key for unit in source.units}
    chosen = {keys[msgid]: msgstr for msgid, msgstr in translations.items()}
    return assemble_article(source, chosen, language=language).text


def test_the_identity_translation_gives_back_the_source() -> None:
    text = "<html lang=nl>\r\n<p class='x'>Kyiv &amp; <b>Moskou</b>\r\n  caf&eacute;<p>Twee"
    source = article(text)
    rebuilt = assemble_article(source, {u.key: u.text for u in source.units})
    assert rebuilt.text == text


def test_a_translator_cannot_add_markup() -> None:
    built = build(
        "<p>Zie <b>dit</b></p>",
        {"Zie <b>dit</b>": 'See <b>this</b> <script>alert(1)</script> <b>twice</b> <img src=x "'},
    )
    assert built == (
        "<p>See <b>this</b> &lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;twice&lt;/b&gt; "
        '&lt;img src=x "</p>'
    )


def test_the_source_tags_may_move_and_keep_their_spelling() -> None:
    built = build(
        '<p>Het <a\n  href="/k">Kremlin</a> zegt <em>niets</em></p>',
        {
            'Het <a href="/k">Kremlin</a> zegt <em>niets</em>': (
                'The <em>Kremlin</em> says <a href="/k">nothing</a>'
            )
        },
    )
    assert built == '<p>The <em>Kremlin</em> says <a\n  href="/k">nothing</a></p>'


def test_entities_keep_the_source_spelling_and_new_characters_are_escaped() -> None:
    built = build(
        "<p>Caf&eacute; &amp; co: 10&nbsp;km &lt;snel&gt;</p>",
        {"Café & co: 10&nbsp;km &lt;snel&gt;": "Café & co < 10&nbsp;km &lt;fast&gt; &copy; é"},
    )
    assert built == "<p>Caf&eacute; &amp; co &lt; 10&nbsp;km &lt;fast&gt; &copy; &eacute;</p>"


def test_attribute_translations_are_escaped_for_their_quotes() -> None:
    built = build(
        "<img alt='Een raket' title=Lancering><input placeholder=\"Zoek &amp; vind\">",
        {
            "Een raket": "A 'missile'",
            "Lancering": "A launch & more",
            "Zoek & vind": 'Search "here" <now>',
        },
    )
    assert built == (
        "<img alt='A &#39;missile&#39;' title=\"A launch &amp; more\">"
        '<input placeholder="Search &quot;here&quot; &lt;now&gt;">'
    )


def test_line_breaks_in_a_translation_take_the_documents_line_ending() -> None:
    built = build("<p>Een\r\ntwee</p>\r\n", {"Een twee": "One\ntwo"})
    assert built == "<p>One\r\ntwo</p>\r\n"


@pytest.mark.parametrize(
    ("source", "language", "expected"),
    [
        ('<!DOCTYPE html>\n<html lang="nl">', "en", '<!DOCTYPE html>\n<html lang="en">'),
        ("<html class=a lang=nl>", "pt_BR", '<html class=a lang="pt-BR">'),
        ("<HTML>", "de", '<HTML lang="de">'),
        ("<html lang='nl' dir=ltr>", "ar", "<html lang='ar' dir=\"rtl\">"),
        ('<html lang="nl" xml:lang="nl">', "he", '<html dir="rtl" lang="he" xml:lang="he">'),
        ('<html lang="nl" dir="ltr">', "en", '<html lang="en" dir="ltr">'),
        (
            "<!-- <html lang=nl> -->\n<html lang=nl>",
            "en",
            '<!-- <html lang=nl> -->\n<html lang="en">',
        ),
    ],
)
def test_the_html_tag_names_the_target_language(source: str, language: str, expected: str) -> None:
    text = f"{source}<title>Titel</title>"
    assert build(text, {}, language) == f"{expected}<title>Titel</title>"
    assert build(text, {}) == text  # no target language: nothing changes


def test_a_fragment_and_other_formats_get_no_language() -> None:
    assert build("<p>Tekst</p>", {}, "en") == "<p>Tekst</p>"
    plain = segment_article(b"<html lang=nl>\n\nTekst\n", path="a.txt", name="a")
    assert assemble_article(plain, {}, language="en").text == "<html lang=nl>\n\nTekst\n"


def test_right_to_left_languages_come_from_cldr() -> None:
    assert [is_right_to_left(code) for code in ("ar", "fa", "he", "ur", "en", "nl", "xx")] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]


def test_build_writes_html_in_the_target_language(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", ("en",))
    source = '<!DOCTYPE html>\n<html lang="nl">\n<title>Raketten</title>\n<p>Tekort</p>\n'
    (root / "articles/nl/nieuws.htm").write_text(source, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["extract", "--project", str(root)]).exit_code == 0
    po_path = root / "locales/en/nieuws.po"
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = {"Raketten": "Missiles", "Tekort": "Shortage"}[entry.msgid]
    po.save()
    result = runner.invoke(main, ["build", "--project", str(root)])
    assert result.exit_code == 0, result.output
    built = (root / "articles/en/nieuws.htm").read_text(encoding="utf-8")
    assert built == '<!DOCTYPE html>\n<html lang="en">\n<title>Missiles</title>\n<p>Shortage</p>\n'


def test_machine_translation_leaves_the_inline_tags_of_html_alone(tmp_path: Path) -> None:
    # apertium would translate the link's path (buitenland -> buiteland) were tags not masked.
    root = write_project(tmp_path / "project", ("af",))
    source = '<html lang="nl">\n<p>Lees meer over <a href="/buitenland">het buitenland</a>.</p>\n'
    (root / "articles/nl/nieuws.html").write_text(source, encoding="utf-8")
    result = CliRunner().invoke(main, ["run", "--project", str(root)])
    assert result.exit_code == 0, result.output
    built = (root / "articles/af/nieuws.html").read_text(encoding="utf-8")
    assert built.startswith('<html lang="af">\n<p>')
    assert '<a href="/buitenland">' in built
    assert "&lt;" not in built
