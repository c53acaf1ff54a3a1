"""Masking: what an engine must give back byte for byte does, through every engine, and
output that failed verification is never published."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner, Result
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from locpipe import api, load_project
from locpipe.cache import TranslationCache
from locpipe.engines import Protection
from locpipe.engines.fake import FakeEngine
from locpipe.glossary import Glossary, protect, restore, verify_translation
from locpipe.model import GlossaryTerm, TermRule
from locpipe.protect import Markup, masked_spans, span_texts
from locpipe.provenance import read_provenance

from .conftest import GLOSSARY, write_libre_project, write_project
from .libre_server import MANGLED, LibreServer
from .test_properties import md_article

KEEP = ("ATACMS", "Storm Shadow", "Kyiv")
GLOSSARY_TERMS = Glossary(
    (
        GlossaryTerm("ATACMS", TermRule.KEEP),
        GlossaryTerm("Koersk", TermRule.TRANSLATE, (("en", "Kursk"), ("af", "Koersk"))),
    )
)
MARKDOWN = """\
# Raketten op Koersk

Zie [de kaart van Koersk](https://example.org/tag/Koersk "Koersk op de kaart") en
`koersk --help` voor de details, of <https://example.org/Koersk>.

De <b>raketten</b> vielen op Koersk &amp; omgeving, zie ook ![foto van Koersk](koersk.png).

- Lees [het verslag](../verslag.md) over ATACMS op www.example.org/Koersk.
"""


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main_command(), list(args))


def main_command():  # type: ignore[no-untyped-def]
    from locpipe.cli import main

    return main


# The masking itself


def test_masked_spans_cover_what_markdown_does_not_translate() -> None:
    text = 'Zie [de kaart](https://x.nl/Koersk "titel"), `code`, <b>vet</b>, &amp; en www.x.nl.'
    assert span_texts(text, markup="markdown") == [
        "[",
        '](https://x.nl/Koersk "titel")',
        "`code`",
        "<b>",
        "</b>",
        "&amp;",
        "www.x.nl",
    ]


def test_terms_inside_masked_spans_are_left_alone() -> None:
    form = Protection(token="{{{n}}}")
    text = "Koersk: [meer over Koersk](https://example.org/tag/Koersk)"
    sent = protect(text, GLOSSARY_TERMS, "en", form, markup="markdown")
    assert "example.org/tag/Koersk" not in sent.text  # masked whole, not term by term
    assert sent.targets == ("Kursk", "[", "Kursk", "](https://example.org/tag/Koersk)")
    out, problems = restore(sent.text, sent, form)
    assert problems == []
    assert out == "Kursk: [meer over Kursk](https://example.org/tag/Koersk)"
    assert verify_translation(text, out, GLOSSARY_TERMS, "en", form, markup="markdown") == []


inline_markdown = st.lists(
    st.sampled_from(
        [
            "tekst ",
            "`code` ",
            "[link](https://x.nl/a_b) ",
            '[link](<a b> "t") ',
            "![alt](p.png) ",
            "<https://x.nl> ",
            "<b>",
            "</b>",
            "&amp; ",
            "&#124; ",
            "\\* ",
            "C:\\",
            "<!-- x -->",
            '<a href="?a&amp;b">',
            "*nadruk* ",
            "**vet** ",
            "www.x.nl/p ",
            "{props.x} ",
            "[^1] ",
            '{{< ref "a" >}} ',
            "ATACMS ",
            "Koersk ",
            "Koersk-regio ",
            "{0} ",
            "[",
            "]",
            "(",
            ")",
        ]
    ),
    max_size=12,
).map("".join)


@settings(deadline=None)
@given(
    inline_markdown,
    st.sampled_from(["token", "markup", "plain"]),
    st.sampled_from(["markdown", "html", "plain"]),
)
def test_masking_then_restoring_gives_the_text_back_byte_for_byte(
    text: str, kind: str, markup: Markup
) -> None:
    form = {
        "token": Protection(token="{{{n}}}"),
        "markup": Protection(markup=True, open="<code>", close="</code>"),
        "plain": Protection(plain=True),
    }[kind]
    glossary = Glossary((GlossaryTerm("ATACMS", TermRule.KEEP),))
    sent = protect(text, glossary, "en", form, markup=markup)
    out, problems = restore(sent.text, sent, form)  # an engine that changes nothing
    assert problems == []
    assert out == text
    assert verify_translation(text, out, glossary, "en", form, markup=markup) == []
    spans = masked_spans(text, markup=markup)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def test_a_moved_or_changed_link_target_fails_verification() -> None:
    form = Protection(token="{{{n}}}")
    source = "Zie [de kaart](https://x.nl/kaart) en `code`."
    broken = "See [the map](https://x.nl/map) and `code`."
    problems = verify_translation(source, broken, Glossary(), "en", form, markup="markdown")
    assert problems == ["masked markup changed: '](https://x.nl/kaart)'"]


def test_a_term_that_occurs_twice_must_come_back_twice() -> None:
    form = Protection(token="{{{n}}}")
    source = "ATACMS hier, ATACMS daar."
    problems = verify_translation(source, "ATACMS here, there.", GLOSSARY_TERMS, "en", form)
    assert problems == ["keep term 'ATACMS' occurs 1 times of 2"]


def test_a_keep_term_comes_back_as_the_source_spells_it() -> None:
    glossary = Glossary((GlossaryTerm("atacms", TermRule.KEEP, case_sensitive=False),))
    form = Protection(token="{{{n}}}")
    sent = protect("De ATACMS vloog.", glossary, "en", form)
    assert sent.targets == ("ATACMS",)
    assert restore(sent.text.replace("De", "The"), sent, form)[0] == "The ATACMS vloog."


# Retrying in the next form


X_TAGS = Protection(markup=True, open="<x>", close="</x>")


class _MarkupFirst(FakeEngine):
    fallback_forms = (Protection(token="<<{n}>>"), Protection(plain=True))


def _sabotage_markup(text: str) -> str:
    """An engine that keeps tags but 'corrects' what is inside them, like a careless LLM."""
    for term, mangled in {"ATACMS": "Atacms", "Kyiv": "Kiev"}.items():
        text = text.replace(term, mangled)
    return text


def test_a_unit_that_fails_is_retried_in_the_next_form_and_the_form_is_remembered(
    project: Path,
) -> None:
    (project / "glossary").mkdir()
    shutil.copy(GLOSSARY, project / "glossary/terms.csv")
    write_project(project, ("en", "de", "af"), engine="apertium")
    loaded = load_project(project)
    api.extract(loaded)
    engine = _MarkupFirst(_sabotage_markup, protection=X_TAGS)
    result = api.pretranslate(loaded, ["en"], engine=engine)
    (summary,) = result.languages
    assert (summary.machine, summary.failed_verification) == (summary.entries, 0)
    retried = [text for text in engine.sent if "<<" in text]
    assert retried and all("<x>" not in text for text in retried)
    po = polib.pofile(str(project / "locales/en/atacms.po"))
    for entry in po:
        assert not any(wrong in entry.msgstr for wrong in ("Atacms", "Kiev"))
        assert read_provenance(entry).passed

    # The next text starts in the form that worked.
    source = project / "articles/nl/atacms.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\n\nNog meer ATACMS.\n", "utf-8")
    api.extract(loaded)
    again = _MarkupFirst(_sabotage_markup, protection=X_TAGS)
    api.pretranslate(loaded, ["en"], engine=again)
    assert again.sent and all("<x>" not in text for text in again.sent)


# Done when: the sabotaging LibreTranslate-compatible server


def test_a_server_that_translates_inside_tags_still_fills_every_entry_correctly(
    libre: LibreServer, tmp_path: Path
) -> None:
    libre.state.sabotage_tags = True
    root = write_libre_project(tmp_path, libre.url)
    assert invoke("extract", "--project", str(root)).exit_code == 0
    # As if an earlier run had found the HTML form to work: this server breaks it now.
    cache = TranslationCache(root / ".locpipe/cache.sqlite")
    cache.remember_form("libre", "nl", "en", "markup <code>")
    cache.close()
    result = invoke("run", "--project", str(root), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "27 machine-translated, 0 failed verification" in result.stdout
    first, *retried = libre.state.texts
    assert "<code>" in first and retried and all("<code>" not in t for t in retried[-5:])
    po = polib.pofile(str(root / "locales/en/atacms.po"))
    assert all(read_provenance(e).passed for e in po), [e.msgid for e in po if not e.flags]
    published = (root / "articles/en/atacms.txt").read_text(encoding="utf-8")
    assert not any(wrong in published for wrong in MANGLED.values())
    assert all(term in published for term in KEEP)
    before = libre.state.requests
    assert invoke("run", "--project", str(root), "--lang", "en").exit_code == 0
    assert libre.state.requests == before  # a second run sends nothing
    cache = TranslationCache(root / ".locpipe/cache.sqlite")
    assert cache.form("libre", "nl", "en") == "tokens {n}"  # remembered for the next text
    cache.close()


# Done when: failed output is never published


def test_build_include_fuzzy_never_publishes_output_that_failed_verification(
    libre: LibreServer, tmp_path: Path
) -> None:
    root = write_libre_project(tmp_path, libre.url)
    assert invoke("extract", "--project", str(root)).exit_code == 0
    libre.state.faults.extend(["drop-tokens", "drop-tokens", "drop-code"])
    assert invoke("pretranslate", "--project", str(root), "--lang", "en").exit_code == 0
    po = polib.pofile(str(root / "locales/en/atacms.po"))
    failed = [e for e in po if read_provenance(e).failed]
    assert failed
    # --strict refuses what fails a check among what is published, and failed output never
    # is: it must neither be reported nor hold the article back.
    args = ("--include-fuzzy", "--strict", "--min-translated", "0")
    result = invoke("build", "--project", str(root), *args)
    assert result.exit_code == 0, result.output
    assert "check:" not in result.output
    published = (root / "articles/en/atacms.txt").read_text(encoding="utf-8")
    for entry in failed:
        assert entry.msgstr not in published
        assert entry.msgid in published  # the source text stays instead
    assert not any(wrong in published for wrong in MANGLED.values())


# Done when: real apertium on Markdown


def test_apertium_gives_back_every_url_code_span_and_tag_byte_for_byte(
    apertium: None,
    tmp_path: Path,
) -> None:
    root = write_project(tmp_path, ("en", "de", "af"), engine="apertium")
    (root / "articles/nl/kaart.md").write_text(MARKDOWN, encoding="utf-8")
    (root / "glossary").mkdir()
    shutil.copy(GLOSSARY, root / "glossary/terms.csv")
    result = invoke("run", "--project", str(root), "--lang", "af")
    assert result.exit_code == 0, result.output
    po = polib.pofile(str(root / "locales/af/kaart.po"))
    for entry in po:
        assert read_provenance(entry).passed, entry.tcomment
        assert span_texts(entry.msgstr, markup="markdown") == span_texts(
            entry.msgid, markup="markdown"
        )
    published = (root / "articles/af/kaart.md").read_text(encoding="utf-8")
    for exact in (
        '(https://example.org/tag/Koersk "Koersk op de kaart")',
        "`koersk --help`",
        "<https://example.org/Koersk>",
        "<b>",
        "</b>",
        "&amp;",
        "(koersk.png)",
        "(../verslag.md)",
        "www.example.org/Koersk",
    ):
        assert exact in published, exact


# What engines say about their own output, and texts longer than an engine takes


class _ShortEngine(FakeEngine):
    max_chars = 40


def test_a_text_longer_than_the_engine_takes_goes_sentence_by_sentence() -> None:
    from locpipe.engines.dispatch import RetryPolicy, dispatch

    long = "Een eerste korte zin hier. Een tweede zin erna.  En nog een derde zin."
    too_long = "Dit is een enkele zin die veel langer is dan veertig tekens."
    engine = _ShortEngine(lambda text: text.upper())
    result = dispatch(
        engine, [long, too_long, "Kort."], source="nl", target="en", workers=2, policy=RetryPolicy()
    )
    assert result.translations[long] == long.upper()
    assert all(len(text) <= 40 for text in engine.sent)
    assert result.translations["Kort."] == "KORT."
    assert too_long not in result.translations and too_long in result.refused
    assert result.error is None  # one text's problem; pretranslate reports it for that unit
    assert "longer than the 40 characters" in result.refused[too_long]


def test_apertium_notes_the_words_it_did_not_know(apertium: None, tmp_path: Path) -> None:
    root = write_project(tmp_path, ("en", "de", "af"), engine="apertium")
    (root / "articles/nl/kort.txt").write_text(
        "Titel\n\nDe Oekraïense strijdkrachten vuurden gisteren quasiflurbige raketten af.\n",
        encoding="utf-8",
    )
    result = invoke("run", "--project", str(root), "--lang", "af")
    assert result.exit_code == 0, result.output
    assert "flagged uncertain by the engine" in result.stdout
    po = polib.pofile(str(root / "locales/af/kort.po"))
    notes = [e.tcomment for e in po if "unknown to apertium" in e.tcomment]
    assert notes and all("machine translation by apertium (" in note for note in notes)


# A placeholder-preserving identity engine publishes every article exactly as its source


def _identity_project(root: Path, name: str, data: bytes) -> Path:
    """A project with ``data`` as its article and the repository's keep terms (an agreed
    translation would rightly change the text)."""
    write_project(root, ("en", "de", "af"), engine="apertium")
    (root / "glossary").mkdir(exist_ok=True)
    rows = GLOSSARY.read_text(encoding="utf-8").splitlines()
    kept = [rows[0], *(row for row in rows[1:] if ",keep," in row)]
    (root / "glossary/terms.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    (root / "articles/nl" / name).write_bytes(data)
    return root


def _published_by_identity(root: Path, name: str) -> bytes:
    project = load_project(root)
    result = api.run_project(project, ["en"], engine=FakeEngine(lambda text: text))
    assert result.exit_code == 0, [o.detail for s in result.stages for o in s.problems]
    assert result.pretranslated.languages[0].failed_verification == 0
    return (root / "articles/en" / name).read_bytes()


@pytest.mark.parametrize(
    "source",
    sorted(
        p for p in (Path(__file__).parent / "golden").glob("*/article.*") if p.stat().st_size > 20
    ),
    ids=lambda p: p.parent.name,
)
def test_an_identity_engine_publishes_every_golden_article_as_its_source(
    source: Path, tmp_path: Path
) -> None:
    root = _identity_project(tmp_path / "p", f"a{source.suffix}", source.read_bytes())
    expected = source.read_bytes()
    if source.suffix == ".html":  # the page names its language, which build sets
        expected = expected.replace(b'lang="nl"', b'lang="en"')
    assert _published_by_identity(root, f"a{source.suffix}") == expected


@settings(deadline=None, max_examples=25)
@given(md_article())
def test_an_identity_engine_publishes_any_markdown_as_its_source(data: bytes) -> None:
    import tempfile

    from locpipe.segment import segment_article

    assume(segment_article(data, path="a.md", name="a").units)  # an empty one is not built
    with tempfile.TemporaryDirectory() as folder:
        root = _identity_project(Path(folder), "a.md", data)
        assert _published_by_identity(root, "a.md") == data


def test_spans_inside_image_alt_text_are_not_misplaced() -> None:
    """markdown-it parses alt text on its own: positions there are not the unit's."""
    text = "Zie ![de `kaart` van Kyiv &copy; AP](x.png) nu."
    assert span_texts(text, markup="markdown") == ["![", "](x.png)"]
    form = Protection(token="{{{n}}}")
    sent = protect(text, GLOSSARY_TERMS, "en", form, markup="markdown")
    out, problems = restore(sent.text, sent, form)
    assert (out, problems) == (text, [])
    assert verify_translation(text, out, GLOSSARY_TERMS, "en", form, markup="markdown") == []


