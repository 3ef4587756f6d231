"""The client generated from a real Prefect server's own spec, against that server (prefect_server.py).

The spec is what Prefect 3.9.1 serves at `/api/openapi.json` (tests/integration/prefect/, see its
PROVENANCE.md), with fixes.overlay.yaml for what the server really sends where its spec says otherwise.
A session of creates, reads, filters, updates, a CSV download and errors goes through the generated
client, every returned value checked against its method's return annotation at run time; then the
package's own live conformance run must report nothing and leave the server's data as it was.
"""

from __future__ import annotations

import asyncio
import csv
import importlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pydantic
import pytest
from prefect_server import running_prefect_server

pytestmark = (
    pytest.mark.slow
)  # installs and starts a Prefect server, generates a 150-operation client

HERE = Path(__file__).resolve().parent
SPEC, OVERLAY = HERE / "prefect" / "openapi.json", HERE / "prefect" / "fixes.overlay.yaml"
PACKAGE = "prefect_client"
MISSING = "00000000-0000-4000-8000-000000000000"  # a well-formed id no object has


@pytest.fixture(scope="module")
def origin() -> Iterator[str]:
    with pytest.MonkeyPatch.context() as env:
        for name in (
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ):
            env.delenv(name, raising=False)
        with running_prefect_server() as url:
            yield url


def _generate(root: Path, *overlays: Path) -> Path:
    """The client generated from the committed spec (and the overlays) into `root`."""
    command = [
        sys.executable,
        "-m",
        "generator",
        "generate",
        str(SPEC),
        "--output",
        str(root / PACKAGE),
    ]
    command += [
        "--package",
        PACKAGE,
        *(arg for overlay in overlays for arg in ("--overlay", str(overlay))),
    ]
    done = subprocess.run(command, capture_output=True, text=True, cwd=root)
    assert done.returncode == 0, done.stderr[-4000:]
    return root / PACKAGE


@pytest.fixture(scope="module")
def package_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The client generated with fixes.overlay.yaml: what the server really sends."""
    return _generate(tmp_path_factory.mktemp("prefect"), OVERLAY)


@pytest.fixture(scope="module")
def prefect(package_dir: Path) -> Iterator[ModuleType]:
    sys.path.insert(0, str(package_dir.parent))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(package_dir.parent))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def checked(prefect: ModuleType, method: Any, value: Any) -> Any:
    """`value`, after checking it against `method`'s return annotation (only that one is evaluated: the
    arguments' request types are written for type checkers, not for evaluation at run time)."""
    names: dict[str, Any] = {}
    for module_name in (f"{PACKAGE}.models", f"{PACKAGE}.params", PACKAGE):
        module = importlib.import_module(module_name)
        names |= {attr: getattr(module, attr) for attr in dir(module) if not attr.startswith("_")}
    hint = eval(method.__annotations__["return"], {**method.__globals__, **names})
    if hint is Any:  # the spec's empty schema (e.g. `logs.create`): nothing to check
        return value
    if isinstance(hint, type) and not issubclass(hint, pydantic.BaseModel):
        assert isinstance(value, hint), (method.__qualname__, hint, value)  # e.g. BinaryContent
    else:
        pydantic.TypeAdapter(hint).validate_python(
            value, strict=True
        )  # a model instance, not a dict
    return value


def call(prefect: ModuleType, method: Any, *args: Any, **kwargs: Any) -> Any:
    result = method(*args, **kwargs)
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    return checked(prefect, method, result)


def _log(flow_run_id: Any, message: str) -> dict[str, Any]:
    return {
        "name": "clientgen",
        "level": 20,
        "message": message,
        "timestamp": "2026-01-02T03:04:05+00:00",
        "flow_run_id": str(flow_run_id),
    }


