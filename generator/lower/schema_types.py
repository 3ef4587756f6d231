"""Pure facts about one raw schema and small IR type algebra, for schema lowering: the types a
schema declares, whether it is nullable, enum literals, union flattening, the default a model can
carry and the examples it documents. Nothing here reports; the lowerer does, from what these return.
"""

from __future__ import annotations

from typing import Any

from generator import ir
from generator.diagnostics import join_pointer
from generator.encode import encodable
from generator.lower.defaults import SCALAR_DEFAULT_KINDS, default_fits

STRING_FORMATS: dict[str, ir.PrimitiveKind] = {
    "uuid": "uuid",
    "date-time": "datetime",
    "date": "date",
    "binary": "bytes",
}


SIMPLE_TYPES: dict[str, ir.PrimitiveKind] = {
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "null": "none",
}


def declared_types(raw: dict[str, Any]) -> list[str]:
    """The schema's non-null types, from a 3.0 string or a 3.1 list."""
    declared = raw.get("type")
    types = (
        declared if isinstance(declared, list) else [declared] if isinstance(declared, str) else []
    )
    return [t for t in types if t != "null"]


def is_nullable(raw: dict[str, Any]) -> bool:
    declared = raw.get("type")
    if raw.get("nullable") is True or (isinstance(declared, list) and "null" in declared):
        return True
    return False


def literal_type(values: tuple[Any, ...]) -> ir.LiteralType | None:
    if values and all(isinstance(v, str | int) and not isinstance(v, float) for v in values):
        unique = tuple(dict.fromkeys(values))
        return ir.LiteralType(unique)
    return None


def union_of(options: tuple[ir.TypeRef, ...]) -> ir.TypeRef:
    """Flatten and de-duplicate a union; a `null` branch makes the rest nullable."""
    flat: list[ir.TypeRef] = []
    nullable = False
    for option in options:
        if isinstance(option, ir.Nullable):
            nullable, option = True, option.inner
        members = option.options if isinstance(option, ir.UnionType) else (option,)
        for member in members:
            if member == ir.Primitive("none"):
                nullable = True
            elif member not in flat:
                flat.append(member)
    if ir.ANY in flat:
        return ir.ANY
    if not flat:
        return ir.Primitive("none")
    base = flat[0] if len(flat) == 1 else ir.UnionType(tuple(flat))
    return ir.Nullable(base) if nullable else base


def text_of(raw: Any, key: str) -> str:
    """A string field of a spec object, or "" when it is missing or not a string."""
    value = raw.get(key) if isinstance(raw, dict) else None
    return value if isinstance(value, str) else ""


def as_nullable(base: ir.TypeRef) -> ir.TypeRef:
    if base == ir.ANY or base == ir.Primitive("none") or isinstance(base, ir.Nullable):
        return base
    return ir.Nullable(base)


def enum_type(raw: dict[str, Any]) -> ir.TypeRef:
    values = tuple(raw["enum"])
    nullable = None in values
    literal = literal_type(tuple(v for v in values if v is not None))
    if literal is None:
        base: ir.TypeRef = (
            ir.Primitive(SIMPLE_TYPES.get(str(raw.get("type")), "any"))
            if raw.get("type") != "string"
            else ir.Primitive("str")
        )
    else:
        base = literal
    return as_nullable(base) if nullable else base


def examples_of(raw: Any, pointer: str) -> tuple[ir.Example, ...]:
    if not isinstance(raw, dict):
        return ()
    found = []
    if "example" in raw:
        found.append(ir.Example("example", raw["example"], join_pointer(pointer, "example")))
    if isinstance(raw.get("examples"), list):
        found += [
            ir.Example(f"examples[{i}]", v, join_pointer(pointer, "examples", i))
            for i, v in enumerate(raw["examples"])
        ]
    return tuple(found)


# Why a `default` is not carried: (diagnostic code, message), or None when there is nothing to say.
DefaultProblem = tuple[str, str] | None


def carried_default(
    raw: dict[str, Any], type_: ir.TypeRef
) -> tuple[ir.JsonValue, bool, DefaultProblem]:
    """(value, whether the model carries it, a problem to report): a scalar that fits the field's
    type is carried; others stay documentation."""
    if "default" not in raw:
        return None, False, None
    value = raw["default"]
    if not encodable(value):
        message = "`default` holds a number too large to write in Python source; it is not used"
        return None, False, ("value-too-large", message)
    inner = type_.inner if isinstance(type_, ir.Nullable) else type_
    if value is None and isinstance(type_, ir.Nullable):
        return None, True, None
    if (
        isinstance(inner, ir.LiteralType)
        and value in inner.values
        and not isinstance(value, bool | float)
    ):
        return value, True, None
    if isinstance(inner, ir.Primitive) and inner.kind in SCALAR_DEFAULT_KINDS:
        expected = SCALAR_DEFAULT_KINDS[inner.kind]
        if isinstance(value, expected) and (inner.kind == "bool" or not isinstance(value, bool)):
            return value, True, None
    # A default of a formatted kind (a UUID or date string) fits but is not carried: the model would
    # have to build the value, and the server applies it anyway when the field is left out.
    if isinstance(inner, ir.Primitive | ir.LiteralType) and not default_fits(value, type_):
        message = f"default {value!r:.60} does not fit the schema's type; it is not used"
        return None, False, ("default-mismatch", message)
    return None, False, None
