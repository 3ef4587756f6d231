"""Stoplight Prism mock servers for the integration tests (imported by test_prism.py).

Prism (`@stoplight/prism-cli`, pinned by `prism-cli/package-lock.json`) serves an OpenAPI document as a
mock server: it validates every request against the document (path, query, headers, security, body) and
reports what does not match in the `sl-violations` response header, and it answers with the documented
example of the status a `Prefer: code=NNN` request header asks for.

The first use installs Prism with `npm ci` from the committed lock file into `prism-cli/node_modules/`
(git-ignored), under a file lock so parallel pytest runs do not install twice at once. A stamp file
written after a successful install records the lock file's hash: an interrupted install, or a changed
lock file, installs again. Missing node or npm fail the test with a message that says what to install.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import httpx
import pytest

HERE = Path(__file__).resolve().parent
PACKAGE_DIR = HERE / "prism-cli"
LOCK_FILE = PACKAGE_DIR / "package-lock.json"
NODE_MODULES = PACKAGE_DIR / "node_modules"
PRISM_SCRIPT = NODE_MODULES / "@stoplight" / "prism-cli" / "dist" / "index.js"
STAMP = NODE_MODULES / ".clientgen-installed"

MIN_NODE = (18, 20, 1)  # prism-cli 5.14's `engines`
INSTALL_TIMEOUT = 600.0
START_TIMEOUT = 30.0


def _fail(message: str) -> NoReturn:
    pytest.fail(message, pytrace=False)


def _lock_digest() -> str:
    return hashlib.sha256(LOCK_FILE.read_bytes()).hexdigest()


def _installed() -> bool:
    try:
        return STAMP.read_text().strip() == _lock_digest() and PRISM_SCRIPT.is_file()
    except OSError:
        return False


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        _fail(
            "Prism integration tests need Node.js >= 18.20.1 (with npm) on PATH: "
            "install it, e.g. `apt-get install nodejs npm`, then run pytest again"
        )
    out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    try:
        version = tuple(int(part) for part in out.lstrip("v").split(".")[:3])
    except ValueError:
        version = ()
    if version < MIN_NODE:
        _fail(f"Prism 5.14 needs Node.js >= {'.'.join(map(str, MIN_NODE))}, found {out or 'unknown'} at {node}")
    return node


@contextlib.contextmanager
def _install_lock() -> Iterator[None]:
    """An exclusive lock shared by every checkout at this path (a file beside node_modules would be
    committed by mistake, one inside it is deleted by `npm ci`)."""
    key = hashlib.sha256(str(PACKAGE_DIR).encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"clientgen-prism-install-{key}.lock"
    with open(path, "a+b") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; parallel first runs may both install
            yield
            return
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


_install_failure: str | None = None  # a failed install fails every later test at once, not again slowly


def ensure_prism() -> list[str]:
    """The command that runs Prism, installing it from the lock file first if needed."""
    global _install_failure
    if _install_failure is not None:
        _fail(_install_failure)
    try:
        return _ensure_prism()
    except pytest.fail.Exception as exc:
        _install_failure = str(exc)
        raise


def _ensure_prism() -> list[str]:
    node = _node()
    if not _installed():
        npm = shutil.which("npm")
        if npm is None:
            _fail(
                f"Prism is not installed in {NODE_MODULES} and npm is not on PATH: install npm "
                "(e.g. `apt-get install npm`), then run pytest again"
            )
        with _install_lock():
            if not _installed():  # another run may have installed it while we waited
                command = [npm, "ci", "--prefix", str(PACKAGE_DIR), "--no-audit", "--no-fund"]
                try:
                    result = subprocess.run(
                        command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, cwd=PACKAGE_DIR
                    )
                except subprocess.TimeoutExpired:
                    _fail(f"`{' '.join(command)}` did not finish in {INSTALL_TIMEOUT:.0f} s")
                if result.returncode != 0 or not PRISM_SCRIPT.is_file():
                    output = (result.stdout + result.stderr).strip()[-3000:]
                    _fail(f"installing Prism failed: `{' '.join(command)}` exited {result.returncode}\n{output}")
                STAMP.write_text(_lock_digest() + "\n")
    return [node, str(PRISM_SCRIPT)]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _overlaid(spec: Path, out_dir: Path) -> Path:
    """The document the bundled client is generated from: the vendor's spec with the overlays beside it
    applied (written by `clientgen apply-overlays`), so Prism judges requests by the same contract."""
    overlays = sorted(spec.parent.glob("*.overlay.yaml"))
    if not overlays:
        return spec
    output = out_dir / f"{spec.parent.name}-{spec.stem}.overlaid.json"
    command = [sys.executable, "-m", "generator", "apply-overlays", str(spec), "-o", str(output)]
    command += [arg for overlay in overlays for arg in ("--overlay", str(overlay))]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        _fail(f"clientgen apply-overlays failed for {spec}:\n{done.stderr}")
    return output


class PrismServer:
    """One `prism mock` process serving one document on 127.0.0.1."""

    def __init__(self, spec: Path, log_dir: Path, overlaid: bool = True) -> None:
        self.spec = _overlaid(spec, log_dir) if overlaid else spec
        self.log_path = log_dir / f"prism-{spec.parent.name}-{spec.stem}{'' if overlaid else '-vendor'}.log"
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def start(self) -> None:
        command = ensure_prism()
        for _attempt in range(3):  # the free port may be taken between choosing it and Prism binding it
            self.port = _free_port()
            with open(self.log_path, "wb") as log:
                self.process = subprocess.Popen(
                    [*command, "mock", "-h", "127.0.0.1", "-p", str(self.port), str(self.spec)],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group, so stop() ends every child
                    env={**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"},
                )
            try:
                ready = self._wait_ready()
            except BaseException:  # e.g. Ctrl-C while waiting: leave no server behind
                self.stop()
                raise
            if ready:
                return
            self.stop()
        _fail(f"Prism did not start for {self.spec}; its log ({self.log_path}):\n{self.log_tail()}")

    def _wait_ready(self) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                # Prism answers an unknown path with its own 404 problem document; checking for it
                # tells Prism apart from another program that grabbed the port first.
                answer = httpx.get(f"{self.base_url}/__clientgen_ready__", timeout=1.0)
            except httpx.TransportError:
                time.sleep(0.1)
                continue
            return "stoplight.io/prism/errors" in answer.text
        return False

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError, AttributeError):
            process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError, AttributeError):
                os.killpg(process.pid, signal.SIGKILL)
            process.kill()
            process.wait(timeout=5)


class PrismServers:
    """Servers started on first use, one per document (with or without its overlays), all stopped by
    close()."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self._servers: dict[tuple[Path, bool], PrismServer] = {}
        self._failures: dict[tuple[Path, bool], str] = {}

    def __getitem__(self, spec: Path) -> PrismServer:
        """The server of `spec` with the overlays beside it applied: what the bundled client follows."""
        return self._server(spec.resolve(), overlaid=True)

    def vendor(self, spec: Path) -> PrismServer:
        """The server of the vendor's document exactly as published."""
        return self._server(spec.resolve(), overlaid=False)

    def _server(self, spec: Path, overlaid: bool) -> PrismServer:
        key = (spec, overlaid)
        if key in self._failures:  # fail every test of the spec the same way, without a new install
            _fail(self._failures[key])
        if key not in self._servers:
            server = PrismServer(spec, self.log_dir, overlaid)
            try:
                server.start()
            except pytest.fail.Exception as exc:
                self._failures[key] = str(exc)
                raise
            self._servers[key] = server
        return self._servers[key]

    def close(self) -> None:
        for server in self._servers.values():
            server.stop()


@pytest.fixture(scope="module")
def prism_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrismServers]:
    servers = PrismServers(tmp_path_factory.mktemp("prism"))
    try:
        yield servers
    finally:
        servers.close()
