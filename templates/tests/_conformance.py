"""Shared code of the generated conformance tests: the cases (cases.json), a client on a mock transport,
JSON Schema validation (2020-12, `jsonschema`), round-trips through the models, and the live checks.

Only the tests import this module: the package itself needs neither pytest nor jsonschema.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .._http import httpx
from pydantic import BaseModel, TypeAdapter

from .. import models
from .._base import NOT_GIVEN
from .._responses import documented_keys
from ..client import Client

CASES: dict[str, Any] = json.loads(
    Path(__file__).with_name("cases.json").read_text(encoding="utf-8")
)
BASE_URL = "https://conformance.test/base"
# Imported by name: jsonschema ships no type information, and the tests must not need its stubs.
_jsonschema: Any = importlib.import_module("jsonschema")
_ADAPTERS: dict[str, TypeAdapter[Any]] = {}
_MESSAGE_LIMIT = 160


def case_id(case: dict[str, Any]) -> str:
    return str(case["id"])


def pointer(path: Any) -> str:
    tokens = [str(t).replace("~", "~0").replace("/", "~1") for t in path]
    return "/" + "/".join(tokens)


def schema_errors(schema: Any, value: Any) -> list[str]:
    """Every place `value` breaks `schema`, as `<JSON pointer>: <message>`."""
    root = {**schema, "$defs": CASES["defs"]} if isinstance(schema, dict) else schema
    validator = _jsonschema.Draft202012Validator(root)
    found = sorted(validator.iter_errors(value), key=lambda e: [str(t) for t in e.absolute_path])
    return [f"{pointer(e.absolute_path)}: {str(e.message)[:_MESSAGE_LIMIT]}" for e in found]


def adapter(type_name: str) -> TypeAdapter[Any]:
    if type_name not in _ADAPTERS:
        _ADAPTERS[type_name] = TypeAdapter(getattr(models, type_name))
    return _ADAPTERS[type_name]


def dump(type_name: str, value: Any) -> Any:
    return adapter(type_name).dump_python(value, mode="json", by_alias=True, exclude_unset=True)


def misplaced_fields(value: Any) -> list[str]:
    """Declared properties that landed among a model's unknown fields: a wrong wire name (alias)."""
    found: list[str] = []
    if isinstance(value, BaseModel):
        declared = set(CASES["models"].get(type(value).__name__, ()))
        extra = value.model_extra or {}
        found += [f"{type(value).__name__}.{key}" for key in sorted(declared & set(extra))]
        for name in type(value).model_fields:
            found += misplaced_fields(getattr(value, name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            found += misplaced_fields(item)
    elif isinstance(value, dict):
        for item in value.values():
            found += misplaced_fields(item)
    return found


def field_adapter(model_name: str, wire_name: str) -> TypeAdapter[Any]:
    """The type of one model field, found by its wire name."""
    model = getattr(models, model_name)
    model.model_rebuild()
    for name, info in model.model_fields.items():
        if (info.serialization_alias or info.alias or name) == wire_name:
            return TypeAdapter(info.annotation)
    raise AssertionError(f"{model_name} has no field with the wire name {wire_name!r}")


def method_of(client: Any, path: str) -> Any:
    """The method at a dotted path from the client: `customers.sources.verify`."""
    target = client
    for attribute in path.split("."):
        target = getattr(target, attribute)
    return target


def call(client: Any, spec: dict[str, Any]) -> Any:
    return method_of(client, spec["method"])(*spec["args"], **spec["kwargs"])


def unpaged(result: Any) -> Any:
    """What a list method that pages returned, as the answer it parsed (`page.response`)."""
    if type(result).__name__ in ("SyncPage", "AsyncPage") and hasattr(type(result), "iter_pages"):
        return result.response
    return result


def mock_client(handler: Callable[[httpx.Request], httpx.Response]) -> Client:
    transport = httpx.MockTransport(handler)
    options: dict[str, Any] = dict(CASES["credentials"])
    return Client(
        base_url=BASE_URL,
        max_retries=0,
        http_client=httpx.Client(transport=transport),
        **options,
    )


def parse_sse(text: str) -> Iterator[tuple[str, Any]]:
    """(event name, data decoded from JSON when it is JSON) of each SSE block that carries data."""
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
                yield event, json.loads(joined)
            except ValueError:
                yield event, joined


# --- live mode ---------------------------------------------------------------------------------


class _Recording(httpx.BaseTransport):
    """Reads every answer whole (streams end) and keeps it, so it can be checked byte for byte."""

    def __init__(self, inner: httpx.BaseTransport, seen: list[httpx.Response]) -> None:
        self.inner, self.seen = inner, seen

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        try:
            content = response.read()
        finally:
            response.close()
        headers = [
            (k, v)
            for k, v in response.headers.multi_items()
            if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        kept = httpx.Response(
            response.status_code, headers=headers, content=content, request=request
        )
        self.seen.append(kept)
        return kept


def live_arguments(
    case: dict[str, Any], overrides: dict[str, Any], drop_required: bool
) -> dict[str, Any] | str:
    """The case's call for a real server: --live-param values put in (by wire or Python name), no
    made-up value for an optional argument, and for an operation that changes state every required
    value from --live-param (else the reason it is skipped). `drop_required` leaves the required
    keyword arguments out."""
    args, kwargs = list(case["call"]["args"]), dict(case["call"]["kwargs"])
    invented, given_names = set(case["invented"]), set()
    for wire, where in case["params"].items():
        names = {wire, where.get("name", wire)}
        given = [overrides[n] for n in sorted(names) if n in overrides]
        key = f"path:{where['index']}" if where["location"] == "path" else where["name"]
        if given:
            given_names.add(key)
            if where["location"] == "path":
                args[where["index"]] = given[0]
            else:
                kwargs[where["name"]] = given[0]
        elif key in invented and key not in case["required"] and not key.startswith("path:"):
            kwargs.pop(key, None)  # optional and made up: never sent to a real server
    if not case["safe"]:
        needed = [f"path:{i}" for i in range(len(args))] + list(case["required"])
        missing = [_param_name(case, key) for key in needed if key not in given_names]
        if missing:
            return f"changes state; give {', '.join(missing)} with --live-param to run it"
    if drop_required:
        kwargs.update({name: NOT_GIVEN for name in case["required"]})
    return {"method": case["call"]["method"], "args": args, "kwargs": kwargs}


def _param_name(case: dict[str, Any], key: str) -> str:
    for wire, where in case["params"].items():
        if key == (f"path:{where['index']}" if where["location"] == "path" else where["name"]):
            return f"{case['id']}:{wire}"
    return key


def dry_run_request(case: dict[str, Any], base_url: str, arguments: dict[str, Any]) -> str:
    """The request the call would send, as `METHOD URL [body]`; nothing leaves the machine."""
    seen: list[httpx.Request] = []

    def capture(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(599)

    http = httpx.Client(transport=httpx.MockTransport(capture))
    client = Client(base_url=base_url, max_retries=0, http_client=http)
    try:
        if case["stream"]:
            with call(client, arguments):
                pass
        else:
            call(client, arguments)
    except Exception:  # the made-up 599 answer: only the request matters
        pass
    if not seen:
        return "nothing (the client refused the call)"
    request = seen[-1]
    body = request.read().decode("utf-8", "replace")
    return f"{request.method} {request.url}" + (f" {body}" if body else "")


def live_call(
    case: dict[str, Any], base_url: str, arguments: dict[str, Any], timeout: float
) -> httpx.Response | str:
    """Calls the real server; the answer as received, or why there is none."""
    seen: list[httpx.Response] = []
    transport = _Recording(httpx.HTTPTransport(), seen)
    http = httpx.Client(transport=transport, timeout=timeout)
    client = Client(base_url=base_url, max_retries=0, http_client=http)
    try:
        if case["stream"]:
            with call(client, arguments) as events:
                for _ in events:
                    pass
        else:
            call(client, arguments)
    except Exception as exc:  # the client's verdict does not matter: the raw answer is checked
        if not seen:
            return f"no answer: {type(exc).__name__}: {exc}"
    finally:
        http.close()
    return seen[-1]


def _documented(responses: dict[str, Any], status: int) -> dict[str, Any] | None:
    for key in documented_keys(status):  # the client's own rule
        if key in responses:
            found: dict[str, Any] = responses[key]
            return found
    return None


def live_differences(case: dict[str, Any], label: str, response: httpx.Response) -> list[str]:
    """Every way the answer differs from the spec, one line each, naming the operation, status, JSON
    pointer and event."""
    status = response.status_code
    where = f"{label}: {case['http']} -> {status}"
    documented = _documented(case["responses"], status)
    if documented is None:
        listed = ", ".join(sorted(case["responses"])) or "none"
        return [f"{where}: status {status} is not documented (documented: {listed})"]
    media = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if not documented or not response.content:
        return []
    if media not in documented and "*/*" not in documented:
        listed = ", ".join(sorted(documented))
        return [f"{where}: content type {media or 'none'} is not documented (documented: {listed})"]
    if media == "text/event-stream":
        return _event_differences(case, where, response.text)
    # `*/*` documents any type
    schema = documented[media] if media in documented else documented["*/*"]
    if schema is None or not (media.endswith("/json") or media.endswith("+json")):
        return []
    try:
        body = json.loads(response.content)
    except ValueError:
        return [f"{where}: body is not valid JSON"]
    return [f"{where}: body does not match the schema at {e}" for e in schema_errors(schema, body)]


def _event_differences(case: dict[str, Any], where: str, text: str) -> list[str]:
    spec = case["events"] or {"kinds": {}, "schema": None, "discriminator": None}
    kinds: dict[str, Any] = spec["kinds"]
    found: list[str] = []
    for event, data in parse_sse(text):
        discriminator = spec["discriminator"]
        kind = data.get(discriminator) if discriminator and isinstance(data, dict) else None
        kind = kind if isinstance(kind, str) else event
        schema = kinds.get(kind) or spec["schema"]
        if kind not in kinds and spec["schema"] is None:
            listed = ", ".join(sorted(kinds)) or "none"
            line = f"{where}: stream event {kind!r} is not documented (documented: {listed})"
        else:
            errors = schema_errors(schema, data) if schema is not None else []
            line = (
                f"{where}: stream event {kind!r} does not match its schema at {errors[0]}"
                if errors
                else ""
            )
        if line and line not in found:
            found.append(line)
    return found
