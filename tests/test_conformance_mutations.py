"""The generated conformance tests catch a client that departs from its spec: each mutation edits one
string literal of a generated package (a copy in tmp) and the named generated test must fail. Golden
packages' generated tests pass unmutated."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import golden
import pytest

# (golden case, file, pattern, replacement, generated test that must fail)
MUTATIONS = {
    "wrong path": ("names", "_resources/items.py", r'"/items/\{item-id\}/sub items"', '"/items/{item-id}/sub-items"', "test_request[items.sub_items.delete]"),
    "missing header": ("names", "_resources/items.py", r'"X-Request-ID",', '"X-Request-Ignored",', "test_request[items.list]"),
    "wrong content type": ("names", "_resources/items.py", r'content_type="application/json"', 'content_type="text/plain"', "test_request[items.create]"),
    "wrong field alias": ("names", "_models/items.py", r'alias="2fa"', 'alias="twofa"', "test_response[items.list-200-application/json-synth0]"),
    # query and form-body serialization (style/explode, a form body's encoding)
    "deepObject sent as form": ("serialization", "_resources/charges.py", r'\("query", "created", "deepObject", True\)', '("query", "created", "form", True)', "test_request[charges.list]"),
    "explode flipped": ("serialization", "_resources/charges.py", r'\("query", "ids", "form", False\)', '("query", "ids", "form", True)', "test_request[charges.list]"),
    "wrong delimiter": ("serialization", "_resources/charges.py", r'"pipeDelimited"', '"spaceDelimited"', "test_request[charges.list]"),
    "body encoding dropped": ("serialization", "_resources/charges.py", r'\("body", "metadata", "deepObject", True\),', "", "test_request[charges.create]"),
    "multipart encoding dropped": ("serialization", "_resources/files.py", r'styles=\(\("body", "file_link_data", "deepObject", True\),\),', "", "test_request[files.create]"),
}


def _run(package: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest", str(package), "-q", "-p", "no:cacheprovider", "-rf"]
    return subprocess.run(command, capture_output=True, text=True, cwd=package.parent, timeout=300)


@pytest.mark.slow
@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_generated_tests_catch_the_mutation(mutation: str, tmp_path: Path) -> None:
    case, file, pattern, replacement, failing = MUTATIONS[mutation]
    package = golden.write_package(case, tmp_path)
    source = (package / file).read_text(encoding="utf-8")
    mutated, count = re.subn(pattern, replacement, source)
    assert count >= 1, f"the mutation found nothing to change in {file}"
    (package / file).write_text(mutated, encoding="utf-8")
    completed = _run(package)
    assert completed.returncode == 1, completed.stdout[-3000:]
    assert failing in completed.stdout, completed.stdout[-3000:]


@pytest.mark.slow
def test_golden_packages_pass_their_generated_tests_and_agree_with_lint_on_bad_examples(tmp_path: Path) -> None:
    """Every generated test of every golden package passes. The examples lint reports as
    `example-mismatch` (tests/cases/lint has three on purpose) are exactly those the generated tests check
    as contradicting their schema: lint and the generated tests agree on which examples are bad."""
    reported, marked = set(), set()
    for case in golden.case_names():
        if (golden.CASES / case / "expected").is_dir():
            package = golden.write_package(case, tmp_path)
            diagnostics = (golden.CASES / case / "expected_diagnostics.txt").read_text(encoding="utf-8")
            reported |= {f"{case}:{pointer[1:]}" for pointer in re.findall(r"warning\[example-mismatch\] .* \((/[^)]*)\)$", diagnostics, re.M)}
            examples = json.loads((package / "tests" / "cases.json").read_text(encoding="utf-8"))["examples"]
            marked |= {f"{case}:{example['id']}" for example in examples if example["mismatch"]}
    assert reported, "tests/cases/lint should have bad examples"
    assert marked == reported
    completed = subprocess.run([sys.executable, "-m", "pytest", ".", "-q", "-p", "no:cacheprovider", "-rf"], capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert completed.returncode == 0, completed.stdout[-3000:]
    assert re.search(r"\d+ passed", completed.stdout) and "failed" not in completed.stdout


def test_a_default_response_is_served_with_a_status_nothing_else_documents():
    from generator.conformance.responses import served_status

    assert served_status("default", {"200", "DEFAULT"}) == 500
    assert served_status("default", {"5XX", "418", "DEFAULT"}) == 599
    assert served_status("4XX", {str(s) for s in range(400, 500)} | {"4XX"}) == 400
