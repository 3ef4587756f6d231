"""Response parsing, error mapping and raw responses."""

from __future__ import annotations

import logging

import httpx
import pydantic
import pytest
from runtime_support import Server, reply

PET = {"id": 1, "name": "Rex", "ownerId": "o1"}


def op(rt, responses, method="GET"):
    # `()`: anonymous calls allowed, so the calls below need no credential
    return rt.base.Operation(method, "/things/{id}", responses, security=(("apiKeyQuery",), ()))


def spec(rt, content_type="application/json", type_name=None):
    return rt.base.ResponseSpec(content_type, type_name)


# --- success -----------------------------------------------------------------------------------


def test_exact_status_parses_model(rt, make_client):
    pet = make_client(Server(reply(200, json=PET)))._request(rt.get_pet, path={"petId": 1})
    assert type(pet).__name__ == "Pet" and pet.owner_id == "o1"


def test_list_alias(rt, make_client):
    pets = make_client(Server(reply(200, json=[PET, {"id": 2, "name": "B"}])))._request(
        rt.list_pets
    )
    assert [p.name for p in pets] == ["Rex", "B"]


@pytest.mark.parametrize("key", ["2XX", "2xx", "default"])
def test_range_and_default_keys(rt, make_client, key):
    operation = op(rt, {key: spec(rt, type_name="Pet"), "404": spec(rt, type_name="Error")})
    pet = make_client(Server(reply(201, json=PET)))._request(operation, path={"id": 1})
    assert pet.name == "Rex"


def test_exact_status_beats_range_beats_default(rt, make_client):
    operation = op(
        rt,
        {"default": spec(rt, type_name="Error"), "2XX": spec(rt), "200": spec(rt, type_name="Pet")},
    )
    client = make_client(Server(reply(200, json=PET), reply(202, json={"queued": True})))
    assert client._request(operation, path={"id": 1}).name == "Rex"
    assert client._request(operation, path={"id": 1}) == {"queued": True}


def test_no_content(rt, make_client):
    client = make_client(Server(reply(204), reply(200, text="ignored"), reply(200)))
    assert client._request(rt.delete_pet, path={"petId": 1}) is None
    assert (
        client._request(op(rt, {"200": spec(rt, None)}), path={"id": 1}) is None
    )  # no body documented
    assert (
        client._request(op(rt, {"200": spec(rt, type_name="Pet")}), path={"id": 1}) is None
    )  # empty body


def test_untyped_bodies(rt, make_client):
    client = make_client(
        Server(
            reply(200, json={"a": [1]}),
            reply(200, text="plain", headers={"Content-Type": "text/plain"}),
            reply(200, content=b"\x89PNG\x00"),
            reply(200, json={"undocumented": True}),
            reply(200, text="not json", headers={"Content-Type": "application/json"}),
        )
    )
    assert client._request(op(rt, {"200": spec(rt)}), path={"id": 1}) == {"a": [1]}
    assert client._request(op(rt, {"200": spec(rt, "text/plain")}), path={"id": 1}) == "plain"
    png = client._request(op(rt, {"200": spec(rt, "image/png")}), path={"id": 1})
    assert png.read() == b"\x89PNG\x00"  # a file: a BinaryContent
    # No success documented: the method is annotated `-> None`, so it returns None, never the body.
    assert client._request(op(rt, {"404": spec(rt)}), path={"id": 1}) is None
    assert client._request(op(rt, {}), path={"id": 1}) is None


def test_success_body_that_fails_validation(rt, make_client):
    client = make_client(Server(reply(200, json={"id": "not-a-number"})))
    with pytest.raises(rt.errors.APIResponseValidationError) as info:
        client._request(rt.get_pet, path={"petId": 1})
    error = info.value
    assert isinstance(error, rt.errors.APIError)
    assert error.body == {"id": "not-a-number"}
    assert error.status_code == 200 and isinstance(error.response, httpx.Response)
    assert isinstance(error.__cause__, pydantic.ValidationError)
    assert str(error) == "GET /v1/pets/1 -> 200: response body does not match Pet"


def test_success_body_that_is_not_json(rt, make_client):
    html = {"content-type": "application/json"}
    client = make_client(Server(reply(200, text="<html>oops</html>", headers=html)))
    with pytest.raises(rt.errors.APIResponseValidationError, match="not valid JSON") as info:
        client._request(rt.get_pet, path={"petId": 1})
    assert info.value.body == "<html>oops</html>"
    assert isinstance(info.value.__cause__, ValueError)


def test_a_text_body_where_a_model_is_documented_raises_with_the_body(rt, make_client):
    client = make_client(Server(reply(200, text="<html>oops</html>")))  # text/plain
    with pytest.raises(rt.errors.APIResponseValidationError, match="does not match Pet") as info:
        client._request(rt.get_pet, path={"petId": 1})
    assert info.value.body == "<html>oops</html>" and info.value.status_code == 200


def test_raw_response(rt, make_client):
    client = make_client(Server(reply(200, json=PET, headers={"X-Request-Id": "r1"})))
    result = client._request(rt.get_pet, path={"petId": 1}, raw=True)
    assert isinstance(result, rt.base.APIResponse)
    assert result.status_code == 200 and result.headers["x-request-id"] == "r1"
    assert result.parsed.name == "Rex"
    assert result.http_response.json() == PET
    with pytest.raises(AttributeError):
        result.parsed = None  # frozen


