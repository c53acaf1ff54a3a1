"""Calling an engine on many texts: batches, workers, a rate limit, retries with backoff.

Transient failures (:class:`EngineUnavailable`: 429, 5xx, timeouts, dropped connections)
are retried with exponential backoff and full jitter, honouring Retry-After.  A refusal
(:class:`EngineRejected`) and a connection that cannot be made (:class:`EngineUnreachable`)
are final.  Once a batch fails for good, the remaining batches are not sent: an engine
that is down or refuses the pair would only fail again, slowly.

Every answer is looked at here, where it is received: a text answered with nothing, with
far more than was sent, with control characters or in quotes
(:func:`answer_problem`), is not a translation; it is left out, and the result's error
says how many there were.  A run's time budget
(:func:`budget`) stops sending once it is spent.  Engine error messages are redacted here,
in one place, so that a key a server echoes never reaches a line or a report.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import random
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import quote, quote_plus

from ..errors import EngineError, EngineRejected, EngineUnavailable, EngineUnreachable
from . import Engine

# When the run's machine translation must stop (time.monotonic()), and its length in
# seconds; set by budget() for the calls inside it, never process-wide.
_DEADLINE: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar(
    "locpipe_mt_deadline", default=None
)


@contextlib.contextmanager
def budget(seconds: float | None) -> Iterator[None]:
    """Within this block, dispatch sends nothing once ``seconds`` have passed (None: no limit).

    A request already on its way still ends within its own timeout.
    """
    if seconds is None:
        yield
        return
    token = _DEADLINE.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def answer_problem(text: str, answer: str) -> str | None:
    """Why an engine's answer to ``text`` is not a translation of it, or None.

    None of these is a translation: nothing, for a text that has words; an answer more
    than three times as long (and 40 characters more), from a server that floods or
    repeats itself; control characters, a lone surrogate or a bidi override the text did
    not hold, which no catalog may carry (msgfmt refuses U+0004, and a lone surrogate
    cannot even be written as UTF-8); and the answer wrapped in quotes when the text has
    none at all, as chat models answer (a quotation's marks move as languages place
    them).  The text itself is an answer: names and short phrases are the same in two
    languages, and an engine that changes nothing is how the masking is tested.

    >>> answer_problem("De oorlog", "The war") is None
    True
    >>> answer_problem("De oorlog", " ")
    'answered with nothing'
    >>> answer_problem("Ja", "Yes " * 20)
    'answered with far more than was sent'
    >>> answer_problem("De oorlog", "The war\x04")
    'answered with a control character (U+0004)'
    >>> answer_problem("De oorlog", '"The war"')
    'answered with the text in quotes'
    """
    if text.strip() and not answer.strip():
        return "answered with nothing"
    if len(answer) > 3 * len(text) + 40:
        return "answered with far more than was sent"
    for char in _UNWRITABLE.findall(answer):
        if char not in text:
            return f"answered with a control character (U+{ord(char):04X})"
    core = answer.strip()
    if len(core) > 1 and (core[0], core[-1]) in _QUOTE_PAIRS and not _QUOTES.search(text):
        return "answered with the text in quotes"
    return None


# Characters no translation may add: C0 and C1 controls but tab and line breaks, lone
# surrogates, and the bidi overrides that reverse what follows (isolates, which mark a
# name's direction in right-to-left text, are fine).
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202d\u202e]")
# Opening and closing quotation marks, as the languages of Europe and East Asia pair them.
_OPENING = "\"'\u201c\u2018\u00ab\u00bb\u201e\u201e\u201a\u201a\u201d\u300c\u300e\u2039"
_CLOSING = "\"'\u201d\u2019\u00bb\u00ab\u201c\u201d\u2018\u2019\u201d\u300d\u300f\u203a"
_QUOTE_PAIRS = frozenset(zip(_OPENING, _CLOSING, strict=True))
# A quotation mark in a text; an apostrophe inside a word (zo'n, auto's) is none.
_QUOTES = re.compile(
    "[" + re.escape("".join(sorted(set(_OPENING + _CLOSING) - set("'\u2019")))) + "]"
    "|(?<!\\w)['\u2019]|['\u2019](?!\\w)"
)


def _line_breaks_as_sent(text: str, answer: str) -> str:
    """The answer with a server's CR LF or CR line breaks written as the text's LF: a CR
    alone would end a line in the middle of a published one.

    >>> _line_breaks_as_sent("Een\\nzin", "A\\r\\nsentence\\r")
    'A\\nsentence\\n'
    """
    if "\r" not in answer or "\r" in text:
        return answer
    return answer.replace("\r\n", "\n").replace("\r", "\n")


def redacted(error: EngineError, secrets: Sequence[str]) -> EngineError:
    """``error`` with every secret (and its URL-encoded forms) cut out of its message.

    The one place engine messages are cleaned: a server that echoes the key it was sent
    in its error text must not put it on the terminal or in ``run --report``.

    >>> str(redacted(EngineRejected("libre: bad key s3cr3t+k"), ["s3cr3t+k"]))
    'libre: bad key [redacted]'
    """
    message = error.message
    for secret in secrets:
        if len(secret) < 4:  # too short to be a key; cutting it would garble the message
            continue
        for form in dict.fromkeys((secret, quote(secret, safe=""), quote_plus(secret))):
            message = message.replace(form, "[redacted]")
    if message == error.message:
        return error
    clean = copy.copy(error)
    clean.message = message
    clean.args = (message,)
    # What it was raised from may quote the key too (a requests error holding the URL).
    clean.__cause__ = clean.__context__ = None
    clean.__suppress_context__ = True
    return clean


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
    refused: dict[str, str] = field(default_factory=dict)  # text -> why its answer was not


def refusal(engine: str, refused: dict[str, str]) -> EngineRejected:
    """The error a language reports for texts the engine's answers were refused for: they
    stay untranslated (and uncached), and the run says so, exit 1."""
    reasons = sorted(set(refused.values()))
    count = len(refused)
    return EngineRejected(f"{engine}: {'; '.join(reasons)} for {count} text{'s' * (count != 1)}")


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
    """Translate distinct texts with ``workers`` concurrent requests.

    Within a :func:`budget`, nothing is sent once it is spent, and a backoff never waits
    past it.
    """
    result = DispatchResult()
    # A text longer than the engine takes goes as its sentences, joined again afterwards.
    pieces: dict[str, list[tuple[str, str]]] = {}
    sendable: list[str] = []
    for text in texts:
        if len(text) <= engine.max_chars:
            sendable.append(text)
        elif (split := split_sentences(text, engine.max_chars)) is not None:
            pieces[text] = split
            sendable.extend(piece for piece, _ in split)
        else:
            result.refused[text] = (
                f"{engine.name}: a sentence is longer than the {engine.max_chars} characters "
                "it takes in one request"
            )
    texts = list(dict.fromkeys(sendable))
    batches = make_batches(texts, max_batch=engine.max_batch, max_chars=engine.max_chars)
    limiter = RateLimiter(engine.rate)
    stop = threading.Event()
    lock = threading.Lock()
    jitter = rng or random.Random()
    deadline = _DEADLINE.get()

    def out_of_time() -> bool:
        if deadline is None or time.monotonic() < deadline[0]:
            return False
        _fail(
            EngineUnavailable(
                f"{engine.name}: the [pretranslate] budget of {deadline[1]:g} s is used up; "
                "nothing more was sent"
            )
        )
        return True

    def run(batch: list[str]) -> None:
        attempt = 0
        while not stop.is_set() and not out_of_time():
            limiter.wait()
            if out_of_time():
                return
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
                wait = min(delay, policy.max_backoff)
                if deadline is not None:
                    wait = min(wait, max(0.0, deadline[0] - time.monotonic()))
                stop.wait(wait)
                continue
            except EngineError as exc:
                _fail(exc)
                return
            answers = [
                _line_breaks_as_sent(text, a) for text, a in zip(batch, translated, strict=True)
            ]
            checked = [
                (text, answer, answer_problem(text, answer))
                for text, answer in zip(batch, answers, strict=True)
            ]
            with lock:
                for text, answer, problem in checked:
                    if problem is None:
                        result.translations[text] = answer
                    else:
                        result.refused[text] = problem
                result.requests += 1
                result.characters += sum(len(text) for text in batch)
            if on_batch:
                on_batch(len(batch))
            return

    def _fail(exc: EngineError) -> None:
        with lock:
            if result.error is None:
                result.error = redacted(exc, engine.secrets())
        stop.set()

    if workers <= 1:
        for batch in batches:
            run(batch)
    else:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="locpipe-mt") as pool:
            list(pool.map(run, batches))
    for text, split in pieces.items():
        answers = [result.translations.get(piece) for piece, _ in split]
        if all(answer is not None for answer in answers):
            result.translations[text] = "".join(
                f"{answer}{gap}" for answer, (_, gap) in zip(answers, split, strict=True)
            )
    return result


_SENTENCE_END = re.compile(r"(?<=[.!?…])(\s+)(?=\S)")


def split_sentences(text: str, most: int) -> list[tuple[str, str]] | None:
    """``text`` as pieces of whole sentences of at most ``most`` characters, each with the
    whitespace that followed it; None when one sentence alone is longer.

    >>> split_sentences("Een zin. Nog een. En een derde.", 18)
    [('Een zin. Nog een.', ' '), ('En een derde.', '')]
    """
    parts = _SENTENCE_END.split(text)
    sentences = list(zip(parts[0::2], [*parts[1::2], ""], strict=True))
    pieces: list[tuple[str, str]] = []
    for sentence, gap in sentences:
        if len(sentence) > most:
            return None
        if pieces and len(pieces[-1][0]) + len(pieces[-1][1]) + len(sentence) <= most:
            last, between = pieces[-1]
            pieces[-1] = (last + between + sentence, gap)
        else:
            pieces.append((sentence, gap))
    return pieces
