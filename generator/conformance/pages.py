"""Page cases: for each operation that pages, two served pages and what the second request must
carry.

The first page is the response schema's synthesized body with one item and the scheme's "there is
more" parts filled in (a next cursor, `has_more: true`, a large total, a next URL); the second page
has no items, which ends iteration under every scheme. The test (templates/tests/test_pages.py)
iterates the page and checks: exactly two requests, the second one carrying the cursor / offset /
page number / next URL the scheme says, and every other query value of the first call kept.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from generator import ir
from generator.conformance.requests import Call, RequestBuilder
from generator.conformance.responses import served_status
from generator.conformance.synth import Synthesizer

NEXT_QUERY = "clientgen_page"  # the query of the relative next URL the first page names
_CURSOR = "cursor-2"


def page_cases(
    op: ir.Operation, requests: RequestBuilder, owners: dict[str, ir.JsonValue], synth: Synthesizer
) -> list[dict[str, Any]]:
    paging = op.pagination
    success = next(
        (r for r in op.responses if r.status.startswith("2") and r.type is not None), None
    )
    if paging is None or success is None or op.streams_only:
        return []
    call = requests.calls(op)[0]
    limit = _query_param(op, paging.limit_param)
    if _requires_size_or_direction(op, paging):
        return []
    # A copy: the synthesizer's value is shared, and the first page is changed below.
    first = copy.deepcopy(synth.value(owners.get(success.pointer, {})))
    items = _get(first, paging.items)
    if not _pageable(items, paging.scheme):
        return []
    second: Any = [] if not paging.items else copy.deepcopy(first)
    _set(second, paging.items, [])
    expected = _fill_first(first, paging, call, op)
    # Neither the page size (a short first page ends iteration) nor the backwards cursor (it
    # reverses the direction) is sent: the case checks paging forwards.
    before = _query_param(op, paging.before_param)
    dropped = {p.py_name for p in (limit, before) if p is not None}
    kept = [
        pair
        for pair in call.query
        if pair[0] not in (paging.param, paging.limit_param, paging.before_param)
    ]
    kwargs = {k: v for k, v in call.kwargs.items() if k not in dropped}
    link = f'<?{NEXT_QUERY}=2>; rel="next"' if paging.scheme == "link_header" else None
    documented = {r.status.upper() for r in op.responses}
    return [
        {
            "id": call.method,
            "call": {**call.call(), "kwargs": kwargs},
            "status": served_status(success.status, documented),
            "content_type": success.content_type,
            "first": json.dumps(first),
            "second": json.dumps(second),
            "link": link,
            "expect": {
                **expected,
                "kept": [] if expected["param"] == NEXT_QUERY else sorted(kept),
                "items": len(items),
            },
        }
    ]


def _query_param(op: ir.Operation, wire: str) -> ir.Parameter | None:
    return next((p for p in op.parameters if p.location == "query" and p.wire_name == wire), None)


def _requires_size_or_direction(op: ir.Operation, paging: ir.Pagination) -> bool:
    """A required page size or backwards cursor: a short first page, or a backwards cursor, would
    change what the second request is."""
    wires = (paging.limit_param, paging.before_param)
    return any(p.required for p in op.parameters if p.location == "query" and p.wire_name in wires)


def _pageable(items: Any, scheme: str) -> bool:
    """The first page's items: a non-empty list, whose last item is an object under `cursor_id`
    (its id is the next cursor)."""
    if not isinstance(items, list) or not items:
        return False
    return scheme != "cursor_id" or isinstance(items[-1], dict)


def _fill_first(body: Any, paging: ir.Pagination, call: Call, op: ir.Operation) -> dict[str, Any]:
    """Make the first page say there is more; what the second request must then send."""
    if paging.has_more:
        _set(body, paging.has_more, True)
    if paging.total:
        _set(body, paging.total, 1000)
    sent = _sent_value(call, op, paging.param)
    if paging.scheme in ("next_url", "link_header"):
        if paging.scheme == "next_url":
            _set(body, paging.next, f"?{NEXT_QUERY}=2")
        return {"param": NEXT_QUERY, "value": "2"}
    if paging.scheme == "cursor_id":
        value = _cursor_like(_get(_get(body, paging.items)[-1], (paging.item_id,)))
        _set(_get(body, paging.items)[-1], (paging.item_id,), value)
        if paging.next:
            _set(body, paging.next, value)
    elif paging.scheme == "cursor":
        value = _cursor_like(_get(body, paging.next))
        _set(body, paging.next, value)
    elif paging.scheme == "offset":
        value = (sent if isinstance(sent, int) else 0) + len(_get(body, paging.items))
    else:
        value = (sent if isinstance(sent, int) else paging.start) + 1
    return {"param": paging.param, "value": str(value)}


def _sent_value(call: Call, op: ir.Operation, wire: str) -> Any:
    param = _query_param(op, wire)
    value = call.kwargs.get(param.py_name) if param is not None else None
    return value if not isinstance(value, bool) else None


def _cursor_like(current: Any) -> Any:
    """A cursor of the type the schema gave (an integer offset stays an integer)."""
    return 2 if isinstance(current, int) and not isinstance(current, bool) else _CURSOR


def _get(value: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        value = value.get(name) if isinstance(value, dict) else None
    return value


def _set(value: Any, path: tuple[str, ...], new: Any) -> None:
    if not path:
        return
    for name in path[:-1]:
        if not isinstance(value.get(name), dict):
            value[name] = {}
        value = value[name]
    value[path[-1]] = new
