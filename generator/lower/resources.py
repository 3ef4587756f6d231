"""Operations placed in a tree of resources, with the method names users know.

`GET /v1/customers` is `client.customers.list()`, `POST
/v1/customers/{customer}/sources/{id}/verify` is `client.customers.sources.verify(customer, id)`.
The rules, in order (README "Resources and method names"):

1. An operation's `x-clientgen-resource` / `x-clientgen-method` (dotted attribute path / identifier;
   located errors otherwise), else `x-speakeasy-group` / `x-speakeasy-name-override`, else
   `x-fern-sdk-group-name` / `x-fern-sdk-method-name` (re-cased, as other generators read them).
   Resource and method are looked up separately, so an overlay may set only one of them.
2. Otherwise the path decides. Version and API prefixes (`api`, `v1`, `v2.1`, `2.0`) and path
   parameters are left out; every other segment is one level, re-cased to snake_case (`test-helpers`
   and `test.helpers` -> `test_helpers`; `issuing/cards` -> `issuing.cards`). A query flag in the
   path key comes first: `/responses?beta=true` -> `beta.responses`. The last segment is an
   *action* (the method name, not a resource) when it is singular (does not end in `s`), nothing in
   the spec lies below it, the path holds only that one GET or POST operation, and a resource
   remains above it: `/customers/search`, `/charges/{charge}/capture`, `/workflows/run`. Else on an
   item (path ends in a parameter) GET -> `retrieve`, PUT/PATCH/POST -> `update`, DELETE ->
   `delete`; on a collection GET -> `list`, POST -> `create`, PUT/PATCH -> `update`, DELETE ->
   `delete`; a singular collection that has a GET is one object (`/v1/balance`,
   `/v1/customers/{customer}/cash_balance`): GET -> `retrieve`, POST -> `update`. A path with no
   segment left (`/`) belongs to the resource `root`, which is singular.
3. Two operations that want one name in one resource (or a name a child resource has) fall back to
   a name from their operationId, with a `method-name-collision` warning naming both; FastAPI's
   default operationIds (`read_flow_flows__id__get`) count as their function name (`read_flow`).
   One with more path parameters than all the others keeps the name: the runs of a thread,
   `/threads/{thread_id}/runs`, are `threads.runs.create` next to `POST /threads/runs`, and an
   item's `delete(id)` stays next to a bulk `DELETE` of the collection.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Diagnostic, DiagnosticError, join_pointer
from generator.names import ANNOTATION_BUILTINS, KEYWORDS, snake_case
from generator.spec import Spec
from generator.specview import OperationView

RESOURCE_KEYS = ("x-clientgen-resource", "x-speakeasy-group", "x-fern-sdk-group-name")
METHOD_KEYS = ("x-clientgen-method", "x-speakeasy-name-override", "x-fern-sdk-method-name")
ROOT = "root"
# Segments that say nothing about what an operation does: API versions and prefixes like `/api/v2`.
_SKIPPED = re.compile(r"^(api|v?\d+(\.\d+)*)$", re.IGNORECASE)
_ITEM_METHODS = {
    "get": "retrieve",
    "put": "update",
    "patch": "update",
    "post": "update",
    "delete": "delete",
}
_COLLECTION_METHODS = {
    "get": "list",
    "post": "create",
    "put": "update",
    "patch": "update",
    "delete": "delete",
}
_SINGLETON_METHODS = {**_COLLECTION_METHODS, "get": "retrieve", "post": "update"}
# Lower-case names the annotations of a resource class use: an attribute by such a name, defined
# before a method whose signature uses it, would hide it from type checkers (methods by these names
# go last).
ANNOTATION_NAMES = ANNOTATION_BUILTINS | {"date", "datetime", "httpx"}


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one operation's method goes, and what it is called when its wanted name is not free."""

    resource: tuple[str, ...]
    wanted: str
    fallback: str  # from the operationId (FastAPI ids reduced), else from method and path
    pointer: str
    has_operation_id: bool = True
    path_parameters: int = 0  # of several wanting one name, the one with the most keeps it


@dataclass(frozen=True, slots=True)
class _Shape:
    segments: tuple[str, ...]  # literal segments as identifiers, prefixes left out
    item: bool  # the path ends in a parameter
    key: tuple[str | None, ...]  # the path with parameters as None, for "what lies below"
    flags: int = 0  # leading segments that are the key's query flags, not the path's


