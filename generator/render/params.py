"""The request types of a package: `_params/<module>.py` (TypedDicts and param aliases, one module
per module of `_models/`) and `params.py`, which exports them lazily as `models.py` exports the
models.

Only type checkers read these types: a request takes plain dicts and models alike and sends what it
is given. So each module evaluates nothing but `TypedDict(...)` itself: annotations are strings
(postponed, or string literals in the functional syntax), and every import they need sits under
`TYPE_CHECKING`. Importing the client never imports them.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass

import jinja2

from generator import ir
from generator.encode import docstring, literal
from generator.render.annotations import Imports, RequestTypes, annotation
from generator.render.model_order import Definition

_LINE = 100  # black's line length here (generator.format.workers.mode)
# Names a class-syntax TypedDict body must not shadow with a key (they are used in its annotations).
_TYPING = frozenset(
    {"Required", "NotRequired", "TypedDict", "TypeAlias", "Literal", "Any", "TYPE_CHECKING"}
)


@dataclass(frozen=True)
class KeyView:
    key: str  # the wire name: the attribute (class syntax) or a string literal (functional syntax)
    annotation: str  # `Required[...]` for a required key
    docstring: str


@dataclass(frozen=True)
class ParamView:
    name: str
    docstring: str
    keys: tuple[KeyView, ...]
    functional: (
        bool  # some key is not a plain identifier: `Name = TypedDict("Name", {...}, total=False)`
    )
    alias: str = ""  # a param alias: the string literal of its value (no keys then)


@dataclass(frozen=True)
class ParamsModuleView:
    typing_imports: tuple[str, ...]  # run-time imports from typing
    checking_imports: tuple[str, ...]  # import lines under `if TYPE_CHECKING:`
    definitions: tuple[ParamView, ...]


def param_sources(
    env: jinja2.Environment,
    api: ir.Api,
    modules: tuple[tuple[str, tuple[Definition, ...]], ...],
    chunk_break: str,
    model_modules: tuple[tuple[str, tuple[Definition, ...]], ...] | None = None,
) -> dict[str, str]:
    """`params.py` and `_params/<module>.py` for each of `modules` that has request types;
    `model_modules` are the modules of `_models/` (`modules` unless given)."""
    request = RequestTypes.of(api)
    where = {d.name: m for m, definitions in model_modules or modules for d in definitions}
    where_param = {
        d.param_name: module for module, definitions in modules for d in definitions if d.param_name
    }
    sources: dict[str, str] = {}
    facade: list[tuple[str, tuple[str, ...]]] = []
    template = env.get_template("param_module.py.jinja")
    for module, definitions in modules:
        own = tuple(d for d in definitions if d.param_name)
        if not own:
            continue
        view = _module_view(own, module, request, where, where_param)
        sources[f"_params/{module}.py"] = template.render(view=view, chunk_break=chunk_break)
        facade.append((module, _lines(tuple(d.param_name for d in own))))
    if sources:
        sources["_params/__init__.py"] = (
            '"""Request types (TypedDicts), one module per module of `_models/` '
            '(see `params.py`)."""\n'
        )
        sources["params.py"] = env.get_template("params.py.jinja").render(
            modules=tuple(facade), chunk_break=chunk_break
        )
    return sources


def _module_view(
    definitions: tuple[Definition, ...],
    module: str,
    request: RequestTypes,
    where: dict[str, str],
    where_param: dict[str, str],
) -> ParamsModuleView:
    imports = Imports()
    views = tuple(_param_view(d, imports, request) for d in definitions)
    checking = list(imports.lines())
    by_module: dict[str, list[str]] = {}
    for name in sorted(imports.models):
        by_module.setdefault(f".._models.{where[name]}", []).append(name)
    own = {d.param_name for d in definitions}
    for name in sorted(imports.params - own):
        by_module.setdefault(f".{where_param[name]}", []).append(name)
    checking += [
        f"from {source} import {', '.join(names)}" for source, names in sorted(by_module.items())
    ]
    typing = {"TypeAlias"} if any(v.alias for v in views) else set()
    typing |= {"TypedDict"} if any(not v.alias for v in views) else set()
    typing |= (
        {"Required"}
        if any(f.required for d in definitions if isinstance(d, ir.ModelDef) for f in d.fields)
        else set()
    )
    return ParamsModuleView(
        (f"from typing import {', '.join(sorted(typing | {'TYPE_CHECKING'}))}",),
        tuple(checking),
        views,
    )


def _param_view(definition: Definition, imports: Imports, request: RequestTypes) -> ParamView:
    if isinstance(definition, ir.AliasDef):
        text = annotation(definition.type, imports, lenient=True, request=request)
        return ParamView(
            definition.param_name, _doc(definition.description, ""), (), False, literal(text)
        )
    local = Imports()
    keys = tuple(_key_view(f, local, request) for f in definition.fields)
    _merge(imports, local)
    used = (
        local.models
        | local.params
        | local.typing
        | {n for names in local.stdlib.values() for n in names}
    )
    used |= {"str", "int", "float", "bool", "bytes", "list", "dict", "None"}
    functional = any(
        not _plain_key(f.wire_name) or f.wire_name in used or f.wire_name in _TYPING
        for f in definition.fields
    )
    if functional:  # its docstring follows the assignment, at module level
        keys = tuple(KeyView(literal(k.key), literal(k.annotation), "") for k in keys)
    else:
        keys = tuple(_fitted(k) for k in keys)
    return ParamView(
        definition.param_name,
        _doc(definition.description, "" if functional else "    "),
        keys,
        functional,
    )


def _key_view(field: ir.Field, imports: Imports, request: RequestTypes) -> KeyView:
    text = annotation(field.type, imports, lenient=True, request=request)
    if field.required:
        text = f"Required[{text}]"
    return KeyView(field.wire_name, text, _doc(field.description, "    "))


def _fitted(key: KeyView) -> KeyView:
    """A class-syntax key whose annotation is too long for a line of its own: quoted, so black
    leaves it on one line instead of laying out every member of a long union or `Literal` one a line
    (Stripe's 300 merchant categories, many times over: most of the cost of formatting these
    modules). Postponed annotations make it the same type."""
    if len(key.key) + len(key.annotation) + 6 > _LINE and len(key.annotation) + 10 > _LINE:
        return KeyView(key.key, _quoted(key.annotation), key.docstring)
    return key


def _quoted(text: str) -> str:
    """`text` as a string literal, in the quotes black prefers (single when the text holds double
    quotes and no single ones), so black's first pass keeps it. A backslash or a single quote:
    `literal`.
    """
    if '"' in text and "'" not in text and "\\" not in text and text.isprintable():
        return f"'{text}'"
    return literal(text)


def _plain_key(wire: str) -> bool:
    return (
        wire.isidentifier()
        and wire.isascii()
        and not keyword.iskeyword(wire)
        and not keyword.issoftkeyword(wire)
    )


def _merge(into: Imports, local: Imports) -> None:
    into.typing |= local.typing
    into.models |= local.models
    into.params |= local.params
    for module, names in local.stdlib.items():
        into.stdlib.setdefault(module, set()).update(names)


def _doc(text: str, indent: str) -> str:
    return docstring(text, indent) if text.strip() else ""


def _lines(names: tuple[str, ...], width: int = 88) -> tuple[str, ...]:
    """Names joined by spaces in lines of about `width` characters (each but the last ends in a
    space)."""
    lines: list[str] = []
    for name in names:
        if lines and len(lines[-1]) + len(name) < width:
            lines[-1] += " " + name
        else:
            lines.append(name)
    return tuple(line + " " for line in lines[:-1]) + tuple(lines[-1:])
