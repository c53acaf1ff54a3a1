"""Calling an engine on many texts: batches, workers, a rate limit, retries with backoff.

Transient failures (:class:`EngineUnavailable`: 429, 5xx, timeouts, dropped connections)
are retried with exponential backoff and full jitter, honouring Retry-After.  A refusal
(:class:`EngineRejected`) and a connection that cannot be made (:class:`EngineUnreachable`)
are final.  Once a batch fails for good, the remaining batches are not sent: an engine
that is down or refuses the pair would only fail again, slowly.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..errors import EngineError, EngineUnavailable, EngineUnreachable
from . import Engine


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently a transient failure is retried."""

    retries: int = 4
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    max_backoff: float = 30.0


@dataclass(slots=True)
class DispatchResult:
    """Translations by text, the error that stopped the rest (if any), and what was sent.

    ``requests`` and ``characters`` count what the engine answered, as it bills them;
    ``retries`` counts the attempts that failed and were repeated.
    """

    translations: dict[str, str] = field(default_factory=dict)
    error: EngineError | None = None
    requests: int = 0
    characters: int = 0
    retries: int = 0


def make_batches(texts: Sequence[str], *, max_batch: int, max_chars: int) -> list[list[str]]:
    """Group texts into requests within the engine's count and size limits.

    >>> make_batches(["aa", "bb", "cc"], max_batch=2, max_chars=100)
    [['aa', 'bb'], ['cc']]
    >>> make_batches(["aaaa", "bb", "cc"], max_batch=5, max_chars=5)
    [['aaaa'], ['bb', 'cc']]
    """
    batches: list[list[str]] = []
    size = 0
    for text in texts:
        if batches and len(batches[-1]) < max_batch and size + len(text) <= max_chars:
            batches[-1].append(text)
            size += len(text)
        else:
            batches.append([text])
            size = len(text)
    return batches


class RateLimiter:
    """At most ``rate`` calls a second across threads, spaced evenly."""

    def __init__(self, rate: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()
        self._clock = clock

    def wait(self) -> None:
        """Block until the next call may go."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self._interval
        if start > now:
            time.sleep(start - now)


def dispatch(
    engine: Engine,
    texts: Sequence[str],
    *,
    source: str,
    target: str,
    workers: int,
    policy: RetryPolicy,
    on_batch: Callable[[int], None] | None = None,
    rng: random.Random | None = None,
) -> DispatchResult:
    """Translate distinct texts with ``workers`` concurrent requests."""
    result = DispatchResult()
    batches = make_batches(texts, max_batch=engine.max_batch, max_chars=engine.max_chars)
    limiter = RateLimiter(engine.rate)
    stop = threading.Event()
    lock = threading.Lock()
    jitter = rng or random.Random()

    def run(batch: list[str]) -> None:
        attempt = 0
        while not stop.is_set():
            limiter.wait()
            try:
                translated = engine.translate(batch, source, target)
                if len(translated) != len(batch):
                    raise EngineUnavailable(
                        f"{engine.name}: answered {len(translated)} of {len(batch)} texts"
                    )
            except EngineUnavailable as exc:
                if attempt >= policy.retries or isinstance(exc, EngineUnreachable):
                    _fail(exc)
                    return
                delay = exc.retry_after
                if delay is None:
                    delay = jitter.uniform(0, min(policy.max_backoff, policy.backoff * 2**attempt))
                attempt += 1
                with lock:
                    result.retries += 1
                stop.wait(min(delay, policy.max_backoff))
                continue
            except EngineError as exc:
                _fail(exc)
                return
            with lock:
                result.translations.update(zip(batch, translated, strict=True))
                result.requests += 1
                result.characters += sum(len(text) for text in batch)
            if on_batch:
                on_batch(len(batch))
            return

    def _fail(exc: EngineError) -> None:
        with lock:
            if result.error is None:
                result.error = exc
        stop.set()

    if workers <= 1:
        for batch in batches:
            run(batch)
    else:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="locpipe-mt") as pool:
            list(pool.map(run, batches))
    return result
