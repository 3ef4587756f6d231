"""Example, response and live cases.

A response case serves one body (synthesized from the schema, or a documented example) with one
documented status and content type, and says what the client must do with it: return it parsed,
raise the error class of that status with the parsed body, or yield typed events. A live case says
what a real server may answer to one call: the documented statuses, content types, schemas and
stream events.
"""

from __future__ import annotations

import json
from typing import Any

from generator import ir
from generator.conformance.requests import Call, RequestBuilder
from generator.contract import (
    ANY_MEDIA,
    is_error_event,
    is_file,
    is_json,
    media_type,
    runtime_facts,
)
from generator.conformance.synth import Synthesizer
from generator.lower.jsonschema import schema_fits

_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
MODEL_KEY = "model:"  # owners also holds each model's schema by model name under this prefix


def error_class(status: int) -> str:
    """The error class the client must raise for `status`: the runtime's own table (errors.py)."""
    return runtime_facts().error_class(status)


# --- examples ------------------------------------------------------------------------------------
def example_cases(api: ir.Api, owners: dict[str, ir.JsonValue]) -> list[dict[str, Any]]:
    defs = dict(api.json_schemas.defs)
    found: list[tuple[str | None, str, tuple[ir.Example, ...]]] = []
    found += [(m.name, m.pointer, m.examples) for m in api.models]
    found += [(a.name, a.pointer, a.examples) for a in api.aliases]
    for op in api.operations:
        found += [(_named(p.type), p.pointer, p.examples) for p in op.parameters]
        if op.body is not None and is_json(op.body.content_type):
            found.append((_named(op.body.type), op.body.pointer, op.body.examples))
        found += [
            (r.type_name, r.pointer, r.examples) for r in op.responses if is_json(r.content_type)
        ]
    cases = []
    for type_name, owner, examples in found:
        for example in examples:
            schema = owners.get(owner, {})
            cases.append(
                {
                    "id": example.pointer.lstrip("/"),
                    "type_name": type_name,
                    "field": None,
                    "schema": schema,
                    "value": example.value,
                    "mismatch": not _conforms(schema, defs, example.value),
                }
            )
    for m in api.models:
        for f in m.fields:
            for example in f.examples:
                schema = owners.get(f.pointer, {})
                cases.append(
                    {
                        "id": example.pointer.lstrip("/"),
                        "type_name": None,
                        "field": [m.name, f.wire_name],
                        "schema": schema,
                        "value": example.value,
                        "mismatch": not _conforms(schema, defs, example.value),
                    }
                )
    unique = {
        str(c["id"]): c for c in cases
    }  # a shared `$ref`'d response is met once per operation
    return [unique[key] for key in sorted(unique)]


def _named(type_: ir.TypeRef) -> str | None:
    return type_.name if isinstance(type_, ir.Named) else None


# --- responses -----------------------------------------------------------------------------------
def served_status(status: str, documented: set[str]) -> int:
    if status.isdigit():
        return int(status)
    if status.upper().endswith("XX"):
        first = int(status[0]) * 100
        return next((s for s in range(first, first + 100) if str(s) not in documented), first)
    # `default`: a status nothing else documents (599 when all of these are documented too)
    return next(
        (
            s
            for s in (500, 503, 418)
            if str(s) not in documented and f"{s // 100}XX" not in documented
        ),
        599,
    )


def response_cases(
    op: ir.Operation, requests: RequestBuilder, owners: dict[str, ir.JsonValue], synth: Synthesizer
) -> list[dict[str, Any]]:
    calls = requests.calls(op)
    blocking, streaming = calls[0], calls[-1]
    documented = {r.status.upper() for r in op.responses}
    cases: list[dict[str, Any]] = []
    for r in op.responses:
        status = served_status(r.status, documented)
        success = 200 <= status < 300
        if r.stream is not None and success:
            cases += _stream_cases(streaming, r.stream, status, owners, synth)
        if success and op.streams_only:
            continue  # the only method streams: the blocking answer has no method to test
        call = blocking if not op.streams_only else streaming
        for label, body in _bodies(r, owners, synth):
            expect: dict[str, Any] = {
                "type_name": r.type_name if is_json(r.content_type) else None,
                "value": body,
            }
            if r.content_type is not None and not is_json(r.content_type):
                # A documented file comes back as a BinaryContent; any other non-JSON body as text.
                expect["kind"] = "file" if success and is_file(r.content_type) else "text"
            if success:
                expect["outcome"] = "return"
            else:
                expect.update(outcome="error", error=error_class(status))
            text = (
                json.dumps(body)
                if is_json(r.content_type)
                else body if isinstance(body, str) else ""
            )
            cases.append(
                {
                    "id": f"{call.method}-{r.status}-{r.content_type or 'empty'}-{label}",
                    "call": call.call(),
                    "status": status,
                    "content_type": served_content_type(r.content_type),
                    "body": text if r.content_type is not None else "",
                    "expect": expect,
                }
            )
    return cases


def _bodies(
    r: ir.Response, owners: dict[str, ir.JsonValue], synth: Synthesizer
) -> list[tuple[str, ir.JsonValue]]:
    if r.content_type is None:
        return [("empty", None)]
    if not is_json(r.content_type):
        found: list[tuple[str, ir.JsonValue]] = [("text", "synthesized text")]
        return found + [
            (f"example:{e.name}", e.value) for e in r.examples if isinstance(e.value, str)
        ]
    schema = owners.get(r.pointer, {})
    values = synth.fitting_variants(schema)
    return [(f"synth{i}", v) for i, v in enumerate(values)] + [
        (f"example:{e.name}", e.value) for e in r.examples if _conforms(schema, synth.defs, e.value)
    ]


