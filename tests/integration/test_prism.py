"""The bundled Pharen, Dify and Flowker clients against Stoplight Prism mocking their own specs.

Prism checks every request the generated clients send against the document (path and header
parameters, security, JSON body) and reports a mismatch in the `sl-violations` response header; each
test records every response through an httpx event hook and fails on that header. Forced statuses
(`Prefer: code=NNN`, sent with the method's `extra_headers=`) check that each documented error status
raises its exception class from `<pkg>.errors`, with the body parsed into the documented error model.

The harness (install on first use, one server per spec, shutdown) lives in prism.py beside this file.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

import dify_client
import dify_client.errors
import dify_client.models
import flowker_client
import flowker_client.errors
import flowker_client.models
import pharen_client
import pharen_client.errors
import pharen_client.models
from prism import PrismServers, prism_servers  # noqa: F401  (prism_servers is a fixture)
from resource_paths import method_of

pytestmark = pytest.mark.slow  # see the README: `pytest -m "not slow"` leaves it out

SPECS = Path(__file__).resolve().parents[2] / "specs"

WORKFLOW_UUID = "a1b2c3d4-e5f6-7890-abcd-ef1234567890"  # Flowker's example workflowId
TEAM_UUID = "0b7f4c1e-5d2a-4c3b-8e9f-1a2b3c4d5e6f"  # Pharen's team_id (added by its overlay)


class Recorder:
    """Collects every response of an httpx client (headers only: stream bodies stay unread)."""

    def __init__(self) -> None:
        self.responses: list[httpx.Response] = []

    def sync_hook(self, response: httpx.Response) -> None:
        self.responses.append(response)

    async def async_hook(self, response: httpx.Response) -> None:
        self.responses.append(response)

    def violations(self) -> list[tuple[str, Any]]:
        found = []
        for response in self.responses:
            header = response.headers.get("sl-violations")
            if header is not None:
                try:
                    found.append((f"{response.request.method} {response.request.url.path}", json.loads(header)))
                except ValueError:
                    found.append((f"{response.request.method} {response.request.url.path}", header))
        return found

    def assert_accepted(self) -> None:
        assert self.responses, "no request reached Prism"
        violations = self.violations()
        assert not violations, "Prism found the request off-spec:\n" + json.dumps(violations, indent=2)


@dataclass
class Api:
    package: ModuleType
    spec: Path
    api_key: str
    method: str
    error_statuses: dict[int, str]  # every documented error status -> exception class in <pkg>.errors
    success_model: str
    calls: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = field(default_factory=dict)  # name -> (args, kwargs)


APIS = {
    "pharen": Api(
        package=pharen_client,
        spec=SPECS / "pharen" / "openapi.yaml",
        api_key="phk_your_api_key",
        method="flow.workflows.execute",
        error_statuses={
            400: "BadRequestError",
            401: "AuthenticationError",
            403: "PermissionDeniedError",
            404: "NotFoundError",
        },
        success_model="WorkflowRun",
        calls={
            # The spec's requestBody example, and no body at all (the body is optional).
            "example": (
                ("5d1f6a1e-8a9b-4c7e-9f00-000000000001",),
                {"team_id": TEAM_UUID, "input": {"source": "api", "customer_id": "cus_123"}},
            ),
            "page-example": (
                ("5d1f6a1e-8a9b-4c7e-9f00-000000000001",),
                {"team_id": TEAM_UUID, "trigger_type": "api", "inputs": {"company": "Pharen"}},
            ),
            "no-body": (("5d1f6a1e-8a9b-4c7e-9f00-000000000001",), {"team_id": TEAM_UUID}),
        },
    ),
    "dify": Api(
        package=dify_client,
        spec=SPECS / "dify" / "openapi.yaml",
        api_key="app-test-key",
        method="workflows.run",
        error_statuses={400: "BadRequestError", 500: "InternalServerError"},
        success_model="WorkflowCompletionResponse",
        calls={
            # The spec's two requestBody examples (workflows.run is the blocking twin), and every
            # other kind of `inputs` value the oneOf allows.
            "basic": ((), {"inputs": {"query": "Summarize this text: ..."}, "user": "user_workflow_123"}),
            "file-array": (
                (),
                {
                    "inputs": {
                        "my_documents": [
                            {"type": "document", "transfer_method": "local_file", "upload_file_id": "uploaded_file_id_abc"},
                            {"type": "image", "transfer_method": "remote_url", "url": "https://example.com/image.jpg"},
                        ]
                    },
                    "user": "user_workflow_456",
                },
            ),
            "scalars": (
                (),
                {"inputs": {"target_language": "French", "max_words": 120, "formal": True, "meta": {"k": "v"}}, "user": "u-1"},
            ),
        },
    ),
    "flowker": Api(
        package=flowker_client,
        spec=SPECS / "flowker" / "openapi.yaml",
        api_key="flk-test-key",
        method="workflows.executions.create",
        error_statuses={
            400: "BadRequestError",
            404: "NotFoundError",
            413: "APIStatusError",
            422: "UnprocessableEntityError",
            500: "InternalServerError",
        },
        success_model="ExecutionCreateOutput",
        calls={
            # inputData values must be objects (see test_flowker_spec_example_violates_its_schema).
            "explicit-key": (
                (WORKFLOW_UUID,),
                {
                    "input_data": {"transaction": {"id": "txn-98765", "amount": 1500, "currency": "BRL"}},
                    "idempotency_key": "idem-98765",
                },
            ),
            # The required Idempotency-Key header is filled in by the client when not given.
            "generated-key": ((WORKFLOW_UUID,), {"input_data": {"customer": {"id": "cust-12345"}}}),
        },
    ),
}

FLAVOURS = pytest.mark.parametrize("flavour", ["sync", "async"])


def call(
    servers: PrismServers,
    api: Api,
    flavour: str,
    invoke: Callable[[Any], Any],
    vendor: bool = False,
) -> tuple[Any, Recorder]:
    """Run `invoke(client)` against the spec's Prism server (the overlaid spec, or with `vendor` the
    vendor's own); returns (result or raised APIError, recorder)."""
    server = servers.vendor(api.spec) if vendor else servers[api.spec]
    recorder = Recorder()
    options = {"api_key": api.api_key, "base_url": server.base_url}
    errors = api.package.errors
    if flavour == "sync":
        with httpx.Client(event_hooks={"response": [recorder.sync_hook]}, timeout=10) as http:
            client = api.package.Client(http_client=http, **options)
            try:
                return invoke(client), recorder
            except errors.APIError as exc:
                return exc, recorder

    async def run() -> Any:
        async with httpx.AsyncClient(event_hooks={"response": [recorder.async_hook]}, timeout=10) as http:
            client = api.package.AsyncClient(http_client=http, **options)
            try:
                return await invoke(client)
            except errors.APIError as exc:
                return exc

    return asyncio.run(run()), recorder


