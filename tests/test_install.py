"""`pip install clientgen` without extras, in a fresh virtual environment, is enough to generate a client
from a spec with examples (lint validates examples with jsonschema, so it is a core dependency)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_wheel_without_extras_generates_a_spec_with_examples(tmp_path: Path) -> None:
    # Built offline without isolation, as test_generated_code's wheel test; installed with its real
    # dependencies resolved by pip (from the configured indexes), nothing from this interpreter.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path / "dist"), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("clientgen-*.whl"))
    subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "venv")], check=True, capture_output=True)
    python = tmp_path / "venv" / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
    installed = subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True, env=env)
    assert installed.returncode == 0, installed.stderr[-3000:]
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format=freeze"], capture_output=True, text=True, env=env).stdout
    assert "pytest==" not in listed and "hypothesis==" not in listed  # no dev extra crept in
    spec = tmp_path / "api" / "openapi.yaml"
    spec.parent.mkdir()
    shutil.copy(ROOT / "specs" / "flowker" / "openapi.yaml", spec)  # examples on schemas, bodies and answers
    assert "example" in spec.read_text()
    generated = subprocess.run([str(tmp_path / "venv" / "bin" / "clientgen"), "generate", str(spec), "--output", str(tmp_path / "out" / "acme_client"),
                                "--package", "acme_client"], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert generated.returncode == 0, generated.stderr[-3000:]
    assert "Traceback" not in generated.stderr and "example-mismatch" in generated.stderr  # lint validated the examples
    assert (tmp_path / "out" / "acme_client" / "client.py").is_file()
