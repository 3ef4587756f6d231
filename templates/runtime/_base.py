"""HTTP runtime shared by every generated client.

Request building (URL, query, headers, auth, JSON/form/multipart bodies) and response parsing are
plain functions used by both clients; `SyncAPIClient` and `AsyncAPIClient` differ only in the loop
that sends a request and retries it. Server-Sent Events come back as `Stream` / `AsyncStream`.
"""

from __future__ import annotations

import base64
import codecs
import contextvars
import email.utils
import importlib
import json
import logging
import os
import random
import re
import sys
import time
import uuid
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterator,
    Mapping,
)
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dt_time
from enum import Enum
from types import TracebackType
from typing import (
    IO,
    TYPE_CHECKING,
    Any,
    Final,
    Generic,
    Literal,
    ParamSpec,
    Self,
    TypeAlias,
    TypeGuard,
    TypeVar,
    cast,
)
from urllib.parse import quote, urlencode

import httpx

from .errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APIStreamError,
    APITimeoutError,
    _status_error_class,
)

if TYPE_CHECKING:
    from pydantic import BaseModel, TypeAdapter

# pydantic is imported when first needed (parsing a response, sending a model): importing it costs
# ~45 ms, which constructing a client should not, and before it is imported no model can exist.

if TYPE_CHECKING:
    import httpx_sse

__all__ = [
    "NotGiven",
    "NOT_GIVEN",
    "SecurityScheme",
    "ResponseSpec",
    "Operation",
    "APIResponse",
    "EventSpec",
    "ServerSentEvent",
    "FileTypes",
    "Stream",
    "AsyncStream",
    "APIStreamError",
    "SyncAPIClient",
    "AsyncAPIClient",
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_RETRIES",
    "resolve_base_url",
    "to_jsonable",
]

_PACKAGE: Final = __name__.rpartition(".")[0]
_USER_AGENT: Final = f"{_PACKAGE} (clientgen)"
DEFAULT_TIMEOUT: Final = httpx.Timeout(120.0, connect=10.0)
DEFAULT_MAX_RETRIES: Final = 2
_HTTPX_DEFAULT_TIMEOUT: Final = httpx.Timeout(5.0)
# RFC 9110 idempotent methods; POST and PATCH are replayed only when they carry an idempotency key.
_IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})
_RETRY_STATUSES: Final = frozenset({408, 409, 429})
_INITIAL_RETRY_DELAY: Final = 0.5
_MAX_RETRY_DELAY: Final = 8.0
_MAX_RETRY_AFTER: Final = 60.0  # a server asking for a longer pause is better left to the caller
_PATH_PARAM: Final = re.compile(r"\{([^{}]+)\}")
_STRAY_PERCENT: Final = re.compile(r"%(?![0-9A-Fa-f]{2})")
# RFC 6265 cookie-octets: everything else (space, '"', ',', ';', '\', non-ASCII) is percent-encoded.
_COOKIE_SAFE: Final = "!#$%&'()*+-./:<=>?@[]^_`{|}~"
_MIN_SECRET_LENGTH: Final = 6
_TEXT_SUFFIXES: Final = ("xml", "javascript", "yaml", "x-www-form-urlencoded", "ndjson")

_log = logging.getLogger(_PACKAGE)

_Timeout = float | httpx.Timeout | None
_Credential = str | tuple[str, str] | None
_AuthPart = tuple[str, str, str]  # (location, wire name, value)
_HttpT = TypeVar("_HttpT", httpx.Client, httpx.AsyncClient)
_T = TypeVar("_T")
_R = TypeVar("_R")
_P = ParamSpec("_P")
# Set by with_raw_response for the duration of one call: the HTTP responses that call received.
_RAW_RESPONSES: contextvars.ContextVar[list[httpx.Response] | None] = contextvars.ContextVar(
    "clientgen_raw_responses", default=None
)


