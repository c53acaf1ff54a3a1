"""An OpenAI-compatible chat-completions server on 127.0.0.1 for tests: real HTTP.

It reads the items of the user message (JSON, as the openai engine sends them), translates
each text word by word with the LibreTranslate fixture's dictionary (which "corrects"
glossary terms it sees, as models do), keeps placeholders, and answers with
``{"translations": [{"id", "text"}]}``.  ``state.mode`` makes it misbehave:
``shift`` (every id moved by one), ``merge`` (the first two items answered as one),
``missing`` (the last item left out), ``sabotage`` (placeholders dropped and terms
"corrected" unless the item says how its previous attempt failed), ``prose`` (an answer
that is not JSON).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .libre_server import MANGLED, translate_text

_PLACEHOLDER = re.compile(r"⟦\d+⟧")


@dataclass
class OpenAIState:
    """What the server received and how it is told to answer."""

    mode: str = "normal"
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def items(self) -> list[dict[str, Any]]:
        """Every item of every request, in arrival order."""
        return [item for request in self.requests for item in _items(request)]


def _items(request: dict[str, Any]) -> list[dict[str, Any]]:
    user = next(m["content"] for m in request["messages"] if m["role"] == "user")
    items: list[dict[str, Any]] = json.loads(user)["items"]
    return items


def _translate(item: dict[str, Any], mode: str) -> str:
    text = translate_text(item["text"])
    if mode == "sabotage" and "previous_attempt_failed" not in item:
        text = _PLACEHOLDER.sub("", text)
        for term, mangled in MANGLED.items():
            text = text.replace(term, mangled)
    return text


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: Any) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:
        state = self.server.state
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        with state.lock:
            state.requests.append(body)
        if not self.path.endswith("/chat/completions"):
            return self._json(404, {"error": {"message": "not found"}})
        items = _items(body)
        answers = [{"id": item["id"], "text": _translate(item, state.mode)} for item in items]
        if state.mode == "shift":
            answers = [{"id": str(int(a["id"]) + 1), "text": a["text"]} for a in answers]
        elif state.mode == "merge" and len(answers) > 1:
            merged = {"id": answers[0]["id"], "text": answers[0]["text"] + " " + answers[1]["text"]}
            answers = [merged, *answers[2:]]
        elif state.mode == "missing":
            answers = answers[:-1]
        content = (
            "Sure! Here you go."
            if state.mode == "prose"
            else json.dumps({"translations": answers}, ensure_ascii=False)
        )
        self._json(
            200, {"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}
        )

    def _json(self, status: int, data: Any) -> None:
        raw = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = OpenAIState()


class OpenAIServer:
    """A running server: ``url`` (ending in /v1) and ``state``; stop with :meth:`close`."""

    def __init__(self) -> None:
        self._server = _Server()
        self.state = self._server.state
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}/v1"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
