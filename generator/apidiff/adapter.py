"""IR -> API surface: the one place that knows both `generator.ir` and `generator.apidiff.surface`.

The IR grows while the surface format stays put: a new IR attribute that callers can see becomes
either a field of `surface.Method`/`Model` (with a default, so older snapshots still read) or, for a
per-method fact with a simple old/new value, a `trait` (`_traits` below) that `compare.TRAIT_RULES`
classifies.
"""

from __future__ import annotations

import json

from generator import ir
from generator.apidiff import surface as s
from generator.apidiff.types import text_of


def snapshot(api: ir.Api) -> s.Surface:
    """The caller-visible surface of one API."""
    return s.Surface(
        package=api.package,
        spec=api.spec_path,
        version=api.version,
        server=api.server.url,
        schemes=tuple(
            sorted(
                (_scheme(scheme) for scheme in api.security_schemes), key=lambda scheme: scheme.key
            )
        ),
        methods=tuple(
            sorted((_method(op) for op in api.operations), key=lambda method: method.key)
        ),
        models=tuple(
            sorted(
                [*map(_model, api.models), *map(_alias, api.aliases)], key=lambda model: model.name
            )
        ),
    )


def method_key(op: ir.Operation) -> str:
    """The identity a method keeps across spec versions: its operationId, else its HTTP method and
    path."""
    return op.operation_id or f"{op.method.upper()} {op.path}"


def _method(op: ir.Operation) -> s.Method:
    return s.Method(
        key=method_key(op),
        name="" if op.streams_only else op.call_path,
        http=f"{op.method.upper()} {op.path}",
        args=_args(op),
        returns=_returns(op),
        errors=tuple(
            s.Outcome(r.status, text_of(r.type), r.pointer)
            for r in op.responses
            if not r.status.startswith("2") and r.status != "default" and r.type is not None
        ),
        stream=None if op.stream is None else _event_text(op.stream),
        stream_name=op.stream_call_path if op.stream is not None else None,
        auth=op.security,
        deprecated=op.deprecated,
        body_model=_body_model(op),
        traits=_traits(op),
        pointer=op.pointer,
    )


def _traits(op: ir.Operation) -> tuple[tuple[str, str], ...]:
    """Per-method facts compared as plain values. Add new IR attributes here (see the module
    docstring)."""
    traits: list[tuple[str, str]] = []
    if op.idempotency_header:
        traits.append(("idempotency-header", op.idempotency_header))
    if op.pagination is not None:
        items = ".".join(op.pagination.items) or "the body"
        traits.append(("pagination", f"pages by {op.pagination.scheme}, items in {items}"))
    return tuple(traits)


def _args(op: ir.Operation) -> tuple[s.Arg, ...]:
    """Every argument a caller passes, as the generated signature has them (the hidden stream switch
    excluded: each method fixes it)."""
    mode = op.stream_mode
    hidden = (mode.location, mode.wire_name) if mode is not None else None
    args: list[s.Arg] = []
    position = 0
    for p in op.parameters:
        if (p.location, p.wire_name) == hidden:
            continue
        index = position if p.location == "path" else None
        position += p.location == "path"
        args.append(
            s.Arg(
                p.py_name,
                p.wire_name,
                p.location,
                text_of(p.type),
                p.required,
                None,
                index,
                p.pointer,
            )
        )
    args += _body_args(op, hidden)
    return tuple(args)


def _body_args(op: ir.Operation, hidden: tuple[str, str] | None) -> list[s.Arg]:
    """The body's arguments: one per field of a fields body (but the hidden stream switch), else one
    for the whole body."""
    body = op.body
    if body is None:
        return []
    if body.fields is not None:
        return [
            s.Arg(
                f.py_name,
                f.wire_name,
                "body-field",
                text_of(f.type),
                f.required,
                _default(f),
                None,
                f.pointer,
            )
            for f in body.fields
            if ("body", f.wire_name) != hidden
        ]
    return [
        s.Arg(
            op.body_param, "", "body", text_of(body.type), body.required, None, None, body.pointer
        )
    ]


def _body_model(op: ir.Operation) -> str | None:
    body = op.body
    if body is not None and body.fields is not None and isinstance(body.type, ir.Named):
        return body.type.name
    return None


def _returns(op: ir.Operation) -> str:
    """The success type as the generated method declares it (see
    `render.view._return_annotation`)."""
    success = [r for r in op.responses if r.status.startswith("2")] or [
        r for r in op.responses if r.status == "default"
    ]
    options: list[str] = []
    for response in success:
        text = text_of(response.type)
        if text not in options:
            options.append(text)
    if "Any" in options:
        return "Any"
    return " | ".join(sorted(options, key=lambda option: option == "None")) or "None"


def _event_text(stream: ir.EventStream) -> str:
    return "Any" if stream.event_type is None else text_of(stream.event_type)


def _default(f: ir.Field) -> str | None:
    return json.dumps(f.default, sort_keys=True, ensure_ascii=False) if f.has_default else None


def _model(model: ir.ModelDef) -> s.Model:
    fields = tuple(
        s.ModelField(f.py_name, f.wire_name, text_of(f.type), f.required, _default(f), f.pointer)
        for f in model.fields
    )
    extra = None if model.extra_type is None else text_of(model.extra_type)
    return s.Model(model.name, fields, extra, None, model.pointer)


def _alias(alias: ir.AliasDef) -> s.Model:
    return s.Model(alias.name, (), None, text_of(alias.type), alias.pointer)


def _scheme(scheme: ir.SecurityScheme) -> s.Scheme:
    return s.Scheme(
        scheme.key,
        scheme.kind,
        scheme.location,
        scheme.param_name,
        scheme.py_param,
        scheme.env_var,
        scheme.pointer,
    )
