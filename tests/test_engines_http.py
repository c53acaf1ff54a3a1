"""The libre engine and dispatch over real HTTP on loopback: batches, faults, retries, workers.

Every test talks to the LibreTranslate-compatible server of ``tests/libre_server.py`` on
127.0.0.1; faults are scripted there, so what is asserted is what really crossed a socket.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from locpipe.engines import Engine, create_engine
from locpipe.engines import dispatch as dispatch_module
from locpipe.engines.dispatch import (
    DispatchResult,
    RateLimiter,
    RetryPolicy,
    dispatch,
    make_batches,
)
from locpipe.engines.http import retry_after
from locpipe.errors import EngineError, EngineRejected, EngineUnavailable, EngineUnreachable

from .conftest import closed_port_url
from .libre_server import LibreServer

# Unpublished text that must never appear in an error message.
SECRET = "Geheim: de minister treedt morgen af"
FAST = RetryPolicy(retries=4, backoff=0.01)


def libre_engine(url: str, *, timeout: float = 0.5) -> Engine:
    """The real libre engine, without its politeness delay so that tests are quick."""
    engine = create_engine("libre", {"url": url}, timeout=timeout)
    engine.requests_per_second = 1000.0
    return engine


def texts(count: int) -> list[str]:
    """Distinct Dutch texts, the secret one first."""
    return [SECRET, *(f"De oorlog en de steun, dag {n}" for n in range(1, count))]


def translate(
    engine: Engine,
    sources: list[str],
    *,
    workers: int = 1,
    policy: RetryPolicy = FAST,
    on_batch: Callable[[int], None] | None = None,
    rng: random.Random | None = None,
) -> DispatchResult:
    """Dutch to English through dispatch, one worker unless told."""
    return dispatch(
        engine,
        sources,
        source="nl",
        target="en",
        workers=workers,
        policy=policy,
        on_batch=on_batch,
        rng=rng,
    )


def assert_secret_kept(error: BaseException | None) -> None:
    """Neither the error nor what it was raised from quotes the texts sent."""
    while error is not None:
        assert SECRET not in str(error)
        assert "minister" not in str(error)
        error = error.__cause__


# Batches and plain translation


def test_the_engine_translates_a_batch_in_one_request(libre: LibreServer) -> None:
    engine = libre_engine(libre.url)
    out = engine.translate(["De oorlog", "Meer steun"], "nl", "en")
    assert out == ["The war", "More support"]
    assert libre.state.requests == 1
    assert libre.state.texts == ["De oorlog", "Meer steun"]


def test_the_engine_sends_text_with_tokens_first_and_html_second(libre: LibreServer) -> None:
    engine = libre_engine(libre.url)
    [tokens] = engine.translate(["{0} en de {1} raketten"], "nl", "en")
    assert tokens == "{0} and the {1} missiles"
    markup = engine.in_form(engine.forms[1])
    [out] = markup.translate(["<code>Kyiv</code> en de <code>ATACMS</code> raketten"], "nl", "en")
    assert out == "<code>Kyiv</code> and the <code>ATACMS</code> missiles"
    [bare] = engine.translate(["Kyiv en de ATACMS raketten"], "nl", "en")
    assert bare == "Kiev and the Atacms missiles"  # what protection is for
    assert [form.name for form in engine.forms] == ["tokens {n}", "markup <code>", "plain"]


def test_html_answers_are_not_unescaped_twice(libre: LibreServer) -> None:
    """LibreTranslate answers HTML mode with unescaped text; unescaping again would turn a
    literal entity in the source into its character."""
    from locpipe.glossary import Glossary, protect, restore

    form = libre_engine(libre.url).forms[1]
    sent = protect("AT&amp;T en <b>", Glossary(), "en", form)
    [out] = libre_engine(libre.url).in_form(form).translate([sent.text], "nl", "en")
    assert restore(out, sent, form) == ("AT&amp;T and <b>", [])


def test_dispatch_translates_every_text_once_in_batches(libre: LibreServer) -> None:
    sources = texts(60)
    result = translate(libre_engine(libre.url), sources)
    assert result.error is None
    assert set(result.translations) == set(sources)
    assert result.translations["De oorlog en de steun, dag 7"] == "The war and the support, day 7"
    assert result.requests == libre.state.requests == 3  # 25 + 25 + 10
    assert sorted(libre.state.texts) == sorted(sources)
    assert result.characters == sum(len(text) for text in sources)
    assert result.retries == 0


def test_progress_is_reported_per_batch(libre: LibreServer) -> None:
    done: list[int] = []
    translate(libre_engine(libre.url), texts(30), on_batch=done.append)
    assert sorted(done) == [5, 25]


# Transient faults: they delay, but lose nothing


@pytest.mark.parametrize(
    "faults",
    [
        ["429"],
        ["500"],
        ["502", "503"],
        ["timeout"],
        ["drop"],
        ["malformed"],
        ["short"],
        ["429", "500", "timeout", "malformed"],
    ],
)
def test_transient_faults_are_retried_and_lose_nothing(
    libre: LibreServer, faults: list[str]
) -> None:
    libre.state.faults.extend(faults)
    libre.state.timeout_sleep = 2.0  # longer than the client's 0.5 s
    sources = texts(40)
    result = translate(libre_engine(libre.url), sources)
    assert result.error is None
    assert set(result.translations) == set(sources)
    assert result.retries == len(faults)
    assert result.requests == 2  # what succeeded, as billed
    assert libre.state.requests == 2 + len(faults)
    assert not libre.state.faults


def test_a_wrong_number_of_translations_is_retried(libre: LibreServer) -> None:
    # "short" answers a batch of 25 with no translations at all: the count check catches it.
    libre.state.faults.append("short")
    result = translate(libre_engine(libre.url), texts(25))
    assert result.error is None and len(result.translations) == 25
    assert result.retries == 1


def test_retry_after_replaces_the_backoff_and_errors_back_off_exponentially(
    libre: LibreServer,
) -> None:
    class Recording(random.Random):
        def __init__(self) -> None:
            super().__init__(0)
            self.ranges: list[tuple[float, float]] = []

        def uniform(self, a: float, b: float) -> float:
            self.ranges.append((a, b))
            return 0.0

    jitter = Recording()
    libre.state.faults.extend(["429", "429"])
    translate(libre_engine(libre.url), texts(3), policy=RetryPolicy(backoff=0.5), rng=jitter)
    assert jitter.ranges == []  # Retry-After: 0 was honoured, no backoff drawn

    libre.state.faults.extend(["500", "500", "500"])
    result = translate(
        libre_engine(libre.url), texts(3), policy=RetryPolicy(backoff=0.5), rng=jitter
    )
    assert result.error is None
    assert jitter.ranges == [(0, 0.5), (0, 1.0), (0, 2.0)]  # full jitter, doubling


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after("7") == 7.0
    assert retry_after("-3") == 0.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert retry_after("soon") is None
    assert retry_after("") is None


def test_a_fault_that_persists_gives_up_after_the_retries(libre: LibreServer) -> None:
    libre.state.faults.extend(["503"] * 10)
    result = translate(libre_engine(libre.url), texts(3), policy=RetryPolicy(retries=2, backoff=0))
    assert isinstance(result.error, EngineUnavailable)
    assert "HTTP 503" in str(result.error)
    assert result.translations == {}
    assert libre.state.requests == 3  # the first try and two retries
    assert_secret_kept(result.error)


# Final failures: not retried


def test_an_unsupported_pair_is_final_not_retried(libre: LibreServer) -> None:
    engine = libre_engine(libre.url)
    result = dispatch(engine, texts(60), source="nl", target="fr", workers=1, policy=FAST)
    assert isinstance(result.error, EngineRejected)
    assert "HTTP 400" in str(result.error) and "not supported" in str(result.error)
    assert result.retries == 0
    assert libre.state.requests == 1  # the other batches were not sent
    assert_secret_kept(result.error)


def test_a_refused_connection_is_unreachable_and_not_retried() -> None:
    engine = libre_engine(closed_port_url())
    calls: list[int] = []
    real = engine.translate

    def counting(batch: list[str], source: str, target: str) -> list[str]:
        calls.append(len(batch))
        return real(batch, source, target)

    engine.translate = counting
    result = translate(engine, texts(200), workers=4)  # eight batches
    assert isinstance(result.error, EngineUnreachable)
    assert "cannot connect" in str(result.error)
    assert result.retries == 0 and result.translations == {}
    assert 1 <= len(calls) <= 4  # at most the batches already under way, each once
    assert_secret_kept(result.error)


@pytest.mark.parametrize("fault", ["429", "500", "timeout", "drop", "malformed", "short"])
def test_error_messages_never_quote_the_text(libre: LibreServer, fault: str) -> None:
    libre.state.faults.extend([fault] * 5)
    libre.state.timeout_sleep = 2.0
    result = translate(libre_engine(libre.url), [SECRET], policy=RetryPolicy(1, 0))
    assert isinstance(result.error, EngineUnavailable)
    assert libre.url.rstrip("/") in str(result.error)  # it says where, not what
    assert_secret_kept(result.error)


# Concurrency


def test_workers_send_batches_concurrently(libre: LibreServer) -> None:
    libre.state.delay = 0.2
    sources = texts(100)  # four batches
    result = translate(libre_engine(libre.url), sources, workers=4)
    assert result.error is None and len(result.translations) == 100
    assert libre.state.requests == 4
    assert libre.state.max_active > 1


def test_one_worker_sends_one_batch_at_a_time(libre: LibreServer) -> None:
    libre.state.delay = 0.05
    result = translate(libre_engine(libre.url), texts(100), workers=1)
    assert len(result.translations) == 100
    assert libre.state.max_active == 1


def test_concurrent_retries_lose_nothing(libre: LibreServer) -> None:
    libre.state.delay = 0.05
    libre.state.faults.extend(["429", "500", "502", "malformed", "503"])
    sources = texts(200)
    result = translate(libre_engine(libre.url), sources, workers=4)
    assert result.error is None
    assert set(result.translations) == set(sources)
    assert result.requests == 8 and result.retries == 5


# Pure helpers


def test_make_batches_respects_count_and_size_and_keeps_order() -> None:
    sources = [f"t{n:02}" * (n % 4 + 1) for n in range(30)]
    batches = make_batches(sources, max_batch=4, max_chars=20)
    assert [text for batch in batches for text in batch] == sources
    assert all(len(batch) <= 4 for batch in batches)
    assert all(sum(map(len, batch)) <= 20 for batch in batches)


def test_make_batches_gives_an_oversized_text_a_batch_of_its_own() -> None:
    assert make_batches(["a" * 50, "b", "c"], max_batch=10, max_chars=10) == [
        ["a" * 50],
        ["b", "c"],
    ]
    assert make_batches([], max_batch=10, max_chars=10) == []


def fake_time(monkeypatch: pytest.MonkeyPatch) -> tuple[Callable[[], float], list[float]]:
    """A clock that stands still and a sleep that only records."""
    slept: list[float] = []
    monkeypatch.setattr(dispatch_module.time, "sleep", slept.append)
    return (lambda: 100.0), slept


def test_the_rate_limiter_spaces_calls_evenly(monkeypatch: pytest.MonkeyPatch) -> None:
    clock, slept = fake_time(monkeypatch)
    limiter = RateLimiter(4.0, clock=clock)
    for _ in range(4):
        limiter.wait()
    assert slept == [0.25, 0.5, 0.75]


def test_a_rate_of_zero_means_no_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    clock, slept = fake_time(monkeypatch)
    limiter = RateLimiter(0, clock=clock)
    for _ in range(3):
        limiter.wait()
    assert slept == []


@pytest.mark.parametrize(
    ("name", "variable"), [("deepl", "DEEPL_AUTH_KEY"), ("microsoft", "MICROSOFT_TRANSLATOR_KEY")]
)
def test_keyed_engines_without_a_key_refuse_before_sending_anything(
    name: str, variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(variable, raising=False)
    engine = create_engine(name, {}, timeout=1)
    with pytest.raises(EngineRejected, match=f"set the environment variable {variable}"):
        engine.translate(["Tekort aan ATACMS"], "nl", "en")


def test_a_key_never_appears_in_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_TRANSLATOR_KEY", "s3cr3t-key-value")
    engine = create_engine(
        "microsoft", {"api_key_env": "MY_TRANSLATOR_KEY", "url": closed_port_url()}, timeout=1
    )
    with pytest.raises(EngineError) as caught:
        engine.translate(["Tekort aan ATACMS"], "nl", "en")
    assert "s3cr3t" not in str(caught.value)
