"""Does a value surely fit a 2020-12 schema? Answered without jsonschema where that is certain.

`schema_problems` validates examples, defaults and synthesized values with jsonschema, whose import
alone (~75 ms: attrs, referencing, its format checkers) is a sixth of a small spec's whole run; most
values checked fit simple schemas. `surely_fits` decides the plain cases exactly as jsonschema's
`Draft202012Validator` (no format checker) would and says `None` for anything else, so that
`schema_problems` asks jsonschema. It answers `True` only when jsonschema would evaluate every
keyword it meets without raising and find no error, so the results are those of jsonschema.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

Verdict = bool | None  # fits, does not fit, or undecided: ask jsonschema
_MAX_DEPTH = 64  # deeper is undecided (jsonschema may hit its recursion limit there)
# Keywords jsonschema validates that this module does not: their schemas are undecided.
_UNDECIDED = frozenset(
    {"contains", "dependentRequired", "dependentSchemas", "if", "then", "else", "multipleOf",
     "patternProperties", "prefixItems", "propertyNames", "unevaluatedItems",
     "unevaluatedProperties", "uniqueItems", "dependencies", "additionalItems", "definitions"}
)
_DEF_REF = re.compile(r"#/\$defs/([A-Za-z0-9_.-]+)")
_JSON_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
}


def surely_fits(schema: Any, defs: dict[str, Any], value: Any) -> Verdict:
    """True when jsonschema finds no problem with `value` against `schema` (its `$ref`s into
    `defs`); False when it finds one; None when this module cannot tell."""
    return _Fit(defs).fits(schema, value, 0)


class _Fit:
    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs

    def fits(self, schema: Any, value: Any, depth: int) -> Verdict:
        if isinstance(schema, bool):
            return schema
        if not isinstance(schema, dict) or depth > _MAX_DEPTH or not _plain(value):
            return None
        verdict: Verdict = True
        for key, argument in schema.items():
            if key == "additionalProperties":
                one = self.additional(argument, schema.get("properties", {}), value, depth)
            else:
                one = self._keyword(key, argument, value, depth)
            if one is None:
                return None
            verdict = verdict and one
        return verdict

    def _keyword(self, key: Any, argument: Any, value: Any, depth: int) -> Verdict:
        check = _KEYWORDS.get(key)
        if check is not None:
            return check(self, argument, value, depth)
        if not isinstance(key, str) or key in _UNDECIDED:
            return None
        if key.startswith("$") and key != "$comment":
            return None
        return True  # an annotation (title, format, examples, ...): jsonschema ignores it

    def ref(self, argument: Any, value: Any, depth: int) -> Verdict:
        match = _DEF_REF.fullmatch(argument) if isinstance(argument, str) else None
        if match is None or match[1] not in self.defs:
            return None
        return self.fits(self.defs[match[1]], value, depth + 1)

    def branches(self, argument: Any, value: Any, depth: int) -> list[Verdict] | None:
        if not isinstance(argument, list) or not argument:
            return None
        verdicts = [self.fits(sub, value, depth + 1) for sub in argument]
        return None if None in verdicts else verdicts

    def any_of(self, argument: Any, value: Any, depth: int) -> Verdict:
        verdicts = self.branches(argument, value, depth)
        return None if verdicts is None else any(verdicts)

    def all_of(self, argument: Any, value: Any, depth: int) -> Verdict:
        verdicts = self.branches(argument, value, depth)
        return None if verdicts is None else all(verdicts)

    def one_of(self, argument: Any, value: Any, depth: int) -> Verdict:
        verdicts = self.branches(argument, value, depth)
        return None if verdicts is None else verdicts.count(True) == 1

    def not_(self, argument: Any, value: Any, depth: int) -> Verdict:
        verdict = self.fits(argument, value, depth + 1)
        return None if verdict is None else not verdict

    def properties(self, argument: Any, value: Any, depth: int) -> Verdict:
        if not isinstance(argument, dict):
            return None
        if not isinstance(value, dict):
            return True
        verdicts = [self.fits(sub, value[name], depth + 1)
                    for name, sub in argument.items() if name in value]
        return None if None in verdicts else all(verdicts)

    def additional(self, argument: Any, named: Any, value: Any, depth: int) -> Verdict:
        """`additionalProperties`: the keys of `value` not in `properties` (`named`)."""
        if not isinstance(argument, dict | bool) or not isinstance(named, dict):
            return None
        if not isinstance(value, dict):
            return True
        verdicts = [self.fits(argument, value[key], depth + 1) for key in value if key not in named]
        return None if None in verdicts else all(verdicts)

    def items(self, argument: Any, value: Any, depth: int) -> Verdict:
        if not isinstance(argument, dict | bool):
            return None
        if not isinstance(value, list):
            return True
        verdicts = [self.fits(argument, each, depth + 1) for each in value]
        return None if None in verdicts else all(verdicts)


def _plain(value: Any) -> bool:
    """JSON data whose every comparison below means what it means to jsonschema."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(isinstance(key, str) for key in value)
    return value is None or isinstance(value, str | int | list)