class NotGiven:
    """Marks an argument the caller did not pass; unlike None (JSON null), it is never sent."""

    __slots__ = ()

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final[NotGiven] = NotGiven()


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    """One entry of the spec's securitySchemes, as the generator emitted it."""

    kind: Literal["bearer", "basic", "api_key"]
    location: Literal["header", "query", "cookie"] = "header"  # api_key only
    param_name: str = ""  # wire name of the api_key header/query parameter/cookie
    env_var: str = ""  # consulted when the constructor got no credential; basic: "user:password"


@dataclass(frozen=True, slots=True)
class ResponseSpec:
    """One documented response of an operation."""

    content_type: str | None  # None: the response has no body
    type_name: str | None  # attribute of <pkg>.models to validate with; None: decoded body as is


@dataclass(frozen=True, slots=True)
class Operation(Generic[_T]):
    """Everything the runtime needs to know about an operation, emitted once per operation. `_T` is
    what its (blocking) method returns, so the generated method body needs no cast."""

    method: str
    path: str
    responses: Mapping[str, ResponseSpec]  # "200", "2XX", "default"...
    security: tuple[tuple[str, ...], ...] = ()  # OR of AND-ed scheme names; () = no auth
    content_type: str | None = None
    accept: str | None = None
    idempotency_header: str | None = None
    # How a generated method's arguments become the request, in wire order: (where, wire name, argument
    # name). `where` is path, query, headers, cookies, body (a field of an object body) or content (the
    # whole body). An empty argument name marks the stream-mode value, fixed per method (see `mode`).
    params: tuple[tuple[str, str, str], ...] = ()
    fields_body: bool = False  # the body is an object sent as its fields (even when none is given)
    # OpenAPI `style`/`explode` of each query parameter and form-body field that is not sent the default
    # way (`form`, exploded): (where, wire name, style, explode); where is "query" or "body".
    styles: tuple[tuple[str, str, str, bool], ...] = ()
    mode: tuple[Any, Any] = (
        None,
        None,
    )  # the stream-mode value of the (blocking, streaming) method


def _request_parts(op: Operation[Any], args: Mapping[str, Any], streaming: bool) -> dict[str, Any]:
    """The keyword arguments of `_request`/`_stream` for a generated method called with `args`
    (its `locals()`): one generic path instead of the same assembly code in every method."""
    parts: dict[str, Any] = {}
    if op.fields_body:
        parts["body"] = {}
    for where, wire, name in op.params:
        value = args[name] if name else op.mode[streaming]
        if where == "content":
            parts["body"] = value
        else:
            parts.setdefault(where, {})[wire] = value
    for option in ("extra_headers", "extra_query", "timeout", "max_retries"):
        parts[option] = args[option]
    return parts


@dataclass(frozen=True, slots=True)
class APIResponse(Generic[_T]):
    """What `with_raw_response` returns: the parsed result plus the HTTP response it came from."""

    status_code: int
    headers: httpx.Headers
    http_response: httpx.Response
    parsed: _T


def resolve_base_url(explicit: str | None, env_var: str, default: str | None) -> str:
    """Explicit argument, else the environment variable, else the spec's server URL."""
    url = explicit or os.environ.get(env_var) or default
    if not url:
        raise ValueError(
            f"No base URL: pass base_url=... or set the {env_var} environment variable"
        )
    return url


# --- encoding ---------------------------------------------------------------------------------