def test_a_session_of_creates_reads_filters_updates_and_a_download(
    prefect: ModuleType, origin: str
) -> None:
    client = prefect.Client(base_url=origin)  # the spec's server URL `/api` is joined to the origin
    raw = client.with_raw_response(client.flows.create, name="etl", tags=["nightly"])
    flow = checked(prefect, client.flows.create, raw.parsed)
    assert raw.status_code == 201 and isinstance(flow, prefect.Flow)  # the spec documents only 200
    assert (flow.name, flow.tags) == ("etl", ["nightly"])
    assert call(prefect, client.flows.retrieve, flow.id).id == flow.id
    call(prefect, client.flows.create, name="other")
    found = call(prefect, client.flows.filter, flows={"name": {"any_": ["etl"]}})
    assert [f.id for f in found] == [flow.id]
    assert call(prefect, client.flows.count) == len(call(prefect, client.flows.filter)) >= 2
    assert call(prefect, client.flows.update, flow.id, tags=["nightly", "v2"]) is None
    assert call(prefect, client.flows.retrieve, flow.id).tags == ["nightly", "v2"]

    run = call(
        prefect, client.flow_runs.create, flow_id=flow.id, name="run-1", parameters={"day": 2}
    )
    assert (run.flow_id, run.name, run.parameters) == (flow.id, "run-1", {"day": 2})
    runs = call(prefect, client.flow_runs.filter, flows={"id": {"any_": [str(flow.id)]}})
    assert [r.id for r in runs] == [run.id]
    call(
        prefect,
        client.logs.create,
        body=[_log(run.id, "hello, csv"), _log(run.id, 'a "quoted" line')],
    )
    download = call(prefect, client.flow_runs.logs.download, run.id)
    assert (
        isinstance(download, prefect.BinaryContent)
        and download.content_type == "text/csv; charset=utf-8"
    )
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert [(r["flow_run_id"], r["message"]) for r in rows] == [
        (str(run.id), "hello, csv"),
        (str(run.id), 'a "quoted" line'),
    ]


def test_the_async_client_reads_the_same_objects(prefect: ModuleType, origin: str) -> None:
    async def session() -> None:
        async with prefect.AsyncClient(base_url=origin) as client:
            flow = checked(
                prefect, client.flows.create, await client.flows.create(name="async-flow")
            )
            again = checked(prefect, client.flows.retrieve, await client.flows.retrieve(flow.id))
            assert (again.id, again.name) == (flow.id, "async-flow")

    asyncio.run(session())


def test_a_missing_object_raises_not_found_with_the_servers_message(
    prefect: ModuleType, origin: str
) -> None:
    client = prefect.Client(base_url=origin)
    with pytest.raises(prefect.NotFoundError) as info:
        client.flows.retrieve(MISSING)
    assert (info.value.status_code, info.value.message) == (404, "Flow not found")
    assert info.value.body == prefect.ErrorDetail(
        detail="Flow not found"
    )  # the overlay's error model
    with pytest.raises(prefect.NotFoundError) as info:  # Prefect's other error shape, same model
        client.flow_runs.graph(MISSING)
    assert info.value.body.exception_message == f"Flow run with id {MISSING} not found"


def test_an_invalid_request_raises_a_422_with_the_body_the_server_sent(
    prefect: ModuleType, origin: str
) -> None:
    client = prefect.Client(base_url=origin)
    with pytest.raises(prefect.UnprocessableEntityError) as info:
        client.flow_runs.create(flow_id="not-a-uuid")
    # Prefect's 422 body is not the documented HTTPValidationError (no `detail`): kept as decoded JSON.
    assert isinstance(info.value.body, dict), info.value.body
    assert info.value.body["exception_message"] == "Invalid request received."
    assert [p["loc"] for p in info.value.body["exception_detail"]] == [["body", "flow_id"]]


def _snapshot(client: Any) -> dict[str, Any]:
    """Everything the live run could touch, read through plain filters."""
    return {
        "flows": [f.model_dump() for f in client.flows.filter()],
        # `estimated_start_time_delta` is "now minus the expected start", computed on every read
        "flow_runs": [
            r.model_dump(exclude={"estimated_start_time_delta"}) for r in client.flow_runs.filter()
        ],
        "logs": [entry.model_dump() for entry in client.logs.filter()],
        "variables": [v.model_dump() for v in client.variables.filter()],
    }


def _report(output: str) -> list[str]:
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if f"live conformance report: {PACKAGE}" in line)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("=")), len(lines))
    return lines[start + 1 : end]


