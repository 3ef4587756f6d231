"""Benchmarks (not tests): clientgen vs openapi-python-client 0.29.1 on the same spec, in one run.

    python bench/run.py cold   [--spec SPEC] [--runs 3]   cold Stripe generation, empty format cache
    python bench/run.py repeat [--spec SPEC] [--runs 5]   generate + check with unchanged inputs
    python bench/run.py check  [--runs 5]                 `clientgen check` on the bundled specs vs the import floor
    python bench/run.py linear [--n 100] [--runs 5]       synthetic specs of N, 2N, 4N, 8N operations (and 1)
    python bench/run.py imports [--spec SPEC] [--runs 5]  import time of the generated package
    python bench/run.py corpus [--runs 1] [--max-kb N]    every corpus spec (of at most N KB), cold: vs openapi-python-client
    python bench/run.py runtime                           per-call overhead, SSE, memory (needs `pip install openai`)
    python bench/run.py firstuse [--runs 5]               import + Client() + first model / first response vs `openai`
    python bench/run.py layout                            what fixed points and derived async halves save black

openapi-python-client is installed into its own virtual environment (bench/.venv, or $BENCH_OPC_VENV),
never into the project's. Prints wall time and peak RSS (of the process tree) per run and the median.
The clientgen under test is this checkout, or the one $BENCH_GENERATOR_ROOT names (before/after).
"""

from __future__ import annotations

import argparse
import importlib
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
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STRIPE = Path("/work/shared/corpus/large/stripe-spec3.2023-09.yaml")
VENV = Path(os.environ.get("BENCH_OPC_VENV", ROOT / "bench" / ".venv"))
# clientgen's dependencies get a virtual environment of their own too: the shared interpreter runs
# other tools' `.pth` hooks at every start (here a CA injector importing certifi, ~20 ms), which
# neither tool's own environment has.
CLIENTGEN_VENV = Path(os.environ.get("BENCH_CLIENTGEN_VENV", ROOT / "bench" / ".venv-clientgen"))
# BENCH_GENERATOR_ROOT: another checkout is the clientgen under test (before/after, one load).
GENERATOR = Path(os.environ.get("BENCH_GENERATOR_ROOT", ROOT)).resolve()


Run = tuple[float, float, int, float, float]  # seconds, peak MiB, exit code, load average before, CPU seconds


