"""Which module of `_models/` defines each model, so that a call loads the models it reaches and
hardly any other.

A definition reachable from exactly one operation group (see `_groups`) lives in that group's
module. One reachable from several groups lives in `_shared/`, one reachable from none (say, a
webhook payload) in `_other/`, cut there along the references: the strongly connected components
of the reference graph (a model alone, or the models of one cycle, whose string annotations resolve
in the module they share) are the units, and a unit that no operation uses directly and that one
unit alone refers to joins that unit's module: it is loaded exactly when that one is. Every other
unit heads a module named after its first member (`Customer` -> `_shared/customer.py`). So a
module holds what its head leads to and nothing unrelated, and adding a model moves no model it
cannot reach. Imports between modules follow the references between units, which have no cycles:
from a group module to `_shared/`, within `_shared/`, and from `_other/` to anything.

Request types (`_params/`) keep the coarse split (`model_modules`): only type checkers read them.
"""

from __future__ import annotations

import keyword
from collections.abc import Iterator
from dataclasses import dataclass, field

from generator import ir
from generator.ir_refs import definition_refs as refs
from generator.ir_refs import named_refs
from generator.names import NameScope, snake_case
from generator.render.model_order import Definition, definition_order

SHARED = "_shared"
OTHER = "_other"
Modules = tuple[tuple[str, tuple[Definition, ...]], ...]  # (module, definitions), by module name
Groups = tuple[tuple[str, tuple[ir.Operation, ...]], ...]  # (group, its operations)


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


def model_modules(api: ir.Api, groups: Groups) -> Modules:
    """The coarse split: (group, `_shared` or `_other`, its definitions in definition order),
    sorted by module name; no empty module."""
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


def split_modules(coarse: Modules, groups: Groups) -> Modules:
    """`coarse` with `_shared` and `_other` cut by the models that lead to them: sorted by module
    name, `_shared.<name>` and `_other.<name>` named after the first member (name order) of the
    component that heads them."""
    package = {d.name: module for module, definitions in coarse for d in definitions}
    component: dict[str, str] = {}  # name -> the first member of its component, in name order
    for module, definitions in coarse:
        if module in (SHARED, OTHER):
            for members in _components(definitions):
                first = min(d.name for d in members)
                component.update((d.name, first) for d in members)
    roots = {component[n] for _, ops in groups for op in ops for n in _roots(op) if n in component}
    head = _heads(_referrers(coarse, component, package), roots, set(component.values()))
    # Module names unique per package, also case-insensitively; claimed in name order, so they
    # depend on no mapping order.
    scopes = {SHARED: NameScope(), OTHER: NameScope()}
    names = {
        first: f"{package[first]}.{scopes[package[first]].claim(_module_name(first))}"
        for first in sorted(set(head.values()))
    }
    modules: dict[str, list[Definition]] = {}
    for module, definitions in coarse:
        for d in definitions:
            where = names[head[component[d.name]]] if d.name in component else module
            modules.setdefault(where, []).append(d)
    return tuple((name, tuple(modules[name])) for name in sorted(modules))


def _referrers(
    coarse: Modules, component: dict[str, str], package: dict[str, str]
) -> dict[str, set[str]]:
    """Component -> the components (or group-module definitions) that refer to it and can be
    loaded by an operation, or by its own package (`_other` refers to `_shared`, never loaded
    for a call)."""
    referrers: dict[str, set[str]] = {}
    for _, definitions in coarse:
        for d in definitions:
            source = component.get(d.name, d.name)
            for name in refs(d):
                if name not in component or component[name] == source:
                    continue
                if package[name] == SHARED and package[d.name] == OTHER:
                    continue
                referrers.setdefault(component[name], set()).add(source)
    return referrers


def _heads(referrers: dict[str, set[str]], roots: set[str], components: set[str]) -> dict[str, str]:
    """Component -> the component whose module defines it. A component that no operation uses
    directly and that exactly one component refers to is loaded only through that one, and
    whenever it is: it joins that one's module (and so on up the chain). Any other heads its
    own. The references between components have no cycles, so every chain ends; each component
    is settled once (linear)."""
    head: dict[str, str] = {}
    for start in sorted(components):
        chain: list[str] = []
        current = start
        while current not in head:
            above = referrers.get(current, set())
            if current in roots or len(above) != 1 or next(iter(above)) not in components:
                head[current] = current
                break
            chain.append(current)
            current = next(iter(above))
        head.update((c, head[current]) for c in chain)
    return head


def _module_name(model: str) -> str:
    """`ChatCompletion` -> `chat_completion`: a module name derived from the model's alone."""
    name = snake_case(model) or "model"
    if not name.isidentifier():  # a name starting with a digit: model names never do, but be safe
        name = f"m_{name}"
    return f"{name}_" if keyword.iskeyword(name) else name


def _components(definitions: tuple[Definition, ...]) -> list[tuple[Definition, ...]]:
    """The strongly connected components of the references among `definitions`, members in
    `definitions` order."""
    root_of = _Tarjan({d.name: d for d in definitions}).run()
    members: dict[str, list[Definition]] = {}
    for definition in definitions:
        members.setdefault(root_of[definition.name], []).append(definition)
    return [tuple(group) for group in members.values()]


@dataclass
class _Tarjan:
    """Tarjan's algorithm without recursion (Stripe's chains are deeper than Python's stack):
    linear in the number of references."""

    by_name: dict[str, Definition]
    index: dict[str, int] = field(default_factory=dict)
    low: dict[str, int] = field(default_factory=dict)
    root_of: dict[str, str] = field(default_factory=dict)  # settled: name -> its component's root
    path: list[str] = field(default_factory=list)  # visited, component not settled yet

    def run(self) -> dict[str, str]:
        for start in self.by_name:
            if start in self.index:
                continue
            stack = [self._enter(start)]
            while stack:
                name, children = stack[-1]
                child = self._next_new(name, children)
                if child is not None:
                    stack.append(self._enter(child))
                    continue
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    self.low[parent] = min(self.low[parent], self.low[name])
                if self.low[name] == self.index[name]:
                    while (member := self.path.pop()) != name:
                        self.root_of[member] = name
                    self.root_of[name] = name
        return self.root_of

    def _enter(self, name: str) -> tuple[str, Iterator[str]]:
        self.index[name] = self.low[name] = len(self.index)
        self.path.append(name)
        return name, iter(refs(self.by_name[name]))

    def _next_new(self, name: str, children: Iterator[str]) -> str | None:
        """The next child not visited yet; a visited one still on the path lowers `name`'s link."""
        for child in children:
            if child not in self.by_name:
                continue
            if child not in self.index:
                return child
            if child not in self.root_of:
                self.low[name] = min(self.low[name], self.index[child])
        return None
