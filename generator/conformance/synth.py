"""Deterministic values synthesized from JSON Schema 2020-12 (the converted schemas of
`ir.JsonSchemas`).

`variants(schema)` gives a few values that together take every branch of each union, every enum
value, both booleans, `null` where it is allowed, and objects with all their properties and with the
required ones only: choice point k of variant i takes option `i mod n`, and variant 2 (mod 3) leaves
optional properties out. No randomness: the same schema gives the same values.

Size is bounded, so a large API (Stripe: thousands of mutually recursive schemas) stays linear:
below `_FULL_DEPTH` only required properties are filled, a `$ref` already being expanded is cut
short (null, the simplest union branch, an empty list), and `_MAX_VARIANTS` caps the variants of one
schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from generator import ir
from generator.conformance.scalars import number_value, string_value
from generator.diagnostics import split_pointer
from generator.lower.jsonschema import schema_fits

_MAX_VARIANTS = 6
_FULL_DEPTH = 3
_MAX_DEPTH = 24


# Keywords that make a schema more than a constraint on its parent's properties (see
# `_constraint_only`).
_TYPING_KEYS = frozenset(
    {"type", "$ref", "enum", "const", "items", "allOf", "oneOf", "anyOf", "prefixItems"}
)


class Synthesizer:
    def __init__(self, defs: dict[str, ir.JsonValue]) -> None:
        self.defs = defs
        self._counts: dict[str, int] = {}
        # Memo tables: a shared schema is synthesized and checked again by every operation that
        # uses it (Stripe: 7,482 values of 907 distinct schemas and variants). Keyed by `_key` and,
        # for `fits`, the value's identity (kept alive in the entry, so the id is not reused).
        self._keys: dict[int, tuple[Any, str | int]] = {}
        self._variant_counts: dict[str | int, int] = {}
        self._values: dict[tuple[str | int, int], ir.JsonValue] = {}
        self._fits: dict[tuple[str | int, int], tuple[Any, bool]] = {}

    def _key(self, schema: Any) -> str | int:
        """What identifies a schema in the memo tables. A bare `{"$ref": ...}` (Stripe and OpenAI
        write one for each use of a component, each its own dict): its target. Anything else: its
        JSON text, key order kept (values copy `default`s and `const`s as they are), computed once
        per schema object (kept alive here, so that its id is never another's); equal inline
        schemas (Stripe: `{type: string, maxLength: 5000}` for 593 parameters) then share. A
        schema that is no JSON text (an int past the int-to-str limit) stands for itself."""
        if isinstance(schema, dict) and len(schema) == 1 and isinstance(schema.get("$ref"), str):
            return schema["$ref"]  # type: ignore[no-any-return]
        known = self._keys.get(id(schema))
        if known is None:
            try:
                key: str | int = json.dumps(schema, allow_nan=True)
            except (TypeError, ValueError):
                key = id(schema)
            known = self._keys[id(schema)] = (schema, key)
        return known[1]

    # --- values that fit their schema ----------------------------------------------------------
    def fits(self, schema: Any, value: Any) -> bool:
        """Whether `value` is valid against `schema`, by the same JSON Schema 2020-12 validator lint
        uses (a schema jsonschema cannot use checks nothing). Remembered by schema and value
        identity: validating is the dear part, and the values checked are mostly `value`'s
        remembered ones. Sound as long as nobody changes a value once checked (callers copy)."""
        key = (self._key(schema), id(value))
        known = self._fits.get(key)
        if known is None:
            known = self._fits[key] = (value, schema_fits(schema, self.defs, value))
        return known[1]

    def fitting(self, schema: Any, variant: int = 0) -> tuple[ir.JsonValue, bool]:
        """The first of the schema's variants, from `variant` on, that fits it, and True; else the
        variant's value and False (a schema no synthesized value satisfies, e.g. `enum: []`)."""
        count = self.count(schema)
        first = self.value(schema, variant)
        if self.fits(schema, first):
            return first, True
        for other in range(count):
            if other != variant % count:
                value = self.value(schema, other)
                if self.fits(schema, value):
                    return value, True
        return first, False

    def fitting_variants(self, schema: Any) -> list[ir.JsonValue]:
        """The schema's variants that fit it (possibly none)."""
        return [value for value in self.variants(schema) if self.fits(schema, value)]

    # --- how many variants a schema needs ------------------------------------------------------
    def count(self, schema: Any) -> int:
        """Remembered by `_key`: exact, as a count depends only on the schema and on `_counts`
        entries, each set once and never changed."""
        key = self._key(schema)
        if key not in self._variant_counts:
            self._variant_counts[key] = min(_MAX_VARIANTS, self._count(schema, 0, frozenset()))
        return self._variant_counts[key]

    def _count(self, schema: Any, depth: int, seen: frozenset[str]) -> int:
        if not isinstance(schema, dict) or depth > _FULL_DEPTH:
            return 1
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if ref in seen:
                return 1
            if ref not in self._counts:
                self._counts[ref] = 1  # a cycle met later counts as 1
                self._counts[ref] = self._count(self.resolve(ref), depth + 1, seen | {ref})
            return self._counts[ref]
        nested = [self._count(sub, depth + 1, seen) for sub in _subschemas(schema)]
        return max(_own_choices(schema) + nested)

    def resolve(self, ref: str) -> Any:
        tokens = split_pointer(ref[1:]) if ref.startswith("#/$defs/") else []
        return self.defs.get(tokens[1], {}) if len(tokens) == 2 else {}

    # --- values --------------------------------------------------------------------------------
    def variants(self, schema: Any) -> list[ir.JsonValue]:
        values: list[ir.JsonValue] = []
        for variant in range(self.count(schema)):
            value = self.value(schema, variant)
            if value not in values:
                values.append(value)
        return values

    def value(self, schema: Any, variant: int = 0) -> ir.JsonValue:
        """The schema's value number `variant`: the same object each time it is asked for, so a
        caller that changes it must change a copy."""
        key = (self._key(schema), variant)
        if key not in self._values:
            self._values[key] = self._value(schema, variant, 0, frozenset(), False)
        return self._values[key]

    def _value(
        self, schema: Any, variant: int, depth: int, seen: frozenset[str], short: bool
    ) -> ir.JsonValue:
        if not isinstance(schema, dict) or depth > _MAX_DEPTH:
            return "value" if schema is not False else None
        ref = schema.get("$ref")
        if isinstance(ref, str):
            cut = short or ref in seen
            return self._value(self.resolve(ref), variant, depth + 1, seen | {ref}, cut)
        if "const" in schema:
            return schema["const"]  # type: ignore[no-any-return]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            enum = schema["enum"]
            return enum[variant % len(enum)]  # type: ignore[no-any-return]
        if (
            "default" in schema
            and short
            and (schema["default"] is not None or _allows_null(schema))
        ):
            return schema["default"]  # type: ignore[no-any-return]
        if isinstance(schema.get("allOf"), list):
            merged, seen = self._flatten(schema, seen)
            return self._value(merged, variant, depth + 1, seen, short)
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key)
            if isinstance(branches, list) and branches:
                index = branches.index(_simplest(branches)) if short else variant % len(branches)
                if _constraint_only(branches[index]) and _pick_type(schema, variant, short) in (
                    "object",
                    "any",
                ):
                    return self._value(
                        _with_branch(schema, key, index), variant, depth + 1, seen, short
                    )
                return self._merge_siblings(
                    schema, key, branches[index], variant, depth, seen, short
                )
        return self._typed(schema, _pick_type(schema, variant, short), variant, depth, seen, short)

    def _merge_siblings(
        self,
        schema: dict[str, Any],
        key: str,
        pick: Any,
        variant: int,
        depth: int,
        seen: frozenset[str],
        short: bool,
    ) -> ir.JsonValue:
        chosen = self._value(pick, variant, depth + 1, seen, short)
        if isinstance(schema.get("properties"), dict) and isinstance(chosen, dict):
            own = self._typed(
                {k: v for k, v in schema.items() if k != key}, "object", variant, depth, seen, short
            )
            return {**own, **chosen} if isinstance(own, dict) else chosen
        return chosen

    def _flatten(
        self, schema: dict[str, Any], seen: frozenset[str]
    ) -> tuple[dict[str, Any], frozenset[str]]:
        """An `allOf` as one schema: its members (their `$ref`s followed) merged into the schema
        around them, properties and `required` united, so a property one member requires and another
        defines gets a real value."""
        merged = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            while isinstance(part, dict) and isinstance(part.get("$ref"), str):
                ref = part["$ref"]
                if ref in seen:
                    part = {}
                    break
                seen = seen | {ref}
                target = self.resolve(ref)
                rest = {k: v for k, v in part.items() if k != "$ref"}
                part = {**target, **rest} if isinstance(target, dict) else target
            if isinstance(part, dict) and isinstance(part.get("allOf"), list):
                part, seen = self._flatten(part, seen)
            if isinstance(part, dict):
                _merge_into(merged, part)
        return merged, seen

    def _typed(
        self,
        schema: dict[str, Any],
        kind: str,
        variant: int,
        depth: int,
        seen: frozenset[str],
        short: bool,
    ) -> ir.JsonValue:
        if kind == "null":
            return None
        if kind == "object":
            return self._object(schema, variant, depth, seen, short)
        if kind == "array":
            return self._array(schema, variant, depth, seen, short)
        if kind == "boolean":
            return variant % 2 == 0
        if kind in ("integer", "number"):
            return number_value(schema, kind)
        if kind == "string":
            return string_value(schema)
        return "value"

    def _object(
        self, schema: dict[str, Any], variant: int, depth: int, seen: frozenset[str], short: bool
    ) -> ir.JsonValue:
        declared = schema.get("properties")
        properties: dict[str, Any] = declared if isinstance(declared, dict) else {}
        required = set(schema.get("required") or [])
        full = not short and depth <= _FULL_DEPTH and variant % 3 != 2
        out: dict[str, ir.JsonValue] = {}
        for name in sorted(properties):
            if name in required or full:
                sub = properties[name]
                if isinstance(sub, dict) and sub.get("readOnly") is True and name not in required:
                    continue
                out[name] = self._value(
                    sub,
                    variant,
                    depth + 1,
                    seen,
                    short or name not in required and depth >= _FULL_DEPTH,
                )
        for name in sorted(required - set(properties)):
            out[name] = "value"
        extra = schema.get("additionalProperties")
        if not properties and isinstance(extra, dict) and extra and not short:
            out["key"] = self._value(extra, variant, depth + 1, seen, short)
        return out

    def _array(
        self, schema: dict[str, Any], variant: int, depth: int, seen: frozenset[str], short: bool
    ) -> ir.JsonValue:
        items = schema.get("items")
        min_items = schema.get("minItems")
        least: int = min_items if isinstance(min_items, int) else 0
        size = max(least, 0 if short and least == 0 else 1)
        return [self._value(items, variant + i, depth + 1, seen, short) for i in range(size)]


