"""Type aliases in the order `models.py` evaluates them, with recursive ones found and degenerate
ones refused.

A plain alias (`Tags: TypeAlias = list[str]`) is evaluated at import time, so it must come after the
aliases it names. An alias that reaches itself (`Tree = list[Tree]`, `Json = str | list[Json] |
dict[str, Json]`, or two aliases naming each other) cannot be written that way: it becomes a
`TypeAliasType` whose value is a string, which pydantic and mypy both resolve lazily. A cycle that
passes only through unions (`A = B | int`, `B = A | str`) describes no value at all; it is reported,
not generated.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from generator import ir
from generator.ir_refs import named_refs
from generator.diagnostics import Diagnostic


def order_aliases(
    aliases: dict[str, ir.AliasDef], report: Callable[..., Diagnostic]
) -> tuple[tuple[ir.AliasDef, ...], list[Diagnostic]]:
    """Aliases sorted by name, each after the aliases it needs; `lazy` set on those in a cycle."""
    cleaned = {name: _without_self(alias) for name, alias in aliases.items()}
    edges = {
        name: sorted({r for r in named_refs(a.type) if r in cleaned}) for name, a in cleaned.items()
    }
    cyclic = _in_cycles(edges)
    diagnostics = [
        _degenerate(cleaned[name], report) for name in sorted(cyclic) if _bare_cycle(name, cleaned)
    ]
    # An alias that is only another alias's name (`Model = Client`) stays a plain alias even on a
    # cycle: a TypeAliasType whose whole value is another TypeAliasType of the same cycle overflows
    # pydantic-core's stack (a segfault, found by fuzzing). It is written after the alias it names.
    lazy = {n for n in cyclic if not _names_an_alias(cleaned[n].type, cleaned)}
    ordered: list[ir.AliasDef] = []
    state: dict[str, str] = {}

    def visit(name: str) -> None:
        state[name] = "visiting"
        for ref in (
            () if name in lazy else edges[name]
        ):  # a lazy alias needs nothing defined before it
            if state.get(ref) is None:
                visit(ref)
        state[name] = "done"
        ordered.append(dataclasses.replace(cleaned[name], lazy=name in lazy))

    for name in sorted(cleaned):
        if state.get(name) is None:
            visit(name)
    return tuple(ordered), diagnostics


def _names_an_alias(value: ir.TypeRef, aliases: dict[str, ir.AliasDef]) -> bool:
    return isinstance(value, ir.Named) and value.name in aliases


def _without_self(alias: ir.AliasDef) -> ir.AliasDef:
    """`U = str | U | list[U]`: the bare `U` member adds no value U does not already have; drop
    it."""
    type_, me = alias.type, ir.Named(alias.name)
    inner = type_.inner if isinstance(type_, ir.Nullable) else type_
    if not isinstance(inner, ir.UnionType) or me not in inner.options:
        return alias
    rest = tuple(o for o in inner.options if o != me)
    new: ir.TypeRef = ir.ANY if not rest else rest[0] if len(rest) == 1 else ir.UnionType(rest)
    if isinstance(type_, ir.Nullable) and new != ir.ANY:
        new = ir.Nullable(new)
    return dataclasses.replace(alias, type=new)


def _bare_members(type_: ir.TypeRef) -> set[str]:
    """Names reached without passing through a list, a map or a model: the alias *is* one of
    them."""
    if isinstance(type_, ir.Named):
        return {type_.name}
    if isinstance(type_, ir.Nullable):
        return _bare_members(type_.inner)
    if isinstance(type_, ir.UnionType):
        return set().union(*(_bare_members(o) for o in type_.options))
    return set()


def _bare_cycle(start: str, aliases: dict[str, ir.AliasDef]) -> bool:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for ref in _bare_members(aliases[todo.pop()].type):
            if ref == start:
                return True
            if ref in aliases and ref not in seen:
                seen.add(ref)
                todo.append(ref)
    return False


def _in_cycles(edges: dict[str, list[str]]) -> set[str]:
    """Names on some cycle of the alias graph."""
    components = _Components(edges)
    for root in sorted(edges):
        if root not in components.index:
            components.walk(root)
    return components.cyclic


class _Components:
    """Tarjan's strongly connected components, iteratively (a long alias chain would overflow
    Python's recursion limit); `cyclic` collects the members of every component that is a cycle."""

    def __init__(self, edges: dict[str, list[str]]) -> None:
        self.edges = edges
        self.index: dict[str, int] = {}
        self.low: dict[str, int] = {}
        self.stack: list[str] = []
        self.on_stack: set[str] = set()
        self.cyclic: set[str] = set()

    def walk(self, root: str) -> None:
        work = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                self.index[node] = self.low[node] = len(self.index)
                self.stack.append(node)
                self.on_stack.add(node)
            if position < len(self.edges[node]):
                work.append((node, position + 1))
                child = self.edges[node][position]
                if child not in self.index:
                    work.append((child, 0))
                elif child in self.on_stack:
                    self.low[node] = min(self.low[node], self.index[child])
                continue
            if work:
                parent = work[-1][0]
                self.low[parent] = min(self.low[parent], self.low[node])
            if self.low[node] == self.index[node]:
                self._close(node)

    def _close(self, node: str) -> None:
        """Pop the component `node` roots off the stack."""
        component = []
        while True:
            member = self.stack.pop()
            self.on_stack.discard(member)
            component.append(member)
            if member == node:
                break
        if len(component) > 1 or node in self.edges[node]:
            self.cyclic.update(component)


def _degenerate(alias: ir.AliasDef, report: Callable[..., Diagnostic]) -> Diagnostic:
    return report(
        "alias-cycle",
        f"schema `{alias.name}` is defined only as a choice among schemas that lead back to it",
        alias.pointer,
        hint="give one of the schemas in the cycle a type of its own (object, array, string, ...)",
    )
