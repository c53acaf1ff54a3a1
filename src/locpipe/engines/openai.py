"""Any OpenAI-compatible chat-completions endpoint: OpenAI, Azure OpenAI, Mistral, or a
self-hosted Ollama, vLLM or llama.cpp server.

The model is told the languages, the article's title and each unit's section, the glossary
rules for the terms in the batch (keep as is, translate as, never use), and to leave the
numbered placeholders alone.  It must answer with JSON holding one translation per input,
by id, so a batch can never shift by one: an answer with a missing, extra or duplicated id
is a malformed answer, retried like any transient fault.  A unit whose output fails
verification is asked again once with the violation named (pretranslate does that through
:class:`~locpipe.engines.Hints`).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import EngineUnavailable
from . import Engine, Hints, Protection, with_settings
from .http import post_json

_NUMBER = (int, float)
_LANGUAGE_NAMES = {
    "nl": "Dutch",
    "en": "English",
    "de": "German",
    "fr": "French",
    "af": "Afrikaans",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "pl": "Polish",
    "uk": "Ukrainian",
    "ru": "Russian",
}


class OpenAIEngine(Engine):
    """``POST {url}/chat/completions`` with a JSON answer of one translation per id."""

    name = "openai"
    # Placeholders an LLM reads as opaque and keeps; a plain retry comes after.
    protection = Protection(token="⟦{n}⟧")
    fallback_forms = (Protection(plain=True),)
    reads_hints = True
    max_batch = 10
    max_chars = 12000
    requests_per_second = 2.0
    required_settings = ("model",)
    setting_types = with_settings(
        url=str,
        model=str,
        api_key_env=str,
        temperature=_NUMBER,
        batch_size=int,
        requests_per_minute=_NUMBER,
        tokens_per_minute=_NUMBER,
    )

    def __init__(self, settings: Mapping[str, Any], *, timeout: float) -> None:
        super().__init__(settings, timeout=timeout)
        if "batch_size" in settings:
            self.max_batch = int(settings["batch_size"])  # type: ignore[misc]
        self._budget = _TokenBudget(float(settings.get("tokens_per_minute", 0)))

    @property
    def rate(self) -> float:
        """Requests a second: ``requests_per_minute`` / 60 when set."""
        if "requests_per_minute" in self.settings:
            return float(self.settings["requests_per_minute"]) / 60
        return super().rate

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        url = str(self.settings.get("url") or "https://api.openai.com/v1").rstrip("/")
        url += "/chat/completions"
        messages = [
            {"role": "system", "content": self.instructions(source, target)},
            {"role": "user", "content": self.request(texts)},
        ]
        payload: dict[str, object] = {
            "model": str(self.settings["model"]),
            "temperature": float(self.settings.get("temperature", 0)),
            "response_format": {"type": "json_object"},
            "messages": messages,
        }
        headers = {}
        key = self.api_key() if self.settings.get("api_key_env") else None
        if key:
            headers["Authorization"] = f"Bearer {key}"
        self._budget.spend(sum(len(m["content"]) for m in messages) // 3)
        data = post_json(
            url, payload=payload, headers=headers, timeout=self.timeout, engine=self.name
        )
        return self.answers(data, len(texts), url)

    def instructions(self, source: str, target: str) -> str:
        """The system message: the task and the rules every batch shares."""
        placeholders = (
            ""
            if self.protection.plain
            else f"- Placeholders such as {self.protection.wrap(1, 'x')} stand for text that "
            "must not change: copy each one exactly once, unchanged, where it belongs.\n"
        )
        return (
            f"You translate news and documentation from {_language(source)} into "
            f"{_language(target)}. Translate each item's text faithfully and completely, "
            "in the register of the source.\n"
            "Rules:\n"
            f"{placeholders}"
            "- Follow each item's glossary rules exactly: a term to keep stays as it is, a "
            "term to translate takes the given translation, and a word marked never must "
            "not appear.\n"
            "- Keep numbers as they are, written the way the target language writes them.\n"
            'Answer with JSON only: {"translations": [{"id": "<the item\'s id>", '
            '"text": "<its translation>"}]}, one object for every item, each id once.'
        )

    def request(self, texts: Sequence[str]) -> str:
        """The user message: the items, each with its id, context and glossary rules."""
        items = []
        for number, text in enumerate(texts, start=1):
            hints = self.hints.get(text, Hints())
            item: dict[str, object] = {"id": str(number), "text": text}
            if hints.title:
                item["article_title"] = hints.title
            if hints.context:
                item["context"] = hints.context
            if hints.glossary:
                item["glossary"] = list(hints.glossary)
            if hints.violation:
                item["previous_attempt_failed"] = hints.violation
            items.append(item)
        return json.dumps({"items": items}, ensure_ascii=False, indent=1)

    def answers(self, data: Any, count: int, url: str) -> list[str]:
        """One translation per id, in the order sent; anything else is a malformed answer."""
        try:
            content = data["choices"][0]["message"]["content"]
            found = json.loads(content)["translations"]
            by_id = {str(item["id"]): item["text"] for item in found}
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise EngineUnavailable(f"openai: {url} sent a malformed answer") from exc
        wanted = [str(number) for number in range(1, count + 1)]
        if (
            len(found) != count
            or sorted(by_id) != sorted(wanted)
            or not all(isinstance(by_id[i], str) for i in wanted)
        ):
            raise EngineUnavailable(
                f"openai: {url} answered {len(by_id)} distinct ids for {count} items"
            )
        return [by_id[i] for i in wanted]


def _language(code: str) -> str:
    """A language's English name for the prompt, or its code."""
    return _LANGUAGE_NAMES.get(code.replace("_", "-").split("-")[0].lower(), code)


class _TokenBudget:
    """At most ``per_minute`` tokens (estimated) sent in any 60 seconds; 0: no budget."""

    def __init__(self, per_minute: float) -> None:
        self.per_minute = per_minute
        self._spent: deque[tuple[float, int]] = deque()
        self._lock = threading.Lock()

    def spend(self, tokens: int) -> None:
        """Wait until ``tokens`` fit in the budget, then count them."""
        if self.per_minute <= 0:
            return
        while True:
            with self._lock:
                now = time.monotonic()
                while self._spent and now - self._spent[0][0] >= 60:
                    self._spent.popleft()
                used = sum(spent for _, spent in self._spent)
                if not self._spent or used + tokens <= self.per_minute:
                    self._spent.append((now, tokens))
                    return
                wait = 60 - (now - self._spent[0][0])
            time.sleep(min(wait, 1.0))
