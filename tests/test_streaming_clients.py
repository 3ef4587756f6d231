"""Generated streaming methods, end to end: the golden `events` and `events32` packages are imported and
driven through httpx.MockTransport, and their events come back typed as the spec describes them."""

from __future__ import annotations

import asyncio
import importlib
import json
import sys

import httpx
import pytest

import golden
from resource_paths import method_of


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    """The golden cases' packages, importable as `events_client` and `events32_client`."""
    root = tmp_path_factory.mktemp("streaming")
    for case in ("events", "events32"):
        golden.write_package(case, root)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("events_client"), importlib.import_module("events32_client")
    finally:
        sys.path.remove(str(root))


class Recorder:
    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.response


def sse(*events: str) -> httpx.Response:
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content="".join(events).encode())


def data(payload: object) -> str:
    return f"data: {json.dumps(payload)}\n\n"


def collect(package, flavour: str, method: str, recorder: Recorder, *args, **kwargs) -> list:
    if flavour == "sync":
        with package.Client(http_client=httpx.Client(transport=httpx.MockTransport(recorder))) as client:
            with method_of(client, method)(*args, **kwargs) as events:
                return list(events)

    async def run() -> list:
        async with package.AsyncClient(http_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder))) as client:
            async with await method_of(client, method)(*args, **kwargs) as events:
                return [event async for event in events]

    return asyncio.run(run())


FLAVOURS = pytest.mark.parametrize("flavour", ["sync", "async"])


@FLAVOURS
def test_discriminator_mapping_on_a_base_object_types_each_kind(packages, flavour):
    events_client, _ = packages
    t, r, w = "c3800678-a077-43df-a102-53f23ed20b88", "fb47b2e6-5e43-4f90-be01-d5c5a088d156", "7c3e33d4-2a8b-4e5f-9b1a-d3c6e8f12345"
    recorder = Recorder(sse(
        data({"event": "workflow_started", "task_id": t, "workflow_run_id": r, "data": {"id": r, "workflow_id": w, "created_at": 1}}),
        data({"event": "text_chunk", "task_id": t, "workflow_run_id": r, "data": {"text": "Bon"}}),
        data({"event": "node_started", "data": {"node_id": "n1"}}),  # a kind the (trimmed) mapping does not know
        "event: ping\n\n",
        data({"event": "workflow_finished", "task_id": t, "workflow_run_id": r, "data": {"id": r, "workflow_id": w, "status": "succeeded", "created_at": 1, "finished_at": 2}}),
    ))
    events = collect(events_client, flavour, "workflows.run_stream", recorder, inputs={"q": 1})
    assert json.loads(recorder.requests[0].content) == {"inputs": {"q": 1}, "response_mode": "streaming"}
    assert recorder.requests[0].headers["accept"] == "text/event-stream"
    # The annotation is the union of the mapped kinds: the unknown kind and the bare ping are skipped.
    started, chunk, finished = events
    assert isinstance(started, events_client.StreamEventWorkflowStarted) and str(started.data.workflow_id) == w
    assert isinstance(chunk, events_client.StreamEventTextChunk) and chunk.data.text == "Bon"
    assert isinstance(finished, events_client.StreamEventWorkflowFinished) and finished.data.status == "succeeded"


@FLAVOURS
def test_blocking_twin_sends_the_blocking_mode_and_parses_json(packages, flavour):
    events_client, _ = packages
    recorder = Recorder(httpx.Response(200, json={"workflow_run_id": "r1", "outputs": {"a": 1}}))
    if flavour == "sync":
        with events_client.Client(http_client=httpx.Client(transport=httpx.MockTransport(recorder))) as client:
            result = client.workflows.run(inputs={})
    else:
        async def run():
            async with events_client.AsyncClient(http_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder))) as client:
                return await client.workflows.run(inputs={})
        result = asyncio.run(run())
    assert isinstance(result, events_client.WorkflowResult) and result.workflow_run_id == "r1"
    assert json.loads(recorder.requests[0].content)["response_mode"] == "blocking"
    assert recorder.requests[0].headers["accept"] == "application/json"


@FLAVOURS
def test_a_plain_event_schema_types_every_event_and_skips_bad_data(packages, flavour):
    events_client, _ = packages
    recorder = Recorder(sse(data({"symbol": "ACME", "price": 12.5}), data({"symbol": "ACME"}), "data: not json\n\n"))
    (tick,) = collect(events_client, flavour, "ticks.list", recorder, symbol="ACME")
    assert recorder.requests[0].url.params["symbol"] == "ACME"
    assert isinstance(tick, events_client.WatchTicksEvent) and tick.price == 12.5


@FLAVOURS
def test_mode_named_by_the_extension_is_fixed_per_method(packages, flavour):
    events_client, _ = packages
    recorder = Recorder(sse("data: line 1\n\n", "data: line 2\n\n"))
    events = collect(events_client, flavour, "jobs.log_stream", recorder, "job 7")
    assert recorder.requests[0].url.raw_path == b"/v1/jobs/job%207/log?follow=yes"
    assert [e.data for e in events] == ["line 1", "line 2"]


@FLAVOURS
def test_openapi_32_item_schema_with_one_of_and_implicit_mapping(packages, flavour):
    _, events32_client = packages
    recorder = Recorder(sse(data({"type": "delta", "text": "Hel"}), data({"type": "delta", "text": "lo"}), data({"type": "done", "usage": 7})))
    events = collect(events32_client, flavour, "chat.create_stream", recorder, prompt="hi")
    assert json.loads(recorder.requests[0].content) == {"prompt": "hi", "stream": True}
    assert [type(e).__name__ for e in events] == ["Delta", "Delta", "Done"]
    assert "".join(e.text for e in events[:2]) == "Hello" and events[2].usage == 7


def test_stream_methods_are_documented_and_typed(packages):
    events_client, events32_client = packages
    import typing

    # Methods load with their group on first use, so look them up on an instance.
    chat_stream = events32_client.Client(base_url="http://127.0.0.1:1").chat.create_stream.__func__
    models = {name: getattr(events32_client.models, name) for name in dir(events32_client.models)}  # lazy exports
    hints = typing.get_type_hints(chat_stream, models | chat_stream.__globals__)
    # The spec types every event: exactly that union, no generic ServerSentEvent to isinstance away.
    assert "Stream" in str(hints["return"]) and "Delta" in str(hints["return"]) and "ServerSentEvent" not in str(hints["return"])
    client = events_client.Client(base_url="http://127.0.0.1:1")
    assert "text/event-stream" in client.workflows.run_stream.__doc__
    assert "`run_stream` streams instead" in client.workflows.run.__doc__
