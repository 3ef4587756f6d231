"""Request-side names: the TypedDict of every model a request can carry, and the param alias of
every alias that names one.

A request argument accepts a model or a plain dict its TypedDict describes (wire names as keys,
`Literal` enums, `Required` keys), so a dict literal type-checks. Models reached from an operation's
parameters or body (through fields, additional properties and aliases) get `<Name>Param`; an alias
reached so gets `<Name>Param` when its type names such a model (directly or through another alias);
a name that already ends in `Param`/`Params` gets `Dict` instead (Stripe's `CashBalanceParamDict`).
Names are claimed in sorted order in the API's one class namespace, after every model.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from generator import ir
from generator.ir_refs import definition_refs as refs
from generator.ir_refs import named_refs
from generator.names import NameScope


def _request_roots(op: ir.Operation) -> Iterator[str]:
    for p in op.parameters:
        yield from named_refs(p.type)
    if op.body is not None and op.body.fields is not None:
        # A body flattened into keyword arguments needs no TypedDict of its own; its fields' types
        # do.
        for f in op.body.fields:
            yield from named_refs(f.type)
    elif op.body is not None:
        yield from named_refs(op.body.type)


def name_params(
    models: tuple[ir.ModelDef, ...],
    aliases: tuple[ir.AliasDef, ...],
    operations: tuple[ir.Operation, ...],
    classes: NameScope,
) -> tuple[tuple[ir.ModelDef, ...], tuple[ir.AliasDef, ...]]:
    """`models` and `aliases` with `param_name` set where a request reaches them (see module
    doc)."""
    definitions: list[ir.ModelDef | ir.AliasDef] = [*models, *aliases]
    by_name = {d.name: d for d in definitions}
    reached: set[str] = set()
    stack = [name for op in operations for name in _request_roots(op)]
    while stack:
        name = stack.pop()
        if name in by_name and name not in reached:
            reached.add(name)
            stack.extend(refs(by_name[name]))
    # An alias needs a param version when it names a reached model, or an alias that needs one:
    # propagated backwards from the models, each alias at most once (linear).
    users: dict[str, list[str]] = {}
    for alias in aliases:
        if alias.name in reached:
            for name in set(named_refs(alias.type)):
                users.setdefault(name, []).append(alias.name)
    needed = {m.name for m in models if m.name in reached}
    pending = sorted(needed)
    while pending:
        for user in users.get(pending.pop(), ()):
            if user not in needed:
                needed.add(user)
                pending.append(user)
    names = {
        name: classes.claim(name + ("Dict" if name.endswith(("Param", "Params")) else "Param"))
        for name in sorted(needed)
    }
    return (
        tuple(dataclasses.replace(m, param_name=names.get(m.name, "")) for m in models),
        tuple(dataclasses.replace(a, param_name=names.get(a.name, "")) for a in aliases),
    )
