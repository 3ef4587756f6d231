"""IR types -> Python annotation source, and the imports those annotations need."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from generator import ir
from generator.encode import literal

_PRIMITIVES = {
    "str": "str",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "bytes": "bytes",
    "uuid": "UUID",
    "datetime": "datetime",
    "date": "date",
    "any": "Any",
    "none": "None",
}
# Arguments of these kinds also accept their wire form, so callers need not build a UUID to pass an
# id.
_LENIENT_ARGUMENTS = {"uuid", "datetime", "date"}


@dataclass
class Imports:
    """Names an annotation needs, grouped by where they come from."""

    typing: set[str] = field(default_factory=set)
    stdlib: dict[str, set[str]] = field(default_factory=dict)
    models: set[str] = field(default_factory=set)
    runtime: set[str] = field(default_factory=set)  # names from the package's _base module
    params: set[str] = field(
        default_factory=set
    )  # TypedDicts and param aliases (the `params` module)
    # Set for modules whose argument annotations accept TypedDicts (see `RequestTypes`).
    request: RequestTypes | None = None
    open_enum: bool = False  # an annotation uses `_models.UnknownValue`
    # Aliases that are string enums of two or more values: a response field naming one is opened
    # too.
    open_aliases: frozenset[str] = frozenset()

    def lines(self) -> list[str]:
        lines = [
            f"from {module} import {', '.join(sorted(names))}"
            for module, names in sorted(self.stdlib.items())
        ]
        if self.typing:
            lines.append(f"from typing import {', '.join(sorted(self.typing))}")
        return lines


@dataclass(frozen=True)
class RequestTypes:
    """What a request argument accepts for a model or alias: model -> "ModelParam | Model" (its
    TypedDict or the model), alias -> its param alias. Names without an entry are written as they
    are."""

    params: Mapping[str, str]  # model or alias name -> its `param_name`
    models: frozenset[str]  # the names in `params` that are models

    @classmethod
    def of(cls, api: ir.Api) -> RequestTypes:
        definitions: list[ir.ModelDef | ir.AliasDef] = [*api.models, *api.aliases]
        params = {d.name: d.param_name for d in definitions if d.param_name}
        return cls(params, frozenset(m.name for m in api.models if m.param_name))


def annotation(
    type_: ir.TypeRef,
    imports: Imports,
    *,
    lenient: bool = False,
    request: RequestTypes | None = None,
    open_enums: bool = False,
) -> str:
    """Python source for `type_`. `lenient` widens UUID/datetime/date to also accept `str`
    (arguments); `request` writes models and aliases as a request accepts them (TypedDicts too);
    `open_enums` (response model fields only) adds `UnknownValue` to string enums of two or more
    values, so a value a server adds later is kept, not an error (single values stay exact: they
    tell union members apart)."""

    def inner(sub: ir.TypeRef) -> str:
        return annotation(sub, imports, lenient=lenient, request=request, open_enums=open_enums)

    if isinstance(type_, ir.Primitive):
        return _primitive(type_, imports, lenient)
    if isinstance(type_, ir.Named):
        if open_enums and type_.name in imports.open_aliases:
            imports.models.add(type_.name)
            imports.open_enum = True
            return f"{type_.name} | UnknownValue"
        return _named(type_, imports, request)
    if isinstance(type_, ir.LiteralType):
        return _literal_type(type_, imports, open_enums)
    if isinstance(type_, ir.ListType):
        return f"list[{inner(type_.item)}]"
    if isinstance(type_, ir.MapType):
        return f"dict[str, {inner(type_.value)}]"
    if isinstance(type_, ir.UnionType):
        return " | ".join(inner(o) for o in type_.options)
    if isinstance(type_, ir.Nullable):
        return f"{inner(type_.inner)} | None"
    raise TypeError(f"unknown IR type {type_!r}")


def _named(type_: ir.Named, imports: Imports, request: RequestTypes | None) -> str:
    param = request.params.get(type_.name) if request is not None else None
    if param is not None and request is not None:
        imports.params.add(param)
        if type_.name not in request.models:
            return param
        imports.models.add(type_.name)
        return f"{param} | {type_.name}"
    imports.models.add(type_.name)
    return type_.name


def _literal_type(type_: ir.LiteralType, imports: Imports, open_enums: bool) -> str:
    imports.typing.add("Literal")
    text = "Literal[" + ", ".join(literal(v) for v in type_.values) + "]"
    if open_enums and is_open_enum(type_):
        imports.open_enum = True
        text += " | UnknownValue"
    return text


def optional(
    type_: ir.TypeRef, imports: Imports, *, lenient: bool = False, open_enums: bool = False
) -> str:
    """The annotation of a value that may be absent: `T | None` unless T already admits None."""
    text = annotation(type_, imports, lenient=lenient, open_enums=open_enums)
    if admits_none(type_):
        return text
    return f"{text} | None"


def admits_none(type_: ir.TypeRef) -> bool:
    return isinstance(type_, ir.Nullable) or type_ in (ir.ANY, ir.Primitive("none"))


def _primitive(type_: ir.Primitive, imports: Imports, lenient: bool) -> str:
    name = _PRIMITIVES[type_.kind]
    if name == "Any":
        imports.typing.add("Any")
    elif name == "UUID":
        imports.stdlib.setdefault("uuid", set()).add("UUID")
    elif name in ("datetime", "date"):
        imports.stdlib.setdefault("datetime", set()).add(name)
    if lenient and type_.kind in _LENIENT_ARGUMENTS:
        return f"{name} | str"
    return name


def is_open_enum(type_: ir.TypeRef) -> bool:
    """A string enum of two or more values: a response may carry a value the spec does not list yet
    (single values stay exact: they tell union members apart)."""
    return (
        isinstance(type_, ir.LiteralType)
        and len(type_.values) > 1
        and all(isinstance(v, str) for v in type_.values)
    )
