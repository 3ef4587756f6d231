"""Responses: parsing a success body into the annotated type, turning an error response into the
matching `APIStatusError`, and capturing raw responses for `with_raw_response`."""

from __future__ import annotations

import contextvars
import importlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, TypeVar

from ._http import httpx

from ._encoding import _is_json, _media_type
from ._types import PACKAGE, APIResponse, Operation, ResponseSpec
from .errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    _status_error_class,
)

if TYPE_CHECKING:
    from pydantic import TypeAdapter

# pydantic is imported when first needed (parsing a response, sending a model): importing it costs
# ~45 ms, which constructing a client should not, and before it is imported no model can exist.

_TEXT_SUFFIXES: Final = ("xml", "javascript", "yaml", "x-www-form-urlencoded", "ndjson")
_R = TypeVar("_R")
# Set by with_raw_response for the duration of one call: the HTTP responses that call received.
_RAW_RESPONSES: contextvars.ContextVar[list[httpx.Response] | None] = contextvars.ContextVar(
    "clientgen_raw_responses", default=None
)


_ADAPTERS: dict[str, TypeAdapter[Any]] = {}


def _adapter(type_name: str) -> TypeAdapter[Any]:
    """TypeAdapters are costly to build: make each on first use and keep it."""
    adapter = _ADAPTERS.get(type_name)
    if adapter is None:
        from pydantic import TypeAdapter

        models = importlib.import_module(".models", PACKAGE)  # lazily: keeps `import <pkg>` fast
        adapter = _ADAPTERS[type_name] = TypeAdapter(getattr(models, type_name))
    return adapter


def _pick_spec(responses: Mapping[str, ResponseSpec], status: int) -> ResponseSpec | None:
    """Exact status, then its range ("2XX"), then "default"."""
    by_key = {key.upper(): spec for key, spec in responses.items()}
    for key in (str(status), f"{status // 100}XX", "DEFAULT"):
        if key in by_key:
            return by_key[key]
    return None


def _url_path(request: httpx.Request) -> str:
    # Never the query string: it may carry an API key.
    return request.url.raw_path.split(b"?", 1)[0].decode("ascii")


def _where(response: httpx.Response) -> str:
    request = response.request
    return f"{request.method} {_url_path(request)} -> {response.status_code}"


def _parse_success(op: Operation[Any], response: httpx.Response) -> Any:
    spec = _pick_spec(op.responses, response.status_code)
    if response.status_code == 204 or not response.content:
        return None
    if spec is not None and spec.content_type is None:
        return None
    media = _media_type(spec.content_type if spec else response.headers.get("content-type"))
    if _is_json(media):
        try:
            data = json.loads(response.content)
        except ValueError as exc:
            if spec is None:  # undocumented status: be lenient
                return response.text
            message = f"{_where(response)}: response body is not valid JSON"
            raise APIResponseValidationError(
                message, response=response, body=response.text
            ) from exc
    elif not media or media.startswith("text/") or media.endswith(_TEXT_SUFFIXES):
        data = response.text
    else:
        data = response.content  # binary: decoding it as text would corrupt it
    if spec is None or spec.type_name is None:
        return data
    from pydantic import ValidationError

    try:
        return _adapter(spec.type_name).validate_python(data)
    except ValidationError as exc:
        message = f"{_where(response)}: response body does not match {spec.type_name}"
        raise APIResponseValidationError(message, response=response, body=data) from exc


def _server_message(data: Any) -> str | None:
    """The human-readable part of common error bodies (RFC 7807, FastAPI, {"error": ...})."""
    if not isinstance(data, dict):
        return None
    for key in ("message", "detail", "error", "title"):
        value = data.get(key)
        if key == "error" and isinstance(value, dict):
            value = value.get("message")
        if isinstance(value, str) and value:
            return value
        if key == "detail" and isinstance(value, (list, dict)):  # FastAPI validation errors
            return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return None


def _status_error(
    op: Operation[Any], response: httpx.Response, secrets: tuple[str, ...]
) -> APIStatusError:
    spec = _pick_spec(op.responses, response.status_code)
    data: Any = response.text if response.content else None
    documented = _media_type(spec.content_type if spec else None)
    is_json = False
    if data is not None and (
        _is_json(_media_type(response.headers.get("content-type"))) or _is_json(documented)
    ):
        try:
            data, is_json = json.loads(response.content), True
        except ValueError:
            pass
    body = data
    if is_json and spec is not None and spec.type_name:
        from pydantic import ValidationError

        try:
            body = _adapter(spec.type_name).validate_python(data)
        except ValidationError:
            pass  # an off-spec error body must not hide the status error itself
    message = _server_message(data) or response.text[:200].strip() or response.reason_phrase
    for secret in secrets:  # some servers echo the rejected key back
        message = message.replace(secret, "***")
    error_class = _status_error_class(response.status_code)
    return error_class(f"{_where(response)}: {message}", response=response, body=body)


def _connection_error(
    request: httpx.Request, exc: httpx.RequestError, during: str = ""
) -> APIConnectionError:
    where = f"{request.method} {_url_path(request)}{during}"
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"Request timed out: {where}", request=request)
    return APIConnectionError(f"Connection error: {where}", request=request)


def _capture(response: httpx.Response) -> None:
    captured = _RAW_RESPONSES.get()
    if captured is not None:
        captured.append(response)


def _raw_response(method: object, captured: list[httpx.Response], parsed: _R) -> APIResponse[_R]:
    if not captured:
        raise TypeError(f"{method!r} made no request: pass an operation method of this client")
    response = captured[-1]  # the final answer: retried attempts never reach _finish
    return APIResponse(response.status_code, response.headers, response, parsed)
