"""The progress line: drawn when stderr is a terminal, absent when it is piped or CI is set."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

from generator import progress

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "specs" / "dify" / "openapi.yaml"


def _generate(tmp_path: Path, *, terminal: bool, ci: bool) -> str:
    """Run `clientgen generate` with a fresh format cache; return what it wrote to stderr."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CLIENTGEN_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("CI", None)
    if ci:
        env["CI"] = "true"
    args = [sys.executable, "-m", "generator", "generate", str(SPEC), "--output", str(tmp_path / "out" / "dify_client"), "--package", "dify_client"]
    if not terminal:
        proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        return proc.stderr
    controller, terminal_end = pty.openpty()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=terminal_end)
    os.close(terminal_end)
    chunks = []
    while True:
        ready, _, _ = select.select([controller], [], [], 300)
        if not ready:
            break
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the child closed the terminal (Linux reports EIO)
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert proc.wait(timeout=300) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_terminal_shows_phases_and_format_bar(tmp_path: Path) -> None:
    err = _generate(tmp_path, terminal=True, ci=False)
    for phase in ("dify_client: load", "dify_client: lower", "dify_client: render", ": write"):
        assert phase in err, (phase, err)
    counts = re.findall(r"format (\d+)/(\d+) files", err)  # the files black formats (the runtime is copied)
    total = counts[0][1]
    assert int(total) > 1 and ("0", total) in counts and (total, total) in counts, err
    assert "[" + "#" * 24 + "] 100%" in err
    assert err.rstrip("\r\n").endswith("written, 0 unchanged, 0 removed")  # the bar is erased before the summary


def test_piped_stderr_gets_no_progress(tmp_path: Path) -> None:
    err = _generate(tmp_path, terminal=False, ci=False)
    assert "\r" not in err and "\x1b" not in err and " files [" not in err and "clientgen dify_client:" not in err
    assert "written" in err


def test_ci_gets_no_progress_even_on_a_terminal(tmp_path: Path) -> None:
    err = _generate(tmp_path, terminal=True, ci=True)
    assert "\x1b[K" not in err and " files [" not in err and "clientgen dify_client:" not in err
    assert "written" in err


def test_reporter_draws_only_when_wanted(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    stream = Terminal()
    with progress.reporting(stream) as reporter:
        assert progress.current() is reporter
        reporter.phase("load")
        reporter.formatting(50, 100, 0, 2)
    assert progress.current() is not reporter  # reset afterwards: library use stays silent
    assert "clientgen: load" in stream.getvalue() and stream.getvalue().endswith("\r\x1b[K")
    monkeypatch.setenv("CI", "1")
    quiet = Terminal()
    with progress.reporting(quiet) as reporter:
        reporter.phase("load")
    assert quiet.getvalue() == ""
    piped = io.StringIO()
    with progress.reporting(piped) as reporter:
        reporter.phase("load")
    assert piped.getvalue() == ""
