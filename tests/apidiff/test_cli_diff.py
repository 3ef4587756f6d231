"""`clientgen diff` and `clientgen check --explain` end to end: formats, colour, exit codes, the summary
above check's file diff, and a committed snapshot that is missing."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from click.testing import CliRunner

from generator.apidiff import SURFACE_FILE
from generator.cli import main

CASES = Path(__file__).resolve().parents[1] / "diff_cases"


def run(cwd: Path, *args: str, color: bool = False):
    here = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False, color=color)
    finally:
        os.chdir(here)


def test_fail_on_breaking_fails_only_on_breaking_changes(tmp_path):
    methods, identical = CASES / "methods", CASES / "identical"
    assert run(methods, "diff", "old.yaml", "new.yaml").exit_code == 0  # a report is not a failure
    assert run(methods, "diff", "old.yaml", "new.yaml", "--fail-on", "breaking").exit_code == 1
    assert run(identical, "diff", "old.yaml", "new.yaml", "--fail-on", "any").exit_code == 0
    # Only compatible changes: an added optional query parameter.
    old = (CASES / "identical" / "new.yaml").read_text()
    (tmp_path / "old.yaml").write_text(old)
    (tmp_path / "new.yaml").write_text(old.replace("      operationId: placeOrder\n", "      operationId: placeOrder\n"
                                                   "      parameters: [{name: dry_run, in: query, schema: {type: boolean}}]\n"))
    result = run(tmp_path, "diff", "old.yaml", "new.yaml", "--fail-on", "breaking")
    assert result.exit_code == 0 and "0 breaking, 1 compatible change(s); suggested version bump: minor" in result.output
    assert run(tmp_path, "diff", "old.yaml", "new.yaml", "--fail-on", "any").exit_code == 1


def test_formats_and_colour_only_on_a_terminal():
    methods = CASES / "methods"
    as_json = json.loads(run(methods, "diff", "old.yaml", "new.yaml", "--format", "json").output)
    assert as_json["bump"] == "major" and as_json["breaking"] > 0
    assert run(methods, "diff", "old.yaml", "new.yaml", "--format", "markdown").output.startswith("### API changes:")
    plain = run(methods, "diff", "old.yaml", "new.yaml").output
    assert "\x1b[" not in plain  # not a terminal: no colour codes
    coloured = run(methods, "diff", "old.yaml", "new.yaml", color=True).output
    assert "\x1b[31m" in coloured and "\x1b[32m" in coloured


def test_a_committed_surface_file_can_be_the_old_side(tmp_path):
    assert run(CASES / "models", "generate", "old.yaml", "--output", str(tmp_path / "pkg"), "--package", "billing_client").exit_code == 0
    result = run(CASES / "models", "diff", str(tmp_path / "pkg" / SURFACE_FILE), "new.yaml", "--format", "json")
    report = json.loads(result.output)
    expected = json.loads((CASES / "models" / "expected.json").read_text())
    assert [c["message"] for c in report["changes"]] == [c["message"] for c in expected["changes"]]
    assert report["changes"][0]["old"]["line"] is None  # a snapshot knows pointers, not lines


def _project(tmp_path: Path) -> Path:
    shutil.copy(CASES / "methods" / "old.yaml", tmp_path / "shop.yaml")
    (tmp_path / "pyproject.toml").write_text('[tool.clientgen.clients.shop_client]\nspec = "shop.yaml"\noutput = "shop_client"\n')
    assert run(tmp_path, "generate").exit_code == 0
    shutil.copy(CASES / "methods" / "new.yaml", tmp_path / "shop.yaml")
    return tmp_path


def test_check_prints_the_api_changes_above_the_file_diff(tmp_path):
    result = run(_project(tmp_path), "check")
    assert result.exit_code == 1
    expected = (CASES / "methods" / "expected.txt").read_text().splitlines()[1]  # "15 breaking, 14 compatible ..."
    summary = result.output.index(f"shop_client: {expected}")
    assert summary < result.output.index("--- a/shop_client/")
    assert "  BREAKING    legacy.export: method removed (GET /legacy/export)" in result.output


def test_check_explain_reports_in_full_with_lines_of_the_new_spec(tmp_path):
    project = _project(tmp_path)
    result = run(project, "check", "--explain", "--format", "json")
    assert result.exit_code == 1  # drift is drift, breaking or not
    report = json.loads(result.output[: result.output.rindex("}") + 1])
    assert report["old"]["spec"] == "shop.yaml" and report["new"]["spec"] == "shop.yaml"
    expected = json.loads((CASES / "methods" / "expected.json").read_text())
    assert [(c["code"], c["message"]) for c in report["changes"]] == [(c["code"], c["message"]) for c in expected["changes"]]
    assert [c["new"]["line"] for c in report["changes"] if c["new"]] == [c["new"]["line"] for c in expected["changes"] if c["new"]]
    assert "--- a/" not in result.output


def test_check_without_a_committed_snapshot_says_so_and_still_diffs(tmp_path):
    project = _project(tmp_path)
    (project / "shop_client" / SURFACE_FILE).unlink()
    result = run(project, "check")
    assert result.exit_code == 1
    assert f"warning[no-api-snapshot] cannot read {SURFACE_FILE}" in result.output
    assert "--- a/shop_client/" in result.output
