"""Google and MyMemory, keyless web services, over our own HTTP with a per-request timeout.

deep-translator 1.11.4 calls ``requests.get`` with no timeout and takes neither a timeout
nor a session, so bounding its requests meant a socket default timeout for the whole
process.  Both services are one GET each, so we send it through :mod:`.http` (timeout,
status mapping, no text in messages) and keep from deep-translator only its language tables
and its reading of the answers: Google's page holds the translation in
``<div class="result-container">`` (older pages: ``class="t0"``), MyMemory's JSON in
``responseData.translatedText``.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping, Sequence
from html.parser import HTMLParser
from typing import Any, ClassVar

from ..errors import EngineRejected, EngineUnavailable
from . import Engine, EngineOutput, Protection, with_settings
from .http import decode_json, send


class OneTextEngine(Engine):
    """A keyless web service asked one text per GET request."""

    # Numbered tokens in braces, like format-string placeholders, come through these
    # engines untranslated; verification catches the times they do not.
    protection = Protection(token="{{{n}}}")
    requests_per_second = 2.0
    setting_types = with_settings(url=str)  # a compatible server instead of the service
    default_url: ClassVar[str]

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        codes = set(self.languages().values())
        pair = (self.code(source), self.code(target))
        if not all(code in codes for code in pair):
            raise EngineRejected(f"{self.name}: language pair {source}-{target} not supported")
        url = str(self.settings.get("url") or self.default_url)
        # An empty text would cost a request for nothing; the services echo it anyway.
        return [self.one(url, text, *pair) if text.strip() else text for text in texts]

    @abstractmethod
    def languages(self) -> Mapping[str, str]:
        """The service's languages, name to code, as deep-translator lists them."""

    @abstractmethod
    def one(self, url: str, text: str, source: str, target: str) -> str:
        """Translate one text between two of the service's codes."""


class GoogleEngine(OneTextEngine):
    """Google Translate's public web page (``/m``), no key."""

    name = "google"
    default_url = "https://translate.google.com/m"

    def languages(self) -> Mapping[str, str]:
        from deep_translator.constants import GOOGLE_LANGUAGES_TO_CODES

        codes: Mapping[str, str] = GOOGLE_LANGUAGES_TO_CODES
        return codes

    def one(self, url: str, text: str, source: str, target: str) -> str:
        params = {"sl": source, "tl": target, "q": text}
        response = send("GET", url, params=params, timeout=self.timeout, engine=self.name)
        found = _ResultText.find(response.text)
        if found is None:
            # The page changed shape: asking again would give the same page.
            raise EngineRejected(f"google: {url} sent no translation in its page")
        return found


class MyMemoryEngine(OneTextEngine):
    """MyMemory's JSON API, no key; at most 500 characters a request."""

    name = "mymemory"
    default_url = "https://api.mymemory.translated.net/get"
    max_chars = 500

    def languages(self) -> Mapping[str, str]:
        from deep_translator.constants import MY_MEMORY_LANGUAGES_TO_CODES

        codes: Mapping[str, str] = MY_MEMORY_LANGUAGES_TO_CODES
        return codes

    def code(self, language: str) -> str:
        # MyMemory wants a locale; deep-translator maps its own names, not ISO codes.
        short = super().code(language)
        codes = [str(c) for c in self.languages().values() if c.split("-")[0] == short]
        preferred = f"{short}-{short.upper()}"  # nl-NL, de-DE rather than nl-BE, de-AT
        return preferred if preferred in codes else (codes[0] if codes else short)

    def one(self, url: str, text: str, source: str, target: str) -> str:
        params = {"q": text, "langpair": f"{source}|{target}"}
        response = send("GET", url, params=params, timeout=self.timeout, engine=self.name)
        data = decode_json(response, url=url, engine=self.name)
        # MyMemory answers HTTP 200 and puts its own status in the body.
        status = str(data.get("responseStatus", 200)) if isinstance(data, dict) else "200"
        if status == "429":
            raise EngineUnavailable(f"mymemory: {url} answered 429 (daily quota used up)")
        if status.startswith("4"):
            raise EngineRejected(f"mymemory: {url} refused the request ({status})")
        translated = _dig(data, "responseData", "translatedText")
        if not isinstance(translated, str) or not translated:
            matches = _dig(data, "matches")
            first = matches[0] if isinstance(matches, list) and matches else None
            translated = _dig(first, "translation")
        if not isinstance(translated, str) or not translated:
            raise EngineUnavailable(f"mymemory: {url} sent a malformed answer")
        # MyMemory may answer with a stored human translation of a merely similar sentence.
        match = _dig(data, "responseData", "match")
        if isinstance(match, int | float) and not isinstance(match, bool) and match < 1:
            note = f"MyMemory match {match:.0%}"
            return EngineOutput(translated, note=note, uncertain=True)
        return translated


def _dig(data: Any, *keys: str) -> Any:
    """``data[k1][k2]...``, or None where a level is missing or not a mapping."""
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


class _ResultText(HTMLParser):
    """The text of the first ``<div>`` whose class is ``result-container`` or ``t0``."""

    CLASSES = frozenset({"result-container", "t0"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # open <div>s inside the result; 0 is outside it
        self.done = False
        self.parts: list[str] = []

    @classmethod
    def find(cls, page: str) -> str | None:
        """The stripped result text of a page, or None if it has no result element."""
        parser = cls()
        parser.feed(page)
        parser.close()
        return "".join(parser.parts).strip() if parser.done or parser.depth else None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "div" or self.done:
            return
        if self.depth:
            self.depth += 1
        elif self.CLASSES & set((dict(attrs).get("class") or "").split()):
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.depth and not self.done:
            self.depth -= 1
            self.done = self.depth == 0

    def handle_data(self, data: str) -> None:
        if self.depth and not self.done:
            self.parts.append(data)