def measure(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """One run; peak RSS is the largest of the command's processes. Other sessions share the cores, so
    the load average is recorded with every number."""
    load = os.getloadavg()[0]
    wrapped = ["/usr/bin/time", "-f", "%M %U %S", *cmd]
    start = time.perf_counter()
    # `python -m`/`-c` put the working directory first on sys.path: run in the tree under test.
    proc = subprocess.run(wrapped, cwd=cwd or GENERATOR, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    rss, user, system = proc.stderr.strip().splitlines()[-1].split()
    return elapsed, int(rss) / 1024, proc.returncode, load, float(user) + float(system)


def _venv(folder: Path, requirement: str, exe: str) -> Path:
    """`folder/bin/exe`, after making the venv with `requirement` installed if it is not there."""
    path = folder / "bin" / exe
    if not path.exists():
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
        subprocess.run([str(folder / "bin" / "python"), "-m", "pip", "install", "-q", requirement], check=True)
    return path


def opc() -> Path:
    return _venv(VENV, "openapi-python-client==0.29.1", "openapi-python-client")


def python() -> str:
    """The interpreter clientgen runs with: its venv's, which has clientgen's dependencies (and a
    copy of clientgen that the checkout under test shadows: `_env` puts it first on PYTHONPATH)."""
    return str(_venv(CLIENTGEN_VENV, str(ROOT), "python"))


def clientgen(*args: str) -> list[str]:
    return [python(), "-m", "generator", *args]


def _env(cache: Path) -> dict[str, str]:
    # Warm bytecode, as an installed tool has: PYTHONDONTWRITEBYTECODE=1 would recompile clientgen on
    # every run (openapi-python-client's venv has its bytecode from pip).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(GENERATOR), "CLIENTGEN_CACHE_DIR": str(cache)}


def row(name: str, runs: list[Run]) -> tuple[float, float, float]:
    """Prints and returns the median wall time, the largest peak RSS and the median CPU time (user +
    system of the process tree: what the run costs whatever the other sessions do to its wall time)."""
    times, peaks, cpu = [r[0] for r in runs], [r[1] for r in runs], [r[4] for r in runs]
    codes = sorted({r[2] for r in runs})
    loads = [round(r[3], 1) for r in runs]
    print(f"{name:44} median {statistics.median(times):7.2f} s  cpu {statistics.median(cpu):6.2f} s  peak {max(peaks):6.0f} MiB  exit {codes}  "
          f"runs {[round(t, 2) for t in times]}  load {loads}", flush=True)
    return statistics.median(times), max(peaks), statistics.median(cpu)


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
    t1, m1, c1 = row("clientgen generate (cold cache)", ours)
    t2, m2, c2 = row("openapi-python-client 0.29.1 (literal_enums)", theirs)
    print(f"ratio (opc / clientgen): {t2 / t1:.1f}x faster in wall time, {c2 / c1:.1f}x in CPU time; clientgen peak {m1:.0f} MiB")
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
    floor = [python(), "-c", "import click, yaml, jinja2, black, openapi_pydantic, markdown_it, pydantic, httpx"]
    checks = [measure(clientgen("check"), cwd=GENERATOR, env=env) for _ in range(runs)]
    t1 = row("clientgen check (4 bundled specs)", checks)[0]
    t2 = row("python -c 'import <clientgen deps>'", [measure(floor, env=env) for _ in range(runs)])[0]
    t3 = row("python -c 'import click' (CLI floor)", [measure([python(), "-c", "import click"], env=env) for _ in range(runs)])[0]
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


_PARALLEL_NOTE = "100,000 characters of unformatted code (generator.format.workers.PARALLEL_CHARS)"


def linear(n: int, runs: int) -> None:
    """Time per operation at N, 2N, 4N, 8N operations, as measured and with the fixed cost (a spec of one
    operation: start-up, imports, templates) taken off; a quadratic pass shows as a rising column."""
    work = Path(tempfile.mkdtemp(prefix="bench-"))

    def timed(ops: int) -> tuple[float, float]:
        spec = work / f"s{ops}.json"
        spec.write_text(json.dumps(synthetic(ops)))
        wall, _, cpu = row(f"clientgen cold, {ops} operations", [
            measure(clientgen("generate", str(spec), "--output", str(work / f"o{ops}-{i}" / "syn"), "--package", "syn"), env=_env(work / f"c{ops}-{i}"))
            for i in range(runs)])
        return wall, cpu

    fixed, fixed_cpu = timed(1)
    per_op, marginal, marginal_cpu = [], [], []
    for k in (1, 2, 4, 8):
        ops = n * k
        wall, cpu = timed(ops)
        per_op.append(wall / ops)
        marginal.append((wall - fixed) / ops)
        marginal_cpu.append((cpu - fixed_cpu) / ops)
        print(f"  per operation: {1000 * per_op[-1]:.1f} ms wall; above the fixed cost {1000 * marginal[-1]:.1f} ms wall, {1000 * marginal_cpu[-1]:.1f} ms CPU")
    print(f"max/min time per operation: {max(per_op) / min(per_op):.2f}x wall as measured; above the fixed cost "
          f"{max(marginal) / min(marginal):.2f}x wall, {max(marginal_cpu) / min(marginal_cpu):.2f}x CPU "
          f"(wall drops where formatting turns parallel, at about {_PARALLEL_NOTE})")
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


# `client.customers` (Stripe; else the first resource) imports its resource module; then the model
# its first operation returns on success, as the first call would validate it.
_FIRST_RESOURCE = (
    "import functools, sys, bench_client; c = bench_client.Client(base_url='http://x')\n"
    "names = sorted(n for n, v in vars(type(c)).items()\n"
    "               if isinstance(v, functools.cached_property))\n"
    "resource = getattr(c, 'customers' if 'customers' in names else names[0])\n"
    "module = vars(sys.modules[type(resource).__module__])\n"
    "ops = [v for v in module.values() if type(v).__name__ == 'Operation']\n"
    "model = next(r.type_name for k, r in ops[0].responses.items()\n"
    "             if k.startswith('2') and r.type_name)\n"
    "getattr(__import__('bench_client.models').models, model)\n"
)


def imports(spec: Path, runs: int) -> None:
    """Warm-bytecode import times; the snippets take turns in each round, so load changes hit all alike."""
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    out = str(work / "bench_client")
    generate = clientgen("generate", str(spec), "--output", out, "--package", "bench_client")
    subprocess.run(generate, cwd=GENERATOR, env=_env(work / "cache"), check=True,
                   capture_output=True)
    # Warm bytecode: a PYTHONDONTWRITEBYTECODE=1 environment would recompile every module on every run.
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "PYTHONPATH": str(work)}
    snippets = {
        "import httpx, pydantic": "import httpx, pydantic",
        "import pkg; pkg.Client()": "import bench_client; bench_client.Client(base_url='http://x')",
        "... + first resource and its first model": _FIRST_RESOURCE,
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
    parser.add_argument("what", choices=["cold", "repeat", "check", "linear", "imports", "corpus", "runtime", "firstuse", "layout"])
    parser.add_argument("--spec", type=Path, default=STRIPE)
    parser.add_argument("--runs", type=int, help="runs per measurement (default 3 for cold, 5 otherwise)")
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--max-kb", type=int, help="corpus: only specs of at most this many KB")
    parser.add_argument("--profile", action="store_true", help="runtime: also profile the generated client's calls")
    args = parser.parse_args()
    args.runs = args.runs or {"cold": 3, "corpus": 1}.get(args.what, 5)
    sys.path.insert(0, str(GENERATOR))  # what runs in this process (`layout`) imports the tree under test
    print(f"machine: {os.cpu_count()} cpus, load {os.getloadavg()[0]:.2f}; python {sys.version.split()[0]}")
    print(f"clientgen under test: {_generator_file()}", flush=True)
    {"cold": lambda: cold(args.spec, args.runs), "repeat": lambda: repeat(args.spec, args.runs),
     "check": lambda: check(args.runs), "linear": lambda: linear(args.n, args.runs), "imports": lambda: imports(args.spec, args.runs),
     "corpus": lambda: _bench("corpus").corpus(args.runs, args.max_kb), "runtime": lambda: _bench("runtime").runtime(),
     "firstuse": lambda: _bench("firstuse").firstuse(args.runs), "layout": lambda: _bench("layout").layout()}[args.what]()


def _generator_file() -> str:
    """Where the runs import `generator` from, as they see it (the bench's own tree or another)."""
    code = "import generator; print(generator.__file__)"
    env = _env(Path(tempfile.gettempdir()))
    proc = subprocess.run([sys.executable, "-c", code], cwd=GENERATOR, env=env,
                          capture_output=True, text=True)
    return proc.stdout.strip()


def _bench(name: str) -> Any:
    """A benchmark module next to this script (bench/ is first on sys.path when it runs)."""
    return importlib.import_module(name)


if __name__ == "__main__":
    main()