def test_reference_links_keep_their_labels() -> None:
    text = "Lees het [rapport][bron] en de [bijlage], of [het][]."
    assert span_texts(text, markup="markdown") == ["[", "][bron]", "[bijlage]", "[het][]"]
    form = Protection(token="{{{n}}}")
    broken = "Read the [report][source] and the [appendix], or [it][]."
    problems = verify_translation(text, broken, Glossary(), "en", form, markup="markdown")
    assert problems and problems[0].startswith("masked markup changed")


def test_a_links_destination_is_kept_when_its_text_holds_brackets() -> None:
    # Read as a reference, [opties] would be a link inside the link, which then is none; a
    # README's table of contents ([[options]](#options)) had its anchors translated.
    text = "Zie [[opties]](#options), [f(a[, b])](#f-a-b) en [een [noot]](https://x.nl)."
    assert span_texts(text, markup="markdown") == [
        "[",
        "[opties]",
        "](#options)",
        "[",
        "[, b]",
        "](#f-a-b)",
        "[",
        "[noot]",
        "](https://x.nl)",
    ]
    form = Protection(token="{{{n}}}")
    broken = "See [[options]](#opties), [f(a[, b])](#f-a-b) and [a [note]](https://x.nl)."
    problems = verify_translation(text, broken, Glossary(), "en", form, markup="markdown")
    assert problems and problems[0].startswith("masked markup changed")
    # A bracket inside the destination or title: the two readings' spans are joined.
    text = 'Zie [[x]](docs/a[1].md) en [[Tip]](#tip "Meer [info]").'
    assert span_texts(text, markup="markdown") == [
        "[",
        "[x]",
        "](docs/a[1].md)",
        "[",
        "[Tip]",
        '](#tip "Meer [info]")',
    ]


