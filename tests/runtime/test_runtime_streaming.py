"""Server-sent events: `_stream` -> `Stream` / `AsyncStream`, typed events, errors, retries.

Most tests use httpx.MockTransport; the ones about timing on the wire (events arrive while the
server is still sending, the server dropping the connection) use a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from runtime_support import runtime_names, Server, copy_runtime, reply

# Event models appended to the stand-in models.py: a discriminated union, as the generator
# emits for an event stream whose schema is a oneOf with a `type` discriminator.
EVENT_MODELS = """

from typing import Annotated, Literal


class TextDelta(BaseModel):
    type: Literal["text_delta"]
    text: str


class MessageStop(BaseModel):
    type: Literal["message_stop"]
    reason: str


StreamEvent: TypeAlias = Annotated[TextDelta | MessageStop, Field(discriminator="type")]
"""

SSE_HEADERS = {"content-type": "text/event-stream; charset=utf-8"}
JSON_HEADERS = {"content-type": "application/json"}
BASE_URL = "https://api.example.com/v1"
RELEASE_WAIT = 10.0  # only reached when the client buffers: the test then fails, never hangs


@pytest.fixture(scope="module")
def sse(tmp_path_factory: pytest.TempPathFactory, http_library: str) -> Iterator[SimpleNamespace]:
    """The runtime copied into a throwaway package whose models.py also has event models."""
    root = tmp_path_factory.mktemp("sse")
    name = f"ssepkg_{uuid.uuid4().hex[:8]}"
    package = copy_runtime(root, name)
    with (package / "models.py").open("a", encoding="utf-8") as models:
        models.write(EVENT_MODELS)
    sys.path.insert(0, str(root))
    try:
        base = runtime_names(name)
        errors = importlib.import_module(f"{name}.errors")
        models = importlib.import_module(f"{name}.models")
        responses = {
            "200": base.ResponseSpec(None, None),  # what the generator emits for an SSE-only 200
            "4XX": base.ResponseSpec("application/json", "Error"),
        }
        yield SimpleNamespace(
            base=base,
            errors=errors,
            models=models,
            op=base.Operation("GET", "/events", responses),
            post_op=base.Operation("POST", "/chat", responses, content_type="application/json"),
        )
    finally:
        sys.path.remove(str(root))


@pytest.fixture(params=["sync", "async"])
def is_async(request: pytest.FixtureRequest) -> bool:
    return bool(request.param == "async")


# --- helpers ---------------------------------------------------------------------------------


def make_client(sse: SimpleNamespace, handler: Any, *, is_async: bool, **kwargs: Any) -> Any:
    """A client on MockTransport(handler); retry waits are recorded in `client.sleeps`."""
    transport = httpx.MockTransport(handler)
    options: dict[str, Any] = dict(base_url=BASE_URL, schemes={}, credentials={}, **kwargs)
    sleeps: list[float] = []
    if is_async:
        client = sse.base.AsyncAPIClient(
            http_client=httpx.AsyncClient(transport=transport), **options
        )

        async def record(seconds: float) -> None:
            sleeps.append(seconds)

        client._sleep = record
    else:
        client = sse.base.SyncAPIClient(http_client=httpx.Client(transport=transport), **options)
        client._sleep = sleeps.append
    client.sleeps = sleeps
    return client


def events_reply(body: bytes, headers: dict[str, str] | None = None) -> Server:
    """A MockTransport server answering with one whole event-stream body (sync and async)."""
    return Server(reply(200, headers=headers or SSE_HEADERS, content=body))


def chunked_reply(
    chunks: list[bytes | Exception],
    *,
    is_async: bool,
    sent: list[bytes] | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Callable[[httpx.Request], httpx.Response]:
    """A streamed body served chunk by chunk; an Exception item is raised at that point.
    Chunks handed to the client are appended to `sent`, to see how far the body was read.
    (A bytes body would be read, and the response closed, before the client even sees it.)"""
    sent = sent if sent is not None else []

    def produce() -> Iterator[bytes]:
        for chunk in chunks:
            if isinstance(chunk, Exception):
                raise chunk
            sent.append(chunk)
            yield chunk

    async def produce_async() -> AsyncIterator[bytes]:
        for chunk in produce():
            yield chunk

    def handler(request: httpx.Request) -> httpx.Response:
        content = produce_async() if is_async else produce()
        return httpx.Response(status, headers=headers or SSE_HEADERS, content=content)

    return handler


def drain(client: Any, op: Any, **kwargs: Any) -> SimpleNamespace:
    """Opens the stream and reads it to the end; what arrived, the error that stopped it, if any,
    and the stream (None if opening it failed)."""
    result = SimpleNamespace(events=[], error=None, stream=None)
    if hasattr(client, "aclose"):  # AsyncAPIClient

        async def read() -> None:
            try:
                async with await client._stream(op, **kwargs) as stream:
                    result.stream = stream
                    async for event in stream:
                        result.events.append(event)
            except Exception as exc:  # noqa: BLE001 - the test inspects it
                result.error = exc

        asyncio.run(read())
        return result
    try:
        with client._stream(op, **kwargs) as stream:
            result.stream = stream
            for event in stream:
                result.events.append(event)
    except Exception as exc:  # noqa: BLE001 - the test inspects it
        result.error = exc
    return result


# --- typing events ---------------------------------------------------------------------------

DELTAS = (
    b'event: content\ndata: {"type": "text_delta", "text": "Hel"}\n\n'
    b'event: content\ndata: {"type": "text_delta", "text": "lo"}\n\n'
    b'data: {"type": "message_stop", "reason": "end_turn"}\n\n'
)


def test_discriminator_mapping_types_each_event(sse, is_async):
    spec = sse.base.EventSpec(
        discriminator="type",
        mapping={"text_delta": "TextDelta", "message_stop": "MessageStop"},
    )
    result = drain(make_client(sse, events_reply(DELTAS), is_async=is_async), sse.op, events=spec)
    assert result.error is None
    assert [type(event) for event in result.events] == [
        sse.models.TextDelta,
        sse.models.TextDelta,
        sse.models.MessageStop,
    ]
    assert "".join(e.text for e in result.events[:2]) == "Hello"
    assert result.events[2].reason == "end_turn"


def test_mapping_without_discriminator_uses_the_event_field(sse, is_async):
    body = b'event: delta\ndata: {"type": "text_delta", "text": "a"}\n\n'
    spec = sse.base.EventSpec(mapping={"delta": "TextDelta"})
    result = drain(make_client(sse, events_reply(body), is_async=is_async), sse.op, events=spec)
    assert result.events == [sse.models.TextDelta(type="text_delta", text="a")]


def test_single_type_name_types_every_event(sse, is_async):
    spec = sse.base.EventSpec(type_name="StreamEvent")  # a union alias
    result = drain(make_client(sse, events_reply(DELTAS), is_async=is_async), sse.op, events=spec)
    assert result.error is None
    assert [type(event).__name__ for event in result.events] == [
        "TextDelta",
        "TextDelta",
        "MessageStop",
    ]


def test_a_typed_stream_yields_only_its_types_and_skips_unknown_kinds(sse, is_async, caplog):
    body = (
        b'data: {"type": "ping"}\n\n'  # a kind the mapping does not know
        b'data: {"type": "text_delta"}\n\n'  # a known kind missing a required field
        b'data: {"type": "text_delta", "text": "ok"}\n\n'
    )
    spec = sse.base.EventSpec(discriminator="type", mapping={"text_delta": "TextDelta"})
    result = drain(make_client(sse, events_reply(body), is_async=is_async), sse.op, events=spec)
    assert result.error is None
    # The annotation says TextDelta: nothing else is yielded; what was skipped is logged.
    assert result.events == [sse.models.TextDelta(type="text_delta", text="ok")]
    assert "unknown event kind 'ping'; skipped" in caplog.text


def test_strict_responses_make_an_untypable_event_an_error(sse, is_async):
    body = b'data: {"type": "ping"}\n\ndata: {"type": "text_delta", "text": "ok"}\n\n'
    spec = sse.base.EventSpec(discriminator="type", mapping={"text_delta": "TextDelta"})
    client = make_client(sse, events_reply(body), is_async=is_async, strict_responses=True)
    result = drain(client, sse.op, events=spec)
    assert isinstance(result.error, sse.errors.APIResponseValidationError)
    assert result.error.body == {"type": "ping"}


@pytest.mark.parametrize("typed", [False, True])
def test_done_ends_the_stream_without_being_an_event(sse, is_async, typed):
    body = b'data: {"type": "text_delta", "text": "a"}\n\ndata: [DONE]\n\ndata: {"type": "x"}\n\n'
    spec = sse.base.EventSpec(type_name="TextDelta") if typed else sse.base.EventSpec()
    result = drain(make_client(sse, events_reply(body), is_async=is_async), sse.op, events=spec)
    assert result.error is None and len(result.events) == 1
    first = result.events[0]
    assert (first.text if typed else first.data["text"]) == "a"
    assert result.stream.response.is_closed


def test_the_terminators_are_configurable(sse, is_async):
    body = b"data: a\n\ndata: [DONE]\n\ndata: END\n\ndata: b\n\n"
    spec = sse.base.EventSpec(terminators=("END",))
    result = drain(make_client(sse, events_reply(body), is_async=is_async), sse.op, events=spec)
    assert [e.data for e in result.events] == ["a", "[DONE]"]


@pytest.mark.parametrize(
    "block",
    [
        b'data: {"error": {"message": "overloaded", "type": "server_error"}}\n\n',
        b'event: error\ndata: {"message": "overloaded"}\n\n',
    ],
    ids=["error-key", "error-event"],
)
def test_an_error_event_raises_api_stream_error_with_the_body(sse, is_async, block):
    body = b'data: {"type": "text_delta", "text": "a"}\n\n' + block + b"data: never\n\n"
    spec = sse.base.EventSpec(type_name="TextDelta")
    result = drain(make_client(sse, events_reply(body), is_async=is_async), sse.op, events=spec)
    assert [e.text for e in result.events] == ["a"]
    assert isinstance(result.error, sse.errors.APIStreamError)
    assert "overloaded" in str(result.error) and result.error.body is not None
    assert result.stream.response.is_closed


def test_untyped_stream_decodes_json_and_keeps_other_data_as_text(sse, is_async):
    body = (
        b": keep-alive comment\n\n"
        b'data: {"n": 1}\n\n'
        b"data: not json\n\n"
        b"data: first line\ndata:  second line\n\n"  # one leading space is stripped, not two
        b":\n"
        b"event: done\n\n"  # a named event without data is still a signal
    )
    result = drain(make_client(sse, events_reply(body), is_async=is_async), sse.op)
    Generic = sse.base.ServerSentEvent
    assert result.error is None
    assert result.events == [
        Generic(data={"n": 1}),
        Generic(data="not json"),
        Generic(data="first line\n second line"),
        Generic(event="done", data=None),
    ]


def test_id_and_retry_fields(sse, is_async):
    body = (
        b"id: 7\nretry: 1500\ndata: a\n\n"
        b"data: b\n\n"  # the last event id carries over, retry does not
        b"id\ndata: c\n\n"  # an empty id resets it
        b"id: 9\n\n"  # an id-only block updates the id and reports nothing
        b"retry: soon\ndata: d\n\n"  # a non-numeric retry is ignored
    )
    result = drain(make_client(sse, events_reply(body), is_async=is_async), sse.op)
    assert [(e.data, e.id, e.retry) for e in result.events] == [
        ("a", "7", 1500),
        ("b", "7", None),
        ("c", None, None),
        ("d", "9", None),
    ]


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_any_chunking_and_line_ending_gives_the_same_events(sse, is_async, newline):
    lines = [
        b'event: content\ndata: {"type": "text_delta", "text": "caf\xc3\xa9"}\n\n',
        b": ping\n\n",
        b"data: two\ndata: lines\n\n",
    ]
    body = b"\xef\xbb\xbf" + b"".join(lines).replace(b"\n", newline)  # with a UTF-8 BOM
    one_byte_chunks: list[bytes | Exception] = [body[i : i + 1] for i in range(len(body))]
    spec = sse.base.EventSpec()  # untyped: every event comes back, whatever its data
    whole = drain(make_client(sse, events_reply(body), is_async=is_async), sse.op, events=spec)
    client = make_client(sse, chunked_reply(one_byte_chunks, is_async=is_async), is_async=is_async)
    bytewise = drain(client, sse.op, events=spec)
    assert whole.error is None and bytewise.error is None
    assert whole.events == bytewise.events
    assert whole.events == [
        sse.base.ServerSentEvent(event="content", data={"type": "text_delta", "text": "café"}),
        sse.base.ServerSentEvent(data="two\nlines"),
    ]


def test_a_split_at_every_byte_position_gives_the_same_events(sse):
    """Two chunks, cut at each position in turn: CRLF halves, UTF-8 halves, field names, blank lines."""
    body = b'event: content\r\ndata: {"type": "text_delta", "text": "caf\xc3\xa9"}\r\n\r\n: ping\n\ndata: x\r\rdata: y\n\n'
    spec = sse.base.EventSpec()
    whole = drain(make_client(sse, events_reply(body), is_async=False), sse.op, events=spec)
    assert whole.error is None and len(whole.events) == 3
    for cut in range(1, len(body)):
        chunks: list[bytes | Exception] = [body[:cut], body[cut:]]
        split = drain(make_client(sse, chunked_reply(chunks, is_async=False), is_async=False), sse.op, events=spec)
        assert (split.error, split.events) == (None, whole.events), f"cut at byte {cut}"


# --- the end of a stream ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "tail",
    [b"data: cut", b"data: cut\n", b"event: x\ndata: cut\r\n"],
    ids=["mid-line", "no-blank-line", "crlf-no-blank-line"],
)
def test_stream_ending_mid_event_raises_api_stream_error(sse, is_async, tail):
    handler = chunked_reply([b"data: complete\n\n", tail], is_async=is_async)
    result = drain(make_client(sse, handler, is_async=is_async), sse.op)
    assert result.events == [sse.base.ServerSentEvent(data="complete")]
    assert isinstance(result.error, sse.errors.APIStreamError)
    assert "GET /v1/events -> 200: the stream ended in the middle of an event" in str(result.error)
    assert result.error.response is result.stream.response
    assert result.stream.response.is_closed


def test_stream_ending_after_a_complete_event_or_comment_is_not_an_error(sse, is_async):
    body = b"data: a\n\n: trailing comment without newline"
    result = drain(make_client(sse, events_reply(body), is_async=is_async), sse.op)
    assert result.error is None
    assert result.events == [sse.base.ServerSentEvent(data="a")]


@pytest.mark.parametrize(
    ("failure", "error_name"),
    [
        (httpx.ReadError("connection reset"), "APIConnectionError"),
        (httpx.RemoteProtocolError("peer closed connection"), "APIConnectionError"),
        (httpx.ReadTimeout("timed out"), "APITimeoutError"),
    ],
)
def test_connection_failure_while_reading_is_a_connection_error_and_not_retried(
    sse, is_async, failure, error_name
):
    server = Server(chunked_reply([b"data: a\n\n", failure], is_async=is_async))
    client = make_client(sse, server, is_async=is_async, max_retries=3)
    result = drain(client, sse.op)
    assert result.events == [sse.base.ServerSentEvent(data="a")]
    assert type(result.error) is getattr(sse.errors, error_name)
    assert "GET /v1/events (while reading the event stream)" in str(result.error)
    assert result.error.__cause__ is failure
    assert len(server.requests) == 1  # the stream had started: never replayed
    assert result.stream.response.is_closed


def test_reading_to_the_end_closes_the_response_without_a_with_block(sse):
    client = make_client(sse, chunked_reply([b"data: a\n\n"], is_async=False), is_async=False)
    stream = client._stream(sse.op)
    assert not stream.response.is_closed
    assert list(stream) == [sse.base.ServerSentEvent(data="a")]
    assert stream.response.is_closed


# --- closing ---------------------------------------------------------------------------------

ENDLESS = [b"data: 1\n\n", b"data: 2\n\n", b"data: 3\n\n", b"data: 4\n\n"]


def test_break_closes_the_response_without_reading_the_rest(sse):
    sent: list[bytes] = []
    client = make_client(
        sse, chunked_reply(list(ENDLESS), is_async=False, sent=sent), is_async=False
    )
    with client._stream(sse.op) as stream:
        for event in stream:
            if event.data == 2:
                break
    assert stream.response.is_closed
    assert sent == ENDLESS[:2]
    with pytest.raises(RuntimeError, match="the stream is closed"):
        next(stream)


def test_async_break_closes_the_response_without_reading_the_rest(sse):
    sent: list[bytes] = []
    handler = chunked_reply(list(ENDLESS), is_async=True, sent=sent)
    client = make_client(sse, handler, is_async=True)

    async def main() -> Any:
        async with await client._stream(sse.op) as stream:
            async for event in stream:
                if event.data == 2:
                    break
        assert stream.response.is_closed
        with pytest.raises(RuntimeError, match="the stream is closed"):
            await stream.__anext__()
        return stream

    asyncio.run(main())
    assert sent == ENDLESS[:2]


def test_closing_an_unread_stream_closes_the_response(sse, is_async):
    client = make_client(sse, chunked_reply([b"data: a\n\n"], is_async=is_async), is_async=is_async)
    if is_async:

        async def main() -> Any:
            stream = await client._stream(sse.op)
            await stream.aclose()
            return stream

        stream = asyncio.run(main())
    else:
        stream = client._stream(sse.op)
        stream.close()
        with pytest.raises(RuntimeError, match="the stream is closed"):
            list(stream)
    assert stream.response.is_closed


# --- before the stream starts ----------------------------------------------------------------


def test_error_status_raises_the_typed_error_with_parsed_body(sse, is_async):
    body = {"code": 404, "message": "no such conversation"}
    handler = chunked_reply(
        [json.dumps(body).encode()], is_async=is_async, status=404, headers=JSON_HEADERS
    )
    client = make_client(sse, handler, is_async=is_async)
    result = drain(client, sse.op)
    assert result.stream is None
    assert isinstance(result.error, sse.errors.NotFoundError)
    assert result.error.body == sse.models.Error(**body)
    assert "GET /v1/events -> 404: no such conversation" in str(result.error)
    assert result.error.response.is_closed


def test_success_that_is_not_an_event_stream_raises_validation_error(sse, is_async):
    handler = chunked_reply([b'{"answer": 42}'], is_async=is_async, headers=JSON_HEADERS)
    client = make_client(sse, handler, is_async=is_async)
    result = drain(client, sse.op)
    assert result.stream is None
    assert isinstance(result.error, sse.errors.APIResponseValidationError)
    assert result.error.body == {"answer": 42}
    assert "expected an event stream, got application/json" in str(result.error)
    assert result.error.response.is_closed


def test_retryable_status_is_retried_before_the_stream_starts(sse, is_async):
    server = Server(reply(503), reply(200, headers=SSE_HEADERS, content=b"data: ok\n\n"))
    client = make_client(sse, server, is_async=is_async)
    result = drain(client, sse.op)
    assert result.error is None
    assert result.events == [sse.base.ServerSentEvent(data="ok")]
    assert len(server.requests) == 2
    assert len(client.sleeps) == 1


def test_accept_asks_for_an_event_stream_unless_the_caller_overrides_it(sse, is_async):
    # The generator's Operation.accept lists only the non-stream types: it must not win.
    op = sse.base.Operation("POST", "/chat", sse.op.responses, accept="application/json")
    server = events_reply(b"data: a\n\n")
    client = make_client(sse, server, is_async=is_async)
    assert drain(client, op, body={"q": "hi"}).error is None
    assert server.last.headers["Accept"] == "text/event-stream"
    assert server.last.content == b'{"q":"hi"}'
    assert drain(client, op, extra_headers={"accept": "application/x-ndjson"}).error is None
    assert server.last.headers.get_list("Accept") == ["application/x-ndjson"]


def test_api_stream_error_lives_in_errors(sse):
    assert issubclass(sse.errors.APIStreamError, sse.errors.APIError)
    assert "APIStreamError" in sse.errors.__all__
    assert sse.base.APIStreamError is sse.errors.APIStreamError


# --- on the wire: a real HTTP server on 127.0.0.1 --------------------------------------------


class _ScriptedHandler(BaseHTTPRequestHandler):
    """Plays the server's script: bytes are written (and flushed) as they come, a
    threading.Event makes the server wait until the test sets it."""

    protocol_version = "HTTP/1.1"
    server: _ScriptedServer

    def do_GET(self) -> None:
        script = self.server
        script.accept_headers.append(self.headers.get("Accept"))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        if script.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for step in script.steps:
            if isinstance(step, threading.Event):
                script.released.append(step.wait(RELEASE_WAIT))
            elif script.chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(step), step))
            else:
                self.wfile.write(step)
        if script.chunked and script.complete:
            self.wfile.write(b"0\r\n\r\n")
        # Without a last chunk (or with a close-delimited body) this cuts the body short.
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean


class _ScriptedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, steps: tuple[Any, ...], *, chunked: bool, complete: bool) -> None:
        super().__init__(("127.0.0.1", 0), _ScriptedHandler)
        self.steps, self.chunked, self.complete = steps, chunked, complete
        self.released: list[bool] = []  # per wait: whether the test released it in time
        self.accept_headers: list[str | None] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


@contextmanager
def scripted_server(
    *steps: Any, chunked: bool = True, complete: bool = True
) -> Iterator[_ScriptedServer]:
    server = _ScriptedServer(steps, chunked=chunked, complete=complete)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        for step in steps:  # never leave a handler waiting on a failed test
            if isinstance(step, threading.Event):
                step.set()
        server.shutdown()
        server.server_close()
        thread.join()


def live_client(sse: SimpleNamespace, url: str, *, is_async: bool) -> Any:
    # trust_env=False: no proxy from the environment between the test and 127.0.0.1.
    if is_async:
        http_client: Any = httpx.AsyncClient(trust_env=False)
        return sse.base.AsyncAPIClient(
            base_url=url, schemes={}, credentials={}, http_client=http_client, max_retries=0
        )
    return sse.base.SyncAPIClient(
        base_url=url,
        schemes={},
        credentials={},
        http_client=httpx.Client(trust_env=False),
        max_retries=0,
    )


@pytest.mark.parametrize("newline", [b"\n", b"\r"], ids=["lf", "cr"])
def test_events_arrive_while_the_server_is_still_sending(sse, newline):
    # With CR line endings the event ends with a CR: it must not wait for a possible LF.
    event = b"data: %s" + newline * 2
    release = threading.Event()
    steps = (event % b"first", release, event % b"second")
    with scripted_server(*steps) as server:
        client = live_client(sse, server.url, is_async=False)
        with client._stream(sse.op) as stream:
            # The server sends "second" only after this: a buffering client would never get here
            # before the server's wait gives up.
            first = next(stream)
            release.set()
            rest = list(stream)
    assert first == sse.base.ServerSentEvent(data="first")
    assert rest == [sse.base.ServerSentEvent(data="second")]
    assert server.released == [True]
    assert server.accept_headers == ["text/event-stream"]


def test_async_events_arrive_while_the_server_is_still_sending(sse):
    release = threading.Event()
    with scripted_server(b"data: first\n\n", release, b"data: second\n\n") as server:
        client = live_client(sse, server.url, is_async=True)

        async def main() -> tuple[Any, list[Any]]:
            async with await client._stream(sse.op) as stream:
                first = await stream.__anext__()
                release.set()
                return first, [event async for event in stream]

        first, rest = asyncio.run(main())
    assert first == sse.base.ServerSentEvent(data="first")
    assert rest == [sse.base.ServerSentEvent(data="second")]
    assert server.released == [True]


def test_server_dropping_a_chunked_body_is_a_connection_error(sse, is_async):
    # The connection closes without the last chunk: the body is known to be cut short.
    with scripted_server(b"data: a\n\n", b"data: cut", complete=False) as server:
        result = drain(live_client(sse, server.url, is_async=is_async), sse.op)
    assert result.events == [sse.base.ServerSentEvent(data="a")]
    assert type(result.error) is sse.errors.APIConnectionError
    assert str(result.error) == "Connection error: GET /v1/events (while reading the event stream)"
    assert isinstance(result.error.__cause__, httpx.RemoteProtocolError)
    assert result.stream.response.is_closed


def test_server_closing_a_close_delimited_body_mid_event_is_a_stream_error(sse, is_async):
    # Without chunking or a length, closing the connection is how the body ends: only the
    # unfinished event tells a cut-off stream from a complete one.
    with scripted_server(b"data: a\n\n", b"data: cut", chunked=False) as server:
        result = drain(live_client(sse, server.url, is_async=is_async), sse.op)
    assert result.events == [sse.base.ServerSentEvent(data="a")]
    assert isinstance(result.error, sse.errors.APIStreamError)
    assert result.stream.response.is_closed
