"""Validation errors name the real cause at the real place, every one of them, each once; `enum: []` is
valid in 3.1 (JSON Schema 2020-12) and a located error naming `enum` in 3.0."""

from __future__ import annotations

from pathlib import Path

import golden
from click.testing import CliRunner

from generator.cli import main


def _generate(tmp_path: Path, case: str) -> tuple[int, str]:
    spec = golden.case_input(case)
    result = CliRunner().invoke(main, ["generate", str(spec), "--output", str(tmp_path / "out"), "--package", "p"])
    return result.exit_code, result.output


def test_every_error_is_printed_with_the_true_count(tmp_path: Path) -> None:
    code, output = _generate(tmp_path, "many_errors")
    errors = [line for line in output.splitlines() if "error[" in line]
    assert code == 1 and len(errors) == 12 and len(set(errors)) == 12
    assert "clientgen: 12 error(s); nothing was written." in output


def test_an_empty_enum_in_3_0_is_an_error_naming_the_keyword(tmp_path: Path) -> None:
    code, output = _generate(tmp_path, "enum_empty30")
    errors = [line for line in output.splitlines() if "error[" in line]
    assert code == 1 and len(errors) == 2
    assert all("`enum` is empty" in line and line.endswith("/enum)") for line in errors)
    assert "required field" not in output  # the Reference branch of the union is not the cause


def test_an_empty_enum_in_3_1_generates(tmp_path: Path) -> None:
    code, output = _generate(tmp_path, "enum_empty31")
    assert code == 0, output
    assert output.count("warning[empty-enum]") == 2