CALLS = [
    pytest.param(api_name, call_name, id=f"{api_name}-{call_name}")
    for api_name, api in APIS.items()
    for call_name in api.calls
]


@FLAVOURS
@pytest.mark.parametrize(("api_name", "call_name"), CALLS)
def test_generated_call_is_accepted(prism_servers, api_name, call_name, flavour):
    api = APIS[api_name]

    def invoke(client):
        args, kwargs = api.calls[call_name]
        return method_of(client, api.method)(*args, **kwargs)

    result, recorder = call(prism_servers, api, flavour, invoke)
    recorder.assert_accepted()
    assert not isinstance(result, Exception), f"{result!r}\nPrism log:\n{prism_servers[api.spec].log_tail()}"
    assert isinstance(result, getattr(api.package.models, api.success_model))
    assert [response.status_code for response in recorder.responses] in ([200], [201])
    if api_name == "dify":  # the blocking twin fixes the mode the spec requires in the body
        assert json.loads(recorder.responses[0].request.content)["response_mode"] == "blocking"


ERRORS = [
    pytest.param(api_name, status, id=f"{api_name}-{status}")
    for api_name, api in APIS.items()
    for status in api.error_statuses
]


@FLAVOURS
@pytest.mark.parametrize(("api_name", "status"), ERRORS)
def test_forced_error_status_raises_its_error(prism_servers, api_name, status, flavour):
    api = APIS[api_name]
    call_name = next(iter(api.calls))

    def invoke(client):
        args, kwargs = api.calls[call_name]
        return method_of(client, api.method)(*args, extra_headers={"Prefer": f"code={status}"}, max_retries=0, **kwargs)

    error, recorder = call(prism_servers, api, flavour, invoke)
    recorder.assert_accepted()
    assert [response.status_code for response in recorder.responses] == [status]
    expected = getattr(api.package.errors, api.error_statuses[status])
    assert type(error) is expected, f"{status}: expected {expected.__name__}, got {error!r}"
    assert error.status_code == status
    # Prism answers with the documented example, which validates against the documented error model.
    assert isinstance(error.body, api.package.models.ErrorResponse), error.body