def test_emoji_and_icon_shortcodes_are_masked_but_times_are_not() -> None:
    text = (
        "Klaar :white_check_mark: met :material-check: en :+1::skin-tone-2: om 10:30:00, "
        "zie a::b:c en std::x."
    )
    assert span_texts(text, markup="markdown") == [
        ":white_check_mark:",
        ":material-check:",
        ":+1::skin-tone-2:",
    ]


def _two_article_project(root: Path) -> Path:
    write_project(root, ("en", "de", "af"), engine="apertium")
    (root / "glossary").mkdir(exist_ok=True)
    shutil.copy(GLOSSARY, root / "glossary/terms.csv")
    (root / "articles/nl/a.md").write_text("Titel\n\nGebruik `git status` nu.\n", "utf-8")
    (root / "articles/nl/b.txt").write_text("Titel\n\nGebruik `git status` nu.\n", "utf-8")
    return root


def test_the_same_text_in_markdown_and_plain_text_is_masked_for_each(tmp_path: Path) -> None:
    root = _two_article_project(tmp_path / "p")
    project = load_project(root)
    api.extract(project)
    engine = FakeEngine(lambda text: text)
    result = api.pretranslate(project, ["en"], engine=engine)
    assert result.languages[0].failed_verification == 0
    assert "Gebruik {0} nu." in engine.sent  # the Markdown unit, its code masked
    assert "Gebruik `git status` nu." in engine.sent  # the plain-text one, as it is


