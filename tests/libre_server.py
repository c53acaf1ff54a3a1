"""A LibreTranslate-compatible server on 127.0.0.1 for tests: real HTTP, scripted faults.

It translates Dutch to English word by word from a small dictionary, keeps unknown words,
and, like a real neural engine, "corrects" the glossary terms it is shown (ATACMS becomes
Atacms, Kyiv becomes Kiev), which is what makes protection necessary.  In HTML mode it
keeps tags, leaves ``<code>`` content alone and answers with the text nodes unescaped, as
LibreTranslate's translatehtml does; with ``state.sabotage_tags`` it translates inside
``<code>`` too, as a proxy, a fork or an LLM-backed server may.  In text mode, tokens such
as ``{0}`` pass through as they are.

Faults are queued in ``state.faults`` and each answers one request, in arrival order:
``429`` (with ``state.retry_after``), ``500``/``502``/``503``, ``timeout`` (no answer for
``state.timeout_sleep`` seconds), ``drop`` (the connection is closed without an answer),
``malformed`` (an HTML page), ``short`` (no translations), ``drop-code`` (a normal answer
whose ``<code>`` elements, the protected terms, are lost) and ``drop-tokens`` (a normal
answer whose ``{n}`` tokens are lost).
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

WORDS = {
    "de": "the",
    "het": "the",
    "een": "a",
    "en": "and",
    "van": "of",
    "in": "in",
    "op": "on",
    "aan": "to",
    "met": "with",
    "voor": "for",
    "door": "by",
    "is": "is",
    "zijn": "are",
    "niet": "not",
    "dat": "that",
    "dit": "this",
    "te": "to",
    "om": "to",
    "heeft": "has",
    "hebben": "have",
    "raketten": "missiles",
    "tekort": "shortage",
    "nieuwe": "new",
    "oorlog": "war",
    "regering": "government",
    "steun": "support",
    "meer": "more",
    "angst": "fear",
    "escalatie": "escalation",
    "volgens": "according to",
    "geen": "no",
    "militaire": "military",
    "levert": "delivers",
    "wat": "what",
    "gevolgen": "consequences",
    "oekraïne": "Ukraine",
    "rusland": "Russia",
    "probleem": "problem",
    "meldt": "reports",
    "kremlin": "Kremlin",
    "strijdkrachten": "armed forces",
    "toestemming": "permission",
    "november": "November",
    "minstens": "at least",
    "sinds": "since",
    "jou": "you",
    "ons": "us",
    "volg": "follow",
    "elke": "every",
    "dag": "day",
    "beste": "best",
}
MANGLED = {"ATACMS": "Atacms", "Kyiv": "Kiev", "Storm Shadow": "Storm shadow"}
_TAG = re.compile(r"(<code>.*?</code>|<[^>]+>)", re.S)
_WORD = re.compile(r"\w+", re.U)
_CODE = re.compile(r"<code>.*?</code>", re.S)
_TOKEN = re.compile(r"\{\d+\}")


def translate_text(text: str) -> str:
    """Dutch to 'English', word by word, mangling glossary terms."""
    for term, mangled in MANGLED.items():
        text = text.replace(term, mangled)

    def word(match: re.Match[str]) -> str:
        found = WORDS.get(match.group().lower())
        if found is None:
            return match.group()
        return found.capitalize() if match.group()[0].isupper() else found

    return _WORD.sub(word, text)


def translate_html(text: str, *, sabotage: bool = False) -> str:
    """Translate text nodes; keep tags, and <code> elements whole unless ``sabotage``."""
    parts = _TAG.split(text)
    return "".join(
        _sabotaged(part)
        if sabotage and _CODE.fullmatch(part)
        else part
        if _TAG.fullmatch(part)
        else translate_text(html.unescape(part))
        for part in parts
    )


def _sabotaged(element: str) -> str:
    """A <code> element whose content was translated all the same."""
    return f"<code>{translate_text(html.unescape(element[6:-7]))}</code>"


@dataclass
class ServerState:
    """What the server did and what it is told to do next."""

    requests: int = 0
    texts: list[str] = field(default_factory=list)
    faults: deque[str] = field(default_factory=deque)  # "429", "500", "timeout", "malformed", ...
    delay: float = 0.0  # seconds before every answer
    timeout_sleep: float = 2.0
    retry_after: str = "0"  # the Retry-After header of a 429
    languages: tuple[str, ...] = ("nl", "en", "de")
    sabotage_tags: bool = False  # translate inside <code> in HTML mode
    on_request: Callable[[], None] | None = None  # runs before each answer, in the server
    active: int = 0
    max_active: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Set by reset() to wake handlers still sleeping out a "timeout" fault of an earlier test.
    release: threading.Event = field(default_factory=threading.Event)

    def reset(self) -> None:
        with self.lock:
            self.requests, self.texts, self.delay, self.max_active = 0, [], 0.0, 0
            self.timeout_sleep, self.retry_after = 2.0, "0"
            self.languages = ("nl", "en", "de")
            self.sabotage_tags = False
            self.on_request = None
            self.faults.clear()
            self.release.set()
            self.release = threading.Event()


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: Any) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        if self.path.rstrip("/") == "/languages":
            codes = self.server.state.languages
            self._json(200, [{"code": c, "name": c, "targets": list(codes)} for c in codes])
        else:
            self._json(404, {"error": "Not Found"})

    def do_POST(self) -> None:
        state = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        with state.lock:
            state.requests += 1
            state.active += 1
            state.max_active = max(state.max_active, state.active)
            fault = state.faults.popleft() if state.faults else None
        self._active = True
        try:
            if state.on_request:
                state.on_request()
            if state.delay:
                time.sleep(state.delay)
            self._answer(state, body, fault)
        finally:
            self._done()

    def _done(self) -> None:
        """The request no longer counts as active.

        Called before the answer goes out: a client that waits for each answer before
        sending the next request must never be seen with two requests active.
        """
        if getattr(self, "_active", False):
            self._active = False
            with self.server.state.lock:
                self.server.state.active -= 1

    def _answer(self, state: ServerState, body: bytes, fault: str | None) -> None:
        if fault == "timeout":
            state.release.wait(state.timeout_sleep)
            return self._json(200, {"translatedText": "too late"})
        if fault == "drop":
            self.close_connection = True
            return None
        if fault == "429":
            return self._json(429, {"error": "Slowdown"}, {"Retry-After": state.retry_after})
        if fault in ("500", "502", "503"):
            return self._json(int(fault), {"error": "Internal error"})
        if fault == "malformed":
            return self._raw(200, b"<html>proxy error</html>", "text/html")
        if fault == "short":
            return self._json(200, {"translatedText": []})
        try:
            request = json.loads(body)
        except ValueError:
            return self._json(400, {"error": "Invalid request"})
        source, target = request.get("source"), request.get("target")
        if source not in state.languages or target not in state.languages:
            return self._json(400, {"error": f"{source} is not supported"})
        texts = request.get("q")
        batch = texts if isinstance(texts, list) else [texts]
        with state.lock:
            state.texts.extend(batch)
        if request.get("format") == "html":
            translated = [translate_html(t, sabotage=state.sabotage_tags) for t in batch]
        else:
            translated = [translate_text(t) for t in batch]
        if fault == "drop-code":
            translated = [_CODE.sub("", t) for t in translated]
        if fault == "drop-tokens":
            translated = [_TOKEN.sub("", t) for t in translated]
        self._json(
            200, {"translatedText": translated if isinstance(texts, list) else translated[0]}
        )

    def _json(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
        self._raw(status, json.dumps(data).encode(), "application/json", headers)

    def _raw(
        self, status: int, data: bytes, kind: str, headers: dict[str, str] | None = None
    ) -> None:
        self._done()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(data)  # the client may have given up (a timeout test)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = ServerState()


class LibreServer:
    """A running server: ``url``, ``state``; stop with :meth:`close`."""

    def __init__(self) -> None:
        self._server = _Server()
        self.state = self._server.state
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
