"""The blocking client: sends a request, retries it, and hands back the parsed result."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, ParamSpec, Self, TypeVar, cast

from ._http import httpx

from ._client_base import Timeout, _BaseClient
from ._logging import log_request, log_response
from ._responses import (
    _RAW_RESPONSES,
    _STREAMING,
    _capture,
    _connection_error,
    _raw_response,
    file_response,
)
from ._retries import RETRY_COUNT_HEADER, should_retry_error, should_retry_status
from ._types import (
    DEFAULT_MAX_RETRIES,
    NOT_GIVEN,
    APIResponse,
    NotGiven,
    Operation,
    SecurityScheme,
    _request_parts,
)

if TYPE_CHECKING:
    from ._auth import Credential
    from ._streaming import EventSpec, Stream


_T = TypeVar("_T")
_R = TypeVar("_R")
_P = ParamSpec("_P")


class SyncAPIClient(_BaseClient[httpx.Client]):
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
        idempotency_keys: bool = False,
        strict_responses: bool = False,
    ) -> None:
        super().__init__(
            base_url=base_url,
            schemes=schemes,
            credentials=credentials,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            http_client=http_client,
            idempotency_keys=idempotency_keys,
            strict_responses=strict_responses,
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
            op,
            path,
            query,
            headers,
            cookies,
            body,
            extra_headers,
            extra_query,
            timeout,
            extra_body,
        )
        streaming = _STREAMING.get()
        response = self._send(op, request, max_retries, stream=streaming)
        if streaming:
            if file_response(op, response):
                return self._unread(response, raw)
            self._read(request, response)
        return self._finish(op, response, raw)

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
            op,
            path,
            query,
            headers,
            cookies,
            body,
            headers_,
            extra_query,
            timeout,
            extra_body,
        )
        response = self._send(op, request, max_retries, stream=True)
        _capture(response)
        if _is_event_stream(response):
            return Stream(response, events or EventSpec(), self.strict_responses)
        self._read(request, response)
        raise self._not_a_stream(op, response)

    @staticmethod
    def _read(request: httpx.Request, response: httpx.Response) -> None:
        try:
            response.read()
        except httpx.RequestError as exc:
            raise _connection_error(request, exc) from exc
        finally:
            response.close()

    def _send(
        self,
        op: Operation[Any],
        request: httpx.Request,
        max_retries: int | NotGiven,
        *,
        stream: bool,
    ) -> httpx.Response:
        """The first response that is not worth retrying, or the last one."""
        retries = self._retries_for(max_retries)
        replay_safe = self._replay_safe(op, request)
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
                if attempt >= retries or not should_retry_error(exc, replay_safe):
                    raise _connection_error(request, exc) from exc
                self._sleep(self._retry_wait(request, attempt, None))
            else:
                log_response(response, self._redaction, streamed=stream)
                if source is not None and response.status_code == 401 and rejected is None:
                    rejected = token  # once: a token revoked or expired early is renewed
                    response.close()
                    continue
                if attempt >= retries or not should_retry_status(response.status_code, replay_safe):
                    return response
                response.close()
                self._sleep(self._retry_wait(request, attempt, response))
            attempt += 1
            request.headers[RETRY_COUNT_HEADER] = str(attempt)

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

    def with_streaming_response(
        self, method: Callable[_P, _R], /, *args: _P.args, **kwargs: _P.kwargs
    ) -> APIResponse[_R]:
        """`with_raw_response`, but a file or binary body is not read: use the result in a `with`
        block and read `.parsed` (a BinaryContent) from it, e.g. `.parsed.write_to_file(path)`.
        """
        token = _STREAMING.set(True)
        try:
            return self.with_raw_response(method, *args, **kwargs)
        finally:
            _STREAMING.reset(token)

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
