"""Run `clientgen generate` on every document of a corpus folder and print a Markdown tally.

Each document must either generate a package that imports and passes `mypy --strict`, or fail with exit
status 1 and located diagnostics (`file:line:col: error[code] ...`). Anything else (a traceback, another
exit status, an unlocated error, an import or mypy failure) is a clientgen bug and makes this script
exit 1.

    python scripts/corpus_tally.py /work/shared/corpus [--skip-mypy-over BYTES] [--keep DIR]

Every document is type-checked by default (mypy --strict takes about 15 s on the Stripe package);
documents larger than --skip-mypy-over bytes are only generated and imported.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SUFFIXES = {".yaml", ".yml", ".json"}
LOCATED = re.compile(r"^\S.*:\d+:\d+: error\[[a-z0-9-]+\] ", re.MULTILINE)
IMPORT_ALL = (
    "import importlib, pkgutil, sys\n"
    "package = importlib.import_module(sys.argv[1])\n"
    "for module in pkgutil.walk_packages(package.__path__, sys.argv[1] + '.'):\n"  # lazy subpackages too
    "    if '.tests' not in module.name:\n"
    "        importlib.import_module(module.name)\n"
    "[getattr(package, name) for name in package.__all__]\n"
    "package.Client(base_url='http://127.0.0.1:1').close()\n"
)


def documents(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.suffix in SUFFIXES and p.is_file())


def package_name(corpus: Path, path: Path) -> str:
    return "c_" + re.sub(r"[^a-z0-9]+", "_", path.relative_to(corpus).with_suffix("").as_posix().lower()).strip("_")


def warning_counts(output: str) -> str:
    """"N warnings (D distinct)": printed warning lines, and how many of them differ (a warning printed
    twice is a clientgen bug, which this makes visible per spec)."""
    lines = [line for line in output.splitlines() if re.search(r": warning\[[a-z0-9-]+\] ", line)]
    return f"{len(lines)} warnings ({len(set(lines))} distinct)"


def check(corpus: Path, path: Path, work: Path, skip_mypy_over: int) -> tuple[str, str, bool]:
    """(outcome, detail, ok) for one document."""
    name = package_name(corpus, path)
    out = work / name
    generated = subprocess.run([sys.executable, "-m", "generator", "generate", str(path), "--output", str(out), "--package", name],
                               capture_output=True, text=True)
    output = generated.stdout + generated.stderr
    if "Traceback" in output or generated.returncode not in (0, 1):
        return "BUG", f"exit {generated.returncode}: {output.strip().splitlines()[-1][:120] if output.strip() else ''}", False
    if generated.returncode == 1:
        codes = sorted(set(re.findall(r"error\[([a-z0-9-]+)\]", output)))
        error_lines = [line for line in output.splitlines() if "error[" in line]
        located = bool(error_lines) and all(LOCATED.match(line) for line in error_lines)
        return "refused (located)" if located else "BUG: unlocated", ", ".join(codes), located
    imported = subprocess.run([sys.executable, "-c", IMPORT_ALL, name], capture_output=True, text=True, cwd=work,
                              env={"PYTHONPATH": str(work), "PATH": ""})
    if imported.returncode != 0:
        return "BUG: import", imported.stderr.strip().splitlines()[-1][:120], False
    warnings = warning_counts(output)
    if path.stat().st_size > skip_mypy_over:
        return "generated, imports (mypy skipped: size)", warnings, True
    mypy = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(work / ".mypy_cache"), name],
                          capture_output=True, text=True, cwd=work)
    if mypy.returncode != 0:
        return "BUG: mypy", mypy.stdout.strip().splitlines()[-1][:120], False
    return "generated, imports, mypy --strict ok", warnings, True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--skip-mypy-over", type=int, default=1 << 62)
    parser.add_argument("--keep", type=Path, help="generate into this folder instead of a temporary one")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        work = (args.keep or Path(tmp)).resolve()
        work.mkdir(parents=True, exist_ok=True)
        print("| document | outcome | detail | seconds |\n|---|---|---|---:|")
        bad = 0
        for path in documents(corpus):
            started = time.perf_counter()
            outcome, detail, ok = check(corpus, path, work, args.skip_mypy_over)
            bad += not ok
            print(f"| {path.relative_to(corpus).as_posix()} | {outcome} | {detail} | {time.perf_counter() - started:.1f} |", flush=True)
    print(f"\n{len(documents(corpus))} documents, {bad} clientgen bug(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
