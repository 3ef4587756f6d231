"""`dumps_indented` writes exactly what `json.dumps(..., sort_keys=True, indent=1, ensure_ascii=False,
allow_nan=True)` writes (the layout of every generated `tests/cases.json`), including the values it hands
back to the standard library."""

from __future__ import annotations

import enum
import json
from typing import Any

import pytest

from generator.conformance.jsontext import dumps_indented


class _Flag(enum.IntEnum):
    ON = 1


# One dict met again at other depths (copied, re-indented), and inside itself at its own depth.
_SHARED: dict[str, Any] = {"deep": {"list": [1, {"x": "a\\nb"}], "empty": {}}, "s": "\n"}
_SHARED_VALUE: Any = {"a": _SHARED, "b": [[_SHARED]], "c": {"d": {"e": _SHARED}}, "f": [_SHARED]}

VALUES: list[Any] = [
    _SHARED_VALUE,
    [_SHARED, _SHARED["deep"], [_SHARED["deep"], _SHARED]],
    {},
    [],
    "plain",
    {"b": [1, 2.5, -0.0, 1e300, True, False, None], "a": {"nested": {}, "empty": []}},
    {"unicode": "é ☃ \u2028 \x00 \"quoted\" \\ \n\t", "emoji": "😀"},
    [float("nan"), float("inf"), -float("inf"), 10**30, -7],
    ({"tuple": (1, (2, 3))},),
    [[[[]]], [{}], {"k": [{"x": "y"}]}],
    {"z": 1, "Z": 2, "é": 3, "_": 4, "": 5},
    {"int key falls back": {1: "a"}},
    [_Flag.ON],  # an int subclass: the standard library's own text
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_same_text_as_json_dumps(value: Any) -> None:
    expected = json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False, allow_nan=True)
    assert dumps_indented(value) == expected


def test_mixed_key_types_fail_as_json_dumps_does() -> None:
    with pytest.raises(TypeError):
        dumps_indented({"a": 1, 2: 3})
    with pytest.raises(TypeError):
        json.dumps({"a": 1, 2: 3}, sort_keys=True, indent=1)


def test_an_unknown_type_fails_as_json_dumps_does() -> None:
    with pytest.raises(TypeError):
        dumps_indented({"a": object()})
