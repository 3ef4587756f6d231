"""Every name the resource tree emits, claimed once in the scope it is emitted into.

Per resource class: its child resources' attributes, then its methods (rule 3 of `resources.py`),
then the streaming twins (`create_stream`). Per `_resources` module: its classes (sync and async,
clear of every model name the module could import) and its module-level constants (descriptors
`_SOURCES_VERIFY`, event typing `_RUN_EVENTS`). `validate` proves afterwards that no emitted module
defines a name twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from generator import ir
from generator.diagnostics import Diagnostic, DiagnosticError
from generator.lower.resources import ANNOTATION_NAMES, Placement, children_of
from generator.names import MODULE_RESERVED, NameScope, pascal_case, upper_snake_case
from generator.spec import Spec

# Attributes of the generated clients (runtime methods and constructor values): a top-level resource
# by such a name gets a trailing `_` (`client.close_`), so it never hides them. Attributes of the
# runtime's clients: a top-level resource named like one gets a `_`.
CLIENT_ATTRIBUTES = frozenset(
    {
        "close",
        "aclose",
        "base_url",
        "timeout",
        "max_retries",
        "with_raw_response",
        "with_streaming_response",
        "idempotency_keys",
        "strict_responses",
    }
    | {"with_options", "webhooks"}
)


class TreeNamer:
    def __init__(self, spec: Spec, diagnostics: list[Diagnostic]) -> None:
        self.spec = spec
        self.diagnostics = diagnostics
        self.scopes: dict[tuple[str, ...], NameScope] = {}

    def method_names(self, placements: list[Placement]) -> list[tuple[tuple[str, ...], str]]:
        """(resource path, method name) per placement, in the given order."""
        paths = [_clear_of_client(p.resource) for p in placements]
        tree = children_of(paths)
        by_resource: dict[tuple[str, ...], list[int]] = {}
        for index, path in enumerate(paths):
            by_resource.setdefault(path, []).append(index)
        names = [""] * len(placements)
        for path in sorted(tree):
            scope = self.scopes[path] = NameScope(tree[path])
            for index, name in self._names_in(
                path, [(i, placements[i]) for i in by_resource.get(path, [])], tree[path], scope
            ):
                names[index] = name
        return list(zip(paths, names, strict=True))

    def _names_in(
        self,
        path: tuple[str, ...],
        members: list[tuple[int, Placement]],
        children: set[str],
        scope: NameScope,
    ) -> Iterable[tuple[int, str]]:
        wanted: dict[str, list[Placement]] = {}
        for _, placement in members:
            wanted.setdefault(placement.wanted, []).append(placement)
        clashing = {name for name, owners in wanted.items() if len(owners) > 1 or name in children}
        keepers = {
            keeper
            for name in clashing
            if name not in children and (keeper := _keeper(wanted[name])) is not None
        }
        for name in sorted(clashing):
            self._warn_collision(path, name, wanted[name], name in children, keepers)
        # Conventional names first, so a fallback never takes one; then the fallbacks, in API order.
        settled: dict[int, str] = {}
        for index, placement in members:
            if placement.wanted not in clashing or placement in keepers:
                settled[index] = scope.claim(placement.wanted)
        for index, placement in members:
            if placement.wanted in clashing and placement not in keepers:
                settled[index] = self._claim(scope, placement.fallback, placement.pointer)
        return sorted(settled.items())

    def _warn_collision(
        self,
        path: tuple[str, ...],
        name: str,
        owners: list[Placement],
        child: bool,
        keepers: set[Placement],
    ) -> None:
        where = ".".join(path)
        located = [self.spec.warn("method-name-collision", "", p.pointer) for p in owners]
        places = ", ".join(
            f"{p.pointer} (line {d.line})" for p, d in zip(owners, located, strict=True)
        )
        reason = (
            f"a child resource of `{where}` is called `{name}`"
            if child
            else f"{len(owners)} operations want `{where}.{name}`"
        )
        kept = next((p for p in owners if p in keepers), None)
        if kept is not None:
            places += f"; the one with the most path parameters keeps it ({kept.pointer})"
        for placement, diagnostic in zip(owners, located, strict=True):
            if placement is kept:
                continue
            source = (
                "its operationId"
                if placement.has_operation_id
                else "its method and path (it has no operationId)"
            )
            message = (
                f"{reason} ({places}); this one is generated as `{where}.{placement.fallback}`,"
                f" named after {source}"
            )
            self.diagnostics.append(
                dataclasses.replace(
                    diagnostic,
                    message=message,
                    hint="name the methods with `x-clientgen-method` (an overlay can set it)",
                )
            )

    def _claim(self, scope: NameScope, wanted: str, pointer: str) -> str:
        name = scope.claim(wanted)
        if name != wanted:
            self.diagnostics.append(
                self.spec.warn(
                    "duplicate-name",
                    f"method name `{wanted}` is taken in its resource; it is generated as `{name}`",
                    pointer,
                )
            )
        return name

    def stream_name(self, op: ir.Operation) -> str:
        wanted = op.py_name + "_stream"
        name = self.scopes[op.resource].claim(wanted)
        if name != wanted:
            self.diagnostics.append(
                self.spec.warn(
                    "duplicate-name",
                    f"streaming method name `{wanted}` is taken; it is generated as `{name}`",
                    op.pointer,
                )
            )
        return name


def _keeper(owners: list[Placement]) -> Placement | None:
    """The one of several operations wanting one name that keeps it: the one with more path
    parameters than every other (a sub-collection of an item over a same-named path without it)."""
    most = max(owners, key=lambda p: p.path_parameters)
    others = [p.path_parameters for p in owners if p is not most]
    return most if all(count < most.path_parameters for count in others) else None


def _clear_of_client(path: tuple[str, ...]) -> tuple[str, ...]:
    return (path[0] + "_", *path[1:]) if path[0] in CLIENT_ATTRIBUTES else path


def module_name(attribute: str) -> str:
    """The file name (without `.py`) of a top-level resource's modules in `_resources/` and
    `_models/`: the attribute, unless pytest would collect or load that file (`test_*.py`,
    `*_test.py`, `conftest.py`), which a user running `pytest` over their project must never see."""
    if attribute.startswith("test_") or attribute.endswith("_test") or attribute == "conftest":
        return f"_{attribute}_"
    return attribute


def module_reserved(models: Iterable[str]) -> frozenset[str]:
    """What a `_resources` module imports or may import: runtime and typing names, and every
    model."""
    return MODULE_RESERVED | frozenset(models) | {"cached_property"}


def build_resources(
    operations: tuple[ir.Operation, ...], model_names: frozenset[str]
) -> tuple[tuple[ir.Operation, ...], tuple[ir.Resource, ...]]:
    """The resource nodes (classes claimed per module) and every operation's constant names."""
    tree = children_of(op.resource for op in operations)
    reserved = NameScope(module_reserved(model_names))
    scopes: dict[str, NameScope] = {}
    resources = []
    for path in sorted(p for p in tree if p):
        if path[0] not in scopes:
            scopes[path[0]] = reserved.copy()
        scope = scopes[path[0]]
        base = pascal_case("_".join(path)) or "Resource"
        sync = scope.claim(base, alternatives=(base + "Resource",))
        asynchronous = scope.claim("Async" + base, alternatives=("Async" + base + "Resource",))
        resources.append(
            ir.Resource(path, module_name(path[0]), sync, asynchronous, tuple(sorted(tree[path])))
        )
    named = [
        dataclasses.replace(
            op,
            const_name=scopes[op.resource[0]].claim(
                "_" + upper_snake_case("_".join((*op.resource[1:], op.py_name))) or "_OP"
            ),
        )
        for op in operations
    ]
    named = [
        (
            op
            if op.stream is None
            else dataclasses.replace(
                op, events_const=scopes[op.resource[0]].claim(op.const_name + "_EVENTS")
            )
        )
        for op in named
    ]
    named = [
        (
            op
            if op.pagination is None
            else dataclasses.replace(
                op, paging_const=scopes[op.resource[0]].claim(op.const_name + "_PAGING")
            )
        )
        for op in named
    ]
    return tuple(named), tuple(resources)


