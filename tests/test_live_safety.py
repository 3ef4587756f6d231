"""Live conformance never harms a server: a generated package's live mode (`pytest <pkg> --live-base-url`)
run against a recording server on loopback. Optional values nobody gave are not sent, an operation that
changes state runs only when named with every required value, `--live-param OP:NAME=VALUE` is scoped,
and `--live-dry-run` sends nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import golden


class Recording(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[tuple[str, str, bytes]]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def _answer(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        type(self).seen.append(("GET", self.path, b""))
        self._answer(b"id\n1\n", "text/csv")

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).seen.append(("POST", self.path, body))
        self._answer(json.dumps({"id": "f1", "name": json.loads(body).get("name", "")}).encode(), "application/json")


@pytest.fixture
def server() -> Iterator[tuple[str, list[tuple[str, str, bytes]]]]:
    handler = type("Handler", (Recording,), {"seen": []})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", handler.seen
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return golden.write_package("relative_server", tmp_path_factory.mktemp("live"))


def live(package: Path, base_url: str, *options: str) -> str:
    command = [sys.executable, "-m", "pytest", str(package), "-p", "no:cacheprovider", "-q", "-rA", "--live-base-url", base_url, *options]
    completed = subprocess.run(command, capture_output=True, text=True, cwd=package.parent, timeout=300)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-2000:]
    return completed.stdout


def test_reads_send_only_example_and_required_values_and_writes_are_skipped(package, server):
    base_url, seen = server
    output = live(package, base_url, "--live-operations", "flows.create")
    # exportFlow: its required path value (made up) and the example of `since`; never `limit`.
    assert [(method, path.split("?")[0]) for method, path, _ in seen] == [("GET", "/api/flows/id%2Fwith%20space/export")]
    assert seen[0][1].endswith("?since=2024-01-01")
    assert "flows.create: skipped: changes state; give flows.create:name with --live-param to run it" in output


def test_a_named_write_runs_with_its_scoped_required_values(package, server):
    base_url, seen = server
    live(package, base_url, "--live-operations", "flows.create", "--live-param", "flows.create:name=from-test", "--live-param", "id=f1")
    posts = [(path, json.loads(body)) for method, path, body in seen if method == "POST"]
    assert ("/api/flows", {"name": "from-test"}) in posts
    assert ("GET", "/api/flows/f1/export?since=2024-01-01", b"") in seen


def test_dry_run_prints_the_requests_and_sends_none(package, server):
    base_url, seen = server
    output = live(package, base_url, "--live-dry-run", "--live-operations", "flows.create", "--live-param", "flows.create:name=x")
    assert seen == []
    assert f"flows.export: would send GET {base_url}/api/flows/id%2Fwith%20space/export?since=2024-01-01" in output
    assert f'flows.create: would send POST {base_url}/api/flows {{"name":"x"}}' in output
