"""One loopback server that speaks the protocols of google, mymemory, deepl and microsoft.

Each answers as the service does, translating with ``libre_server.translate_text`` and
keeping each service's protected element whole: ``GET /m`` is Google's web page (the
result in ``<div class="result-container">``), ``GET /get`` MyMemory's JSON, ``POST
/v2/translate`` DeepL's API (``DeepL-Auth-Key`` header, ``<x>`` ignored) and ``POST
/translate`` Microsoft's v3 (``Ocp-Apim-Subscription-Key``, ``class="notranslate"``).
Faults queued in ``state.faults`` answer one request each: ``429``, ``500``, ``503``,
``403``, ``timeout`` (no answer for ``state.timeout_sleep`` seconds), ``drop``, ``empty``
(a page or answer without a translation), ``status-403`` (MyMemory's HTTP 200 carrying
``responseStatus`` 403) and ``match-0.82`` (MyMemory's answer from a memory match of 82%).
DeepL's glossaries (``/v2/glossaries``: list, create, delete) are kept in
``state.glossaries``, and a translation with a ``glossary_id`` applies its entries to the
text outside ``<x>`` before translating.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .libre_server import translate_text

_KEPT = re.compile(r'(<x>.*?</x>|<span class="notranslate">.*?</span>|<[^>]+>)', re.S)


def translate_markup(text: str) -> str:
    """Translate text nodes; keep tags, and the protected elements whole."""
    return "".join(
        part if _KEPT.fullmatch(part) else html.escape(translate_text(html.unescape(part)), False)
        for part in _KEPT.split(text)
    )


@dataclass
class Request:
    """One request as it arrived."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class ServiceState:
    """What the server saw, and the faults it is told to answer with."""

    requests: list[Request] = field(default_factory=list)
    faults: deque[str] = field(default_factory=deque)
    glossaries: dict[str, dict[str, Any]] = field(default_factory=dict)  # DeepL's, by id
    timeout_sleep: float = 2.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)

    def reset(self) -> None:
        with self.lock:
            self.requests = []
            self.faults.clear()
            self.glossaries.clear()
            self.timeout_sleep = 2.0
            self.release.set()  # wakes handlers still sleeping out a "timeout"
            self.release = threading.Event()


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        state = self.server.state
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        request = Request(method, parts.path, parse_qs(parts.query), dict(self.headers), body)
        with state.lock:
            state.requests.append(request)
            fault = state.faults.popleft() if state.faults else None
        if fault == "timeout":
            state.release.wait(state.timeout_sleep)
        elif fault == "drop":
            self.close_connection = True
            return
        elif fault in ("429", "500", "503", "403"):
            return self._send(int(fault), b'{"message": "fault"}', "application/json")
        if parts.path.startswith("/v2/glossaries"):
            return self._glossaries(request)
        route = {
            ("GET", "/m"): self._google,
            ("GET", "/get"): self._mymemory,
            ("POST", "/v2/translate"): self._deepl,
            ("POST", "/translate"): self._microsoft,
        }.get((method, parts.path))
        if route is None:
            return self._send(404, b"not found", "text/plain")
        route(request, fault)

    def _google(self, request: Request, fault: str | None) -> None:
        text = html.escape(translate_text(request.query["q"][0]), quote=False)
        result = "" if fault == "empty" else f'<div class="result-container">{text}</div>'
        page = f'<html><body><div class="header">Google</div>{result}</body></html>'
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def _mymemory(self, request: Request, fault: str | None) -> None:
        if fault == "status-403":
            data: Any = {"responseStatus": "403", "responseDetails": "INVALID LANGUAGE PAIR"}
        else:
            text = "" if fault == "empty" else translate_text(request.query["q"][0])
            data = {"responseData": {"translatedText": text}, "responseStatus": 200}
            if fault and fault.startswith("match-"):  # a stored translation of a similar text
                data["responseData"]["match"] = float(fault.removeprefix("match-"))
            data["matches"] = []
        self._json(data)

    def _deepl(self, request: Request, fault: str | None) -> None:
        if not request.headers.get("Authorization", "").startswith("DeepL-Auth-Key "):
            return self._send(403, b'{"message": "Forbidden"}', "application/json")
        texts = request.body["text"]
        entries = self.server.state.glossaries.get(request.body.get("glossary_id", ""), {})
        translated = [
            translate_markup(_apply(entries["entries"], t) if entries else t)
            if request.body.get("tag_handling")
            else t
            for t in texts
        ]
        self._json(
            {
                "translations": [
                    {"text": t, "detected_source_language": "NL", "billed_characters": len(s)}
                    for t, s in zip(translated, texts, strict=True)
                ]
            }
        )

    def _glossaries(self, request: Request) -> None:
        glossaries = self.server.state.glossaries
        if request.method == "GET":
            return self._json({"glossaries": [_info(g) for g in glossaries.values()]})
        if request.method == "DELETE":
            glossaries.pop(request.path.rsplit("/", 1)[-1], None)
            return self._send(204, b"", "application/json")
        body = request.body
        entries = dict(line.split("\t") for line in body["entries"].splitlines() if line)
        glossary = {**body, "entries": entries, "id": f"g{len(glossaries) + 1}"}
        glossaries[glossary["id"]] = glossary
        self._send(201, json.dumps(_info(glossary)).encode(), "application/json")

    def _microsoft(self, request: Request, fault: str | None) -> None:
        if not request.headers.get("Ocp-Apim-Subscription-Key"):
            return self._send(401, b'{"error": {"message": "no key"}}', "application/json")
        to = request.query["to"][0]
        self._json(
            [
                {"translations": [{"text": translate_markup(item["Text"]), "to": to}]}
                for item in request.body
            ]
        )

    def _json(self, data: Any) -> None:
        self._send(200, json.dumps(data).encode(), "application/json")

    def _send(self, status: int, data: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(data)  # the client may have given up (a timeout test)


def _info(glossary: dict[str, Any]) -> dict[str, Any]:
    """A glossary as DeepL's API describes it."""
    return {
        "glossary_id": glossary["id"],
        "name": glossary["name"],
        "ready": True,
        "source_lang": glossary["source_lang"].lower(),
        "target_lang": glossary["target_lang"].lower(),
        "creation_time": "2026-12-05T12:00:00.000Z",
        "entry_count": len(glossary["entries"]),
    }


def _apply(entries: dict[str, str], text: str) -> str:
    """The glossary's terms replaced outside <x> elements, a Dutch possessive -s made 's,
    as DeepL inflects a glossary term."""
    pieces = re.split(r"(<x>.*?</x>)", text)
    for source, target in entries.items():
        pieces = [
            p
            if p.startswith("<x>")
            else re.sub(
                rf"\b{re.escape(source)}(s?)\b",
                lambda m, t=target: t + ("'s" if m.group(1) else ""),
                p,
            )
            for p in pieces
        ]
    return "".join(pieces)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = ServiceState()


class ServiceServer:
    """A running server: ``url``, ``state``; stop with :meth:`close`."""

    def __init__(self) -> None:
        self._server = _Server()
        self.state = self._server.state
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
