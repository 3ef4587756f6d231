"""The API surface: what a caller of a generated package can see and depend on, as plain data.

A surface is built from the IR by `generator.apidiff.adapter` and stored beside every generated
package as `.clientgen-api.json`, so `clientgen check --explain` can compare the committed package
with a new render without the spec it came from. It holds no descriptions and no code: only names,
types (as text, see `generator.apidiff.types`), requiredness, defaults, auth and the JSON pointer
each came from.

Reading is forgiving in one direction on purpose: an attribute missing from an older file takes its
default, and an attribute this version does not know is ignored, so adding an attribute to the
surface never makes an older committed file unreadable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

FORMAT = 1
FILE_NAME = ".clientgen-api.json"


@dataclass(frozen=True, slots=True)
class Arg:
    """One argument of a method: a parameter, a flattened body field, or the whole body."""

    py_name: str
    wire_name: str
    location: str  # "path", "query", "header", "cookie", "body" (whole body) or "body-field"
    type: str
    required: bool
    default: str | None = None  # the default as JSON text; None: no default
    position: int | None = None  # index among the positional arguments; None: keyword-only
    pointer: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """A documented response the method parses: its status and body type."""

    status: str
    type: str
    pointer: str = ""


@dataclass(frozen=True, slots=True)
class Method:
    key: str  # stable identity: the operationId, else "METHOD /path"
    name: str  # how a caller reaches it on the client, e.g. "run_workflow" (later "customers.list")
    http: str  # "POST /path"
    args: tuple[Arg, ...] = ()
    returns: str = "None"  # type of the success answer
    errors: tuple[Outcome, ...] = ()  # documented non-2xx answers with a body type
    stream: str | None = None  # event type of the streaming variant; None: no stream
    stream_name: str | None = None  # how a caller reaches the streaming variant
    auth: tuple[tuple[str, ...], ...] = ()  # alternatives of scheme keys; () = no auth
    deprecated: bool = False
    body_model: str | None = None  # the model of a body whose fields are the keyword arguments
    # Attributes the IR grows later (pagination, ...): (name, value text) pairs, compared by
    # `compare.TRAIT_RULES`; an adapter adds one without touching the file format.
    traits: tuple[tuple[str, str], ...] = ()
    pointer: str = ""


@dataclass(frozen=True, slots=True)
class ModelField:
    py_name: str
    wire_name: str
    type: str
    required: bool
    default: str | None = None
    pointer: str = ""


@dataclass(frozen=True, slots=True)
class Model:
    """A model (fields) or a type alias (`alias_of`), by its importable name."""

    name: str
    fields: tuple[ModelField, ...] = ()
    extra: str | None = None  # type of additional properties when the spec constrains them
    alias_of: str | None = None
    pointer: str = ""


@dataclass(frozen=True, slots=True)
class Scheme:
    key: str
    kind: str  # "bearer", "basic", "api_key"
    location: str
    param_name: str
    py_param: str  # constructor argument
    env_var: str
    pointer: str = ""


@dataclass(frozen=True, slots=True)
class Surface:
    package: str
    spec: str = ""  # the spec's path as configured
    version: str = ""  # info.version
    server: str = ""
    schemes: tuple[Scheme, ...] = ()
    methods: tuple[Method, ...] = ()  # sorted by key
    models: tuple[Model, ...] = ()  # sorted by name
    format: int = FORMAT


# The dataclass each tuple-valued attribute holds (everything else is a plain JSON value).
_NESTED: dict[tuple[type, str], type] = {
    (Surface, "schemes"): Scheme,
    (Surface, "methods"): Method,
    (Surface, "models"): Model,
    (Method, "args"): Arg,
    (Method, "errors"): Outcome,
    (Model, "fields"): ModelField,
}


def to_json(surface: Surface) -> str:
    """The surface as stable JSON text, sorted keys: one line per attribute of a method or model and
    one line per argument or field, so a review diff shows one changed line per changed argument.
    Kept small (Stripe's is a fraction of its spec): attributes at their default are left out, and a
    pointer under its parent's is written `+<rest>`. ASCII only: spec text may hold anything."""
    return _layout(_encode(surface, ""), 0) + "\n"


# What `json.dumps(value, sort_keys=True, ensure_ascii=True, separators=...)` builds on every call
# (40,000 leaves on Stripe).
_COMPACT = json.JSONEncoder(sort_keys=True, ensure_ascii=True, separators=(",", ":"))
_SPACED = json.JSONEncoder(sort_keys=True, ensure_ascii=True, separators=(", ", ": "))


def _layout(value: Any, depth: int) -> str:
    if depth >= 4 or not isinstance(value, (dict, list)) or not value:
        return (_COMPACT if depth >= 4 else _SPACED).encode(value)
    pad = " " * (depth + 1)
    if isinstance(value, dict):
        lines = [
            f"{pad}{json.dumps(key)}: {_layout(item, depth + 1)}"
            for key, item in sorted(value.items())
        ]
        return "{\n" + ",\n".join(lines) + "\n" + " " * depth + "}"
    return (
        "[\n"
        + ",\n".join(pad + _layout(item, depth + 1) for item in value)
        + "\n"
        + " " * depth
        + "]"
    )


def _encode(value: Any, parent: str) -> Any:
    defaults = _defaults(type(value))
    if defaults is not None:
        own = getattr(value, "pointer", parent)
        encoded = {}
        for name, default in defaults:
            item = getattr(value, name)
            if item != default or name == "format":
                encoded[name] = _encode(item, own)
        if parent and own.startswith(parent + "/"):
            encoded["pointer"] = "+" + own[len(parent) :]  # a JSON pointer never starts with "+"
        return encoded
    if isinstance(value, tuple):
        return [_encode(item, parent) for item in value]
    return value


_DEFAULTS: dict[type, tuple[tuple[str, Any], ...] | None] = {}


def _defaults(cls: type) -> tuple[tuple[str, Any], ...] | None:
    """(name, default) of each field of a dataclass, None for any other type: worked out once per
    class (Stripe's surface has 100,000 values; `fields()` builds its tuple on every call)."""
    if cls not in _DEFAULTS:
        _DEFAULTS[cls] = (
            tuple((f.name, f.default) for f in fields(cls)) if is_dataclass(cls) else None
        )
    return _DEFAULTS[cls]


def from_json(text: str) -> Surface:
    """A surface read back; raises ValueError when the text is not one."""
    try:
        data = json.loads(text)
        surface: Surface = _decode(Surface, data, "")
    except (TypeError, KeyError, AttributeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not an API surface file: {exc}") from None
    if surface.format > FORMAT:
        raise ValueError(
            f"API surface format {surface.format} is newer than this clientgen reads ({FORMAT})"
        )
    return surface


def _decode(cls: type, data: dict[str, Any], parent: str) -> Any:
    values: dict[str, Any] = {}
    pointer = data.get("pointer", "")
    if isinstance(pointer, str) and pointer.startswith("+"):
        data = {**data, "pointer": parent + pointer[1:]}
    own = data.get("pointer", parent)
    for f in fields(cls):
        if f.name not in data:
            continue  # written by an older clientgen: the default stands
        raw = data[f.name]
        nested = _NESTED.get((cls, f.name))
        if nested is not None:
            values[f.name] = tuple(_decode(nested, item, own) for item in raw)
        elif isinstance(raw, list):
            values[f.name] = tuple(tuple(item) if isinstance(item, list) else item for item in raw)
        else:
            values[f.name] = raw
    return cls(**values)
