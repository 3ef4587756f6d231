"""Type expressions of the API surface: written as text, read back as a small tree, compared by
values.

A surface stores every type as the text a reader expects (`list[Customer] | None`, `Literal["a",
"b"]`), so the committed `.clientgen-api.json` reads well in a review diff. Literal values are JSON,
which keeps any spec text (quotes, brackets, `|`) unambiguous. `parse` turns the text back into a
tree and `accepts` answers "is every value of one type a value of the other", which is what
breaking/compatible rests on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TypeAlias

from generator import ir

# How the surface spells the IR's primitive kinds (the names a caller sees in annotations).
PRIMITIVE_TEXT = {
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
_PRIMITIVES = frozenset(PRIMITIVE_TEXT.values())
LiteralValue: TypeAlias = "str | int | bool"


@dataclass(frozen=True, slots=True)
class Atom:
    """A primitive (`str`, `None`, `Any`, ...) or a model/alias by name (`named`)."""

    name: str
    named: bool


@dataclass(frozen=True, slots=True)
class Lit:
    values: tuple[
        tuple[str, LiteralValue], ...
    ]  # (JSON type name, value): `True` and `1` stay apart


@dataclass(frozen=True, slots=True)
class Container:
    kind: str  # "list" or "dict"
    item: Shape


@dataclass(frozen=True, slots=True)
class Union:
    options: tuple[Shape, ...]


Shape: TypeAlias = "Atom | Lit | Container | Union"


# --- IR -> text -----------------------------------------------------------------------------------
def text_of(type_: ir.TypeRef | None) -> str:
    """The surface text of an IR type (None: no body, written `None`)."""
    if type_ is None:
        return "None"
    if isinstance(type_, ir.Primitive):
        return PRIMITIVE_TEXT[type_.kind]
    if isinstance(type_, ir.Named):
        return type_.name
    if isinstance(type_, ir.LiteralType):
        return "Literal[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in type_.values) + "]"
    if isinstance(type_, ir.ListType):
        return f"list[{text_of(type_.item)}]"
    if isinstance(type_, ir.MapType):
        return f"dict[str, {text_of(type_.value)}]"
    if isinstance(type_, ir.UnionType):
        return " | ".join(text_of(option) for option in type_.options)
    if isinstance(type_, ir.Nullable):
        return f"{text_of(type_.inner)} | None"
    # A type node this adapter does not know yet: kept visible, compared by its text only.
    return f"?{type(type_).__name__}"


# --- text -> tree ---------------------------------------------------------------------------------
class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def union(self) -> Shape:
        options = [self.term()]
        while self.text.startswith(" | ", self.at):
            self.at += 3
            options.append(self.term())
        flat: list[Shape] = []
        for option in options:
            flat.extend(option.options if isinstance(option, Union) else (option,))
        return flat[0] if len(flat) == 1 else Union(tuple(flat))

    def term(self) -> Shape:
        if self._take("Literal["):
            values = [self._json()]
            while self._take(", "):
                values.append(self._json())
            self._expect("]")
            return Lit(tuple((type(v).__name__, v) for v in values))
        for kind, opening in (("list", "list["), ("dict", "dict[str, ")):
            if self._take(opening):
                item = self.union()
                self._expect("]")
                return Container(kind, item)
        start = self.at
        while self.at < len(self.text) and (
            self.text[self.at].isalnum() or self.text[self.at] in "_?."
        ):
            self.at += 1
        name = self.text[start : self.at]
        if not name:
            raise ValueError(f"type text {self.text!r}: a name expected at {start}")
        return Atom(name, named=name not in _PRIMITIVES)

    def _json(self) -> LiteralValue:
        value, self.at = json.JSONDecoder().raw_decode(self.text, self.at)
        if not isinstance(value, (str, int, bool)):
            raise ValueError(
                f"type text {self.text!r}: literal {value!r} is not a string, integer or boolean"
            )  # noqa: TRY004 (a parse error, as the others)
        return value

    def _take(self, token: str) -> bool:
        if self.text.startswith(token, self.at):
            self.at += len(token)
            return True
        return False

    def _expect(self, token: str) -> None:
        if not self._take(token):
            raise ValueError(f"type text {self.text!r}: {token!r} expected at {self.at}")


def parse(text: str) -> Shape:
    reader = _Reader(text)
    shape = reader.union()
    if reader.at != len(text):
        raise ValueError(f"type text {text!r}: unexpected text at {reader.at}")
    return shape


def options(shape: Shape) -> tuple[Shape, ...]:
    return shape.options if isinstance(shape, Union) else (shape,)


def names_in(shape: Shape) -> list[str]:
    """The models and aliases a type refers to."""
    if isinstance(shape, Atom):
        return [shape.name] if shape.named else []
    if isinstance(shape, Container):
        return names_in(shape.item)
    if isinstance(shape, Union):
        return [name for option in shape.options for name in names_in(option)]
    return []


# --- comparison -----------------------------------------------------------------------------------
def accepts(wide: Shape, narrow: Shape) -> bool:
    """True when every value of `narrow` is a value of `wide` (`int` counts as a `float`, as in
    Python)."""
    if isinstance(wide, Atom) and wide.name == "Any":
        return True
    if isinstance(narrow, Union):
        return all(accepts(wide, option) for option in narrow.options)
    if isinstance(narrow, Lit):
        return all(
            any(_holds(option, value) for option in options(wide)) for value in narrow.values
        )
    return any(_accepts_one(option, narrow) for option in options(wide))


def _accepts_one(wide: Shape, narrow: Shape) -> bool:
    if isinstance(wide, Atom) and isinstance(narrow, Atom):
        return wide == narrow or wide.name == "Any" or (wide.name, narrow.name) == ("float", "int")
    if isinstance(wide, Container) and isinstance(narrow, Container):
        return wide.kind == narrow.kind and accepts(wide.item, narrow.item)
    return False


def _holds(shape: Shape, value: tuple[str, LiteralValue]) -> bool:
    """Whether one literal value (JSON type, value) is a value of `shape`."""
    if isinstance(shape, Lit):
        return value in shape.values
    if isinstance(shape, Atom):
        allowed = {
            "str": ("str",),
            "int": ("int",),
            "float": ("int",),
            "bool": ("bool",),
            "Any": ("str", "int", "bool"),
        }
        return value[0] in allowed.get(shape.name, ())
    return False


def literal_values(shape: Shape) -> tuple[frozenset[tuple[str, LiteralValue]], bool] | None:
    """An enum's values and whether it is nullable (`Literal[...]` or `Literal[...] | None`), else
    None."""
    values: set[tuple[str, LiteralValue]] = set()
    nullable = False
    for option in options(shape):
        if isinstance(option, Lit):
            values.update(option.values)
        elif option == Atom("None", named=False):
            nullable = True
        else:
            return None
    return (frozenset(values), nullable) if values else None


def rename(shape: Shape, renamed: dict[str, str]) -> Shape:
    """The type with models renamed (old name -> new name), to compare across a rename."""
    if isinstance(shape, Atom):
        return Atom(renamed.get(shape.name, shape.name), True) if shape.named else shape
    if isinstance(shape, Container):
        return Container(shape.kind, rename(shape.item, renamed))
    if isinstance(shape, Union):
        return Union(tuple(rename(option, renamed) for option in shape.options))
    return shape