def _merge_into(target: dict[str, Any], part: dict[str, Any]) -> None:
    """`part`'s keywords added to `target`: properties and `required` united (a property both define
    must satisfy both), any other keyword kept from whichever said it first."""
    for key, value in part.items():
        if key == "properties" and isinstance(value, dict):
            properties = dict(target.get("properties") or {})
            for name, sub in value.items():
                properties[name] = (
                    sub if name not in properties else {"allOf": [properties[name], sub]}
                )
            target["properties"] = properties
        elif key == "required" and isinstance(value, list):
            target["required"] = list(dict.fromkeys([*(target.get("required") or []), *value]))
        elif key not in target:
            target[key] = value


def _constraint_only(branch: Any) -> bool:
    """A `oneOf`/`anyOf` branch such as `{required: [file_ids]}`: it says which of the parent's
    properties go together, and has no type of its own."""
    return isinstance(branch, dict) and not (_TYPING_KEYS & branch.keys())


def _with_branch(schema: dict[str, Any], key: str, index: int) -> dict[str, Any]:
    """The parent with one constraint-only branch merged in. For `oneOf`, properties only the other
    branches require are left out, so that exactly one branch matches."""
    branches = schema[key]
    merged = {k: v for k, v in schema.items() if k != key}
    _merge_into(merged, branches[index])
    if key == "oneOf" and isinstance(merged.get("properties"), dict):
        mine = set(branches[index].get("required") or [])
        others = {
            name
            for i, b in enumerate(branches)
            if i != index and isinstance(b, dict)
            for name in b.get("required") or []
        }
        merged["properties"] = {
            n: p for n, p in merged["properties"].items() if n in mine or n not in others
        }
    return merged


