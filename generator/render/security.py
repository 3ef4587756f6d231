"""The view of an oauth2 scheme the client looks after (generator.lower.oauth): its descriptor, and
the constructor arguments that become its credential."""

from __future__ import annotations

from generator import ir
from generator.encode import literal
from generator.render.view import SchemeView


def oauth_scheme_view(scheme: ir.SecurityScheme, flow: ir.OAuthFlow) -> SchemeView:
    """A token (a string, or a mapping with `refresh_token`/`expires_at`) and the client's id and
    secret."""
    args = [
        f"kind={literal(scheme.kind)}",
        f"env_var={literal(scheme.env_var)}",
        f"token_url={literal(flow.token_url)}",
        f"grant={literal(flow.grant)}",
        f"scopes={literal(list(flow.scopes))}",
        f"token_auth={literal(flow.token_auth)}",
        f"client_env=({literal(flow.client_id_env)}, {literal(flow.client_secret_env)})",
    ]
    credential = ", ".join(
        f"{literal(k)}: {v}"
        for k, v in (
            ("token", scheme.py_param),
            ("client_id", flow.client_id_param),
            ("client_secret", flow.client_secret_param),
        )
    )
    return SchemeView(
        literal(scheme.key),
        f"SecurityScheme({', '.join(args)})",
        scheme.py_param,
        "str | Mapping[str, object] | None",
        (flow.client_id_param, flow.client_secret_param),
        "{" + credential + "}",
    )
