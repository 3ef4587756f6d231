"""Responses: parsing a success body into the annotated type, turning an error response into the
matching `APIStatusError`, and capturing raw responses for `with_raw_response`."""

from __future__ import annotations

import contextvars
import importlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from ._http import httpx

from ._content import BinaryContent
from ._media import is_file, is_json, is_json_lines, is_text, media_type
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

_R = TypeVar("_R")
# Set by with_raw_response for the duration of one call: the HTTP responses that call received.
_RAW_RESPONSES: contextvars.ContextVar[list[httpx.Response] | None] = contextvars.ContextVar(
    "clientgen_raw_responses", default=None
)
# Set by with_streaming_response: a file body is handed over unread.
_STREAMING: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "clientgen_streaming", default=False
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


def validate(type_name: str, data: Any, strict: bool) -> Any:
    """`data` as the model or alias `type_name`; `strict` rejects enum values the spec does not list."""
    return _adapter(type_name).validate_python(data, context={"strict_responses": strict})


_UNPARSED: Any = object()


def _validate_json(type_name: str, content: bytes, strict: bool) -> Any:
    """One pass over the bytes: pydantic parses and validates them together. `_UNPARSED` when they
    are no JSON it reads (e.g. not UTF-8, or NaN): the caller decodes them as before, so the
    outcome (the value, or the error and its message) stays that of `json.loads`."""
    from pydantic import ValidationError

    try:
        return _adapter(type_name).validate_json(content, context={"strict_responses": strict})
    except ValidationError as exc:
        if any(error["type"] == "json_invalid" for error in exc.errors()):
            return _UNPARSED
        raise


def documented_keys(status: int) -> tuple[str, str, str]:
    """Where a status is documented, first match wins: exact status, its range ("2XX"), "default"
    (upper-cased). The generated conformance tests look answers up the same way."""
    return (str(status), f"{status // 100}XX", "DEFAULT")


def _pick_spec(responses: Mapping[str, ResponseSpec], status: int) -> ResponseSpec | None:
    by_key = _upper_keys(responses)
    for key in documented_keys(status):
        if key in by_key:
            return by_key[key]
    return None


def _url_path(request: httpx.Request) -> str:
    # Never the query string: it may carry an API key.
    return request.url.raw_path.split(b"?", 1)[0].decode("ascii")


def _where(response: httpx.Response) -> str:
    request = response.request
    return f"{request.method} {_url_path(request)} -> {response.status_code}"


# id(responses of an operation) -> (those responses, their keys upper-cased): built once per operation
# (the responses are kept, so an id is never taken for a later mapping's).
_UPPER_KEYS: dict[int, tuple[Mapping[str, ResponseSpec], dict[str, ResponseSpec]]] = {}
# (id(responses), status) -> (those responses, what `_success_specs` found for them).
_SUCCESS_SPECS: dict[tuple[int, int], tuple[Mapping[str, ResponseSpec], list[ResponseSpec]]] = {}


def _upper_keys(responses: Mapping[str, ResponseSpec]) -> dict[str, ResponseSpec]:
    cached = _UPPER_KEYS.get(id(responses))
    if cached is not None and cached[0] is responses:
        return cached[1]
    by_key = {key.upper(): spec for key, spec in responses.items()}
    _UPPER_KEYS[id(responses)] = (responses, by_key)
    return by_key


def _success_specs(responses: Mapping[str, ResponseSpec], status: int) -> list[ResponseSpec]:
    """What a 2xx body may be: its own entry (exact, then range); for an undocumented 2xx, every
    documented success (the method's annotation is their union); with no 2xx documented, "default".
    """
    cached = _SUCCESS_SPECS.get((id(responses), status))
    if cached is not None and cached[0] is responses:
        return cached[1]
    specs = _find_success_specs(_upper_keys(responses), status)
    _SUCCESS_SPECS[(id(responses), status)] = (responses, specs)
    return specs


def _find_success_specs(by_key: Mapping[str, ResponseSpec], status: int) -> list[ResponseSpec]:
    for key in (str(status), f"{status // 100}XX"):
        if key in by_key:
            return [by_key[key]]
    documented = [by_key[key] for key in sorted(by_key) if key.startswith("2")]
    return documented or ([by_key["DEFAULT"]] if "DEFAULT" in by_key else [])


def _parse_success(op: Operation[Any], response: httpx.Response, strict: bool = False) -> Any:
    """The body as the method's annotation says, or APIResponseValidationError: never a raw value
    where the annotation promises a model."""
    specs = _success_specs(op.responses, response.status_code)
    if all(spec.content_type is None for spec in specs):
        return None  # the annotation is None: the method returns nothing whatever came
    if response.status_code == 204 or not response.content:
        return None
    failure: Exception | None = None
    for spec in specs:
        if spec.content_type is None:
            continue
        try:
            return _parse_as(spec, response, strict)
        except (
            ValueError,
            _ContentMismatch,
        ) as exc:  # pydantic's ValidationError is a ValueError
            failure = exc
    names = " | ".join(sorted({spec.type_name or spec.content_type or "" for spec in specs}))
    message = f"{_where(response)}: response body does not match {names}"
    if isinstance(failure, (_ContentMismatch, json.JSONDecodeError)):
        reason = "response body is not valid JSON" if isinstance(failure, ValueError) else failure
        message = f"{_where(response)}: {reason}"
    raise APIResponseValidationError(
        message, response=response, body=_body_of(response)
    ) from failure


