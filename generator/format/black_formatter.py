"""clientgen's formatter (`generator.format.Formatter`): black, in batches, cached, in
worker processes.

Sources are cut at their break marks into jobs (`batches`): pieces black would leave as they are
need no black at all (`fixed_point`), the others are batched, cached (see `cache`) and formatted by
black, and the outputs are joined in source order. With worker processes (`workers`) each source is
one task, largest first, so the cutting and checking run on every core too; without them all of it
runs in this process. The output never depends on which.

Rendered source that does not parse is a clientgen bug, never the user's: the error shows the
rendered source, numbered, around the failing line, so the template at fault is easy to find.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator, Mapping
from concurrent.futures import Future
from contextlib import contextmanager

from generator import progress
from generator.manifest import black_version
from generator.format import mirror, workers
from generator.format.batches import Composite, Plan, assemble, plan_source
from generator.format.fixed_point import StandIn, fill
from generator.format.cache import FormatCache
from generator.format import HEADER, RenderBug, without_breaks

__all__ = ["HEADER", "BlackFormatter", "RenderBug", "format_sources", "formatter"]


class BlackFormatter:
    """Black at clientgen's pinned mode. With worker processes (`formatter()`), each source is
    formatted whole by a worker (`format_source`: cutting, the cache, black, joining); without
    them, in this process."""

    def __init__(self, pool: workers.Workers | None = None) -> None:
        self.pool = pool
        self.cache = FormatCache(_cache_salt())

    def format_sources(self, sources: Mapping[str, str]) -> dict[str, str]:
        return self.submit(sources).result()

    def submit(self, sources: Mapping[str, str]) -> _PendingFormat | _PendingFiles:
        if self.pool is not None:
            # Largest first, so no big source starts last while the other workers sit idle.
            order = sorted(sources, key=lambda path: (-len(sources[path]), path))
            futures = self.pool.submit([sources[path] for path in order], format_source)
            return _PendingFiles(dict(sources), dict(zip(order, futures, strict=True)))
        plans: dict[str, Plan] = {}
        mirrored: dict[str, str] = {}  # batch -> the batch its output is derived from
        verbatim: set[str] = set()  # jobs black would leave as they are
        composites: dict[str, Composite] = {}  # jobs filled from their snippets' outputs
        for path, source in sources.items():
            planned = plan_source(source)
            plans[path] = planned.plan
            mirrored.update(planned.mirrored)
            verbatim |= planned.verbatim
            composites.update(planned.composites)
        planned_jobs = [job for plan in plans.values() for _, batch in plan for job in batch]
        stand_ins = _stand_ins(composites)
        snippets = [stand_in.snippet(list(lines)) for stand_in, lines in stand_ins.items()]
        skipped = verbatim | composites.keys()
        jobs = dict.fromkeys(job for job in [*planned_jobs, *snippets] if job not in skipped)
        keys = {job: self.cache.key(job) for job in jobs}
        done: dict[str, str | None] = {job: self.cache.get(key) for job, key in keys.items()}
        done.update({job: job for job in verbatim})
        missing = [job for job in jobs if done[job] is None and job not in mirrored]
        pending = _PendingFormat(self, dict(sources), plans, keys, done, mirrored, composites)
        pending.skipped = bool(skipped)
        pending.start(missing)
        return pending


@functools.cache
def _cache_salt() -> str:
    """What cache keys hold besides the text: black's version and mode. Once per process: a
    worker makes a formatter per file."""
    return f"black {black_version()} {workers.MODE_SALT}"


def _stand_ins(composites: dict[str, Composite]) -> dict[StandIn, dict[str, None]]:
    """The lines each stand-in holds (once each, in order): one job for black per stand-in."""
    stand_ins: dict[StandIn, dict[str, None]] = {}
    for composite in composites.values():
        for hole, line in zip(composite.holes, composite.lines(), strict=True):
            stand_ins.setdefault(hole.stand_in, {})[line] = None
    return stand_ins


def format_source(source: str) -> str:
    """One source formatted in this process, with the header: a worker's task."""
    with progress.silenced():
        return BlackFormatter().format_sources({"": source})[""]


@contextmanager
def formatter(spec_bytes: int = 0) -> Iterator[BlackFormatter]:
    """A formatter whose workers start now (see `workers.Workers`), for a build that is about to
    render specs of `spec_bytes`; up to one worker process per core, none on a single core."""
    count = workers.worker_count()
    if count < 2:
        yield BlackFormatter()
        return
    # From about this size on, a spec renders more than `workers.PARALLEL_CHARS` of code (the
    # corpus: 28 KB renders less, 74 KB more); below it, one black import is all the build needs.
    started = workers.Workers(count, eager=spec_bytes >= 40_000)
    try:
        yield BlackFormatter(started)
    finally:
        started.shutdown()


def format_sources(sources: Mapping[str, str]) -> dict[str, str]:
    """Every source black-formatted in this process, with the header prepended, same keys."""
    return BlackFormatter().format_sources(sources)


