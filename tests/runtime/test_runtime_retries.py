"""Retries, backoff, idempotency keys, timeouts and transport errors."""

from __future__ import annotations

import asyncio
import email.utils
import inspect
import time
import uuid

import httpx
import pytest
from runtime_support import Server, reply

PET = {"id": 1, "name": "Rex"}


def settle(result):
    """The result of a sync call, or of an async one run to completion."""
    return asyncio.run(result) if inspect.iscoroutine(result) else result


def counted(counts, replies):
    """The replies, each noting the request's x-retry-count as it is sent (a retried request is
    the same object, so the header must be read at the time)."""

    def note(answer):
        def handler(request):
            counts.append(request.headers.get("x-retry-count"))
            return answer(request)

        return handler

    return [note(answer) for answer in replies]


def get(client, rt, **kwargs):
    return client._request(rt.get_pet, path={"petId": 1}, **kwargs)


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503])
def test_retryable_statuses_then_success(rt, make_client, status):
    server = Server(reply(status), reply(status), reply(200, json=PET))
    client = make_client(server)
    assert get(client, rt).name == "Rex"
    assert len(server.requests) == 3 and len(client.sleeps) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_not_retried(rt, make_client, status):
    server = Server(reply(status), reply(200, json=PET))
    client = make_client(server)
    with pytest.raises(rt.errors.APIStatusError):
        get(client, rt)
    assert len(server.requests) == 1 and client.sleeps == []


def test_retries_exhausted_raise_the_last_error(rt, make_client):
    server = Server(reply(503, json={"message": "busy"}))
    client = make_client(server, max_retries=3)
    with pytest.raises(rt.errors.InternalServerError, match="503: busy"):
        get(client, rt)
    assert len(server.requests) == 4


def test_exponential_backoff_with_jitter(rt, make_client):
    server = Server(reply(500))
    client = make_client(server, max_retries=6)
    with pytest.raises(rt.errors.InternalServerError):
        get(client, rt)
    expected = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]  # capped at 8 s
    assert len(client.sleeps) == 6
    for slept, nominal in zip(client.sleeps, expected):
        assert nominal * 0.75 <= slept <= nominal * 1.25


@pytest.mark.parametrize(
    "headers, expected",
    [
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": "0.25"}, 0.25),
        ({"retry-after-ms": "1500", "Retry-After": "9"}, 1.5),
        ({"Retry-After": "0"}, 0.0),
    ],
)
def test_retry_after_is_honoured(rt, make_client, headers, expected):
    client = make_client(Server(reply(429, headers=headers), reply(200, json=PET)))
    get(client, rt)
    assert client.sleeps == [expected]


def test_retry_after_http_date(rt, make_client):
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    client = make_client(Server(reply(503, headers={"Retry-After": when}), reply(200, json=PET)))
    get(client, rt)
    assert 28 <= client.sleeps[0] <= 31


@pytest.mark.parametrize("value", ["120", "garbage", "-5x"])
def test_unusable_or_too_long_retry_after_falls_back_to_backoff(rt, make_client, value):
    client = make_client(Server(reply(429, headers={"Retry-After": value}), reply(200, json=PET)))
    get(client, rt)
    assert 0.375 <= client.sleeps[0] <= 0.625


def test_max_retries_per_client_and_per_call(rt, make_client):
    server = Server(reply(500))
    client = make_client(server, max_retries=0)
    with pytest.raises(rt.errors.InternalServerError):
        get(client, rt)
    assert len(server.requests) == 1
    with pytest.raises(rt.errors.InternalServerError):
        get(client, rt, max_retries=4)
    assert len(server.requests) == 1 + 5
    client = make_client(server)
    with pytest.raises(rt.errors.InternalServerError):
        get(client, rt, max_retries=0)
    assert len(server.requests) == 6 + 1


# --- idempotency -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 408, 409])
def test_post_without_idempotency_key_is_not_retried_after_it_may_have_run(rt, make_client, status):
    server = Server(reply(status), reply(201, json=PET))
    client = make_client(server)
    with pytest.raises(rt.errors.APIStatusError):
        client._request(rt.create_pet, body={"name": "Rex"})
    assert len(server.requests) == 1 and client.sleeps == []
    read_timeout = Server(httpx.ReadTimeout("slow"), reply(201, json=PET))
    with pytest.raises(rt.errors.APITimeoutError):
        make_client(read_timeout)._request(rt.create_pet, body={})
    assert len(read_timeout.requests) == 1


@pytest.mark.parametrize("is_async", [False, True])
@pytest.mark.parametrize("status", [429, 503])
def test_post_is_retried_on_429_and_503_honouring_retry_after(
    rt, make_client, status, is_async
):
    counts = []
    replies = counted(counts, [reply(status, headers={"Retry-After": "2"}), reply(201, json=PET)])
    server = Server(*replies)
    client = make_client(server, is_async=is_async)
    result = client._request(rt.create_pet, body={"name": "Rex"})
    pet = settle(result)
    assert pet.name == "Rex" and client.sleeps == [2.0]
    assert counts == [None, "1"]


