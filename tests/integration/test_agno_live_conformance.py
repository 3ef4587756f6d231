"""Live mode of the generated conformance tests against a real Agno AgentOS (see agno_server.py):
`pytest <package> --live-base-url URL` must name every difference between Agno's spec and its server.

Parametrized by the package checked: the client generated from Agno's own spec (ad hoc, into tmp) shows
the known differences (see test_agno_server.py). The bundled `generated/agno_client` is generated with
specs/agno/fixes.overlay.yaml, which describes what the server really sends: its report is clean.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from agno_server import SECURITY_KEY, running_agno_server

pytestmark = pytest.mark.slow  # see the README: `pytest -m "not slow"` leaves it out

ROOT = Path(__file__).resolve().parents[2]
ECHO, CRASHING = "echo-workflow", "crashing-workflow"
RUN = "POST /workflows/{workflow_id}/runs"


def _wrong_422(method: str) -> str:
    return (
        f"{method} (required arguments left out): {RUN} -> 422: body does not match the schema at /detail: "
        "[{'type': 'missing', 'loc': ['body', 'message'], 'msg': 'Field required', 'input': None}] is not of type 'string'"
    )



def _event(name: str) -> str:
    return f"workflows.runs.create_stream: {RUN} -> 200: stream event {name!r} is not documented (documented: RunStarted)"


# What the spec as Agno publishes it gets wrong, per workflow run.
VENDOR_DIFFERENCES = {
    ECHO: [
        _wrong_422("workflows.runs.create"),
        *map(_event, ["WorkflowStarted", "StepStarted", "StepOutput", "StepCompleted", "WorkflowCompleted"]),
        _wrong_422("workflows.runs.create_stream"),
    ],
    CRASHING: [_wrong_422("workflows.runs.create"), _event("WorkflowStarted"), _event("WorkflowError"), _wrong_422("workflows.runs.create_stream")],
}


@pytest.fixture(scope="module")
def agno_url() -> Iterator[str]:
    with pytest.MonkeyPatch.context() as env:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
            env.delenv(name, raising=False)
        with running_agno_server() as url:
            yield url


def _vendor_package(tmp: Path) -> Path:
    out = tmp / "agno_client"
    command = [sys.executable, "-m", "generator", "generate", str(ROOT / "specs/agno/openapi.yaml"), "--output", str(out), "--package", "agno_client"]
    subprocess.run(command, check=True, capture_output=True, cwd=tmp)
    return out


PACKAGES = {
    "vendor-spec": (_vendor_package, VENDOR_DIFFERENCES),
    "bundled": (lambda tmp: ROOT / "generated" / "agno_client", {ECHO: [], CRASHING: []}),
}


def _report(output: str) -> list[str]:
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if "live conformance report: agno_client" in line)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("=") or re.match(r"\d+ (passed|failed)", lines[i])), len(lines))
    report = lines[start + 1 : end]
    return [] if report == ["no differences from the spec"] else report


@pytest.mark.parametrize("workflow", [ECHO, CRASHING])
@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_live_mode_names_every_difference(agno_url: str, package: str, workflow: str, tmp_path: Path) -> None:
    make, expected = PACKAGES[package]
    command = [
        sys.executable, "-m", "pytest", str(make(tmp_path)), "-p", "no:cacheprovider", "-q", "-rA",
        "--live-base-url", agno_url, "--live-operations", "create_workflow_run", "--live-param", f"workflow_id={workflow}",
        # a state-changing operation runs only with every required value given, here scoped to it
        "--live-param", "create_workflow_run:message=hello",
    ]
    env = {**os.environ, "AGNO_API_KEY": SECURITY_KEY}
    completed = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert _report(completed.stdout) == expected[workflow], completed.stdout[-4000:]
    assert completed.returncode == (1 if expected[workflow] else 0)
    # The mock tests are not collected in live mode: only the live checks ran.
    assert "test_requests.py" not in completed.stdout and "test_live.py" in completed.stdout
