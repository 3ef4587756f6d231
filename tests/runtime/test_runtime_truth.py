"""A call returns what its annotation says or raises: undocumented statuses, media types the spec did
not foresee, files and streamed downloads, and error bodies (sync and async)."""

from __future__ import annotations

import asyncio
import inspect

import httpx
import pytest
from runtime_support import Server, reply

PET = {"id": 1, "name": "Rex"}
CSV = "id,name\n1,Rex\n"


def settle(result):
    return asyncio.run(result) if inspect.iscoroutine(result) else result


def call(client, operation, **kwargs):
    return settle(client._request(operation, path={"id": 1}, **kwargs))


def op(rt, responses, method="GET"):
    return rt.base.Operation(method, "/things/{id}", responses, params=(("path", "id", "id"),))


def spec(rt, content_type="application/json", type_name=None):
    return rt.base.ResponseSpec(content_type, type_name)


@pytest.fixture(params=[False, True], ids=["sync", "async"])
def is_async(request):
    return request.param


def test_an_undocumented_2xx_is_parsed_with_the_documented_success_model(rt, make_client, is_async):
    client = make_client(Server(reply(201, json=PET)), is_async=is_async)
    pet = call(client, op(rt, {"200": spec(rt, type_name="Pet"), "default": spec(rt, "application/json", "Error")}))
    assert type(pet).__name__ == "Pet" and pet.name == "Rex"  # not the raw dict, not the error model


def test_an_undocumented_2xx_that_does_not_fit_raises_with_status_headers_and_body(rt, make_client, is_async):
    answer = reply(201, json={"unexpected": True}, headers={"x-request-id": "r9"})
    client = make_client(Server(answer), is_async=is_async)
    with pytest.raises(rt.errors.APIResponseValidationError, match="201: response body does not match Pet") as info:
        call(client, op(rt, {"200": spec(rt, type_name="Pet")}))
    assert info.value.status_code == 201 and info.value.body == {"unexpected": True}
    assert info.value.response.headers["x-request-id"] == "r9"


def test_several_documented_successes_each_parse_as_their_own_type(rt, make_client):
    operation = op(rt, {"200": spec(rt, type_name="Pet"), "202": spec(rt, type_name="PetList")})
    client = make_client(Server(reply(200, json=PET), reply(202, json=[PET]), reply(203, json=[PET])))
    assert type(call(client, operation)).__name__ == "Pet"
    assert [type(p).__name__ for p in call(client, operation)] == ["Pet"]
    # An undocumented 203 is whichever documented success fits (the annotation is their union).
    raw = call(client, operation, raw=True)
    assert raw.status_code == 203 and [p.name for p in raw.parsed] == ["Rex"]


@pytest.mark.parametrize(
    "content_type, body, expected",
    [
        ("application/json", b'{"a": 1}', {"a": 1}),
        ("application/problem+json", b'{"a": 1}', {"a": 1}),
        ("application/x-ndjson", b'{"a": 1}\n{"a": 2}\n', [{"a": 1}, {"a": 2}]),
        ("text/csv; charset=utf-8", CSV.encode(), CSV),
        ("application/octet-stream", b"\x00\x01", b"\x00\x01"),
    ],
)
def test_the_response_content_type_decides_how_an_untyped_body_is_read(
    rt, make_client, is_async, content_type, body, expected
):
    # JSON documented with an empty schema; the server's Content-Type says what came.
    answer = reply(200, content=body, headers={"content-type": content_type})
    client = make_client(Server(answer), is_async=is_async)
    assert call(client, op(rt, {"200": spec(rt)})) == expected


def test_a_file_response_is_a_content_object(rt, make_client, is_async, tmp_path):
    answer = reply(200, content=CSV.encode(), headers={"content-type": "text/csv"})
    client = make_client(Server(answer), is_async=is_async)
    content = call(client, op(rt, {"200": spec(rt, "text/csv")}))
    assert type(content).__name__ == "BinaryContent"
    assert content.read() == CSV.encode() and content.text == CSV
    assert b"".join(content.iter_bytes()) == CSV.encode()
    content.write_to_file(tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_text() == CSV


def test_with_streaming_response_leaves_a_download_unread_until_asked(rt, make_client, tmp_path):
    chunks = [b"x" * 1000, b"y" * 1000, b"z"]
    pulled: list[bytes] = []

    def body():
        for chunk in chunks:
            pulled.append(chunk)
            yield chunk

    def handler(request):
        return httpx.Response(200, content=body(), headers={"content-type": "application/octet-stream"})

    client = make_client(Server(handler))
    download = op(rt, {"200": spec(rt, "application/octet-stream")})
    with client.with_streaming_response(client._call, download, {"id": 1, **_options(rt)}) as response:
        assert pulled == []  # nothing read yet
        response.parsed.write_to_file(tmp_path / "blob")
    assert (tmp_path / "blob").read_bytes() == b"".join(chunks)
    assert response.http_response.is_closed


def test_async_with_streaming_response(rt, make_client):
    def handler(request):
        return httpx.Response(200, content=b"abc", headers={"content-type": "image/png"})

    client = make_client(Server(handler), is_async=True)
    download = op(rt, {"200": spec(rt, "image/png")})

    async def run():
        response = await client.with_streaming_response(client._call, download, {"id": 1, **_options(rt)})
        async with response:
            return b"".join([chunk async for chunk in response.parsed.aiter_bytes()])

    assert asyncio.run(run()) == b"abc"


def _options(rt):
    """The per-call options every generated method passes to `_call` (its `locals()`)."""
    given = rt.base.NOT_GIVEN
    return {"extra_headers": None, "extra_query": None, "extra_body": None, "timeout": given, "max_retries": given}


# --- errors ----------------------------------------------------------------------------------


def test_the_error_model_is_used_only_when_the_body_has_one_of_its_properties(rt, make_client, is_async):
    operation = op(rt, {"200": spec(rt, type_name="Pet"), "422": spec(rt, type_name="Detail")})
    fastapi_body = {"detail": [{"loc": ["body"], "msg": "bad"}]}
    other_body = {"problem": "no such thing"}
    client = make_client(Server(reply(422, json=fastapi_body), reply(422, json=other_body)), is_async=is_async)
    with pytest.raises(rt.errors.UnprocessableEntityError) as matched:
        call(client, operation)
    assert type(matched.value.body).__name__ == "Detail"
    with pytest.raises(rt.errors.UnprocessableEntityError) as unmatched:
        call(client, operation)
    assert unmatched.value.body == other_body  # not Detail(detail=None): the server's words stay


@pytest.mark.parametrize(
    "body, code, message",
    [
        ({"error": {"code": "rate_limit", "message": "slow down"}}, "rate_limit", "slow down"),
        ({"code": 42, "message": "nope"}, "42", "nope"),
        ({"detail": "Not Found"}, None, "Not Found"),
    ],
)
def test_every_status_error_has_code_message_and_request_id(rt, make_client, body, code, message):
    answer = reply(404, json=body, headers={"x-request-id": "req_123"})
    with pytest.raises(rt.errors.APIStatusError) as info:
        call(make_client(Server(answer)), op(rt, {"200": spec(rt, type_name="Pet")}))
    error = info.value
    assert (error.status_code, error.code, error.message, error.request_id) == (404, code, message, "req_123")
    assert error.body == body and error.headers["x-request-id"] == "req_123"