def _pattern(fit: _Fit, argument: Any, value: Any, depth: int) -> Verdict:
    if not isinstance(argument, str):
        return None
    try:
        return not isinstance(value, str) or re.search(argument, value) is not None
    except re.error:
        return None


def _type(fit: _Fit, argument: Any, value: Any, depth: int) -> Verdict:
    names = argument if isinstance(argument, list) else [argument]
    if not names or any(name not in _JSON_TYPES for name in names):
        return None
    return any(_JSON_TYPES[name](value) for name in names)


def _scalar_equal(one: Any, two: Any) -> Verdict:
    """jsonschema's `equal` for JSON scalars (bool is not a number, 1 == 1.0); None for
    containers and anything else."""
    kinds = (_kind(one), _kind(two))
    if None in kinds:
        return None
    return kinds[0] == kinds[1] and one == two


def _kind(value: Any) -> str | None:
    if value is None or isinstance(value, bool | str):
        return type(value).__name__
    if isinstance(value, int | float) and _plain(value):
        return "number"
    return None


def _enum(fit: _Fit, argument: Any, value: Any, depth: int) -> Verdict:
    if not isinstance(argument, list):
        return None
    verdicts = [_scalar_equal(member, value) for member in argument]
    if True in verdicts:
        return True
    return None if None in verdicts else False


def _const(fit: _Fit, argument: Any, value: Any, depth: int) -> Verdict:
    return _scalar_equal(argument, value)


def _required(fit: _Fit, argument: Any, value: Any, depth: int) -> Verdict:
    if not isinstance(argument, list) or not all(isinstance(name, str) for name in argument):
        return None
    return not isinstance(value, dict) or all(name in value for name in argument)


def _bound(compare: Callable[[Any, Any], bool], applies: Callable[[Any], bool],
           measure: Callable[[Any], Any]) -> Callable[[_Fit, Any, Any, int], Verdict]:
    """A keyword comparing `measure(value)` with a numeric argument, for values it applies to."""
    def check(fit: _Fit, argument: Any, value: Any, depth: int) -> Verdict:
        if _kind(argument) != "number":
            return None
        return not applies(value) or compare(measure(value), argument)

    return check


_number, _string = _JSON_TYPES["number"], _JSON_TYPES["string"]
_array, _object = _JSON_TYPES["array"], _JSON_TYPES["object"]


def _same(value: Any) -> Any:
    return value


_KEYWORDS: dict[str, Callable[[_Fit, Any, Any, int], Verdict]] = {
    "$ref": _Fit.ref,
    "anyOf": _Fit.any_of,
    "allOf": _Fit.all_of,
    "oneOf": _Fit.one_of,
    "not": _Fit.not_,
    "properties": _Fit.properties,
    "items": _Fit.items,
    "type": _type,
    "enum": _enum,
    "const": _const,
    "required": _required,
    "pattern": _pattern,
    "minimum": _bound(lambda v, b: v >= b, _number, _same),
    "maximum": _bound(lambda v, b: v <= b, _number, _same),
    "exclusiveMinimum": _bound(lambda v, b: v > b, _number, _same),
    "exclusiveMaximum": _bound(lambda v, b: v < b, _number, _same),
    "minLength": _bound(lambda v, b: v >= b, _string, len),
    "maxLength": _bound(lambda v, b: v <= b, _string, len),
    "minItems": _bound(lambda v, b: v >= b, _array, len),
    "maxItems": _bound(lambda v, b: v <= b, _array, len),
    "minProperties": _bound(lambda v, b: v >= b, _object, len),
    "maxProperties": _bound(lambda v, b: v <= b, _object, len),
}
