"""Server-Sent Events: `Stream` / `AsyncStream` type the events of a streamed response as they
arrive. Imported only by packages and calls that stream."""

from __future__ import annotations

import codecs
import json
import logging
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Generic, Self, TypeVar

from ._http import aiter_sse, httpx, iter_sse

from ._media import is_error_event, media_type
from ._responses import _connection_error, _server_fields, _where, validate
from ._types import PACKAGE
from .errors import APIResponseValidationError, APIStreamError

if TYPE_CHECKING:
    from ._http import ServerSentEvent as _RawEvent

__all__ = ["EventSpec", "ServerSentEvent", "Stream", "AsyncStream", "APIStreamError"]

_log = logging.getLogger(PACKAGE)
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class EventSpec:
    """How the events of a stream are typed, as the generator emitted it."""

    type_name: str | None = None  # attribute of <pkg>.models (a model or a union); None: untyped
    discriminator: str | None = None  # property of the JSON data naming the kind; None: `event:`
    mapping: Mapping[str, str] = field(default_factory=dict)  # kind -> attribute of <pkg>.models
    # `data:` values that end the stream without being an event (`x-clientgen-stream-terminator`).
    terminators: tuple[str, ...] = ("[DONE]",)

    @property
    def typed(self) -> bool:
        """The spec types every event: the stream yields only those types."""
        return self.type_name is not None or bool(self.mapping)


@dataclass(frozen=True, slots=True)
class ServerSentEvent:
    """An event no model fits (or of an untyped stream); `data` is decoded JSON, else the text."""

    event: str = "message"
    id: str | None = None  # the last `id:` the stream sent, as the SSE format defines it
    retry: int | None = None
    data: Any = None


_EVENT_STREAM: Final = "text/event-stream"
_CLOSED_STREAM: Final = "the stream is closed: read its events before leaving its `with` block"
_READING: Final = " (while reading the event stream)"


class _EventSourceInput:
    """What httpx-sse reads from: the response's bytes as UTF-8 text (the SSE format is always UTF-8
    whatever the charset says; a leading BOM is dropped), followed by a sentinel event.

    httpx-sse parses the format, but silently drops an event the stream ended in the middle of. The
    sentinel (`data: <random token>`, after completing a partial last line) makes that visible: after a
    clean end it arrives alone; after a cut it arrives merged with the unfinished event.
    """

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self.headers = httpx.Headers({"content-type": _EVENT_STREAM})
        self.request = response.request  # httpx2's parser names it in its errors
        self.token = uuid.uuid4().hex
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
        self._line_open = False  # the text so far ends inside a line
        self._after_cr = False  # ... or with a CR, whose LF may start the next chunk

    def _text(self, chunk: bytes, final: bool = False) -> str:
        text = self._decoder.decode(chunk, final)
        # Line breaks become LF here: a CR ends its line at once (httpx-sse would hold a trailing CR
        # back until the next chunk shows whether an LF follows, delaying the event it ends).
        if self._after_cr and text.startswith("\n"):
            text = text[1:]
        if text:
            self._after_cr = text.endswith("\r")
            self._line_open = text[-1] not in "\r\n"
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def _sentinel(self) -> str:
        return ("\n" if self._line_open else "") + f"data: {self.token}\n\n"

    def iter_text(self) -> Generator[str, None, None]:
        for chunk in self._response.iter_bytes():
            if text := self._text(chunk):
                yield text
        yield self._text(b"", final=True) + self._sentinel()

    async def aiter_text(self) -> AsyncGenerator[str, None]:
        async for chunk in self._response.aiter_bytes():
            if text := self._text(chunk):
                yield text
        yield self._text(b"", final=True) + self._sentinel()