def _to_str(value: Any) -> str:
    """A scalar as it goes into a path segment, query string, header, cookie or form field."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return _to_str(value.value)
    if isinstance(value, (datetime, date, dt_time)):
        return value.isoformat()
    if _is_model(value):
        value = to_jsonable(value)
    if isinstance(value, (list, tuple)):  # OpenAPI "simple" style
        return ",".join(_to_str(item) for item in value)
    if isinstance(value, Mapping):  # "simple" style, not exploded: key,value,key,value
        return ",".join(
            f"{_to_str(k)},{_to_str(v)}"
            for k, v in value.items()
            if v is not None and not isinstance(v, NotGiven)
        )
    return str(value)


def _is_model(value: object) -> TypeGuard[BaseModel]:
    main = sys.modules.get("pydantic.main")
    return main is not None and isinstance(value, main.BaseModel)


def to_jsonable(value: Any) -> Any:
    """A value ready for `json.dumps`: models by alias with unset fields left out, NOT_GIVEN dropped."""
    if value is None or type(value) in (str, int, float, bool):
        return value
    if _is_model(value):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return {
            _to_str(key): to_jsonable(item)
            for key, item in value.items()
            if not isinstance(item, NotGiven)
        }
    if isinstance(value, (list, tuple)):
        return [to_jsonable(item) for item in value]
    import pydantic_core

    return pydantic_core.to_jsonable_python(value)  # UUID, datetime, Enum, Decimal, sets...


def _json_bytes(value: Any) -> bytes:
    # Compact and deterministic, so the bytes on the wire are predictable (and testable).
    data = to_jsonable(value)
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def _present(values: Mapping[str, Any] | None) -> dict[str, Any]:
    """Parameters that are actually sent: NOT_GIVEN and None both mean "leave it out"."""
    return {
        k: v for k, v in (values or {}).items() if v is not None and not isinstance(v, NotGiven)
    }


def _without(values: dict[str, Any], replaced: Mapping[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in (replaced or {})}


def _fields(body: Mapping[str, Any] | BaseModel) -> Mapping[str, Any]:
    if _is_model(body):
        return body.model_dump(by_alias=True, exclude_unset=True)
    return cast("Mapping[str, Any]", body)


_DELIMITERS: Final = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def _structured(value: Any) -> bool:
    return isinstance(value, (Mapping, list, tuple)) or _is_model(value)


def _deep(key: str, value: Any, out: list[tuple[str, str]]) -> None:
    """`deepObject`: `key[sub][sub2]=v` for objects, `key[]=a&key[]=b` for lists of scalars and
    `key[0][sub]=v` for lists holding objects (as Stripe, Rails and jQuery.param read them)."""
    if value is None or isinstance(value, NotGiven):
        return
    if _is_model(value):
        value = to_jsonable(value)
    if isinstance(value, Mapping):
        for sub, item in value.items():
            _deep(f"{key}[{_to_str(sub)}]", item, out)
    elif isinstance(value, (list, tuple)):
        indexed = any(_structured(item) for item in value)
        for index, item in enumerate(value):
            _deep(f"{key}[{index}]" if indexed else f"{key}[]", item, out)
    else:
        out.append((key, _to_str(value)))


def _serialize(key: str, value: Any, style: str, explode: bool, out: list[tuple[str, str]]) -> None:
    """One query parameter or form field as OpenAPI's `style`/`explode` say: `form` exploded (the
    default) sends `k=a&k=b` for lists and each property as its own pair for objects; not exploded,
    `k=a,b` and `k=p,1,q,2`; `spaceDelimited`/`pipeDelimited` join lists with " " or "|";
    `deepObject` uses brackets. Values nested deeper than OpenAPI defines use brackets too."""
    if value is None or isinstance(value, NotGiven):
        return
    if _is_model(value):
        value = to_jsonable(value)
    if style == "deepObject":
        _deep(key, value, out)
    elif isinstance(value, Mapping):
        present = [
            (k, v) for k, v in value.items() if v is not None and not isinstance(v, NotGiven)
        ]
        if explode:
            for sub, item in present:
                _deep(_to_str(sub), item, out)
        else:
            out.append((key, ",".join(f"{_to_str(k)},{_to_str(v)}" for k, v in present)))
    elif isinstance(value, (list, tuple)):
        if any(_structured(item) for item in value):
            _deep(key, value, out)
            return
        items = [_to_str(v) for v in value if v is not None and not isinstance(v, NotGiven)]
        if explode:
            out.extend((key, item) for item in items)
        elif items:
            out.append((key, _DELIMITERS.get(style, ",").join(items)))
    else:
        out.append((key, _to_str(value)))


def _styles(op: Operation[Any], where: str) -> dict[str, tuple[str, bool]]:
    return {wire: (style, explode) for w, wire, style, explode in op.styles if w == where}


def _form_pairs(
    values: Mapping[str, Any], styles: Mapping[str, tuple[str, bool]]
) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in values.items():
        style, explode = styles.get(key, ("form", True))
        _serialize(key, value, style, explode, pairs)
    return pairs


def _extra_pairs(values: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """`extra_query`: scalars and lists as `form`, objects in brackets (the spec does not type them)."""
    pairs: list[tuple[str, str]] = []
    for key, value in (values or {}).items():
        if isinstance(value, Mapping) or _is_model(value):
            _deep(key, value, pairs)
        else:
            _serialize(key, value, "form", True, pairs)
    return pairs


# What a `format: binary` field of a multipart body takes: the content, a binary file object, or a tuple
# (filename, content) / (filename, content, content type).
FileContent: TypeAlias = bytes | IO[bytes]
FileTypes: TypeAlias = (
    FileContent | tuple[str | None, FileContent] | tuple[str | None, FileContent, str]
)


def _is_file(value: Any) -> bool:
    """bytes, a binary file object, or (filename, content[, content_type])."""
    content = value[1] if isinstance(value, tuple) and 2 <= len(value) <= 3 else value
    return isinstance(content, bytes) or hasattr(content, "read")


def _multipart(
    body: Mapping[str, Any] | BaseModel, styles: Mapping[str, tuple[str, bool]]
) -> list[tuple[str, Any]]:
    # Every field goes to httpx `files`: plain fields as filename-less parts, which is how
    # form-data encodes them anyway. This keeps the field order and forces multipart even when
    # no file is attached (httpx would fall back to urlencoding a `data`-only body). A field whose
    # encoding names a style is sent as the text parts that style makes; other objects as JSON.
    parts: list[tuple[str, Any]] = []
    for name, value in _fields(body).items():
        if name in styles:
            pairs: list[tuple[str, str]] = []
            _serialize(name, value, *styles[name], pairs)
            parts += [(key, (None, text.encode())) for key, text in pairs]
            continue
        for item in value if isinstance(value, list) else [value]:
            if item is None or isinstance(item, NotGiven):
                continue
            if _is_file(item):
                parts.append((name, item))
            elif isinstance(item, (Mapping, list, tuple)) or _is_model(item):
                parts.append((name, (None, _json_bytes(item), "application/json")))
            else:
                parts.append((name, (None, _to_str(item).encode())))
    return parts


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _is_json(media_type: str) -> bool:
    # The one rule of clientgen's `generator/media.py`: `*/*` documents JSON (springdoc's default).
    return media_type == "*/*" or media_type.endswith("/json") or media_type.endswith("+json")


def _encode_body(
    content_type: str | None, body: Any, styles: Mapping[str, tuple[str, bool]]
) -> tuple[dict[str, Any], str | None]:
    """`build_request` keyword arguments and the Content-Type to send (None: httpx sets it)."""
    if isinstance(body, NotGiven):
        return {}, None
    media = _media_type(content_type) or "application/json"
    structured = isinstance(body, Mapping) or _is_model(body)
    if media == "multipart/form-data" and structured:
        return {"files": _multipart(body, styles)}, None  # httpx adds the boundary
    if media == "application/x-www-form-urlencoded" and structured:
        return {"content": urlencode(_form_pairs(_fields(body), styles)).encode("ascii")}, media
    if _is_json(media) and not isinstance(body, bytes):
        return {"content": _json_bytes(body)}, content_type or "application/json"
    return {"content": body}, content_type  # bytes, str or a byte stream, sent as is


def _render_path(template: str, params: Mapping[str, Any]) -> str:
    # `split` alternates the template's own text and parameter names. The template's text is sent as
    # the spec wrote it: `#`, `?`, spaces and a stray `%` are escaped so they stay part of the path
    # (a `%XX` the spec already escaped is kept); values are escaped completely, `/` included.
    parts = _PATH_PARAM.split(template)
    for index in range(0, len(parts), 2):
        parts[index] = quote(_STRAY_PERCENT.sub("%25", parts[index]), safe="/:@!$&'()*+,;=~%")
    for index in range(1, len(parts), 2):
        name = parts[index]
        value = params.get(name)
        text = "" if value is None or isinstance(value, NotGiven) else _to_str(value)
        if not text:  # an empty segment would address a different endpoint
            raise ValueError(f"path parameter {name!r} needs a non-empty value")
        parts[index] = quote(text, safe="")
    return "".join(parts)


# --- auth ------------------------------------------------------------------------------------


def _resolve_auth(
    schemes: Mapping[str, SecurityScheme], credentials: Mapping[str, _Credential]
) -> tuple[dict[str, _AuthPart], tuple[str, ...]]:
    """What each scheme with a credential sends, and every secret string to scrub from messages."""
    parts: dict[str, _AuthPart] = {}
    secrets: set[str] = set()
    for name, scheme in schemes.items():
        credential = credentials.get(name)
        if credential is None and scheme.env_var:
            credential = os.environ.get(scheme.env_var)
        if not credential:
            continue
        if scheme.kind == "basic":
            if isinstance(credential, str):
                user, _, password = credential.partition(":")
            else:
                user, password = credential
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            parts[name] = ("header", "Authorization", f"Basic {token}")
            secrets.update((password, token, f"{user}:{password}"))
            continue
        if not isinstance(credential, str):
            raise TypeError(f"the credential for {name!r} ({scheme.kind}) must be a string")
        if scheme.kind == "bearer":
            parts[name] = ("header", "Authorization", f"Bearer {credential}")
        else:
            parts[name] = (scheme.location, scheme.param_name, credential)
        secrets.add(credential)
    # Shorter strings are no plausible credential, and scrubbing them would garble messages.
    secrets = {secret for secret in secrets if len(secret) >= _MIN_SECRET_LENGTH}
    return parts, tuple(sorted(secrets, key=len, reverse=True))


class _RedactQueryKeys(logging.Filter):
    """httpx logs every request URL at INFO: blank the query parameters that carry API keys."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                self._redact(arg) if isinstance(arg, httpx.URL) else arg for arg in record.args
            )
        return True

    def _redact(self, url: httpx.URL) -> httpx.URL:
        for name in self.names & set(url.params.keys()):
            url = url.copy_set_param(name, "REDACTED")
        return url


