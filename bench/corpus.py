"""Cold generation of every corpus spec: clientgen vs openapi-python-client, one spec after the other in
one run (`python bench/run.py corpus`). For each spec the two take turns, so a change of load hits both;
the 1-minute load average before each run is printed with it.

openapi-python-client runs with `literal_enums: true`, client only (`--meta none`), like `cold`. A spec it
cannot generate (exit code not 0, or no package written) has no ratio: the table says so.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

CORPUS = Path("/work/shared/corpus")
_SPEC_SUFFIXES = (".yaml", ".yml", ".json")


def corpus_specs(root: Path = CORPUS) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in _SPEC_SUFFIXES and p.is_file())


def _wrote_package(out: Path) -> bool:
    return any(out.rglob("__init__.py")) if out.exists() else False


def corpus(runs: int, max_kb: int | None = None) -> None:
    """`max_kb`: only the specs of at most that many kilobytes (the small ones: a quick run)."""
    from run import _env, clientgen, measure, opc  # bench/run.py: the one place runs are measured

    work = Path(tempfile.mkdtemp(prefix="bench-corpus-"))
    config = work / "opc.yaml"
    config.write_text("literal_enums: true\n")
    print("| Spec | clientgen wall (CPU) | load | openapi-python-client wall (CPU) | load | opc / clientgen wall (CPU) |")
    print("|---|---|---|---|---|---|")
    specs = [p for p in corpus_specs() if max_kb is None or p.stat().st_size <= max_kb * 1024]
    for n, spec in enumerate(specs):
        ours_best, theirs_best = None, None
        ours_ok = theirs_ok = True
        for i in range(runs):
            cg_out, opc_out = work / f"cg{n}-{i}" / "bench_client", work / f"opc{n}-{i}"
            ours = measure(clientgen("generate", str(spec), "--output", str(cg_out), "--package", "bench_client"), env=_env(work / f"cache{n}-{i}"))
            theirs = measure([str(opc()), "generate", "--path", str(spec), "--output-path", str(opc_out), "--config", str(config), "--meta", "none", "--overwrite"])
            ours_ok = ours_ok and ours[2] == 0 and _wrote_package(cg_out)
            theirs_ok = theirs_ok and theirs[2] == 0 and _wrote_package(opc_out)
            ours_best = ours if ours_best is None or ours[0] < ours_best[0] else ours_best
            theirs_best = theirs if theirs_best is None or theirs[0] < theirs_best[0] else theirs_best
        assert ours_best is not None and theirs_best is not None
        print(_line(spec, ours_best, ours_ok, theirs_best, theirs_ok), flush=True)
    shutil.rmtree(work, ignore_errors=True)


def _line(spec: Path, ours: tuple[float, float, int, float, float], ours_ok: bool,
          theirs: tuple[float, float, int, float, float], theirs_ok: bool) -> str:
    def cell(run: tuple[float, float, int, float, float], ok: bool) -> str:
        return f"{run[0]:.2f} s ({run[4]:.2f} s)" + ("" if ok else f", fails (exit {run[2]})")

    ratio = f"{theirs[0] / ours[0]:.2f}x ({theirs[4] / ours[4]:.2f}x)" if ours_ok and theirs_ok else "n/a"
    return (f"| {spec.relative_to(CORPUS)} | {cell(ours, ours_ok)} | {ours[3]:.1f} | "
            f"{cell(theirs, theirs_ok)} | {theirs[3]:.1f} | {ratio} |")
