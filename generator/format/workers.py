"""Black itself: one batch formatted (`format_batch`), and the worker processes that do it.

Only this module imports black, and only where a batch is formatted: a build that formats in worker
processes never loads black in its main process. The workers are forked when the build starts and
import black while the main process loads and lowers the spec (the second core is idle then), so
black's import is off the build's critical path.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING

from generator.format.prewrap import prewrap

if TYPE_CHECKING:
    import black

_MAX_WORKERS = 8
PARALLEL_CHARS = 100_000  # less unformatted text than this is formatted by one worker


class Unparsable(Exception):
    """Black could not parse a batch (a plain exception: it crosses the process boundary)."""


@functools.cache
def mode() -> black.Mode:
    """The pinned mode every output byte depends on."""
    import black
    from black.mode import TargetVersion

    return black.Mode(line_length=100, target_versions={TargetVersion.PY311})


MODE_SALT = "line_length=100 target_versions=py311"  # `mode()` for the cache key, without black


def format_once(text: str) -> str:
    """One black pass. `black.format_str` is two of these whenever the first changes the text; one
    is all we need when the text is already black's. Falls back to format_str if a future black
    renames it."""
    import black

    once = getattr(black, "_format_str_once", None)
    return once(text, mode=mode()) if once is not None else black.format_str(text, mode=mode())


def format_batch(text: str) -> str:
    """Exactly `black.format_str(text)`, in one black pass instead of two when prewrap laid the text
    out as black would (black's second pass only runs when its first one changed something)."""
    from black.parsing import InvalidInput

    # Black builds large cyclic trees; the collector scanning them mid-run costs ~40% of black's
    # time. Collect once per batch instead, from the youngest generation where the batch's garbage
    # sits.
    enabled = gc.isenabled()
    gc.disable()
    try:
        wrapped = prewrap(text)
        once = format_once(wrapped)
        if once == wrapped:
            return once
        if wrapped == text:  # what format_str does: a second pass over the first pass's output
            return format_once(once)
        import black

        return black.format_str(text, mode=mode())  # prewrap guessed wrong: black's own passes
    except InvalidInput as exc:
        raise Unparsable(str(exc)) from None
    finally:
        if enabled:
            gc.enable()
        gc.collect(0)


def worker_count() -> int:
    return min(os.cpu_count() or 1, _MAX_WORKERS)


def _warm() -> None:
    """Runs first in every worker: black's import (~50 ms) while the main process is busy."""
    import black  # noqa: F401


def _fork_pool(workers: int) -> ProcessPoolExecutor:
    """`workers` processes forked now, importing black at once. Fork, not spawn: a spawned worker
    would import clientgen again and re-run the command's main module."""
    fork = "fork" in multiprocessing.get_all_start_methods()  # not on Windows: spawn there
    context = multiprocessing.get_context("fork" if fork else None)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_warm)
    pool.submit(int)  # a fork pool starts all its workers on the first submit
    return pool


class Workers:
    """Black's worker processes. One is forked when the build starts (while the main process is
    still small) and imports black while the spec loads and lowers; the others are forked then too
    for a large spec, else only when a submit brings enough text to share (`PARALLEL_CHARS`), so a
    small spec costs one black import, not one per core."""

    def __init__(self, most: int, eager: bool = False) -> None:
        """`eager`: fork every worker now (the caller expects a lot of text)."""
        self.most = most
        first = most if eager else 1  # one pool shares its jobs out best: the eager case has one
        self.pools = [(_fork_pool(first), first)]

    def submit(
        self, texts: list[str], task: Callable[[str], str] = format_batch
    ) -> list[Future[str]]:
        """`task` (`format_batch`, or a whole source's formatting) run on each text, futures in the
        order of `texts` (largest first is best: each goes to the pool with the least text per
        worker, then waits for a worker)."""
        started = sum(size for _, size in self.pools)
        if started < self.most and sum(map(len, texts)) >= PARALLEL_CHARS:
            self.pools.append((_fork_pool(self.most - 1), self.most - 1))
        assigned = [0] * len(self.pools)
        futures = []
        for text in texts:
            best = min(
                range(len(self.pools)),
                key=lambda i: (assigned[i] + len(text)) / self.pools[i][1],
            )
            assigned[best] += len(text)
            futures.append(self.pools[best][0].submit(task, text))
        return futures

    def shutdown(self) -> None:
        for pool, _ in self.pools:
            pool.shutdown(wait=True, cancel_futures=True)
