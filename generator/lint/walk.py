"""One linear walk over an OpenAPI document that names what each node is: operation, parameter or
header, media type, schema. The lint checks subscribe to the kinds they care about; nothing here
judges.

Each node is visited once where it is written (a `$ref` is not followed: its target is visited where
it is defined), so the walk is linear in the size of the document.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal, cast

from generator.diagnostics import join_pointer
from generator.lower.jsonschema import SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_VALUES
from generator.specview import SpecView

Kind = Literal["operation", "parameter", "header", "media", "response", "request-body", "schema"]


@dataclass(frozen=True, slots=True)
class Node:
    kind: Kind
    pointer: str
    value: dict[str, Any]
    name: str = ""  # media type, parameter/header name, or "METHOD /path" for operations


def walk(view: SpecView) -> Iterator[Node]:
    for path, item_pointer, item in view.path_items():
        yield from _parameters(item.get("parameters"), join_pointer(item_pointer, "parameters"))
        for operation in view.item_operations(path, item):
            label = f"{operation.method.upper()} {path}"
            yield from _operation(cast(dict[str, Any], operation.raw), operation.pointer, label)
    components = view.data.get("components")
    components = components if isinstance(components, dict) else {}
    for name, schema in _items(components.get("schemas")):
        yield from _schema(schema, join_pointer("/components/schemas", name))
    for name, parameter in _items(components.get("parameters")):
        yield from _parameter(parameter, join_pointer("/components/parameters", name))
    for name, body in _items(components.get("requestBodies")):
        yield from _request_body(body, join_pointer("/components/requestBodies", name))
    for name, response in _items(components.get("responses")):
        yield from _response(response, join_pointer("/components/responses", name))
    for name, header in _items(components.get("headers")):
        yield from _header(header, join_pointer("/components/headers", name), name)


def _items(value: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict):
                yield key, item


def _operation(operation: dict[str, Any], pointer: str, name: str) -> Iterator[Node]:
    yield Node("operation", pointer, operation, name)
    yield from _parameters(operation.get("parameters"), join_pointer(pointer, "parameters"))
    if isinstance(operation.get("requestBody"), dict):
        yield from _request_body(operation["requestBody"], join_pointer(pointer, "requestBody"))
    for status, response in _items(operation.get("responses")):
        yield from _response(response, join_pointer(pointer, "responses", status))


def _parameters(value: Any, pointer: str) -> Iterator[Node]:
    if isinstance(value, list):
        for index, parameter in enumerate(value):
            if isinstance(parameter, dict):
                yield from _parameter(parameter, join_pointer(pointer, index))


def _parameter(parameter: dict[str, Any], pointer: str) -> Iterator[Node]:
    if "$ref" in parameter:
        return
    yield Node("parameter", pointer, parameter, str(parameter.get("name", "")))
    yield from _schema_or_content(parameter, pointer)


def _header(header: dict[str, Any], pointer: str, name: str) -> Iterator[Node]:
    if "$ref" in header:
        return
    yield Node("header", pointer, header, name)
    yield from _schema_or_content(header, pointer)


def _schema_or_content(owner: dict[str, Any], pointer: str) -> Iterator[Node]:
    if isinstance(owner.get("schema"), dict):
        yield from _schema(owner["schema"], join_pointer(pointer, "schema"))
    yield from _content(owner.get("content"), join_pointer(pointer, "content"))


def _request_body(body: dict[str, Any], pointer: str) -> Iterator[Node]:
    if "$ref" in body:
        return
    yield Node("request-body", pointer, body)
    yield from _content(body.get("content"), join_pointer(pointer, "content"))


def _response(response: dict[str, Any], pointer: str) -> Iterator[Node]:
    if "$ref" in response:
        return
    yield Node("response", pointer, response)
    for name, header in _items(response.get("headers")):
        yield from _header(header, join_pointer(pointer, "headers", name), name)
    yield from _content(response.get("content"), join_pointer(pointer, "content"))


def _content(content: Any, pointer: str) -> Iterator[Node]:
    for media_type, media in _items(content):
        media_pointer = join_pointer(pointer, media_type)
        yield Node("media", media_pointer, media, media_type)
        for key in ("schema", "itemSchema"):
            if isinstance(media.get(key), dict):
                yield from _schema(media[key], join_pointer(media_pointer, key))


_SUBSCHEMA_KEYS = frozenset((*SCHEMA_MAPS, *SCHEMA_LISTS, *SCHEMA_VALUES))


def _schema(schema: dict[str, Any], pointer: str) -> Iterator[Node]:
    stack = [(schema, pointer)]
    while stack:
        node, here = stack.pop()
        yield Node("schema", here, node)
        if node.keys().isdisjoint(_SUBSCHEMA_KEYS):
            continue  # most schemas: no keyword of the 20 below to look up
        children: list[tuple[dict[str, Any], str]] = []
        for key in SCHEMA_MAPS:
            children += [
                (sub, join_pointer(here, key, name)) for name, sub in _items(node.get(key))
            ]
        for key in SCHEMA_LISTS:
            value = node.get(key)
            if isinstance(value, list):
                children += [
                    (sub, join_pointer(here, key, i))
                    for i, sub in enumerate(value)
                    if isinstance(sub, dict)
                ]
        for key in SCHEMA_VALUES:
            if isinstance(node.get(key), dict):
                children.append((node[key], join_pointer(here, key)))
        stack.extend(reversed(children))
