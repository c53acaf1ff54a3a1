"""Google and MyMemory through deep-translator, with the gaps it leaves closed here.

Facts measured on deep-translator 1.11.4: it sets no request timeout (a slow server
blocks forever), loses status codes and Retry-After inside its exceptions, lets a refused
connection escape as a raw requests exception, and puts the full source text in its
exception messages.  So: a socket timeout for the process, one text per call, and every
exception mapped here by its type alone, never by its message.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from typing import Any, ClassVar

from ..errors import EngineRejected, EngineUnavailable, EngineUnreachable
from . import Engine, Protection


class DeepTranslatorEngine(Engine):
    """An engine backed by one deep-translator class, one text per request."""

    translator_class: ClassVar[str]
    # Numbered tokens in braces, like format-string placeholders, come through these
    # engines untranslated; verification catches the times they do not.
    protection = Protection(token="{{{n}}}")
    requests_per_second = 2.0

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        import deep_translator
        import requests
        from deep_translator import exceptions as dt

        # urllib3 uses the socket default timeout when deep-translator passes none.
        if socket.getdefaulttimeout() is None:
            socket.setdefaulttimeout(self.timeout)
        translator_class = getattr(deep_translator, self.translator_class)
        try:
            translator = translator_class(source=self.code(source), target=self.code(target))
            return [self._one(translator, text) for text in texts]
        except (dt.LanguageNotSupportedException, dt.InvalidSourceOrTargetLanguage) as exc:
            raise EngineRejected(
                f"{self.name}: language pair {source}-{target} not supported"
            ) from exc
        except dt.TooManyRequests as exc:
            raise EngineUnavailable(f"{self.name}: too many requests (HTTP 429)") from exc
        except (dt.RequestError, dt.ServerException) as exc:
            raise EngineUnavailable(f"{self.name}: the service answered with an error") from exc
        except (TimeoutError, requests.Timeout) as exc:
            raise EngineUnavailable(f"{self.name}: no answer within {self.timeout:g} s") from exc
        except requests.ConnectionError as exc:
            raise EngineUnreachable(f"{self.name}: cannot reach the service (no network?)") from exc
        except (dt.TranslationNotFound, dt.NotValidPayload, dt.NotValidLength) as exc:
            raise EngineRejected(
                f"{self.name}: no translation returned ({type(exc).__name__})"
            ) from exc
        except requests.RequestException as exc:
            raise EngineUnavailable(f"{self.name}: request failed ({type(exc).__name__})") from exc

    def _one(self, translator: Any, text: str) -> str:
        result = translator.translate(text)
        if not isinstance(result, str):
            raise EngineUnavailable(f"{self.name}: malformed answer")
        return result


class GoogleEngine(DeepTranslatorEngine):
    """Google Translate's public web endpoint, no key."""

    name = "google"
    translator_class = "GoogleTranslator"


class MyMemoryEngine(DeepTranslatorEngine):
    """MyMemory, no key; at most 500 characters a request."""

    name = "mymemory"
    translator_class = "MyMemoryTranslator"
    max_chars = 500

    def code(self, language: str) -> str:
        # MyMemory wants a locale; deep-translator maps its own names, not ISO codes.
        from deep_translator.constants import MY_MEMORY_LANGUAGES_TO_CODES

        short = super().code(language)
        codes = [str(c) for c in MY_MEMORY_LANGUAGES_TO_CODES.values() if c.split("-")[0] == short]
        preferred = f"{short}-{short.upper()}"  # nl-NL, de-DE rather than nl-BE, de-AT
        return preferred if preferred in codes else (codes[0] if codes else short)
