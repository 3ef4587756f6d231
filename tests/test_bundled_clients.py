"""Every operation of the four bundled clients, sync and async, through httpx.MockTransport.

Each test asserts what goes on the wire (method, URL, query, headers with auth, body bytes) and what the
caller gets back (the parsed model, or the typed error with the documented error body).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import uuid
from pathlib import Path

import httpx
import pytest

import agno_client
import dify_client
import flowker_client
import pharen_client
from resource_paths import method_of

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
WORKFLOW = uuid.UUID("7c3e33d4-2a8b-4e5f-9b1a-d3c6e8f12345")
TEAM = uuid.UUID("0b7f4c1e-5d2a-4c3b-8e9f-1a2b3c4d5e6f")


class Server:
    """A MockTransport that records every request and answers with the queued responses in turn."""

    def __init__(self, *responses: httpx.Response) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.responses.pop(0)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def json_response(status: int, body: object) -> httpx.Response:
    return httpx.Response(status, json=body)


def call(package, flavour: str, method: str, *args, server: Server, client_kwargs=None, **kwargs):
    return _call(package, flavour, method, args, kwargs, server, client_kwargs, raw=False)


def call_raw(package, flavour: str, method: str, *args, server: Server, client_kwargs=None, **kwargs):
    """Like `call`, through `client.with_raw_response`."""
    return _call(package, flavour, method, args, kwargs, server, client_kwargs, raw=True)


def stream_events(package, flavour: str, method: str, *args, server: Server, client_kwargs=None, **kwargs) -> list:
    """Every event of a streaming method, read inside its `with` block."""
    client_kwargs = client_kwargs or {}
    if flavour == "sync":
        with package.Client(http_client=httpx.Client(transport=httpx.MockTransport(server)), **client_kwargs) as client:
            with method_of(client, method)(*args, **kwargs) as events:
                return list(events)

    async def run():
        async with package.AsyncClient(http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)), **client_kwargs) as client:
            async with await method_of(client, method)(*args, **kwargs) as events:
                return [event async for event in events]

    return asyncio.run(run())


def sse_response(body: bytes) -> httpx.Response:
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)


def _call(package, flavour, method, args, kwargs, server, client_kwargs, *, raw: bool):
    """Call `method` on the package's sync or async client wired to `server`."""
    client_kwargs = client_kwargs or {}
    if flavour == "sync":
        with package.Client(http_client=httpx.Client(transport=httpx.MockTransport(server)), **client_kwargs) as client:
            bound = method_of(client, method)
            return client.with_raw_response(bound, *args, **kwargs) if raw else bound(*args, **kwargs)

    async def run():
        async with package.AsyncClient(http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)), **client_kwargs) as client:
            bound = method_of(client, method)
            return await (client.with_raw_response(bound, *args, **kwargs) if raw else bound(*args, **kwargs))

    return asyncio.run(run())


FLAVOURS = pytest.mark.parametrize("flavour", ["sync", "async"])


# --- Pharen Hub ----------------------------------------------------------------------------------------
@FLAVOURS
def test_pharen_run_workflow(flavour):
    run_id = uuid.uuid4()
    server = Server(json_response(200, {"id": str(run_id), "workflow_id": str(WORKFLOW), "status": "running", "started_at": "2026-03-17T14:35:00Z"}))
    result = call(pharen_client, flavour, "flow.workflows.execute", WORKFLOW, team_id=TEAM, input={"source": "api", "customer_id": "cus_123"}, server=server, client_kwargs={"api_key": "phk_test"})
    request = server.last
    assert request.method == "POST"
    assert str(request.url) == f"https://pharen.app/api/flow/workflows/{WORKFLOW}/execute/?team_id={TEAM}&stream=false"
    assert request.headers["authorization"] == "Bearer phk_test"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept"] == "application/json"
    assert request.content == b'{"input":{"source":"api","customer_id":"cus_123"}}'
    assert isinstance(result, pharen_client.WorkflowRun)
    assert result.id == run_id and result.workflow_id == WORKFLOW and result.status == "running"
    assert result.started_at == dt.datetime(2026, 3, 17, 14, 35, tzinfo=dt.timezone.utc)


@FLAVOURS
def test_pharen_stream_from_the_overlay_sends_stream_true(flavour):
    server = Server(sse_response(b'event: node\ndata: {"node": "start", "status": "done"}\n\n'))
    events = stream_events(pharen_client, flavour, "flow.workflows.execute_stream", WORKFLOW, team_id=str(TEAM), input={"a": 1}, server=server, client_kwargs={"api_key": "phk"})
    assert server.last.url.params["stream"] == "true" and server.last.headers["accept"] == "text/event-stream"
    assert server.last.url.params["team_id"] == str(TEAM)
    assert [(e.event, e.data) for e in events] == [("node", {"node": "start", "status": "done"})]


