"""Synthesized conformance values validate against their schema (the validator lint uses), for the shapes
that used to produce placeholders: `required` in one `allOf` member for a property another defines,
`oneOf`/`anyOf` branches that only say which properties go together, and a `default: null` on a type
that does not allow null."""

from __future__ import annotations

from typing import Any

import pytest

from generator.conformance.synth import Synthesizer

DEFS: dict[str, Any] = {
    "Base": {"type": "object", "properties": {"temperature": {"anyOf": [{"type": "number", "minimum": 0, "maximum": 2}, {"type": "null"}]},
                                              "metadata": {"type": "object", "additionalProperties": {"type": "string"}}}},
    "Response": {"allOf": [{"$ref": "#/$defs/Base"}, {"type": "object", "required": ["temperature", "metadata", "id"],
                                                      "properties": {"id": {"type": "string"}}}]},
    "Batch": {"type": "object", "properties": {"file_ids": {"type": "array", "items": {"type": "string"}}, "files": {"type": "array", "items": {"type": "string"}}},
              "oneOf": [{"required": ["file_ids"]}, {"required": ["files"]}]},
    "AnyBatch": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "anyOf": [{"required": ["a"]}, {"required": ["b"]}]},
    "Noise": {"type": "object", "properties": {"noise": {"type": "object", "default": None, "properties": {"x": {"type": "string"}}}}, "required": ["noise"]},
    "Tree": {"type": "object", "required": ["children"], "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/Tree"}}}},
}


@pytest.mark.parametrize("name", sorted(DEFS))
def test_every_variant_fits_its_schema(name: str) -> None:
    synth = Synthesizer(DEFS)
    schema = {"$ref": f"#/$defs/{name}"}
    variants = synth.variants(schema)
    assert variants, name
    unfit = [value for value in variants if not synth.fits(schema, value)]
    assert unfit == [], unfit
    assert synth.fitting_variants(schema) == variants


def test_a_required_property_defined_by_another_member_gets_a_real_value() -> None:
    value = Synthesizer(DEFS).value({"$ref": "#/$defs/Response"})
    assert isinstance(value, dict) and value["temperature"] != "value" and isinstance(value["metadata"], dict)


def test_a_schema_nothing_fits_is_said_so() -> None:
    synth = Synthesizer({})
    value, fits = synth.fitting({"type": "string", "enum": []})
    assert fits is False and synth.fitting_variants({"type": "string", "enum": []}) == []


def test_fits_remembers_answers_but_not_across_values() -> None:
    """The cache of `fits` is keyed by the schema (its `$ref` target or JSON text) and the value's
    identity: a second check of the same pair gives the same answer, and a different value (1 vs 1.0 vs
    True, or an equal dict of its own) is checked on its own."""
    synth = Synthesizer(DEFS)
    schema = {"type": "integer", "minimum": 1}
    assert synth.fits(schema, 1) and synth.fits(schema, 1)
    assert not synth.fits(schema, 0) and not synth.fits(schema, 0)
    assert not synth.fits(schema, "1")
    assert not synth.fits({"type": "boolean"}, 1) and synth.fits({"type": "boolean"}, True)
    assert synth.fits({"$ref": "#/$defs/Tree"}, {"children": []})
    assert not synth.fits({"$ref": "#/$defs/Tree"}, {"children": [{}]})


def test_equal_schemas_share_values_and_a_bare_ref_its_target() -> None:
    """Values are remembered per schema: equal inline schemas (two dicts) and bare `$ref`s to one
    target get the same object, which callers copy before changing."""
    synth = Synthesizer(DEFS)
    one, two = {"type": "object", "properties": {"x": {"type": "string"}}}, {"type": "object", "properties": {"x": {"type": "string"}}}
    assert synth.value(one) is synth.value(two) and synth.value(one) == {"x": "text"}
    assert synth.value({"$ref": "#/$defs/Tree"}) is synth.value({"$ref": "#/$defs/Tree"})


def test_schemas_differing_in_key_order_keep_their_own_values() -> None:
    """A `const` object is served as the spec wrote it, and a response body's JSON keeps its key
    order: two schemas equal but for that order are not one schema to the memo."""
    synth = Synthesizer({})
    first, second = synth.value({"const": {"b": 1, "a": 2}}), synth.value({"const": {"a": 2, "b": 1}})
    assert list(first) == ["b", "a"] and list(second) == ["a", "b"]