def _shape(path: str) -> _Shape:
    # A fragment or query some specs write into the path key (`/files/{id}#add_shared_link`,
    # `/search?kind=a`) is not part of the request path, so not part of the tree either; but for
    # the query's flags: `/responses?beta=true` is a variant of `/responses`, placed under a
    # resource `beta` (`beta.responses.create`, where SDKs keep beta features).
    base, _, query = path.split("#", 1)[0].partition("?")
    flags = _query_flags(query)
    segments: list[str] = list(flags)
    key: list[str | None] = list(flags)
    item = False
    for raw in (s for s in base.split("/") if s):
        if "{" in raw:
            key.append(None)
            item = True
            continue
        key.append(raw)
        name = snake_case(raw)
        if not name or _SKIPPED.match(raw):
            continue
        segments.append(member_name(name))
        item = False
    return _Shape(tuple(segments), item, tuple(key), len(flags))


def _query_flags(query: str) -> list[str]:
    """The names of a path key's query parameters set to `true`, as identifiers, in order."""
    pairs = (part.partition("=") for part in query.split("&"))
    flags = [name for name, _, value in pairs if value.lower() == "true" and snake_case(name)]
    return [member_name(snake_case(name)) for name in flags]


# Plurals that do not end in `s`.
_IRREGULAR_PLURALS = frozenset({"people", "children", "data", "media"})


def _is_plural(word: str) -> bool:
    last = word.rsplit("_", 1)[-1]
    return last in _IRREGULAR_PLURALS or (
        last.endswith("s") and not last.endswith(("ss", "us", "is"))
    )


def fastapi_function_name(operation_id: str, path: str, method: str) -> str | None:
    """FastAPI's default id is `{function}{path, non-word characters as _}_{method}`: the function.
    Runs of `_` are compared as one, as some servers (Prefect) collapse them in their published ids.
    """
    suffix = _collapsed(re.sub(r"\W", "_", path) + "_" + method.lower())
    collapsed = _collapsed(operation_id)
    if collapsed.endswith(suffix) and len(collapsed) > len(suffix):
        return collapsed[: -len(suffix)]
    return None


def _collapsed(text: str) -> str:
    return re.sub("_+", "_", text)


def fallback_name(op: OperationView) -> str:
    """The name an operation gets when its conventional one is taken: from its operationId."""
    path, method, operation_id = op.path, op.method, op.operation_id
    if snake_case(operation_id):
        operation_id = fastapi_function_name(operation_id, path, method) or operation_id
        return member_name(snake_case(operation_id))
    return member_name(snake_case(f"{method} {path.replace('{', ' by ')}"))