@FLAVOURS
def test_pharen_sends_no_body_field_the_caller_left_out(flavour):
    server = Server(json_response(200, {}))
    call(pharen_client, flavour, "flow.workflows.execute", str(WORKFLOW), team_id=TEAM, server=server, client_kwargs={"api_key": "k", "base_url": "http://localhost:8000/"})
    assert str(server.last.url) == f"http://localhost:8000/api/flow/workflows/{WORKFLOW}/execute/?team_id={TEAM}&stream=false"
    assert server.last.content == b"{}"


@FLAVOURS
@pytest.mark.parametrize(("status", "error"), [(400, "BadRequestError"), (401, "AuthenticationError"), (403, "PermissionDeniedError"), (404, "NotFoundError")])
def test_pharen_documented_errors_carry_the_error_model(flavour, status, error):
    body = {"error": {"code": "forbidden", "message": "This API key does not have the required scope."}}
    server = Server(json_response(status, body))
    with pytest.raises(getattr(pharen_client, error)) as caught:
        call(pharen_client, flavour, "flow.workflows.execute", WORKFLOW, team_id=TEAM, server=server, client_kwargs={"api_key": "phk_secret"})
    assert caught.value.status_code == status
    assert isinstance(caught.value.body, pharen_client.ErrorResponse)
    assert caught.value.body.error is not None and caught.value.body.error.code == "forbidden"
    assert "This API key does not have the required scope." in str(caught.value)
    assert "phk_secret" not in str(caught.value) and "phk_secret" not in repr(caught.value)


def test_pharen_api_key_from_environment(monkeypatch):
    monkeypatch.setenv("PHAREN_API_KEY", "from-env")
    server = Server(json_response(200, {}))
    call(pharen_client, "sync", "flow.workflows.execute", WORKFLOW, team_id=TEAM, server=server)
    assert server.last.headers["authorization"] == "Bearer from-env"


# --- Dify ----------------------------------------------------------------------------------------------
def dify_blocking_example() -> dict:
    """The complete blocking response shown on Dify's rendered reference page (seed 001)."""
    page = (SEEDS / "001_3bcd3f8d711e946d.txt").read_text()
    return json.loads(re.search(r"^\{\n.*?^\}", page, re.S | re.M).group(0))


@FLAVOURS
def test_dify_execute_workflow_blocking(flavour):
    server = Server(json_response(200, dify_blocking_example()))
    result = call(
        dify_client, flavour, "workflows.run",
        inputs={"query": "Summarize this text: ...", "docs": [dify_client.InputFileObjectWorkflow(type="image", transfer_method="remote_url", url="https://example.com/image.jpg")]},
        user="user_workflow_123", server=server, client_kwargs={"api_key": "app-key"},
    )
    request = server.last
    assert request.method == "POST" and str(request.url) == "https://api.dify.ai/v1/workflows/run"
    assert request.headers["authorization"] == "Bearer app-key"
    assert request.content == (
        b'{"inputs":{"query":"Summarize this text: ...","docs":[{"transfer_method":"remote_url","type":"image",'
        b'"url":"https://example.com/image.jpg"}]},"response_mode":"blocking","user":"user_workflow_123"}'
    )
    assert isinstance(result, dify_client.WorkflowCompletionResponse)
    assert result.task_id == uuid.UUID("c3800678-a077-43df-a102-53f23ed20b88")
    assert result.data is not None and result.data.status == "succeeded" and result.data.outputs == {"result": "Bonjour le monde"}
    assert result.data.error is None and result.data.elapsed_time == 1.23 and result.data.total_steps == 3


@FLAVOURS
def test_dify_server_error_with_undocumented_body_is_kept_as_text(flavour):
    server = Server(httpx.Response(500, text="upstream exploded"), httpx.Response(500, text="upstream exploded"), httpx.Response(500, text="upstream exploded"))
    with pytest.raises(dify_client.InternalServerError) as caught:
        call(dify_client, flavour, "workflows.run", inputs={}, user="u", server=server, client_kwargs={"api_key": "k", "max_retries": 0})
    assert caught.value.body == "upstream exploded" and len(server.requests) == 1


@FLAVOURS
def test_dify_stream_asks_for_events_and_yields_them_typed(flavour):
    task = "c3800678-a077-43df-a102-53f23ed20b88"
    body = (
        b'data: {"event": "workflow_started", "task_id": "%s"}\n\n'
        b"event: ping\n\n"
        b'data: {"event": "workflow_finished", "task_id": "%s"}\n\n'
        b"data: [DONE]\n\n"
    ) % (task.encode(), task.encode())
    server = Server(sse_response(body))
    events = stream_events(dify_client, flavour, "workflows.run_stream", inputs={"q": "x"}, user="u", server=server, client_kwargs={"api_key": "k"})
    request = server.last
    assert request.headers["accept"] == "text/event-stream" and request.headers["authorization"] == "Bearer k"
    assert request.content == b'{"inputs":{"q":"x"},"response_mode":"streaming","user":"u"}'
    # The spec maps every kind to a model: events are those models; the bare ping is a signal, skipped.
    assert [type(e).__name__ for e in events] == ["StreamEventWorkflowStarted", "StreamEventWorkflowFinished"]
    assert str(events[0].task_id) == task


