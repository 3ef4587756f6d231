"""Synthesized values of scalar schemas (see `synth`): a number inside the schema's bounds, a
string from its examples, its default, its format's sample or plain text, fitted to its length."""

from __future__ import annotations

from typing import Any

STRING_FORMATS: dict[str, str] = {
    "date-time": "2024-01-02T03:04:05Z",
    "date": "2024-01-02",
    "time": "03:04:05",
    "uuid": "123e4567-e89b-42d3-a456-426614174000",
    "email": "user@example.com",
    "uri": "https://example.com/resource",
    "url": "https://example.com/resource",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "aGVsbG8=",
}


def number_value(schema: dict[str, Any], kind: str) -> int | float:
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    value: float = 1 if kind == "integer" else 1.5
    if isinstance(low, int | float) and not isinstance(low, bool) and value <= low:
        value = low + (1 if "exclusiveMinimum" in schema else 0)
    if isinstance(high, int | float) and not isinstance(high, bool) and value >= high:
        value = high - (1 if "exclusiveMaximum" in schema else 0)
    return int(value) if kind == "integer" else float(value)


def string_value(schema: dict[str, Any]) -> str:
    examples = schema.get("examples")
    if isinstance(examples, list) and examples and isinstance(examples[0], str):
        return examples[0]
    if isinstance(schema.get("default"), str):
        return str(schema["default"])
    text = STRING_FORMATS.get(str(schema.get("format", "")), "text")
    least = schema.get("minLength")
    most = schema.get("maxLength")
    if isinstance(least, int) and len(text) < least:
        text = text + "x" * (least - len(text))
    if isinstance(most, int) and len(text) > most:
        text = text[:most]
    return text
