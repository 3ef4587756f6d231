"""Benchmarks (not tests): clientgen vs openapi-python-client 0.29.1 on the same spec, in one run.

    python bench/run.py cold   [--spec SPEC] [--runs 3]   cold Stripe generation, empty format cache
    python bench/run.py repeat [--spec SPEC] [--runs 3]   generate + check with unchanged inputs
    python bench/run.py check  [--runs 5]                 `clientgen check` on the bundled specs vs the import floor
    python bench/run.py linear [--n 50]                   synthetic specs of N, 2N, 4N, 8N operations
    python bench/run.py imports [--spec SPEC] [--runs 5]  import time of the generated package

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


def measure(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(seconds, peak MiB, exit code) of one run; peak RSS is the largest of the command's processes."""
    wrapped = ["/usr/bin/time", "-f", "%M", *cmd]
    start = time.perf_counter()
    proc = subprocess.run(wrapped, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    peak = int(proc.stderr.strip().splitlines()[-1]) / 1024 if proc.stderr.strip() else 0.0
    return elapsed, peak, proc.returncode


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


def row(name: str, runs: list[tuple[float, float, int]]) -> tuple[float, float]:
    times, peaks = [r[0] for r in runs], [r[1] for r in runs]
    codes = sorted({r[2] for r in runs})
    print(f"{name:44} median {statistics.median(times):7.2f} s  peak {max(peaks):6.0f} MiB  exit {codes}  runs {[round(t, 2) for t in times]}")
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


def linear(n: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    per_op = []
    for k in (1, 2, 4, 8):
        spec = work / f"s{k}.json"
        spec.write_text(json.dumps(synthetic(n * k)))
        runs = [measure(clientgen("generate", str(spec), "--output", str(work / f"o{k}{i}" / "syn"), "--package", "syn"), env=_env(work / f"c{k}{i}")) for i in range(3)]
        t, _ = row(f"clientgen cold, {n * k} operations", runs)
        per_op.append(t / (n * k))
        print(f"  {1000 * per_op[-1]:.1f} ms per operation")
    print(f"max/min time per operation: {max(per_op) / min(per_op):.2f}x (includes fixed start-up cost)")
    shutil.rmtree(work, ignore_errors=True)


_EVERY_MODULE = (
    "import importlib, pkgutil, bench_client\n"
    "for m in pkgutil.walk_packages(bench_client.__path__, 'bench_client.'):\n"
    "    if '.tests' not in m.name:\n"
    "        importlib.import_module(m.name)\n"
)


_FIRST_MODEL = (
    "import bench_client, bench_client.models as m; bench_client.Client(base_url='http://x')\n"
    "names = [n for n in dir(m) if n[:1].isupper()]\n"
    "getattr(m, 'Customer' if 'Customer' in names else names[0])\n"
)


def imports(spec: Path, runs: int) -> None:
    """Warm-bytecode import times; the snippets take turns in each round, so load changes hit all alike."""
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    subprocess.run(clientgen("generate", str(spec), "--output", str(work / "bench_client"), "--package", "bench_client"), env=_env(work / "cache"), check=True, capture_output=True)
    # Warm bytecode: a PYTHONDONTWRITEBYTECODE=1 environment would recompile every module on every run.
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "PYTHONPATH": str(work)}
    snippets = {
        "import httpx, pydantic": "import httpx, pydantic",
        "import pkg; pkg.Client()": "import bench_client; bench_client.Client(base_url='http://x')",
        "... + first use of one operation group": "import bench_client; c = bench_client.Client(base_url='http://x'); getattr(c, min(c._operations))",
        "... + first model (Customer on Stripe)": _FIRST_MODEL,
        "import every module (models included)": _EVERY_MODULE,
    }
    results: dict[str, list[tuple[float, float, int]]] = {name: [] for name in snippets}
    for code in snippets.values():
        measure([sys.executable, "-c", code], env=env)  # warm the bytecode
    for _ in range(runs):
        for name, code in snippets.items():
            results[name].append(measure([sys.executable, "-c", code], env=env))
    medians = {name: row(name, runs_)[0] for name, runs_ in results.items()}
    floor = medians["import httpx, pydantic"]
    print(f"import + Client() / floor: {medians['import pkg; pkg.Client()'] / floor:.2f}x (target 1.5x); every module: {medians['import every module (models included)']:.2f} s (target 2 s)")
    shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["cold", "repeat", "check", "linear", "imports"])
    parser.add_argument("--spec", type=Path, default=STRIPE)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--n", type=int, default=50)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cpus, load {os.getloadavg()[0]:.2f}; python {sys.version.split()[0]}")
    {"cold": lambda: cold(args.spec, args.runs), "repeat": lambda: repeat(args.spec, args.runs),
     "check": lambda: check(args.runs), "linear": lambda: linear(args.n), "imports": lambda: imports(args.spec, max(args.runs, 5))}[args.what]()


if __name__ == "__main__":
    main()
