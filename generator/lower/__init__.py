"""Spec -> IR. The only package that knows both the spec model and the IR.

Schemas are walked as the JSON the document holds (JSON Schema is open-ended, and the raw form keeps
every keyword the openapi-pydantic model might not); the document's structure was already validated
by openapi-pydantic in `generator.spec`, and objects behind `$ref` are validated again when
resolved.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any, Literal

from generator import ir
from generator.diagnostics import Diagnostic, DiagnosticError, Severity, join_pointer
from generator.lower.coverage import missing_parts
from generator.lower.jsonschema import json_schemas
from generator.lower.aliases import order_aliases
from generator.lower.nones import none_aliases, replace_none_refs
from generator.lower.oauth import (
    TOKEN_AUTH_EXTENSION,
    TOKEN_AUTH_METHODS,
    oauth_flow,
    token_auth,
    token_flow,
)
from generator.lower.operations import OperationLowerer, security_alternatives
from generator.lower.pagination import PaginationLowerer
from generator.lower.params import name_params
from generator.lower.schemas import SchemaLowerer
from generator.lower.tree import CLIENT_ATTRIBUTES, build_resources, validate
from generator.lower.webhooks import lower_webhooks
from generator.names import MODULE_RESERVED, NameScope, make_identifier, upper_snake_case
from generator.spec import Spec
from generator.specview import SpecView

# Constructor arguments of every generated client; a security scheme argument must not take one.
CONSTRUCTOR_ARGUMENTS = frozenset(
    {
        "self",
        "base_url",
        "timeout",
        "max_retries",
        "default_headers",
        "http_client",
        "idempotency_keys",
        "strict_responses",
    }
)
# Words that name the kind of document, not the product: "OpenAI API" -> OPENAI_API_KEY.
_TITLE_NOISE = frozenset(
    {
        "API",
        "APIS",
        "REST",
        "HTTP",
        "OPENAPI",
        "SERVICE",
        "SERVER",
        "REFERENCE",
        "SPEC",
        "SDK",
        "PUBLIC",
    }
)
# The environment variable of a credential, by what it is (when the API has several schemes).
_ENV_ROLES = {"bearer": "BEARER_TOKEN", "api_key": "API_KEY", "basic": "BASIC_AUTH"}
_SERVER_VARIABLE = re.compile(r"\{([^{}]*)\}")


def lower_api(
    spec: Spec,
    *,
    package: str,
    spec_path: str,
    env_prefix: str | None = None,
    stream_modes: Mapping[str, Mapping[str, Any]] | None = None,
) -> tuple[ir.Api, list[Diagnostic]]:
    """The IR of one API plus the warnings met on the way; raises DiagnosticError on errors."""
    view = SpecView(spec)
    fallback = upper_snake_case(re.sub(r"_?client$", "", package) or package)
    prefix = env_prefix or _title_prefix(view.title) or fallback
    classes = NameScope(MODULE_RESERVED)
    schemas = SchemaLowerer(spec, classes)
    schemas.lower_components()
    diagnostics = schemas.diagnostics
    schemes = _security_schemes(spec, prefix, diagnostics)
    known = {s.key for s in schemes}
    global_security = security_alternatives(view.security_requirements())
    lowerer = OperationLowerer(schemas, NameScope(CLIENT_ATTRIBUTES), stream_modes)
    operations = lowerer.lower_all(global_security)
    operations = tuple(_drop_unknown_schemes(op, known, spec, diagnostics) for op in operations)
    arguments = NameScope(CONSTRUCTOR_ARGUMENTS | _credential_arguments(schemes))
    webhooks = lower_webhooks(spec, schemas, arguments, prefix, diagnostics)
    models, model_defs, aliases, operations = _types(spec, schemas, operations, classes)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise DiagnosticError(errors)
    pages = PaginationLowerer(spec, models, {alias.name: alias for alias in aliases})
    info = view.info
    api = ir.Api(
        package=package,
        spec_path=spec_path,
        title=str(info.get("title") or package),
        version=str(info.get("version") or ""),
        description=str(info.get("description") or ""),
        server=_server(view, CONSTRUCTOR_ARGUMENTS | {s.py_param for s in schemes}, diagnostics),
        env_prefix=prefix,
        security_schemes=schemes,
        models=model_defs,
        aliases=aliases,
        operations=pages.attach_all(operations),
        webhooks=webhooks,
    )
    api = _finished(api, spec, frozenset(models) | frozenset(a.name for a in aliases))
    warnings = [d for d in diagnostics if d.severity is Severity.WARNING]
    # Info findings (pagination-not-detected) ride along for `clientgen lint`; generate drops them.
    return api, warnings + missing_parts(spec, api, warnings) + pages.diagnostics


def _credential_arguments(schemes: tuple[ir.SecurityScheme, ...]) -> frozenset[str]:
    """The constructor arguments the security schemes took."""
    oauth = [s.oauth for s in schemes if s.oauth]
    secrets = {p for flow in oauth for p in (flow.client_id_param, flow.client_secret_param)}
    return frozenset({s.py_param for s in schemes} | secrets)


def _types(
    spec: Spec, schemas: SchemaLowerer, operations: tuple[ir.Operation, ...], classes: NameScope
) -> tuple[
    dict[str, ir.ModelDef],
    tuple[ir.ModelDef, ...],
    tuple[ir.AliasDef, ...],
    tuple[ir.Operation, ...],
]:
    """Models and aliases with `None`-only aliases replaced, aliases in definition order, and the
    parameter types named."""
    nones = none_aliases(schemas.aliases)
    models = {name: replace_none_refs(model, nones) for name, model in schemas.models.items()}
    operations = replace_none_refs(operations, nones)
    aliases, alias_errors = order_aliases(
        {name: replace_none_refs(alias, nones) for name, alias in schemas.aliases.items()},
        spec.diag,
    )
    schemas.diagnostics.extend(alias_errors)
    ordered = tuple(models[name] for name in sorted(models))
    model_defs, aliases = name_params(ordered, aliases, operations, classes)
    return models, model_defs, aliases, operations


def _finished(api: ir.Api, spec: Spec, type_names: frozenset[str]) -> ir.Api:
    """`api` with its resource tree, validated, and with the JSON Schemas of its types."""
    operations, resources = build_resources(api.operations, type_names)
    api = dataclasses.replace(api, operations=operations, resources=resources)
    validate(api, spec)
    return dataclasses.replace(api, json_schemas=json_schemas(spec, api))


def _security_schemes(
    spec: Spec, prefix: str, diagnostics: list[Diagnostic]
) -> tuple[ir.SecurityScheme, ...]:
    supported = []
    for scheme in SpecView(spec).security_schemes():
        key, raw, pointer = scheme.key, scheme.raw, scheme.pointer
        kind = _scheme_kind(raw)
        if kind == "oauth2" and token_auth(raw) is None:
            methods = ", ".join(TOKEN_AUTH_METHODS)
            message = (
                f"security scheme `{key}`: {TOKEN_AUTH_EXTENSION} must be one of {methods};"
                " the client secret is sent as HTTP Basic"
            )
            diagnostics.append(spec.warn("unsupported-security", message, pointer))
        if kind is None:
            message = (
                f"security scheme `{key}` ({raw.get('type')}) is not supported;"
                " operations that need it are sent without it"
            )
            diagnostics.append(spec.warn("unsupported-security", message, pointer))
            continue
        supported.append((key, kind, raw, pointer))
    single = len(supported) == 1
    arguments = NameScope(CONSTRUCTOR_ARGUMENTS)
    roles = [kind for _, kind, _, _ in supported]
    return tuple(
        _scheme(spec, prefix, arguments, single, roles.count(kind) == 1, key, kind, raw, pointer)
        for key, kind, raw, pointer in supported
    )


def _scheme(
    spec: Spec,
    prefix: str,
    arguments: NameScope,
    single: bool,
    sole_role: bool,
    key: str,
    kind: ir.SchemeKind,
    raw: Mapping[str, Any],
    pointer: str,
) -> ir.SecurityScheme:
    if single:
        base = {"basic": "basic_auth", "oauth2": "access_token"}.get(kind, "api_key")
    else:
        base = _scheme_argument(key)
    py_param = arguments.claim(base)
    # The name a user guesses (OPENAI_API_KEY), never the scheme's internal key; the argument's
    # name where two schemes share a role.
    role = _ENV_ROLES[kind] if not single and sole_role else upper_snake_case(py_param)
    env_var = f"{prefix}_{role}"
    location = _api_key_location(raw) if kind == "api_key" else "header"
    param_name = str(raw.get("name") or "") if kind == "api_key" else ""
    oauth = None
    if kind == "oauth2":
        oauth = _oauth(SpecView(spec), key, raw, arguments, prefix, single)
    description = str(raw.get("description") or "")
    return ir.SecurityScheme(
        key, kind, location, param_name, py_param, env_var, description, pointer, oauth
    )


def _api_key_location(raw: Mapping[str, Any]) -> Literal["header", "query", "cookie"]:
    """Where an API key travels; a missing or unknown `in` is a header."""
    where = raw.get("in")
    return "query" if where == "query" else "cookie" if where == "cookie" else "header"


def _scheme_argument(key: str) -> str:
    """The constructor argument of one of several schemes: its key without an `Auth` suffix, so
    `ApiKeyAuth` is `api_key` (and OPENAI_API_KEY), not `api_key_auth`."""
    name = make_identifier(key, style="snake", fallback="credential")
    trimmed = re.sub(r"_auth(entication)?$", "", name)
    # Only where what is left names a credential (`bearerAuth` stays `bearer_auth`, not `bearer`).
    return trimmed if trimmed.endswith(("_key", "_token")) and trimmed.isidentifier() else name


def _title_prefix(title: str) -> str:
    """PREFIX of the environment variables from the API's title: "OpenAI API" -> OPENAI; "" when
    the title is not one product name (the package name is used then)."""
    words = [word.upper() for word in re.findall(r"[A-Za-z0-9]+", title)]
    while words and (words[-1] in _TITLE_NOISE or re.fullmatch(r"V\d+", words[-1])):
        words.pop()
    # Only a one-word product name: a longer title ("Workflow App API") rarely is what users type.
    return words[0] if len(words) == 1 and len(words[0]) >= 3 and words[0].isidentifier() else ""


def _oauth(
    view: SpecView,
    key: str,
    raw: Mapping[str, Any],
    arguments: NameScope,
    prefix: str,
    single: bool,
) -> ir.OAuthFlow:
    """The flow of an oauth2 scheme the client looks after, with its client_id/client_secret
    arguments."""
    stem = "" if single else make_identifier(key, style="snake", fallback="oauth") + "_"
    names = (arguments.claim(f"{stem}client_id"), arguments.claim(f"{stem}client_secret"))
    envs = (f"{prefix}_{upper_snake_case(names[0])}", f"{prefix}_{upper_snake_case(names[1])}")
    return oauth_flow(view, key, raw, names, envs)


def _scheme_kind(raw: Mapping[str, Any]) -> ir.SchemeKind | None:
    scheme_type = raw.get("type")
    if scheme_type == "http":
        scheme = str(raw.get("scheme", "")).lower()
        return "bearer" if scheme == "bearer" else "basic" if scheme == "basic" else None
    if (
        scheme_type == "apiKey"
        and raw.get("in") in ("header", "query", "cookie")
        and raw.get("name")
    ):
        return "api_key"
    if token_flow(raw) is not None:
        return "oauth2"  # a token the client fetches (client credentials) or refreshes itself
    if scheme_type in ("oauth2", "openIdConnect"):
        return "bearer"  # both end in a bearer access token the caller obtains
    return None


def _drop_unknown_schemes(
    op: ir.Operation, known: set[str], spec: Spec, diagnostics: list[Diagnostic]
) -> ir.Operation:
    kept = tuple(alt for alt in op.security if all(key in known for key in alt))
    if len(kept) != len(op.security):
        missing = sorted({key for alt in op.security for key in alt} - known)
        diagnostic = spec.warn(
            "unknown-security",
            f"`{op.call_path}` names security scheme(s) {', '.join(missing)} that are not defined"
            " or not supported",
            join_pointer(op.pointer, "security"),
        )
        # located at `security`, about the operation
        diagnostics.append(dataclasses.replace(diagnostic, pointer=op.pointer))
        if not kept and op.security:
            kept = ((),) if () in op.security else ()
    return dataclasses.replace(op, security=kept)


def _server(view: SpecView, taken: frozenset[str], diagnostics: list[Diagnostic]) -> ir.Server:
    """The first server: its URL (absolute, or a relative path kept for joining), and its variables
    as constructor arguments. Whatever is not used is reported, never dropped silently."""
    servers = view.servers()
    if not servers:
        return ir.Server("", "")
    if len(servers) > 1:
        others = ", ".join(s.url for s in servers[1:])
        message = f"only the first server is the client's default; reach {others} with base_url=..."
        diagnostics.append(view.spec.warn("servers-not-default", message, "/servers/1"))
    first = servers[0]
    raw_url, description, variables = first.url, first.description, first.variables
    url = _SERVER_VARIABLE.sub(lambda m: _variable_default(variables, m), raw_url)
    if re.match(r"^/[^\s{}]*$", url):
        return ir.Server("", description, path=url.rstrip("/"))
    if not re.match(r"^https?://[^\s{}]+$", url):
        message = f"server URL {raw_url!r} cannot be resolved; callers must pass base_url=..."
        diagnostics.append(view.spec.warn("server-url-unusable", message, "/servers/0/url"))
        return ir.Server("", description)
    names = _SERVER_VARIABLE.findall(raw_url)
    if not names or _SERVER_VARIABLE.fullmatch(raw_url):
        return ir.Server(url.rstrip("/"), description)  # `{baseUrl}`: the whole URL is base_url's
    scope = NameScope(taken)
    arguments = tuple(
        _server_variable(name, variables[name], scope) for name in dict.fromkeys(names)
    )
    template = raw_url.rstrip("/")
    return ir.Server(url.rstrip("/"), description, template=template, variables=arguments)


def _variable_default(variables: Mapping[str, Any], match: re.Match[str]) -> str:
    variable = variables.get(match.group(1))
    return str(variable.get("default", "")) if isinstance(variable, dict) else match.group(0)


def _server_variable(name: str, raw: dict[str, Any], scope: NameScope) -> ir.ServerVariable:
    enum = tuple(str(v) for v in raw.get("enum") or () if isinstance(v, (str, int, float)))
    py_name = scope.claim(make_identifier(name, style="snake", fallback="server_variable"))
    return ir.ServerVariable(
        name, py_name, str(raw.get("default", "")), enum, str(raw.get("description") or "")
    )