@FLAVOURS
def test_dify_blocking_call_asks_for_json(flavour):
    server = Server(json_response(200, dify_blocking_example()))
    call(dify_client, flavour, "workflows.run", inputs={}, user="u", server=server, client_kwargs={"api_key": "k"})
    assert server.last.headers["accept"] == "application/json"
    assert json.loads(server.last.content)["response_mode"] == "blocking"


@FLAVOURS
def test_dify_stream_error_status_raises_the_typed_error(flavour):
    server = Server(json_response(400, {"code": "invalid_param", "message": "bad inputs", "status": 400}))
    with pytest.raises(dify_client.BadRequestError) as caught:
        stream_events(dify_client, flavour, "workflows.run_stream", inputs={}, user="u", server=server, client_kwargs={"api_key": "k"})
    assert isinstance(caught.value.body, dify_client.ErrorResponse) and caught.value.body.code == "invalid_param"


# --- Agno ----------------------------------------------------------------------------------------------
# Agno's spec requires its bearer token on every workflow call: without one nothing would be sent.
AGNO = {"base_url": "http://127.0.0.1:7777", "api_key": "k"}


@FLAVOURS
def test_agno_without_its_credential_sends_nothing(flavour):
    server = Server(sse_response(b""))
    with pytest.raises(agno_client.MissingCredentialsError, match="api_key=... \\(or AGNO_API_KEY\\)"):
        stream_events(agno_client, flavour, "workflows.runs.create_stream", "wf", message="hi", server=server, client_kwargs={"base_url": "http://127.0.0.1:7777"})
    assert server.requests == []


@FLAVOURS
def test_agno_stream_sends_stream_true_and_yields_the_overlay_typed_events(flavour):
    body = (
        b'event: WorkflowStarted\ndata: {"event": "WorkflowStarted", "run_id": "r1"}\n\n'
        b'event: WorkflowCompleted\ndata: {"event": "WorkflowCompleted", "run_id": "r1", "content": "done"}\n\n'
        b'event: RunPaused\ndata: {"event": "RunPaused"}\n\n'
    )
    server = Server(sse_response(body))
    events = stream_events(agno_client, flavour, "workflows.runs.create_stream", "wf", message="hi", server=server, client_kwargs=AGNO)
    assert server.last.content == b"message=hi&stream=true" and server.last.headers["accept"] == "text/event-stream"
    started, completed = events  # RunPaused, a kind the spec does not list, is skipped (and logged)
    assert isinstance(started, agno_client.WorkflowStartedEvent) and started.run_id == "r1"
    assert isinstance(completed, agno_client.WorkflowCompletedEvent) and completed.content == "done"


@FLAVOURS
def test_agno_stream_cut_mid_event_raises(flavour):
    server = Server(sse_response(b'event: WorkflowStarted\ndata: {"event": "WorkflowStarted"}\n\ndata: {"event": "StepSta'))
    with pytest.raises(agno_client.APIStreamError, match="middle of an event"):
        stream_events(agno_client, flavour, "workflows.runs.create_stream", "wf", message="hi", server=server, client_kwargs=AGNO)


@FLAVOURS
def test_agno_create_workflow_run_sends_a_form_without_absent_fields(flavour):
    server = Server(json_response(200, {"run_id": "r1", "status": "COMPLETED", "content": "done"}))
    result = call(agno_client, flavour, "workflows.runs.create", "wf 1/β", message="hello & bye", server=server, client_kwargs={"api_key": "agno-key", "base_url": "http://127.0.0.1:7777"})
    request = server.last
    assert request.method == "POST" and request.url.raw_path == b"/workflows/wf%201%2F%CE%B2/runs"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.content == b"message=hello+%26+bye&stream=false"
    assert request.headers["authorization"] == "Bearer agno-key"
    assert result == agno_client.WorkflowRunOutput(run_id="r1", status="COMPLETED", content="done")


@FLAVOURS
def test_agno_sends_explicit_null_free_optional_values(flavour):
    server = Server(json_response(200, {"run_id": "r1", "status": "COMPLETED"}))
    call(agno_client, flavour, "workflows.runs.create", "wf", message="m", session_id="s1", user_id="u1", version=3, server=server, client_kwargs=AGNO)
    assert server.last.content == b"message=m&session_id=s1&stream=false&user_id=u1&version=3"
    assert server.last.headers["authorization"] == "Bearer k"


