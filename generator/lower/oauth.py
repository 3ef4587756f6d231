"""oauth2 security schemes whose tokens a generated client can fetch and refresh itself (issue 19).

`flows.clientCredentials` gives the client credentials grant (the client takes `client_id` and
`client_secret`); `flows.password` and `flows.authorizationCode` give refresh: a token the caller
passes (with its `refresh_token`) is renewed at the flow's `refreshUrl` or `tokenUrl`. A scheme with
none of these stays a bearer token the caller supplies, as `openIdConnect` does (its discovery
document would have to be fetched at run time)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from generator import ir
from generator.specview import SpecView

_REFRESHING_FLOWS: Final = ("password", "authorizationCode")
# RFC 6749 section 2.3.1: servers must support HTTP Basic for the client secret; some want it in the
# body.
TOKEN_AUTH_METHODS: Final = ("client_secret_basic", "client_secret_post")
TOKEN_AUTH_EXTENSION: Final = "x-token-endpoint-auth-method"


def token_flow(raw: Mapping[str, Any]) -> tuple[str, str] | None:
    """(token URL, grant) of a scheme the client can look after, or None."""
    if raw.get("type") != "oauth2" or not isinstance(raw.get("flows"), dict):
        return None
    flows = raw["flows"]
    flow = flows.get("clientCredentials")
    if isinstance(flow, dict) and isinstance(flow.get("tokenUrl"), str) and flow["tokenUrl"]:
        return flow["tokenUrl"], "client_credentials"
    for name in _REFRESHING_FLOWS:
        flow = flows.get(name)
        if isinstance(flow, dict):
            url = flow.get("refreshUrl") or flow.get("tokenUrl")
            if isinstance(url, str) and url:
                return url, "refresh_token"
    return None


def token_auth(raw: Mapping[str, Any]) -> str | None:
    """How the client secret is sent; None when the extension names no method clientgen knows."""
    method = raw.get(TOKEN_AUTH_EXTENSION, TOKEN_AUTH_METHODS[0])
    return method if method in TOKEN_AUTH_METHODS else None


def requested_scopes(view: SpecView, key: str) -> tuple[str, ...]:
    """Every scope a security requirement (top-level or an operation's) asks of scheme `key`."""
    requirements = list(view.security_requirements() or [])
    for operation in view.operations():
        security = operation.raw.get("security")
        if isinstance(security, list):
            requirements.extend(security)
    scopes = {
        scope
        for requirement in requirements
        if isinstance(requirement, dict)
        for scope in requirement.get(key) or ()
        if isinstance(scope, str)
    }
    return tuple(sorted(scopes))


def oauth_flow(
    view: SpecView,
    key: str,
    raw: Mapping[str, Any],
    names: tuple[str, str],
    envs: tuple[str, str],
) -> ir.OAuthFlow:
    url, grant = token_flow(raw) or ("", "client_credentials")
    return ir.OAuthFlow(
        token_url=url,
        grant="client_credentials" if grant == "client_credentials" else "refresh_token",
        scopes=requested_scopes(view, key),
        token_auth=token_auth(raw) or TOKEN_AUTH_METHODS[0],
        client_id_param=names[0],
        client_secret_param=names[1],
        client_id_env=envs[0],
        client_secret_env=envs[1],
    )
