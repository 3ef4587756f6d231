"""Lowering of JSON schemas to IR types, models and aliases.

Component schemas are named first (in sorted order, so names never depend on the spec's mapping
order); inline objects get a name from where they sit (`WorkflowExecutionRequestInputs`) when they
are met. Every schema reached through `$ref` is lowered once, keyed by its canonical JSON pointer,
which is also what makes recursive schemas work: the pointer is bound to its `Named` type before its
properties are lowered.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from generator import ir
from generator.diagnostics import Diagnostic, DiagnosticError, join_pointer, split_pointer
from generator.encode import encodable
from generator.lower import model_names
from generator.lower.defaults import default_fits
from generator.lower.field_names import annotation_names, description_of
from generator.lower.members import annotation_only as _annotation_only
from generator.lower.members import kind_of
from generator.lower.members import nullable_only as _nullable_only
from generator.lower.schema_types import (
    SIMPLE_TYPES,
    STRING_FORMATS,
    as_nullable,
    carried_default,
    declared_types,
    enum_type,
    examples_of,
    is_nullable,
    literal_type,
    text_of,
    union_of,
)
from generator.names import NameScope, field_identifier, pascal_case
from generator.refs import MOUNT
from generator.spec import Spec


class SchemaLowerer:
    def __init__(self, spec: Spec, classes: NameScope) -> None:
        self.spec = spec
        self.classes = classes
        self.models: dict[str, ir.ModelDef] = {}
        self.aliases: dict[str, ir.AliasDef] = {}
        self.diagnostics: list[Diagnostic] = []
        self._by_pointer: dict[str, ir.TypeRef] = {}
        self._component_names: dict[str, str] = {}
        self._hints: dict[str, str] = {}  # class name -> the naming hint (path) it was claimed for

    def lower_components(self) -> None:
        components = self.spec.model.components
        schemas = (components.schemas or {}) if components else {}
        keys = sorted(schemas)
        # Claim every component's name before lowering any, so refs can point forward.
        titles = [
            text_of(self.raw_schema(join_pointer("/components/schemas", key)), "title")
            for key in keys
        ]
        for key, wanted, name in model_names.claim_components(self.classes, keys, titles):
            pointer = join_pointer("/components/schemas", key)
            want = wanted[0]
            if name not in wanted:  # a long name shortened as planned is no clash
                self._warn(
                    "duplicate-name",
                    f"schema `{key}` would be the class `{want}`, which is taken; it is generated"
                    f" as `{name}`",
                    pointer,
                )
            self._component_names[pointer] = name
            self._by_pointer[pointer] = ir.Named(name)
        for key in keys:
            pointer = join_pointer("/components/schemas", key)
            self._define(self._component_names[pointer], self.raw_schema(pointer), pointer)

    def _define(self, name: str, raw: Any, pointer: str) -> None:
        if isinstance(raw, dict) and self._is_object_model(raw, pointer):
            self._model(name, raw, pointer)
            return
        target = self._lower_uncached(raw, pointer, name)
        if target == ir.Named(name):  # a component that only points back at itself
            target = ir.ANY
        self.aliases[name] = ir.AliasDef(
            name, target, text_of(raw, "description"), examples_of(raw, pointer), pointer
        )

    def lower(self, pointer: str, hint: str) -> ir.TypeRef:
        """The IR type of the schema at `pointer`; `hint` names an inline object if one is found
        there."""
        raw = self.raw_schema(pointer)
        if isinstance(raw, dict) and isinstance(raw.get("$ref"), str):
            return self._lower_ref(raw["$ref"], pointer, hint)
        if pointer in self._by_pointer:
            return self._by_pointer[pointer]
        return self._lower_uncached(raw, pointer, hint)

    def _lower_uncached(self, raw: Any, pointer: str, hint: str) -> ir.TypeRef:
        if isinstance(raw, dict) and isinstance(raw.get("$ref"), str):
            return self._lower_ref(raw["$ref"], pointer, hint)
        if not isinstance(raw, dict) or not raw:
            return ir.ANY
        base = self._lower_non_null(raw, pointer, hint)
        return as_nullable(base) if is_nullable(raw) else base

    def raw_schema(self, pointer: str) -> Any:
        return self.spec.raw(pointer)

    def _lower_ref(self, ref: str, pointer: str, hint: str) -> ir.TypeRef:
        try:
            _, target = self.spec.resolve(ref, pointer, self.spec.classes.Schema)
        except DiagnosticError as exc:
            self.diagnostics.extend(exc.diagnostics)
            return ir.ANY
        if target in self._by_pointer:
            return self._by_pointer[target]
        # A schema reached by $ref outside components/schemas (another file, or deeper in this one)
        # is named and defined like a component: once, bound to its pointer before its body is
        # lowered, so a recursive one (`Tree = list[Tree]` in tree.yaml) ends.
        name = model_names.claim(self.classes, self._ref_hint(target) or hint)
        self._by_pointer[target] = ir.Named(name)
        self._define(name, self.raw_schema(target), target)
        return ir.Named(name)

    def _ref_hint(self, target: str) -> str:
        """`Pet` for `.../Pet`; the file's stem for a whole file (`pet.yaml` -> `Pet`)."""
        _, prefix, local = self.spec.documents.split(target)
        if prefix and not local:
            return pascal_case(PurePosixPath(split_pointer(prefix)[0].removeprefix(MOUNT)).stem)
        return pascal_case(split_pointer(target)[-1]) if target else ""

    def _lower_non_null(self, raw: dict[str, Any], pointer: str, hint: str) -> ir.TypeRef:
        for key in ("const", "enum"):
            if key in raw and not encodable(raw[key]):
                self._warn(
                    "value-too-large",
                    f"`{key}` holds a number too large to write in Python source; it is not"
                    " enforced",
                    join_pointer(pointer, key),
                )
                raw = {k: v for k, v in raw.items() if k != key}
        if "const" in raw:
            return literal_type((raw["const"],)) or ir.ANY
        if isinstance(raw.get("enum"), list):
            return enum_type(raw)
        if isinstance(raw.get("allOf"), list):
            return self._all_of(raw, pointer, hint)
        for key in ("oneOf", "anyOf"):
            if isinstance(raw.get(key), list) and not self._only_constrains(raw, key, pointer):
                return self._union(raw, key, pointer, hint)
        types = declared_types(raw)
        if not types and raw.get("type") in ("null", ["null"]):
            return ir.Primitive("none")
        if len(types) > 1:
            options = tuple(self._single_type(raw, t, pointer, hint) for t in types)
            return union_of(options)
        return self._single_type(raw, types[0] if types else None, pointer, hint)

    def _single_type(
        self, raw: dict[str, Any], kind: str | None, pointer: str, hint: str
    ) -> ir.TypeRef:
        if kind == "object" or (
            kind is None and ("properties" in raw or "additionalProperties" in raw)
        ):
            if self._is_object_model(raw, pointer):
                return self._bind_inline_model(raw, pointer, hint)
            return ir.MapType(self._additional(raw, pointer, hint) or ir.ANY)
        if kind == "array" or (kind is None and "items" in raw):
            if "items" not in raw:
                return ir.ListType(ir.ANY)
            return ir.ListType(self.lower(join_pointer(pointer, "items"), model_names.item(hint)))
        if kind == "string":
            return ir.Primitive(STRING_FORMATS.get(str(raw.get("format", "")), "str"))
        if kind in SIMPLE_TYPES:
            return ir.Primitive(SIMPLE_TYPES[kind])
        return ir.ANY

    def _is_object_model(self, raw: dict[str, Any], pointer: str) -> bool:
        if isinstance(raw.get("allOf"), list):
            return self._merged_parts(raw, pointer) is not None
        if any(
            isinstance(raw.get(k), list) and not self._only_constrains(raw, k, pointer)
            for k in ("oneOf", "anyOf")
        ):
            return False
        return (
            isinstance(raw.get("properties"), dict)
            and bool(raw["properties"])
            and "object" in (declared_types(raw) or ["object"])
        )

    def _bind_inline_model(self, raw: dict[str, Any], pointer: str, hint: str) -> ir.TypeRef:
        name = model_names.claim(self.classes, hint, text_of(raw, "title"))
        self._hints[name] = hint
        self._by_pointer[pointer] = ir.Named(name)
        self._model(name, raw, pointer)
        return ir.Named(name)

    def _model(self, name: str, raw: dict[str, Any], pointer: str) -> None:
        self._by_pointer.setdefault(pointer, ir.Named(name))
        parts = (
            self._merged_parts(raw, pointer)
            if isinstance(raw.get("allOf"), list)
            else [(raw, pointer)]
        )
        assert parts is not None
        properties: dict[str, str] = (
            {}
        )  # wire name -> pointer of its schema; the first part to define it wins
        required: set[str] = set()
        extra: ir.TypeRef | None = None
        hint = self._hints.get(name, name)
        for part, part_pointer in parts:
            for key in part.get("properties") or {}:
                properties.setdefault(key, join_pointer(part_pointer, "properties", key))
            required.update(r for r in part.get("required") or [] if isinstance(r, str))
            extra = extra or self._additional(part, part_pointer, model_names.child(hint, "Value"))
        wires = sorted(properties)
        # Types first: a field may not take a name the class body's annotations use (`date: date`).
        types = [self.lower(properties[wire], model_names.child(hint, wire)) for wire in wires]
        shadowed = annotation_names([*types, extra] if extra is not None else types)
        wanted = [(wire, field_identifier(wire, shadowed)) for wire in wires]
        py_names = NameScope().claim_all(wanted)
        for wire, (_, want), py_name in zip(wires, wanted, py_names, strict=True):
            if py_name != want:
                self._warn(
                    "duplicate-name",
                    f"property `{wire}` of `{name}` would be the field `{want}`, which is taken;"
                    f" it is generated as `{py_name}`",
                    properties[wire],
                )
        fields = tuple(
            self._field(wire, properties[wire], wire in required, py_name, type_)
            for wire, py_name, type_ in zip(wires, py_names, types, strict=True)
        )
        self.models[name] = ir.ModelDef(
            name, text_of(raw, "description"), fields, extra, examples_of(raw, pointer), pointer
        )

    def _field(
        self, wire: str, pointer: str, required: bool, py_name: str, type_: ir.TypeRef
    ) -> ir.Field:
        raw = self.raw_schema(pointer)
        raw = raw if isinstance(raw, dict) else {}
        default, has_default, problem = carried_default(raw, type_)
        if problem is not None:
            self._warn(*problem, join_pointer(pointer, "default"))
        description = description_of(self.spec, pointer)
        return ir.Field(
            *(wire, py_name, type_, required, description, default, has_default, pointer),
            examples_of(raw, pointer),
        )

    def check_default(self, pointer: str, type_: ir.TypeRef) -> None:
        """Warn when a parameter's `default` cannot be a value of its type (the server applies it,
        not us)."""
        try:
            raw = self.raw_schema(pointer)
        except KeyError:  # a parameter without a schema
            return
        if not isinstance(raw, dict) or "default" not in raw or default_fits(raw["default"], type_):
            return
        self._warn(
            "default-mismatch",
            f"default {raw['default']!r:.60} does not fit the schema's type",
            join_pointer(pointer, "default"),
        )

    def _additional(self, raw: dict[str, Any], pointer: str, hint: str) -> ir.TypeRef | None:
        extra = raw.get("additionalProperties")
        if extra is None or extra is False:
            return None
        if extra is True or extra == {}:
            return ir.ANY
        return self.lower(join_pointer(pointer, "additionalProperties"), hint)

    def _merged_parts(
        self, raw: dict[str, Any], pointer: str, seen: frozenset[str] = frozenset()
    ) -> list[tuple[dict[str, Any], str]] | None:
        """The object schemas an `allOf` combines (itself included), or None when they are not
        objects. `seen`: the allOf schemas being merged, so that one that includes itself again adds
        nothing.
        """
        if sum(
            not (_annotation_only(part) or _nullable_only(part)) for part in raw["allOf"]
        ) <= 1 and not raw.get("properties"):
            return (
                None  # `allOf: [$ref]` only documents a reference; it is that type, not a new one
            )
        seen = seen | {pointer}
        parts: list[tuple[dict[str, Any], str]] = [(raw, pointer)]
        for index, _ in enumerate(raw["allOf"]):
            part_pointer = join_pointer(pointer, "allOf", index)
            part, target = self._resolved(part_pointer)
            if target in seen:
                continue
            if not isinstance(part, dict):
                return None
            if isinstance(part.get("allOf"), list):
                nested = self._merged_parts(part, target, seen)
                if nested is None:
                    return None
                parts.extend(nested)
            elif part.get("properties") or "object" in declared_types(part):
                parts.append((part, target))
            elif part and not _annotation_only(part) and not _nullable_only(part):
                return None
        return parts

    def _resolved(self, pointer: str) -> tuple[Any, str]:
        """The schema at `pointer` behind its `$ref`s and its pointer; ({}, pointer), reported,
        when the reference is broken."""
        try:
            return self.spec.resolver.behind(pointer, self.spec.classes.Schema)
        except DiagnosticError as exc:
            self.diagnostics.extend(exc.diagnostics)
            return {}, pointer

    def _all_of(self, raw: dict[str, Any], pointer: str, hint: str) -> ir.TypeRef:
        if self._merged_parts(raw, pointer) is not None:
            return self._bind_inline_model(raw, pointer, hint)
        # `allOf: [$ref, {description: ...}]` annotates a reference: it is that type, with nothing
        # to warn; `allOf: [$ref, {nullable: true}]` (the 3.0 idiom for a nullable reference) is
        # that type or null.
        parts = raw["allOf"]
        options = [
            join_pointer(pointer, "allOf", i)
            for i, part in enumerate(parts)
            if not _annotation_only(part) and not _nullable_only(part)
        ]
        nullable = any(_nullable_only(part) for part in parts)
        if len(options) > 1:
            kinds = ", ".join(self._kind_of(option) for option in options)
            self._warn(
                "allof-not-object",
                f"`allOf` combines schemas that are not all objects ({kinds}); it is typed by its"
                " first member only",
                join_pointer(pointer, "allOf"),
            )
        lowered = self.lower(options[0], hint) if options else ir.ANY
        return as_nullable(lowered) if nullable else lowered

    def _kind_of(self, pointer: str) -> str:
        return kind_of(self._resolved(pointer)[0], declared_types)

    def _only_constrains(self, raw: dict[str, Any], key: str, pointer: str) -> bool:
        """True for `anyOf`/`oneOf` branches that only say which of the parent's properties go
        together.

        Dify's InputFileObjectWorkflow is such a case: the branches have no type of their own, so
        the parent object is the type and the branches are validation rules the model does not
        enforce.
        """
        if not raw.get("properties"):
            return False
        branches = raw[key]
        if not all(
            isinstance(b, dict) and not ({"type", "$ref", "items", "allOf"} & b.keys())
            for b in branches
        ):
            return False
        self._warn(
            "constraint-not-enforced",
            f"`{key}` here only constrains the object's properties; the generated model does"
            " not enforce it",
            join_pointer(pointer, key),
        )
        return True

    def _union(self, raw: dict[str, Any], key: str, pointer: str, hint: str) -> ir.TypeRef:
        discriminator = raw.get("discriminator")
        property_name = (
            discriminator.get("propertyName") if isinstance(discriminator, dict) else None
        )
        branches = raw[key]
        union_pointer = join_pointer(pointer, key)
        tags = model_names.member_tags(
            branches,
            union_pointer,
            property_name if isinstance(property_name, str) else "",
            self._quietly_resolved,
        )
        options = tuple(
            self.lower(join_pointer(union_pointer, i), model_names.child(hint, tag))
            for i, tag in enumerate(tags)
        )
        return union_of(options)

    def _quietly_resolved(self, pointer: str) -> Any:
        """The schema at `pointer`, a `$ref` followed; {} when broken (lowering reports that, not
        naming)."""
        try:
            return self.spec.resolver.behind(pointer, self.spec.classes.Schema)[0]
        except DiagnosticError:
            return {}

    def _warn(self, code: str, message: str, pointer: str) -> None:
        self.diagnostics.append(self.spec.warn(code, message, pointer))
