"""DeepL through its official client, with the key from the environment only.

deep-translator's DeepL class still sends the key as a query parameter, which DeepL
stopped accepting in November 2025; the official ``deepl`` package sends it as a header
and handles XML tags natively, which is how glossary terms are protected here.

The client's timeout and retries are module globals of ``deepl.http_client``
(``min_connection_timeout``, ``max_network_retries``) that every client in the process
reads, and its constructor takes neither.  So each client gets its own ``HttpClient``
whose one request uses this engine's timeout and is never retried inside the client
(dispatch retries, with its backoff and the run's retry budget).  That replaces the
client's private ``_client``, checked against deepl 1.32 by tests/test_engines_services.py.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import EngineError, EngineRejected, EngineUnavailable
from . import Engine, Protection, with_settings
from .http import ANSWER_FACTOR, ANSWER_FLOOR, read_answer, request_error


class DeepLEngine(Engine):
    """``translate_text`` with ``tag_handling="xml"``: keep terms and masked spans travel in
    ignored ``<x>`` tags, agreed translations through a DeepL glossary of the pair."""

    name = "deepl"
    protection = Protection(markup=True, open="<x>", close="</x>")
    steers_by_glossary = True
    key_env = "DEEPL_AUTH_KEY"
    max_batch = 50
    max_chars = 100_000
    setting_types = with_settings(url=str, api_key_env=str)

    def __init__(self, settings: Mapping[str, Any], *, timeout: float) -> None:
        super().__init__(settings, timeout=timeout)
        # Shared by the copies in_form and with_agreed make, across dispatch's workers.
        self._glossaries: dict[str, Any] = {}
        self._glossary_lock = threading.Lock()

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        import deepl

        key = str(self.api_key())
        target_code = self.code(target).upper()
        if target_code in ("EN", "PT"):  # DeepL wants a regional variant for these targets
            target_code = {"EN": "EN-GB", "PT": "PT-PT"}[target_code]
        url = self.settings.get("url") or None
        # The platform stays out of the User-Agent: it is nobody's business where we run.
        # Any: _client is private, and deepl leaves close() untyped.
        client: Any = deepl.DeepLClient(key, server_url=url, send_platform_info=False)
        client._client.close()
        client._client = _one_try_client()(self.timeout)
        # The plain form sends text, not XML: a "&" or "<" there is just a character.
        markup: dict[str, Any] = (
            {} if self.protection.plain else {"tag_handling": "xml", "ignore_tags": ["x"]}
        )
        try:
            glossary = self._glossary(client, source, target) if self.agreed else None
            results = client.translate_text(
                list(texts),
                source_lang=self.code(source).upper(),
                target_lang=target_code,
                glossary=glossary,
                **markup,
            )
        except deepl.DeepLException as exc:
            raise _mapped(exc, url=str(url or "DeepL"), timeout=self.timeout) from exc
        except ValueError as exc:  # the client refuses a glossary entry (a tab, a newline)
            raise EngineRejected(f"deepl: the glossary cannot be sent: {exc}") from exc
        finally:
            client.close()
        results = results if isinstance(results, list) else [results]
        return [result.text for result in results]

    def _glossary(self, client: Any, source: str, target: str) -> Any:
        import deepl

        """The DeepL glossary holding exactly the agreed translations of this pair.

        It is found by its name, which carries a hash of its entries, so an edited
        glossary file gets a new one; the pair's older locpipe glossaries are deleted.
        """
        pair = f"{self.code(source).upper()}-{self.code(target).upper()}"
        entries = dict(sorted(self.agreed.items()))
        digest = hashlib.sha256(json.dumps(entries, ensure_ascii=False).encode()).hexdigest()
        # Named after the project too, so projects sharing an account never delete each
        # other's glossaries.
        prefix = f"locpipe {self.owner} {pair} "
        name = f"{prefix}{digest[:16]}"
        with self._glossary_lock:
            if name not in self._glossaries:
                existing = client.list_glossaries()
                found = next((g for g in existing if g.name == name and g.ready), None)
                for stale in existing:
                    if stale.name.startswith(prefix) and stale.name != name:
                        with contextlib.suppress(deepl.DeepLException):  # gone already
                            client.delete_glossary(stale)
                if found is None:
                    found = client.create_glossary(
                        name, self.code(source).upper(), self.code(target).upper(), entries
                    )
                self._glossaries[name] = found
            return self._glossaries[name]


def _mapped(exc: Any, *, url: str, timeout: float) -> EngineError:
    """The engine error for what the deepl client raised, by type and status only."""
    import deepl

    if isinstance(exc, deepl.AuthorizationException):
        return EngineRejected("deepl: the API key was refused")
    if isinstance(exc, deepl.QuotaExceededException):
        return EngineRejected("deepl: the character quota is used up")
    if isinstance(exc, deepl.TooManyRequestsException):
        return EngineUnavailable("deepl: too many requests (HTTP 429)")
    if isinstance(exc, deepl.ConnectionException) and isinstance(exc.__cause__, Exception):
        # The client wraps the requests exception; map it as every other engine does.
        return request_error(exc.__cause__, engine="deepl", url=url, timeout=timeout)
    status = getattr(exc, "http_status_code", None)
    if exc.should_retry or (isinstance(status, int) and status >= 500):
        return EngineUnavailable(f"deepl: the service answered HTTP {status or 'error'}")
    return EngineRejected(f"deepl: request refused ({type(exc).__name__}, HTTP {status})")


@functools.cache
def _one_try_client() -> Any:
    """deepl's ``HttpClient`` with a timeout of its own and no retries (defined on first use,
    so that loading a project does not import deepl)."""
    from deepl.http_client import HttpClient

    class OneTryHttpClient(HttpClient):
        """Sends each request once, with this client's timeout."""

        def __init__(self, timeout: float) -> None:
            super().__init__(send_platform_info=False)
            self.timeout = timeout

        def request_with_backoff(
            self,
            method: str,
            url: str,
            data: dict[str, Any] | None,
            json: dict[str, Any] | None,
            headers: dict[str, str],
            stream: bool = False,
            **kwargs: Any,
        ) -> Any:
            request = self._prepare_request(method, url, data, json, headers, **kwargs)
            if stream:  # a document download, which locpipe never asks for
                return self._internal_request(request, stream, timeout=self.timeout)
            # Streamed and read here, so the timeout bounds the whole answer, not each
            # read, and its size is limited as every engine's is.
            started = time.monotonic()
            status, response = self._internal_request(request, True, timeout=self.timeout)
            assert not isinstance(response, str)  # streamed: the Response itself
            body = request.body
            sent = (len(body) if isinstance(body, bytes | str) else 0) + len(url)
            with response:
                content = read_answer(
                    response,
                    deadline=started + self.timeout,
                    limit=max(ANSWER_FLOOR, ANSWER_FACTOR * sent),
                    engine="deepl",
                    url=url,
                )
            return status, content.decode("utf-8", "replace")

    return OneTryHttpClient
