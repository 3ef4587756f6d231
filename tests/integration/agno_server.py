"""Runs the real Agno AgentOS app of `agno_app.py` for the integration tests (imported by
test_agno_server.py).

`running_agno_server()` starts `python -m uvicorn agno_app:app` in a subprocess on 127.0.0.1 and a
free port, with `OS_SECURITY_KEY` set (so every workflow route wants `Authorization: Bearer <key>`)
and Agno's telemetry off, waits until `GET /health` answers 200, yields the base URL, and ends the
process (SIGTERM, then SIGKILL) when the block is left. The server's output goes to a temporary file
whose tail is shown when it fails to start.

Agno is a dev dependency (`pip install -e '.[dev]'`); without it the server cannot start and the
tests that use it fail with a message that says so.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"
SECURITY_KEY = "clientgen-integration-key"
START_TIMEOUT = 45.0
START_ATTEMPTS = 3
STOP_TIMEOUT = 10.0

# Environment variables that would change how AgentOS authenticates or where it sends data.
_SCRUBBED = ("JWT_VERIFICATION_KEY", "JWT_JWKS_FILE", "AGNO_API_KEY", "OS_SECURITY_KEY")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no output)"


def _server_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in _SCRUBBED}
    env.update(
        OS_SECURITY_KEY=SECURITY_KEY,
        AGNO_TELEMETRY="false",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
    )
    return env


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT)


def _wait_healthy(process: subprocess.Popen[bytes], base_url: str) -> str | None:
    """None once `GET /health` answers 200, else why the server never got there."""
    deadline = time.monotonic() + START_TIMEOUT
    # trust_env=False: the health probe must never go through a proxy from the environment.
    with httpx.Client(base_url=base_url, timeout=2.0, trust_env=False) as probe:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return (
                    f"the Agno server exited with code {process.returncode} before it was healthy"
                )
            try:
                if probe.get("/health").status_code == 200:
                    return None
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    return f"the Agno server was not healthy after {START_TIMEOUT:.0f} s"


@contextlib.contextmanager
def running_agno_server() -> Iterator[str]:
    """The base URL of a freshly started Agno AgentOS serving `agno_app:app`."""
    with tempfile.TemporaryDirectory(prefix="clientgen-agno-") as workdir:
        log = Path(workdir) / "server.log"
        for attempt in range(START_ATTEMPTS):
            port = _free_port()
            base_url = f"http://{HOST}:{port}"
            command = [
                sys.executable,
                "-m",
                "uvicorn",
                "--app-dir",
                str(HERE),
                "agno_app:app",
                "--host",
                HOST,
                "--port",
                str(port),
                "--log-level",
                "warning",
            ]
            with log.open("wb") as out:
                process = subprocess.Popen(
                    command,
                    cwd=workdir,  # anything the server writes stays in the temporary directory
                    env=_server_env(),
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            try:
                problem = _wait_healthy(process, base_url)
                if problem is None:
                    yield base_url
                    return
            finally:
                _stop(process)
            output = _tail(log)
            # The free port can be taken by someone else before uvicorn binds it: try another one.
            if "address already in use" not in output.lower() or attempt == START_ATTEMPTS - 1:
                pytest.fail(
                    f"{problem} (is agno installed? pip install -e '.[dev]'):\n{output}",
                    pytrace=False,
                )
