"""What a field or argument is called in a class body, and what its docstring says.

`annotation_names` lists the names a model's annotations use, so that a field is renamed only when
it would shadow one of them in the class body (`date: date`), never because it shares a builtin's
name (`object`, `type`, `id`, `bytes` stay). It mirrors `generator.render.annotations`.

`description_of` finds the description of a property or parameter schema: its own, else that of the
schema its `$ref` (or a one-member `allOf`) names, else the one description its `anyOf`/`oneOf`
members agree on (OpenAI's chat call documents half of its arguments only there).
"""

from __future__ import annotations

from collections.abc import Iterable

from generator import ir
from generator.diagnostics import DiagnosticError, join_pointer
from generator.spec import Spec

_PRIMITIVE_NAMES = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "bytes": "bytes",
    "uuid": "UUID",
}
_PRIMITIVE_NAMES |= {"datetime": "datetime", "date": "date", "any": "Any"}
_MAX_DEPTH = 8  # $ref chains and nested unions followed for a description; deeper ones say nothing


def annotation_names(types: Iterable[ir.TypeRef]) -> frozenset[str]:
    """Every name the annotations of `types` mention (builtins, typing and stdlib names, models)."""
    found: set[str] = set()
    pending = list(types)
    while pending:
        type_ = pending.pop()
        if isinstance(type_, ir.Primitive):
            found.add(_PRIMITIVE_NAMES.get(type_.kind, "None"))
        elif isinstance(type_, ir.Named):
            found.add(type_.name)
        elif isinstance(type_, ir.LiteralType):
            found.add("Literal")
        elif isinstance(type_, ir.ListType):
            found.add("list")
            pending.append(type_.item)
        elif isinstance(type_, ir.MapType):
            found.add("dict")
            pending.append(type_.value)
        elif isinstance(type_, ir.UnionType):
            pending.extend(type_.options)
        elif isinstance(type_, ir.Nullable):
            pending.append(type_.inner)
    return frozenset(found)


def description_of(spec: Spec, pointer: str, depth: int = 0) -> str:
    """The description of the schema at `pointer`, or of what it refers to or is a choice among."""
    try:
        raw = spec.raw(pointer)
    except KeyError:
        return ""
    if not isinstance(raw, dict) or depth > _MAX_DEPTH:
        return ""
    own = raw.get("description")
    if isinstance(own, str) and own.strip():
        return own
    if isinstance(raw.get("$ref"), str):
        try:
            _, target = spec.resolve(raw["$ref"], pointer, spec.classes.Schema)
        except DiagnosticError:
            return ""  # lowering reports the broken reference
        return description_of(spec, target, depth + 1)
    if isinstance(raw.get("allOf"), list) and len(raw["allOf"]) == 1:
        return description_of(spec, join_pointer(pointer, "allOf", 0), depth + 1)
    for key in ("anyOf", "oneOf"):
        if isinstance(raw.get(key), list):
            members = {
                description_of(spec, join_pointer(pointer, key, i), depth + 1)
                for i in range(len(raw[key]))
            }
            members.discard("")
            return members.pop() if len(members) == 1 else ""
    return ""
