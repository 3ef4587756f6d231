"""scripts/quality.py: finds long functions and modules, reports by default, fails with --strict."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import quality  # noqa: E402


def _function(name: str, body_lines: int) -> str:
    return f"def {name}() -> None:\n" + "    pass\n" * body_lines


@pytest.fixture()
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(quality, "PACKAGE", tmp_path)
    monkeypatch.setattr(quality, "BASELINE", tmp_path / "quality_baseline.json")  # none: zero
    return tmp_path


def test_functions_over_50_lines_and_modules_over_400_lines_are_found(package: Path) -> None:
    (package / "ok.py").write_text(_function("fits", 49) + "\n\nclass C:\n" + "    x = 1\n" * 300)
    nested = "def outer() -> None:\n" + "    " + _function("inner", 51).replace("\n", "\n    ")
    (package / "long.py").write_text(_function("too_long", 50) + "\n" + nested)
    (package / "big.py").write_text("x = 1\n" * 401)
    found = quality.length_findings(quality.modules(package))
    assert sorted(
        (Path(f.module).name, f.check, f.message.split("`")[1] if "`" in f.message else "")
        for f in found
    ) == [
        ("big.py", "module-lines", ""),
        ("long.py", "function-lines", "inner"),
        ("long.py", "function-lines", "outer"),
        ("long.py", "function-lines", "too_long"),
    ]


def test_report_only_exits_0_and_strict_exits_1(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (package / "big.py").write_text("x = 1\n" * 401)
    assert quality.main(["--no-tools"]) == 0
    out = capsys.readouterr().out
    assert "big.py:1: [module-lines] module has 401 lines (> 400)" in out
    assert "totals: function-lines 0, module-lines 1" in out
    assert quality.main(["--no-tools", "--strict"]) == 1
    (package / "big.py").write_text("x = 1\n" * 400)
    assert quality.main(["--no-tools", "--strict"]) == 0


def test_strict_fails_only_above_the_baseline_which_only_shrinks(package: Path) -> None:
    baseline = quality.BASELINE
    (package / "long.py").write_text(_function("a", 51) + _function("b", 51))
    module = quality.length_findings(quality.modules(package))[0].module
    quality.write_baseline(baseline, {"function-lines": {module: 2}})
    assert quality.main(["--no-tools", "--strict"]) == 0
    (package / "long.py").write_text(_function("a", 51) + _function("b", 51) + _function("c", 51))
    assert quality.main(["--no-tools", "--strict"]) == 1  # a third long function: a regression
    assert quality.main(["--no-tools", "--shrink-baseline"]) == 0
    assert quality.read_baseline(baseline) == {"function-lines": {module: 2}}  # never grows
    (package / "long.py").write_text(_function("a", 51))
    assert quality.main(["--no-tools", "--shrink-baseline"]) == 0
    assert quality.read_baseline(baseline) == {"function-lines": {module: 1}}
    (package / "long.py").write_text(_function("a", 10))
    assert quality.main(["--no-tools", "--strict", "--shrink-baseline"]) == 0
    assert not baseline.exists()  # nothing left to tolerate: any finding fails again


def test_shrinking_without_the_tools_keeps_their_counts(package: Path) -> None:
    baseline = quality.BASELINE
    quality.write_baseline(baseline, {"line-length": {"generator/x.py": 3}, "mypy": {"y.py": 1}})
    assert quality.main(["--no-tools", "--shrink-baseline"]) == 0
    assert quality.read_baseline(baseline) == {
        "line-length": {"generator/x.py": 3},
        "mypy": {"y.py": 1},
    }
