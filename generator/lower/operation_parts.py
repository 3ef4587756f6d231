"""Small pure helpers of operation lowering: path keys, parameter and status order, examples and
security requirements."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from generator import ir
from generator.diagnostics import join_pointer
from generator.specview import ParameterView

_STATUS = re.compile(r"[1-5][0-9][0-9]|[1-5]XX|default")


def is_status(status: str) -> bool:
    """A three-digit code, a range such as 4XX, or `default`."""
    return _STATUS.fullmatch(status) is not None


def security_alternatives(requirements: Any) -> tuple[tuple[str, ...], ...]:
    """Security requirements as alternatives of scheme keys; an empty alternative (auth optional)
    goes last."""
    alternatives = [tuple(sorted(r)) for r in requirements or [] if isinstance(r, dict)]
    unique = list(dict.fromkeys(alternatives))
    return tuple(sorted(unique, key=lambda alt: (not alt, alt)))


def split_path_key(key: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The path and the constant query of a path key. Keys such as `/files/{id}#add_shared_link`
    give two operations "the same" path: a fragment is never part of a request.
    `/responses?beta=true` is the path `/responses` sent with `beta=true` (percent-escapes in the
    key are decoded; the runtime encodes)."""
    without_fragment = key.split("#", 1)[0]
    path, _, query = without_fragment.partition("?")
    return path, tuple((name, value) for name, value in parse_qsl(query, keep_blank_values=True))


def template_names(path: str) -> list[str]:
    names, rest = [], path
    while "{" in rest and "}" in rest.split("{", 1)[1]:
        inner, rest = rest.split("{", 1)[1].split("}", 1)
        names.append(inner)
    return names


def parameter_order(path: str, parameter: ParameterView) -> tuple[int, int, str]:
    """Path parameters first, in template order, then query, header and cookie ones by name."""
    ranks = {"path": 0, "query": 1, "header": 2, "cookie": 3}
    location_rank = ranks.get(parameter.location, 4)
    names = template_names(path)
    in_path = parameter.location == "path" and parameter.name in names
    position = names.index(parameter.name) if in_path else 0
    return (location_rank, position, parameter.name)


def status_order(status: str) -> tuple[int, str]:
    return (0 if status.isdigit() else 1 if status != "default" else 2, status)


def examples_of(raw: Any, pointer: str) -> tuple[ir.Example, ...]:
    """`example` and the named `examples` (by name) of a parameter or a media type."""
    found = []
    if "example" in raw:
        found.append(ir.Example("example", raw["example"], join_pointer(pointer, "example")))
    named = raw.get("examples")
    for name in sorted(named) if isinstance(named, dict) else ():
        entry = named[name]
        if isinstance(entry, dict) and "value" in entry:
            where = join_pointer(pointer, "examples", name, "value")
            found.append(ir.Example(str(name), entry["value"], where))
    return tuple(found)


def style_of(
    raw: Any, location: str, pointer: str, supported: tuple[str, ...], warn: Any
) -> tuple[str, bool]:
    """`style`/`explode` of a parameter or an `encoding` entry; the first supported style is the
    default. A style clientgen cannot send is reported (`warn(code, message, pointer)`) and
    replaced by the default."""
    style = raw.get("style")
    if not isinstance(style, str):
        style = supported[0]
    elif style not in supported:
        message = f"style `{style}` is not supported for {location}; it is sent as `{supported[0]}`"
        warn("unsupported-style", message, join_pointer(pointer, "style"))
        style = supported[0]
    explode = raw.get("explode")
    return style, explode if isinstance(explode, bool) else style == "form"
