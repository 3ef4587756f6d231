"""The validation pass after lowering: every part of the spec is in the IR, or a warning says why
not.

Lowering is meant to generate every operation, parameter, response, component schema and property;
this pass proves it for each run instead of trusting it. Anything the IR lacks and no warning
already names (at its JSON pointer or an enclosing one) gets a located `not-generated` warning, so a
gap can never be silent, and the tests assert that the golden cases and Stripe produce none.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator import ir
from generator.diagnostics import Diagnostic, join_pointer, split_pointer
from generator.lower.operations import SPEC_METHODS
from generator.spec import Spec


def spec_parts(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(kind, JSON pointer) of every operation and component schema the document declares."""
    declared = data.get("paths")
    paths: dict[str, Any] = declared if isinstance(declared, dict) else {}
    for path in sorted(paths):
        item = paths[path]
        for method in SPEC_METHODS:
            if isinstance(item, dict) and isinstance(item.get(method), dict):
                yield "operation", join_pointer("/paths", path, method)
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

    for kind, pointer in spec_parts(spec.document.data):
        if kind == "operation":
            op = operations.get(pointer)
            if op is None:
                report(
                    f"operation {pointer.rsplit('/', 1)[1].upper()} {_path_of(pointer)}", pointer
                )
            else:
                _check_operation(spec, op, report)
        elif pointer not in defined:
            report(f"schema `{pointer.rsplit('/', 1)[1]}`", pointer)
    for model in api.models:
        _check_model(spec, model, report)
    return found


def _check_operation(spec: Spec, op: ir.Operation, report: Any) -> None:
    have = {(p.location, p.wire_name) for p in op.parameters}
    for owner in (op.pointer.rsplit("/", 1)[0], op.pointer):
        listed = spec.raw(owner).get("parameters")
        for index, _ in enumerate(listed if isinstance(listed, list) else []):
            raw = _resolved(spec, join_pointer(owner, "parameters", index))
            key = (str(raw.get("in")), str(raw.get("name")))
            if key not in have:
                report(
                    f"{key[0]} parameter `{key[1]}` of `{op.call_path}`",
                    join_pointer(owner, "parameters", index),
                )
    statuses = {r.status for r in op.responses}
    for status in spec.raw(op.pointer).get("responses") or {}:
        if str(status) not in statuses:
            report(
                f"response {status} of `{op.call_path}`",
                join_pointer(op.pointer, "responses", status),
            )
    if "requestBody" in spec.raw(op.pointer) and op.body is None:
        body = _resolved(spec, join_pointer(op.pointer, "requestBody"))
        if body.get("content"):
            report(f"the request body of `{op.call_path}`", join_pointer(op.pointer, "requestBody"))


def _check_model(spec: Spec, model: ir.ModelDef, report: Any) -> None:
    """Each property of the model's own schema (allOf parts are checked as their own models)."""
    raw = _resolved(spec, model.pointer)
    wires = {f.wire_name for f in model.fields}
    properties = raw.get("properties") if isinstance(raw, dict) else None
    for key in properties if isinstance(properties, dict) else {}:
        if key not in wires:
            report(
                f"property `{key}` of `{model.name}`",
                join_pointer(model.pointer, "properties", key),
            )


def _resolved(spec: Spec, pointer: str) -> dict[str, Any]:
    value, _ = spec.follow(pointer)
    return value if isinstance(value, dict) else {}


def _covered(pointer: str, explained: set[str]) -> bool:
    """True when a warning names `pointer` or a part of the document that encloses it."""
    while pointer:
        if pointer in explained:
            return True
        pointer = pointer.rsplit("/", 1)[0]
    return False


def _path_of(pointer: str) -> str:
    return split_pointer(pointer)[1]
