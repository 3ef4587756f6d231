"""Which module of `_models/` defines each model, so that using one group of operations loads only
the models it can reach.

A definition reachable from exactly one operation group (see groups.py) lives in that group's
module; one reachable from several lives in `_shared`; one reachable from none (say, a webhook
payload) in `_other`. References then only point from a group module to `_shared`, and from `_other`
to anything: the modules import each other without cycles. For Stripe, 1,900 of 2,532 definitions
belong to one group, so the first response parsed loads 21-30% of the models instead of all of them.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator import ir
from generator.ir_refs import definition_refs as refs
from generator.ir_refs import named_refs
from generator.render.model_order import Definition, definition_order

SHARED = "_shared"
OTHER = "_other"


def _roots(op: ir.Operation) -> Iterator[str]:
    """The model and alias names an operation uses directly (what the runtime may parse with
    included)."""
    for p in op.parameters:
        yield from named_refs(p.type)
    if op.body is not None:
        yield from named_refs(op.body.type)
        for f in op.body.fields or ():
            yield from named_refs(f.type)
    for response in op.responses:
        yield from named_refs(response.type)
        yield from (response.type_name,) if response.type_name else ()
    if op.stream is not None:
        yield from named_refs(op.stream.event_type)
        yield from (op.stream.type_name,) if op.stream.type_name else ()
        yield from (name for _, name in op.stream.mapping)


def model_modules(
    api: ir.Api, groups: tuple[tuple[str, tuple[ir.Operation, ...]], ...]
) -> tuple[tuple[str, tuple[Definition, ...]], ...]:
    """(module name, its definitions in definition order), sorted by module name; no empty
    module."""
    definitions: tuple[Definition, ...] = (*api.models, *api.aliases)
    by_name: dict[str, Definition] = {d.name: d for d in definitions}
    # name -> the one group that reaches it, or SHARED once a second group does. A state only
    # changes twice (none -> a group -> SHARED) and only a change is propagated: linear in the
    # spec's size.
    owner: dict[str, str] = {}
    stack = [
        (name, group) for group, operations in groups for op in operations for name in _roots(op)
    ]
    while stack:
        name, label = stack.pop()
        if name not in by_name or owner.get(name) in (label, SHARED):
            continue
        owner[name] = label if name not in owner else SHARED
        stack.extend((child, owner[name]) for child in refs(by_name[name]))
    modules: dict[str, list[Definition]] = {}
    for definition in definition_order(api.models, api.aliases):
        module = owner.get(definition.name, OTHER)
        modules.setdefault(module, []).append(definition)
    return tuple((name, tuple(defs)) for name, defs in sorted(modules.items()))