# --- errors ------------------------------------------------------------------------------------

STATUS_CLASSES = [
    (400, "BadRequestError"),
    (401, "AuthenticationError"),
    (403, "PermissionDeniedError"),
    (404, "NotFoundError"),
    (405, "APIStatusError"),
    (409, "ConflictError"),
    (418, "APIStatusError"),
    (422, "UnprocessableEntityError"),
    (429, "RateLimitError"),
    (500, "InternalServerError"),
    (503, "InternalServerError"),
    (302, "APIStatusError"),
]


@pytest.mark.parametrize("status, class_name", STATUS_CLASSES)
def test_status_classes(rt, make_client, status, class_name):
    client = make_client(Server(reply(status, json={"message": "nope"})), max_retries=0)
    with pytest.raises(rt.errors.APIStatusError) as info:
        client._request(rt.get_pet, path={"petId": 1})
    assert type(info.value).__name__ == class_name
    assert info.value.status_code == status
    assert str(info.value) == f"GET /v1/pets/1 -> {status}: nope"


def test_documented_error_body_is_parsed(rt, make_client):
    client = make_client(
        Server(reply(404, json={"code": 7, "message": "no pet"}, headers={"X-A": "b"}))
    )
    with pytest.raises(rt.errors.NotFoundError) as info:
        client._request(rt.get_pet, path={"petId": 1})
    error = info.value
    assert type(error.body).__name__ == "Error" and error.body.code == 7
    assert error.headers["x-a"] == "b" and error.response.status_code == 404
    assert error.request is error.response.request


@pytest.mark.parametrize(
    "response, body, message",
    [
        (dict(json={"unexpected": "shape"}), {"unexpected": "shape"}, '{"unexpected":"shape"}'),
        (dict(json={"detail": "gone"}), {"detail": "gone"}, "gone"),
        (
            dict(text="upstream exploded " * 20),
            "upstream exploded " * 20,
            ("upstream exploded " * 20)[:200].strip(),
        ),
        (dict(text="{broken", headers={"Content-Type": "application/json"}), "{broken", "{broken"),
        (dict(content=b""), None, "Not Found"),
        (dict(json=["a"]), ["a"], '["a"]'),
    ],
)
def test_undocumented_or_off_spec_error_bodies(rt, make_client, response, body, message):
    client = make_client(Server(reply(404, **response)))
    with pytest.raises(rt.errors.NotFoundError) as info:
        client._request(rt.get_pet, path={"petId": 1})
    assert info.value.body == body
    assert str(info.value) == f"GET /v1/pets/1 -> 404: {message}"


@pytest.mark.parametrize(
    "body, message",
    [
        ({"message": "m", "detail": "d"}, "m"),
        (
            {"detail": [{"loc": ["body", "name"], "msg": "field required"}]},
            '[{"loc":["body","name"],"msg":"field required"}]',
        ),
        ({"error": {"message": "nested", "type": "invalid"}}, "nested"),
        ({"error": "flat"}, "flat"),
        ({"title": "Bad Request", "status": 400}, "Bad Request"),
        ({"error": {"code": 1}, "title": "t"}, "t"),
    ],
)
def test_server_message_extraction(rt, make_client, body, message):
    client = make_client(Server(reply(400, json=body)))
    with pytest.raises(rt.errors.BadRequestError) as info:
        client._request(op(rt, {"200": spec(rt)}), path={"id": "x"})
    assert str(info.value) == f"GET /v1/things/x -> 400: {message}"
    assert info.value.message == message and info.value.body == body


def test_credentials_never_leak(rt, make_client, caplog):
    caplog.set_level(logging.DEBUG)
    secrets = {
        "apiKeyQuery": "sk-query-123",
        "bearerAuth": "sk-bearer-456",
        "basicAuth": ("u", "pw-789"),
    }
    server = Server(
        reply(500),
        reply(401, json={"message": "invalid key sk-query-123 (bearer sk-bearer-456, pw-789)"}),
    )
    client = make_client(server, credentials=secrets)
    with pytest.raises(rt.errors.AuthenticationError) as info:
        client._request(op(rt, {"200": spec(rt)}), path={"id": 1})
    assert server.last.url.params["api_key"] == "sk-query-123"  # it was sent...
    texts = [repr(client), str(client), str(info.value), repr(info.value), caplog.text]
    texts += [record.getMessage() for record in caplog.records]
    assert "api_key=REDACTED" in caplog.text  # httpx logged the URL, redacted
    assert "Retrying GET /v1/things/1 after status 500" in caplog.text
    for text in texts:
        for secret in ("sk-query-123", "sk-bearer-456", "pw-789"):
            assert secret not in text
    assert str(info.value) == "GET /v1/things/1 -> 401: invalid key *** (bearer ***, ***)"
    assert repr(client) == "SyncAPIClient(base_url='https://api.example.com/v1')"


def test_short_credentials_do_not_garble_messages(rt, make_client):
    client = make_client(
        Server(reply(403, json={"message": "key k is not allowed"})),
        credentials={"apiKeyQuery": "k"},
    )
    with pytest.raises(rt.errors.PermissionDeniedError, match="403: key k is not allowed"):
        client._request(op(rt, {"200": spec(rt)}), path={"id": 1})