def test_a_refused_text_fails_alone_and_the_others_still_try_every_form(tmp_path: Path) -> None:
    root = _two_article_project(tmp_path / "p")
    (root / "articles/nl/c.txt").write_text(
        "Titel\n\nLeeg antwoord hier.\n\nATACMS werkt.\n", "utf-8"
    )
    project = load_project(root)
    api.extract(project)

    def answer(text: str) -> str:
        if "Leeg" in text:
            return ""  # refused by dispatch: an empty answer for a text with words
        return text.replace("{0}", "") if "{0}" in text else text  # tokens lost

    result = api.pretranslate(project, ["en"], engine=FakeEngine(answer))
    (summary,) = result.languages
    assert summary.error is not None and "answered with nothing" in summary.error
    po = polib.pofile(str(root / "locales/en/c.po"))
    assert read_provenance(po.find("ATACMS werkt.")).passed  # passed in plain
    assert not po.find("Leeg antwoord hier.").msgstr
    assert result.exit_code == 1


def test_one_odd_unit_does_not_move_the_pair_to_another_form(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", ("en", "de", "af"), engine="apertium")
    lines = "\n\n".join(f"Zin nummer {n} over de oorlog." for n in range(8))
    (root / "articles/nl/a.txt").write_text(f"Titel\n\n{lines}\n\nATACMS hier.\n", "utf-8")
    (root / "glossary").mkdir()
    shutil.copy(GLOSSARY, root / "glossary/terms.csv")
    project = load_project(root)
    api.extract(project)
    engine = FakeEngine(lambda text: text.replace("{0}", "Atacms"))  # breaks tokens only
    result = api.pretranslate(project, ["en"], engine=engine)
    assert result.languages[0].failed_verification == 0
    cache = TranslationCache(root / ".locpipe/cache.sqlite")
    assert cache.form("fake", "nl", "en") is None
    cache.close()


# HTML units: their markup is HTML's, not Markdown's


def test_an_html_unit_masks_its_tags_comments_and_references_and_nothing_markdown_reads() -> None:
    text = (
        r"Pad <code>C:\</code> of C:\&amp;D, `ls` en [zie](x.html) "
        '<a href="?a=1&amp;b=2">hier</a><!-- noot --> {{< ref "a" >}} op www.x.nl.'
    )
    assert span_texts(text, markup="html") == [
        "<code>",
        "</code>",  # a backslash is text in HTML, not an escape of the '<'
        "&amp;",
        '<a href="?a=1&amp;b=2">',  # a reference in a value is part of its tag
        "</a>",
        "<!-- noot -->",
        '{{< ref "a" >}}',
        "www.x.nl",
    ]
    # Read as Markdown, the same text would hide both end tag and reference behind escapes.
    assert "</code>" not in span_texts(text, markup="markdown")


def test_an_engine_that_translates_words_keeps_an_html_articles_tags_after_a_backslash(
    tmp_path: Path,
) -> None:
    root = write_project(tmp_path / "p", ("en",), engine="apertium")
    (root / "articles/nl/paden.html").write_text(
        "<!DOCTYPE html>\n<html><body>\n"
        "<p>Het pad <code>C:\\</code> en de code <code>\\\\server\\</code> zijn oud.</p>\n"
        "</body></html>\n",
        "utf-8",
    )
    project = load_project(root)
    api.extract(project)
    # Every word translated, "code" too: only what the masking hides comes back as it was.
    engine = FakeEngine(lambda text: text.replace("code", "kode").replace("pad", "path"))
    result = api.pretranslate(project, ["en"], engine=engine)
    assert (result.languages[0].machine, result.languages[0].failed_verification) == (1, 0)
    assert all("code>" not in text for text in engine.sent)  # the tags were never sent
    api.build(project, ["en"])
    published = (root / "articles/en/paden.html").read_text(encoding="utf-8")
    assert (
        "<p>Het path <code>C:\\</code> en de kode <code>\\\\server\\</code> zijn oud.</p>"
        in published
    )


def test_a_bare_url_holding_a_reference_is_masked_whole() -> None:
    # HTML must write '&' in a URL as '&amp;': the reference was masked, and the URL around
    # it, overlapping it, was left out, so an engine could translate its path unseen.
    text = "Zie https://x.nl/kaart?land=nl&amp;jaar=2 of www.x.nl/a\\_b nu."
    for markup in ("html", "markdown", "plain"):
        assert span_texts(text, markup=markup)[0] == "https://x.nl/kaart?land=nl&amp;jaar=2"
    translated = text.replace("kaart", "map").replace("Zie", "See")
    problems = verify_translation(text, translated, Glossary(), "en", Protection(), markup="html")
    assert problems and problems[0].startswith("masked markup changed")


# Verification of what an engine can do with markup it was given whole


@pytest.mark.parametrize(
    ("markup", "source", "translation", "problem"),
    [
        (
            "html",
            "De <strong>ATACMS</strong> raket",
            "The ATACMS<strong></strong> missile",
            "masked markup emptied: '<strong></strong>'",
        ),
        (
            "html",
            'Zie <a href="x">de kaart</a> nu',
            'See </a>the map<a href="x"> now',
            "masked markup out of order",
        ),
        ("markdown", "Zie [de kaart](x.md) nu", "See the map[](x.md) now", "emptied: '[](x.md)'"),
        ("markdown", "Een zin.", "A\nsentence.", "line breaks added"),
        ("markdown", "Tekst <!-- noot --> meer.", "<!-- noot --> More.", "opens an HTML block"),
        ("markdown", "Een\ntwee <div>x</div> drie.", "One\n<div>x</div> three.", "HTML block"),
        ("markdown", "Een zin.", "A sentence.\n\nAnother.", "line breaks added"),
        ("plain", "De VS & de EU", "The US &amp; the EU", "markup escaped: '&amp;'"),
        ("markdown", "De VS &amp; de EU", "The US &amp;amp; the EU", "escaped: '&amp;amp;'"),
    ],
)
def test_markup_an_engine_moved_emptied_or_escaped_fails_verification(
    markup: Markup, source: str, translation: str, problem: str
) -> None:
    problems = verify_translation(
        source, translation, Glossary(), "en", Protection(), markup=markup
    )
    assert any(problem in found for found in problems), problems


@pytest.mark.parametrize(
    ("markup", "source", "translation"),
    [
        ("html", "Regel<br>twee <b>x<br>y</b>", "Line<br>two <b>x<br>y</b>"),
        ("html", "<b>Kyiv</b> en <i>Kharkiv</i>", "<i>Kharkiv</i> and <b>Kyiv</b>"),
        ("markdown", "[a](x) en [b](y)", "[b](y) and [a](x)"),
        ("markdown", "Een\nzin.", "A sentence."),
        ("markdown", "<b>Vet</b> begin.", "A <b>bold</b> start."),
        ("markdown", "Het <b>begin</b>.", "<b>Start</b> it is."),
        ("markdown", "De VS &amp; de EU", "The US &amp; the EU"),
        ("html", "A &amp; B", "A &amp; B"),
    ],
)
def test_markup_moved_as_languages_move_words_passes_verification(
    markup: Markup, source: str, translation: str
) -> None:
    assert (
        verify_translation(source, translation, Glossary(), "en", Protection(), markup=markup) == []
    )


def test_an_engine_that_breaks_lines_with_cr_publishes_nothing_of_it(project: Path) -> None:
    # A CR alone from a server ended a title's line in the middle of the published file.
    loaded = load_project(project)
    api.extract(loaded)
    engine = FakeEngine(lambda text: text.replace(" ", "\r", 1))
    result = api.pretranslate(loaded, ["en"], engine=engine)
    (summary,) = result.languages
    assert summary.machine == 0 and summary.failed_verification == summary.entries
    po = polib.pofile(str(project / "locales/en/atacms.po"))
    assert all("\r" not in entry.msgstr for entry in po)
    assert all("line breaks added" in entry.tcomment for entry in po if entry.msgstr)
    api.build(loaded, ["en"])
    assert not (project / "articles/en/atacms.txt").exists()  # nothing fit to publish


def test_keyboard_keys_are_masked_but_plus_signs_in_prose_are_not() -> None:
    # pymdownx.keys draws ++ctrl+alt+del++ as keys; translated names draw nothing.
    text = 'Druk op ++ctrl+alt+del++ of ++ctrl+"Mijn toets"++, niet in C++, a++b++c of A+++-A++.'
    assert span_texts(text, markup="markdown") == ["++ctrl+alt+del++", '++ctrl+"Mijn toets"++']
