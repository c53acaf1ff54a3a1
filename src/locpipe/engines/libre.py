"""LibreTranslate, usually self-hosted, through its JSON API.

deep-translator's LibreTranslator refuses ``nl`` (its language table lacks Dutch) and puts
the text in the URL query string, where long paragraphs risk HTTP 414; the API itself takes
a JSON body with a list of texts, so that is what we send.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import EngineUnavailable
from . import Engine, Protection, with_settings
from .http import post_json


class LibreEngine(Engine):
    """``POST /translate`` with ``q`` as a list: one request per batch."""

    name = "libre"
    # In text mode a unit goes to the model whole; opaque tokens come back as they were.
    # In HTML mode LibreTranslate (translatehtml) translates each text node on its own, so
    # every protected span would cut a sentence into pieces translated without context:
    # that form comes second.  Its HTML mode leaves <code> content alone and answers with
    # unescaped text.
    protection = Protection(token="{{{n}}}")
    fallback_forms = (
        Protection(markup=True, open="<code>", close="</code>", escaped_output=False),
        Protection(plain=True),
    )
    max_batch = 25
    max_chars = 20000
    setting_types = with_settings(url=str, api_key_env=str)

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        url = str(self.settings.get("url") or "http://localhost:5000/").rstrip("/") + "/translate"
        payload: dict[str, object] = {
            "q": list(texts),
            "source": self.code(source),
            "target": self.code(target),
            "format": "html" if self.protection.markup else "text",
        }
        key = self.api_key()
        if key:
            payload["api_key"] = key
        data = post_json(url, payload=payload, timeout=self.timeout, engine=self.name)
        translated = data.get("translatedText") if isinstance(data, dict) else None
        if isinstance(translated, str) and len(texts) == 1:
            translated = [translated]
        if (
            not isinstance(translated, list)
            or len(translated) != len(texts)
            or not all(isinstance(t, str) for t in translated)
        ):
            raise EngineUnavailable(f"libre: {url} sent a malformed answer")
        return list(translated)
