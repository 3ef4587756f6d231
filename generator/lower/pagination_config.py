"""Pagination set by hand: the operation extensions clientgen reads, as one `Config`.

`x-clientgen-pagination` is ours (dotted paths from the response body down; `false` turns detection
off):

    x-clientgen-pagination:
      scheme: cursor            # cursor_id | cursor | offset | page | next_url | link_header
      param: cursor             # the query parameter carrying cursor / offset / page
      limit_param: limit        # optional
      items: data               # optional if the response has one array field; "" = the body itself
      next: meta.next_cursor    # cursor: the next cursor; cursor_id: the last id (optional);
                                # next_url: the next URL
      has_more: has_more        # optional: false ends iteration
      total: total              # optional (offset, page): the number of items in all pages
      item_id: id               # cursor_id: the item field whose value is the cursor (default id)
      start: 1                  # page: the number of the first page (default 1)
      before_param: ending_before  # cursor_id: pages backwards when the call sets it

The extensions of Speakeasy, Fern and AutoRest are mapped onto it, for specs that already carry
them. Anything this module cannot read is an error located at the extension, never a silent
fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, cast, get_args

from generator import ir
from generator.diagnostics import Diagnostic
from generator.spec import Spec

OURS = "x-clientgen-pagination"
CONFIG_EXTENSIONS = (OURS, "x-speakeasy-pagination", "x-fern-pagination", "x-ms-pageable")
_KEYS = frozenset(
    {
        "scheme",
        "param",
        "limit_param",
        "items",
        "next",
        "has_more",
        "total",
        "item_id",
        "start",
        "before_param",
    }
)
_LAST_ITEM = re.compile(r"^(?P<items>.*)\[-1\]\.(?P<field>[^.\[\]]+)$")


class ConfigError(Exception):
    """What is wrong with an extension's value; turned into a located diagnostic by
    `parse_config`."""


@dataclass(frozen=True)
class Config:
    scheme: ir.PaginationScheme
    items: tuple[str, ...] | None = None  # None: the response's one array field
    param: str = ""
    limit_param: str = ""
    next: tuple[str, ...] = ()
    has_more: tuple[str, ...] = ()
    total: tuple[str, ...] = ()
    item_id: str = ""
    start: int = 1
    before_param: str = ""


def parse_config(
    extension: str, value: Any, pointer: str, spec: Spec, diagnostics: list[Diagnostic]
) -> Config | None:
    """The extension's configuration; None when it turns pagination off or is reported as an
    error."""
    try:
        return _PARSERS[extension](value)
    except ConfigError as exc:
        diagnostics.append(
            spec.diag(
                "bad-pagination",
                f"`{extension}`: {exc}",
                pointer,
                f"see the README's pagination section for the form of `{OURS}`",
            )
        )
        return None


def _ours(value: Any) -> Config | None:
    if value is False:
        return None
    if not isinstance(value, dict):
        raise ConfigError("expected a mapping (or `false` to turn pagination off)")
    unknown = sorted(set(value) - _KEYS)
    if unknown:
        raise ConfigError(
            f"unknown key(s) {', '.join(map(str, unknown))}; known: {', '.join(sorted(_KEYS))}"
        )
    scheme = value.get("scheme")
    if scheme not in get_args(ir.PaginationScheme):
        raise ConfigError(f"`scheme` must be one of {', '.join(get_args(ir.PaginationScheme))}")
    start = value.get("start", 1)
    if not isinstance(start, int) or isinstance(start, bool):
        raise ConfigError("`start` must be an integer")
    return Config(
        cast("ir.PaginationScheme", scheme),
        _path(value["items"]) if "items" in value else None,
        _name(value, "param"),
        _name(value, "limit_param"),
        _path(value.get("next")),
        _path(value.get("has_more")),
        _path(value.get("total")),
        _name(value, "item_id"),
        start,
        _name(value, "before_param"),
    )


def _speakeasy(value: Any) -> Config | None:
    if not isinstance(value, dict) or not isinstance(value.get("outputs"), dict):
        raise ConfigError("expected a mapping with `type`, `inputs` and `outputs`")
    inputs = {}
    for entry in value.get("inputs") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ConfigError("every input needs a `name`")
        if entry.get("in", "parameters") != "parameters":
            raise ConfigError(
                f"input `{entry['name']}` is in the request body; clientgen pages by query"
                " parameters only"
            )
        inputs[str(entry.get("type"))] = entry["name"]
    outputs = value["outputs"]
    items = _path(outputs["results"]) if "results" in outputs else None
    kind, limit = value.get("type"), inputs.get("limit", "")
    if kind == "offsetLimit" and "page" in inputs:
        return Config("page", items, inputs["page"], limit)
    if kind == "offsetLimit" and "offset" in inputs:
        return Config("offset", items, inputs["offset"], limit)
    if kind == "cursor" and "cursor" in inputs and isinstance(outputs.get("nextCursor"), str):
        last = _LAST_ITEM.match(_strip(outputs["nextCursor"]))
        if last:  # `$.data[-1].id`: the cursor is the last item's id
            return Config(
                "cursor_id",
                _path(last.group("items")),
                inputs["cursor"],
                limit,
                item_id=last.group("field"),
            )
        return Config("cursor", items, inputs["cursor"], limit, _path(outputs["nextCursor"]))
    if kind == "url" and isinstance(outputs.get("nextUrl"), str):
        return Config("next_url", items, next=_path(outputs["nextUrl"]))
    raise ConfigError(f"type {kind!r} with these inputs/outputs is not a scheme clientgen knows")


def _fern(value: Any) -> Config | None:
    if not isinstance(value, dict):
        raise ConfigError("expected a mapping")
    items = _path(value["results"]) if "results" in value else None
    has_more = _path(value.get("has-next-page"))
    if "cursor" in value and "next_cursor" in value:
        return Config(
            "cursor",
            items,
            _request(value["cursor"]),
            next=_path(value["next_cursor"]),
            has_more=has_more,
        )
    if "offset" in value:
        step = _request(value["step"]) if "step" in value else ""
        # Fern adds `step` to the offset when it is given; without it the parameter counts pages.
        return Config(
            "offset" if step else "page", items, _request(value["offset"]), step, has_more=has_more
        )
    if "next_uri" in value:
        return Config("next_url", items, next=_path(value["next_uri"]))
    raise ConfigError("expected `cursor` with `next_cursor`, `offset`, or `next_uri`")


def _ms_pageable(value: Any) -> Config | None:
    if not isinstance(value, dict):
        raise ConfigError("expected a mapping with `nextLinkName`")
    next_link = value.get("nextLinkName")
    if next_link is None:
        return None  # AutoRest: one page only
    items = value.get("itemName", "value")
    if not isinstance(next_link, str) or not isinstance(items, str):
        raise ConfigError("`nextLinkName` and `itemName` must be strings")
    return Config("next_url", (items,), next=(next_link,))


_PARSERS = {
    OURS: _ours,
    "x-speakeasy-pagination": _speakeasy,
    "x-fern-pagination": _fern,
    "x-ms-pageable": _ms_pageable,
}


def _strip(text: str) -> str:
    for prefix in ("$response.body#/", "$response.body.", "$response.", "$request.", "$.", "$"):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def _path(value: Any) -> tuple[str, ...]:
    """A path to a response field: `a.b`, `$.a.b`, `$response.a.b`, `$response.body#/a/b` or a
    list."""
    if value is None or value == "":
        return ()
    if isinstance(value, list) and all(isinstance(v, str) and v for v in value):
        return tuple(value)
    if not isinstance(value, str):
        raise ConfigError(f"expected a field path such as `meta.next_cursor`, got {value!r:.40}")
    separator = "/" if value.startswith("$response.body#/") else "."
    parts = tuple(_strip(value).split(separator)) if _strip(value) else ()
    if any(not part for part in parts):
        raise ConfigError(f"field path {value!r:.60} has an empty part")
    return parts


def _request(value: Any) -> str:
    if not isinstance(value, str) or not _strip(value) or "." in _strip(value):
        raise ConfigError(
            f"expected a request parameter such as `$request.cursor`, got {value!r:.40}"
        )
    return _strip(value)


def _name(value: dict[str, Any], key: str) -> str:
    found = value.get(key, "")
    if not isinstance(found, str):
        raise ConfigError(f"`{key}` must be a string")
    return found