@pytest.mark.parametrize("is_async", [False, True])
def test_post_is_retried_when_the_connection_was_never_made(rt, make_client, is_async):
    server = Server(httpx.ConnectError("refused"), reply(201, json=PET))
    client = make_client(server, is_async=is_async)
    result = client._request(rt.create_pet, body={"name": "Rex"})
    assert settle(result).name == "Rex"
    assert len(server.requests) == 2


def test_idempotency_keys_option_makes_posts_retryable_with_one_key(rt, make_client):
    counts = []
    server = Server(*counted(counts, [reply(500), reply(502), reply(201, json=PET)]))
    client = make_client(server, idempotency_keys=True)
    assert client._request(rt.create_pet, body={"name": "Rex"}).name == "Rex"
    keys = {request.headers["Idempotency-Key"] for request in server.requests}
    assert len(server.requests) == 3 and len(keys) == 1
    assert counts == [None, "1", "2"]
    get(client, rt)  # GET needs no key
    assert "Idempotency-Key" not in server.last.headers


def test_generated_idempotency_key_is_reused_across_retries(rt, make_client):
    server = Server(reply(500), reply(502), reply(200, json={"ok": True}))
    client = make_client(server)
    assert client._request(rt.run_workflow, path={"workflowId": "w"}, body={"inputs": {}}) == {
        "ok": True
    }
    keys = {request.headers["Idempotency-Key"] for request in server.requests}
    assert len(server.requests) == 3 and len(keys) == 1
    uuid.UUID(keys.pop())
    client._request(rt.run_workflow, path={"workflowId": "w"}, body={})
    assert server.last.headers["Idempotency-Key"] not in {
        r.headers["Idempotency-Key"] for r in server.requests[:3]
    }


def test_caller_supplied_idempotency_key_is_honoured(rt, make_client):
    server = Server(reply(500), reply(200, json={}))
    client = make_client(server)
    client._request(
        rt.run_workflow, path={"workflowId": "w"}, headers={"Idempotency-Key": "mine"}, body={}
    )
    assert [r.headers["Idempotency-Key"] for r in server.requests] == ["mine", "mine"]
    client._request(
        rt.run_workflow,
        path={"workflowId": "w"},
        headers={"Idempotency-Key": rt.base.NOT_GIVEN},
        body={},
    )
    assert server.last.headers["Idempotency-Key"] != "mine"
    client._request(
        rt.run_workflow,
        path={"workflowId": "w"},
        extra_headers={"Idempotency-Key": "xtra"},
        body={},
    )
    assert server.last.headers["Idempotency-Key"] == "xtra"


def test_post_with_idempotency_key_header_via_extra_headers_is_retried(rt, make_client):
    server = Server(reply(500), reply(201, json=PET))
    client = make_client(server)
    client._request(rt.create_pet, body={}, extra_headers={"Idempotency-Key": "k1"})
    assert len(server.requests) == 2


# --- timeouts and transport errors ------------------------------------------------------------


def test_default_and_overridden_timeouts(rt, make_client):
    server = Server(reply(200, json=PET))
    get(make_client(server), rt)
    assert server.last.extensions["timeout"] == {
        "connect": 10.0,
        "read": 120.0,
        "write": 120.0,
        "pool": 120.0,
    }
    client = make_client(server, timeout=30)
    get(client, rt)
    assert server.last.extensions["timeout"] == httpx.Timeout(30).as_dict()
    get(client, rt, timeout=httpx.Timeout(5, read=60))
    assert server.last.extensions["timeout"] == httpx.Timeout(5, read=60).as_dict()
    get(client, rt, timeout=None)
    assert server.last.extensions["timeout"] == httpx.Timeout(None).as_dict()


def test_timeout_of_a_supplied_http_client_is_kept(rt):
    server = Server(reply(200, json=PET))
    http_client = httpx.Client(transport=httpx.MockTransport(server), timeout=42)
    client = rt.base.SyncAPIClient(
        base_url="https://x", schemes={}, credentials={}, http_client=http_client
    )
    get(client, rt)
    assert server.last.extensions["timeout"] == httpx.Timeout(42).as_dict()


@pytest.mark.parametrize(
    "exc, error_name",
    [
        (httpx.ConnectError("refused"), "APIConnectionError"),
        (httpx.RemoteProtocolError("eof"), "APIConnectionError"),
        (httpx.ReadTimeout("slow"), "APITimeoutError"),
        (httpx.ConnectTimeout("slow"), "APITimeoutError"),
    ],
)
def test_transport_errors_are_retried_then_mapped(rt, make_client, exc, error_name):
    server = Server(exc)
    client = make_client(server)
    with pytest.raises(rt.errors.APIConnectionError) as info:
        get(client, rt)
    assert type(info.value).__name__ == error_name
    assert info.value.__cause__ is exc
    assert str(info.value).endswith("GET /v1/pets/1")
    assert len(server.requests) == 3 and len(client.sleeps) == 2


def test_transport_error_then_success(rt, make_client):
    server = Server(httpx.ConnectError("refused"), reply(200, json=PET))
    assert get(make_client(server), rt).name == "Rex"
    assert len(server.requests) == 2
