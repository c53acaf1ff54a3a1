"""HTTP for the engines that speak web APIs: a timeout on every request, errors mapped here.

Status codes decide retrying: 429, 5xx, timeouts and dropped connections are
:class:`EngineUnavailable` (with the server's Retry-After), a connection that cannot be
made at all is :class:`EngineUnreachable`, other 4xx are :class:`EngineRejected`.
Messages never include the texts sent, which may be unpublished.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any

from ..errors import EngineError, EngineRejected, EngineUnavailable, EngineUnreachable


def send(
    method: str,
    url: str,
    *,
    timeout: float,
    engine: str,
    payload: Any = None,
    headers: Mapping[str, str] | None = None,
    params: Mapping[str, str] | None = None,
) -> Any:
    """Send one request with this timeout; return the ``requests.Response`` if it is a 2xx.

    Nothing outside the call changes: the timeout is the request's own, never a default of
    the process (a socket default or a library's module setting).
    """
    import requests

    try:
        response = requests.request(
            method,
            url,
            json=payload,
            headers=dict(headers or {}),
            params=params,
            timeout=timeout,
        )
    except requests.RequestException as exc:
        raise request_error(exc, engine=engine, url=url, timeout=timeout) from exc
    status = response.status_code
    if status == 429 or status >= 500:
        raise EngineUnavailable(
            f"{engine}: {url} answered HTTP {status}",
            retry_after=retry_after(response.headers.get("Retry-After")),
        )
    if status in (401, 403):
        raise EngineRejected(f"{engine}: {url} refused the key (HTTP {status})")
    if status >= 400:
        raise EngineRejected(f"{engine}: {url} answered HTTP {status}: {_error_text(response)}")
    return response


def request_error(exc: Exception, *, engine: str, url: str, timeout: float) -> EngineError:
    """The engine error a failed request maps to (a requests exception, or another: retry).

    The only place a requests exception becomes an engine error; deepl.py sends what its
    client raises here too.
    """
    import requests
    from urllib3.exceptions import ProtocolError

    if isinstance(exc, requests.Timeout):
        return EngineUnavailable(f"{engine}: no answer from {url} within {timeout:g} s")
    if isinstance(exc, requests.ConnectionError):
        if exc.args and isinstance(exc.args[0], ProtocolError):
            # Connected, then dropped before an answer (a restart, a proxy): worth a retry.
            return EngineUnavailable(f"{engine}: {url} closed the connection without answering")
        return EngineUnreachable(f"{engine}: cannot connect to {url}")
    return EngineUnavailable(f"{engine}: request to {url} failed ({type(exc).__name__})")


def post_json(
    url: str,
    *,
    payload: Any,
    timeout: float,
    headers: Mapping[str, str] | None = None,
    params: Mapping[str, str] | None = None,
    engine: str,
) -> Any:
    """POST a JSON body and return the decoded JSON answer."""
    response = send(
        "POST",
        url,
        payload=payload,
        headers=headers,
        params=params,
        timeout=timeout,
        engine=engine,
    )
    return decode_json(response, url=url, engine=engine)


def decode_json(response: Any, *, url: str, engine: str) -> Any:
    """The JSON an answer holds; anything else is a transient fault (a proxy's error page)."""
    try:
        return response.json()
    except (ValueError, json.JSONDecodeError) as exc:
        raise EngineUnavailable(f"{engine}: {url} sent a malformed answer (not JSON)") from exc


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date).

    >>> retry_after("3")
    3.0
    >>> retry_after(None) is None
    True
    """
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        from datetime import UTC, datetime

        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


def _error_text(response: Any) -> str:
    """The server's own error message, short, for a rejected request."""
    try:
        data = response.json()
    except ValueError:
        return response.reason or "error"
    if isinstance(data, dict):
        message = data.get("error") or data.get("message") or data.get("detail")
        if isinstance(message, dict):
            message = message.get("message")
        if isinstance(message, str):
            return message[:200]
    return response.reason or "error"
