"""`SpecView`: the one way lowering, lint and the coverage check read an OpenAPI document.

A view reports or only looks. A reporting view (lowering's) resolves every object through the
`Resolver`, validating it with openapi-pydantic, and raises a located DiagnosticError for a broken
or cyclic `$ref`. A look-only view (lint's, the coverage check's) leaves out what cannot be reached:
lowering reports it, once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.diagnostics import join_pointer
from generator.specview.operations import (
    SPEC_METHODS,
    BodyView,
    OperationView,
    ParameterView,
    ResponseView,
)
from generator.specview.resolve import Resolver, ref_of

if TYPE_CHECKING:
    from generator.spec import Spec


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def declared_operations(
    data: Mapping[str, Any], methods: tuple[str, ...] = SPEC_METHODS
) -> Iterator[tuple[str, str, str]]:
    """(path, method, pointer) of every operation under `paths`, in document order (paths, then
    `methods` in their order): what a reader needs before any `$ref` is followed."""
    for path, item in _mapping(data.get("paths")).items():
        yield from _item_operations(path, item, methods)


def _item_operations(
    path: str, item: Any, methods: tuple[str, ...]
) -> Iterator[tuple[str, str, str]]:
    for method in methods:
        if isinstance(item, dict) and isinstance(item.get(method), dict):
            yield path, method, join_pointer("/paths", path, method)


@dataclass(frozen=True, slots=True)
class SecuritySchemeView:
    key: str
    pointer: str  # where it is listed, under components/securitySchemes
    raw: Mapping[str, Any]  # behind its `$ref`


@dataclass(frozen=True, slots=True)
class ServerView:
    pointer: str
    url: str
    description: str
    variables: Mapping[str, Any]


class SpecView:
    """Typed accessors over a validated document (`Spec`)."""

    def __init__(self, spec: Spec, *, reporting: bool = True) -> None:
        self.spec = spec
        self.reporting = reporting
        self.resolver: Resolver = spec.resolver

    @property
    def data(self) -> Mapping[str, Any]:
        return self.spec.document.data  # type: ignore[no-any-return]

    # --- the document -----------------------------------------------------------------------------
    @property
    def info(self) -> Mapping[str, Any]:
        return _mapping(self.data.get("info"))

    @property
    def title(self) -> str:
        return str(self.info.get("title") or "")

    def servers(self) -> tuple[ServerView, ...]:
        """The `servers` that are objects, each with its place in the list."""
        listed = self.data.get("servers")
        return tuple(
            ServerView(
                join_pointer("/servers", index),
                str(server.get("url") or ""),
                str(server.get("description") or ""),
                _mapping(server.get("variables")),
            )
            for index, server in enumerate(listed if isinstance(listed, list) else ())
            if isinstance(server, dict)
        )

    def security_requirements(self) -> Any:
        return self.data.get("security")

    def security_schemes(self) -> Iterator[SecuritySchemeView]:
        """components/securitySchemes sorted by key, each behind its `$ref`."""
        schemes = _mapping(_mapping(self.data.get("components")).get("securitySchemes"))
        for key in sorted(schemes):
            pointer = join_pointer("/components/securitySchemes", key)
            raw = schemes[key]
            if ref_of(raw) is not None:
                raw, _ = self._object(pointer, self.spec.classes.SecurityScheme)
                if raw is None:
                    continue
            yield SecuritySchemeView(key, pointer, _mapping(raw))

    def extension(self, key: str) -> Any:
        """The value of a top-level `x-...` key; None when absent."""
        return self.data.get(key)

    def webhooks(self) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
        """(name, pointer, path item) of each OpenAPI 3.1 webhook, in document order."""
        for name, item in _mapping(self.data.get("webhooks")).items():
            if isinstance(item, dict):
                yield str(name), join_pointer("/webhooks", name), item

    def schema_names(self) -> tuple[str, ...]:
        """The keys of components/schemas, in document order."""
        return tuple(_mapping(_mapping(self.data.get("components")).get("schemas")))

    # --- operations -------------------------------------------------------------------------------
    def path_item_refs(self) -> tuple[str, ...]:
        """Paths whose item is a `$ref` the bundler did not inline."""
        paths = _mapping(self.data.get("paths"))
        return tuple(path for path, item in paths.items() if ref_of(item) is not None)

    def path_items(self) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
        """(path, pointer, path item) of every path item that is an object, in document order."""
        for path, item in _mapping(self.data.get("paths")).items():
            if isinstance(item, dict):
                yield path, join_pointer("/paths", path), item

    def item_operations(
        self, path: str, item: Mapping[str, Any], methods: tuple[str, ...] = SPEC_METHODS
    ) -> Iterator[OperationView]:
        """The operations of one path item, in the order of `methods`."""
        for _, method, pointer in _item_operations(path, item, methods):
            yield OperationView(path, method, pointer, item[method], self)

    def operations(self, methods: tuple[str, ...] = SPEC_METHODS) -> Iterator[OperationView]:
        """Every operation under `paths`, in document order."""
        for path, method, pointer in declared_operations(self.data, methods):
            raw = self.spec.raw(pointer)
            yield OperationView(path, method, pointer, raw, self)

    def operation(self, path: str, method: str) -> OperationView | None:
        item = _mapping(self.data.get("paths")).get(path)
        raw = item.get(method) if isinstance(item, dict) else None
        if not isinstance(raw, dict):
            return None
        return OperationView(path, method, join_pointer("/paths", path, method), raw, self)

    def parameter(self, pointer: str) -> ParameterView | None:
        raw, target = self._object(pointer, self.spec.classes.Parameter)
        return None if raw is None else ParameterView(pointer, target, raw)

    def body(self, pointer: str) -> BodyView | None:
        raw, target = self._object(pointer, self.spec.classes.RequestBody)
        return None if raw is None else BodyView(target, raw)

    def response(self, status: str, pointer: str) -> ResponseView | None:
        raw, target = self._object(pointer, self.spec.classes.Response)
        return None if raw is None else ResponseView(status, target, raw)

    # --- resolution -------------------------------------------------------------------------------
    def _object(self, pointer: str, expect: type) -> tuple[Mapping[str, Any] | None, str]:
        """The object at `pointer` behind its `$ref`s and where it is defined. Reporting: validated
        (openapi-pydantic), DiagnosticError when broken. Look-only: None when broken."""
        if self.reporting:
            raw, target = self.resolver.object(pointer, expect)
            return _mapping(raw), target
        found, target = self.resolver.follow(pointer)
        return (found, target) if isinstance(found, dict) else (None, pointer)

    def follow(self, pointer: str) -> Mapping[str, Any] | None:
        """Look-only: the object at `pointer` behind its `$ref`s; None when there is none."""
        found, _ = self.resolver.follow(pointer)
        return found if isinstance(found, dict) else None
