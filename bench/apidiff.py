"""Benchmark (not a test): what `clientgen diff` costs on top of building the two IRs.

    python bench/apidiff.py stripe [--runs 3]        Stripe (tests/large/stripe) against a changed copy of itself
    python bench/apidiff.py linear [--n 200] [--runs 3]  synthetic specs of N, 2N, 4N, 8N operations

In-process, one phase at a time: load + lower both specs (the IRs `diff` needs anyway), then the diff's own
work: surface snapshots, comparison, text report; and the `.clientgen-api.json` round trip `check --explain`
does. Prints wall and CPU time (medians) per phase; nothing asserts on them.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generator.apidiff.adapter import snapshot
from generator.apidiff.compare import compare
from generator.apidiff.directions import _names as type_names
from generator.apidiff.report import Report, Side, to_text
from generator.apidiff.surface import from_json, to_json
from generator.build import lower_client
from generator.config import adhoc_options


def timed(step: Callable[[], Any], runs: int) -> tuple[Any, float, float]:
    """The step's result and its median wall and CPU seconds over `runs` runs."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = step()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return result, statistics.median(walls), statistics.median(cpus)


def changed(spec: dict[str, Any]) -> dict[str, Any]:
    """A new version with changes spread over the whole spec: every schema with properties gains one,
    every 10th loses its first, every 7th operation gains a required query parameter."""
    new = copy.deepcopy(spec)
    for i, schema in enumerate(new.get("components", {}).get("schemas", {}).values()):
        properties = schema.get("properties") if isinstance(schema, dict) else None
        if isinstance(properties, dict):
            properties["bench_added"] = {"type": "string"}
            if i % 10 == 0 and len(properties) > 1:
                properties.pop(next(iter(properties)))
    for i, item in enumerate(new["paths"].values()):
        for j, operation in enumerate(v for k, v in item.items() if k in ("get", "post", "put", "patch", "delete")):
            if (i + j) % 7 == 0:
                operation.setdefault("parameters", []).append({"name": "bench_required", "in": "query", "required": True, "schema": {"type": "string"}})
    return new


def measure(old_path: Path, new_path: Path, runs: int) -> dict[str, tuple[float, float]]:
    def lower(path: Path) -> Any:
        return lower_client(adhoc_options(path, Path("unused"), "bench_client").clients[0])[0]

    rows: dict[str, tuple[float, float]] = {}
    (old_api, new_api), *rows["load + lower both (the IRs)"] = timed(lambda: (lower(old_path), lower(new_path)), runs)
    (old, new), *rows["surface snapshots"] = timed(lambda: (snapshot(old_api), snapshot(new_api)), runs)
    # Cold every run: the type-name cache would make later runs look cheaper than a real `diff`.
    changes, *rows["compare"] = timed(lambda: (type_names.cache_clear(), compare(old, new))[1], runs)
    side = Side("spec", "", lambda pointer: ("spec", None, pointer))
    _, *rows["text report"] = timed(lambda: to_text(Report(side, side, changes)), runs)
    _, *rows["surface to/from JSON (check --explain)"] = timed(lambda: from_json(to_json(old)), runs)
    print(f"  {len(old.methods)} methods, {len(old.models)} models; {len(changes)} changes found")
    return rows  # type: ignore[return-value]


def show(rows: dict[str, tuple[float, float]]) -> float:
    _, ir_cpu = rows["load + lower both (the IRs)"]
    diff_wall = sum(wall for name, (wall, _) in rows.items() if name in ("surface snapshots", "compare", "text report"))
    diff_cpu = sum(cpu for name, (_, cpu) in rows.items() if name in ("surface snapshots", "compare", "text report"))
    for name, (wall, cpu) in rows.items():
        print(f"  {name:42s} {wall:7.3f} s wall  {cpu:7.3f} s CPU")
    print(f"  diff's own work: {diff_wall:.3f} s wall, {diff_cpu:.3f} s CPU = {100 * diff_cpu / ir_cpu:.1f}% of building the two IRs")
    return diff_cpu


def stripe(runs: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        import yaml

        text = gzip.decompress((ROOT / "tests/large/stripe/stripe-spec3.2023-09.yaml.gz").read_bytes()).decode()
        spec = yaml.load(text, Loader=yaml.CSafeLoader)
        old_path, new_path = Path(scratch, "old.json"), Path(scratch, "new.json")
        old_path.write_text(json.dumps(spec))
        new_path.write_text(json.dumps(changed(spec)))
        print("Stripe 2023-09 against a changed copy (JSON, so loading is not YAML-bound):")
        show(measure(old_path, new_path, runs))


def linear(n: int, runs: int) -> None:
    from run import synthetic  # bench/run.py's synthetic spec

    with tempfile.TemporaryDirectory() as scratch:
        per_operation = []
        for k in (1, 2, 4, 8):
            ops = n * k
            old_path, new_path = Path(scratch, f"old{ops}.json"), Path(scratch, f"new{ops}.json")
            old_path.write_text(json.dumps(synthetic(ops)))
            new_path.write_text(json.dumps(changed(synthetic(ops))))
            print(f"{ops} operations:")
            per_operation.append(show(measure(old_path, new_path, runs)) / ops)
            print(f"  diff CPU per operation: {1e6 * per_operation[-1]:.0f} us")
        print(f"max/min diff CPU per operation: {max(per_operation) / min(per_operation):.2f}x (flat: linear)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["stripe", "linear"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    stripe(args.runs) if args.what == "stripe" else linear(args.n, args.runs)


if __name__ == "__main__":
    main()
