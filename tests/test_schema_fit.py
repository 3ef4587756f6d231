"""`surely_fits` decides only what jsonschema would decide the same way (see schema_fit.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.build import build_package
from generator.config import load_options
from generator.lower import jsonschema as lower_jsonschema
from generator.lower.schema_fit import surely_fits

ROOT = Path(__file__).resolve().parents[1]
DEFS: dict[str, Any] = {
    "Pet": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}},
            "additionalProperties": False},
    "Loop": {"$ref": "#/$defs/Loop"},
    "Tree": {"type": "object", "properties": {"kids": {"type": "array",
                                                        "items": {"$ref": "#/$defs/Tree"}}}},
}
CASES: list[tuple[Any, Any]] = [
    ({"type": "integer", "maximum": 100, "format": "int32"}, 1),
    ({"type": "integer"}, True),
    ({"type": "integer"}, 2.0),
    ({"type": "integer"}, 2.5),
    ({"type": "number"}, False),
    ({"type": ["string", "null"]}, None),
    ({"type": "string", "format": "date"}, "not a date"),  # no format checker: fits
    ({"type": "string", "minLength": 2, "maxLength": 3}, "ab"),
    ({"type": "string", "minLength": 2}, "a"),
    ({"type": "string", "pattern": "^a+$"}, "aaa"),
    ({"type": "string", "pattern": "^a+$"}, "ab"),
    ({"exclusiveMinimum": 0, "exclusiveMaximum": 1}, 0),
    ({"minimum": 0}, "text"),  # bounds apply to numbers only
    ({"enum": ["a", "b"]}, "a"),
    ({"enum": [1, 2]}, 1.0),
    ({"enum": [1, 2]}, True),
    ({"enum": [None]}, None),
    ({"const": False}, 0),
    ({"$ref": "#/$defs/Pet"}, {"id": 1}),
    ({"$ref": "#/$defs/Pet"}, {"id": 1, "extra": 2}),
    ({"$ref": "#/$defs/Pet"}, {}),
    ({"$ref": "#/$defs/Pet"}, [1]),
    ({"$ref": "#/$defs/Tree"}, {"kids": [{"kids": []}, {"kids": [{}]}]}),
    ({"$ref": "#/$defs/Tree"}, {"kids": [{"kids": 1}]}),
    ({"anyOf": [{"type": "integer"}, {"type": "null"}]}, None),
    ({"oneOf": [{"type": "integer"}, {"type": "number"}]}, 1),
    ({"oneOf": [{"type": "integer"}, {"type": "string"}]}, 1),
    ({"allOf": [{"type": "object"}, {"required": ["a"]}]}, {"a": 1}),
    ({"not": {"type": "string"}}, 1),
    ({"type": "array", "items": {"type": "string"}, "minItems": 1}, ["a", 1]),
    ({"type": "object", "additionalProperties": {"type": "integer"}}, {"a": 1, "b": "x"}),
    ({"maxProperties": 1, "title": "t", "x-extension": 1}, {"a": 1}),
]
UNDECIDED: list[tuple[Any, Any]] = [
    ({"$ref": "#/$defs/Loop"}, 1),  # jsonschema recurses until it gives up
    ({"$ref": "#/$defs/Missing"}, 1),
    ({"required": None}, {}),  # jsonschema raises on it
    ({"type": "unknown"}, 1),
    ({"uniqueItems": True}, [1, 1]),
    ({"enum": [[1]]}, [1]),
    ({"type": "number"}, float("nan")),
    ({"pattern": "("}, "x"),
]


def _jsonschema_fits(schema: Any, value: Any) -> bool:
    return not list(jsonschema.Draft202012Validator({**schema, "$defs": DEFS}).iter_errors(value))


@pytest.mark.parametrize(("schema", "value"), CASES)
def test_decided_as_jsonschema_decides(schema: Any, value: Any) -> None:
    assert surely_fits(schema, DEFS, value) is _jsonschema_fits(schema, value)


@pytest.mark.parametrize(("schema", "value"), UNDECIDED)
def test_left_to_jsonschema(schema: Any, value: Any) -> None:
    assert surely_fits(schema, DEFS, value) is None


def test_bundled_specs_agree_with_jsonschema(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every value the build of the bundled clients validates (lint, conformance cases): where
    surely_fits decides, jsonschema finds the same."""
    checked: list[bool | None] = []

    def compare(schema: Any, defs: dict[str, Any], value: Any) -> bool | None:
        verdict = surely_fits(schema, defs, value)
        if verdict is not None:
            validator = jsonschema.Draft202012Validator({**schema, "$defs": defs})
            assert verdict is (not list(validator.iter_errors(value))), (schema, value)
        checked.append(verdict)
        return verdict

    monkeypatch.setattr(lower_jsonschema, "surely_fits", compare)
    for client in load_options(ROOT / "pyproject.toml").clients:
        build_package(client)
    assert checked.count(True) > 100 and checked.count(None) < len(checked) // 10
