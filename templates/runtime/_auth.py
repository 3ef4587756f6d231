"""Credentials: what each security scheme sends, and keeping secrets out of messages and logs.
Imported only by clients whose API has security schemes."""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Mapping
from typing import Final

from ._http import LOGGER, httpx

from ._types import SecurityScheme

# A string; basic: (user, password); oauth2: {"token": ..., "client_id": ..., "client_secret": ...}.
Credential = str | tuple[str, str] | Mapping[str, object] | None
AuthPart = tuple[str, str, str]  # (location, wire name, value)
_MIN_SECRET_LENGTH: Final = 6


def resolve_auth(
    schemes: Mapping[str, SecurityScheme], credentials: Mapping[str, Credential]
) -> tuple[dict[str, AuthPart], tuple[str, ...]]:
    """What each scheme with a credential sends, and every secret string to scrub from messages."""
    parts: dict[str, AuthPart] = {}
    secrets: set[str] = set()
    for name, scheme in schemes.items():
        credential = credentials.get(name)
        if scheme.kind == "oauth2":  # a plain token here; tokens the client fetches: `_oauth`
            given = credential.get("token") if isinstance(credential, Mapping) else credential
            credential = given if isinstance(given, str) else None
        if credential is None and scheme.env_var:
            credential = os.environ.get(scheme.env_var)
        if not credential:
            continue
        if scheme.kind == "basic":
            if isinstance(credential, str):
                user, _, password = credential.partition(":")
            elif isinstance(credential, tuple):
                user, password = credential
            else:
                raise TypeError(f"the credential for {name!r} (basic) must be a string or a pair")
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            parts[name] = ("header", "Authorization", f"Basic {token}")
            secrets.update((password, token, f"{user}:{password}"))
            continue
        if not isinstance(credential, str):
            raise TypeError(f"the credential for {name!r} ({scheme.kind}) must be a string")
        if scheme.kind in ("bearer", "oauth2"):
            parts[name] = ("header", "Authorization", f"Bearer {credential}")
        else:
            parts[name] = (scheme.location, scheme.param_name, credential)
        secrets.add(credential)
    query_keys = {name for location, name, _ in parts.values() if location == "query"}
    if query_keys:
        _HTTPX_LOG_FILTER.names.update(query_keys)
        logging.getLogger(LOGGER).addFilter(_HTTPX_LOG_FILTER)
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
