"""The generator held to the rules it sets for new code: no function over 50 lines, no module
over 400 lines in `generator/`, `ruff check` (complexity rules and the one line-length limit,
configured in pyproject.toml) and `mypy --strict generator/`.

    python scripts/quality.py            # report: every offender and the counts per module; exits 0
    python scripts/quality.py --strict   # exits 1 when a (module, check) count exceeds the baseline
    python scripts/quality.py --shrink-baseline  # lower the baseline to today's counts
    python scripts/quality.py --no-tools # only the line counts (no ruff, no mypy: fast)
    python scripts/quality.py --all      # also list every line over the limit (else only counted)

`scripts/quality_baseline.json` holds the findings still tolerated, counted per module and check; it
may only shrink. With the file gone (or every count zero) `--strict` fails on any finding. `.ci/run`
runs `--strict`, so a regression fails CI while the old debt is paid down.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "generator"
MAX_FUNCTION_LINES = 50
MAX_MODULE_LINES = 400
BASELINE = Path(__file__).resolve().with_name("quality_baseline.json")


@dataclass(frozen=True)
class Finding:
    check: str  # "function-lines", "module-lines", "ruff", "mypy"
    module: str  # path relative to the repository root, POSIX
    line: int
    message: str

    def format(self) -> str:
        return f"{self.module}:{self.line}: [{self.check}] {self.message}"


def modules(package: Path) -> list[Path]:
    return sorted(p for p in package.rglob("*.py") if "__pycache__" not in p.parts)


def _relative(path: Path) -> str:
    return (
        path.resolve().relative_to(ROOT).as_posix()
        if path.resolve().is_relative_to(ROOT)
        else path.as_posix()
    )


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def length_findings(paths: Sequence[Path]) -> list[Finding]:
    """Modules over MAX_MODULE_LINES lines and functions (methods and nested ones each on their own)
    over MAX_FUNCTION_LINES, counted from the `def` line to the last line of the body."""
    found: list[Finding] = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES:
            found.append(
                Finding(
                    "module-lines",
                    _relative(path),
                    1,
                    f"module has {lines} lines (> {MAX_MODULE_LINES})",
                )
            )
        for function in _functions(ast.parse(text, filename=str(path))):
            length = (function.end_lineno or function.lineno) - function.lineno + 1
            if length > MAX_FUNCTION_LINES:
                message = f"`{function.name}` has {length} lines (> {MAX_FUNCTION_LINES})"
                found.append(Finding("function-lines", _relative(path), function.lineno, message))
    return found


def _run(command: list[str]) -> str:
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    return result.stdout + result.stderr


_RUFF_LINE = re.compile(r"^(?P<path>[^:\s]+\.py):(?P<line>\d+):\d+: (?P<message>.+)$")
_MYPY_LINE = re.compile(r"^(?P<path>[^:\s]+\.py):(?P<line>\d+): error: (?P<message>.+)$")


def _parse(output: str, pattern: re.Pattern[str], check: str) -> list[Finding]:
    found = []
    for line in output.splitlines():
        match = pattern.match(line.strip())
        if match:
            module = _relative(ROOT / match["path"])
            # Over-long lines are many and mechanical: counted in a column, listed with --all.
            kind = (
                "line-length" if check == "ruff" and match["message"].startswith("E501") else check
            )
            found.append(Finding(kind, module, int(match["line"]), match["message"]))
    return found


def tool_findings() -> tuple[list[Finding], list[str]]:
    """ruff and mypy findings on `generator/`, and the tools not installed (reported, not run)."""
    found: list[Finding] = []
    missing: list[str] = []
    if shutil.which("ruff"):
        output = _run(["ruff", "check", "--output-format", "concise", "--no-fix", "generator"])
        found += _parse(output, _RUFF_LINE, "ruff")
    else:
        missing.append("ruff")
    try:
        import mypy  # noqa: F401 (only whether it is installed)
    except ImportError:
        missing.append("mypy")
    else:
        output = _run([sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "generator"])
        found += _parse(output, _MYPY_LINE, "mypy")
    return found, missing


CHECKS = ("function-lines", "module-lines", "ruff", "line-length", "mypy")


def report(found: Sequence[Finding], missing: Sequence[str], *, every_line: bool = False) -> str:
    """Every finding (over-long lines only with `every_line`), then a table of counts per module and
    check, then the totals."""
    checks = CHECKS
    listed = [f for f in found if every_line or f.check != "line-length"]
    lines = [
        finding.format() for finding in sorted(listed, key=lambda f: (f.module, f.line, f.check))
    ]
    per_module = Counter((f.module, f.check) for f in found)
    if per_module:
        lines += ["", f"{'module':<40}" + "".join(f"{check:>15}" for check in checks)]
        for module in sorted({module for module, _ in per_module}):
            lines.append(
                f"{module:<40}" + "".join(f"{per_module[module, check]:>15}" for check in checks)
            )
    totals = Counter(f.check for f in found)
    lines += ["", "totals: " + ", ".join(f"{check} {totals[check]}" for check in checks)]
    lines += [f"not run: {tool} is not installed (pip install -e '.[dev]')" for tool in missing]
    return "\n".join(lines)


Counts = dict[str, dict[str, int]]  # check -> module -> findings tolerated


def counts(found: Sequence[Finding]) -> Counts:
    table: Counts = {}
    for (check, module), count in sorted(Counter((f.check, f.module) for f in found).items()):
        table.setdefault(check, {})[module] = count
    return table


def read_baseline(path: Path) -> Counts:
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {check: dict(per_module) for check, per_module in data.items()}


def regressions(found: Sequence[Finding], baseline: Counts) -> list[str]:
    """Each (check, module) whose count is above what the baseline tolerates."""
    over = []
    for check, per_module in counts(found).items():
        for module, count in per_module.items():
            allowed = baseline.get(check, {}).get(module, 0)
            if count > allowed:
                over.append(f"{module}: {check} {count} (baseline allows {allowed})")
    return over


def shrunk(found: Sequence[Finding], baseline: Counts, ran: Sequence[str] = CHECKS) -> Counts:
    """The baseline lowered to today's counts of the checks that `ran` (the others kept as they
    are); a count above the baseline stays at the baseline (it never grows: fix the regression)."""
    now = counts(found)
    table: Counts = {}
    for check, per_module in baseline.items():
        for module, allowed in per_module.items():
            kept = min(allowed, now.get(check, {}).get(module, 0)) if check in ran else allowed
            if kept:
                table.setdefault(check, {})[module] = kept
    return table


def write_baseline(path: Path, table: Counts) -> None:
    if table:
        path.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    elif path.exists():
        path.unlink()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a count exceeds the baseline"
    )
    parser.add_argument(
        "--shrink-baseline", action="store_true", help="lower the baseline to today's counts"
    )
    parser.add_argument(
        "--no-tools", action="store_true", help="only the line counts: no ruff, no mypy"
    )
    parser.add_argument("--all", action="store_true", help="also list every over-long line")
    arguments = parser.parse_args(argv)
    found = length_findings(modules(PACKAGE))
    missing: list[str] = []
    if not arguments.no_tools:
        tools, missing = tool_findings()
        found += tools
    print(report(found, missing, every_line=arguments.all))
    baseline = read_baseline(BASELINE)
    ran = ("function-lines", "module-lines") if arguments.no_tools or missing else CHECKS
    if arguments.shrink_baseline:
        write_baseline(BASELINE, shrunk(found, baseline, ran))
        baseline = read_baseline(BASELINE)
    over = regressions(found, baseline)
    tolerated = sum(sum(per_module.values()) for per_module in baseline.values())
    if tolerated:
        print(f"baseline ({BASELINE.name}) tolerates {tolerated} findings; it may only shrink")
    for line in over:
        print(f"over the baseline: {line}")
    if shrunk(found, baseline, ran) != baseline:
        print("the baseline can shrink: python scripts/quality.py --shrink-baseline")
    return 1 if arguments.strict and (over or missing) else 0


if __name__ == "__main__":
    sys.exit(main())