def _live_run(package_dir: Path, origin: str, *options: str) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "pytest",
        str(package_dir),
        "-p",
        "no:cacheprovider",
        "-q",
        "-rA",
    ]
    return subprocess.run(
        [*command, "--live-base-url", origin, *options],
        capture_output=True,
        text=True,
        cwd=package_dir.parent,
        timeout=600,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def _reads_by_id() -> set[str]:
    """`GET` paths of the spec with a path parameter: every one answers 404 for an unknown object."""
    paths = json.loads(SPEC.read_text(encoding="utf-8"))["paths"]
    return {
        path
        for path, item in paths.items()
        if any(p["in"] == "path" for p in item.get("get", {}).get("parameters", []))
    }


# A client generated from the spec as Prefect serves it, run as a separate program (it has the same
# package name as the fixed one imported by the tests above).
VENDOR_SESSION = """
import json, sys, prefect_client
client = prefect_client.Client(base_url=sys.argv[1])
flow = client.flows.create(name="vendor-flow")  # answered 201, documented 200
run = client.flow_runs.create(flow_id=flow.id)
client.logs.create(body=[{"name": "n", "level": 20, "message": "csv, really",
                          "timestamp": "2026-01-02T03:04:05+00:00", "flow_run_id": str(run.id)}])
download = client.flow_runs.logs.download(run.id)
print(json.dumps([type(flow).__name__, type(download).__name__, download, str(run.id)]))
"""


def test_the_vendor_spec_works_and_live_mode_names_each_fix_of_the_overlay(
    tmp_path: Path, origin: str
) -> None:
    vendor = _generate(tmp_path)
    session = subprocess.run(
        [sys.executable, "-c", VENDOR_SESSION, origin], capture_output=True, text=True, cwd=tmp_path
    )
    assert session.returncode == 0, session.stderr[-4000:]
    model, download_type, csv_text, run_id = json.loads(session.stdout)
    # documented as JSON with an empty schema, the CSV comes back as the text it is
    assert (model, download_type) == ("Flow", "str")
    assert csv_text.startswith("timestamp,level,flow_run_id,task_run_id,message\r\n"), csv_text
    assert '"csv, really"' in csv_text
    done = _live_run(
        vendor,
        origin,
        "--live-operations=flow_runs.logs.download",
        f"--live-param=flow_runs.logs.download:id={run_id}",
    )
    report = _report(done.stdout)
    not_found = [
        line
        for line in report
        if line.endswith("-> 404: status 404 is not documented (documented: 200, 422)")
    ]
    # (the download was given a real id, so it is the one read that did not answer 404)
    expected_404 = _reads_by_id() - {"/flow_runs/{id}/logs/download"}
    assert {line.split(" ")[2] for line in not_found} == expected_404, done.stdout[-6000:]
    assert sorted(set(report) - set(not_found)) == [
        "csrf_token.retrieve: GET /csrf-token -> 422: body does not match the schema at /detail: "
        "'CSRF protection is disabled.' is not of type 'array'",
        "events.filter.next: GET /events/filter/next -> 403: status 403 is not documented (documented: 200, 422)",
        "flow_runs.logs.download: GET /flow_runs/{id}/logs/download -> 200: "
        "content type text/csv is not documented (documented: application/json)",
    ], done.stdout[-6000:]
    assert done.returncode == 1


def test_live_conformance_reports_nothing_and_changes_nothing(
    prefect: ModuleType, origin: str, package_dir: Path
) -> None:
    client = prefect.Client(base_url=origin)
    flow = client.flows.create(name="live-flow", tags=["keep"])
    run = client.flow_runs.create(flow_id=flow.id, name="live-run")
    client.logs.create(body=[_log(run.id, "live log line")])
    before = _snapshot(client)
    done = _live_run(
        package_dir,
        origin,
        # read-only POSTs (filters, counts) and reads of real objects, by name with their ids
        "--live-operations=flows.filter,flows.count,flow_runs.filter,logs.filter,flow_runs.logs.download",
        f"--live-param=flows.retrieve:id={flow.id}",
        f"--live-param=flow_runs.retrieve:id={run.id}",
        f"--live-param=flow_runs.logs.download:id={run.id}",
        # named but lacking its required `name`: must be skipped, never sent with a made-up one
        "--live-operations=flows.create",
    )
    report = _report(done.stdout)
    # Nothing but the skipped create (with and without its required arguments): no difference from the spec.
    reason = "skipped: changes state; give flows.create:name with --live-param to run it"
    expected = [f"flows.create: {reason}", f"flows.create (required arguments left out): {reason}"]
    assert report == expected, done.stdout[-6000:]
    assert done.returncode == 0, done.stdout[-4000:]
    assert "test_live.py" in done.stdout and "passed" in done.stdout
    assert _snapshot(client) == before
