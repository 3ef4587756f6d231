"""The IR as stable JSON text: a lowering change shows up as a diff of data before rendered text.

A generic walk over the frozen dataclasses of `generator.ir`: every field of every node is written,
so a field added to the IR appears here with no change to this module. Each node is an object whose
`_node` key names its class (the TypeRef variants share field names); tuples become arrays in their
IR order (which is meaningful); mappings are written with sorted keys. Short values stay on one line
and longer ones break one item a line, which keeps the golden files compact and their diffs local.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping

from generator.ir import Api

WIDTH = (
    100  # a value whose one-line form fits in this many columns (indent included) stays on one line
)


def ir_json(api: Api) -> str:
    """The API's IR as JSON text: deterministic, sorted keys, ending with a newline."""
    return _layout(_plain(api), 0)[1] + "\n"


def _plain(value: object) -> object:
    """The value as JSON data: dataclass nodes as objects tagged with their class name."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        node: dict[str, object] = {"_node": type(value).__name__}
        for field in dataclasses.fields(value):
            node[field.name] = _plain(getattr(value, field.name))
        return node
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"the IR holds a {type(value).__name__}, which has no JSON form")


def _layout(value: object, indent: int) -> tuple[str, str]:
    """(the value on one line, the value laid out at `indent`). Built bottom-up from the children's
    two forms, so no subtree is serialized twice."""
    if isinstance(value, dict):
        items = [
            (json.dumps(key, ensure_ascii=False), _layout(value[key], indent + 1))
            for key in sorted(value)
        ]
        flat = "{" + ", ".join(f"{key}: {child[0]}" for key, child in items) + "}"
        broken = [f"{key}: {child[1]}" for key, child in items]
        return flat, _choose(flat, broken, "{}", indent)
    if isinstance(value, list):
        children = [_layout(item, indent + 1) for item in value]
        flat = "[" + ", ".join(child[0] for child in children) + "]"
        return flat, _choose(flat, [child[1] for child in children], "[]", indent)
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    return text, text


def _choose(flat: str, broken: list[str], brackets: str, indent: int) -> str:
    if len(flat) + indent <= WIDTH or not broken:
        return flat
    inner = " " * (indent + 1)
    return (
        brackets[0]
        + "\n"
        + ",\n".join(inner + line for line in broken)
        + "\n"
        + " " * indent
        + brackets[1]
    )