def validate(api: ir.Api, spec: Spec) -> None:
    """Prove that no emitted module defines one name twice (the claims above should make that
    so)."""
    errors: list[Diagnostic] = []
    by_resource: dict[tuple[str, ...], list[ir.Operation]] = {}
    by_top: dict[str, list[ir.Operation]] = {}
    for op in api.operations:
        by_resource.setdefault(op.resource, []).append(op)
        if op.resource:
            by_top.setdefault(op.resource[0], []).append(op)
    _module_names(api, by_top, errors, spec)
    for resource in api.resources:
        members: dict[str, str] = {}
        for child in resource.children:
            _defined(members, child, "", errors, spec)
        for op in by_resource.get(resource.path, []):
            for name in {op.py_name, op.stream_py_name} - {""}:
                _defined(members, name, op.pointer, errors, spec)
    if errors:
        raise DiagnosticError(errors)


def _module_names(
    api: ir.Api, by_top: dict[str, list[ir.Operation]], errors: list[Diagnostic], spec: Spec
) -> None:
    """Each resource module's names: its resource classes and its operations' constants."""
    modules = {r.path[0]: r.module for r in api.resources}
    by_module: dict[str, list[ir.Resource]] = {}
    for resource in api.resources:
        by_module.setdefault(resource.module, []).append(resource)
    for top, module in sorted(modules.items()):
        seen: dict[str, str] = {}
        for resource in by_module.get(module, []):
            _defined(seen, resource.class_name, "", errors, spec)
            _defined(seen, resource.async_class_name, "", errors, spec)
        for op in by_top.get(top, []):
            _defined(seen, op.const_name, op.pointer, errors, spec)
            for const in (op.events_const, op.paging_const):
                if const:
                    _defined(seen, const, op.pointer, errors, spec)


def _defined(
    seen: dict[str, str], name: str, pointer: str, errors: list[Diagnostic], spec: Spec
) -> None:
    folded = name.lower()
    if folded in seen:
        errors.append(
            spec.diag(
                "name-clash",
                f"`{name}` is emitted twice in one scope (also by {seen[folded] or 'a resource'});"
                " this is a clientgen bug",
                pointer or seen[folded] or "/paths",
            )
        )
    seen[folded] = pointer


def builtin_shadowing(name: str) -> bool:
    """A method by this name hides a name that later annotations of its class use (`list`,
    `date`)."""
    return name in ANNOTATION_NAMES
