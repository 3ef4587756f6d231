"""Every golden case builds exactly its expected tree and diagnostics (regenerate: python tests/golden.py)."""

import difflib
import os
import shutil

import pytest
from click.testing import CliRunner

import golden
from generator.cli import main


@pytest.mark.parametrize("case", golden.case_names())
def test_golden_case(case):
    tree, diagnostics, ir_text = golden.run_case_ir(case)
    expected_tree, expected_diagnostics = golden.read_expected(case)
    assert diagnostics == expected_diagnostics
    # The IR first: a lowering change reads as a diff of data, before the rendered text it causes.
    expected_ir = golden.read_expected_ir(case)
    assert (ir_text is None) == (expected_ir is None), "the case's IR is kept exactly when the case builds"
    if ir_text != expected_ir:
        diff = "".join(difflib.unified_diff(expected_ir.splitlines(True), ir_text.splitlines(True), "expected_ir.json", "actual_ir.json"))
        pytest.fail(f"{case}: the IR differs (run `python tests/golden.py {case}` if intended):\n{diff}")
    assert (tree is None) == (expected_tree is None), "case builds now but did not, or the other way round"
    if tree is None:
        return
    assert sorted(tree) == sorted(expected_tree)
    for path in sorted(tree):
        if tree[path] != expected_tree[path]:
            diff = "".join(difflib.unified_diff(expected_tree[path].splitlines(True), tree[path].splitlines(True), f"expected/{path}", f"actual/{path}"))
            pytest.fail(f"{case}: {path} differs (run `python tests/golden.py {case}` if intended):\n{diff}")


FAILING = [case for case in golden.case_names() if golden.read_expected(case)[0] is None]


@pytest.mark.parametrize("case", FAILING)
def test_failing_case_exits_1_with_its_diagnostics_and_writes_nothing(case, tmp_path):
    # Ad-hoc paths are shown relative to the folder that holds both the spec and the output: the case folder.
    folder = tmp_path / case
    shutil.copytree(golden.CASES / case, folder)
    spec = folder / golden.case_input(case).name
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["generate", str(spec), "--output", str(folder / "out"), "--package", "case_client"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 1
    assert golden.read_expected(case)[1] in result.output
    assert "Traceback" not in result.output and "nothing was written" in result.output
    assert not (folder / "out").exists()
