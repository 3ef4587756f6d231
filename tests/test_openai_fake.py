"""The client generated from OpenAI's own spec (tests/large/openai) against a fake OpenAI-shaped server
on loopback (tests/openai_fake.py): streams end at `[DONE]` and fail on an error event, a POST survives
429/503, a new enum value is kept, file contents served as CSV / JSON lines come back as text, errors
carry code and request id, and a missing key is caught before anything is sent. Every returned value is
checked against the method's return annotation at run time.

The calls go through `CALLS` below, so a rename of the generated methods touches one place.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import typing
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pydantic
import pytest

import golden_large
import openai_fake
from resource_paths import method_of

pytestmark = pytest.mark.slow  # builds a large spec, runs mypy, starts servers or makes a venv

# The generated methods this test uses, by their path through the resource tree.
CALLS = SimpleNamespace(
    chat="chat.completions.create",
    chat_stream="chat.completions.create_stream",
    upload="files.create",
    download="files.content",
)


MESSAGES = [{"role": "user", "content": "hi"}]


@pytest.fixture(scope="session")
def openai(tmp_path_factory: pytest.TempPathFactory) -> typing.Iterator[ModuleType]:
    """The OpenAI client, generated from tests/large/openai into a temporary folder and imported."""
    root = tmp_path_factory.mktemp("openai")
    golden_large.write_package("openai", root)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("openai_client")
    finally:
        sys.path.remove(str(root))


@pytest.fixture
def server() -> typing.Iterator[openai_fake.FakeServer]:
    with openai_fake.running() as running:
        yield running


@pytest.fixture(autouse=True)
def _no_key_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def checked(openai: ModuleType, client: Any, name: str, value: Any) -> Any:
    """`value`, after checking it against the return annotation of `client.<name>`."""
    method = method_of(client, name)
    names: dict[str, Any] = {}
    for module_name in ("openai_client.models", "openai_client.params"):  # what the annotations name
        module = importlib.import_module(module_name)
        names |= {attr: getattr(module, attr) for attr in dir(module) if not attr.startswith("_")}
    # Only the return annotation (a string: the package uses `from __future__ import annotations`); the
    # arguments' request types are written for type checkers, not for evaluation at run time.
    hint = eval(method.__annotations__["return"], {**method.__globals__, **names})
    origin = typing.get_origin(hint)
    if origin is not None and origin.__name__ in ("Stream", "AsyncStream"):
        assert isinstance(value, origin), (name, value)
        return value
    pydantic.TypeAdapter(hint).validate_python(value, strict=True)  # a model instance, not a dict
    return value


def call(openai: ModuleType, client: Any, name: str, **kwargs: Any) -> Any:
    result = method_of(client, name)(**kwargs)
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    return checked(openai, client, name, result)


def sync_client(openai: ModuleType, server: openai_fake.FakeServer, **kwargs: Any) -> Any:
    return openai.Client(base_url=server.base_url, **{"api_key": "sk-test", **kwargs})


def read_stream(openai: ModuleType, server: openai_fake.FakeServer, flavour: str, model: str) -> SimpleNamespace:
    """Events of a chat stream and the error that ended it, with the sync or the async client."""
    result = SimpleNamespace(events=[], error=None)
    if flavour == "sync":
        client = sync_client(openai, server)
        try:
            with call(openai, client, CALLS.chat_stream, model=model, messages=MESSAGES) as stream:
                result.events.extend(stream)
        except openai.APIError as exc:
            result.error = exc
        return result

    async def read() -> None:
        client = openai.AsyncClient(base_url=server.base_url, api_key="sk-test")
        stream = await method_of(client, CALLS.chat_stream)(model=model, messages=MESSAGES)
        checked(openai, client, CALLS.chat_stream, stream)
        try:
            async with stream:
                async for event in stream:
                    result.events.append(event)
        except openai.APIError as exc:
            result.error = exc
        await client.aclose()

    asyncio.run(read())
    return result


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_a_chat_stream_ends_at_done_with_only_typed_chunks(openai, server, flavour):
    result = read_stream(openai, server, flavour, "m")
    assert result.error is None
    assert all(isinstance(e, openai.CreateChatCompletionStreamResponse) for e in result.events)
    assert "".join(e.choices[0].delta.content for e in result.events) == "Hello"


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_an_error_in_the_middle_of_a_stream_raises(openai, server, flavour):
    result = read_stream(openai, server, flavour, "mid-error")
    assert [e.choices[0].delta.content for e in result.events] == ["Hel"]
    assert isinstance(result.error, openai.APIStreamError)
    assert result.error.body["error"]["message"] == "The server had an error"


def test_a_post_is_retried_after_429_and_503(openai, server):
    server.flaky_failures = [429, 503]
    completion = call(openai, sync_client(openai, server), CALLS.chat, model="flaky", messages=MESSAGES)
    assert completion.choices[0].message.content == "hi"
    assert [headers.get("x-retry-count") for _, _, headers in server.requests] == [None, "1", "2"]


def test_a_new_enum_value_in_a_response_is_kept_unless_strict(openai, server):
    client = sync_client(openai, server)
    uploaded = call(openai, client, CALLS.upload, file=("evals.jsonl", b"{}\n"), purpose="evals")
    assert isinstance(uploaded, openai.OpenAiFile) and uploaded.purpose == "evals"
    strict = sync_client(openai, server, strict_responses=True)
    with pytest.raises(openai.APIResponseValidationError) as info:
        method_of(strict, CALLS.upload)(file=("evals.jsonl", b"{}\n"), purpose="evals")
    assert info.value.body["purpose"] == "evals"


@pytest.mark.parametrize("file_id, content", [("file-csv", openai_fake.CSV), ("file-jsonl", openai_fake.JSONL)])
def test_file_content_documented_as_json_comes_back_as_the_text_it_is(openai, server, file_id, content):
    # The spec says `application/json` with a string schema; the server sends CSV or JSON lines.
    assert call(openai, sync_client(openai, server), CALLS.download, file_id=file_id) == content


def test_status_errors_carry_code_message_and_request_id(openai, server):
    with pytest.raises(openai.NotFoundError) as info:
        method_of(sync_client(openai, server), CALLS.download)(file_id="file-missing")
    error = info.value
    assert (error.status_code, error.code, error.message) == (404, "not_found", "No such File object")
    assert error.request_id == "req_1" and error.body["error"]["type"] == "invalid_request_error"


def test_a_missing_key_is_caught_before_sending_and_openai_api_key_is_read(openai, server, monkeypatch):
    client = openai.Client(base_url=server.base_url)
    with pytest.raises(openai.MissingCredentialsError, match=r"api_key=\.\.\. \(or OPENAI_API_KEY\)"):
        method_of(client, CALLS.chat)(model="m", messages=MESSAGES)
    assert server.requests == []
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    completion = call(openai, openai.Client(base_url=server.base_url), CALLS.chat, model="m", messages=MESSAGES)
    assert completion.id == "c1"


def test_the_generated_package_is_where_the_test_expects(openai):
    assert Path(openai.__file__).parent.name == "openai_client"