_HTTPX_LOG_FILTER: Final = _RedactQueryKeys()


# --- responses -------------------------------------------------------------------------------

_ADAPTERS: dict[str, TypeAdapter[Any]] = {}


def _adapter(type_name: str) -> TypeAdapter[Any]:
    """TypeAdapters are costly to build: make each on first use and keep it."""
    adapter = _ADAPTERS.get(type_name)
    if adapter is None:
        from pydantic import TypeAdapter

        models = importlib.import_module(".models", _PACKAGE)  # lazily: keeps `import <pkg>` fast
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


# --- retries ---------------------------------------------------------------------------------


def _retry_after(headers: httpx.Headers) -> float | None:
    """Seconds the server asked us to wait: retry-after-ms, or Retry-After in seconds or as a date."""
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        try:
            return float(headers[name]) * scale
        except (KeyError, ValueError):
            pass
    when = email.utils.parsedate_tz(headers.get("retry-after", ""))
    return None if when is None else email.utils.mktime_tz(when) - time.time()


def _retry_delay(retries_done: int, response: httpx.Response | None) -> float:
    if response is not None:
        after = _retry_after(response.headers)
        if after is not None and after <= _MAX_RETRY_AFTER:
            return max(after, 0.0)
    delay = min(_INITIAL_RETRY_DELAY * 2.0**retries_done, _MAX_RETRY_DELAY)
    return delay * random.uniform(0.75, 1.25)  # jitter spreads out clients that failed together


