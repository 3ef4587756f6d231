"""Event streams: how the events of a `text/event-stream` response are typed, and which request
value switches an operation between a blocking answer and a stream.

Typing, by what the spec offers: a discriminated schema (`oneOf` + `discriminator`, or a base object
with `discriminator.mapping` and no `oneOf`, as Dify's full API writes `ChunkWorkflowEvent`), an
OpenAPI 3.2 `itemSchema`, or a plain schema every event follows. A `type: string` schema says
nothing about events (Dify's short spec), so that stream is untyped.

The mode switch is found in the spec (a boolean `stream` field, or an enum with a streaming and a
blocking value such as Dify's `response_mode`), or named by the operation's `x-clientgen-stream`
extension or the client's configuration when the spec cannot say.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from generator import ir
from generator.diagnostics import DiagnosticError, join_pointer
from generator.lower.schema_types import text_of
from generator.lower.schemas import SchemaLowerer
from generator.names import make_identifier
from generator.specview import SpecView

TERMINATOR_KEY = "x-clientgen-stream-terminator"
EVENT_STREAM = "text/event-stream"
EXTENSION = "x-clientgen-stream"
_STREAM_WORDS = frozenset({"stream", "streaming", "sse", "event-stream", "events"})
_BLOCKING_WORDS = frozenset(
    {"blocking", "block", "sync", "synchronous", "non-streaming", "non_streaming", "batch", "json"}
)
_MODE_FLAG_NAMES = frozenset({"stream", "streaming"})
_MODE_LOCATIONS = ("query", "header", "body")


class EventStreamLowerer:
    def __init__(self, schemas: SchemaLowerer) -> None:
        self.schemas = schemas
        self.spec = schemas.spec

    def lower(
        self, media: Any, media_pointer: str, hint: str, examples: tuple[ir.Example, ...]
    ) -> ir.EventStream:
        media = media if isinstance(media, dict) else {}
        stream = self._lower(media, media_pointer, hint, examples)
        terminators = self._terminators(media, media_pointer)
        return (
            dataclasses.replace(stream, terminators=terminators)
            if terminators is not None
            else stream
        )

    def _terminators(self, media: dict[str, Any], media_pointer: str) -> tuple[str, ...] | None:
        """`x-clientgen-stream-terminator` on the media type, else on the document: a string or a
        list of strings (an empty list: no terminator)."""
        key = TERMINATOR_KEY
        value, pointer = (
            (media[key], join_pointer(media_pointer, key))
            if key in media
            else (SpecView(self.spec).extension(key), "/" + key)
        )
        if value is None:
            return None
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            self.schemas.diagnostics.append(
                self.spec.diag(
                    "bad-extension", f"`{key}` must be a string or a list of strings", pointer
                )
            )
            return None
        return tuple(values)

    def _lower(
        self, media: dict[str, Any], media_pointer: str, hint: str, examples: tuple[ir.Example, ...]
    ) -> ir.EventStream:
        key = "itemSchema" if "itemSchema" in media else "schema"
        pointer = join_pointer(media_pointer, key)
        raw, target = self.schemas._resolved(pointer) if key in media else ({}, pointer)
        description = text_of(raw, "description")
        untyped = ir.EventStream(None, None, None, (), description, examples, media_pointer)
        if not isinstance(raw, dict) or not raw:
            return untyped
        discriminator = raw.get("discriminator")
        if isinstance(discriminator, dict) and isinstance(discriminator.get("propertyName"), str):
            mapping = self._mapping(raw, target, discriminator)
            if mapping:
                return ir.EventStream(
                    self._event_type(mapping, hint),
                    None,
                    discriminator["propertyName"],
                    mapping,
                    description,
                    examples,
                    media_pointer,
                )
        if key == "schema" and raw.get("type") == "string":
            return untyped  # the stream as one text: says nothing about its events
        type_ = self.schemas.lower(pointer, hint + "Event")
        if type_ == ir.ANY:
            return untyped
        type_name = (
            type_.name
            if isinstance(type_, ir.Named)
            else self._alias(hint + "Event", type_, media_pointer)
        )
        return ir.EventStream(
            ir.Named(type_name), type_name, None, (), description, examples, media_pointer
        )

    def _mapping(
        self, raw: dict[str, Any], pointer: str, discriminator: dict[str, Any]
    ) -> tuple[tuple[str, str], ...]:
        """(kind, model name) for every kind the schema names: explicit mapping first, then each
        `oneOf`/`anyOf` branch by its own single-valued discriminator property or its component
        name.
        """
        found: dict[str, str] = {}
        mapping = discriminator.get("mapping")
        explicit: dict[str, Any] = mapping if isinstance(mapping, dict) else {}
        for kind in sorted(explicit):
            ref = explicit[kind]
            if not isinstance(ref, str):
                continue
            if not ref.startswith("#") and "/" not in ref:
                ref = f"#/components/schemas/{ref}"  # a bare schema name, as the spec allows
            name = self._named(
                self.schemas._lower_ref(
                    ref, join_pointer(pointer, "discriminator", "mapping", kind), "Event"
                )
            )
            if name:
                found[str(kind)] = name
        branch_key = "oneOf" if isinstance(raw.get("oneOf"), list) else "anyOf"
        listed = raw.get(branch_key)
        branches: list[Any] = listed if isinstance(listed, list) else []
        for index, _ in enumerate(branches):
            branch_pointer = join_pointer(pointer, branch_key, index)
            branch, target = self.schemas._resolved(branch_pointer)
            name = self._named(self.schemas.lower(branch_pointer, "Event"))
            if not name or name in found.values():
                continue
            kind = _single_value(branch, discriminator["propertyName"]) or target.rsplit("/", 1)[-1]
            found.setdefault(kind, name)
        return tuple(sorted(found.items()))

    def _event_type(self, mapping: tuple[tuple[str, str], ...], hint: str) -> ir.TypeRef:
        names = sorted({name for _, name in mapping})
        if len(names) == 1:
            return ir.Named(names[0])
        union = ir.UnionType(tuple(ir.Named(n) for n in names))
        return ir.Named(self._alias(hint + "Event", union, ""))

    def _alias(self, hint: str, type_: ir.TypeRef, pointer: str) -> str:
        name = self.schemas.classes.claim(make_identifier(hint, style="pascal", fallback="Event"))
        self.schemas.aliases[name] = ir.AliasDef(name, type_, "", (), pointer)
        return name

    def _named(self, type_: ir.TypeRef) -> str | None:
        inner = type_.inner if isinstance(type_, ir.Nullable) else type_
        return (
            inner.name
            if isinstance(inner, ir.Named) and inner.name in self.schemas.models
            else None
        )


def _single_value(schema: Any, prop: str) -> str | None:
    """The one value a branch allows for the discriminator property (`const` or a one-value
    `enum`)."""
    properties = schema.get("properties") if isinstance(schema, dict) else None
    raw = properties.get(prop) if isinstance(properties, dict) else None
    if not isinstance(raw, dict):
        return None
    if isinstance(raw.get("const"), str):
        return str(raw["const"])
    enum = raw.get("enum")
    return (
        enum[0] if isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], str) else None
    )


# --- the mode switch ------------------------------------------------------------------------------


def stream_mode(
    spec: Any,
    op_raw: Mapping[str, Any],
    pointer: str,
    parameters: tuple[ir.Parameter, ...],
    body: ir.RequestBody | None,
    configured: Mapping[str, Any] | None,
) -> ir.StreamMode | None:
    """The mode switch named by configuration or extension (checked), else the one the spec makes
    evident; None when there is none or it is ambiguous."""
    named = [
        (source, value)
        for source, value in (("config", configured), (EXTENSION, op_raw.get(EXTENSION)))
        if value is not None
    ]
    if named:
        source, value = named[0]
        where = join_pointer(pointer, EXTENSION) if source == EXTENSION else pointer
        return _named_mode(spec, value, source, where, parameters, body)
    candidates = [
        c
        for c in (_candidate(loc, wire, type_) for loc, wire, type_ in _inputs(parameters, body))
        if c is not None
    ]
    return candidates[0] if len(candidates) == 1 else None


def _inputs(
    parameters: tuple[ir.Parameter, ...], body: ir.RequestBody | None
) -> list[tuple[str, str, ir.TypeRef]]:
    found: list[tuple[str, str, ir.TypeRef]] = [
        (p.location, p.wire_name, p.type) for p in parameters if p.location in ("query", "header")
    ]
    if body is not None and body.fields is not None:
        found += [("body", f.wire_name, f.type) for f in body.fields]
    return found


def _candidate(location: str, wire: str, type_: ir.TypeRef) -> ir.StreamMode | None:
    inner = type_.inner if isinstance(type_, ir.Nullable) else type_
    if inner == ir.Primitive("bool") and wire.lower() in _MODE_FLAG_NAMES:
        return ir.StreamMode(location, wire, True, False, "spec")  # type: ignore[arg-type]
    if isinstance(inner, ir.LiteralType):
        streaming = [v for v in inner.values if isinstance(v, str) and v.lower() in _STREAM_WORDS]
        blocking = [v for v in inner.values if isinstance(v, str) and v.lower() in _BLOCKING_WORDS]
        if len(streaming) == 1 and len(blocking) == 1:
            return ir.StreamMode(location, wire, streaming[0], blocking[0], "spec")  # type: ignore[arg-type]
    return None


def _named_mode(
    spec: Any,
    value: Any,
    source: str,
    where: str,
    parameters: tuple[ir.Parameter, ...],
    body: ir.RequestBody | None,
) -> ir.StreamMode:
    shape = "{in: query|header|body, name: <wire name>, stream: <value>, blocking: <value>}"
    if not isinstance(value, Mapping) or not {"in", "name", "stream", "blocking"} <= set(value):
        raise DiagnosticError(
            [spec.diag("bad-stream-mode", f"the stream mode ({source}) must be {shape}", where)]
        )
    location, wire = value["in"], value["name"]
    # The value is never an argument, so a query parameter or header the spec forgot can still be
    # named (Pharen documents `stream=true` only on its page); a body field needs a body of fields
    # to go in.
    if location not in _MODE_LOCATIONS or not isinstance(wire, str) or not wire:
        raise DiagnosticError(
            [spec.diag("bad-stream-mode", f"the stream mode ({source}) must be {shape}", where)]
        )
    if location == "body" and (body is None or body.fields is None):
        raise DiagnosticError(
            [
                spec.diag(
                    "bad-stream-mode",
                    f"the stream mode ({source}) names body field `{wire}`, but the operation has"
                    " no JSON or form body of fields",
                    where,
                    hint="name a query parameter or header instead",
                )
            ]
        )
    return ir.StreamMode(location, str(wire), value["stream"], value["blocking"], source)
