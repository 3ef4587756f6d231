"""What counts as a JSON media type: one definition for lowering, lint and the conformance cases.

The runtime copied into every package (`templates/runtime/`) cannot import clientgen, so it carries the
same rule as `_is_json`; `tests/test_media_types.py` holds the two to the same answers.

`*/*` counts as JSON: specs written by framework plugins (springdoc's default) document JSON bodies that
way, with a schema; treating them as bytes would leave every such operation untyped.
"""

from __future__ import annotations


def media_type(content_type: str | None) -> str:
    """The bare media type: parameters dropped, lower-cased (`Application/JSON; charset=x` -> `application/json`)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_json(content_type: str | None) -> bool:
    media = media_type(content_type)
    return media == "*/*" or media.endswith("/json") or media.endswith("+json")
