"""The HTTP clients every generated client builds on, and the names generated code imports.

Request building and response handling live in the modules next to this one (`_encoding`,
`_responses`, `_retries`, `_client_base`); `SyncAPIClient` and `AsyncAPIClient` differ only in the
loop that sends a request and retries it. Streaming (`_streaming`) and credential (`_auth`) code is
imported only by the calls and clients that need it.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, ParamSpec, Self, TypeVar, cast

from ._http import httpx

from ._client_base import Timeout, _BaseClient
from ._encoding import FileTypes, to_jsonable
from ._logging import log_request, log_response
from ._responses import _RAW_RESPONSES, _capture, _connection_error, _raw_response
from ._retries import _should_retry
from ._types import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    APIResponse,
    NotGiven,
    Operation,
    ResponseSpec,
    SecurityScheme,
    _request_parts,
    resolve_base_url,
)

if TYPE_CHECKING:
    from ._auth import Credential
    from ._streaming import AsyncStream, EventSpec, Stream

__all__ = [
    "NotGiven",
    "NOT_GIVEN",
    "SecurityScheme",
    "ResponseSpec",
    "Operation",
    "APIResponse",
    "FileTypes",
    "SyncAPIClient",
    "AsyncAPIClient",
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_RETRIES",
    "resolve_base_url",
    "to_jsonable",
]

_T = TypeVar("_T")
_R = TypeVar("_R")
_P = ParamSpec("_P")


class SyncAPIClient(_BaseClient[httpx.Client]):
    _group_class = "Sync"

    def __init__(
        self,
        *,
        base_url: str,
        schemes: Mapping[str, SecurityScheme],
        credentials: Mapping[str, Credential],
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            schemes=schemes,
            credentials=credentials,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=http_client,
        )

    def _new_http_client(self) -> httpx.Client:
        return httpx.Client(timeout=self.timeout)

    def _sleep(self, seconds: float) -> None:
        time.sleep(seconds)  # an attribute, so tests can record the waits instead

    def _request(
        self,
        op: Operation[Any],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        cookies: Mapping[str, Any] | None = None,
        body: Any = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        raw: bool = False,
    ) -> Any:
        request = self._build_request(
            op, path, query, headers, cookies, body, extra_headers, extra_query, timeout, extra_body
        )
        return self._finish(op, self._send(op, request, max_retries, stream=False), raw)

    def _call(self, op: Operation[_T], args: Mapping[str, Any]) -> _T:
        """What every generated method does: its arguments (`locals()`) placed as `op` says."""
        return cast(_T, self._request(op, **_request_parts(op, args, False)))

    def _call_stream(
        self, op: Operation[Any], events: EventSpec, args: Mapping[str, Any]
    ) -> Stream[Any]:
        return self._stream(op, events=events, **_request_parts(op, args, True))

    def _stream(
        self,
        op: Operation[Any],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        cookies: Mapping[str, Any] | None = None,
        body: Any = NOT_GIVEN,
        events: EventSpec | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Stream[Any]:
        from ._streaming import Stream, EventSpec, _accepting_events, _is_event_stream

        headers_ = _accepting_events(extra_headers)
        request = self._build_request(
            op, path, query, headers, cookies, body, headers_, extra_query, timeout, extra_body
        )
        response = self._send(op, request, max_retries, stream=True)
        _capture(response)
        if _is_event_stream(response):
            return Stream(response, events or EventSpec())
        try:
            response.read()
        except httpx.RequestError as exc:
            raise _connection_error(request, exc) from exc
        finally:
            response.close()
        raise self._not_a_stream(op, response)

    def _send(
        self,
        op: Operation[Any],
        request: httpx.Request,
        max_retries: int | NotGiven,
        *,
        stream: bool,
    ) -> httpx.Response:
        """The first response that is not worth retrying, or the last one."""
        retries = self._retries_for(op, request, max_retries)
        source, rejected = self._token_source_for(op), None
        attempt = 0
        while True:
            try:
                if source is not None:  # the current token, fetched or renewed if need be
                    token = source.sync_token(self._client, rejected)
                    request.headers["Authorization"] = f"Bearer {token}"
                log_request(request, self._redaction)
                response = self._client.send(request, stream=stream)
            except httpx.RequestError as exc:
                if attempt >= retries or not isinstance(exc, httpx.TransportError):
                    raise _connection_error(request, exc) from exc
                self._sleep(self._retry_wait(request, attempt, None))
            else:
                log_response(response, self._redaction, streamed=stream)
                if source is not None and response.status_code == 401 and rejected is None:
                    rejected = token  # once: a token revoked or expired early is renewed
                    response.close()
                    continue
                if attempt >= retries or not _should_retry(response):
                    return response
                response.close()
                self._sleep(self._retry_wait(request, attempt, response))
            attempt += 1

    def with_raw_response(
        self, method: Callable[_P, _R], /, *args: _P.args, **kwargs: _P.kwargs
    ) -> APIResponse[_R]:
        """Call `method` (an operation method of this client) with the arguments, and return its
        result together with the HTTP status and headers: `client.with_raw_response(client.op, ...)`.
        """
        captured: list[httpx.Response] = []
        token = _RAW_RESPONSES.set(captured)
        try:
            parsed = method(*args, **kwargs)
        finally:
            _RAW_RESPONSES.reset(token)
        return _raw_response(method, captured, parsed)

    def close(self) -> None:
        if self._owns_client and self._http is not None:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncAPIClient(_BaseClient[httpx.AsyncClient]):
    _group_class = "Async"

    def __init__(
        self,
        *,
        base_url: str,
        schemes: Mapping[str, SecurityScheme],
        credentials: Mapping[str, Credential],
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            schemes=schemes,
            credentials=credentials,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=http_client,
        )

    def _new_http_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self.timeout)

    async def _sleep(self, seconds: float) -> None:
        import anyio  # lazily: only async users pay for it; works under asyncio and trio

        await anyio.sleep(seconds)

    async def _request(
        self,
        op: Operation[Any],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        cookies: Mapping[str, Any] | None = None,
        body: Any = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        raw: bool = False,
    ) -> Any:
        request = self._build_request(
            op, path, query, headers, cookies, body, extra_headers, extra_query, timeout, extra_body
        )
        return self._finish(op, await self._send(op, request, max_retries, stream=False), raw)

    async def _call(self, op: Operation[_T], args: Mapping[str, Any]) -> _T:
        """What every generated method does: its arguments (`locals()`) placed as `op` says."""
        return cast(_T, await self._request(op, **_request_parts(op, args, False)))

    async def _call_stream(
        self, op: Operation[Any], events: EventSpec, args: Mapping[str, Any]
    ) -> AsyncStream[Any]:
        return await self._stream(op, events=events, **_request_parts(op, args, True))

    async def _stream(
        self,
        op: Operation[Any],
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        cookies: Mapping[str, Any] | None = None,
        body: Any = NOT_GIVEN,
        events: EventSpec | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncStream[Any]:
        from ._streaming import (
            AsyncStream,
            EventSpec,
            _accepting_events,
            _is_event_stream,
        )

        headers_ = _accepting_events(extra_headers)
        request = self._build_request(
            op, path, query, headers, cookies, body, headers_, extra_query, timeout, extra_body
        )
        response = await self._send(op, request, max_retries, stream=True)
        _capture(response)
        if _is_event_stream(response):
            return AsyncStream(response, events or EventSpec())
        try:
            await response.aread()
        except httpx.RequestError as exc:
            raise _connection_error(request, exc) from exc
        finally:
            await response.aclose()
        raise self._not_a_stream(op, response)

    async def _send(
        self,
        op: Operation[Any],
        request: httpx.Request,
        max_retries: int | NotGiven,
        *,
        stream: bool,
    ) -> httpx.Response:
        """The first response that is not worth retrying, or the last one."""
        retries = self._retries_for(op, request, max_retries)
        source, rejected = self._token_source_for(op), None
        attempt = 0
        while True:
            try:
                if source is not None:  # the current token, fetched or renewed if need be
                    token = await source.async_token(self._client, rejected)
                    request.headers["Authorization"] = f"Bearer {token}"
                log_request(request, self._redaction)
                response = await self._client.send(request, stream=stream)
            except httpx.RequestError as exc:
                if attempt >= retries or not isinstance(exc, httpx.TransportError):
                    raise _connection_error(request, exc) from exc
                await self._sleep(self._retry_wait(request, attempt, None))
            else:
                log_response(response, self._redaction, streamed=stream)
                if source is not None and response.status_code == 401 and rejected is None:
                    rejected = token  # once: a token revoked or expired early is renewed
                    await response.aclose()
                    continue
                if attempt >= retries or not _should_retry(response):
                    return response
                await response.aclose()
                await self._sleep(self._retry_wait(request, attempt, response))
            attempt += 1

    async def with_raw_response(
        self,
        method: Callable[_P, Awaitable[_R]],
        /,
        *args: _P.args,
        **kwargs: _P.kwargs,
    ) -> APIResponse[_R]:
        """Await `method` (an operation method of this client) with the arguments, and return its
        result together with the HTTP status and headers."""
        captured: list[httpx.Response] = []
        token = _RAW_RESPONSES.set(captured)
        try:
            parsed = await method(*args, **kwargs)
        finally:
            _RAW_RESPONSES.reset(token)
        return _raw_response(method, captured, parsed)

    async def aclose(self) -> None:
        if self._owns_client and self._http is not None:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