def _allows_null(schema: dict[str, Any]) -> bool:
    declared = schema.get("type")
    return (
        declared == "null"
        or (isinstance(declared, list) and "null" in declared)
        or "type" not in schema
    )


def _pick_type(schema: dict[str, Any], variant: int, short: bool) -> str:
    declared = schema.get("type")
    if isinstance(declared, list) and declared:
        if short and "null" in declared:
            return "null"
        return str(declared[variant % len(declared)])
    if isinstance(declared, str):
        return declared
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return "any"


def _simplest(branches: list[Any]) -> Any:
    """The branch that ends a recursion soonest: null, then a scalar, then anything."""
    for wanted in ("null", "string", "integer", "number", "boolean"):
        for branch in branches:
            if isinstance(branch, dict) and (
                branch.get("type") == wanted
                or (wanted == "null" and branch.get("type") == ["null"])
            ):
                return branch
    return branches[0]


def _own_choices(schema: dict[str, Any]) -> list[int]:
    """How many variants the schema's own keywords ask for (its subschemas are counted apart)."""
    found = [1]
    found += [len(schema[key]) for key in ("oneOf", "anyOf") if isinstance(schema.get(key), list)]
    if isinstance(schema.get("enum"), list):
        found.append(len(schema["enum"]))
    types = schema.get("type")
    if isinstance(types, list):
        found.append(len(types))
    if types == "boolean" or (isinstance(types, list) and "boolean" in types):
        found.append(2)
    properties = schema.get("properties")
    if isinstance(properties, dict) and set(properties) - set(schema.get("required") or []):
        found.append(3)
    return found


def _subschemas(schema: dict[str, Any]) -> Iterator[Any]:
    """The subschemas whose variants count too: branches, `allOf` parts, properties and items."""
    for key in ("oneOf", "anyOf"):
        if isinstance(schema.get(key), list):
            yield from schema[key]
    yield from schema.get("allOf") or []
    properties = schema.get("properties")
    if isinstance(properties, dict):
        yield from properties.values()
    if isinstance(schema.get("items"), dict):
        yield schema["items"]
