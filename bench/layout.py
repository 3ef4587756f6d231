"""What the formatter's layout work buys (`python bench/run.py layout`): per spec, the jobs the
sources are cut into (pieces kept as they are and kept but for long lines need no black of their
own, `generator.format.fixed_point`; the rest are batched for black), the CPU time of formatting
every source in this process with an empty cache, with and without those fixed points, and the
share of code derived from a mirrored class body (`generator.format.mirror`) when every piece is
batched.

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


def _cpu(function, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.process_time()
    function(*args)
    return time.process_time() - start


def _formatted_cold(sources: dict[str, str]) -> None:
    """Every source formatted in this process, one after the other (as a worker formats each),
    with an empty format cache."""
    import os

    from generator.format.black_formatter import format_source

    with tempfile.TemporaryDirectory() as cache:
        os.environ["CLIENTGEN_CACHE_DIR"] = cache
        for source in sources.values():
            format_source(source)


def layout() -> None:
    import black  # noqa: F401  (imported before timing: the workers import it when they start)

    from generator.format import batches, mirror, workers

    print("| Spec | jobs | kept as they are | kept but for long lines | batched for black | "
          "format CPU | without fixed points | mirrored chars derived (without) |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as work:
        for spec in _specs(Path(work)):
            sources = _sources(spec)
            plans = [batches.plan_source(source) for source in sources.values()]
            jobs = sum(len(batch) for plan in plans for _, batch in plan.plan)
            kept = sum(len(plan.verbatim) for plan in plans)
            holes = sum(len(plan.composites) for plan in plans)
            black_jobs = jobs - kept - holes
            with_fixed = _cpu(_formatted_cold, sources)
            real = batches.black_layout
            batches.black_layout = lambda piece: None  # type: ignore[assignment]
            try:
                without = _cpu(_formatted_cold, sources)
                planned = [batches.plan_source(source) for source in sources.values()]
                mirrored = {t: s for plan in planned for t, s in plan.mirrored.items()}
            finally:
                batches.black_layout = real
            derived = sum(
                len(t) for t, s in mirrored.items() if mirror.derive(s, workers.format_batch(s), t)
            )
            total = sum(len(s) for s in sources.values())
            name = spec.parent.name if spec.name == "openapi.yaml" else spec.name
            print(f"| {name} | {jobs} | {kept} | {holes} | {black_jobs} | {with_fixed:.2f} s | "
                  f"{without:.2f} s ({without / with_fixed:.2f}x) | "
                  f"{derived / total:.0%} of {total:,} |", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    layout()
