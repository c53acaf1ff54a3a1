"""DeepL through its official client, with the key from the environment only.

deep-translator's DeepL class still sends the key as a query parameter, which DeepL
stopped accepting in November 2025; the official ``deepl`` package sends it as a header
and handles XML tags natively, which is how glossary terms are protected here.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import EngineRejected, EngineUnavailable, EngineUnreachable
from . import Engine, Protection, with_settings


class DeepLEngine(Engine):
    """``translate_text`` with ``tag_handling="xml"``; terms travel in ignored ``<x>`` tags."""

    name = "deepl"
    protection = Protection(markup=True, open="<x>", close="</x>")
    key_env = "DEEPL_AUTH_KEY"
    max_batch = 50
    max_chars = 100_000
    setting_types = with_settings(url=str, api_key_env=str)

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        import deepl

        key = self.api_key()
        deepl.http_client.max_network_retries = 0  # we retry, with our own backoff
        deepl.http_client.min_connection_timeout = self.timeout
        target_code = self.code(target).upper()
        if target_code in ("EN", "PT"):  # DeepL wants a regional variant for these targets
            target_code = {"EN": "EN-GB", "PT": "PT-PT"}[target_code]
        try:
            client = deepl.DeepLClient(str(key), server_url=self.settings.get("url") or None)
            results = client.translate_text(
                list(texts),
                source_lang=self.code(source).upper(),
                target_lang=target_code,
                tag_handling="xml",
                ignore_tags=["x"],
            )
        except deepl.AuthorizationException as exc:
            raise EngineRejected("deepl: the API key was refused") from exc
        except deepl.QuotaExceededException as exc:
            raise EngineRejected("deepl: the character quota is used up") from exc
        except deepl.TooManyRequestsException as exc:
            raise EngineUnavailable("deepl: too many requests (HTTP 429)") from exc
        except deepl.ConnectionException as exc:
            raise EngineUnreachable("deepl: cannot reach the service") from exc
        except deepl.DeepLException as exc:
            raise EngineRejected(f"deepl: request refused ({type(exc).__name__})") from exc
        results = results if isinstance(results, list) else [results]
        return [result.text for result in results]
