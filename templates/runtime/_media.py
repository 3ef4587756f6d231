"""Media types: the project's one definition of what is JSON, JSON lines, text or a file; and what
an error event of a stream is.

The generator reads this module too (generator/contract.py), so lowering, the runtime and the generated
conformance tests cannot disagree about a media type. Standard library only, no relative imports.
"""

from __future__ import annotations

from typing import Final

ANY_MEDIA: Final = "*/*"
# Text that is a document to keep whole, not a file: returned as `str`.
_TEXT_TYPES: Final = frozenset(
    {
        "application/xml",
        "application/yaml",
        "application/x-yaml",
        "application/javascript",
        "application/x-www-form-urlencoded",
    }
)
# text/* types that are files (a table, an export): returned as a response-content object.
_FILE_TEXT_TYPES: Final = frozenset({"text/csv", "text/tab-separated-values", "text/event-stream"})
_JSON_LINES: Final = frozenset(
    {
        "application/x-ndjson",
        "application/ndjson",
        "application/jsonl",
        "application/x-jsonlines",
    }
)


def media_type(content_type: str | None) -> str:
    """`application/json; charset=utf-8` -> `application/json`; "" for none."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_json(content_type: str | None) -> bool:
    """`application/json`, `text/json` and every `+json` type (RFC 6839)."""
    media = media_type(content_type)
    return media.endswith("/json") or media.endswith("+json")


def is_json_lines(content_type: str | None) -> bool:
    """NDJSON / JSON Lines: one JSON value per line."""
    return media_type(content_type) in _JSON_LINES


def is_text(content_type: str | None) -> bool:
    """A document read as `str` (text/plain, text/html, XML, YAML...); files such as CSV are not."""
    media = media_type(content_type)
    if media in _FILE_TEXT_TYPES:
        return False
    return media.startswith("text/") or media in _TEXT_TYPES or media.endswith("+xml")


def is_file(content_type: str | None) -> bool:
    """A body handed to the caller as a response-content object: anything not JSON and not text."""
    media = media_type(content_type)
    return bool(media) and media != ANY_MEDIA and not is_json(media) and not is_text(media)


def is_error_event(kind: str, data: object) -> bool:
    """An event that ends a stream with APIStreamError: its kind (`event:` field, or the discriminator's
    value) is `error`, or its data carries a top-level `error` that is not empty."""
    error = data.get("error") if isinstance(data, dict) else None
    return kind == "error" or error not in (None, "", {})
