"""References to schemas that are only `null` become `None` itself.

A component such as `Nothing: {type: "null"}` is written as `Nothing: TypeAlias = None`. Used in a
union, `Nothing | None` or `Nothing | Other` (another null alias) evaluates `None | None` when
pydantic or the module reads the annotation, which is a TypeError. So every reference to such an
alias is replaced by the `none` type in one pass over the IR, and the unions it was in are
normalised again (a null member makes the rest nullable). The alias itself stays, for the user's
code that names it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from generator import ir
from generator.lower.schema_types import union_of

_TYPES = (
    ir.Primitive,
    ir.LiteralType,
    ir.ListType,
    ir.MapType,
    ir.UnionType,
    ir.Nullable,
    ir.Named,
)
_NONE = ir.Primitive("none")


def none_aliases(aliases: dict[str, ir.AliasDef]) -> set[str]:
    """Aliases whose value is `None`: a null schema, or an alias of one."""
    found: set[str] = set()
    todo = [name for name, alias in aliases.items() if alias.type == _NONE]
    pointing: dict[str, list[str]] = {}
    for name, alias in aliases.items():
        if isinstance(alias.type, ir.Named):
            pointing.setdefault(alias.type.name, []).append(name)
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo.extend(pointing.get(name, ()))
    return found


def replace_none_refs(node: Any, nones: set[str]) -> Any:
    """`node` (any IR object, or a tuple of them) with every reference to a null alias made
    `none`."""
    if not nones:
        return node
    if isinstance(node, _TYPES):
        return _type(node, nones)
    if isinstance(node, tuple):
        return tuple(replace_none_refs(item, nones) for item in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {}
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if isinstance(value, (*_TYPES, tuple)) or (
                dataclasses.is_dataclass(value) and not isinstance(value, type)
            ):
                new = replace_none_refs(value, nones)
                if new is not value:
                    changes[f.name] = new
        return dataclasses.replace(node, **changes) if changes else node
    return node


def _type(type_: ir.TypeRef, nones: set[str]) -> ir.TypeRef:
    if isinstance(type_, ir.Named):
        return _NONE if type_.name in nones else type_
    if isinstance(type_, ir.ListType):
        return ir.ListType(_type(type_.item, nones))
    if isinstance(type_, ir.MapType):
        return ir.MapType(_type(type_.value, nones))
    if isinstance(type_, ir.Nullable):
        return union_of((_type(type_.inner, nones), _NONE))
    if isinstance(type_, ir.UnionType):
        return union_of(tuple(_type(o, nones) for o in type_.options))
    return type_
