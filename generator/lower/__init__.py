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
from generator.lower.oauth import TOKEN_AUTH_EXTENSION, TOKEN_AUTH_METHODS, oauth_flow, token_auth, token_flow
from generator.lower.operations import OperationLowerer, security_alternatives
from generator.lower.pagination import PaginationLowerer
from generator.lower.params import name_params
from generator.lower.schemas import SchemaLowerer
from generator.lower.tree import CLIENT_ATTRIBUTES, build_resources, validate
from generator.lower.webhooks import lower_webhooks
from generator.names import MODULE_RESERVED, NameScope, make_identifier, upper_snake_case
from generator.spec import Spec

# Constructor arguments of every generated client; a security scheme argument must not take one.
CONSTRUCTOR_ARGUMENTS = frozenset(
    {"self", "base_url", "timeout", "max_retries", "default_headers", "http_client", "idempotency_keys", "strict_responses"}
)
# Words that name the kind of document, not the product: "OpenAI API" -> OPENAI_API_KEY.
_TITLE_NOISE = frozenset({"API", "APIS", "REST", "HTTP", "OPENAPI", "SERVICE", "SERVER", "REFERENCE", "SPEC", "SDK", "PUBLIC"})
# The environment variable of a credential, by what it is (when the API has several schemes).
_ENV_ROLES = {"bearer": "BEARER_TOKEN", "api_key": "API_KEY", "basic": "BASIC_AUTH"}
_SERVER_VARIABLE = re.compile(r"\{([^{}]*)\}")


