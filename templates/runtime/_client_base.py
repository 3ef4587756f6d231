"""What the sync and async clients share: configuration, credentials, lazily loaded operation
methods, request building and the handling of a final response."""

from __future__ import annotations

import copy
import json
import logging
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Final, Generic, Self, TypeVar
from urllib.parse import quote

from ._http import httpx
from ._logging import Redaction, configure_from_env, redaction

from ._content import BinaryContent
from ._encoding import (
    _encode_body,
    _extra_pairs,
    _fields,
    _form_pairs,
    _is_model,
    _present,
    _query_string,
    _render_path,
    _styles,
    _to_str,
    _without,
)
from ._media import is_json, media_type
from ._responses import _capture, _parse_success, _status_error, _url_path, _where
from ._retries import IDEMPOTENCY_KEY, IDEMPOTENT_METHODS, _retry_delay
from ._types import (
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    PACKAGE,
    APIResponse,
    NotGiven,
    Operation,
    SecurityScheme,
)
from .errors import APIError, APIResponseValidationError, MissingCredentialsError

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


def _credential_source(scheme: SecurityScheme) -> str:
    argument = f"{scheme.argument}=..." if scheme.argument else "a credential"
    return f"{argument} (or {scheme.env_var})" if scheme.env_var else argument


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
        idempotency_keys: bool = False,
        strict_responses: bool = False,
    ) -> None:
        self.base_url: str = base_url.rstrip("/")
        self.max_retries: int = max_retries
        # POST/PATCH calls carry a fresh `Idempotency-Key` (kept across retries) so they can be retried.
        self.idempotency_keys = idempotency_keys
        # Unknown event kinds of a typed stream raise instead of being skipped (for tests).
        self.strict_responses = strict_responses
        if isinstance(timeout, NotGiven):
            # A caller-supplied httpx client keeps its own timeout, unless it is httpx's 5 s default.
            timeout = DEFAULT_TIMEOUT
            if http_client is not None and http_client.timeout != _HTTPX_DEFAULT_TIMEOUT:
                timeout = http_client.timeout
        self.timeout: Timeout = timeout
        self._last_timeout: tuple[object, dict[str, float | None]] = (NOT_GIVEN, {})
        self._default_headers: dict[str, str] = dict(default_headers or {})
        self._schemes = schemes
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

    def _alternative(self, op: Operation[Any]) -> tuple[str, ...] | None:
        """The first alternative whose schemes all have credentials (`()` where the operation allows
        anonymous calls and none is met); None when the call cannot be authenticated at all.
        """
        for names in op.security:
            if names and all(name in self._auth or name in self._oauth for name in names):
                return names
        if not op.security or () in op.security:
            return ()
        return None

    def _auth_for(self, op: Operation[Any]) -> list[AuthPart]:
        """What to send for the alternative `_alternative` picks; MissingCredentialsError, before
        anything is sent, when no alternative can be met."""
        names = self._alternative(op)
        if names is None:
            raise MissingCredentialsError(self._missing_credentials(op))
        return [self._auth[name] for name in names if name in self._auth]

    def _token_source_for(self, op: Operation[Any]) -> TokenSource | None:
        """The oauth2 scheme whose token `_send` puts on each attempt, if the call uses one."""
        if not self._oauth:
            return None
        names = self._alternative(op) or ()
        return next((self._oauth[n] for n in names if n in self._oauth), None)

    def _missing_credentials(self, op: Operation[Any]) -> str:
        wanted = []
        for names in op.security:
            unknown = [name for name in names if name not in self._schemes]
            if unknown:  # a scheme the generator could not emit: no argument can provide it
                continue
            parts = [
                self._schemes[name]
                for name in names
                if name not in self._auth and name not in self._oauth
            ]
            wanted.append(" and ".join(_credential_source(scheme) for scheme in parts))
        needed = " or ".join(wanted) or "credentials this client cannot send"
        return f"{op.method} {op.path} needs {needed}; nothing was sent"

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
        # Keyed by lower-case name, as httpx.Headers would merge them, but built as one plain dict.
        merged: dict[str, tuple[str, str]] = {"user-agent": ("User-Agent", _USER_AGENT)}
        if op.accept:
            merged["accept"] = ("Accept", op.accept)
        _set_headers(merged, self._default_headers)
        if content_type:
            merged["content-type"] = ("Content-Type", content_type)
        for location, name, value in self._auth_for(op):
            if location == "query":
                params[name] = value
            elif location == "cookie":
                jar[name] = value
            else:
                merged[name.lower()] = (name, value)
        _set_headers(merged, {name: _to_str(value) for name, value in _present(headers).items()})
        if jar:
            cookie = "; ".join(
                f"{name}={quote(_to_str(value), safe=_COOKIE_SAFE)}" for name, value in jar.items()
            )
            merged["cookie"] = ("Cookie", cookie)
        _set_headers(merged, extra_headers)
        key_header = self._idempotency_header(op)
        if key_header and key_header.lower() not in merged:
            # Made once per call, so every retry of the call carries the same key.
            merged[key_header.lower()] = (key_header, str(uuid.uuid4()))
        # extra_query replaces a parameter of the same name rather than adding to it.
        pairs = _form_pairs(_without(params, extra_query), _styles(op, "query"))
        if extra_query:
            pairs += _extra_pairs(extra_query)
        headers_ = dict(merged.values())
        return self._http_request(op.method, url, pairs, headers_, timeout, content)

    def _http_request(
        self,
        method: str,
        url: str,
        pairs: list[tuple[str, str]],
        headers: dict[str, str],
        timeout: Timeout | NotGiven,
        options: dict[str, Any],
    ) -> httpx.Request:
        """The httpx request, given only what differs from the httpx client's defaults."""
        client = self._client
        if pairs and not client.params:
            # Encoded as httpx would (see `_query_string`), but parsed with the URL once instead of
            # merged into it by a second parse. An httpx client's own params keep `params=`: httpx
            # merges them with the call's.
            url += "?" + _query_string(pairs)
        elif pairs:
            options["params"] = tuple(pairs)
        timeout_extension = self._timeout_extension(client, timeout)
        if timeout_extension is not None:
            options["extensions"] = {"timeout": timeout_extension}
        return client.build_request(method, url, headers=headers, **options)

    def _timeout_extension(
        self, client: _HttpT, timeout: Timeout | NotGiven
    ) -> dict[str, float | None] | None:
        """What httpx's `timeout=` would become (its request extension), or None when the httpx
        client's own timeout is the one wanted: httpx builds a Timeout per request otherwise, so the
        last one is kept (by identity: a float or Timeout object the caller passes again)."""
        wanted = self.timeout if isinstance(timeout, NotGiven) else timeout
        # The client's own Timeout class: an http_client may come from the other library (httpx2
        # and httpx clients are interchangeable here), whose Timeout takes no other's.
        timeout_class = type(client.timeout)
        if isinstance(wanted, timeout_class) and wanted == client.timeout:
            return None
        last, extension = self._last_timeout
        if last is not wanted:
            extension = timeout_class(wanted).as_dict()
            self._last_timeout = (wanted, extension)
        return dict(extension)  # a copy per request: nothing shares what a transport may read

    def _idempotency_header(self, op: Operation[Any]) -> str | None:
        if op.idempotency_header:
            return op.idempotency_header
        if self.idempotency_keys and op.method not in IDEMPOTENT_METHODS:
            return IDEMPOTENCY_KEY
        return None

    def _retries_for(self, override: int | NotGiven) -> int:
        return self.max_retries if isinstance(override, NotGiven) else override

    def _replay_safe(self, op: Operation[Any], request: httpx.Request) -> bool:
        """Whether sending the request twice cannot apply it twice (see `_retries`)."""
        key_header = op.idempotency_header or IDEMPOTENCY_KEY
        return request.method in IDEMPOTENT_METHODS or key_header in request.headers

    def _retry_wait(
        self, request: httpx.Request, retries_done: int, response: httpx.Response | None
    ) -> float:
        delay = _retry_delay(retries_done, response)
        reason = f"status {response.status_code}" if response is not None else "connection error"
        where = f"{request.method} {_url_path(request)}"
        _log.info("Retrying %s after %s in %.2f seconds", where, reason, delay)
        return delay

    def _unread(self, response: httpx.Response, raw: bool) -> Any:
        """A file response inside with_streaming_response: its body is left for the caller."""
        _capture(response)
        content = BinaryContent(response)
        if raw:
            return APIResponse(response.status_code, response.headers, response, content)
        return content

    def _finish(self, op: Operation[Any], response: httpx.Response, raw: bool) -> Any:
        _capture(response)
        if not response.is_success:
            raise _status_error(op, response, self._secrets)
        parsed = _parse_success(op, response, self.strict_responses)
        if raw:
            return APIResponse(response.status_code, response.headers, response, parsed)
        return parsed

    def _not_a_stream(self, op: Operation[Any], response: httpx.Response) -> APIError:
        """Why a streamed call got no event stream; the body has been read."""
        if not response.is_success:
            return _status_error(op, response, self._secrets)
        media = media_type(response.headers.get("content-type"))
        body: Any = response.text
        if is_json(media):
            try:
                body = json.loads(response.content)
            except ValueError:
                pass
        message = f"{_where(response)}: expected an event stream, got {media}"
        return APIResponseValidationError(message, response=response, body=body)


def _set_headers(merged: dict[str, tuple[str, str]], headers: Mapping[str, str] | None) -> None:
    for name, value in (headers or {}).items():
        merged[name.lower()] = (name, value)


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
