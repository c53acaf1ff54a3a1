"""A LibreTranslate look-alike on 127.0.0.1 that misbehaves on purpose, for hardening tests.

``mode`` says how it answers ``POST /translate``:

- ``drip``: headers at once, then the body one byte every ``interval`` seconds, for at
  most ``drip_for`` seconds (bounded, so a test that fails still ends);
- ``huge``: a valid answer padded to ``size`` bytes;
- ``empty``: every text translated as "";
- ``flood``: every text translated as itself 50 times;
- ``repeat``: every text translated as itself 8 times, as a looping chat model does;
- ``control``: every text with a U+0004 after it (msgfmt's context separator);
- ``surrogate``: every text with a lone surrogate before it, as JSON can write one;
- ``quoted``: every text answered in quotes, as chat models do;
- ``echo-key``: HTTP 400 whose error message quotes the api_key it was sent.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_ANSWERS = {
    "flood": lambda text: text * 50,
    "repeat": lambda text: " ".join([text] * 8),
    "control": lambda text: text + "\x04",
    "surrogate": lambda text: "\ud800" + text,
    "quoted": lambda text: f'"{text}"',
}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        server = self.server
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        with server.lock:
            server.requests += 1
        texts = request.get("q") or []
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            if server.mode == "drip":
                self._drip()
            elif server.mode == "huge":
                answer = {"translatedText": texts, "padding": "x" * server.size}
                self._json(200, answer)
            elif server.mode == "empty":
                self._json(200, {"translatedText": ["" for _ in texts]})
            elif server.mode in _ANSWERS:
                self._json(200, {"translatedText": [_ANSWERS[server.mode](t) for t in texts]})
            elif server.mode == "echo-key":
                self._json(400, {"error": f"Invalid API key: {request.get('api_key')}"})

    def _drip(self) -> None:
        server = self.server
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        ends = time.monotonic() + server.drip_for
        while time.monotonic() < ends and not server.stopped.is_set():
            self.wfile.write(b" ")
            self.wfile.flush()
            server.stopped.wait(server.interval)

    def _json(self, status: int, data: Any) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, mode: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = mode
        self.interval = 0.2
        self.drip_for = 60.0
        self.size = 2_000_000
        self.requests = 0
        self.lock = threading.Lock()
        self.stopped = threading.Event()


class HostileServer:
    """A running server in one ``mode``: ``url``, ``requests``; use it as a context manager."""

    def __init__(self, mode: str) -> None:
        self._server = _Server(mode)
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def requests(self) -> int:
        """POST requests received so far."""
        return self._server.requests

    def __enter__(self) -> HostileServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.stopped.set()  # ends any drip still going
        self._server.shutdown()
        self._server.server_close()
