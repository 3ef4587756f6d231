"""Request encoding: scalars, OpenAPI `style`/`explode` for query strings and forms, JSON, multipart
bodies and path templates."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from datetime import date, datetime
from datetime import time as dt_time
from enum import Enum
from typing import IO, TYPE_CHECKING, Any, Final, TypeAlias, TypeGuard, cast
from urllib.parse import quote, urlencode

from ._media import ANY_MEDIA, is_json, media_type
from ._types import NotGiven, Operation

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["FileTypes", "to_jsonable"]

_PATH_PARAM: Final = re.compile(r"\{([^{}]+)\}")
_STRAY_PERCENT: Final = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _to_str(value: Any) -> str:
    """A scalar as it goes into a path segment, query string, header, cookie or form field."""
    if type(value) is str:  # most values: no checks for enums, dates or models
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return _to_str(value.value)
    if isinstance(value, (datetime, date, dt_time)):
        return value.isoformat()
    if _is_model(value):
        value = to_jsonable(value)
    if isinstance(value, (list, tuple)):  # OpenAPI "simple" style
        return ",".join(_to_str(item) for item in value)
    if isinstance(value, Mapping):  # "simple" style, not exploded: key,value,key,value
        return ",".join(
            f"{_to_str(k)},{_to_str(v)}"
            for k, v in value.items()
            if v is not None and not isinstance(v, NotGiven)
        )
    return str(value)


def _is_model(value: object) -> TypeGuard[BaseModel]:
    main = sys.modules.get("pydantic.main")
    return main is not None and isinstance(value, main.BaseModel)


def to_jsonable(value: Any) -> Any:
    """A value ready for `json.dumps`: models by alias with unset fields left out, NOT_GIVEN dropped."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is float or kind is bool:
        return value
    if kind is dict:  # the common case first: a plain body needs no model check per item
        return {
            key if type(key) is str else _to_str(key): to_jsonable(item)
            for key, item in value.items()
            if not isinstance(item, NotGiven)
        }
    if kind is list:
        return [to_jsonable(item) for item in value]
    if _is_model(value):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return {
            _to_str(key): to_jsonable(item)
            for key, item in value.items()
            if not isinstance(item, NotGiven)
        }
    if isinstance(value, (list, tuple)):
        return [to_jsonable(item) for item in value]
    import pydantic_core

    return pydantic_core.to_jsonable_python(value)  # UUID, datetime, Enum, Decimal, sets...


def _json_bytes(value: Any) -> bytes:
    # Compact and deterministic, so the bytes on the wire are predictable (and testable).
    data = to_jsonable(value)
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def _present(values: Mapping[str, Any] | None) -> dict[str, Any]:
    """Parameters that are actually sent: NOT_GIVEN and None both mean "leave it out"."""
    return {
        k: v for k, v in (values or {}).items() if v is not None and not isinstance(v, NotGiven)
    }


