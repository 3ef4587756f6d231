"""The client generated from OpenAI's spec (tests/large/openai) passes every one of its own generated
conformance tests: every synthesized value validates against its schema, and each of the spec's examples
that contradicts its schema is checked as such (lint reports it as `example-mismatch`)."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build_tree
from generator.config import ClientConfig, Options
from generator.conformance.synth import Synthesizer

SPEC = Path(__file__).resolve().parent / "large" / "openai" / "openai-openapi.yaml.gz"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def openai_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("openai")
    spec = folder / "openai-openapi.yaml"
    with gzip.open(SPEC, "rb") as source, spec.open("wb") as target:
        shutil.copyfileobj(source, target)
    output = folder / "openai_client"
    result = build_tree(Options(folder, (ClientConfig("openai_client", spec, output, spec.name),)))
    for rel, text in result.trees[output].items():
        (output / rel).parent.mkdir(parents=True, exist_ok=True)
        (output / rel).write_text(text, encoding="utf-8")
    return output


@pytest.mark.slow
def test_every_generated_conformance_test_passes(openai_package: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", str(openai_package / "tests"), "-q", "-p", "no:cacheprovider"],
        capture_output=True, text=True, cwd=openai_package.parent,
    )
    assert completed.returncode == 0, completed.stdout[-6000:] + completed.stderr[-2000:]
    assert " passed" in completed.stdout and "failed" not in completed.stdout and "skipped" not in completed.stdout


@pytest.mark.slow
def test_every_synthesized_body_validates_against_its_schema(openai_package: Path) -> None:
    """Checked here again, independently of the generated tests, with the validator lint uses."""
    import json

    cases = json.loads((openai_package / "tests" / "cases.json").read_text(encoding="utf-8"))
    synth = Synthesizer(cases["defs"])
    bodies = [(r["id"], r["body"]["schema"], r["body"]["value"]) for r in cases["requests"] if r["body"]["kind"] == "json"]
    assert len(bodies) > 100
    unfit = [name for name, schema, value in bodies if not synth.fits(schema, value)]
    assert unfit == []
    mismatched = [c["id"] for c in cases["examples"] if c["mismatch"]]
    assert "components/schemas/Response/example" in mismatched and len(mismatched) < len(cases["examples"]) // 10
