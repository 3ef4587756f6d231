"""View models of the resource tree: one `_resources/<module>.py` per top-level resource, and the
client's attributes that load them.

Every name printed here was settled in the IR (`generator.lower.tree`); this module only arranges
them.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import ir
from generator.encode import docstring
from generator.lower.tree import builtin_shadowing
from generator.render.annotations import Imports, RequestTypes
from generator.render.pages import paging_spec
from generator.render.view import (
    ConstantView,
    OperationView,
    _descriptor_view,
    _event_spec_view,
    _operation_views,
)


@dataclass(frozen=True)
class ChildView:
    attribute: str
    class_name: str
    async_class_name: str
    module: str  # for the client's attributes: the module that defines the classes
    alias: str  # for the client's attributes: the module's name in client.py (TYPE_CHECKING import)


@dataclass(frozen=True)
class ClassView:
    class_name: str
    async_class_name: str
    docstring: str
    children: tuple[ChildView, ...]
    operations: tuple[OperationView, ...]
    # Methods named like a builtin that annotations use (`list`) go last: a type checker reads
    # `list[...]` in a later signature of the class as the method.
    late_operations: tuple[OperationView, ...]


@dataclass(frozen=True)
class ResourceModuleView:
    typing_imports: tuple[str, ...]
    model_imports: tuple[str, ...]
    param_imports: tuple[str, ...]  # TypedDicts and param aliases the arguments accept
    descriptors: tuple[ConstantView, ...]
    event_specs: tuple[ConstantView, ...]
    paging_specs: tuple[ConstantView, ...]  # `Paging(...)` of each operation that pages
    streams: bool
    runtime_imports: tuple[str, ...]
    classes: tuple[ClassView, ...]


def resource_modules(
    api: ir.Api, request: RequestTypes | None = None
) -> tuple[tuple[str, ResourceModuleView], ...]:
    """(module name, its view) for every top-level resource, sorted by module name."""
    by_path = {r.path: r for r in api.resources}
    modules = sorted({r.module for r in api.resources})
    return tuple(
        (
            m,
            _module_view(
                m, [r for r in api.resources if r.module == m], api.operations, by_path, request
            ),
        )
        for m in modules
    )


def _module_view(
    module: str,
    resources: list[ir.Resource],
    operations: tuple[ir.Operation, ...],
    by_path: dict[tuple[str, ...], ir.Resource],
    request: RequestTypes | None,
) -> ResourceModuleView:
    imports = Imports(request=request)
    imports.typing.update({"TYPE_CHECKING", "Any"})
    ops = [op for op in operations if op.resource[:1] == resources[0].path[:1]]
    classes = tuple(
        _class_view(r, [op for op in ops if op.resource == r.path], by_path, imports)
        for r in resources
    )
    event_specs = tuple(_event_spec_view(op) for op in ops if op.stream is not None)
    descriptors = tuple(_descriptor_view(op, imports) for op in ops)
    return ResourceModuleView(
        typing_imports=tuple(imports.lines()),
        model_imports=tuple(sorted(imports.models)),
        param_imports=tuple(sorted(imports.params)),
        descriptors=descriptors,
        event_specs=event_specs,
        paging_specs=tuple(
            ConstantView(*paging_spec(op)) for op in ops if op.pagination is not None
        ),
        streams=bool(event_specs),
        runtime_imports=tuple(sorted(imports.runtime)),
        classes=classes,
    )


def _class_view(
    resource: ir.Resource,
    ops: list[ir.Operation],
    by_path: dict[tuple[str, ...], ir.Resource],
    imports: Imports,
) -> ClassView:
    views = [view for op in ops for view in _operation_views(op, imports)]
    children = tuple(child_view(by_path[(*resource.path, name)]) for name in resource.children)
    where = ".".join(resource.path)
    return ClassView(
        class_name=resource.class_name,
        async_class_name=resource.async_class_name,
        docstring=docstring(f"Operations of `client.{where}`.", "    "),
        children=children,
        operations=tuple(v for v in views if not builtin_shadowing(v.method_name)),
        late_operations=tuple(v for v in views if builtin_shadowing(v.method_name)),
    )


def child_view(resource: ir.Resource) -> ChildView:
    return ChildView(
        resource.path[-1],
        resource.class_name,
        resource.async_class_name,
        resource.module,
        "_" + resource.path[0],
    )


def client_resources(api: ir.Api) -> tuple[ChildView, ...]:
    """The client's attributes: its top-level resources."""
    return tuple(child_view(r) for r in api.resources if len(r.path) == 1)
