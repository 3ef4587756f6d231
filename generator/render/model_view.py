"""View models of `_models/` modules: each model and alias turned into exactly the strings the
templates print (annotations, defaults, field aliases, docstrings)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator import ir
from generator.encode import docstring, literal
from generator.render.annotations import Imports, annotation, optional
from generator.ir_refs import definition_refs as refs
from generator.ir_refs import named_refs
from generator.render.model_order import Definition


@dataclass(frozen=True)
class FieldView:
    name: str
    annotation: str
    default: str  # "" for a required field: the source after `=` otherwise
    docstring: str


@dataclass(frozen=True)
class ModelView:
    name: str
    docstring: str
    fields: tuple[FieldView, ...]
    extra_annotation: str  # annotation of __pydantic_extra__, "" when untyped
    is_alias: bool = False  # a `Name: TypeAlias = <annotation>` (docstring only, no fields)
    annotation: str = ""  # a lazy alias: the whole `TypeAliasType(...)` call
    lazy: bool = False  # a recursive alias, `Name = TypeAliasType("Name", "<annotation>")`

    @property
    def has_fields(self) -> bool:
        """Whether the class body declares anything (fields, or the type of extra fields)."""
        return bool(self.fields or self.extra_annotation)


@dataclass(frozen=True)
class ModelsView:
    imports: tuple[str, ...]
    # (module of `_models/` relative to `parent`, names this module uses from it)
    cross_imports: tuple[tuple[str, tuple[str, ...]], ...]
    definitions: tuple[ModelView, ...]  # models and aliases, in definition order (see model_order)
    base_imports: str = "_Model"  # names from `_models/__init__.py`
    parent: str = "."  # `_models/` relative to this module: `..` from `_models/_shared/x.py`


def models_view(
    definitions: tuple[Definition, ...],
    where: Mapping[str, str],
    module: str,
    open_aliases: frozenset[str] = frozenset(),
) -> ModelsView:
    """One module of `_models/`: `definitions` in order; `where` names each definition's module;
    `open_aliases` are the string-enum aliases whose unknown values a response field accepts."""
    imports = Imports(open_aliases=open_aliases)
    used = {name for d in definitions for name in refs(d) if where.get(name, module) != module}
    cross: dict[str, list[str]] = {}
    for name in sorted(used):
        cross.setdefault(where[name], []).append(name)
    defined = set(used)  # imported before any definition
    views = []
    for item in definitions:
        if isinstance(item, ir.AliasDef):
            views.append(_alias_view(item, imports))
        else:
            views.append(_model_view(item, imports, defined))
        defined.add(item.name)
    if any(v.is_alias and not v.lazy for v in views):
        imports.typing.add("TypeAlias")
    lines = list(imports.lines())
    if any(v.lazy for v in views):
        lines.append("from typing_extensions import TypeAliasType")  # typing has it from 3.12 only
    base = "UnknownValue, _Model" if imports.open_enum else "_Model"
    return ModelsView(
        tuple(lines),
        tuple((m, tuple(names)) for m, names in sorted(cross.items())),
        tuple(views),
        base,
        "." * (module.count(".") + 1),
    )


def _alias_view(alias: ir.AliasDef, imports: Imports) -> ModelView:
    text = annotation(alias.type, imports)
    # A recursive alias names itself, so its value cannot be evaluated at import: a string defers
    # it.
    # A plain alias comes after everything it names (model_order), so its value is code.
    if alias.lazy:
        return ModelView(
            alias.name,
            doc_or_empty(alias.description, ""),
            (),
            "",
            True,
            f"TypeAliasType({literal(alias.name)}, {literal(text)})",
            True,
        )
    return ModelView(alias.name, doc_or_empty(alias.description, ""), (), "", True, text)


def _eager(text: str, type_: ir.TypeRef | None, defined: set[str]) -> str:
    """The annotation as code, or as a string when it names something not defined yet. (A field
    cannot shadow a name an annotation uses: `names` renames fields such as `date` to `date_`.)"""
    if any(name not in defined for name in named_refs(type_)):
        return literal(text)
    return text


def _model_view(model: ir.ModelDef, imports: Imports, defined: set[str]) -> ModelView:
    fields = tuple(_field_view(f, imports, defined) for f in model.fields)
    extra = (
        _eager(annotation(model.extra_type, imports), model.extra_type, defined)
        if model.extra_type not in (None, ir.ANY)
        else ""
    )
    return ModelView(model.name, doc_or_empty(model.description, "    "), fields, extra)


def _field_view(field: ir.Field, imports: Imports, defined: set[str]) -> FieldView:
    if field.required:
        text, default = annotation(field.type, imports, open_enums=True), ""
    elif field.has_default:
        text, default = annotation(field.type, imports, open_enums=True), literal(field.default)
    else:
        text, default = optional(field.type, imports, open_enums=True), "None"
    if field.wire_name != field.py_name:
        wire = literal(field.wire_name)
        args = ([f"default={default}"] if default else []) + [
            f"validation_alias={wire}",
            f"serialization_alias={wire}",
        ]
        default = f"Field({', '.join(args)})"
    return FieldView(
        field.py_name,
        _eager(text, field.type, defined),
        default,
        doc_or_empty(field.description, "    "),
    )


def doc_or_empty(text: str, indent: str) -> str:
    """The docstring for `text`, or nothing when it is blank."""
    return docstring(text, indent) if text.strip() else ""
