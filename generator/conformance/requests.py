"""Request cases: for each client method, valid arguments (the spec's examples first, else
synthesized values) and the HTTP request they must produce, worked out here from the spec,
independently of the generated client: method, path with its parameters percent-encoded, query
pairs, headers, credentials, Content-Type, Accept and body."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from generator import ir
from generator.contract import ANY_MEDIA, is_json, media_type

BASE_PATH = "/base"  # the tests' base URL is https://conformance.test/base
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_TEMPLATE = re.compile(r"\{([^{}]*)\}")


@dataclass
class Call:
    """One call of one client method, and the request it must send."""

    op: ir.Operation
    method: str  # the Python method
    stream: bool
    args: list[ir.JsonValue]
    kwargs: dict[str, ir.JsonValue]
    path: str
    query: list[list[str]]
    headers: dict[str, str]
    cookies: list[str]
    content_type: str | None
    accept: str | None
    body: dict[str, Any]
    params: dict[str, dict[str, Any]] = field(
        default_factory=dict
    )  # wire name -> where it goes, for live overrides
    required: list[str] = field(default_factory=list)  # keyword arguments the caller must give
    # Arguments whose value clientgen made up (no example): live mode never sends them unless
    # required.
    invented: list[str] = field(default_factory=list)  # keyword names, and "path:<index>"
    base_path: str = (
        BASE_PATH  # the path the client puts before the operation's (a relative server's too)
    )
    path_values: dict[str, str] = field(
        default_factory=dict
    )  # path parameter -> percent-encoded value

    def call(self) -> dict[str, Any]:
        return {"method": self.method, "args": self.args, "kwargs": self.kwargs}

    def request_case(self) -> dict[str, Any]:
        # Literal parts of the template are percent-encoded as any URL path is (an escape the spec
        # wrote, `%2F`, is kept; a `%` that starts none is itself escaped); values were encoded
        # already.
        parts = _TEMPLATE.split(self.path)  # literal, name, literal, name, ... literal
        path = "".join(
            (
                quote(_LONE_PERCENT.sub("%25", part), safe=_PATH_SAFE)
                if i % 2 == 0
                else self.path_values[part]
            )
            for i, part in enumerate(parts)
        )
        return {
            "id": self.method,
            "call": self.call(),
            "http_method": self.op.method,
            "path": self.base_path + path,
            "query": sorted(self.query),
            "headers": self.headers,
            "cookies": self.cookies,
            "content_type": self.content_type,
            "accept": self.accept,
            "body": self.body,
        }


class RequestBuilder:
    def __init__(self, api: ir.Api, owners: dict[str, ir.JsonValue], synth: Any) -> None:
        self.api = api
        self.owners = owners
        self.synth = synth
        self.credentials = {s.py_param: _credential(s) for s in api.security_schemes}
        self.schemes = {s.key: s for s in api.security_schemes}

    def calls(self, op: ir.Operation) -> list[Call]:
        found = [] if op.streams_only else [self._call(op, op.call_path, stream=False)]
        if op.stream is not None:
            found.append(self._call(op, op.stream_call_path, stream=True))
        return found

    def _call(self, op: ir.Operation, method: str, *, stream: bool) -> Call:
        mode = op.stream_mode
        mode_value = (
            (mode.stream_value if stream else mode.blocking_value) if mode is not None else None
        )
        hidden = (mode.location, mode.wire_name) if mode is not None else None
        accept = (
            "text/event-stream"
            if stream
            else ", ".join(sorted({r.content_type for r in op.responses if r.content_type})) or None
        )
        call = Call(op, method, stream, [], {}, op.path, [], {}, [], None, accept, {"kind": "none"})
        call.base_path = BASE_PATH + self.api.server.path
        for param in op.parameters:
            if (param.location, param.wire_name) != hidden:
                self._parameter(call, param)
        if mode is not None and mode.location == "query":
            _serialize(mode.wire_name, mode_value, "form", True, call.query)
        if mode is not None and mode.location == "header":
            call.headers[mode.wire_name.lower()] = _to_str(mode_value)
        call.query += [[name, value] for name, value in op.query_constants]
        self._security(call, op)
        if op.body is not None:
            self._body(call, op.body, hidden, mode_value)
        return call

    def value(self, owner: str, examples: tuple[ir.Example, ...], variant: int = 0) -> ir.JsonValue:
        schema = self.owners.get(owner, {})
        for example in examples:  # an example its own schema rejects is reported by lint, not sent
            if self.synth.fits(schema, example.value):
                return example.value
        return self.synth.fitting(schema, variant)[0]  # type: ignore[no-any-return]

    def _parameter(self, call: Call, param: ir.Parameter) -> None:
        value = self.value(param.pointer, param.examples)
        if not param.examples:
            call.invented.append(
                f"path:{len(call.args)}" if param.location == "path" else param.py_name
            )
        if param.location == "path":
            if value == "text" or value == "value":
                value = "id/with space"  # shows the client percent-encodes path segments
            call.params[param.wire_name] = {"location": "path", "index": len(call.args)}
            call.args.append(value)
            call.path_values[param.wire_name] = quote(_to_str(value), safe="")
            return
        call.kwargs[param.py_name] = value
        call.params[param.wire_name] = {"location": param.location, "name": param.py_name}
        if param.required:
            call.required.append(param.py_name)
        if value is None:
            return
        if param.location == "query":
            _serialize(param.wire_name, value, param.style, param.explode, call.query)
        elif param.location == "header":
            call.headers[param.wire_name.lower()] = _to_str(value)
        else:
            call.cookies.append(param.wire_name)

    def _security(self, call: Call, op: ir.Operation) -> None:
        alternative = next(
            (alt for alt in op.security if alt and all(k in self.schemes for k in alt)), ()
        )
        for key in alternative:
            scheme = self.schemes[key]
            credential = self.credentials[scheme.py_param]
            if scheme.kind in ("bearer", "oauth2"):  # a token given as a string is sent as is
                call.headers["authorization"] = f"Bearer {credential}"
            elif scheme.kind == "basic":
                call.headers["authorization"] = "Basic " + base64.b64encode(
                    credential.encode()
                ).decode("ascii")
            elif scheme.location == "header":
                call.headers[scheme.param_name.lower()] = credential
            elif scheme.location == "query":
                call.query.append([scheme.param_name, credential])
            else:
                call.cookies.append(scheme.param_name)

    def _body(
        self,
        call: Call,
        body: ir.RequestBody,
        hidden: tuple[str, str] | None,
        mode_value: ir.JsonValue,
    ) -> None:
        value = self.value(body.pointer, body.examples)
        schema = self.owners.get(body.pointer, {})
        if body.fields is not None:
            mode = (hidden[1], mode_value) if hidden is not None and hidden[0] == "body" else None
            given = self._given(body, value, schema)
            value = self._field_arguments(call, body.fields, given, mode)
        else:
            call.kwargs[call.op.body_param] = value
            if not body.examples:
                call.invented.append(call.op.body_param)
        self._encoded(call, body, value, schema)

    def _given(
        self, body: ir.RequestBody, value: ir.JsonValue, schema: ir.JsonValue
    ) -> tuple[dict[str, ir.JsonValue], set[str]]:
        """The body's field values (the example's, else synthesized), and which the example gave."""
        given = dict(value) if isinstance(value, dict) else {}
        from_example = set(given) if body.examples else set()
        synthesized = self.synth.fitting(schema)[0]
        for f in body.fields or ():  # an example may leave required fields out; the call needs them
            if (
                f.required
                and f.wire_name not in given
                and isinstance(synthesized, dict)
                and f.wire_name in synthesized
            ):
                given[f.wire_name] = synthesized[f.wire_name]
        return given, from_example

    def _field_arguments(
        self,
        call: Call,
        fields: tuple[ir.Field, ...],
        given_and_example: tuple[dict[str, ir.JsonValue], set[str]],
        mode: tuple[str, ir.JsonValue] | None,
    ) -> dict[str, ir.JsonValue]:
        """Each body field as a keyword argument of the call (the stream-mode field, `mode`, is sent
        with its fixed value instead); returns the fields sent, in field order."""
        given, from_example = given_and_example
        sent: dict[str, ir.JsonValue] = {}
        for f in fields:
            if mode is not None and f.wire_name == mode[0]:
                sent[f.wire_name] = mode[1]
                continue
            call.params[f.wire_name] = {"location": "body", "name": f.py_name}
            if f.required:
                call.required.append(f.py_name)
            if f.wire_name in given:
                call.kwargs[f.py_name] = sent[f.wire_name] = given[f.wire_name]
                if f.wire_name not in from_example:
                    call.invented.append(f.py_name)
        return sent

    def _encoded(
        self, call: Call, body: ir.RequestBody, value: ir.JsonValue, schema: ir.JsonValue
    ) -> None:
        """What the test checks of the request body, by how the media type encodes it."""
        kind = _body_kind(body.content_type)
        call.content_type = _sent_content_type(body.content_type, kind)
        styles = {name: (style, explode) for name, style, explode in body.encoding}
        if kind == "form":
            pairs: list[list[str]] = []
            for key, item in value.items() if isinstance(value, dict) else []:
                _serialize(key, item, *styles.get(key, ("form", True)), pairs)
            call.body = {"kind": kind, "pairs": sorted(pairs), "schema": schema}
        elif kind == "multipart":
            names = _part_names(value, styles)
            call.body = {"kind": kind, "names": names, "schema": schema}
        elif kind == "json":
            # `fits` False: no value satisfies the schema (`enum: []`, lint's `empty-enum`); the
            # test then checks the body is sent as given and that the schema still rejects it.
            call.body = {
                "kind": kind,
                "value": value,
                "schema": schema,
                "fits": self.synth.fits(schema, value),
            }
        else:
            call.body = {"kind": kind, "text": value if isinstance(value, str) else ""}
            if not isinstance(value, str):
                call.kwargs[call.op.body_param or "body"] = ""


def _part_names(value: ir.JsonValue, styles: dict[str, tuple[str, bool]]) -> list[str]:
    """The multipart part names a body sends, sorted."""
    names = []
    for key, item in value.items() if isinstance(value, dict) else []:
        if key in styles:  # a styled field is sent as the parts its style makes
            styled: list[list[str]] = []
            _serialize(key, item, *styles[key], styled)
            names += [name for name, _ in styled]
        elif item is not None:
            names.append(key)
    names.sort()
    return names


def _sent_content_type(content_type: str, kind: str) -> str:
    """The Content-Type the runtime sends for a body documented as `content_type`: a `*/*` body is
    typed as JSON and sent as `application/json`."""
    if kind == "multipart":
        return "multipart/form-data"
    return "application/json" if media_type(content_type) == ANY_MEDIA else content_type


def _body_kind(content_type: str) -> str:
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "application/x-www-form-urlencoded":
        return "form"
    if media == "multipart/form-data":
        return "multipart"
    return "json" if is_json(media) else "raw"


def _credential(scheme: ir.SecurityScheme) -> str:
    if scheme.kind == "basic":
        return f"conformance-user:{scheme.key}-secret-password"
    return f"{scheme.key}-conformance-credential"


def _to_str(value: Any) -> str:
    """A scalar as the spec's `simple`/`form` styles write it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_to_str(item) for item in value)
    if isinstance(value, dict):  # not exploded: key,value,key,value
        return ",".join(f"{k},{_to_str(v)}" for k, v in sorted(value.items()) if v is not None)
    return "" if value is None else str(value)


