"""HTTP for the engines that speak web APIs: a timeout on every request, errors mapped here.

Status codes decide retrying: 429, 5xx, timeouts and dropped connections are
:class:`EngineUnavailable` (with the server's Retry-After), a connection that cannot be
made at all is :class:`EngineUnreachable`, other 4xx are :class:`EngineRejected`.
Messages never include the texts sent, which may be unpublished.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

from ..errors import EngineError, EngineRejected, EngineUnavailable, EngineUnreachable

# An answer may be this much larger than what was sent, and at least ANSWER_FLOOR bytes:
# a translation is rarely three times its source, and a server that sends megabytes for a
# paragraph is broken or hostile.  JSON escapes can take six bytes for one character.
ANSWER_FLOOR = 1_000_000
ANSWER_FACTOR = 16
_CHUNK = 65536


@dataclass(frozen=True, slots=True)
class Reply:
    """A whole HTTP answer, read within its deadline and its size limit."""

    status_code: int
    reason: str
    headers: Mapping[str, str]
    content: bytes

    @property
    def text(self) -> str:
        """The body as text, in the charset the answer names (UTF-8 if none)."""
        kind = self.headers.get("Content-Type", "")
        charset = re.search(r"charset=[\"']?([\w.:-]+)", kind)
        try:
            return self.content.decode(charset.group(1) if charset else "utf-8", "replace")
        except LookupError:  # a charset Python does not know
            return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        """The body as JSON (ValueError if it is not)."""
        return json.loads(self.content)


def send(
    method: str,
    url: str,
    *,
    timeout: float,
    engine: str,
    payload: Any = None,
    headers: Mapping[str, str] | None = None,
    params: Mapping[str, str] | None = None,
) -> Reply:
    """Send one request; return its whole answer if it is a 2xx.

    ``timeout`` bounds the whole exchange, not each read: a server that sends a byte
    every few seconds is cut off once ``timeout`` seconds have passed since the request
    went out.  The answer may be at most ``ANSWER_FACTOR`` times what was sent (and at
    least ``ANSWER_FLOOR`` bytes).  Nothing outside the call changes: the timeout is the
    request's own, never a default of the process.
    """
    import requests

    started = time.monotonic()
    body = json.dumps(payload).encode() if payload is not None else b""
    sent = len(body) + len(url) + sum(len(k) + len(v) for k, v in (params or {}).items())
    limit = max(ANSWER_FLOOR, ANSWER_FACTOR * sent)
    try:
        response = requests.request(
            method,
            url,
            data=body if payload is not None else None,
            headers={
                **({"Content-Type": "application/json"} if payload is not None else {}),
                **dict(headers or {}),
            },
            params=params,
            timeout=timeout,
            stream=True,
        )
    except requests.RequestException as exc:
        raise request_error(exc, engine=engine, url=url, timeout=timeout) from exc
    with response:
        content = read_answer(
            response, deadline=started + timeout, limit=limit, engine=engine, url=url
        )
    reply = Reply(response.status_code, response.reason or "", response.headers, content)
    status = reply.status_code
    if status == 429 or status >= 500:
        raise EngineUnavailable(
            f"{engine}: {url} answered HTTP {status}",
            retry_after=retry_after(reply.headers.get("Retry-After")),
        )
    if status in (401, 403):
        raise EngineRejected(f"{engine}: {url} refused the key (HTTP {status})")
    if status >= 400:
        raise EngineRejected(f"{engine}: {url} answered HTTP {status}: {_error_text(reply)}")
    return reply


def read_answer(response: Any, *, deadline: float, limit: int, engine: str, url: str) -> bytes:
    """The body of a streamed ``requests`` response, whole, by ``deadline`` and within
    ``limit`` bytes; else the engine error that says which was exceeded.

    Each read returns as soon as some bytes arrive, and the socket may wait only until the
    deadline, so a server dripping bytes is cut off on time.  deepl.py reads here too.
    """
    from urllib3.exceptions import HTTPError as Urllib3Error

    raw = response.raw
    chunks: list[bytes] = []
    size = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise EngineUnavailable(f"{engine}: {url} did not finish its answer in time")
        _limit_wait(raw, remaining)
        try:
            chunk = raw.read1(_CHUNK, decode_content=True)
        except (Urllib3Error, OSError) as exc:
            if time.monotonic() >= deadline:
                raise EngineUnavailable(
                    f"{engine}: {url} did not finish its answer in time"
                ) from exc
            raise EngineUnavailable(
                f"{engine}: {url} closed the connection without answering"
            ) from exc
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise EngineRejected(f"{engine}: {url} sent an answer of more than {limit} bytes")
        chunks.append(chunk)


def _limit_wait(raw: Any, seconds: float) -> None:
    """Let the next read on this answer's socket wait ``seconds`` at most.

    urllib3 gives the connection of a streamed answer; its socket is plain Python's.
    Without one (an answer already buffered) a read does not wait.
    """
    connection = getattr(raw, "connection", None)
    sock = getattr(connection, "sock", None)
    if sock is not None:
        sock.settimeout(max(seconds, 0.001))


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


def decode_json(response: Reply, *, url: str, engine: str) -> Any:
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


def _error_text(response: Reply) -> str:
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
