"""Runs a real Prefect server (FastAPI, SQLite) for the integration tests (imported by
test_prefect_server.py).

`running_prefect_server()` starts `prefect server start` from the private venv of prefect_venv.py on
127.0.0.1 and a free port, with a fresh temporary `PREFECT_HOME` (so its SQLite database starts empty and
is thrown away), the UI and analytics off, waits until `GET /api/health` answers 200, yields the origin
(`http://127.0.0.1:PORT`; the spec's own server URL, `/api`, is joined to it by the client), and ends the
whole process group when the block is left. The server's output goes to a file whose tail is shown when it
fails to start.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prefect_venv import PrefectInstallError, ensure_prefect, venv_env

HOST = "127.0.0.1"
START_TIMEOUT = 90.0  # a first start migrates the SQLite database; slow on a busy 2-core machine
START_ATTEMPTS = 3
STOP_TIMEOUT = 15.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _server_env(home: Path) -> dict[str, str]:
    # No PREFECT_* setting from the developer's shell (an API URL, a profile, a database) reaches the server.
    env = {key: value for key, value in venv_env().items() if not key.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_UI_ENABLED="false",
        PREFECT_SERVER_LOGGING_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the process group (the CLI and the uvicorn it runs), SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except (
        ProcessLookupError,
        PermissionError,
        AttributeError,
    ):  # AttributeError: no killpg (Windows)
        process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError, AttributeError):
            os.killpg(process.pid, signal.SIGKILL)
        process.kill()
        process.wait(timeout=STOP_TIMEOUT)


def _wait_healthy(process: subprocess.Popen[bytes], origin: str) -> str | None:
    """None once `GET /api/health` answers 200, else why the server never got there."""
    deadline = time.monotonic() + START_TIMEOUT
    with httpx.Client(
        base_url=origin, timeout=2.0, trust_env=False
    ) as probe:  # never through a proxy
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return f"the Prefect server exited with code {process.returncode} before it was healthy"
            with contextlib.suppress(httpx.TransportError):
                if probe.get("/api/health").status_code == 200:
                    return None
            time.sleep(0.2)
    return f"the Prefect server was not healthy after {START_TIMEOUT:.0f} s"


def _tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no output)"


@contextlib.contextmanager
def running_prefect_server() -> Iterator[str]:
    """The origin of a freshly started Prefect server with an empty database."""
    try:
        prefect = ensure_prefect()
    except PrefectInstallError as exc:
        pytest.fail(
            f"could not install the Prefect server for the integration tests: {exc}", pytrace=False
        )
    with tempfile.TemporaryDirectory(prefix="clientgen-prefect-") as home:
        log = Path(home) / "server.log"
        for attempt in range(START_ATTEMPTS):
            port = _free_port()
            command = [str(prefect), "server", "start", "--host", HOST, "--port", str(port)]
            with log.open("wb") as out:
                process = subprocess.Popen(
                    command,
                    cwd=home,
                    env=_server_env(Path(home)),
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            try:
                problem = _wait_healthy(process, f"http://{HOST}:{port}")
                if problem is None:
                    yield f"http://{HOST}:{port}"
                    return
            finally:
                _stop(process)
            output = _tail(log)
            # The free port can be taken by someone else before the server binds it: try another one.
            if "address already in use" not in output.lower() or attempt == START_ATTEMPTS - 1:
                pytest.fail(f"{problem}:\n{output}", pytrace=False)