class _EventReader:
    """httpx-sse's raw events in, typed events out; raises when the stream stopped mid-event, which
    must not pass for a shorter, complete one."""

    def __init__(self, response: httpx.Response, spec: EventSpec, strict: bool) -> None:
        self._response, self._spec, self._strict = response, spec, strict
        self.source = _EventSourceInput(response)

    def raw_events(self) -> Iterator[_RawEvent]:
        return iter_sse(self.source)  # the chosen HTTP library's SSE parser (see `_http`)

    def araw_events(self) -> AsyncIterator[_RawEvent]:
        return aiter_sse(self.source)

    def typed(self, raw: _RawEvent) -> Any:
        """The event to yield; `_SKIP` for nothing to report (id/retry-only blocks, the sentinel,
        an event a typed stream cannot type); `_END` for a terminator such as `[DONE]`.
        """
        token = self.source.token
        if raw.data == token or raw.data.endswith("\n" + token):
            if raw.data != token or raw.event not in ("", "message"):
                message = f"{_where(self._response)}: the stream ended in the middle of an event"
                raise APIStreamError(message, response=self._response)
            return _SKIP
        if raw.data.strip() in self._spec.terminators:
            return _END
        if not raw.data and raw.event == "message":
            return _SKIP  # httpx-sse reports blocks that only set `id:` or `retry:`
        try:
            data: Any = json.loads(raw.data) if raw.data else None
        except ValueError:
            data = raw.data
        _raise_error_event(self._response, _event_kind(self._spec, raw.event, data), data)
        event = ServerSentEvent(raw.event or "message", raw.id or None, raw.retry, data)
        if not self._spec.typed:
            return event
        return self._validated(event) if raw.data else _SKIP  # a bare `event:` is a signal

    def _validated(self, event: ServerSentEvent) -> Any:
        kind = _event_kind(self._spec, event.event, event.data)
        type_name = self._spec.mapping.get(kind, self._spec.type_name)
        from pydantic import ValidationError

        try:
            if type_name is not None:
                return validate(type_name, event.data, self._strict)
            problem = f"unknown event kind {kind!r}"
        except ValidationError:
            problem = f"{kind!r} event does not match {type_name}"
        if self._strict:
            message = f"{_where(self._response)}: {problem}"
            raise APIResponseValidationError(message, response=self._response, body=event.data)
        # A server may add kinds before the spec catches up: skipped (the annotation stays true).
        _log.warning("%s: %s; skipped", _where(self._response), problem)
        return _SKIP


def _raise_error_event(response: httpx.Response, event: str, data: Any) -> None:
    """An `error` event (the `event:` field, or the discriminator's kind), or data carrying a
    top-level `error`, ends the stream with APIStreamError."""
    if not is_error_event(event, data):
        return
    error = data.get("error") if isinstance(data, dict) else None
    _, message = _server_fields(data)
    text = message or (error if isinstance(error, str) else None) or json.dumps(data)[:200]
    raise APIStreamError(f"{_where(response)}: error event: {text}", response=response, body=data)


_SKIP: Final = object()
_END: Final = object()


def _event_kind(spec: EventSpec, event: str, data: Any) -> str:
    """The discriminator property of the data when it has one, else the `event:` field."""
    kind = data.get(spec.discriminator) if spec.discriminator and isinstance(data, dict) else None
    return kind if isinstance(kind, str) else event


class Stream(Generic[_T]):
    """The events of a streamed response, typed as they arrive. Use it in a `with` block: leaving
    it, close() or reading the last event closes the response."""

    def __init__(self, response: httpx.Response, events: EventSpec, strict: bool = False) -> None:
        self.response = response
        self._closed = False
        self._iterator = self._iter_events(_EventReader(response, events, strict))

    def _iter_events(self, reader: _EventReader) -> Generator[_T, None, None]:
        try:
            for raw in reader.raw_events():
                event = reader.typed(raw)
                if event is _END:
                    break
                if event is not _SKIP:
                    yield event
        except httpx.RequestError as exc:
            raise _connection_error(self.response.request, exc, _READING) from exc
        finally:
            self.response.close()

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> _T:
        if self._closed:
            raise RuntimeError(_CLOSED_STREAM)
        return next(self._iterator)

    def close(self) -> None:
        self._closed = True
        self._iterator.close()
        self.response.close()  # the generator only closes it if it had started

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncStream(Generic[_T]):
    """`Stream` for `AsyncAPIClient`: use it in an `async with` block."""

    def __init__(self, response: httpx.Response, events: EventSpec, strict: bool = False) -> None:
        self.response = response
        self._closed = False
        self._iterator = self._iter_events(_EventReader(response, events, strict))

    async def _iter_events(self, reader: _EventReader) -> AsyncGenerator[_T, None]:
        try:
            async for raw in reader.araw_events():
                event = reader.typed(raw)
                if event is _END:
                    break
                if event is not _SKIP:
                    yield event
        except httpx.RequestError as exc:
            raise _connection_error(self.response.request, exc, _READING) from exc
        finally:
            await self.response.aclose()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> _T:
        if self._closed:
            raise RuntimeError(_CLOSED_STREAM)
        return await self._iterator.__anext__()

    async def aclose(self) -> None:
        self._closed = True
        await self._iterator.aclose()
        await self.response.aclose()  # the generator only closes it if it had started

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


def _is_event_stream(response: httpx.Response) -> bool:
    media = media_type(response.headers.get("content-type"))
    return response.is_success and media in (
        _EVENT_STREAM,
        "",
    )  # "": some proxies drop it


def _accepting_events(extra_headers: Mapping[str, str] | None) -> httpx.Headers:
    """extra_headers plus `Accept: text/event-stream` unless they set Accept themselves.
    `Operation.accept` cannot carry it: the generator lists only the non-stream content types.
    """
    headers = httpx.Headers({"Accept": _EVENT_STREAM})
    headers.update(extra_headers or {})
    return headers
