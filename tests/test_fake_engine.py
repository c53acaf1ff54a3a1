"""FakeEngine, the scripted engine locpipe ships for tests, driven through dispatch."""

from __future__ import annotations

import pytest

from locpipe.engines import Protection, check_name
from locpipe.engines.dispatch import DispatchResult, RetryPolicy, dispatch
from locpipe.engines.fake import FakeEngine
from locpipe.errors import ConfigError, EngineRejected, EngineUnavailable
from locpipe.glossary import protect, read_glossary, restore, verify_translation

from .conftest import GLOSSARY
from .libre_server import translate_html, translate_text

FAST = RetryPolicy(retries=3, backoff=0.0)


def run(engine: FakeEngine, texts: list[str], *, workers: int = 1) -> DispatchResult:
    return dispatch(engine, texts, source="nl", target="en", workers=workers, policy=FAST)


def test_a_mapping_scripts_each_answer_and_every_call_is_recorded() -> None:
    engine = FakeEngine({"De oorlog": "The war", "Geen steun": "No support"}, max_batch=1)
    result = run(engine, ["De oorlog", "Geen steun"])
    assert result.error is None
    assert result.translations == {"De oorlog": "The war", "Geen steun": "No support"}
    assert engine.calls == [(["De oorlog"], "nl", "en"), (["Geen steun"], "nl", "en")]
    assert result.requests == 2 and result.characters == len("De oorlogGeen steun")


def test_batches_follow_max_batch() -> None:
    engine = FakeEngine(str.upper, max_batch=3)
    result = run(engine, [f"tekst {n}" for n in range(7)])
    assert [len(texts) for texts, _, _ in engine.calls] == [3, 3, 1]
    assert result.translations["tekst 6"] == "TEKST 6"


def test_an_unavailable_text_is_retried_and_a_rejected_one_stops_the_rest() -> None:
    failures = iter([EngineUnavailable("fake: busy")])

    def answer(text: str) -> str | EngineUnavailable:
        return next(failures, text.upper()) if text == "druk" else text.upper()

    flaky = FakeEngine(answer, max_batch=1)
    result = run(flaky, ["druk", "rustig"])
    assert result.error is None and result.retries == 1
    assert flaky.sent == ["druk", "druk", "rustig"]

    refusing = FakeEngine({"a": "A", "nee": EngineRejected("fake: refused"), "b": "B"}, max_batch=1)
    result = run(refusing, ["a", "nee", "b"])
    assert isinstance(result.error, EngineRejected) and result.retries == 0
    assert refusing.sent == ["a", "nee"]  # the batch after the refusal was never sent
    assert result.translations == {"a": "A"}


def test_a_text_nobody_scripted_fails_the_test_loudly() -> None:
    with pytest.raises(LookupError, match="no answer scripted for 'onbekend'"):
        run(FakeEngine({}), ["onbekend"])


def test_concurrent_workers_lose_no_call() -> None:
    engine = FakeEngine(str.upper, max_batch=2)
    texts = [f"tekst {n}" for n in range(100)]
    result = run(engine, texts, workers=8)
    assert len(engine.calls) == 50 and sorted(engine.sent) == sorted(texts)
    assert len(result.translations) == 100


@pytest.mark.parametrize(
    "protection", [Protection(), Protection(markup=True, open="<code>", close="</code>")]
)
def test_glossary_terms_survive_a_round_trip(protection: Protection) -> None:
    glossary = read_glossary(GLOSSARY.parent, languages=["en"])
    source = "Oekraïne heeft een tekort aan ATACMS-raketten"
    sent = protect(source, glossary, "en", protection)
    # The test server's translation, which would mangle ATACMS if it saw it.
    engine = FakeEngine(
        translate_html if protection.markup else translate_text, protection=protection
    )
    result = run(engine, [sent.text])
    translation, problems = restore(result.translations[sent.text], sent, protection)
    assert problems == []
    assert "ATACMS" in translation and "missiles" in translation
    assert verify_translation(source, translation, glossary, "en", protection) == []


def test_the_fake_cannot_be_configured() -> None:
    with pytest.raises(ConfigError, match="unknown engine 'fake'"):
        check_name("fake")


@pytest.mark.parametrize(
    ("text", "answer", "refused"),
    [
        ("De oorlog", "The war\x04", "a control character (U+0004)"),
        ("De oorlog", "\ud800The war", "a control character (U+D800)"),
        ("De oorlog", "\u202eThe war", "a control character (U+202E)"),
        ("De oorlog", '"The war"', "the text in quotes"),
        ("De oorlog", "\u201cThe war\u201d", "the text in quotes"),
        ("De oorlog in het oosten", "The war in the east " * 6, "far more than was sent"),
        # A quotation's marks move as languages place them, and isolates mark direction.
        ("\u201eWij geven niet op\u201d.", "\u201cWe will not give up.\u201d", None),
        ("De 'Patriot' en de 'NASAMS'", "'Patriot' and 'NASAMS'", None),
        ("Zo'n vijftig raketten", '"Some fifty missiles"', "the text in quotes"),
        ("Kyiv", "\u2067\u0643\u064a\u064a\u0641\u2069", None),
        ("NAVO", "Organisation du Trait\u00e9 de l'Atlantique Nord", None),
        ("Een\nzin", "A\r\nsentence", None),
    ],
)
def test_answers_that_are_no_translation_are_refused_and_the_others_kept(
    text: str, answer: str, refused: str | None
) -> None:
    result = run(FakeEngine({text: answer}), [text])
    if refused is None:
        assert result.translations == {text: answer.replace("\r\n", "\n")} and not result.refused
    else:
        assert result.refused == {text: f"answered with {refused}"} and not result.translations
