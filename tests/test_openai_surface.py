"""The client generated from OpenAI's spec (tests/large/openai) has the surface its official SDK has:
operations in a resource tree (`client.chat.completions.create`), every operation reachable through it,
resources loaded lazily, and the package plus a typing test file pass `mypy --strict`."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
from pathlib import Path

import golden_large
import pytest

from generator.coverage_report import main as coverage_main

pytestmark = pytest.mark.slow  # builds a large spec, runs mypy, starts servers or makes a venv

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def openai(tmp_path_factory) -> Path:
    return golden_large.write_package("openai", tmp_path_factory.mktemp("openai"))


def test_every_openai_operation_is_reachable_through_the_tree(tmp_path, capsys):
    spec = tmp_path / "openai-openapi.yaml"
    with gzip.open(ROOT / "tests/large/openai/openai-openapi.yaml.gz", "rb") as source, spec.open("wb") as target:
        shutil.copyfileobj(source, target)
    assert coverage_main([str(spec)]) == 0
    out = capsys.readouterr().out
    assert "operations: 288 of 288 generated" in out


def test_the_tree_reads_like_the_official_sdk(openai):
    script = (
        "import sys\n"
        "import openai_client\n"
        "client = openai_client.Client(base_url='http://127.0.0.1:1', api_key='k')\n"
        "assert not [m for m in sys.modules if m.startswith('openai_client._resources.')]\n"
        "for path in ('chat.completions.create', 'chat.completions.create_stream', 'chat.completions.messages.list',\n"
        "             'files.list', 'files.create', 'models.retrieve', 'fine_tuning.jobs.list', 'fine_tuning.jobs.cancel',\n"
        "             'embeddings.create', 'moderations.create', 'batches.retrieve', 'vector_stores.files.list',\n"
        "             'responses.create', 'responses.retrieve', 'beta.responses.create',\n"
        "             'threads.runs.create', 'threads.runs.create_thread_and_run'):\n"
        "    target = client\n"
        "    for attribute in path.split('.'):\n"
        "        target = getattr(target, attribute)\n"
        "    assert callable(target), path\n"
        "print(sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('openai_client._resources.')))\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env={"PYTHONPATH": str(openai.parent), "PATH": ""})
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == [
        "['batches',", "'beta',", "'chat',", "'embeddings',", "'files',", "'fine_tuning',", "'models',",
        "'moderations',", "'responses',", "'threads',", "'vector_stores']",
    ]


def test_openai_package_and_its_typing_test_pass_mypy_strict(openai, tmp_path):
    usage = tmp_path / "openai_usage.py"
    shutil.copy(ROOT / "tests/typing/openai_usage.py", usage)
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / ".mypy"), str(openai), str(usage)],
        capture_output=True, text=True, cwd=openai.parent,
    )
    assert completed.returncode == 0, completed.stdout[-5000:] + completed.stderr