def test_flowker_retry_keeps_the_idempotency_key(prism_servers):
    """POST is replayed only with an idempotency key; every attempt carries the same one."""
    api = APIS["flowker"]
    waits: list[float] = []

    def invoke(client):
        client._sleep = waits.append  # documented hook in _base: record the back-off instead of sleeping
        args, kwargs = api.calls["generated-key"]
        return client.workflows.executions.create(*args, extra_headers={"Prefer": "code=500"}, max_retries=2, **kwargs)

    error, recorder = call(prism_servers, api, "sync", invoke)
    recorder.assert_accepted()
    assert isinstance(error, flowker_client.errors.InternalServerError)
    assert [response.status_code for response in recorder.responses] == [500, 500, 500]
    keys = {response.request.headers["Idempotency-Key"] for response in recorder.responses}
    assert len(keys) == 1 and len(waits) == 2


@FLAVOURS
@pytest.mark.parametrize("api_name", list(APIS))
def test_with_raw_response_shows_no_violations(prism_servers, api_name, flavour):
    """The same verdict read the way a user would: `with_raw_response` gives status and headers."""
    api = APIS[api_name]
    args, kwargs = next(iter(api.calls.values()))

    def invoke(client):
        return client.with_raw_response(method_of(client, api.method), *args, **kwargs)

    raw, recorder = call(prism_servers, api, flavour, invoke)
    assert not isinstance(raw, Exception), repr(raw)
    recorder.assert_accepted()
    assert raw.status_code == recorder.responses[0].status_code in (200, 201)
    assert "sl-violations" not in raw.headers
    assert raw.headers["content-type"].startswith("application/json")
    assert isinstance(raw.parsed, getattr(api.package.models, api.success_model))


@FLAVOURS
def test_dify_stream_request_is_accepted(prism_servers, flavour):
    """The streaming twin sends a valid request (`response_mode: streaming`, `Accept:
    text/event-stream`). Prism cannot mock an event stream of objects (the overlay types Dify's events
    as ChunkWorkflowEvent): it answers 500 "Cannot serialise complex objects as text", after finding
    the request valid. The client turns that into the typed InternalServerError."""
    api = APIS["dify"]
    inputs, user = {"query": "Summarize this text: ..."}, "user_workflow_123"

    def invoke(client):
        with client.workflows.run_stream(inputs=inputs, user=user) as stream:
            return list(stream)

    async def invoke_async(client):
        async with await client.workflows.run_stream(inputs=inputs, user=user) as stream:
            return [event async for event in stream]

    error, recorder = call(prism_servers, api, flavour, invoke if flavour == "sync" else invoke_async)
    assert isinstance(error, dify_client.InternalServerError), repr(error)
    assert "Cannot serialise complex objects as text" in str(error)
    recorder.assert_accepted()
    (response,) = recorder.responses
    assert response.status_code == 500
    assert response.request.headers["accept"] == "text/event-stream"
    assert json.loads(response.request.content)["response_mode"] == "streaming"


def test_violations_are_reported(prism_servers):
    """The harness sees Prism's verdicts: a non-UUID workflow id breaks Pharen's `format: uuid`."""
    api = APIS["pharen"]
    error, recorder = call(prism_servers, api, "sync", lambda client: client.flow.workflows.execute("not-a-uuid", team_id=TEAM_UUID))
    assert isinstance(error, pharen_client.errors.APIStatusError)
    ((_where, violations),) = recorder.violations()
    assert any(v["location"] == ["request", "path", "workflow_uuid"] for v in violations), violations


def test_flowker_spec_example_violates_its_schema_until_the_overlay_fixes_it(prism_servers):
    """Known vendor inconsistency: Flowker's own `inputData` example has scalar values, but its schema
    says `additionalProperties: {type: object}`, so Prism on the vendor's document rejects the example.
    specs/flowker/fixes.overlay.yaml allows any JSON value; Prism on the overlaid document accepts it."""
    api = APIS["flowker"]
    example = {
        "transactionId": "txn-98765",
        "amount": 1500,
        "currency": "BRL",
        "customerId": "cust-12345",
        "message": "Payment received",
    }

    def invoke(client):
        return client.workflows.executions.create(WORKFLOW_UUID, input_data=example)

    error, recorder = call(prism_servers, api, "sync", invoke, vendor=True)
    assert isinstance(error, flowker_client.errors.APIStatusError)
    ((_where, violations),) = recorder.violations()
    assert {tuple(v["location"]) for v in violations} == {
        ("request", "body", "inputData", name) for name in example
    }, violations

    result, recorder = call(prism_servers, api, "sync", invoke)
    recorder.assert_accepted()
    assert isinstance(result, flowker_client.ExecutionCreateOutput)
