"""An engine scripted in memory, for tests: no network, no process, nothing configured.

As httpx ships ``MockTransport``, locpipe ships :class:`FakeEngine` for code that takes an
:class:`~locpipe.engines.Engine`.  It is not in :data:`~locpipe.engines.ENGINES`, so no
``locpipe.toml`` can select it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence

from ..errors import EngineError
from . import Engine, Protection

# What to answer for a text: a translation, or an engine error to raise for it.
Answer = str | EngineError


class FakeEngine(Engine):
    """Answers each text from ``answers`` (a mapping or a function) and records each call.

    >>> from locpipe.errors import EngineRejected
    >>> engine = FakeEngine({"De oorlog": "The war", "Geheim": EngineRejected("fake: no")})
    >>> engine.translate(["De oorlog"], "nl", "en")
    ['The war']
    >>> engine.translate(["Geheim"], "nl", "en")
    Traceback (most recent call last):
    ...
    locpipe.errors.EngineRejected: fake: no
    >>> engine.calls, engine.sent
    ([(['De oorlog'], 'nl', 'en'), (['Geheim'], 'nl', 'en')], ['De oorlog', 'Geheim'])
    """

    name = "fake"
    requests_per_second = 0.0  # no rate limit: nothing to be polite to

    def __init__(
        self,
        answers: Mapping[str, Answer] | Callable[[str], Answer],
        *,
        protection: Protection | None = None,
        max_batch: int = 100,
        timeout: float = 1.0,
    ) -> None:
        super().__init__({}, timeout=timeout)
        self.answers = answers
        # Real engines fix these per class; a fake sets them per test.
        self.protection = protection or Protection()  # type: ignore[misc]
        self.max_batch = max_batch  # type: ignore[misc]
        self.calls: list[tuple[list[str], str, str]] = []  # (texts, source, target)
        self._lock = threading.Lock()  # dispatch calls from several workers

    @property
    def sent(self) -> list[str]:
        """Every text sent, in the order the calls arrived."""
        return [text for texts, _, _ in self.calls for text in texts]

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        with self._lock:
            self.calls.append((list(texts), source, target))
        answers = [self._answer(text) for text in texts]
        for answer in answers:
            if isinstance(answer, EngineError):
                raise answer  # the whole batch fails, as a request would
        return [str(answer) for answer in answers]

    def _answer(self, text: str) -> Answer:
        if callable(self.answers):
            return self.answers(text)
        try:
            return self.answers[text]
        except KeyError:
            # A test that sends what it did not script has a bug: fail loudly, not as an
            # engine error that dispatch would record and carry on from.
            raise LookupError(f"FakeEngine: no answer scripted for {text!r}") from None
