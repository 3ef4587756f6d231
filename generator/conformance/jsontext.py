"""`json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False, allow_nan=True)`, byte for byte,
faster.

The standard library's C encoder only runs without `indent`; with it, every value goes through a
chain of Python generators (`json.encoder._make_iterencode`), which cost 1.9 s of a 465-operation
spec's `tests/cases.json`. One recursive function appending to a list writes the same text in about
60 % of the time. A dict met again (the same object: the conformance cases share synthesized values
between operations, 40 % of Stripe's values) is not encoded again: its text is copied, re-indented.
Anything it does not know (a non-string key, a type other than the JSON ones) falls back to
`json.dumps` for the whole value, so the output is always the standard library's.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

_INFINITY = float("inf")


class _Unsupported(Exception):
    """A value the fast path does not write exactly as `json.dumps` would."""


def dumps_indented(value: Any) -> str:
    parts: list[str] = []
    try:
        _write(value, "\n", parts, {})
    except _Unsupported:
        return json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False, allow_nan=True)
    return "".join(parts)


# id of a dict written -> (the dict, kept alive so the id stays its own; its first and past-last
# part; the pad it was written at)
_Written = dict[int, tuple[Any, int, int, str]]


def _write(value: Any, pad: str, parts: list[str], written: _Written) -> None:
    """`pad` is the newline and indent of the value's own line; its items go one space deeper."""
    kind = type(value)
    if kind is str:
        parts.append(encode_basestring(value))
    elif kind is dict:
        _write_dict(value, pad, parts, written)
    elif kind is list or kind is tuple:
        if not value:
            parts.append("[]")
            return
        inner = pad + " "
        separator = "[" + inner
        for item in value:
            parts.append(separator)
            _write(item, inner, parts, written)
            separator = "," + inner
        parts.append(pad + "]")
    elif value is None or value is True or value is False:
        parts.append("null" if value is None else "true" if value else "false")
    elif kind is int:
        parts.append(int.__repr__(value))
    elif kind is float:
        parts.append(_float(value))
    else:
        raise _Unsupported


def _write_dict(value: dict[Any, Any], pad: str, parts: list[str], written: _Written) -> None:
    if not value:
        parts.append("{}")
        return
    known = written.get(id(value))
    if known is not None:
        # Its text at another depth is the same with each line's indent changed: every line break
        # in it starts the old `pad` (strings hold no raw line break), so replacing that with the
        # new one changes only indents.
        _, start, end, was = known
        text = "".join(parts[start:end])
        parts.append(text if was == pad else text.replace(was, pad))
        return
    start = len(parts)
    inner = pad + " "
    separator = "{" + inner
    for key in sorted(value):  # raises TypeError on mixed key types, as json.dumps does
        if type(key) is not str:
            raise _Unsupported
        parts.append(separator + encode_basestring(key) + ": ")
        _write(value[key], inner, parts, written)
        separator = "," + inner
    parts.append(pad + "}")
    written[id(value)] = (value, start, len(parts), pad)


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)