def _should_retry(response: httpx.Response) -> bool:
    return response.status_code in _RETRY_STATUSES or response.status_code >= 500


# --- server-sent events ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventSpec:
    """How the events of a stream are typed, as the generator emitted it."""

    type_name: str | None = None  # attribute of <pkg>.models (a model or a union); None: untyped
    discriminator: str | None = None  # property of the JSON data naming the kind; None: `event:`
    mapping: Mapping[str, str] = field(default_factory=dict)  # kind -> attribute of <pkg>.models


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
    clean end it arrives alone; after a cut it arrives merged with the unfinished event."""

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self.headers = httpx.Headers({"content-type": _EVENT_STREAM})
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

    def __init__(self, response: httpx.Response, spec: EventSpec) -> None:
        self._response, self._spec = response, spec
        self.source = _EventSourceInput(response)

    def raw_events(self) -> Iterator[httpx_sse.ServerSentEvent]:
        from httpx_sse import EventSource  # lazily: only streaming calls pay for the import

        return EventSource(cast(httpx.Response, self.source)).iter_sse()

    def araw_events(self) -> AsyncIterator[httpx_sse.ServerSentEvent]:
        from httpx_sse import EventSource

        return EventSource(cast(httpx.Response, self.source)).aiter_sse()

    def typed(self, raw: httpx_sse.ServerSentEvent) -> Any:
        """The event to yield; `_SKIP` for nothing to report (id/retry-only blocks, the sentinel)."""
        token = self.source.token
        if raw.data == token or raw.data.endswith("\n" + token):
            if raw.data != token or raw.event not in ("", "message"):
                message = f"{_where(self._response)}: the stream ended in the middle of an event"
                raise APIStreamError(message, response=self._response)
            return _SKIP
        if not raw.data and raw.event == "message":
            return _SKIP  # httpx-sse reports blocks that only set `id:` or `retry:`
        event = ServerSentEvent(raw.event or "message", raw.id or None, raw.retry, None)
        if not raw.data:  # a bare `event: name` is a signal, not a model
            return event
        try:
            data: Any = json.loads(raw.data)
        except ValueError:
            data = raw.data
        kind = _event_kind(self._spec, event.event, data)
        type_name = self._spec.mapping.get(kind, self._spec.type_name)
        if type_name is not None:
            from pydantic import ValidationError

            try:
                return _adapter(type_name).validate_python(data)
            except ValidationError:
                # A server may add fields or kinds before the spec catches up: never fatal.
                _log.debug(
                    "%s: %r event does not match %s", _where(self._response), kind, type_name
                )
        elif self._spec.mapping:
            _log.debug("%s: unknown event kind %r", _where(self._response), kind)
        return ServerSentEvent(event.event, event.id, event.retry, data)


_SKIP: Final = object()


def _event_kind(spec: EventSpec, event: str, data: Any) -> str:
    """The discriminator property of the data when it has one, else the `event:` field."""
    kind = data.get(spec.discriminator) if spec.discriminator and isinstance(data, dict) else None
    return kind if isinstance(kind, str) else event


class Stream(Generic[_T]):
    """The events of a streamed response, typed as they arrive. Use it in a `with` block: leaving
    it, close() or reading the last event closes the response."""

    def __init__(self, response: httpx.Response, events: EventSpec) -> None:
        self.response = response
        self._closed = False
        self._iterator = self._iter_events(_EventReader(response, events))

    def _iter_events(self, reader: _EventReader) -> Generator[_T, None, None]:
        try:
            for raw in reader.raw_events():
                event = reader.typed(raw)
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

    def __init__(self, response: httpx.Response, events: EventSpec) -> None:
        self.response = response
        self._closed = False
        self._iterator = self._iter_events(_EventReader(response, events))

    async def _iter_events(self, reader: _EventReader) -> AsyncGenerator[_T, None]:
        try:
            async for raw in reader.araw_events():
                event = reader.typed(raw)
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
    media = _media_type(response.headers.get("content-type"))
    return response.is_success and media in (_EVENT_STREAM, "")  # "": some proxies drop it


def _accepting_events(extra_headers: Mapping[str, str] | None) -> httpx.Headers:
    """extra_headers plus `Accept: text/event-stream` unless they set Accept themselves.
    `Operation.accept` cannot carry it: the generator lists only the non-stream content types."""
    headers = httpx.Headers({"Accept": _EVENT_STREAM})
    headers.update(extra_headers or {})
    return headers


# --- clients ---------------------------------------------------------------------------------


def _capture(response: httpx.Response) -> None:
    captured = _RAW_RESPONSES.get()
    if captured is not None:
        captured.append(response)


def _raw_response(method: object, captured: list[httpx.Response], parsed: _R) -> APIResponse[_R]:
    if not captured:
        raise TypeError(f"{method!r} made no request: pass an operation method of this client")
    response = captured[-1]  # the final answer: retried attempts never reach _finish
    return APIResponse(response.status_code, response.headers, response, parsed)


class _BaseClient(Generic[_HttpT]):
    _http: _HttpT | None

    def __init__(
        self,
        *,
        base_url: str,
        schemes: Mapping[str, SecurityScheme],
        credentials: Mapping[str, _Credential],
        timeout: _Timeout | NotGiven,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        http_client: _HttpT | None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.max_retries = max_retries
        if isinstance(timeout, NotGiven):
            # A caller-supplied httpx client keeps its own timeout, unless it is httpx's 5 s default.
            timeout = DEFAULT_TIMEOUT
            if http_client is not None and http_client.timeout != _HTTPX_DEFAULT_TIMEOUT:
                timeout = http_client.timeout
        self.timeout: _Timeout = timeout
        self._default_headers = dict(default_headers or {})
        self._auth, self._secrets = _resolve_auth(schemes, credentials)
        # Only clients we created are closed by close(): a shared httpx client is the caller's.
        self._owns_client = http_client is None
        self._http = http_client
        query_keys = {name for location, name, _ in self._auth.values() if location == "query"}
        if query_keys:
            _HTTPX_LOG_FILTER.names.update(query_keys)
            logging.getLogger("httpx").addFilter(_HTTPX_LOG_FILTER)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    @property
    def _client(self) -> _HttpT:
        # Created on first use: building an httpx client loads the TLS certificates (~0.1 s), which
        # constructing a generated client should not cost.
        if self._http is None:
            self._http = self._new_http_client()
        return self._http

    def _new_http_client(self) -> _HttpT:
        raise NotImplementedError

    def _auth_for(self, op: Operation[Any]) -> list[_AuthPart]:
        """The first alternative whose schemes all have credentials; none: send no auth."""
        for names in op.security:
            if names and all(name in self._auth for name in names):
                return [self._auth[name] for name in names]
        return []

    def _build_request(
        self,
        op: Operation[Any],
        path: Mapping[str, Any] | None,
        query: Mapping[str, Any] | None,
        headers: Mapping[str, Any] | None,
        cookies: Mapping[str, Any] | None,
        body: Any,
        extra_headers: Mapping[str, str] | None,
        extra_query: Mapping[str, Any] | None,
        timeout: _Timeout | NotGiven,
    ) -> httpx.Request:
        url = self.base_url + "/" + _render_path(op.path, path or {}).lstrip("/")
        params, jar = _present(query), _present(cookies)
        content, content_type = _encode_body(op.content_type, body, _styles(op, "body"))
        # Later layers win: defaults < client headers < auth < operation params < extra_headers.
        merged = httpx.Headers({"User-Agent": _USER_AGENT})
        if op.accept:
            merged["Accept"] = op.accept
        merged.update(self._default_headers)
        if content_type:
            merged["Content-Type"] = content_type
        for location, name, value in self._auth_for(op):
            if location == "query":
                params[name] = value
            elif location == "cookie":
                jar[name] = value
            else:
                merged[name] = value
        merged.update({name: _to_str(value) for name, value in _present(headers).items()})
        if jar:
            merged["Cookie"] = "; ".join(
                f"{name}={quote(_to_str(value), safe=_COOKIE_SAFE)}" for name, value in jar.items()
            )
        merged.update(extra_headers or {})
        if op.idempotency_header and op.idempotency_header not in merged:
            # Made once per call, so every retry of the call carries the same key.
            merged[op.idempotency_header] = str(uuid.uuid4())
        # extra_query replaces a parameter of the same name rather than adding to it.
        pairs = _form_pairs(_without(params, extra_query), _styles(op, "query"))
        return self._client.build_request(
            op.method,
            url,
            params=tuple(pairs + _extra_pairs(extra_query)),
            headers=merged,
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
            **content,
        )

    def _retries_for(
        self, op: Operation[Any], request: httpx.Request, override: int | NotGiven
    ) -> int:
        retries = self.max_retries if isinstance(override, NotGiven) else override
        key_header = op.idempotency_header or "Idempotency-Key"
        if request.method not in _IDEMPOTENT_METHODS and key_header not in request.headers:
            return 0  # replaying it could apply it twice: the server cannot deduplicate it
        return retries

    def _retry_wait(
        self, request: httpx.Request, retries_done: int, response: httpx.Response | None
    ) -> float:
        delay = _retry_delay(retries_done, response)
        reason = f"status {response.status_code}" if response is not None else "connection error"
        where = f"{request.method} {_url_path(request)}"
        _log.info("Retrying %s after %s in %.2f seconds", where, reason, delay)
        return delay

    def _finish(self, op: Operation[Any], response: httpx.Response, raw: bool) -> Any:
        _capture(response)
        if not response.is_success:
            raise _status_error(op, response, self._secrets)
        parsed = _parse_success(op, response)
        if raw:
            return APIResponse(response.status_code, response.headers, response, parsed)
        return parsed

    def _not_a_stream(self, op: Operation[Any], response: httpx.Response) -> APIError:
        """Why a streamed call got no event stream; the body has been read."""
        if not response.is_success:
            return _status_error(op, response, self._secrets)
        media = _media_type(response.headers.get("content-type"))
        body: Any = response.text
        if _is_json(media):
            try:
                body = json.loads(response.content)
            except ValueError:
                pass
        message = f"{_where(response)}: expected an event stream, got {media}"
        return APIResponseValidationError(message, response=response, body=body)


class SyncAPIClient(_BaseClient[httpx.Client]):
    def __init__(
        self,
        *,
        base_url: str,
        schemes: Mapping[str, SecurityScheme],
        credentials: Mapping[str, _Credential],
        timeout: _Timeout | NotGiven = NOT_GIVEN,
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
        timeout: _Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        raw: bool = False,
    ) -> Any:
        request = self._build_request(
            op, path, query, headers, cookies, body, extra_headers, extra_query, timeout
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
        events: EventSpec = EventSpec(),
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: _Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Stream[Any]:
        headers_ = _accepting_events(extra_headers)
        request = self._build_request(
            op, path, query, headers, cookies, body, headers_, extra_query, timeout
        )
        response = self._send(op, request, max_retries, stream=True)
        _capture(response)
        if _is_event_stream(response):
            return Stream(response, events)
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
        attempt = 0
        while True:
            try:
                response = self._client.send(request, stream=stream)
            except httpx.RequestError as exc:
                if attempt >= retries or not isinstance(exc, httpx.TransportError):
                    raise _connection_error(request, exc) from exc
                self._sleep(self._retry_wait(request, attempt, None))
            else:
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
    def __init__(
        self,
        *,
        base_url: str,
        schemes: Mapping[str, SecurityScheme],
        credentials: Mapping[str, _Credential],
        timeout: _Timeout | NotGiven = NOT_GIVEN,
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
        timeout: _Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        raw: bool = False,
    ) -> Any:
        request = self._build_request(
            op, path, query, headers, cookies, body, extra_headers, extra_query, timeout
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
        events: EventSpec = EventSpec(),
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: _Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncStream[Any]:
        headers_ = _accepting_events(extra_headers)
        request = self._build_request(
            op, path, query, headers, cookies, body, headers_, extra_query, timeout
        )
        response = await self._send(op, request, max_retries, stream=True)
        _capture(response)
        if _is_event_stream(response):
            return AsyncStream(response, events)
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
        attempt = 0
        while True:
            try:
                response = await self._client.send(request, stream=stream)
            except httpx.RequestError as exc:
                if attempt >= retries or not isinstance(exc, httpx.TransportError):
                    raise _connection_error(request, exc) from exc
                await self._sleep(self._retry_wait(request, attempt, None))
            else:
                if attempt >= retries or not _should_retry(response):
                    return response
                await response.aclose()
                await self._sleep(self._retry_wait(request, attempt, response))
            attempt += 1

    async def with_raw_response(
        self, method: Callable[_P, Awaitable[_R]], /, *args: _P.args, **kwargs: _P.kwargs
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
