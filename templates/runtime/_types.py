"""The values generated code hands the runtime: operation descriptors, `NOT_GIVEN`, the raw-response
wrapper, and the defaults every client starts from."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Generic, Literal, Self, TypeVar

from ._http import httpx

__all__ = [
    "NotGiven",
    "NOT_GIVEN",
    "SecurityScheme",
    "ResponseSpec",
    "Operation",
    "APIResponse",
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_RETRIES",
    "resolve_base_url",
]

PACKAGE: Final = __name__.rpartition(".")[0]
# The defaults every client starts from, and the options every generated method takes for one call.
# The generator reads these literals from this source (generator/contract.py, with `ast`) for the
# generated constructor, README and argument names: keep them literals.
DEFAULT_TIMEOUT_SECONDS: Final = 120.0  # read, write and pool
DEFAULT_CONNECT_TIMEOUT_SECONDS: Final = 10.0
DEFAULT_MAX_RETRIES: Final = 2
CALL_OPTIONS: Final = ("extra_headers", "extra_query", "extra_body", "timeout", "max_retries")
DEFAULT_TIMEOUT: Final = httpx.Timeout(
    DEFAULT_TIMEOUT_SECONDS, connect=DEFAULT_CONNECT_TIMEOUT_SECONDS
)

_T = TypeVar("_T")
_PLACEHOLDER: Final = re.compile(r"\{([^{}]+)\}")


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

    kind: Literal["bearer", "basic", "api_key", "oauth2"]
    location: Literal["header", "query", "cookie"] = "header"  # api_key only
    param_name: str = ""  # wire name of the api_key header/query parameter/cookie
    env_var: str = ""  # consulted when the constructor got no credential; basic: "user:password"
    # oauth2 only (see `_oauth`): where tokens come from, and how the client authenticates there.
    token_url: str = ""  # relative: resolved against the base URL
    grant: Literal["client_credentials", "refresh_token"] = "client_credentials"
    scopes: Sequence[str] = ()
    token_auth: str = "client_secret_basic"  # or client_secret_post
    client_env: tuple[str, str] = ("", "")  # variables holding the client id and secret
    argument: str = ""  # the client constructor's argument for it, named in error messages


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
    (its `locals()`): one generic path instead of the same assembly code in every method.
    """
    parts: dict[str, Any] = {}
    if op.fields_body:
        parts["body"] = {}
    for where, wire, name in op.params:
        value = args[name] if name else op.mode[streaming]
        if where == "content":
            parts["body"] = value
        elif where != "body" or not isinstance(value, NotGiven):  # an unset field is never sent
            parts.setdefault(where, {})[wire] = value
    for option in CALL_OPTIONS:
        parts[option] = args[option]
    return parts


@dataclass(frozen=True, slots=True)
class APIResponse(Generic[_T]):
    """What `with_raw_response` and `with_streaming_response` return: the parsed result plus the
    HTTP response it came from. Leaving a `with` block on it closes the response (which matters for
    a streamed body)."""

    status_code: int
    headers: httpx.Headers
    http_response: httpx.Response
    parsed: _T

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.http_response.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.http_response.aclose()


def resolve_base_url(
    explicit: str | None,
    env_var: str,
    default: str | None,
    *,
    path: str = "",
    variables: Mapping[str, str] | None = None,
) -> str:
    """Explicit argument, else the environment variable, else the spec's server URL (its `{variables}`
    filled in); a relative server URL of the spec (`path`, e.g. "/api") is joined to it.
    """
    url = explicit or os.environ.get(env_var)
    if not url and default:
        # Values go in as given (a variable may hold a host, a port or a path prefix).
        url = _PLACEHOLDER.sub(lambda m: str((variables or {})[m.group(1)]), default)
    if not url:
        raise ValueError(
            f"No base URL: pass base_url=... or set the {env_var} environment variable"
        )
    if path and not httpx.URL(url).path.rstrip("/").endswith(path.rstrip("/")):
        url = url.rstrip("/") + path
    return url