def _without(values: dict[str, Any], replaced: Mapping[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in (replaced or {})}


def _fields(body: Mapping[str, Any] | BaseModel) -> Mapping[str, Any]:
    if _is_model(body):
        return body.model_dump(by_alias=True, exclude_unset=True)
    return cast("Mapping[str, Any]", body)


_DELIMITERS: Final = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def _structured(value: Any) -> bool:
    return isinstance(value, (Mapping, list, tuple)) or _is_model(value)


def _deep(key: str, value: Any, out: list[tuple[str, str]]) -> None:
    """`deepObject`: `key[sub][sub2]=v` for objects, `key[]=a&key[]=b` for lists of scalars and
    `key[0][sub]=v` for lists holding objects (as Stripe, Rails and jQuery.param read them).
    """
    if value is None or isinstance(value, NotGiven):
        return
    if _is_model(value):
        value = to_jsonable(value)
    if isinstance(value, Mapping):
        for sub, item in value.items():
            _deep(f"{key}[{_to_str(sub)}]", item, out)
    elif isinstance(value, (list, tuple)):
        indexed = any(_structured(item) for item in value)
        for index, item in enumerate(value):
            _deep(f"{key}[{index}]" if indexed else f"{key}[]", item, out)
    else:
        out.append((key, _to_str(value)))


def _serialize(key: str, value: Any, style: str, explode: bool, out: list[tuple[str, str]]) -> None:
    """One query parameter or form field as OpenAPI's `style`/`explode` say: `form` exploded (the
    default) sends `k=a&k=b` for lists and each property as its own pair for objects; not exploded,
    `k=a,b` and `k=p,1,q,2`; `spaceDelimited`/`pipeDelimited` join lists with " " or "|";
    `deepObject` uses brackets. Values nested deeper than OpenAPI defines use brackets too.
    """
    if value is None or isinstance(value, NotGiven):
        return
    if _is_model(value):
        value = to_jsonable(value)
    if style == "deepObject":
        _deep(key, value, out)
    elif isinstance(value, Mapping):
        present = [
            (k, v) for k, v in value.items() if v is not None and not isinstance(v, NotGiven)
        ]
        if explode:
            for sub, item in present:
                _deep(_to_str(sub), item, out)
        else:
            out.append((key, ",".join(f"{_to_str(k)},{_to_str(v)}" for k, v in present)))
    elif isinstance(value, (list, tuple)):
        if any(_structured(item) for item in value):
            _deep(key, value, out)
            return
        items = [_to_str(v) for v in value if v is not None and not isinstance(v, NotGiven)]
        if explode:
            out.extend((key, item) for item in items)
        elif items:
            out.append((key, _DELIMITERS.get(style, ",").join(items)))
    else:
        out.append((key, _to_str(value)))


def _styles(op: Operation[Any], where: str) -> dict[str, tuple[str, bool]]:
    return {wire: (style, explode) for w, wire, style, explode in op.styles if w == where}


def _form_pairs(
    values: Mapping[str, Any], styles: Mapping[str, tuple[str, bool]]
) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in values.items():
        style, explode = styles.get(key, ("form", True))
        _serialize(key, value, style, explode, pairs)
    return pairs


def _query_string(pairs: list[tuple[str, str]]) -> str:
    """The query httpx would make of `params=pairs`: its QueryParams group a name's values at its
    first occurrence, then `urlencode` them."""
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return urlencode([(name, value) for name, values in grouped.items() for value in values])


def _extra_pairs(values: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """`extra_query`: scalars and lists as `form`, objects in brackets (the spec does not type them)."""
    pairs: list[tuple[str, str]] = []
    for key, value in (values or {}).items():
        if isinstance(value, Mapping) or _is_model(value):
            _deep(key, value, pairs)
        else:
            _serialize(key, value, "form", True, pairs)
    return pairs


# What a `format: binary` field of a multipart body takes: the content, a binary file object, or a tuple
# (filename, content) / (filename, content, content type).
FileContent: TypeAlias = bytes | IO[bytes]
FileTypes: TypeAlias = (
    FileContent | tuple[str | None, FileContent] | tuple[str | None, FileContent, str]
)


def _is_file(value: Any) -> bool:
    """bytes, a binary file object, or (filename, content[, content_type])."""
    content = value[1] if isinstance(value, tuple) and 2 <= len(value) <= 3 else value
    return isinstance(content, bytes) or hasattr(content, "read")


def _multipart(
    body: Mapping[str, Any] | BaseModel, styles: Mapping[str, tuple[str, bool]]
) -> list[tuple[str, Any]]:
    # Every field goes to httpx `files`: plain fields as filename-less parts, which is how
    # form-data encodes them anyway. This keeps the field order and forces multipart even when
    # no file is attached (httpx would fall back to urlencoding a `data`-only body). A field whose
    # encoding names a style is sent as the text parts that style makes; other objects as JSON.
    parts: list[tuple[str, Any]] = []
    for name, value in _fields(body).items():
        if name in styles:
            pairs: list[tuple[str, str]] = []
            _serialize(name, value, *styles[name], pairs)
            parts += [(key, (None, text.encode())) for key, text in pairs]
            continue
        for item in value if isinstance(value, list) else [value]:
            if item is None or isinstance(item, NotGiven):
                continue
            if _is_file(item):
                parts.append((name, item))
            elif isinstance(item, (Mapping, list, tuple)) or _is_model(item):
                parts.append((name, (None, _json_bytes(item), "application/json")))
            else:
                parts.append((name, (None, _to_str(item).encode())))
    return parts


def _encode_body(
    content_type: str | None, body: Any, styles: Mapping[str, tuple[str, bool]]
) -> tuple[dict[str, Any], str | None]:
    """`build_request` keyword arguments and the Content-Type to send (None: httpx sets it)."""
    if isinstance(body, NotGiven):
        return {}, None
    media = media_type(content_type) or "application/json"
    structured = isinstance(body, Mapping) or _is_model(body)
    if media == "multipart/form-data" and structured:
        return {"files": _multipart(body, styles)}, None  # httpx adds the boundary
    if media == "application/x-www-form-urlencoded" and structured:
        return {"content": urlencode(_form_pairs(_fields(body), styles)).encode("ascii")}, media
    if media == ANY_MEDIA:
        # `*/*` takes any body, so the generator types it as JSON: a value is sent as JSON, bytes
        # as they are; the wildcard itself is no Content-Type a server can read.
        if isinstance(body, bytes):
            return {"content": body}, None
        return {"content": _json_bytes(body)}, "application/json"
    if is_json(media) and not isinstance(body, bytes):
        return {"content": _json_bytes(body)}, content_type or "application/json"
    return {"content": body}, content_type  # bytes, str or a byte stream, sent as is


def _render_path(template: str, params: Mapping[str, Any]) -> str:
    # The template's text is sent as the spec wrote it: `#`, `?`, spaces and a stray `%` are escaped so
    # they stay part of the path (a `%XX` the spec already escaped is kept); values are escaped
    # completely, `/` included.
    parts = _PATH_TEMPLATES.get(template)
    if parts is None:
        parts = _PATH_TEMPLATES[template] = _split_path(template)
    if len(parts) == 1:
        return parts[0]
    rendered = list(parts)
    for index in range(1, len(parts), 2):
        name = parts[index]
        value = params.get(name)
        text = "" if value is None or isinstance(value, NotGiven) else _to_str(value)
        if not text:  # an empty segment would address a different endpoint
            raise ValueError(f"path parameter {name!r} needs a non-empty value")
        rendered[index] = quote(text, safe="")
    return "".join(rendered)


# Path template -> its text already escaped, alternating with parameter names: a template is split
# once per process, not on every call (there is one per operation, so this stays small).
_PATH_TEMPLATES: dict[str, tuple[str, ...]] = {}


def _split_path(template: str) -> tuple[str, ...]:
    parts = _PATH_PARAM.split(template)  # the template's own text alternating with parameter names
    for index in range(0, len(parts), 2):
        parts[index] = quote(_STRAY_PERCENT.sub("%25", parts[index]), safe="/:@!$&'()*+,;=~%")
    return tuple(parts)