class ResourcePlanner:
    """Decides each operation's resource and wanted method name (rules 1 and 2 of the module
    doc)."""

    def __init__(self, spec: Spec, found: list[OperationView]) -> None:
        self.spec = spec
        self.found = found
        shapes = {op.path: _shape(op.path) for op in found}
        # Every proper prefix of a path (a path is a prefix of itself plus a parameter when it has
        # items).
        self._below = {shape.key[:i] for shape in shapes.values() for i in range(len(shape.key))}
        self._keys = {shape.key for shape in shapes.values()}
        self._methods: dict[str, list[str]] = {}
        for op in found:
            self._methods.setdefault(op.path, []).append(op.method)
        self._shapes = shapes
        self.errors: list[Diagnostic] = []

    def plan(self) -> list[Placement]:
        placements = [self._place(op) for op in self.found]
        if self.errors:
            raise DiagnosticError(self.errors)
        return placements

    def _place(self, op: OperationView) -> Placement:
        by_path_resource, by_path_method = self._by_path(op.path, op.method)
        resource = self._resource_override(op.raw, op.pointer)
        wanted = self._method_override(op.raw, op.pointer)
        return Placement(
            resource if resource is not None else by_path_resource,
            wanted if wanted is not None else by_path_method,
            fallback_name(op),
            op.pointer,
            bool(snake_case(op.operation_id)),
            self._shapes[op.path].key.count(None),
        )

    def _by_path(self, path: str, method: str) -> tuple[tuple[str, ...], str]:
        shape = self._shapes[path]
        segments = shape.segments
        methods = self._methods[path]
        if self._is_action(shape, methods, method):
            return segments[:-1], segments[-1]
        resource = segments or (ROOT,)
        if shape.item:
            table = _ITEM_METHODS
        elif (
            "get" in methods
            and not (segments and _is_plural(segments[-1]))
            and not self._has_items(shape)
        ):
            table = _SINGLETON_METHODS
        else:
            table = _COLLECTION_METHODS
        return resource, table.get(method, method)

    def _has_items(self, shape: _Shape) -> bool:
        item = (*shape.key, None)
        return item in self._keys or item in self._below

    def _is_action(self, shape: _Shape, methods: list[str], method: str) -> bool:
        return (
            len(shape.segments) - shape.flags >= 2  # a resource of the path remains above
            and not shape.item
            and not _is_plural(shape.segments[-1])
            and shape.key not in self._below
            and methods == [method]
            and method in ("get", "post")
        )

    # --- overrides --------------------------------------------------------------------------------
    def _resource_override(self, raw: Mapping[str, Any], pointer: str) -> tuple[str, ...] | None:
        for key in RESOURCE_KEYS:
            if key not in raw:
                continue
            value = raw[key]
            where = join_pointer(pointer, key)
            if key == "x-clientgen-resource":
                parts = value.split(".") if isinstance(value, str) else []
                if not parts or not all(
                    _is_attribute(p) and p not in ANNOTATION_NAMES for p in parts
                ):
                    self._error(
                        "bad-resource-name",
                        f"`{key}` must be a dotted path of public Python identifiers (lower-case,"
                        " no keyword, no leading `_`, no `list`/`str`/`date`...) such as"
                        f" `customers.sources`, not {_shown(value)}",
                        where,
                    )
                    return None
                return tuple(parts)
            parts = value if isinstance(value, list) else str(value).split(".")
            names = tuple(snake_case(str(p)) for p in parts if snake_case(str(p)))
            if names:
                return tuple(member_name(n) for n in names)
        return None

    def _method_override(self, raw: Mapping[str, Any], pointer: str) -> str | None:
        for key in METHOD_KEYS:
            if key not in raw:
                continue
            value = raw[key]
            if key == "x-clientgen-method":
                if not isinstance(value, str) or not _is_attribute(value):
                    self._error(
                        "bad-method-name",
                        f"`{key}` must be a public Python identifier (lower-case, no keyword, no"
                        f" leading `_`) such as `verify`, not {_shown(value)}",
                        join_pointer(pointer, key),
                    )
                    return None
                return value
            if isinstance(value, str) and snake_case(value):
                return member_name(snake_case(value))
        return None

    def _error(self, code: str, message: str, pointer: str) -> None:
        self.errors.append(
            self.spec.diag(
                code,
                message,
                pointer,
                hint=(
                    "set it by an overlay; it names generated code, so it must be a Python"
                    " identifier"
                ),
            )
        )


def member_name(words: str) -> str:
    """An attribute or method name made of snake_case words: a keyword, or a name annotations use
    (`list`, `str`, `date`), gets a trailing `_`; a leading digit a `n` prefix. Names pydantic
    models reserve are fine here: resources are not models."""
    name = words if not words[:1].isdigit() else "n" + words
    return name + "_" if name in KEYWORDS or name in ANNOTATION_NAMES else name


def _is_attribute(name: str) -> bool:
    """A public lower-case attribute name (so it never hides a model class): an identifier, not a
    keyword, not private."""
    return (
        name.isidentifier()
        and name.isascii()
        and name == name.lower()
        and name not in KEYWORDS
        and not name.startswith("_")
    )


def _shown(value: Any) -> str:
    return repr(value)[:60]


def children_of(paths: Iterable[tuple[str, ...]]) -> dict[tuple[str, ...], set[str]]:
    """Every resource path and its prefixes, each with the attribute names right under it."""
    tree: dict[tuple[str, ...], set[str]] = {(): set()}
    for path in paths:
        for depth in range(1, len(path) + 1):
            tree.setdefault(path[:depth], set())
            tree[path[: depth - 1]].add(path[depth - 1])
    return tree
