"""OpenAPI schemas -> JSON Schema 2020-12, for the generated conformance tests (validated there with
the `jsonschema` package).

OpenAPI 3.0 schemas are a dialect of draft 4: `nullable`, boolean
`exclusiveMinimum`/`exclusiveMaximum`, `example`, and `$ref`s whose siblings are ignored. They are
rewritten to what 2020-12 says for the same thing. OpenAPI-only keywords (`discriminator`, `xml`,
`x-*`) are dropped: they constrain nothing.

Every schema a `$ref` reaches is converted once into `$defs` (a component by its name, any other
target by its JSON pointer), so an operation's schema stays small however large the component graph
is. Each schema is visited once: linear in the size of the spec.
"""

from __future__ import annotations

from typing import Any

from generator import ir
from generator.encode import encodable
from generator.lower.members import nullable_only
from generator.lower.schema_fit import surely_fits
from generator.diagnostics import DiagnosticError, escape_pointer_token, join_pointer, split_pointer
from generator.spec import Spec

_COMPONENTS = "/components/schemas/"
# Keywords whose values are schemas, by shape (tuples: the lint walk visits them in this order).
SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SCHEMA_VALUES = (
    "items",
    "additionalProperties",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
)
_DROPPED = frozenset({"discriminator", "xml", "externalDocs", "nullable", "example"})


class JsonSchemaConverter:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.legacy = spec.version == "3.0"
        self.defs: dict[str, ir.JsonValue] = {}
        self._keys: dict[str, str] = {}  # target pointer -> $defs key
        self._pending: list[tuple[str, str]] = []

    def at(self, pointer: str) -> ir.JsonValue:
        """The converted schema at `pointer` (every `$ref` target it reaches lands in `defs`)."""
        converted = self.convert(self._raw(pointer), pointer)
        self._drain()
        return converted

    def component(self, pointer: str) -> ir.JsonValue:
        """A `$ref` to a component schema (converted once into `defs`), else the schema converted
        inline."""
        if pointer.startswith(_COMPONENTS) and len(split_pointer(pointer)) == 3:
            converted: ir.JsonValue = {"$ref": self._def_ref(pointer)}
            self._drain()
            return converted
        return self.at(pointer)

    def _drain(self) -> None:
        while self._pending:
            key, target = self._pending.pop()
            self.defs[key] = self.convert(self._raw(target), target)

    def _raw(self, pointer: str) -> Any:
        try:
            return self.spec.raw(pointer)
        except (KeyError, IndexError, TypeError):
            return {}

    def _ref(self, ref: str, at_pointer: str) -> str:
        """`#/$defs/...` for the schema `ref` (written in the schema at `at_pointer`) points to. A
        reference into another file of the spec's folder resolves to that file's mounted pointer,
        like any other.
        """
        try:
            target = self.spec.documents.target(ref, at_pointer)
        except DiagnosticError:
            # lowering already reported it (or the schema is unused): the test data keeps it as
            # written
            return ref
        return self._def_ref(target)

    def _def_ref(self, target: str) -> str:
        key = self._keys.get(target)
        if key is None:
            tokens = split_pointer(target)
            is_component = target.startswith(_COMPONENTS) and len(tokens) == 3
            key = tokens[2] if is_component else target
            self._keys[target] = key
            self._pending.append((key, target))
        return "#/$defs/" + escape_pointer_token(key)

    def convert(self, node: Any, pointer: str) -> ir.JsonValue:
        """`node` (the raw schema found at `pointer`) as JSON Schema 2020-12."""
        if not isinstance(node, dict):
            return node  # type: ignore[no-any-return]  # boolean schemas (3.1)
        if isinstance(node.get("$ref"), str):
            return self._reference(node, pointer)
        if (
            self.legacy
            and isinstance(node.get("allOf"), list)
            and any(nullable_only(part) for part in node["allOf"])
        ):
            # `allOf: [$ref, {nullable: true}]`, 3.0's nullable reference (lowered as `X | None`)
            rest = {**node, "allOf": [part for part in node["allOf"] if not nullable_only(part)]}
            return {"anyOf": [self.convert(rest, pointer), {"type": "null"}]}
        out = self._keywords(node, pointer)
        if "example" in node and "examples" not in out and _writable(node["example"]):
            out["examples"] = [node["example"]]
        if self.legacy:
            _exclusive_bounds(out)
            if node.get("nullable") is True:
                return _nullable(out)
        return out

    def _reference(self, node: dict[str, Any], pointer: str) -> ir.JsonValue:
        reference: dict[str, ir.JsonValue] = {"$ref": self._ref(node["$ref"], pointer)}
        if self.legacy:  # 3.0: siblings of `$ref` are ignored
            return reference
        rest = self.convert({k: v for k, v in node.items() if k != "$ref"}, pointer)
        return {**rest, **reference} if isinstance(rest, dict) else reference

    def _keywords(self, node: dict[str, Any], pointer: str) -> dict[str, ir.JsonValue]:
        """Every keyword JSON Schema 2020-12 keeps, its subschemas converted."""
        out: dict[str, ir.JsonValue] = {}
        for key, value in node.items():
            if key.startswith("x-") or key in _DROPPED:
                continue
            if key in SCHEMA_MAPS and isinstance(value, dict):
                out[key] = {
                    name: self.convert(sub, join_pointer(pointer, key, name))
                    for name, sub in value.items()
                }
            elif key in SCHEMA_LISTS and isinstance(value, list):
                out[key] = [
                    self.convert(sub, join_pointer(pointer, key, str(i)))
                    for i, sub in enumerate(value)
                ]
            elif key in SCHEMA_VALUES:
                out[key] = self.convert(value, join_pointer(pointer, key))
            elif _writable(value):
                out[key] = value
        return out


