"""The view of an oauth2 scheme the client looks after (generator.lower.oauth): its descriptor, and
the constructor arguments that become its credential."""

from __future__ import annotations

from generator import ir
from generator.encode import Call, PyTuple, literal
from generator.render.view import SchemeView


def oauth_scheme_view(scheme: ir.SecurityScheme, flow: ir.OAuthFlow) -> SchemeView:
    """A token (a string, or a mapping with `refresh_token`/`expires_at`) and the client's id and
    secret."""
    descriptor = Call(
        "SecurityScheme",
        kwargs=(
            ("kind", scheme.kind),
            ("env_var", scheme.env_var),
            ("token_url", flow.token_url),
            ("grant", flow.grant),
            ("scopes", list(flow.scopes)),
            ("token_auth", flow.token_auth),
            ("client_env", PyTuple((flow.client_id_env, flow.client_secret_env))),
        ),
    )
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
        literal(descriptor),
        scheme.py_param,
        "str | Mapping[str, object] | None",
        (flow.client_id_param, flow.client_secret_param),
        "{" + credential + "}",
    )
