"""An operation's descriptor (`Operation(...)` in the generated resource modules): built as a value
(`encode.Call` of the runtime's `Operation`) and written by the one literal encoder.

Which collections are `Exploded` (one item per line, trailing comma) is chosen as black lays the
descriptor out, so black's first pass keeps it: the call itself, a non-empty `responses`, and a
tuple of two or more rows; a row, a one-tuple and the `mode` pair stay on one line.
"""

from __future__ import annotations

from typing import Any

from generator import ir
from generator.encode import Call, Exploded, PyDict, PyTuple, literal


def descriptor(op: ir.Operation) -> str:
    """The `Operation(...)` expression of `op`, as source."""
    return literal(descriptor_value(op))


def descriptor_value(op: ir.Operation) -> Exploded:
    """The runtime's `Operation(...)` for `op` (see templates/runtime/_types.py), as a value."""
    responses = PyDict(
        tuple((r.status, Call("ResponseSpec", (r.content_type, r.type_name))) for r in op.responses)
    )
    kwargs: list[tuple[str, Any]] = [
        ("method", op.method),
        ("path", op.path),
        ("responses", Exploded(responses)),
    ]
    if op.security:
        kwargs.append(("security", rows(tuple(rows(alt) for alt in op.security))))
    if op.body is not None:
        kwargs.append(("content_type", op.body.content_type))
    accept = sorted({r.content_type for r in op.responses if r.content_type})
    if accept:
        kwargs.append(("accept", ", ".join(accept)))
    if op.idempotency_header:
        kwargs.append(("idempotency_header", op.idempotency_header))
    kwargs.append(("params", rows(tuple(PyTuple(entry) for entry in _params(op)))))
    if op.body is not None and op.body.fields is not None:
        kwargs.append(("fields_body", True))
    styles = _styles(op)
    if styles:
        kwargs.append(("styles", rows(tuple(PyTuple(entry) for entry in styles))))
    mode = op.stream_mode
    if mode is not None:
        kwargs.append(("mode", PyTuple((mode.blocking_value, mode.stream_value))))
    return Exploded(Call("Operation", kwargs=tuple(kwargs)))


def rows(items: tuple[Any, ...]) -> PyTuple | Exploded:
    """A tuple written with a trailing comma: exploded from two items on, as black writes it (a
    one-tuple's comma is not a magic one)."""
    return Exploded(PyTuple(items)) if len(items) > 1 else PyTuple(items)


_WHERE = {"path": "path", "query": "query", "header": "headers", "cookie": "cookies"}


def _params(op: ir.Operation) -> list[tuple[str, str, str]]:
    """The descriptor's `params`: (where, wire name, argument name) in the order the request sends
    them; the stream-mode value (argument name "") last in its group, body fields sorted by wire
    name (as written: the literal's order)."""
    mode = op.stream_mode
    hidden = (mode.location, mode.wire_name) if mode is not None else None
    entries: list[tuple[str, str, str]] = []
    for location, where in _WHERE.items():
        entries += [
            (where, p.wire_name, p.py_name)
            for p in op.parameters
            if p.location == location and (location, p.wire_name) != hidden
        ]
        if mode is not None and mode.location == location:
            entries.append((where, mode.wire_name, ""))
    body_fields = op.body.fields if op.body is not None else None
    if op.body is not None and body_fields is None:
        entries.append(("content", "", op.body_param))
    elif body_fields is not None:
        fields = [
            (literal(f.wire_name), f.wire_name, f.py_name)
            for f in body_fields
            if ("body", f.wire_name) != hidden
        ]
        if mode is not None and mode.location == "body":
            fields.append((literal(mode.wire_name), mode.wire_name, ""))
        entries += [("body", wire, name) for _, wire, name in sorted(fields)]
    return entries


def _styles(op: ir.Operation) -> list[tuple[str, str, str, bool]]:
    """The descriptor's `styles`: query parameters, then body fields, not sent as exploded form."""
    entries = [
        ("query", p.wire_name, p.style, p.explode)
        for p in op.parameters
        if p.location == "query" and (p.style, p.explode) != ("form", True)
    ]
    entries += [
        ("body", name, style, explode)
        for name, style, explode in (op.body.encoding if op.body else ())
    ]
    return entries
