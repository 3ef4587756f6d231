"""Walks over IR type references, shared by lowering (request types, alias order) and rendering
(model order and modules)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.ir import AliasDef, ListType, MapType, ModelDef, Named, Nullable, TypeRef, UnionType


def named_refs(type_: TypeRef | None) -> Iterator[str]:
    """The model and alias names a type refers to, in source order (one walk for every pass)."""
    stack: list[TypeRef | None] = [type_]
    while stack:
        current = stack.pop()
        if isinstance(current, Named):
            yield current.name
        elif isinstance(current, ListType):
            stack.append(current.item)
        elif isinstance(current, MapType):
            stack.append(current.value)
        elif isinstance(current, Nullable):
            stack.append(current.inner)
        elif isinstance(current, UnionType):
            stack.extend(reversed(current.options))


def definition_refs(definition: ModelDef | AliasDef) -> list[str]:
    """The names a model's fields (and extra properties) or an alias's type refer to, in order."""
    if isinstance(definition, AliasDef):
        return list(named_refs(definition.type))
    names = [name for f in definition.fields for name in named_refs(f.type)]
    return names + list(named_refs(definition.extra_type))