_DELIMITERS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def _serialize(key: str, value: Any, style: str, explode: bool, out: list[list[str]]) -> None:
    """A query parameter or form field as the spec's `style`/`explode` write it (OpenAPI's style
    table); values nested deeper than the spec defines, and `deepObject`, use brackets."""
    if value is None:
        return
    if style == "deepObject":
        _deep(key, value, out)
    elif isinstance(value, dict):
        # Sorted: cases.json is written with sorted keys, so that is the order the call passes them
        # in.
        present = [(k, value[k]) for k in sorted(value) if value[k] is not None]
        if explode:
            for sub, item in present:
                _deep(sub, item, out)
        else:
            out.append([key, ",".join(f"{k},{_to_str(v)}" for k, v in present)])
    elif isinstance(value, list):
        if any(isinstance(v, dict | list) for v in value):
            _deep(key, value, out)
            return
        items = [_to_str(v) for v in value if v is not None]
        if explode:
            out.extend([key, item] for item in items)
        elif items:
            out.append([key, _DELIMITERS.get(style, ",").join(items)])
    else:
        out.append([key, _to_str(value)])


def _deep(key: str, value: Any, out: list[list[str]]) -> None:
    """`key[sub]=v` for objects; `key[]=v` for lists of scalars, `key[0][sub]=v` for lists of
    objects."""
    if value is None:
        return
    if isinstance(value, dict):
        for sub, item in value.items():
            _deep(f"{key}[{sub}]", item, out)
    elif isinstance(value, list):
        indexed = any(isinstance(v, dict | list) for v in value)
        for index, item in enumerate(value):
            _deep(f"{key}[{index}]" if indexed else f"{key}[]", item, out)
    else:
        out.append([key, _to_str(value)])
