"""Everyday client options (issue 19): `extra_body`, `with_options`, request logging with credentials
redacted. Like every runtime test, these run on httpx2 and on httpx."""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Iterator

import pytest
from runtime_support import Server, reply

PET = {"id": 1, "name": "Rex"}
TOKEN = "tok-very-secret-123"
API_KEY = "key-also-secret-456"


def sent_json(server: Server) -> object:
    return json.loads(server.last.content)


def test_extra_body_merges_into_the_json_body_and_wins(rt, make_client):
    server = Server(reply(201, json=PET))
    client = make_client(server)
    client._request(rt.create_pet, body={"name": "Rex", "tag": "a"}, extra_body={"tag": "b", "x": [1]})
    assert sent_json(server) == {"name": "Rex", "tag": "b", "x": [1]}
    pet = importlib.import_module(f"{rt.name}.models").Pet(id=1, name="Rex")
    client._request(rt.create_pet, body=pet, extra_body={"color": "red"})
    assert sent_json(server) == {"id": 1, "name": "Rex", "color": "red"}
    client._request(rt.create_pet, extra_body={"only": True})
    assert sent_json(server) == {"only": True}
    with pytest.raises(TypeError, match="extra_body needs an object request body, not list"):
        client._request(rt.create_pet, body=[1, 2], extra_body={"x": 1})


@pytest.mark.parametrize("call_timeout", ["client's", 4.0, None])
def test_timeouts_with_an_http_client_of_the_other_library(rt, call_timeout):
    """A package for one library takes the other's client: timeouts are that client's kind."""
    other = importlib.import_module("httpx" if rt.httpx.__name__ == "httpx2" else "httpx2")
    sent = []

    def handle(request):
        sent.append(request)
        return other.Response(200, json=PET)

    http = other.Client(transport=other.MockTransport(handle), timeout=7.0)
    client = rt.base.SyncAPIClient(
        base_url="https://api.example.com/v1", schemes={}, credentials={}, http_client=http
    )
    timeout = rt.base.NOT_GIVEN if call_timeout == "client's" else call_timeout
    client._request(rt.get_pet, path={"petId": 1}, timeout=timeout)
    expected = 7.0 if call_timeout == "client's" else call_timeout
    assert sent[-1].extensions["timeout"] == other.Timeout(expected).as_dict()


def test_with_options_is_a_configured_copy_sharing_the_pool(rt, make_client):
    server = Server(reply(503), reply(200, json=PET))
    client = make_client(server, max_retries=2)
    quick = client.with_options(timeout=3.0, max_retries=0, default_headers={"X-Trace": "1"})
    assert quick._client is client._client  # one connection pool
    with pytest.raises(rt.errors.InternalServerError):
        quick._request(rt.get_pet, path={"petId": 1})  # no retry on the copy
    assert server.last.extensions["timeout"] == rt.httpx.Timeout(3.0).as_dict()
    assert server.last.headers["X-Trace"] == "1"
    assert client._request(rt.get_pet, path={"petId": 1}).name == "Rex"  # the original still retries
    assert "X-Trace" not in server.last.headers and (client.max_retries, client.timeout) != (0, 3.0)
    quick.close()
    assert not client._client.is_closed  # the copy does not own the pool
    client.close()


@pytest.fixture
def package_logs(rt) -> Iterator[logging.Logger]:
    logger = logging.getLogger(rt.name)
    before = (logger.level, list(logger.handlers))
    yield logger
    logger.setLevel(before[0])
    logger.handlers[:] = before[1]


def test_debug_logging_redacts_credentials(rt, make_client, caplog, package_logs):
    server = Server(reply(200, json={**PET, "echo": TOKEN}))
    client = make_client(server, credentials={"bearerAuth": TOKEN, "apiKeyQuery": API_KEY})
    query_op = rt.base.Operation("GET", "/pets/{petId}", rt.get_pet.responses, security=(("apiKeyQuery",),))
    with caplog.at_level(logging.DEBUG, logger=rt.name):
        client._request(rt.get_pet, path={"petId": 1}, extra_headers={"Cookie": "sid=abc123"})
        client._request(query_op, path={"petId": 2})
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "GET https://api.example.com/v1/pets/1 -> 200 OK" in text
    assert "authorization: [REDACTED]" in text and "cookie: [REDACTED]" in text
    assert "api_key=%5BREDACTED%5D" in text  # the query parameter, in the URL
    assert "Response body:" in text and '"echo":"[REDACTED]"' in text.replace(" ", "")
    assert TOKEN not in text and API_KEY not in text and "abc123" not in text


def test_info_logging_is_one_line_per_exchange(rt, make_client, caplog, package_logs):
    server = Server(reply(200, json=PET))
    with caplog.at_level(logging.INFO, logger=rt.name):
        make_client(server)._request(rt.get_pet, path={"petId": 1})
    assert [r.getMessage() for r in caplog.records] == ["HTTP GET https://api.example.com/v1/pets/1 -> 200 OK"]


def test_the_log_variable_switches_logging_on(rt, monkeypatch, package_logs, capfd):
    class Client(rt.base.SyncAPIClient):
        _log_env = "RT_LOG"

    transport = rt.httpx.MockTransport(Server(reply(200, json=PET)))
    options = dict(base_url="https://x", schemes={}, credentials={})
    Client(http_client=rt.httpx.Client(transport=transport), **options)._request(rt.get_pet, path={"petId": 1})
    assert package_logs.level == logging.NOTSET and capfd.readouterr().err == ""  # off by default
    monkeypatch.setenv("RT_LOG", "info")
    Client(http_client=rt.httpx.Client(transport=transport), **options)._request(rt.get_pet, path={"petId": 1})
    assert package_logs.level == logging.INFO
    assert "GET https://x/pets/1 -> 200 OK" in capfd.readouterr().err