def test_agno_needs_a_base_url(monkeypatch):
    monkeypatch.delenv("AGNO_BASE_URL", raising=False)
    with pytest.raises(ValueError, match="AGNO_BASE_URL"):
        agno_client.Client()


@FLAVOURS
def test_agno_422_body_as_fastapi_sends_it_fits_the_overlaid_model(flavour):
    body = {"detail": [{"loc": ["body", "message"], "msg": "Field required", "type": "missing"}]}
    server = Server(json_response(422, body))
    with pytest.raises(agno_client.UnprocessableEntityError) as caught:
        call(agno_client, flavour, "workflows.runs.create", "wf", message="", server=server, client_kwargs=AGNO)
    # The vendor documents `detail: string`; specs/agno/fixes.overlay.yaml adds FastAPI's list of problems.
    assert isinstance(caught.value.body, agno_client.ValidationErrorResponse)
    assert caught.value.body.detail == [agno_client.ValidationProblem(loc=["body", "message"], msg="Field required", type="missing")]
    assert "Field required" in str(caught.value)


# --- Flowker -------------------------------------------------------------------------------------------
@FLAVOURS
@pytest.mark.parametrize("status", [200, 201])
def test_flowker_execute_workflow(flavour, status):
    execution = uuid.uuid4()
    server = Server(json_response(status, {"executionId": str(execution), "startedAt": "2026-03-17T14:35:00Z", "status": "pending", "workflowId": str(WORKFLOW)}))
    result = call(flowker_client, flavour, "workflows.executions.create", WORKFLOW, input_data={"payment": {"amount": 1500, "currency": "BRL"}}, idempotency_key="key-1", server=server, client_kwargs={"api_key": "flk"})
    request = server.last
    assert request.method == "POST" and str(request.url) == f"https://flowker.sandbox.lerian.net/v1/workflows/{WORKFLOW}/executions"
    assert request.headers["x-api-key"] == "flk" and "authorization" not in request.headers
    assert request.headers["idempotency-key"] == "key-1"
    assert request.content == b'{"inputData":{"payment":{"amount":1500,"currency":"BRL"}}}'
    assert isinstance(result, flowker_client.ExecutionCreateOutput)
    assert result.execution_id == execution and result.workflow_id == WORKFLOW and result.status == "pending"
    assert result.model_dump(by_alias=True, mode="json")["executionId"] == str(execution)


@FLAVOURS
@pytest.mark.parametrize(("status", "meaning"), [(200, "already processed"), (201, "created")])
def test_flowker_raw_response_tells_a_replay_from_a_new_execution(flavour, status, meaning):
    server = Server(json_response(status, {"status": "pending"}))
    raw = call_raw(flowker_client, flavour, "workflows.executions.create", WORKFLOW, input_data={}, idempotency_key="k1", server=server, client_kwargs={"api_key": "flk"})
    assert raw.status_code == status and raw.headers["content-type"] == "application/json"
    assert isinstance(raw.parsed, flowker_client.ExecutionCreateOutput) and raw.parsed.status == "pending"
    doc = flowker_client.Client(api_key="flk").workflows.executions.create.__doc__
    assert f"{status}: " in doc  # the docstring says what each status means
    assert meaning in doc.split(f"{status}: ", 1)[1].split("\n", 1)[0].lower()


@FLAVOURS
def test_flowker_makes_up_an_idempotency_key_when_the_caller_has_none(flavour):
    server = Server(json_response(201, {}))
    call(flowker_client, flavour, "workflows.executions.create", WORKFLOW, input_data={}, server=server, client_kwargs={"api_key": "flk"})
    assert uuid.UUID(server.last.headers["idempotency-key"])


@FLAVOURS
def test_flowker_413_is_a_plain_status_error_with_the_error_model(flavour):
    server = Server(json_response(413, {"code": "FLK-0413", "message": "Payload too large", "title": "Too Large"}))
    with pytest.raises(flowker_client.APIStatusError) as caught:
        call(flowker_client, flavour, "workflows.executions.create", WORKFLOW, input_data={}, server=server, client_kwargs={"api_key": "flk"})
    assert type(caught.value) is flowker_client.APIStatusError
    assert isinstance(caught.value.body, flowker_client.ErrorResponse) and caught.value.body.code == "FLK-0413"
    assert "POST /v1/workflows/" in str(caught.value) and "413" in str(caught.value) and "Payload too large" in str(caught.value)


def test_client_repr_never_shows_credentials():
    for package in (pharen_client, dify_client, flowker_client):
        client = package.Client(api_key="super-secret-key")
        assert "super-secret-key" not in repr(client)
        client.close()
