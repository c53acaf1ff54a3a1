"""HTTP for the engines that speak JSON APIs: timeouts always, errors mapped in one place.

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

from ..errors import EngineRejected, EngineUnavailable, EngineUnreachable


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
    import requests

    try:
        response = requests.post(
            url, json=payload, headers=dict(headers or {}), params=params, timeout=timeout
        )
    except requests.Timeout as exc:
        raise EngineUnavailable(f"{engine}: no answer from {url} within {timeout:g} s") from exc
    except requests.ConnectionError as exc:
        from urllib3.exceptions import ProtocolError

        if exc.args and isinstance(exc.args[0], ProtocolError):
            # Connected, then dropped before an answer (a restart, a proxy): worth a retry.
            raise EngineUnavailable(
                f"{engine}: {url} closed the connection without answering"
            ) from exc
        raise EngineUnreachable(f"{engine}: cannot connect to {url}") from exc
    except requests.RequestException as exc:
        raise EngineUnavailable(
            f"{engine}: request to {url} failed ({type(exc).__name__})"
        ) from exc
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
