"""Request/response logging: `<PREFIX>_LOG=info|debug` in the environment, or the standard `logging`
configuration of the package's logger. Credentials never reach a log record: the headers and query
parameters that carry them are replaced, and every credential string is scrubbed from what is left.

INFO logs one line per exchange (method, URL, status); DEBUG adds the headers and the bodies (cut
after `_BODY_LIMIT` characters; streamed bodies are not read for the log)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from ._http import httpx
from ._types import PACKAGE

_log = logging.getLogger(PACKAGE)
_LEVELS: Final = {"debug": logging.DEBUG, "info": logging.INFO}
# Always hidden, whatever the API's security schemes say.
_SECRET_HEADERS: Final = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
_BODY_LIMIT: Final = 2000
REDACTED: Final = "[REDACTED]"


def configure_from_env(env_var: str) -> None:
    """`<PREFIX>_LOG=debug|info`: log to stderr at that level, unless logging was configured already
    (a handler on the package's logger, or a level set on it, wins over the variable).
    """
    level = _LEVELS.get(os.environ.get(env_var, "").strip().lower())
    if level is None or _log.handlers or _log.level != logging.NOTSET:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
    _log.addHandler(handler)
    _log.setLevel(level)


@dataclass(frozen=True, slots=True)
class Redaction:
    """What to hide: the credential headers and query parameters by name, and the secret strings."""

    headers: frozenset[str] = frozenset()  # lower-case names
    query: frozenset[str] = frozenset()
    secrets: tuple[str, ...] = ()  # longest first, so a secret containing another goes whole

    def text(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def url(self, url: httpx.URL) -> str:
        for name in self.query & set(url.params.keys()):
            url = url.copy_set_param(name, REDACTED)
        return self.text(str(url))

    def headers_of(self, headers: httpx.Headers) -> str:
        hidden = _SECRET_HEADERS | self.headers
        shown = ((k, REDACTED if k.lower() in hidden else v) for k, v in headers.multi_items())
        return self.text(", ".join(f"{k}: {v}" for k, v in shown))


def redaction(parts: Iterable[tuple[str, str, str]], secrets: tuple[str, ...]) -> Redaction:
    """From the auth parts a client sends: (location, wire name, value)."""
    parts = tuple(parts)
    headers = frozenset(name.lower() for where, name, _ in parts if where == "header")
    query = frozenset(name for where, name, _ in parts if where == "query")
    return Redaction(headers, query, secrets)


def log_request(request: httpx.Request, redact: Redaction) -> None:
    if not _log.isEnabledFor(logging.DEBUG):
        return
    _log.debug("Request: %s %s", request.method, redact.url(request.url))
    _log.debug("Request headers: %s", redact.headers_of(request.headers))
    body = _body(request.content) if isinstance(request.stream, httpx.ByteStream) else "(streamed)"
    if body:
        _log.debug("Request body: %s", redact.text(body))


def log_response(response: httpx.Response, redact: Redaction, *, streamed: bool) -> None:
    if not _log.isEnabledFor(logging.INFO):
        return
    request = response.request
    where = f"{request.method} {redact.url(request.url)}"
    _log.info("HTTP %s -> %s %s", where, response.status_code, response.reason_phrase)
    if not _log.isEnabledFor(logging.DEBUG):
        return
    _log.debug("Response headers: %s", redact.headers_of(response.headers))
    body = "(streamed)" if streamed else _body(response.content)
    if body:
        _log.debug("Response body: %s", redact.text(body))


def _body(content: bytes) -> str:
    text = content.decode("utf-8", errors="replace")
    if len(text) > _BODY_LIMIT:
        return f"{text[:_BODY_LIMIT]}... ({len(text)} characters)"
    return text
