"""What the sync and async clients share: configuration, credentials, lazily loaded operation
methods, request building and the handling of a final response."""

from __future__ import annotations

import copy
import importlib
import json
import logging
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Final, Generic, Self, TypeVar
from urllib.parse import quote

from ._http import httpx
from ._logging import Redaction, configure_from_env, redaction

from ._encoding import (
    _encode_body,
    _extra_pairs,
    _fields,
    _form_pairs,
    _is_json,
    _is_model,
    _media_type,
    _present,
    _render_path,
    _styles,
    _to_str,
    _without,
)
from ._responses import _capture, _parse_success, _status_error, _url_path, _where
from ._retries import IDEMPOTENT_METHODS, _retry_delay
from ._types import (
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    PACKAGE,
    APIResponse,
    NotGiven,
    Operation,
    SecurityScheme,
)
from .errors import APIError, APIResponseValidationError

if TYPE_CHECKING:
    from ._auth import AuthPart, Credential
    from ._oauth import TokenSource

Timeout = float | httpx.Timeout | None
_HttpT = TypeVar("_HttpT", httpx.Client, httpx.AsyncClient)
_USER_AGENT: Final = f"{PACKAGE} (clientgen)"
_HTTPX_DEFAULT_TIMEOUT: Final = httpx.Timeout(5.0)
# RFC 6265 cookie-octets: everything else (space, '"', ',', ';', '\', non-ASCII) is percent-encoded.
_COOKIE_SAFE: Final = "!#$%&'()*+-./:<=>?@[]^_`{|}~"
_log = logging.getLogger(PACKAGE)


class _BaseClient(Generic[_HttpT]):
    # Set by the generated Client/AsyncClient: operation method name -> the module of the package's
    # `_operations/` that defines it, in a class named by `_group_class`.
    _operations: ClassVar[Mapping[str, str]] = {}
    _group_class: ClassVar[str] = ""
    # Set by the generated Client/AsyncClient: the variable that switches logging on (`<PREFIX>_LOG`).
    _log_env: ClassVar[str] = ""
    _http: _HttpT | None

    def __init__(
        self,
        *,
        base_url: str,
        schemes: Mapping[str, SecurityScheme],
        credentials: Mapping[str, Credential],
        timeout: Timeout | NotGiven,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        http_client: _HttpT | None,
    ) -> None:
        self.base_url: str = base_url.rstrip("/")
        self.max_retries: int = max_retries
        if isinstance(timeout, NotGiven):
            # A caller-supplied httpx client keeps its own timeout, unless it is httpx's 5 s default.
            timeout = DEFAULT_TIMEOUT
            if http_client is not None and http_client.timeout != _HTTPX_DEFAULT_TIMEOUT:
                timeout = http_client.timeout
        self.timeout: Timeout = timeout
        self._default_headers: dict[str, str] = dict(default_headers or {})
        self._auth: dict[str, AuthPart] = {}
        self._secrets: tuple[str, ...] = ()
        if schemes:  # an API without security schemes never imports the credential code
            from ._auth import resolve_auth

            self._auth, self._secrets = resolve_auth(schemes, credentials)
        self._oauth: dict[str, TokenSource] = {}
        if any(scheme.kind == "oauth2" for scheme in schemes.values()):
            from ._oauth import token_sources

            self._oauth = token_sources(schemes, credentials, self.base_url)
            oauth_secrets: set[str] = {
                secret for source in self._oauth.values() for secret in source.secrets
            }
            for name in self._oauth:
                self._auth.pop(name, None)  # its token comes from the source, renewed as needed
            self._secrets = tuple(sorted({*self._secrets, *oauth_secrets}, key=len, reverse=True))
        self._redaction: Redaction = redaction(self._auth.values(), self._secrets)
        if self._log_env:
            configure_from_env(self._log_env)
        # Only clients we created are closed by close(): a shared httpx client is the caller's.
        self._owns_client = http_client is None
        self._http = http_client

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def with_options(
        self,
        *,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | None = None,
    ) -> Self:
        """A copy of this client with other defaults, sharing its connection pool and credentials:
        `client.with_options(timeout=5, max_retries=0).some_operation(...)`. Closing the copy leaves
        the pool open; closing this client closes it."""
        configured = copy.copy(self)
        configured._http = self._client  # created now if needed, so both use the same pool
        configured._owns_client = False
        if not isinstance(timeout, NotGiven):
            configured.timeout = timeout
        if not isinstance(max_retries, NotGiven):
            configured.max_retries = max_retries
        if default_headers is not None:
            configured._default_headers = {**self._default_headers, **default_headers}
        return configured

    @property
    def _client(self) -> _HttpT:
        # Created on first use: building an httpx client loads the TLS certificates (~0.1 s), which
        # constructing a generated client should not cost.
        if self._http is None:
            self._http = self._new_http_client()
        return self._http

    def _new_http_client(self) -> _HttpT:
        raise NotImplementedError

    # Type checkers see the operation methods through the generated client's base classes.
    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            """An operation method used for the first time: load its group and keep its methods."""
            module = type(self)._operations.get(name)
            if module is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            group = importlib.import_module(f"{PACKAGE}._operations.{module}")
            for key, value in vars(getattr(group, self._group_class)).items():
                if not key.startswith("__"):
                    setattr(type(self), key, value)
            return getattr(self, name)

        def __dir__(self) -> list[str]:
            return sorted(set(super().__dir__()) | set(type(self)._operations))

    def _alternative(self, op: Operation[Any]) -> tuple[str, ...]:
        """The first alternative whose schemes all have credentials; none: send no auth."""
        for names in op.security:
            if names and all(name in self._auth or name in self._oauth for name in names):
                return names
        return ()

    def _auth_for(self, op: Operation[Any]) -> list[AuthPart]:
        return [self._auth[name] for name in self._alternative(op) if name in self._auth]

    def _token_source_for(self, op: Operation[Any]) -> TokenSource | None:
        """The oauth2 scheme whose token `_send` puts on each attempt, if the call uses one."""
        if not self._oauth:
            return None
        return next((self._oauth[n] for n in self._alternative(op) if n in self._oauth), None)

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
        timeout: Timeout | NotGiven,
        extra_body: Mapping[str, Any] | None = None,
    ) -> httpx.Request:
        url = self.base_url + "/" + _render_path(op.path, path or {}).lstrip("/")
        params, jar = _present(query), _present(cookies)
        body = _with_extra_body(body, extra_body)
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
        if request.method not in IDEMPOTENT_METHODS and key_header not in request.headers:
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


def _with_extra_body(body: Any, extra_body: Mapping[str, Any] | None) -> Any:
    """`extra_body` merged into the request body's top-level object; its keys win, as `extra_query`'s
    do. A body that is no object (a list, bytes, a stream) cannot take more fields."""
    if not extra_body:
        return body
    if isinstance(body, NotGiven):
        return dict(extra_body)
    if isinstance(body, Mapping) or _is_model(body):
        return {**_fields(body), **extra_body}
    raise TypeError(f"extra_body needs an object request body, not {type(body).__name__}")
