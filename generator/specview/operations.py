"""Typed views of an OpenAPI document's operations: parameters, request bodies, responses and
their media types, each with the JSON pointer it is defined at.

A view is a frozen value over the validated document (`generator.spec.Spec`): structure comes from
here, already resolved through the one `Resolver`; JSON Schema subtrees stay raw JSON, found at
each view's `schema_pointer`. Views are made on demand, in the order a reader asks for them, so a
reporting reader (lowering) meets a broken `$ref` at the same place, in the same order, every run.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.diagnostics import join_pointer

if TYPE_CHECKING:
    from generator.specview.view import SpecView

# The operation methods of a path item, in the order they are read. OpenAPI 3.2 adds QUERY.
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SPEC_METHODS = (*METHODS, "query")


def _text(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    return value if isinstance(value, str) else ""


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True, slots=True)
class MediaView:
    """One entry of a `content` map."""

    media_type: str
    pointer: str
    raw: Mapping[str, Any]

    @property
    def schema_pointer(self) -> str | None:
        """Where its `schema` is; None when it has none."""
        return join_pointer(self.pointer, "schema") if "schema" in self.raw else None

    @property
    def item_schema_pointer(self) -> str | None:
        """Where its OpenAPI 3.2 `itemSchema` (one item of a sequential media type) is."""
        return join_pointer(self.pointer, "itemSchema") if "itemSchema" in self.raw else None


def media_of(owner: Mapping[str, Any], pointer: str) -> tuple[MediaView, ...]:
    """The `content` of a body, response, parameter or header, in document order."""
    content = _mapping(owner.get("content"))
    return tuple(
        MediaView(str(media_type), join_pointer(pointer, "content", media_type), media)
        for media_type, media in content.items()
        if isinstance(media, dict)
    )


class _Described:
    """What parameters, bodies and responses share: a description and media types."""

    __slots__ = ()
    pointer: str
    raw: Mapping[str, Any]

    @property
    def description(self) -> str:
        return _text(self.raw, "description")

    @property
    def content(self) -> tuple[MediaView, ...]:
        return media_of(self.raw, self.pointer)


@dataclass(frozen=True, slots=True)
class ParameterView(_Described):
    """A parameter where it is listed (`declared_at`) and defined (`pointer`, behind `$ref`)."""

    declared_at: str
    pointer: str
    raw: Mapping[str, Any]

    @property
    def name(self) -> str:
        return str(self.raw.get("name"))

    @property
    def location(self) -> str:
        return str(self.raw.get("in"))

    @property
    def key(self) -> tuple[str, str]:
        """(in, name): what identifies a parameter of an operation."""
        return self.location, self.name

    @property
    def required(self) -> bool:
        return self.raw.get("required") is True

    @property
    def schema_pointer(self) -> str:
        """Its `schema`, else the schema of the first of its `content` media types by name."""
        content = self.raw.get("content")
        if "schema" not in self.raw and isinstance(content, dict) and content:
            return join_pointer(self.pointer, "content", sorted(content)[0], "schema")
        return join_pointer(self.pointer, "schema")


@dataclass(frozen=True, slots=True)
class BodyView(_Described):
    """An operation's request body, behind its `$ref`."""

    pointer: str
    raw: Mapping[str, Any]

    @property
    def required(self) -> bool:
        return self.raw.get("required") is True


@dataclass(frozen=True, slots=True)
class ResponseView(_Described):
    """One response of an operation, behind its `$ref`."""

    status: str
    pointer: str
    raw: Mapping[str, Any]

    @property
    def header_names(self) -> tuple[str, ...]:
        return tuple(str(name) for name in _mapping(self.raw.get("headers")))


@dataclass(frozen=True, slots=True)
class OperationView:
    """One operation: `/paths/{path}/{method}` (or a webhook's or callback's)."""

    path: str  # the key of the path item, as written (`/files/{id}#fragment` included)
    method: str  # lower case, as written in the path item
    pointer: str
    raw: Mapping[str, Any]
    view: SpecView = field(repr=False, compare=False)

    @property
    def item_pointer(self) -> str:
        return self.pointer.rsplit("/", 1)[0]

    @property
    def operation_id(self) -> str:
        return _text(self.raw, "operationId")

    @property
    def summary(self) -> str:
        return _text(self.raw, "summary")

    @property
    def description(self) -> str:
        return _text(self.raw, "description")

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(t for t in self.raw.get("tags") or () if isinstance(t, str))

    @property
    def deprecated(self) -> bool:
        return self.raw.get("deprecated") is True

    @property
    def model(self) -> Any:
        """The openapi-pydantic Operation the document was validated into (None for a 3.2 method
        the 3.1 model keeps as an extra field)."""
        item = (self.view.spec.model.paths or {}).get(self.path)
        return getattr(item, self.method, None) if self.method in METHODS else None

    def declared_parameters(self) -> Iterator[ParameterView]:
        """Each parameter as listed: the path item's, then the operation's, in document order,
        each behind its `$ref` (a look-only view skips the broken ones)."""
        owners = (
            (self.item_pointer, self.view.spec.raw(self.item_pointer)),
            (self.pointer, self.raw),
        )
        for owner, raw in owners:
            listed = raw.get("parameters")
            for index in range(len(listed) if isinstance(listed, list) else 0):
                found = self.view.parameter(join_pointer(owner, "parameters", index))
                if found is not None:
                    yield found

    def parameters(self) -> tuple[ParameterView, ...]:
        """The operation's parameters, one per (in, name): an operation's parameter replaces the
        path item's of the same (in, name), in the place the path item's had."""
        merged: dict[tuple[str, str], ParameterView] = {}
        for parameter in self.declared_parameters():
            merged[parameter.key] = parameter
        return tuple(merged.values())

    @property
    def has_request_body(self) -> bool:
        return "requestBody" in self.raw

    def request_body(self) -> BodyView | None:
        """The request body behind its `$ref`; None when there is none (or it is broken and the
        view only looks)."""
        if not self.has_request_body:
            return None
        return self.view.body(join_pointer(self.pointer, "requestBody"))

    def statuses(self) -> tuple[str, ...]:
        """The keys of `responses`, in document order."""
        return tuple(str(status) for status in _mapping(self.raw.get("responses")))

    def response(self, status: str) -> ResponseView | None:
        return self.view.response(status, join_pointer(self.pointer, "responses", status))

    def callbacks(self) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
        """(name, pointer, path item) of each callback's path items, in document order."""
        for name, expressions in _mapping(self.raw.get("callbacks")).items():
            for expression, item in _mapping(expressions).items():
                if isinstance(item, dict):
                    yield str(name), join_pointer(self.pointer, "callbacks", name, expression), item

    def responses(self) -> Iterator[ResponseView]:
        for status in self.statuses():
            found = self.response(status)
            if found is not None:
                yield found
