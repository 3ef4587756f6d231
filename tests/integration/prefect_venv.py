"""The private virtual environment that holds the Prefect server for the integration tests.

Prefect pins its own FastAPI / Starlette / pydantic versions, which would break the Agno server tests if it
shared their interpreter, so it lives in `tests/integration/.prefect-venv/` (git-ignored) with exactly
`prefect==PREFECT_VERSION`. Made by the editable-install hook (`pip install -e '.[dev]'`) and, when missing
or stale, by the first test that needs it. Standard library only: the hook runs in pip's build environment.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
PREFECT_VERSION = "3.9.1"  # the version tests/integration/prefect/openapi.json was fetched from
VENV = HERE / ".prefect-venv"
STAMP = VENV / ".clientgen-installed"
INSTALL_TIMEOUT = 900.0


class PrefectInstallError(RuntimeError):
    """The venv could not be made; the message says which command failed and its output."""


def _bin(name: str) -> Path:
    return (
        VENV
        / ("Scripts" if os.name == "nt" else "bin")
        / (name + (".exe" if os.name == "nt" else ""))
    )


def prefect_executable() -> Path:
    return _bin("prefect")


def installed() -> bool:
    """True when the venv holds the pinned version (the stamp is written only after a full install)."""
    try:
        return (
            STAMP.read_text().strip() == f"prefect=={PREFECT_VERSION}"
            and prefect_executable().is_file()
        )
    except OSError:
        return False


@contextlib.contextmanager
def _install_lock() -> Iterator[None]:
    """One install at a time per checkout (parallel pytest runs, or the hook and a test)."""
    key = hashlib.sha256(str(VENV).encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"clientgen-prefect-venv-{key}.lock", "a+b") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks
            yield
            return
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def venv_env() -> dict[str, str]:
    """The environment for the venv's own processes. Under `pip install -e`, this code runs in pip's
    isolated build environment, whose PYTHONPATH adds the build tools (hatchling, packaging, pathspec,
    pluggy): a pip run in the venv would take them as installed and leave them out of it."""
    return {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "PYTHONHOME", "PYTHONNOUSERSITE")
    }


def _run(command: list[str]) -> None:
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, env=venv_env()
        )
    except subprocess.TimeoutExpired as exc:
        raise PrefectInstallError(
            f"`{' '.join(command)}` did not finish in {INSTALL_TIMEOUT:.0f} s"
        ) from exc
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip()[-3000:]
        raise PrefectInstallError(f"`{' '.join(command)}` exited {done.returncode}:\n{output}")


def ensure_prefect() -> Path:
    """The `prefect` command of the venv, creating the venv and installing the pinned Prefect first if
    needed (from PyPI, through pip's ordinary configuration). Raises PrefectInstallError."""
    if installed():
        return prefect_executable()
    with _install_lock():
        if not installed():  # another run may have installed it while we waited
            STAMP.unlink(missing_ok=True)
            _run([sys.executable, "-m", "venv", "--clear", str(VENV)])
            _run(
                [
                    str(_bin("python")),
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    f"prefect=={PREFECT_VERSION}",
                ]
            )
            # What the server imports first: a venv missing one of Prefect's dependencies fails here,
            # before the stamp says it is complete.
            _run([str(_bin("python")), "-c", "import prefect.cli, prefect.server.api.server"])
            STAMP.write_text(f"prefect=={PREFECT_VERSION}\n")
    return prefect_executable()
