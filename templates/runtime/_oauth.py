"""OAuth2 tokens the client looks after: fetched with the client credentials grant on first use, kept
until shortly before they expire, refreshed with their refresh token when they have one, and renewed
once when the API answers 401. Imported only by clients whose API has such an oauth2 scheme.

The OAuth parts come from authlib (the token request body, client authentication at the token
endpoint, expiry); the token request goes through the client's own HTTP client and connection pool.
One lock per token source makes concurrent first calls fetch one token, in threads and in tasks.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urljoin

from authlib.oauth2.auth import ClientAuth  # type: ignore[import-untyped]
from authlib.oauth2.rfc6749 import OAuth2Token  # type: ignore[import-untyped]
from authlib.oauth2.rfc6749.parameters import (  # type: ignore[import-untyped]
    prepare_token_request,
)

from ._http import httpx
from ._types import SecurityScheme
from .errors import APIError

if TYPE_CHECKING:
    import anyio

    from ._auth import Credential

# A token this close to its expiry is renewed before use: it could expire on its way to the API.
EXPIRY_LEEWAY_SECONDS: Final = 30
_FORM: Final = {
    "Content-Type": "application/x-www-form-urlencoded",
    "Accept": "application/json",
}


class OAuth2TokenError(APIError):
    """The token endpoint refused to issue a token (bad client credentials, an expired refresh
    token...) or answered something that is no token."""

    def __init__(self, message: str, *, status_code: int | None = None, body: Any = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body


class TokenSource:
    """The current access token of one oauth2 scheme, and how to get the next one."""

    def __init__(self, scheme: SecurityScheme, base_url: str, credential: Mapping[str, object]):
        self._url = urljoin(base_url.rstrip("/") + "/", scheme.token_url)
        self._grant, self._scopes = scheme.grant, " ".join(scheme.scopes)
        client_id = _given(credential, "client_id", scheme.client_env[0])
        client_secret = _given(credential, "client_secret", scheme.client_env[1])
        self._client_auth = ClientAuth(client_id, client_secret or "", scheme.token_auth)
        self.has_client = client_id is not None
        token = credential.get("token")
        if (
            isinstance(token, str) and token
        ):  # a token the caller has: used until the API rejects it
            token = {"access_token": token}
        self._token: Any = (
            OAuth2Token.from_dict(dict(token)) if isinstance(token, Mapping) else None
        )
        self.secrets: tuple[str, ...] = tuple(s for s in (client_secret, self.access_token) if s)
        self._lock = threading.Lock()
        self._async_lock: anyio.Lock | None = None

    @property
    def access_token(self) -> str | None:
        return str(self._token["access_token"]) if self._token else None

    def _usable(self, rejected: str | None) -> bool:
        """The current token, unless the API rejected it or it expires within the leeway."""
        if not self._token or self._token.get("access_token") in (None, rejected):
            return False
        return not self._token.is_expired(leeway=EXPIRY_LEEWAY_SECONDS)

    def _token_request(self, http: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        refresh = self._token.get("refresh_token") if self._token else None
        if refresh:
            body = prepare_token_request("refresh_token", refresh_token=refresh)
        elif self.has_client and self._grant == "client_credentials":
            body = prepare_token_request("client_credentials", scope=self._scopes or None)
        else:
            raise OAuth2TokenError("the access token expired and there is no way to renew it")
        if self.has_client:
            _, headers, body = self._client_auth.prepare("POST", self._url, dict(_FORM), body)
        else:
            headers = dict(_FORM)
        return http.build_request("POST", self._url, headers=headers, content=body)

    def _accept(self, response: httpx.Response) -> str:
        try:
            data = json.loads(response.content)
        except ValueError:
            data = response.text
        if not response.is_success or not isinstance(data, dict) or "access_token" not in data:
            error = data.get("error") if isinstance(data, dict) else None
            message = f"the token endpoint answered {response.status_code}" + (
                f": {error}" if error else ""
            )
            raise OAuth2TokenError(message, status_code=response.status_code, body=data)
        if "refresh_token" not in data and self._token and self._token.get("refresh_token"):
            data["refresh_token"] = self._token["refresh_token"]  # RFC 6749 6: may be kept
        self._token = OAuth2Token.from_dict(data)
        return str(data["access_token"])

    def sync_token(self, http: httpx.Client, rejected: str | None = None) -> str:
        with self._lock:
            if self._usable(rejected):
                return str(self._token["access_token"])
            return self._accept(http.send(self._token_request(http)))

    async def async_token(self, http: httpx.AsyncClient, rejected: str | None = None) -> str:
        import anyio  # lazily, as the async client's sleep does

        if self._async_lock is None:  # created by the first task; no await in between
            self._async_lock = anyio.Lock()
        async with self._async_lock:
            if self._usable(rejected):
                return str(self._token["access_token"])
            return self._accept(await http.send(self._token_request(http)))


def _given(credential: Mapping[str, object], key: str, env_var: str) -> str | None:
    value = credential.get(key)
    if isinstance(value, str) and value:
        return value
    return os.environ.get(env_var) or None if env_var else None


def token_sources(
    schemes: Mapping[str, SecurityScheme],
    credentials: Mapping[str, Credential],
    base_url: str,
) -> dict[str, TokenSource]:
    """A source for every oauth2 scheme with a client id or a token mapping (a plain token string
    stays a static bearer token, see `_auth`)."""
    sources = {}
    for name, scheme in schemes.items():
        given = credentials.get(name)
        credential = given if isinstance(given, Mapping) else {}
        if scheme.kind != "oauth2" or not scheme.token_url:
            continue
        source = TokenSource(scheme, base_url, credential)
        if source.has_client or source.access_token:
            sources[name] = source
    return sources