def schema_problems(
    schema: ir.JsonValue, defs: dict[str, ir.JsonValue], value: Any
) -> list[Any] | None:
    """jsonschema's errors for `value` against `schema` (with `defs`), most shallow first; None when
    jsonschema cannot use the schema. A schema that breaks the metaschema (`required: null`) makes
    jsonschema raise its own TypeError or AttributeError mid-validation; such a schema checks
    nothing.
    """
    if not isinstance(schema, dict):
        return [] if schema is not False else None
    if surely_fits(schema, defs, value):
        return []  # what jsonschema finds, without its ~75 ms import (see schema_fit)
    import jsonschema  # imported here: only lint and the generated tests' data validate values
    from referencing.exceptions import Unresolvable

    validator = jsonschema.Draft202012Validator({**schema, "$defs": defs})
    try:
        return sorted(
            validator.iter_errors(value), key=lambda e: (repr(list(e.absolute_path)), e.message)
        )
    except (
        jsonschema.exceptions.SchemaError,
        Unresolvable,
        RecursionError,
        TypeError,
        AttributeError,
        ValueError,
        KeyError,
    ):
        return None


def schema_fits(schema: ir.JsonValue, defs: dict[str, ir.JsonValue], value: Any) -> bool:
    """`not schema_problems(...)`: no problem found, or a schema jsonschema cannot use. A value
    `surely_fits` rules out needs no list of errors, so no jsonschema either."""
    verdict = surely_fits(schema, defs, value) if isinstance(schema, dict) else None
    return not schema_problems(schema, defs, value) if verdict is None else verdict


def _writable(value: Any) -> bool:
    """False for a value holding an integer past Python's int-to-str limit: no JSON that Python
    reads back can hold it, so the keyword is left out (lowering warns `value-too-large` where it
    matters). A list of strings, booleans, floats and nulls (`required`, most `enum`s) holds none:
    `encodable` would write it out to find that."""
    if isinstance(value, str | bool | float | type(None)):
        return True
    if type(value) is list and all(type(item) in _NO_INT_SCALARS for item in value):
        return True
    return encodable(value)


_NO_INT_SCALARS = frozenset({str, bool, float, type(None)})


def _exclusive_bounds(out: dict[str, ir.JsonValue]) -> None:
    """Draft 4 booleans `exclusiveMinimum: true` + `minimum: n` -> 2020-12 `exclusiveMinimum: n`."""
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = out.get(exclusive)
        if isinstance(flag, bool):
            del out[exclusive]
            if flag and bound in out:
                out[exclusive] = out.pop(bound)


def _nullable(out: dict[str, ir.JsonValue]) -> ir.JsonValue:
    if any(key in out for key in ("allOf", "anyOf", "oneOf", "$ref", "not")) or "type" not in out:
        if not out or set(out) <= {"description", "title", "examples", "default"}:
            return out  # anything goes already
        return {"anyOf": [out, {"type": "null"}]}
    declared = out["type"]
    if isinstance(declared, str) and declared != "null":
        out["type"] = [declared, "null"]
    enum = out.get("enum")
    if isinstance(enum, list) and None not in enum:
        out["enum"] = [*enum, None]
    return out


def json_schemas(spec: Spec, api: ir.Api) -> ir.JsonSchemas:
    """The 2020-12 schema of every parameter, body, response, event stream and model of `api`."""
    converter = JsonSchemaConverter(spec)
    owners: dict[str, ir.JsonValue] = {}
    for model in api.models:
        owners[model.pointer] = converter.component(model.pointer)
        for f in model.fields:
            if f.examples:
                owners[f.pointer] = converter.at(f.pointer)
    for alias in api.aliases:
        if alias.pointer.startswith(_COMPONENTS):
            owners[alias.pointer] = converter.component(alias.pointer)
    for op in api.operations:
        owners.update(_operation_schemas(spec, converter, op))
    return ir.JsonSchemas(tuple(sorted(converter.defs.items())), tuple(sorted(owners.items())))


def _operation_schemas(
    spec: Spec, converter: JsonSchemaConverter, op: ir.Operation
) -> dict[str, ir.JsonValue]:
    """The schemas of an operation's parameters, body, responses and event streams, by pointer."""
    owners: dict[str, ir.JsonValue] = {}
    for param in op.parameters:
        owners[param.pointer] = converter.at(_parameter_schema(spec, param.pointer))
    if op.body is not None:
        owners[op.body.pointer] = converter.at(
            join_pointer(op.body.pointer, "content", op.body.content_type, "schema")
        )
    for response in op.responses:
        if response.content_type is not None:
            owners[response.pointer] = converter.at(
                join_pointer(response.pointer, "content", response.content_type, "schema")
            )
        if response.stream is not None:
            owners[response.stream.pointer] = converter.at(
                _stream_schema(spec, response.stream.pointer)
            )
    return owners


def _parameter_schema(spec: Spec, pointer: str) -> str:
    raw = spec.raw(pointer)
    if (
        isinstance(raw, dict)
        and "schema" not in raw
        and isinstance(raw.get("content"), dict)
        and raw["content"]
    ):
        return join_pointer(pointer, "content", sorted(raw["content"])[0], "schema")
    return join_pointer(pointer, "schema")


def _stream_schema(spec: Spec, media_pointer: str) -> str:
    try:
        media = spec.raw(media_pointer)
    except KeyError:
        media = {}
    key = "itemSchema" if isinstance(media, dict) and "itemSchema" in media else "schema"
    return join_pointer(media_pointer, key)
