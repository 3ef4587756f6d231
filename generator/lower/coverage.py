"""The validation pass after lowering: every part of the spec is in the IR, or a warning says why
not.

Lowering is meant to generate every operation, parameter, response, component schema and property;
this pass proves it for each run instead of trusting it. Anything the IR lacks and no warning
already names (at its JSON pointer or an enclosing one) gets a located `not-generated` warning, so a
gap can never be silent, and the tests assert that the golden cases and Stripe produce none.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from generator import ir
from generator.diagnostics import Diagnostic, join_pointer, split_pointer
from generator.spec import Spec
from generator.specview import SpecView, declared_operations


def spec_parts(data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(kind, JSON pointer) of every operation and component schema the document declares."""
    operations = sorted(declared_operations(data), key=lambda found: found[0])
    for _, _, pointer in operations:
        yield "operation", pointer
    components = data.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    for key in sorted(schemas) if isinstance(schemas, dict) else []:
        yield "schema", join_pointer("/components/schemas", key)


def missing_parts(spec: Spec, api: ir.Api, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """A `not-generated` warning for every operation, parameter, response, schema and property that
    is neither in `api` nor named by one of `diagnostics` (at its pointer or an enclosing one)."""
    explained = {d.pointer for d in diagnostics if d.pointer}
    operations = {op.pointer: op for op in api.operations}
    defined = {m.pointer: m for m in api.models} | {a.pointer: a for a in api.aliases}
    found: list[Diagnostic] = []

    def report(what: str, pointer: str) -> None:
        if not _covered(pointer, explained):
            found.append(
                spec.warn(
                    "not-generated",
                    f"{what} is not in the generated package and no other warning says why",
                    pointer,
                )
            )

    view = SpecView(spec, reporting=False)
    for kind, pointer in spec_parts(view.data):
        if kind == "operation":
            op = operations.get(pointer)
            if op is None:
                report(
                    f"operation {pointer.rsplit('/', 1)[1].upper()} {_path_of(pointer)}", pointer
                )
            else:
                _check_operation(view, op, report)
        elif pointer not in defined:
            report(f"schema `{pointer.rsplit('/', 1)[1]}`", pointer)
    for model in api.models:
        _check_model(spec, model, report)
    return found


def _check_operation(view: SpecView, op: ir.Operation, report: Any) -> None:
    operation = view.operation(*_path_and_method(op.pointer))
    if operation is None:
        return
    have = {(p.location, p.wire_name) for p in op.parameters}
    for parameter in operation.declared_parameters():
        if parameter.key not in have:
            where, name = parameter.key
            report(f"{where} parameter `{name}` of `{op.call_path}`", parameter.declared_at)
    statuses = {r.status for r in op.responses}
    for status in operation.statuses():
        if status not in statuses:
            report(
                f"response {status} of `{op.call_path}`",
                join_pointer(op.pointer, "responses", status),
            )
    body = operation.request_body() if op.body is None else None
    if body is not None and body.content:
        report(f"the request body of `{op.call_path}`", join_pointer(op.pointer, "requestBody"))


def _check_model(spec: Spec, model: ir.ModelDef, report: Any) -> None:
    """Each property of the model's own schema (allOf parts are checked as their own models)."""
    raw = spec.follow(model.pointer)[0]
    wires = {f.wire_name for f in model.fields}
    properties = raw.get("properties") if isinstance(raw, dict) else None
    for key in properties if isinstance(properties, dict) else {}:
        if key not in wires:
            report(
                f"property `{key}` of `{model.name}`",
                join_pointer(model.pointer, "properties", key),
            )


def _covered(pointer: str, explained: set[str]) -> bool:
    """True when a warning names `pointer` or a part of the document that encloses it."""
    while pointer:
        if pointer in explained:
            return True
        pointer = pointer.rsplit("/", 1)[0]
    return False


def _path_of(pointer: str) -> str:
    return split_pointer(pointer)[1]


def _path_and_method(pointer: str) -> tuple[str, str]:
    """(path, method) of `/paths/{path}/{method}`."""
    tokens = split_pointer(pointer)
    return tokens[1], tokens[2]
