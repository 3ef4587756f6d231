"""The generated `agno_client` against a real Agno AgentOS server (agno 2.5.6, the version the spec
documents), started by these tests on 127.0.0.1 (see agno_server.py, agno_app.py): workflows made of
plain Python functions, no model, no network, a bearer key required (`OS_SECURITY_KEY`).

Where the real server differs from its documentation (`specs/agno/openapi.yaml`, which is also exactly
what the running server publishes at /openapi.json), as observed against agno 2.5.6. The bundled client is
generated with `specs/agno/fixes.overlay.yaml`, which describes these shapes, so the tests below get typed
models and events; tests/integration/test_agno_live_conformance.py shows the vendor's own spec reporting them:

- 422: the documented `ValidationErrorResponse` says `detail` is a string (plus `error_code`); the
  server sends FastAPI's own body, `{"detail": [{"type": "missing", "loc": ["body", "message"],
  "msg": "Field required", "input": null}]}`: `detail` is a list and there is no `error_code`. Form validation runs before the
  workflow lookup (no message + unknown workflow -> 422, not 404), authentication before both.
- 200 `application/json`: documented as an empty schema; the body is the workflow run output
  (`WorkflowRunOutput.to_dict()`): `content`, `status` ("COMPLETED"), `run_id`, `session_id`,
  `workflow_id`, `workflow_name`, `input`, `step_results` (one dict per step: `step_name`, `content`,
  `success`, `error`...), `metrics`, media lists. The `Accept` header is ignored.
- 200 `text/event-stream`: the documented example shows `event: RunStarted` with `content`; a workflow
  streams `WorkflowStarted`, then per step `StepStarted`, `StepOutput`, `StepCompleted`, then
  `WorkflowCompleted` (which carries the final `content`). Every `data:` is one line of JSON whose
  `event` field repeats the `event:` name; no `id:` or `retry:` fields are sent. There is no
  `RunStarted` event.
- Failures: a workflow whose Python code raises is not a documented 500 in streaming mode: the stream
  answers 200 and ends with an undocumented `WorkflowError` event
  (`{"created_at", "event": "WorkflowError", "error": "<exception text>"}`, no run or workflow ids).
  The blocking call does answer the documented 500, `{"detail": "Error running workflow: <exception
  text>"}` (which matches `InternalServerErrorResponse`, `error_code` absent).
- A raising `Step` does not fail the run at all: AgentOS copies each workflow per request and the copy
  drops `Step.on_error` (agno 2.5.6 `Workflow._deep_copy_single_step`), so the default `on_error=skip`
  applies whatever the app configured: 200, `status` "COMPLETED", `content` "Step skipped due to error:
  <exception text>", the step result has `success: false` and `error`; the stream has no
  `StepOutput`/`StepCompleted`/error event for that step, only `WorkflowStarted`, `StepStarted`,
  `WorkflowCompleted`.
- 401 (`{"detail": "Invalid authentication token"}`, or "Authorization header required" without a
  key) and 404 (`{"detail": "Workflow not found"}`) match their documented models; `error_code` is
  never sent.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from agno_server import SECURITY_KEY, running_agno_server

from agno_client import NOT_GIVEN, AsyncClient, Client
from agno_client.errors import (
    APIStatusError,
    APIStreamError,
    AuthenticationError,
    InternalServerError,
    MissingCredentialsError,
    NotFoundError,
    UnprocessableEntityError,
)
from agno_client.models import (
    InternalServerErrorResponse,
    NotFoundResponse,
    StepCompletedEvent,
    StepOutputEvent,
    StepStartedEvent,
    UnauthenticatedResponse,
    ValidationErrorResponse,
    ValidationProblem,
    WorkflowCompletedEvent,
    WorkflowErrorEvent,
    WorkflowRunOutput,
    WorkflowStartedEvent,
)

pytestmark = pytest.mark.slow  # see the README: `pytest -m "not slow"` leaves it out

# The workflows of agno_app.py (not imported here: that would load agno into the test process).
ECHO = "echo-workflow"  # upper() then shout(): "hello" -> "HELLO!"
FAILING = (
    "failing-workflow"  # a Step whose function raises RuntimeError("step exploded: <message>")
)
CRASHING = "crashing-workflow"  # a function workflow that raises the same error
ERROR_TEXT = "step exploded: hello"

ECHO_EVENTS = [
    "WorkflowStarted",
    "StepStarted",
    "StepOutput",
    "StepCompleted",
    "StepStarted",
    "StepOutput",
    "StepCompleted",
    "WorkflowCompleted",
]
MISSING_MESSAGE = {
    "detail": [
        {"type": "missing", "loc": ["body", "message"], "msg": "Field required", "input": None}
    ]
}
EVENT_TYPES = {
    "WorkflowStarted": WorkflowStartedEvent,
    "StepStarted": StepStartedEvent,
    "StepOutput": StepOutputEvent,
    "StepCompleted": StepCompletedEvent,
    "WorkflowCompleted": WorkflowCompletedEvent,
    "WorkflowError": WorkflowErrorEvent,
}

_PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with pytest.MonkeyPatch.context() as env:
        # Only 127.0.0.1 is ever contacted: no proxy from the environment may sit in between.
        for name in _PROXY_VARIABLES:
            env.delenv(name, raising=False)
        with running_agno_server() as url:
            yield url


@pytest.fixture
def client(base_url: str) -> Iterator[Client]:
    with Client(api_key=SECURITY_KEY, base_url=base_url) as client:
        yield client


def _async_client(base_url: str, api_key: str = SECURITY_KEY) -> AsyncClient:
    return AsyncClient(api_key=api_key, base_url=base_url)


def _check_echo_output(result: Any, message: str = "hello") -> None:
    assert isinstance(result, WorkflowRunOutput)
    assert result.content == message.upper() + "!"
    assert result.status == "COMPLETED"
    assert result.workflow_id == ECHO
    assert result.workflow_name == "Echo Workflow"
    assert result.input == message
    assert result.step_results is not None
    steps = [(step.step_name, step.content, step.success) for step in result.step_results]
    assert steps == [("upper", message.upper(), True), ("shout", message.upper() + "!", True)]


def _check_echo_events(events: list[Any]) -> None:
    assert [type(event) for event in events] == [EVENT_TYPES[name] for name in ECHO_EVENTS], events
    assert [event.event for event in events] == ECHO_EVENTS
    assert {event.workflow_id for event in events} == {ECHO}
    assert len({event.run_id for event in events}) == 1
    steps = [(e.event, e.step_name) for e in events if e.event.startswith("Step")]
    assert steps == [
        ("StepStarted", "upper"),
        ("StepOutput", "upper"),
        ("StepCompleted", "upper"),
        ("StepStarted", "shout"),
        ("StepOutput", "shout"),
        ("StepCompleted", "shout"),
    ]
    completed = [e.content for e in events if e.event == "StepCompleted"]
    assert completed == ["HELLO", "HELLO!"]
    assert events[-1].content == "HELLO!"


# --- blocking runs -----------------------------------------------------------------------------


def test_blocking_run_returns_the_workflow_output(client: Client) -> None:
    _check_echo_output(client.workflows.runs.create(ECHO, message="hello"))


def test_blocking_run_passes_session_and_user(client: Client) -> None:
    result = client.workflows.runs.create(
        ECHO, message="hi there", session_id="session-1", user_id="user-1"
    )
    _check_echo_output(result, "hi there")
    assert result.session_id == "session-1"
    assert result.user_id == "user-1"


def test_async_blocking_run_returns_the_workflow_output(base_url: str) -> None:
    async def run() -> Any:
        async with _async_client(base_url) as client:
            return await client.workflows.runs.create(ECHO, message="hello")

    _check_echo_output(asyncio.run(run()))


def test_raw_response_of_a_blocking_run(client: Client) -> None:
    raw = client.with_raw_response(client.workflows.runs.create, ECHO, message="hello")
    assert raw.status_code == 200
    assert raw.headers["content-type"] == "application/json"
    _check_echo_output(raw.parsed)


# --- streaming runs ----------------------------------------------------------------------------


def test_streaming_run_yields_the_server_events(client: Client) -> None:
    with client.workflows.runs.create_stream(ECHO, message="hello") as events:
        received = list(events)
    _check_echo_events(received)


def test_async_streaming_run_yields_the_server_events(base_url: str) -> None:
    async def run() -> list[Any]:
        async with _async_client(base_url) as client:
            async with await client.workflows.runs.create_stream(ECHO, message="hello") as events:
                return [event async for event in events]

    _check_echo_events(asyncio.run(run()))


def test_stream_wire_format_as_the_server_sends_it(base_url: str) -> None:
    """The raw bytes, read without the client: what the client tests above rely on."""
    with httpx.Client(base_url=base_url, trust_env=False) as http:
        with http.stream(
            "POST",
            f"/workflows/{ECHO}/runs",
            data={"message": "hello", "stream": "true"},
            headers={"Authorization": f"Bearer {SECURITY_KEY}", "Accept": "text/event-stream"},
        ) as response:
            assert response.status_code == 200
            assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
            text = response.read().decode()
    blocks = text.split("\n\n")
    assert blocks[-1] == ""
    names = []
    for block in blocks[:-1]:
        event_line, data_line = block.split("\n")
        assert event_line.startswith("event: ") and data_line.startswith("data: ")
        names.append(event_line.removeprefix("event: "))
        assert json.loads(data_line.removeprefix("data: "))["event"] == names[-1]
    assert names == ECHO_EVENTS


def test_streaming_events_can_be_left_early(client: Client) -> None:
    with client.workflows.runs.create_stream(ECHO, message="hello") as events:
        first = next(events)
    assert first.event == "WorkflowStarted"
    with pytest.raises(RuntimeError):
        next(events)


# --- errors --------------------------------------------------------------------------------------


def test_unknown_workflow_is_not_found(client: Client) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.workflows.runs.create("no-such-workflow", message="hello")
    error = caught.value
    assert error.status_code == 404
    assert error.body == NotFoundResponse(detail="Workflow not found")
    assert "Workflow not found" in str(error)


def test_unknown_workflow_is_not_found_when_streaming(client: Client) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.workflows.runs.create_stream("no-such-workflow", message="hello")
    assert caught.value.body == NotFoundResponse(detail="Workflow not found")


def test_async_unknown_workflow_is_not_found(base_url: str) -> None:
    async def run() -> None:
        async with _async_client(base_url) as client:
            await client.workflows.runs.create("no-such-workflow", message="hello")

    with pytest.raises(NotFoundError) as caught:
        asyncio.run(run())
    assert caught.value.status_code == 404


@pytest.mark.parametrize("stream", [False, True], ids=["blocking", "streaming"])
def test_wrong_bearer_key_is_an_authentication_error(base_url: str, stream: bool) -> None:
    with Client(api_key="not-the-key", base_url=base_url) as client:
        with pytest.raises(AuthenticationError) as caught:
            if stream:
                client.workflows.runs.create_stream(ECHO, message="hello")
            else:
                client.workflows.runs.create(ECHO, message="hello")
    error = caught.value
    assert error.status_code == 401
    assert error.body == UnauthenticatedResponse(detail="Invalid authentication token")
    assert error.body.error_code is None


def test_a_missing_bearer_key_is_caught_before_sending(
    base_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AGNO_API_KEY", raising=False)
    with Client(base_url=base_url) as client:
        with pytest.raises(MissingCredentialsError, match=r"api_key=\.\.\. \(or AGNO_API_KEY\)"):
            client.workflows.runs.create(ECHO, message="hello")


def test_a_missing_bearer_key_the_server_rejects(base_url: str) -> None:
    # The server's own answer to a request without the header (sent with httpx directly).
    answer = httpx.post(f"{base_url}/workflows/{ECHO}/runs", data={"message": "hello"})
    assert answer.status_code == 401
    assert answer.json() == {"detail": "Authorization header required"}


def test_bearer_key_from_the_environment(base_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGNO_API_KEY", SECURITY_KEY)
    with Client(base_url=base_url) as client:
        _check_echo_output(client.workflows.runs.create(ECHO, message="hello"))


def test_async_wrong_bearer_key_is_an_authentication_error(base_url: str) -> None:
    async def run() -> None:
        async with _async_client(base_url, api_key="not-the-key") as client:
            await client.workflows.runs.create(ECHO, message="hello")

    with pytest.raises(AuthenticationError) as caught:
        asyncio.run(run())
    assert caught.value.body == UnauthenticatedResponse(detail="Invalid authentication token")


MISSING_MESSAGE_MODEL = ValidationErrorResponse(
    detail=[ValidationProblem(type="missing", loc=["body", "message"], msg="Field required", input=None)]
)


def test_missing_message_is_the_overlaid_422_model(client: Client) -> None:
    with pytest.raises(UnprocessableEntityError) as caught:
        client.workflows.runs.create(ECHO, message=NOT_GIVEN)  # type: ignore[arg-type]
    error = caught.value
    assert error.status_code == 422
    # The vendor documents a string `detail`; the overlay adds FastAPI's list of problems.
    assert error.body == MISSING_MESSAGE_MODEL
    assert error.response.json() == MISSING_MESSAGE
    assert "Field required" in str(error)


def test_async_missing_message_is_the_overlaid_422_model(base_url: str) -> None:
    async def run() -> None:
        async with _async_client(base_url) as client:
            await client.workflows.runs.create(ECHO, message=NOT_GIVEN)  # type: ignore[arg-type]

    with pytest.raises(UnprocessableEntityError) as caught:
        asyncio.run(run())
    assert caught.value.body == MISSING_MESSAGE_MODEL


def test_missing_message_is_checked_before_the_workflow_exists(client: Client) -> None:
    with pytest.raises(UnprocessableEntityError) as caught:
        client.workflows.runs.create("no-such-workflow", message=NOT_GIVEN)  # type: ignore[arg-type]
    assert caught.value.body == MISSING_MESSAGE_MODEL


# --- failing workflows -------------------------------------------------------------------------


def test_raising_step_is_skipped_and_the_run_completes(client: Client) -> None:
    result = client.workflows.runs.create(FAILING, message="hello")
    assert result.status == "COMPLETED"
    assert result.content == f"Step skipped due to error: {ERROR_TEXT}"
    assert result.step_results is not None
    [step] = result.step_results
    assert step.step_name == "explode"
    assert step.success is False
    assert step.error == ERROR_TEXT


def test_raising_step_when_streaming(client: Client) -> None:
    with client.workflows.runs.create_stream(FAILING, message="hello") as events:
        received = list(events)
    assert [event.event for event in received] == [
        "WorkflowStarted",
        "StepStarted",
        "WorkflowCompleted",
    ]
    completed = received[-1]
    assert isinstance(completed, WorkflowCompletedEvent) and completed.step_results is not None
    assert completed.content == f"Step skipped due to error: {ERROR_TEXT}"
    assert [(s.success, s.error) for s in completed.step_results] == [(False, ERROR_TEXT)]


def test_crashing_workflow_is_an_internal_server_error(client: Client) -> None:
    with pytest.raises(InternalServerError) as caught:
        client.workflows.runs.create(CRASHING, message="hello")
    error = caught.value
    assert isinstance(error, APIStatusError)
    assert error.status_code == 500
    assert error.body == InternalServerErrorResponse(detail=f"Error running workflow: {ERROR_TEXT}")
    assert ERROR_TEXT in str(error)


def test_async_crashing_workflow_is_an_internal_server_error(base_url: str) -> None:
    async def run() -> None:
        async with _async_client(base_url) as client:
            await client.workflows.runs.create(CRASHING, message="hello")

    with pytest.raises(InternalServerError) as caught:
        asyncio.run(run())
    assert caught.value.status_code == 500


def test_crashing_workflow_streams_a_workflow_error_event(client: Client) -> None:
    received: list[Any] = []
    with pytest.raises(APIStreamError) as caught:
        with client.workflows.runs.create_stream(CRASHING, message="hello") as events:
            for event in events:
                received.append(event)
    # The WorkflowError event ends the stream as an error, with its decoded data as the body.
    assert [event.event for event in received] == ["WorkflowStarted"]
    assert caught.value.body["event"] == "WorkflowError" and caught.value.body["error"] == ERROR_TEXT
    assert ERROR_TEXT in str(caught.value)


def test_async_crashing_workflow_streams_a_workflow_error_event(base_url: str) -> None:
    received: list[Any] = []

    async def run() -> None:
        async with _async_client(base_url) as client:
            async with await client.workflows.runs.create_stream(CRASHING, message="hello") as events:
                async for event in events:
                    received.append(event)

    with pytest.raises(APIStreamError) as caught:
        asyncio.run(run())
    assert [event.event for event in received] == ["WorkflowStarted"]
    assert caught.value.body["error"] == ERROR_TEXT
