"""What the formatter's layout work buys (`python bench/run.py layout`): per spec, the batches black
gets, how many black's first pass leaves alone (one pass instead of two) with and without
`generator.format.prewrap`, the CPU time of formatting every batch both ways in this process, and
the share of class bodies derived from their mirror (`generator.format.mirror`) instead of
formatted.

Specs: the four bundled ones and the two large cases (`tests/large/`, unpacked to a temporary
folder).
"""

from __future__ import annotations

import gzip
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class _Capture:
    """A formatter that keeps the sources it is given and formats nothing."""

    def __init__(self) -> None:
        self.sources: dict[str, str] = {}

    def submit(self, sources: Mapping[str, str]) -> _Capture:
        self.sources.update(sources)
        return self

    def result(self) -> dict[str, str]:
        return dict(self.sources)

    def format_sources(self, sources: Mapping[str, str]) -> dict[str, str]:
        return self.submit(sources).result()


def _specs(work: Path) -> list[Path]:
    specs = sorted((ROOT / "specs").glob("*/openapi.yaml"))
    for case in ("stripe", "openai"):
        compressed = next((ROOT / "tests" / "large" / case).glob("*.gz"))
        spec = work / compressed.name.removesuffix(".gz")
        spec.write_bytes(gzip.decompress(compressed.read_bytes()))
        specs.append(spec)
    return specs


def _sources(spec: Path) -> dict[str, str]:
    import generator.render as render
    from generator.build import lower_client
    from generator.config import adhoc_options

    capture = _Capture()
    api, _ = lower_client(adhoc_options(spec, Path("unused") / "pkg", "pkg", ()).clients[0])
    render.render_package(api, formatter=capture)
    return capture.sources


def _flat_security(security: tuple[tuple[str, ...], ...]) -> str:
    """`render.descriptors._security_literal` without its black layout: one line, which black then
    explodes (its trailing comma), as it does the rendered rows."""
    from generator.encode import literal

    rows = ", ".join("(" + "".join(f"{literal(key)}, " for key in alt) + ")" for alt in security)
    return f"({rows},)"


def _flat_jobs(spec: Path) -> list[str]:
    from generator.format import black_formatter
    from generator.render import descriptors

    real = descriptors._security_literal
    descriptors._security_literal = _flat_security
    try:
        plans = [black_formatter._plan(source) for source in _sources(spec).values()]
    finally:
        descriptors._security_literal = real
    return sorted({job for plan, found in plans for _, batch in plan for job in batch if job not in found})


def _cpu(function, jobs: list[str]) -> float:  # type: ignore[no-untyped-def]
    start = time.process_time()
    for job in jobs:
        function(job)
    return time.process_time() - start


def layout() -> None:
    import black

    from generator.format import black_formatter, mirror, workers
    from generator.format.prewrap import prewrap

    mode = workers.mode()
    print("| Spec | batches | one pass with prewrap | without | format CPU with prewrap | without | "
          "one pass, security rows flat | format CPU, security rows flat | mirrored chars derived |")
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as work:
        for spec in _specs(Path(work)):
            plans = [black_formatter._plan(source) for source in _sources(spec).values()]
            jobs = sorted({job for plan, _ in plans for _, batch in plan for job in batch})
            mirrored = {t: s for _, found in plans for t, s in found.items()}
            regular = [job for job in jobs if job not in mirrored]
            one_with = sum(workers.format_once(prewrap(j)) == prewrap(j) for j in regular)
            one_without = sum(workers.format_once(j) == j for j in regular)
            with_prewrap = _cpu(workers.format_batch, regular)
            without = _cpu(lambda job: black.format_str(job, mode=mode), regular)
            flat = _flat_jobs(spec)
            one_flat = sum(workers.format_once(prewrap(j)) == prewrap(j) for j in flat)
            flat_cpu = _cpu(workers.format_batch, flat)
            derived = sum(
                len(t) for t, s in mirrored.items()
                if mirror.derive(s, workers.format_batch(s), t) is not None
            )
            total = sum(len(j) for j in jobs)
            print(f"| {spec.parent.name if spec.name == 'openapi.yaml' else spec.name} | {len(regular)} | "
                  f"{one_with} | {one_without} | {with_prewrap:.2f} s | {without:.2f} s "
                  f"({without / with_prewrap:.2f}x) | {one_flat} of {len(flat)} | {flat_cpu:.2f} s "
                  f"({flat_cpu / with_prewrap:.2f}x) | {derived / total:.0%} of {total:,} |", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    layout()
