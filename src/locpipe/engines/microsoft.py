"""Microsoft Translator through its REST API v3, with the key from the environment only.

deep-translator's MicrosoftTranslator fetches its language list over the network in its
constructor (so merely creating it fails offline) and sets no timeout; the API itself is
one JSON POST, so we call it directly.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import EngineUnavailable
from . import Engine, Protection, with_settings
from .http import post_json

DEFAULT_URL = "https://api.cognitive.microsofttranslator.com"


class MicrosoftEngine(Engine):
    """``POST /translate`` with ``textType=html``; terms travel in ``class="notranslate"``."""

    name = "microsoft"
    protection = Protection(markup=True, open='<span class="notranslate">', close="</span>")
    key_env = "MICROSOFT_TRANSLATOR_KEY"
    max_batch = 100
    max_chars = 40_000
    setting_types = with_settings(url=str, api_key_env=str, region=str)

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        headers = {"Ocp-Apim-Subscription-Key": str(self.api_key())}
        if self.settings.get("region"):
            headers["Ocp-Apim-Subscription-Region"] = str(self.settings["region"])
        url = str(self.settings.get("url") or DEFAULT_URL).rstrip("/") + "/translate"
        data = post_json(
            url,
            payload=[{"Text": text} for text in texts],
            params={
                "api-version": "3.0",
                "from": self.code(source),
                "to": self.code(target),
                "textType": "html",
            },
            headers=headers,
            timeout=self.timeout,
            engine=self.name,
        )
        try:
            translated = [str(item["translations"][0]["text"]) for item in data]
        except (TypeError, KeyError, IndexError) as exc:
            raise EngineUnavailable(f"microsoft: {url} sent a malformed answer") from exc
        if len(translated) != len(texts):
            raise EngineUnavailable(f"microsoft: {url} sent a malformed answer")
        return translated
