"""`allOf` members that add no type of their own: annotations (`{description: ...}` beside a
`$ref`) and the 3.0 idiom `{nullable: true}`; and how a member is named in the `allof-not-object`
warning."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Keywords that describe a schema without constraining its values.
_ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "example",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "externalDocs",
    }
)


def nullable_only(part: Any) -> bool:
    """`{nullable: true}` (with annotations at most) as an `allOf` member."""
    return (
        isinstance(part, dict)
        and part.get("nullable") is True
        and all(k == "nullable" or k in _ANNOTATIONS or k.startswith("x-") for k in part)
    )


def annotation_only(part: Any) -> bool:
    """An `allOf` member such as `{description: ...}`: it annotates the other members and adds no
    type."""
    return (
        isinstance(part, dict)
        and bool(part)
        and all(key in _ANNOTATIONS or key.startswith("x-") for key in part)
    )


def kind_of(part: Any, types_of: Callable[[dict[str, Any]], list[str]]) -> str:
    """What an `allOf` member is, in a few words: object, a union, string, untyped..."""
    if not isinstance(part, dict):
        return "untyped"
    if part.get("properties"):
        return "object"
    if "oneOf" in part or "anyOf" in part:
        return "a union"
    return "/".join(types_of(part)) or "untyped"
