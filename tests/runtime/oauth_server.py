"""A real OAuth2 authorization server for the runtime tests: authlib's Flask integration (grants,
client authentication, token responses and bearer validation are authlib's), with in-memory clients
and tokens, plus one protected API route. Served by werkzeug on 127.0.0.1, on a free port."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin, grants
from authlib.common.security import generate_token
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator
from flask import Flask, jsonify, request
from werkzeug.serving import make_server

USER = ("alice", "wonderland")


@dataclass
class Client(ClientMixin):  # type: ignore[misc]
    client_id: str
    client_secret: str
    auth_method: str  # the one method this client may use at the token endpoint
    scope: str = "pets:read pets:write"

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return ""

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in (scope or "").split() if s in self.scope.split())

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return client_secret == self.client_secret

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == self.auth_method

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return True


@dataclass
class Token(TokenMixin):  # type: ignore[misc]
    client: Client
    data: dict[str, Any]
    issued_at: float = field(default_factory=time.time)
    revoked: bool = False

    def check_client(self, client: Client) -> bool:
        return client.client_id == self.client.client_id

    def get_scope(self) -> str:
        return str(self.data.get("scope", ""))

    def get_expires_in(self) -> int:
        return int(self.data.get("expires_in", 0))

    def is_expired(self) -> bool:
        return self.issued_at + self.get_expires_in() < time.time()

    def is_revoked(self) -> bool:
        return self.revoked

    def get_user(self) -> str:
        return USER[0]


class OAuthState:
    """What the server knows and what it saw: clients, tokens, and every grant request."""

    def __init__(self) -> None:
        self.clients = {
            "basic-client": Client("basic-client", "basic-secret-123", "client_secret_basic"),
            "post-client": Client("post-client", "post-secret-456", "client_secret_post"),
        }
        self.tokens: dict[str, Token] = {}
        self.refresh: dict[str, Token] = {}
        self.grants: list[str] = []  # grant_type of every token request, successful or not
        self.api_tokens: list[str] = []  # the bearer token of every API call that passed
        self.lock = threading.Lock()

    def save(self, data: dict[str, Any], req: Any) -> None:
        token = Token(req.client, dict(data))
        with self.lock:
            self.tokens[data["access_token"]] = token
            if data.get("refresh_token"):
                self.refresh[data["refresh_token"]] = token

    def revoke_all(self) -> None:
        for token in self.tokens.values():
            token.revoked = True


def _grants(state: OAuthState) -> tuple[type, ...]:
    class ClientCredentials(grants.ClientCredentialsGrant):  # type: ignore[misc]
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    class Password(grants.ResourceOwnerPasswordCredentialsGrant):  # type: ignore[misc]
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

        def authenticate_user(self, username: str, password: str) -> str | None:
            return username if (username, password) == USER else None

    class Refresh(grants.RefreshTokenGrant):  # type: ignore[misc]
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
        INCLUDE_NEW_REFRESH_TOKEN = True

        def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
            token = state.refresh.get(refresh_token)
            return token if token is not None and not token.revoked else None

        def authenticate_user(self, token: Token) -> str:
            return token.get_user()

        def revoke_old_credential(self, token: Token) -> None:
            token.revoked = True

    return ClientCredentials, Password, Refresh


def create_app(state: OAuthState, expires_in: dict[str, int]) -> Flask:
    app = Flask("oauth_server")
    server = AuthorizationServer(app, query_client=state.clients.get, save_token=state.save)
    # authlib's bearer token generator, with refresh tokens and the lifetimes the test sets (read at
    # each issue, so a test can shorten them).
    server.register_token_generator("default", BearerTokenGenerator(
        lambda **_: generate_token(42), lambda **_: generate_token(48),
        lambda client, grant_type: expires_in[grant_type],
    ))
    for grant in _grants(state):
        server.register_grant(grant)

    class Validator(BearerTokenValidator):  # type: ignore[misc]
        def authenticate_token(self, token_string: str) -> Token | None:
            return state.tokens.get(token_string)

    protect = ResourceProtector()
    protect.register_token_validator(Validator())

    @app.post("/oauth/token")
    def issue_token() -> Any:
        state.grants.append(request.form.get("grant_type", ""))
        return server.create_token_response()

    @app.get("/v1/pets/<int:pet_id>")
    @protect("pets:read")
    def get_pet(pet_id: int) -> Any:
        state.api_tokens.append(request.headers["Authorization"].split()[1])
        return jsonify(id=pet_id, name="Rex")

    return app


@contextmanager
def oauth_server(expires_in: dict[str, int]) -> Iterator[tuple[str, OAuthState]]:
    state = OAuthState()
    server = make_server("127.0.0.1", 0, create_app(state, expires_in), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", state
    finally:
        server.shutdown()
        thread.join()
