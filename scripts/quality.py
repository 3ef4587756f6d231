"""The generator held to the rules it sets for new code: no function over 50 lines, no module
over 400 lines in `generator/`, `ruff check` (complexity rules and the one line-length limit,
configured in pyproject.toml) and `mypy --strict generator/`.

    python scripts/quality.py            # report: every offender and the counts per module; exits 0
    python scripts/quality.py --strict   # the same, but exits 1 when anything is reported
    python scripts/quality.py --no-tools # only the line counts (no ruff, no mypy: fast)
    python scripts/quality.py --all      # also list every line over the limit (else only counted)

Report-only by default while large branches land; `.ci/run` runs it so the numbers stay visible.
"""

from __future__ import annotations

import argparse
import ast
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--strict", action="store_true", help="exit 1 when anything is reported")
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
    return 1 if arguments.strict and (found or missing) else 0


if __name__ == "__main__":
    sys.exit(main())
