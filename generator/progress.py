"""A one-line progress display on stderr for long runs: the phase (load, lower, render, format,
write) and, while black runs, a bar with the files done.

Only on a terminal: when stderr is piped or redirected, or the `CI` environment variable is set,
nothing is drawn and the output is exactly what it would be without this module. The line is erased
when the run ends, so diagnostics and the summary print as usual.

The reporter is held in a context variable rather than passed down: the build, the renderer and the
formatter report to whatever the command line set up, and to a silent reporter otherwise (tests,
library use), without every signature in between carrying it.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TextIO

_BAR = 24
_INTERVAL = 0.1  # seconds between redraws: drawing must cost nothing next to the work it shows


class Reporter:
    """Draws `clientgen <client>: <phase> [bar]` on one terminal line; silent when `stream` is
    None."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream
        self.client = ""
        self._last = 0.0
        self._shown = False

    @property
    def enabled(self) -> bool:
        return self.stream is not None

    def phase(self, name: str) -> None:
        self._draw(name, force=True)

    def formatting(
        self, chars_done: int, chars_total: int, files_done: int, files_total: int
    ) -> None:
        """Black's progress: characters formatted (the bar) and whole files finished."""
        share = chars_done / chars_total if chars_total else 1.0
        filled = round(share * _BAR)
        self._draw(
            f"format {files_done}/{files_total} files "
            f"[{'#' * filled}{'.' * (_BAR - filled)}] {share:4.0%}",
            force=chars_done == 0 or files_done == files_total,
        )

    def _draw(self, text: str, force: bool) -> None:
        if self.stream is None:
            return
        now = time.monotonic()
        if not force and now - self._last < _INTERVAL:
            return
        self._last = now
        label = f"clientgen {self.client}: " if self.client else "clientgen: "
        self.stream.write("\r\x1b[K" + label + text)
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self.stream is not None and self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False


_SILENT = Reporter(None)
_current: ContextVar[Reporter] = ContextVar("clientgen_progress", default=_SILENT)


def current() -> Reporter:
    return _current.get()


def wanted(stream: TextIO) -> bool:
    """A terminal, and not CI (CI systems often fake a terminal; their logs show every redraw)."""
    return not os.environ.get("CI") and stream.isatty()


@contextmanager
def reporting(stream: TextIO | None = None) -> Iterator[Reporter]:
    """Report progress to `stream` (default stderr) for the duration, if it is wanted there."""
    stream = stream or sys.stderr
    reporter = Reporter(stream if wanted(stream) else None)
    token = _current.set(reporter)
    try:
        yield reporter
    finally:
        reporter.close()
        _current.reset(token)


@contextmanager
def silenced() -> Iterator[None]:
    """No progress reported for the duration (a worker process's part of a build: its parent
    reports it)."""
    token = _current.set(_SILENT)
    try:
        yield
    finally:
        _current.reset(token)
