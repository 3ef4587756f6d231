"""AsyncAPIClient: the same request building and parsing, its own send loop."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import trio
from runtime_support import Server, reply

PET = {"id": 1, "name": "Rex"}


def test_async_request_roundtrip(rt, make_client):
    server = Server(reply(201, json=PET))
    client = make_client(server, is_async=True, credentials={"bearerAuth": "tok"})
    op = rt.base.Operation(
        "POST",
        "/pets/{petId}",
        {"201": rt.base.ResponseSpec("application/json", "Pet")},
        security=(("bearerAuth",),),
        content_type="application/json",
    )
    pet = asyncio.run(
        client._request(
            op,
            path={"petId": "a/b"},
            query={"x": [1, 2]},
            body={"name": "Rex", "tag": rt.base.NOT_GIVEN},
        )
    )
    assert pet.name == "Rex"
    request = server.last
    assert request.url.raw_path == b"/v1/pets/a%2Fb?x=1&x=2"
    assert request.headers["Authorization"] == "Bearer tok"
    assert request.content == b'{"name":"Rex"}'


def test_async_retries_reuse_idempotency_key_and_sleep(rt, make_client):
    server = Server(
        reply(503, headers={"Retry-After": "2"}), reply(500), reply(200, json={"ok": 1})
    )
    client = make_client(server, is_async=True)
    result = asyncio.run(
        client._request(rt.run_workflow, path={"workflowId": "w"}, body={}, raw=True)
    )
    assert result.parsed == {"ok": 1} and result.status_code == 200
    assert len({r.headers["Idempotency-Key"] for r in server.requests}) == 1
    assert len(server.requests) == 3
    assert client.sleeps[0] == 2.0 and 0.75 <= client.sleeps[1] <= 1.25


def test_async_errors(rt, make_client):
    client = make_client(Server(reply(404, json={"code": 1, "message": "gone"})), is_async=True)
    with pytest.raises(rt.errors.NotFoundError, match="GET /v1/pets/1 -> 404: gone") as info:
        asyncio.run(client._request(rt.get_pet, path={"petId": 1}))
    assert info.value.body.code == 1
    server = Server(httpx.ReadTimeout("slow"))
    client = make_client(server, is_async=True, max_retries=1)
    with pytest.raises(rt.errors.APITimeoutError):
        asyncio.run(client._request(rt.get_pet, path={"petId": 1}))
    assert len(server.requests) == 2 and len(client.sleeps) == 1


def test_async_default_sleep_works_under_asyncio_and_trio(rt):
    async def main() -> None:
        server = Server(reply(500, headers={"Retry-After": "0"}), reply(200, json=PET))
        async with rt.base.AsyncAPIClient(
            base_url="https://x",
            schemes={},
            credentials={},
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)),
        ) as client:
            assert (await client._request(rt.get_pet, path={"petId": 1})).name == "Rex"
        assert len(server.requests) == 2

    asyncio.run(main())
    trio.run(main)


def test_async_close_only_closes_owned_clients(rt):
    async def main() -> None:
        shared = httpx.AsyncClient()
        async with rt.base.AsyncAPIClient(
            base_url="https://x", schemes={}, credentials={}, http_client=shared
        ):
            pass
        assert not shared.is_closed
        await shared.aclose()
        client = rt.base.AsyncAPIClient(base_url="https://x", schemes={}, credentials={})
        assert client._http is None  # created on first use, not by the constructor
        owned = client._client
        await client.aclose()
        assert owned.is_closed and client._client is owned
        assert repr(client) == "AsyncAPIClient(base_url='https://x')"

    asyncio.run(main())
