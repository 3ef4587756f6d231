"""The view of an operation that pages: its `Paging(...)` constant, return annotations and call.

Kept apart from `view.py` so the change to a method is local: its return annotation becomes
`SyncPage[Item, Response]` / `AsyncPage[Item, Response]` and its body calls the runtime's
`first_page`.
"""

from __future__ import annotations

from typing import Any

from generator import ir
from generator.encode import Call, PyTuple, literal
from generator.render.annotations import Imports, annotation

_SCHEME_WORDS = {
    "cursor_id": "the last item's id as `{param}`",
    "cursor": "the cursor the answer gives as `{param}`",
    "offset": "the next offset as `{param}`",
    "page": "the next page number as `{param}`",
    "next_url": "the next URL the answer gives",
    "link_header": "the `next` URL of the `Link` header",
}


def paging_spec(op: ir.Operation) -> tuple[str, str]:
    """(constant name, `Paging(...)` expression), only the parts that differ from the defaults."""
    paging = op.pagination
    assert paging is not None
    kwargs: list[tuple[str, Any]] = [("scheme", paging.scheme)]
    for name, path in (
        ("items", paging.items),
        ("next", paging.next),
        ("has_more", paging.has_more),
        ("total", paging.total),
    ):
        if path:
            kwargs.append((name, PyTuple(tuple(path))))
    for name, text in (
        ("param", paging.param),
        ("limit_param", paging.limit_param),
        ("item_id", paging.item_id),
        ("before_param", paging.before_param),
    ):
        if text:
            kwargs.append((name, text))
    if paging.scheme == "page" and paging.start != 1:
        kwargs.append(("start", paging.start))
    return op.paging_const, literal(Call("Paging", kwargs=tuple(kwargs)))


def page_call(op: ir.Operation, response: str, imports: Imports) -> tuple[str, str, list[str]]:
    """(sync annotation, async annotation, [sync statement, async statement])."""
    assert op.pagination is not None
    item = annotation(op.pagination.item_type, imports)
    args = f"self._client, {op.const_name}, {op.paging_const}, locals()"
    return (
        f"SyncPage[{item}, {response}]",
        f"AsyncPage[{item}, {response}]",
        [f"return first_page({args})", f"return await afirst_page({args})"],
    )


def page_doc(paging: ir.Pagination) -> str:
    how = _SCHEME_WORDS[paging.scheme].format(param=paging.param)
    return (
        "Returns the first page; iterating it yields every item of every page, fetching each next "
        f"page when needed (sending {how})."
    )
