"""An operation's descriptor (`Operation(...)` in the generated resource modules) as source text.

Each literal is laid out as black lays it out (one row per line, trailing commas), so black's first
pass keeps it; every spec string goes through `encode.literal`.
"""

from __future__ import annotations

from generator import ir
from generator.encode import literal


def descriptor(op: ir.Operation) -> str:
    """`Operation(...)` laid out as black lays it out (one argument per line): black passes once."""
    responses = "".join(
        f"        {literal(r.status)}: "
        f"ResponseSpec({literal(r.content_type)}, {literal(r.type_name)}),\n"
        for r in op.responses
    )
    args = [
        f"method={literal(op.method)}",
        f"path={literal(op.path)}",
        "responses={" + (f"\n{responses}    " if responses else "") + "}",
    ]
    if op.security:
        args.append(f"security={_security_literal(op.security)}")
    if op.body is not None:
        args.append(f"content_type={literal(op.body.content_type)}")
    accept = sorted({r.content_type for r in op.responses if r.content_type})
    if accept:
        args.append(f"accept={literal(', '.join(accept))}")
    if op.idempotency_header:
        args.append(f"idempotency_header={literal(op.idempotency_header)}")
    args.append(f"params={_params_literal(op)}")
    if op.body is not None and op.body.fields is not None:
        args.append("fields_body=True")
    styles = _styles_literal(op)
    if styles:
        args.append(f"styles={styles}")
    mode = op.stream_mode
    if mode is not None:
        args.append(f"mode=({literal(mode.blocking_value)}, {literal(mode.stream_value)})")
    return "Operation(\n" + "".join(f"    {arg},\n" for arg in args) + ")"


_WHERE = {"path": "path", "query": "query", "header": "headers", "cookie": "cookies"}


def _params_literal(op: ir.Operation) -> str:
    """The descriptor's `params`: (where, wire name, argument name) in the order the request sends
    them; the stream-mode value (argument name "") last in its group, body fields sorted by wire
    name."""
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
    return (
        _tuple_literal([f"({literal(w)}, {literal(n)}, {literal(a)})" for w, n, a in entries])
        or "()"
    )


def _styles_literal(op: ir.Operation) -> str:
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
    return _tuple_literal(
        [f"({literal(w)}, {literal(n)}, {literal(s)}, {literal(e)})" for w, n, s, e in entries]
    )


def _tuple_literal(rows: list[str]) -> str:
    """A descriptor's tuple of rows as black lays it out, so black's first pass keeps it: one row
    per line (the trailing comma keeps it exploded), but a one-tuple on one line (its comma does
    not)."""
    if len(rows) == 1:
        return f"({rows[0]},)"
    return "(\n" + "".join(f"        {row},\n" for row in rows) + "    )" if rows else ""


def _security_literal(security: tuple[tuple[str, ...], ...]) -> str:
    alternatives = ", ".join(
        "(" + "".join(f"{literal(key)}, " for key in alt) + ")" for alt in security
    )
    if len(security) > 1 and all(len(alt) <= 1 for alt in security):
        # What black makes of the line below (its trailing comma splits it), so black passes once.
        return (
            "(\n"
            + "".join(
                f"        ({literal(alt[0])},),\n" if alt else "        (),\n" for alt in security
            )
            + "    )"
        )
    return f"({alternatives},)"
