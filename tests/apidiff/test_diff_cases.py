"""Golden API-diff cases (`tests/diff_cases/`, see tests/diff_golden.py) and reports of a spec against itself."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

import diff_golden

from generator.apidiff.adapter import snapshot
from generator.apidiff.compare import compare
from generator.apidiff.surface import from_json, to_json
from generator.build import lower_client
from generator.config import adhoc_options


@pytest.mark.parametrize("case", diff_golden.case_names())
def test_diff_case_matches_its_expected_reports(case):
    produced = diff_golden.run_case(case)
    for name, text in produced.items():
        expected = (diff_golden.CASES / case / name).read_text(encoding="utf-8")
        assert text == expected, f"{case}/{name} differs; if intended, run `python tests/diff_golden.py {case}` and review"


def test_the_golden_cases_cover_every_kind_of_change_both_ways():
    """Each kind of change of the issue shows up at least once; breaking and compatible both occur."""
    seen = {(c["code"], c["classification"]) for case in diff_golden.case_names()
            for c in json.loads((diff_golden.CASES / case / "expected.json").read_text())["changes"]}
    codes = {code for code, _ in seen}
    for code in ("method-removed", "method-added", "method-renamed", "http-changed", "argument-added", "argument-removed",
                 "argument-moved", "wire-name-changed", "became-required", "became-optional", "type-changed", "default-changed",
                 "returns-changed", "error-added", "error-removed", "error-changed", "stream-added", "stream-removed",
                 "method-streams-only", "auth-changed", "method-deprecated", "model-added", "model-removed", "model-renamed",
                 "model-kind-changed", "field-added", "field-removed", "extra-changed", "scheme-added", "scheme-removed",
                 "scheme-changed", "server-changed", "pagination-added", "pagination-changed"):
        assert code in codes, code
    for code in ("type-changed", "field-added", "argument-added", "auth-changed", "became-optional"):
        assert {(code, "breaking"), (code, "compatible")} <= seen, code


def _specs() -> list[Path]:
    cases = [p for p in sorted((ROOT / "tests" / "diff_cases").glob("*/*")) if p.stem in ("old", "new") and p.suffix in (".yaml", ".json")]
    return cases + sorted((ROOT / "specs").glob("*/openapi.yaml"))


@pytest.mark.parametrize("spec", _specs(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_spec_against_itself_reports_nothing_and_its_surface_round_trips(spec):
    client = adhoc_options(spec, Path("unused"), "self_client").clients[0]
    api, _ = lower_client(client)
    surface = snapshot(api)
    again = from_json(to_json(surface))
    assert again == surface
    assert to_json(again) == to_json(surface)
    assert compare(surface, again) == ()


def test_the_diff_command_reports_a_spec_against_itself_as_empty():
    case = "identical"
    report = diff_golden.run_case(case)
    assert "No API changes." in report["expected.txt"]
    assert json.loads(report["expected.json"])["changes"] == []


@pytest.mark.parametrize("case", [c for c in diff_golden.case_names() if (diff_golden.CASES / c / "PROVENANCE.md").exists()])
def test_real_history_specs_against_themselves_report_nothing(case, tmp_path):
    for which in ("old", "new"):
        spec = diff_golden._plain(diff_golden.side(case, which), tmp_path)
        report = diff_golden.diff_specs(spec, spec)
        assert report.changes == () and report.bump == "patch"