def _conforms(schema: ir.JsonValue, defs: dict[str, ir.JsonValue], value: ir.JsonValue) -> bool:
    """Whether an example matches its schema. One that does not is a spec bug, which the example's
    own test reports (as lint does, `example-mismatch`); served as a response it would only report
    it again.
    """
    return schema_fits(schema, defs, value)  # also a schema jsonschema cannot use: serve it


def _stream_cases(
    call: Call,
    stream: ir.EventStream,
    status: int,
    owners: dict[str, ir.JsonValue],
    synth: Synthesizer,
) -> list[dict[str, Any]]:
    bodies: list[tuple[str, list[tuple[str, ir.JsonValue]]]] = []
    if stream.mapping:
        events = []
        for kind, model in stream.mapping:
            data = synth.fitting(owners.get(MODEL_KEY + model, {}))[0]
            if stream.discriminator and isinstance(data, dict):
                data = {**data, stream.discriminator: kind}  # the synthesizer's own is shared
            if not is_error_event(
                kind, data
            ):  # an error event raises: the runtime's tests cover it
                events.append((kind, data))
        bodies.append(("synth", events))
    elif stream.type_name is not None:
        values = synth.fitting_variants(owners.get(stream.pointer, {}))
        bodies.append(
            ("synth", [("message", v) for v in values if not is_error_event("message", v)])
        )
    else:
        bodies.append(("synth", [("update", {"value": "text"})]))
    cases = [
        _stream_case(call, stream, status, label, "".join(_sse(k, d) for k, d in events))
        for label, events in bodies
    ]
    cases += [
        _stream_case(call, stream, status, f"example:{e.name}", e.value)
        for e in stream.examples
        if isinstance(e.value, str)
        and not any(_error_event(stream, ev, d) for ev, d in parse_sse(e.value))
    ]
    return cases


def _error_event(stream: ir.EventStream, event: str, data: Any) -> bool:
    kind = (
        data.get(stream.discriminator) if stream.discriminator and isinstance(data, dict) else None
    )
    return bool(is_error_event(kind if isinstance(kind, str) else event, data))


def _sse(kind: str, data: ir.JsonValue) -> str:
    return f"event: {kind}\ndata: {json.dumps(data)}\n\n"


def _stream_case(
    call: Call, stream: ir.EventStream, status: int, label: str, text: str
) -> dict[str, Any]:
    expected = []
    for event, data in parse_sse(text):
        kind = (
            data.get(stream.discriminator)
            if stream.discriminator and isinstance(data, dict)
            else None
        )
        kind = kind if isinstance(kind, str) else event
        type_name = dict(stream.mapping).get(kind, stream.type_name)
        expected.append({"event": event, "data": data, "type_name": type_name})
    return {
        "id": f"{call.method}-{status}-text/event-stream-{label}",
        "call": call.call(),
        "status": status,
        "content_type": "text/event-stream",
        "body": text,
        "expect": {"outcome": "events", "events": expected},
    }


def parse_sse(text: str) -> list[tuple[str, Any]]:
    """(event name, data decoded from JSON when it is JSON) of each SSE block that carries data."""
    found = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        event, data = "message", []
        for line in block.split("\n"):
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "event":
                event = value
            elif name == "data":
                data.append(value)
        if data:
            joined = "\n".join(data)
            try:
                found.append((event, json.loads(joined)))
            except ValueError:
                found.append((event, joined))
    return found


# --- live ----------------------------------------------------------------------------------------
def live_cases(
    api: ir.Api, calls: list[Call], owners: dict[str, ir.JsonValue]
) -> list[dict[str, Any]]:
    cases = []
    for call in calls:
        op = call.op
        responses: dict[str, dict[str, Any]] = {}
        for r in op.responses:
            types = responses.setdefault(r.status.upper(), {})
            if r.content_type is not None:
                types[r.content_type] = owners.get(r.pointer) if is_json(r.content_type) else None
            if r.stream is not None:
                types["text/event-stream"] = None
        cases.append(
            {
                "id": call.method,
                "names": sorted({op.operation_id, call.method} - {""}),
                "safe": op.method in _SAFE_METHODS,
                "stream": call.stream,
                "http": f"{op.method} {op.path}",
                "call": call.call(),
                "params": call.params,
                "required": call.required,
                "invented": call.invented,
                "responses": responses,
                "events": (
                    _documented_events(op.stream, owners)
                    if call.stream and op.stream is not None
                    else None
                ),
            }
        )
    return cases


def _documented_events(stream: ir.EventStream, owners: dict[str, ir.JsonValue]) -> dict[str, Any]:
    kinds = {kind: owners.get(MODEL_KEY + model) for kind, model in stream.mapping}
    for example in stream.examples:
        if isinstance(example.value, str):
            for event, _ in parse_sse(example.value):
                kinds.setdefault(event, None)
    common = owners.get(stream.pointer) if stream.type_name is not None else None
    return {"kinds": kinds, "schema": common, "discriminator": stream.discriminator}


def served_content_type(documented: str | None) -> str | None:
    """What the fake server answers with: a real server never sends `*/*`, it sends the JSON that a
    documented `*/*` stands for (clientgen reads such a body as JSON; the runtime reads the answer's
    type).
    """
    if documented is not None and media_type(documented) == ANY_MEDIA:
        return "application/json"
    return documented
