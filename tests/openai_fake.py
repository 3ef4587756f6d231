"""A fake OpenAI-shaped server for the tests (imported by test_openai_fake.py): stdlib `http.server` on
127.0.0.1 and a free port, in a thread. It answers the way the real API does where generated clients
broke: SSE chat streams ending in `data: [DONE]`, an error object in the middle of a stream, 429/503
before success on a POST, a file whose `purpose` its response enum does not list, and file contents
served as CSV or JSON lines although the spec documents `application/json`.

Behaviour is chosen by the request (the `model` or the file id), so each test is independent.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CSV = "id,score\n1,0.5\n2,0.75\n"
JSONL = '{"prompt": "a"}\n{"prompt": "b"}\n'


def chunk(text: str, finish: str | None = None) -> dict[str, Any]:
    choice = {"index": 0, "delta": {"role": "assistant", "content": text}, "finish_reason": finish}
    return {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [choice]}


COMPLETION = {
    "id": "c1",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "choices": [
        {
            "index": 0,
            "finish_reason": "stop",
            "logprobs": None,
            "message": {"role": "assistant", "content": "hi", "refusal": None},
        }
    ],
}


class FakeOpenAI(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FakeServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-request-id", f"req_{self.server.count}")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, value: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(value).encode(), "application/json", headers)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.server.record(self)
        body = self._body()
        if self.headers.get("Authorization") != "Bearer sk-test":
            self._json(401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error", "code": "invalid_api_key"}})
        elif self.path == "/v1/chat/completions":
            self._chat(json.loads(body))
        elif self.path == "/v1/files":
            upload = {"id": "file-1", "object": "file", "bytes": 3, "created_at": 1, "filename": "evals.jsonl", "purpose": "evals", "status": "processed"}
            self._json(200, upload)
        else:
            self._json(404, {"error": {"message": "no such route", "type": "invalid_request_error"}})

    def _chat(self, request: dict[str, Any]) -> None:
        model = request.get("model")
        if model == "flaky" and self.server.flaky_failures:
            status = self.server.flaky_failures.pop(0)
            self._json(status, {"error": {"message": "try again", "type": "server_error"}}, {"Retry-After": "0"})
        elif not request.get("stream"):
            self._json(200, COMPLETION)
        else:
            events = [chunk("Hel"), chunk("lo", "stop")]
            lines = [f"data: {json.dumps(event)}\n\n" for event in events]
            if model == "mid-error":
                lines.insert(1, 'data: {"error": {"message": "The server had an error", "type": "server_error"}}\n\n')
            lines.append("data: [DONE]\n\n")
            self._send(200, "".join(lines).encode(), "text/event-stream")

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.server.record(self)
        if self.path == "/v1/files/file-csv/content":
            self._send(200, CSV.encode(), "text/csv")
        elif self.path == "/v1/files/file-jsonl/content":
            self._send(200, JSONL.encode(), "application/jsonl")
        else:
            self._json(404, {"error": {"message": "No such File object", "type": "invalid_request_error", "code": "not_found"}})


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FakeOpenAI)  # port 0: a free port
        self.count = 0
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.flaky_failures: list[int] = []
        self.lock = threading.Lock()

    def record(self, handler: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.count += 1
            self.requests.append((handler.command, handler.path, dict(handler.headers)))

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/v1"


@contextmanager
def running() -> Iterator[FakeServer]:
    server = FakeServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