def lower_api(
    spec: Spec, *, package: str, spec_path: str, env_prefix: str | None = None, stream_modes: Mapping[str, Mapping[str, Any]] | None = None
) -> tuple[ir.Api, list[Diagnostic]]:
    """The IR of one API plus the warnings met on the way; raises DiagnosticError on errors."""
    data = spec.document.data
    prefix = env_prefix or _title_prefix(spec.document.data) or upper_snake_case(re.sub(r"_?client$", "", package) or package)
    classes = NameScope(MODULE_RESERVED)
    schemas = SchemaLowerer(spec, classes)
    schemas.lower_components()
    schemes = _security_schemes(spec, prefix, schemas.diagnostics)
    known = {s.key for s in schemes}
    global_security = security_alternatives(data.get("security"))
    operations = OperationLowerer(schemas, NameScope(CLIENT_ATTRIBUTES), stream_modes).lower_all(global_security)
    operations = tuple(_drop_unknown_schemes(op, known, spec, schemas.diagnostics) for op in operations)
    taken = {s.py_param for s in schemes} | {p for s in schemes if s.oauth for p in (s.oauth.client_id_param, s.oauth.client_secret_param)}
    webhooks = lower_webhooks(spec, schemas, NameScope(CONSTRUCTOR_ARGUMENTS | taken), prefix, schemas.diagnostics)
    nones = none_aliases(schemas.aliases)
    models = {name: replace_none_refs(model, nones) for name, model in schemas.models.items()}
    operations = replace_none_refs(operations, nones)
    aliases, alias_errors = order_aliases({name: replace_none_refs(alias, nones) for name, alias in schemas.aliases.items()}, spec.diag)
    schemas.diagnostics.extend(alias_errors)
    model_defs, aliases = name_params(tuple(models[name] for name in sorted(models)), aliases, operations, classes)
    errors = [d for d in schemas.diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise DiagnosticError(errors)
    pages = PaginationLowerer(spec, models, {alias.name: alias for alias in aliases})
    operations = pages.attach_all(operations)
    info = data.get("info") if isinstance(data.get("info"), dict) else {}
    api = ir.Api(
        package=package,
        spec_path=spec_path,
        title=str(info.get("title") or package),
        version=str(info.get("version") or ""),
        description=str(info.get("description") or ""),
        server=_server(spec, CONSTRUCTOR_ARGUMENTS | {s.py_param for s in schemes}, schemas.diagnostics),
        env_prefix=prefix,
        security_schemes=schemes,
        models=model_defs,
        aliases=aliases,
        operations=operations,
        webhooks=webhooks,
    )
    operations, resources = build_resources(api.operations, frozenset(models) | frozenset(a.name for a in aliases))
    api = dataclasses.replace(api, operations=operations, resources=resources)
    validate(api, spec)
    api = dataclasses.replace(api, json_schemas=json_schemas(spec, api))
    warnings = [d for d in schemas.diagnostics if d.severity is Severity.WARNING]
    # Info findings (pagination-not-detected) ride along for `clientgen lint`; generate drops them.
    return api, warnings + missing_parts(spec, api, warnings) + pages.diagnostics


def _security_schemes(spec: Spec, prefix: str, diagnostics: list[Diagnostic]) -> tuple[ir.SecurityScheme, ...]:
    components = spec.document.data.get("components")
    raw_schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    if not isinstance(raw_schemes, dict):
        return ()
    supported = []
    for key in sorted(raw_schemes):
        pointer = join_pointer("/components/securitySchemes", key)
        raw = raw_schemes[key]
        if isinstance(raw, dict) and isinstance(raw.get("$ref"), str):
            _, target = spec.resolve(raw["$ref"], pointer, spec.classes.SecurityScheme)
            raw = spec.raw(target)
        kind = _scheme_kind(raw)
        if kind == "oauth2" and token_auth(raw) is None:
            diagnostics.append(spec.warn("unsupported-security", f"security scheme `{key}`: {TOKEN_AUTH_EXTENSION} must be one of {', '.join(TOKEN_AUTH_METHODS)}; the client secret is sent as HTTP Basic", pointer))
        if kind is None:
            diagnostics.append(spec.warn("unsupported-security", f"security scheme `{key}` ({raw.get('type')}) is not supported; operations that need it are sent without it", pointer))
            continue
        supported.append((key, kind, raw, pointer))
    single = len(supported) == 1
    arguments = NameScope(CONSTRUCTOR_ARGUMENTS)
    roles = [kind for _, kind, _, _ in supported]
    schemes = []
    for key, kind, raw, pointer in supported:
        base = ("basic_auth" if kind == "basic" else "access_token" if kind == "oauth2" else "api_key") if single else _scheme_argument(key)
        py_param = arguments.claim(base)
        # The name a user guesses (OPENAI_API_KEY), never the scheme's internal key; the argument's
        # name where two schemes share a role.
        role = _ENV_ROLES[kind] if not single and roles.count(kind) == 1 else upper_snake_case(py_param)
        env_var = f"{prefix}_{role}"
        location = _api_key_location(raw) if kind == "api_key" else "header"
        param_name = str(raw.get("name") or "") if kind == "api_key" else ""
        oauth = _oauth(spec.document.data, key, raw, arguments, prefix, single) if kind == "oauth2" else None
        schemes.append(ir.SecurityScheme(key, kind, location, param_name, py_param, env_var, str(raw.get("description") or ""), pointer, oauth))
    return tuple(schemes)


def _api_key_location(raw: dict[str, Any]) -> Literal["header", "query", "cookie"]:
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


def _title_prefix(data: Mapping[str, Any]) -> str:
    """PREFIX of the environment variables from the API's title: "OpenAI API" -> OPENAI; "" when
    the title is not one product name (the package name is used then)."""
    info = data.get("info")
    title = str(info.get("title") or "") if isinstance(info, dict) else ""
    words = [word.upper() for word in re.findall(r"[A-Za-z0-9]+", title)]
    while words and (words[-1] in _TITLE_NOISE or re.fullmatch(r"V\d+", words[-1])):
        words.pop()
    # Only a one-word product name: a longer title ("Workflow App API") rarely is what users type.
    return words[0] if len(words) == 1 and len(words[0]) >= 3 and words[0].isidentifier() else ""


def _oauth(data: dict[str, Any], key: str, raw: dict[str, Any], arguments: NameScope, prefix: str, single: bool) -> ir.OAuthFlow:
    """The flow of an oauth2 scheme the client looks after, with its client_id/client_secret
    arguments."""
    stem = "" if single else make_identifier(key, style="snake", fallback="oauth") + "_"
    names = (arguments.claim(f"{stem}client_id"), arguments.claim(f"{stem}client_secret"))
    envs = (f"{prefix}_{upper_snake_case(names[0])}", f"{prefix}_{upper_snake_case(names[1])}")
    return oauth_flow(data, key, raw, names, envs)


def _scheme_kind(raw: Any) -> ir.SchemeKind | None:
    if not isinstance(raw, dict):
        return None
    scheme_type = raw.get("type")
    if scheme_type == "http":
        scheme = str(raw.get("scheme", "")).lower()
        return "bearer" if scheme == "bearer" else "basic" if scheme == "basic" else None
    if scheme_type == "apiKey" and raw.get("in") in ("header", "query", "cookie") and raw.get("name"):
        return "api_key"
    if token_flow(raw) is not None:
        return "oauth2"  # a token the client fetches (client credentials) or refreshes itself
    if scheme_type in ("oauth2", "openIdConnect"):
        return "bearer"  # both end in a bearer access token the caller obtains
    return None


def _drop_unknown_schemes(op: ir.Operation, known: set[str], spec: Spec, diagnostics: list[Diagnostic]) -> ir.Operation:
    kept = tuple(alt for alt in op.security if all(key in known for key in alt))
    if len(kept) != len(op.security):
        missing = sorted({key for alt in op.security for key in alt} - known)
        diagnostic = spec.warn("unknown-security", f"`{op.call_path}` names security scheme(s) {', '.join(missing)} that are not defined or not supported", join_pointer(op.pointer, "security"))
        diagnostics.append(dataclasses.replace(diagnostic, pointer=op.pointer))  # located at `security`, about the operation
        if not kept and op.security:
            kept = ((),) if () in op.security else ()
    return dataclasses.replace(op, security=kept)


def _server(spec: Spec, taken: frozenset[str], diagnostics: list[Diagnostic]) -> ir.Server:
    """The first server: its URL (absolute, or a relative path kept for joining), and its variables
    as constructor arguments. Whatever is not used is reported, never dropped silently."""
    servers = spec.document.data.get("servers")
    if not isinstance(servers, list) or not servers or not isinstance(servers[0], dict):
        return ir.Server("", "")
    if len(servers) > 1:
        others = ", ".join(str(s.get("url")) for s in servers[1:] if isinstance(s, dict))
        diagnostics.append(spec.warn("servers-not-default", f"only the first server is the client's default; reach {others} with base_url=...", "/servers/1"))
    first = servers[0]
    raw_url = str(first.get("url") or "")
    description = str(first.get("description") or "")
    raw_variables = first.get("variables")
    variables: dict[str, Any] = raw_variables if isinstance(raw_variables, dict) else {}
    url = _SERVER_VARIABLE.sub(lambda m: _variable_default(variables, m), raw_url)
    if re.match(r"^/[^\s{}]*$", url):
        return ir.Server("", description, path=url.rstrip("/"))
    if not re.match(r"^https?://[^\s{}]+$", url):
        diagnostics.append(spec.warn("server-url-unusable", f"server URL {raw_url!r} cannot be resolved; callers must pass base_url=...", "/servers/0/url"))
        return ir.Server("", description)
    names = _SERVER_VARIABLE.findall(raw_url)
    if not names or _SERVER_VARIABLE.fullmatch(raw_url):  # `{baseUrl}`: the whole URL is base_url's job
        return ir.Server(url.rstrip("/"), description)
    scope = NameScope(taken)
    arguments = tuple(_server_variable(name, variables[name], scope) for name in dict.fromkeys(names))
    return ir.Server(url.rstrip("/"), description, template=raw_url.rstrip("/"), variables=arguments)


def _variable_default(variables: dict[str, Any], match: re.Match[str]) -> str:
    variable = variables.get(match.group(1))
    return str(variable.get("default", "")) if isinstance(variable, dict) else match.group(0)


def _server_variable(name: str, raw: dict[str, Any], scope: NameScope) -> ir.ServerVariable:
    enum = tuple(str(v) for v in raw.get("enum") or () if isinstance(v, (str, int, float)))
    py_name = scope.claim(make_identifier(name, style="snake", fallback="server_variable"))
    return ir.ServerVariable(name, py_name, str(raw.get("default", "")), enum, str(raw.get("description") or ""))