class _ContentMismatch(Exception):
    """The response's media type cannot be what the spec documents."""


def _parse_as(spec: ResponseSpec, response: httpx.Response, strict: bool) -> Any:
    documented = spec.content_type
    if is_file(documented):
        return BinaryContent(response)  # the caller reads it (or streams it) as it likes
    if spec.type_name is not None and is_json(_content_type(response) or media_type(documented)):
        parsed = _validate_json(spec.type_name, response.content, strict)
        if parsed is not _UNPARSED:
            return parsed
    data = _decoded(response, spec)
    if spec.type_name is None:
        return data
    if isinstance(data, bytes):  # a string schema may take UTF-8 text, never other bytes
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise _ContentMismatch(f"response is {_content_type(response)}, not {documented}")
    return validate(spec.type_name, data, strict)


def file_response(op: Operation[Any], response: httpx.Response) -> bool:
    """Whether a successful response is a file to hand over unread (`with_streaming_response`)."""
    specs = _success_specs(op.responses, response.status_code)
    return response.is_success and any(is_file(spec.content_type) for spec in specs)


def _content_type(response: httpx.Response) -> str:
    return media_type(response.headers.get("content-type"))


def _decoded(response: httpx.Response, spec: ResponseSpec) -> Any:
    """The body decoded as the response's own Content-Type says (the documented one when the
    server sends none): JSON; JSON lines where the schema is empty; text; else bytes."""
    actual = _content_type(response) or media_type(spec.content_type)
    if is_json(actual):
        return json.loads(response.content)  # ValueError when it is not JSON after all
    if is_json_lines(actual) and spec.type_name is None:
        return [json.loads(line) for line in response.text.splitlines() if line.strip()]
    if is_text(actual) or actual.startswith("text/") or is_json_lines(actual):
        return response.text
    return response.content  # binary: decoding it as text would corrupt it


def _body_of(response: httpx.Response) -> Any:
    """The body for an error: decoded JSON when it is JSON, else the text, None when empty."""
    if not response.content:
        return None
    actual = _content_type(response)
    if not actual or is_json(actual):
        try:
            return json.loads(response.content)
        except ValueError:
            pass
    return response.text


def _server_fields(data: Any) -> tuple[str | None, str | None]:
    """(code, message) from common error bodies: {"error": {"code", "message"}}, {"code",
    "message"}, RFC 7807 (`title`/`detail`), FastAPI (`detail`, a string or a list)."""
    if not isinstance(data, dict):
        return None, None
    inner = data.get("error")
    sources = [inner, data] if isinstance(inner, dict) else [data]
    code = next(
        (source[key] for source in sources for key in ("code", "type") if key in source),
        None,
    )
    message = next((text for source in sources if (text := _message_of(source))), None)
    return (str(code) if isinstance(code, (str, int)) and code != "" else None), message


def _message_of(source: dict[str, Any]) -> str | None:
    for key in ("message", "detail", "error", "title"):
        value = source.get(key)
        if isinstance(value, str) and value:
            return value
        if key == "detail" and isinstance(value, (list, dict)):  # FastAPI validation errors
            return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return None


def _error_model(spec: ResponseSpec | None, data: Any) -> Any:
    """The documented error model when the body really is one (a JSON object carrying at least
    one of its properties); else the decoded body itself."""
    if spec is None or not spec.type_name or not isinstance(data, dict):
        return data
    from pydantic import BaseModel, ValidationError

    try:
        model = _adapter(spec.type_name).validate_python(data)
    except ValidationError:
        return data  # an off-spec error body must not hide the status error itself
    if isinstance(model, BaseModel) and not (
        model.model_fields_set & type(model).model_fields.keys()
    ):
        return data  # every documented property absent: the model would hide the server's words
    return model


def _status_error(
    op: Operation[Any], response: httpx.Response, secrets: tuple[str, ...]
) -> APIStatusError:
    spec = _pick_spec(op.responses, response.status_code)
    data = _body_of(response)
    code, server_message = _server_fields(data)
    body = _error_model(spec, data) if isinstance(data, dict) else data
    message = server_message or response.text[:200].strip() or response.reason_phrase
    for secret in secrets:  # some servers echo the rejected key back
        message = message.replace(secret, "***")
        server_message = server_message and server_message.replace(secret, "***")
    error_class = _status_error_class(response.status_code)
    return error_class(
        f"{_where(response)}: {message}",
        response=response,
        body=body,
        code=code,
        server_message=server_message,
    )


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
