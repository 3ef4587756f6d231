"""Benchmarks (not tests): clientgen vs openapi-python-client 0.29.1 on the same spec, in one run.

    python bench/run.py cold   [--spec SPEC] [--runs 3]   cold Stripe generation, empty format cache
    python bench/run.py repeat [--spec SPEC] [--runs 5]   generate + check with unchanged inputs
    python bench/run.py check  [--runs 5]                 `clientgen check` on the bundled specs vs the import floor
    python bench/run.py linear [--n 100] [--runs 5]       synthetic specs of N, 2N, 4N, 8N operations (and 1)
    python bench/run.py imports [--spec SPEC]             import time of the generated package

openapi-python-client is installed into its own virtual environment (bench/.venv, or $BENCH_OPC_VENV),
never into the project's. Prints wall time and peak RSS (of the process tree) per run and the median.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STRIPE = Path("/work/shared/corpus/large/stripe-spec3.2023-09.yaml")
VENV = Path(os.environ.get("BENCH_OPC_VENV", ROOT / "bench" / ".venv"))


Run = tuple[float, float, int, float]  # seconds, peak MiB, exit code, 1-minute load average before the run


def measure(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """One run; peak RSS is the largest of the command's processes. Other sessions share the cores, so
    the load average is recorded with every number."""
    load = os.getloadavg()[0]
    wrapped = ["/usr/bin/time", "-f", "%M", *cmd]
    start = time.perf_counter()
    proc = subprocess.run(wrapped, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    peak = int(proc.stderr.strip().splitlines()[-1]) / 1024 if proc.stderr.strip() else 0.0
    return elapsed, peak, proc.returncode, load


def opc() -> Path:
    exe = VENV / "bin" / "openapi-python-client"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", "openapi-python-client==0.29.1"], check=True)
    return exe


def clientgen(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args]


def _env(cache: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "CLIENTGEN_CACHE_DIR": str(cache)}


def row(name: str, runs: list[Run]) -> tuple[float, float]:
    times, peaks = [r[0] for r in runs], [r[1] for r in runs]
    codes = sorted({r[2] for r in runs})
    loads = [round(r[3], 1) for r in runs]
    print(f"{name:44} median {statistics.median(times):7.2f} s  peak {max(peaks):6.0f} MiB  exit {codes}  runs {[round(t, 2) for t in times]}  load {loads}", flush=True)
    return statistics.median(times), max(peaks)


def cold(spec: Path, runs: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    ours, theirs = [], []
    for i in range(runs):
        cache = work / f"cache{i}"
        ours.append(measure(clientgen("generate", str(spec), "--output", str(work / f"cg{i}" / "bench_client"), "--package", "bench_client"), env=_env(cache)))
        config = work / "opc.yaml"
        config.write_text("literal_enums: true\n")
        out = work / f"opc{i}"
        theirs.append(measure([str(opc()), "generate", "--path", str(spec), "--output-path", str(out), "--config", str(config), "--meta", "none", "--overwrite"]))
    t1, m1 = row("clientgen generate (cold cache)", ours)
    t2, m2 = row("openapi-python-client 0.29.1 (literal_enums)", theirs)
    print(f"ratio (opc / clientgen): {t2 / t1:.1f}x faster; clientgen peak {m1:.0f} MiB")
    shutil.rmtree(work, ignore_errors=True)


def repeat(spec: Path, runs: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    env = _env(work / "cache")
    out = work / "cg" / "bench_client"
    args = [str(spec), "--output", str(out), "--package", "bench_client"]
    measure(clientgen("generate", *args), env=env)
    row("clientgen generate (unchanged inputs)", [measure(clientgen("generate", *args), env=env) for _ in range(runs)])
    row("clientgen check (unchanged inputs)", [measure(clientgen("check", *args), env=env) for _ in range(runs)])
    (out / ".clientgen-manifest.json").unlink()
    row("clientgen check (no manifest, warm cache)", [measure(clientgen("check", *args), env=env) for _ in range(1)])
    shutil.rmtree(work, ignore_errors=True)


def check(runs: int) -> None:
    env = _env(Path(tempfile.mkdtemp(prefix="bench-cache-")))
    floor = [sys.executable, "-c", "import click, yaml, jinja2, black, openapi_pydantic, markdown_it, pydantic, httpx"]
    t1, _ = row("clientgen check (4 bundled specs)", [measure(clientgen("check"), cwd=ROOT, env=env) for _ in range(runs)])
    t2, _ = row("python -c 'import <clientgen deps>'", [measure(floor, env=env) for _ in range(runs)])
    t3, _ = row("python -c 'import click' (CLI floor)", [measure([sys.executable, "-c", "import click"], env=env) for _ in range(runs)])
    print(f"check / deps floor: {t1 / t2:.2f}x; check / click floor: {t1 / t3:.2f}x")


def synthetic(operations: int) -> dict[str, object]:
    paths: dict[str, object] = {}
    schemas: dict[str, object] = {}
    for i in range(operations):
        schemas[f"Item{i}"] = {"type": "object", "required": ["id"], "properties": {
            "id": {"type": "string", "description": f"Identifier {i}"}, "count": {"type": "integer"},
            "kind": {"type": "string", "enum": ["a", "b", f"c{i}"]}, "tags": {"type": "array", "items": {"type": "string"}}}}
        ref = {"$ref": f"#/components/schemas/Item{i}"}
        paths[f"/items{i}/{{id}}"] = {"get": {"operationId": f"getItem{i}", "summary": f"Get item {i}",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                           {"name": "expand", "in": "query", "schema": {"type": "boolean"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": ref}}}}}}
    return {"openapi": "3.1.0", "info": {"title": "Synthetic", "version": "1"}, "paths": paths, "components": {"schemas": schemas}}


def linear(n: int, runs: int) -> None:
    """Time per operation at N, 2N, 4N, 8N operations, as measured and with the fixed cost (a spec of one
    operation: start-up, imports, templates) taken off; a quadratic pass shows as a rising column."""
    work = Path(tempfile.mkdtemp(prefix="bench-"))

    def timed(ops: int) -> float:
        spec = work / f"s{ops}.json"
        spec.write_text(json.dumps(synthetic(ops)))
        return row(f"clientgen cold, {ops} operations", [
            measure(clientgen("generate", str(spec), "--output", str(work / f"o{ops}-{i}" / "syn"), "--package", "syn"), env=_env(work / f"c{ops}-{i}"))
            for i in range(runs)])[0]

    fixed = timed(1)
    per_op, marginal = [], []
    for k in (1, 2, 4, 8):
        t = timed(n * k)
        per_op.append(t / (n * k))
        marginal.append((t - fixed) / (n * k))
        print(f"  {1000 * per_op[-1]:.1f} ms per operation; {1000 * marginal[-1]:.1f} ms per operation above the fixed {fixed:.2f} s")
    print(f"max/min time per operation: {max(per_op) / min(per_op):.2f}x as measured, {max(marginal) / min(marginal):.2f}x above the fixed cost")
    shutil.rmtree(work, ignore_errors=True)


def imports(spec: Path) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    subprocess.run(clientgen("generate", str(spec), "--output", str(work / "bench_client"), "--package", "bench_client"), env=_env(work / "cache"), check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(work)}
    snippets = {
        "import httpx, pydantic": "import httpx, pydantic",
        "import pkg; pkg.Client()": "import bench_client; bench_client.Client(base_url='http://x')",
        "import pkg.models, pkg.client (everything)": "import bench_client.models, bench_client.client",
    }
    for name, code in snippets.items():
        measure([sys.executable, "-c", code], env=env)  # warm the bytecode
        row(name, [measure([sys.executable, "-c", code], env=env) for _ in range(5)])
    shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["cold", "repeat", "check", "linear", "imports"])
    parser.add_argument("--spec", type=Path, default=STRIPE)
    parser.add_argument("--runs", type=int, help="runs per measurement (default 3 for cold, 5 otherwise)")
    parser.add_argument("--n", type=int, default=100)
    args = parser.parse_args()
    args.runs = args.runs or (3 if args.what == "cold" else 5)
    print(f"machine: {os.cpu_count()} cpus, load {os.getloadavg()[0]:.2f}; python {sys.version.split()[0]}")
    {"cold": lambda: cold(args.spec, args.runs), "repeat": lambda: repeat(args.spec, args.runs),
     "check": lambda: check(args.runs), "linear": lambda: linear(args.n, args.runs), "imports": lambda: imports(args.spec)}[args.what]()


if __name__ == "__main__":
    main()
