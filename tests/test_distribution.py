"""`distribution = true` (issue 19): the generated folder is a project that builds and installs.

The `packaging` golden case (generated for httpx, with a pyproject.toml) is written out, installed
into a fresh virtual environment, imported from outside the source folder and called against a local
server. The environment sees this interpreter's site-packages, so the install works offline: pip
builds the wheel with the generated build backend and finds the runtime requirements installed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden import write_package  # noqa: E402

pytestmark = pytest.mark.slow  # builds a large spec, runs mypy, starts servers or makes a venv


class _Notes(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        body = json.dumps({"id": int(self.path.rsplit("/", 1)[-1]), "text": "installed"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def notes_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Notes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_pyproject_names_the_package_its_version_and_ranged_requirements(tmp_path):
    project = write_package("packaging", tmp_path)
    meta = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta["name"] == "packaging-client"
    assert meta["version"] == "2.4.0b1"  # info.version 2.4.0-beta.1, PEP 440-normalized
    assert all("<" in requirement for requirement in meta["dependencies"])
    assert {r.split(">")[0] for r in meta["dependencies"]} == {"anyio", "httpx", "httpx-sse", "pydantic"}


def test_installs_into_a_fresh_venv_and_calls_a_server(tmp_path, notes_server):
    project = write_package("packaging", tmp_path / "src")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-index", "--no-build-isolation", str(project)]
    done = subprocess.run(install, capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    script = (
        "import importlib.util, pathlib, packaging_client\n"
        "root = pathlib.Path(packaging_client.__file__).parent\n"
        "print(root.is_relative_to(pathlib.Path(__import__('sys').prefix)), (root / 'py.typed').exists())\n"
        "print(importlib.util.find_spec('packaging_client.tests'))\n"
        f"with packaging_client.Client(base_url={notes_server!r}) as client:\n"
        "    print(client.notes.retrieve(7))\n"
    )
    ran = subprocess.run([str(python), "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines() == ["True True", "None", "id=7 text='installed'"]
