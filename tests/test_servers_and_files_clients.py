"""The golden `servers` and `relative_server` packages, driven through httpx.MockTransport: server URLs
(relative paths joined to the caller's origin, variables as constructor arguments), file downloads as
BinaryContent, a spec-configured stream terminator, and response enums that tolerate new values."""

from __future__ import annotations

import importlib
import sys

import httpx
import pytest

import golden


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    root = tmp_path_factory.mktemp("servers")
    for case in ("servers", "relative_server"):
        golden.write_package(case, root)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("servers_client"), importlib.import_module("relative_server_client")
    finally:
        sys.path.remove(str(root))


def recorder(*responses: httpx.Response):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return responses[min(len(seen), len(responses)) - 1]

    return seen, handler


@pytest.fixture(autouse=True)
def _no_base_url_in_env(monkeypatch):
    for name in ("WORKFLOW_BASE_URL", "REGIONAL_REPORTS_BASE_URL", "SERVERS_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("given", ["http://localhost:4200", "http://localhost:4200/", "http://localhost:4200/api"])
def test_a_relative_server_url_is_joined_to_the_origin_given(packages, given):
    _, relative = packages
    seen, handler = recorder(httpx.Response(200, json={"id": "f1", "name": "n"}))
    client = relative.Client(base_url=given, http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    flow = client.flows.create(name="n")
    assert str(seen[0].url) == "http://localhost:4200/api/flows"
    assert isinstance(flow, relative.CreateFlowResponse)


def test_server_variables_are_constructor_arguments_with_their_defaults(packages):
    servers, _ = packages
    assert servers.Client().base_url == "https://us.reports.example.com/v2"
    assert servers.Client(region="eu", version="v3").base_url == "https://eu.reports.example.com/v3"
    assert servers.Client(base_url="http://127.0.0.1:9", region="eu").base_url == "http://127.0.0.1:9"


def test_a_file_download_is_binary_content(packages, tmp_path):
    servers, _ = packages
    body = bytes(range(256))
    seen, handler = recorder(httpx.Response(200, content=body, headers={"content-type": "application/octet-stream"}))
    client = servers.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    content = client.reports.export("r1")
    assert isinstance(content, servers.BinaryContent) and content.read() == body
    content.write_to_file(tmp_path / "r1.bin")
    assert (tmp_path / "r1.bin").read_bytes() == body


def test_a_csv_export_documented_as_text_csv_is_binary_content_with_text(packages):
    _, relative = packages
    csv = "id,state\n1,ok\n"
    seen, handler = recorder(httpx.Response(200, text=csv, headers={"content-type": "text/csv"}))
    client = relative.Client(base_url="http://x", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    assert client.flows.export("f1").text == csv


def test_the_spec_names_the_stream_terminator(packages):
    servers, _ = packages
    body = b'data: {"percent": 50}\n\ndata: END\n\ndata: {"percent": 99}\n\n'
    seen, handler = recorder(httpx.Response(200, content=body, headers={"content-type": "text/event-stream"}))
    client = servers.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    with client.reports.events.list("r1") as events:
        assert [event.percent for event in events] == [50]


def test_a_new_enum_value_is_kept_and_strict_responses_reject_it(packages):
    _, relative = packages
    answer = httpx.Response(200, json={"id": "f1", "name": "n", "status": "paused", "kind": "batch"})
    seen, handler = recorder(answer)
    client = relative.Client(base_url="http://x", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    flow = client.flows.create(name="n")
    assert (flow.status, flow.kind) == ("paused", "batch")  # an inline and a component (alias) enum
    strict = relative.Client(base_url="http://x", strict_responses=True, http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    with pytest.raises(relative.APIResponseValidationError, match="does not match CreateFlowResponse"):
        strict.flows.create(name="n")


def test_an_unknown_value_of_a_component_enum_is_rejected_only_when_strict(packages):
    _, relative = packages
    _, handler = recorder(httpx.Response(200, json={"id": "f1", "name": "n", "status": "running", "kind": "batch"}))
    strict = relative.Client(base_url="http://x", strict_responses=True, http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    with pytest.raises(relative.APIResponseValidationError, match="does not match CreateFlowResponse"):
        strict.flows.create(name="n")
    _, known = recorder(httpx.Response(200, json={"id": "f1", "name": "n", "status": "running", "kind": "scheduled"}))
    strict = relative.Client(base_url="http://x", strict_responses=True, http_client=httpx.Client(transport=httpx.MockTransport(known)))
    assert strict.flows.create(name="n").kind == "scheduled"