class _PendingFiles:
    """Sources being formatted by the workers, one task each; `result()` collects them (reporting
    to generator.progress)."""

    def __init__(self, sources: dict[str, str], futures: dict[str, Future[str]]) -> None:
        self.sources, self.futures = sources, futures

    def result(self) -> dict[str, str]:
        reporter = progress.current()
        total = sum(map(len, self.sources.values()))
        chars = 0
        reporter.formatting(chars, total, 0, len(self.futures))
        formatted = {}
        for done, (path, future) in enumerate(self.futures.items(), start=1):
            try:
                formatted[path] = future.result()
            except RenderBug:  # reported again from here, where the source's path is known
                _raise_if_invalid(path, without_breaks(self.sources[path]))
                raise
            chars += len(self.sources[path])
            reporter.formatting(chars, total, done, len(self.futures))
        return {path: formatted[path] for path in self.sources}


class _PendingFormat:
    """Batches being formatted; `result()` collects them (reporting to generator.progress), derives
    the mirrored ones (see `mirror`), fills the cache and joins each file."""

    def __init__(
        self,
        owner: BlackFormatter,
        sources: dict[str, str],
        plans: dict[str, Plan],
        keys: dict[str, str],
        done: dict[str, str | None],
        mirrored: dict[str, str],
        composites: dict[str, Composite],
    ) -> None:
        self.owner, self.sources, self.plans, self.keys = owner, sources, plans, keys
        self.done, self.mirrored, self.composites = done, mirrored, composites
        self.missing: list[str] = []
        self.formatted: Iterator[str] = iter(())
        self.skipped = False  # some jobs were not formatted by black (fixed points)

    def start(self, missing: list[str]) -> None:
        self.missing, self.formatted = missing, map(workers.format_batch, missing)

    def result(self) -> dict[str, str]:
        tracker = _Tracker(self.plans, set(self.missing))
        try:
            for job, formatted in zip(self.missing, self.formatted, strict=True):
                self._keep(job, formatted)
                tracker.finished(job)
            left = self._derive() + self._fill()
            for job, formatted in zip(left, map(workers.format_batch, left), strict=True):
                self._keep(job, formatted)
        except workers.Unparsable:
            for path, source in self.sources.items():
                _raise_if_invalid(path, without_breaks(source))
            raise
        files = {path: assemble(plan, self.done) for path, plan in self.plans.items()}
        if self.skipped:
            # Pieces black never saw were not parsed: a render that does not parse is still
            # reported (Python's own parser costs ~5% of what black would have).
            for path, text in files.items():
                _raise_if_invalid(path, text)
        return {path: HEADER + text for path, text in files.items()}

    def _keep(self, job: str, formatted: str) -> None:
        self.done[job] = formatted
        if job not in self.keys:  # a composite black formats after all
            self.keys[job] = self.owner.cache.key(job)
        self.owner.cache.put(self.keys[job], formatted)

    def _fill(self) -> list[str]:
        """Fills every composite job from its stand-ins' outputs; returns those black has to
        format whole after all (a stand-in came back changed)."""
        laid_out: dict[tuple[StandIn, str], list[str]] = {}
        for stand_in, lines in _stand_ins(self.composites).items():
            formatted = self.done[stand_in.snippet(list(lines))] or ""
            split = stand_in.split(formatted, len(lines))
            laid_out.update(zip(((stand_in, line) for line in lines), split or []))
        left = []
        for job, composite in self.composites.items():
            keys = [(h.stand_in, line) for h, line in zip(composite.holes, composite.lines())]
            if all(key in laid_out for key in keys):
                filled = fill(composite.piece, composite.holes, [laid_out[key] for key in keys])
                self.done[job] = composite.prefix + filled + "\n"
            else:
                left.append(job)
        return left

    def _derive(self) -> list[str]:
        """Derives every mirrored batch not in the cache, in source order (a batch may mirror a
        derived one); returns those black has to format after all."""
        left = []
        for job, source in self.mirrored.items():
            if self.done[job] is not None:
                continue
            formatted = self.done.get(source)
            derived = None if formatted is None else mirror.derive(source, formatted, job)
            if derived is None:
                left.append(job)
            else:
                self._keep(job, derived)
        return left


class _Tracker:
    """Turns finished batches into the progress display's characters done and files done."""

    def __init__(self, plans: dict[str, Plan], missing: set[str]) -> None:
        self.left = {
            path: {job for _, jobs in plan for job in jobs if job in missing}
            for path, plan in plans.items()
        }
        self.total = sum(len(job) for job in missing)
        self.chars = 0
        self.reporter = progress.current()
        self._report()

    def finished(self, job: str) -> None:
        self.chars += len(job)
        for jobs in self.left.values():
            jobs.discard(job)
        self._report()

    def _report(self) -> None:
        files_done = sum(1 for jobs in self.left.values() if not jobs)
        self.reporter.formatting(self.chars, self.total, files_done, len(self.left))


def _raise_if_invalid(path: str, source: str) -> None:
    try:
        ast.parse(source, filename=path)
    except SyntaxError as exc:
        where = _numbered(source, exc.lineno or 1)
        message = f"clientgen rendered invalid Python in {path}: {exc.msg}"
        raise RenderBug(f"{message}\n{where}") from None


def _numbered(source: str, line: int, context: int = 5) -> str:
    lines = source.splitlines()
    start, end = max(1, line - context), min(len(lines), line + context)
    return "\n".join(
        f"{'>' if n == line else ' '}{n:5} | {lines[n - 1]}" for n in range(start, end + 1)
    )
