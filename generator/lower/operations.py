"""Lowering of paths, parameters, bodies and responses to IR operations.

Operations are visited sorted by (path, method), and every name is claimed in that order, so the
output does not depend on the order of keys in the spec.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from generator import ir
from generator.contract import is_json, is_text, runtime_facts
from generator.diagnostics import DiagnosticError, join_pointer
from generator.lower.field_names import description_of
from generator.lower.schema_types import text_of
from generator.lower.schemas import SchemaLowerer
from generator.lower.resources import ResourcePlanner
from generator.lower.streams import EVENT_STREAM, EventStreamLowerer, stream_mode
from generator.lower.tree import TreeNamer
from generator.names import NameScope, make_identifier, pascal_case, snake_case, upper_snake_case

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Every operation method a path item can hold: OpenAPI 3.2 adds QUERY, which is not generated yet
# (the coverage pass warns `not-generated` where a spec uses it).
SPEC_METHODS = (*METHODS, "query")
# Arguments every generated method has; a spec parameter by such a name gets a suffix.
RESERVED_ARGUMENTS = frozenset({"self", *runtime_facts().call_options})
IDEMPOTENCY_HEADER = runtime_facts().idempotency_key.lower()
_BODY_PREFERENCE = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")
_FLATTENED_BODIES = frozenset(_BODY_PREFERENCE)
_STYLED_BODIES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
# The styles the runtime sends, per place; the first is the default. Path `label`/`matrix` are not
# sent.
_FORM_STYLES = ("form", "spaceDelimited", "pipeDelimited", "deepObject")
_PARAMETER_STYLES = {"query": _FORM_STYLES, "path": ("simple",), "header": ("simple",), "cookie": ("form",)}


class OperationLowerer:
    def __init__(self, schemas: SchemaLowerer, methods: NameScope, stream_modes: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self.schemas = schemas
        self.spec = schemas.spec
        self.methods = methods
        self.diagnostics = schemas.diagnostics
        self.events = EventStreamLowerer(schemas)
        self.stream_modes = dict(stream_modes or {})  # operationId (or method name) -> mode

    def lower_all(self, global_security: tuple[tuple[str, ...], ...]) -> tuple[ir.Operation, ...]:
        paths = self.spec.raw("/paths") if isinstance(self.spec.document.data.get("paths"), dict) else {}
        found: list[tuple[str, str, str]] = []
        for path in sorted(paths):
            item_pointer = join_pointer("/paths", path)
            item = paths[path]
            if isinstance(item, dict) and isinstance(item.get("$ref"), str):
                self._warn("path-ref", "a path item `$ref` is not supported; this path is not generated", item_pointer)
                continue
            for method in METHODS:
                if isinstance(item, dict) and isinstance(item.get(method), dict):
                    found.append((path, method, join_pointer(item_pointer, method)))
        # The flat names (from operationIds) name inline schemas and match configured stream modes;
        # the methods themselves are named within their resource.
        names = self._claim_method_names(found)
        try:
            placements = ResourcePlanner(self.spec, found).plan()
        except DiagnosticError as exc:
            self.diagnostics.extend(exc.diagnostics)
            return ()
        namer = TreeNamer(self.spec, self.diagnostics)
        methods = namer.method_names(placements)
        operations = []
        for (path, method, pointer), flat_name, (resource, method_name) in zip(found, names, methods, strict=True):
            try:
                op = self._operation(path, method, pointer, flat_name, global_security)
            except DiagnosticError as exc:
                self.diagnostics.extend(exc.diagnostics)
                continue
            stream_name = method_name if op.stream_py_name else ""
            operations.append(dataclasses.replace(op, py_name=method_name, stream_py_name=stream_name, resource=resource))
        for unknown in sorted(set(self.stream_modes) - {o for op in operations for o in (op.operation_id, op.py_name)} - set(names)):
            self.diagnostics.append(self.spec.diag("bad-stream-mode", f"the configured stream mode names operation `{unknown}`, which the spec does not have", "/paths"))
        # Streaming twins are named after every operation has its name, so they never displace one.
        return tuple(op if op.stream is None or op.streams_only else dataclasses.replace(op, stream_py_name=namer.stream_name(op)) for op in operations)

    def _claim_method_names(self, found: list[tuple[str, str, str]]) -> list[str]:
        names = []
        for path, method, pointer in found:
            operation_id = self.spec.raw(pointer).get("operationId")
            if isinstance(operation_id, str) and snake_case(operation_id):
                wanted = make_identifier(operation_id, style="snake", fallback="op")
            else:
                wanted = make_identifier(f"{method} {path.replace('{', ' by ')}", style="snake", fallback="op")
            name = self.methods.claim(wanted)
            if name != wanted:
                self._warn("duplicate-name", f"another operation's id also reads `{wanted}`; the inline schemas of this one are named after `{name}`", pointer)
            names.append(name)
        return names

    def _operation(self, path: str, method: str, pointer: str, py_name: str, global_security: tuple[tuple[str, ...], ...]) -> ir.Operation:
        raw = self.spec.raw(pointer)
        hint = pascal_case(py_name)
        arguments = NameScope(RESERVED_ARGUMENTS)
        path, query_constants = split_path_key(path)
        parameters = self._parameters(path, pointer, hint, arguments)
        body, body_param = self._body(pointer, hint, arguments)
        idempotency = next((p.wire_name for p in parameters if p.location == "header" and p.wire_name.lower() == IDEMPOTENCY_HEADER), None)
        security = self._security(raw, pointer, global_security)
        responses = self._responses(pointer, hint)
        stream = next((r.stream for r in responses if r.stream is not None and r.status.startswith("2")), None)
        configured = self.stream_modes.get(str(raw.get("operationId") or "")) or self.stream_modes.get(py_name)
        mode = None
        if stream is not None or configured is not None or "x-clientgen-stream" in raw:
            mode = stream_mode(self.spec, raw, pointer, parameters, body, configured)
        if mode is not None and stream is None:  # named by configuration: the spec documents no events
            stream = ir.EventStream(None, None, None, (), "", (), pointer)
        blocking = any(r.content_type is not None for r in responses if r.status.startswith("2"))
        return ir.Operation(
            py_name=py_name,
            const_name="_" + upper_snake_case(py_name),
            method=method.upper(),
            path=path,
            operation_id=str(raw.get("operationId") or ""),
            summary=text_of(raw, "summary"),
            description=text_of(raw, "description"),
            tags=tuple(t for t in raw.get("tags") or [] if isinstance(t, str)),
            deprecated=raw.get("deprecated") is True,
            parameters=parameters,
            body=body,
            body_param=body_param,
            responses=responses,
            security=security,
            idempotency_header=idempotency,
            pointer=pointer,
            stream=stream,
            stream_py_name=py_name if stream is not None and not blocking else "",
            stream_mode=mode,
            query_constants=query_constants,
        )

    # --- parameters -------------------------------------------------------------------------------
    def _parameters(self, path: str, pointer: str, hint: str, arguments: NameScope) -> tuple[ir.Parameter, ...]:
        by_key: dict[tuple[str, str], tuple[Any, str]] = {}
        path_item_pointer = pointer.rsplit("/", 1)[0]
        for owner in (path_item_pointer, pointer):  # operation-level parameters override path-level ones
            listed = self.spec.raw(owner).get("parameters")
            for index, _ in enumerate(listed if isinstance(listed, list) else []):
                param, param_pointer = self._resolve(join_pointer(owner, "parameters", index), self.spec.classes.Parameter)
                by_key[(str(param.get("in")), str(param.get("name")))] = (param, param_pointer)
        self._check_path_template(path, by_key, pointer)
        ordered = sorted(by_key.values(), key=lambda item: _parameter_order(path, item[0]))
        wanted = [(str(raw["name"]), make_identifier(str(raw["name"]), style="snake", fallback="param")) for raw, _ in ordered]
        others = [(f"{base}_{raw['in']}",) for (raw, _), (_, base) in zip(ordered, wanted, strict=True)]
        py_names = arguments.claim_all(wanted, alternatives=others)
        for (raw, param_pointer), (wire, base), py_name in zip(ordered, wanted, py_names, strict=True):
            if py_name != base:
                self._warn("duplicate-name", f"{raw['in']} parameter `{wire}` would be the argument `{base}`, which is taken; it is `{py_name}`", param_pointer)
        parameters = tuple(self._parameter(param, param_pointer, hint, py_name) for (param, param_pointer), py_name in zip(ordered, py_names, strict=True))
        self._check_bracket_clashes(parameters)
        return parameters

    def _check_bracket_clashes(self, parameters: tuple[ir.Parameter, ...]) -> None:
        """A literal `created[gt]` next to a deepObject `created`: both are kept, but both can send
        `created[gt]=...`; say so where the literal one is declared."""
        deep = {p.wire_name for p in parameters if p.location == "query" and p.style == "deepObject"}
        for p in parameters:
            owner = p.wire_name.split("[", 1)[0]
            if p.location == "query" and "[" in p.wire_name and owner in deep:
                self._warn("wire-name-clash", f"query parameter `{p.wire_name}` can clash with the deepObject parameter `{owner}`; a call that sets both sends both", p.pointer)

    def _parameter(self, raw: dict[str, Any], pointer: str, hint: str, py_name: str) -> ir.Parameter:
        wire, location = str(raw["name"]), str(raw["in"])
        schema_pointer = join_pointer(pointer, "schema")
        if "schema" not in raw and isinstance(raw.get("content"), dict) and raw["content"]:
            first = sorted(raw["content"])[0]
            schema_pointer = join_pointer(pointer, "content", first, "schema")
        type_ = self.schemas.lower(schema_pointer, hint + pascal_case(wire)) if _exists(self.spec, schema_pointer) else ir.Primitive("str")
        required = location == "path" or raw.get("required") is True
        if location == "header" and wire.lower() == IDEMPOTENCY_HEADER:
            required = False  # the client makes one up when the caller has none, and reuses it on retries
        self.schemas.check_default(schema_pointer, type_)
        examples = _examples(raw, pointer)
        style, explode = self._style(raw, location, pointer, _PARAMETER_STYLES[location])
        description = text_of(raw, "description") or (description_of(self.spec, schema_pointer) if _exists(self.spec, schema_pointer) else "")
        return ir.Parameter(wire, py_name, location, type_, required, description, examples, pointer, style, explode)  # type: ignore[arg-type]

    def _style(self, raw: dict[str, Any], location: str, pointer: str, supported: tuple[str, ...]) -> tuple[str, bool]:
        """`style`/`explode` of a parameter or an `encoding` entry; the first supported style is the
        default. A style clientgen cannot send is reported and replaced by the default."""
        style = raw.get("style")
        if not isinstance(style, str):
            style = supported[0]
        elif style not in supported:
            self._warn("unsupported-style", f"style `{style}` is not supported for {location}; it is sent as `{supported[0]}`", join_pointer(pointer, "style"))
            style = supported[0]
        explode = raw.get("explode")
        return style, explode if isinstance(explode, bool) else style == "form"

    def _check_path_template(self, path: str, params: dict[tuple[str, str], Any], pointer: str) -> None:
        declared = {name for (location, name) in params if location == "path"}
        for name in _template_names(path):
            if name not in declared:
                raise DiagnosticError([self.spec.diag(
                    "undeclared-path-parameter", f"path template names `{{{name}}}` but no path parameter `{name}` is declared", pointer,
                    hint="add it under `parameters` with `in: path` and `required: true`")])
        for (location, name), (raw, param_pointer) in params.items():
            if location == "path" and raw.get("required") is not True:
                raise DiagnosticError([self.spec.diag("optional-path-parameter", f"path parameter `{name}` must be `required: true`", param_pointer)])

    # --- body -------------------------------------------------------------------------------------
    def _body(self, pointer: str, hint: str, arguments: NameScope) -> tuple[ir.RequestBody | None, str]:
        if "requestBody" not in self.spec.raw(pointer):
            return None, ""
        raw, body_pointer = self._resolve(join_pointer(pointer, "requestBody"), self.spec.classes.RequestBody)
        content = raw.get("content") or {}
        if not content:
            return None, ""
        content_type = next((c for c in _BODY_PREFERENCE if c in content), None) or next((c for c in sorted(content) if is_json(c)), sorted(content)[0])
        media_pointer = join_pointer(body_pointer, "content", content_type)
        schema_pointer = join_pointer(media_pointer, "schema")
        type_: ir.TypeRef = self.schemas.lower(schema_pointer, hint + "Body") if _exists(self.spec, schema_pointer) else ir.ANY
        fields = None
        if content_type in _FLATTENED_BODIES and isinstance(type_, ir.Named) and type_.name in self.schemas.models:
            model = self.schemas.models[type_.name]
            model_field_names = {f.wire_name: f.py_name for f in model.fields}
            fields = tuple(self._body_field(f, arguments) for f in model.fields)
            for field in fields:
                if field.py_name != model_field_names[field.wire_name]:
                    self._warn("duplicate-name", f"body field `{field.wire_name}` would be the argument `{model_field_names[field.wire_name]}`, which is taken; it is `{field.py_name}`", field.pointer)
        body_param = "" if fields is not None else arguments.claim("body")
        examples = _examples(content[content_type], media_pointer)
        encoding = self._encoding(content[content_type], content_type, media_pointer)
        body = ir.RequestBody(content_type, type_, raw.get("required") is True, text_of(raw, "description"), fields, examples, body_pointer, encoding)
        return body, body_param

    def _encoding(self, media: dict[str, Any], content_type: str, pointer: str) -> tuple[tuple[str, str, bool], ...]:
        """The form fields whose `encoding` entry asks for a style other than `form`, exploded."""
        listed = media.get("encoding")
        if content_type not in _STYLED_BODIES or not isinstance(listed, dict):
            return ()
        found = []
        for name in sorted(listed):
            entry = listed[name] if isinstance(listed[name], dict) else {}
            if content_type == "multipart/form-data" and "style" not in entry and "explode" not in entry:
                continue  # multipart parts keep their content type; no style means no style
            if "contentType" in entry and "style" not in entry:
                self._warn("unsupported-encoding", f"form field `{name}` asks for `contentType` {str(entry['contentType'])!r:.60}; clientgen sends it with the `form` style", join_pointer(pointer, "encoding", name, "contentType"))
            style, explode = self._style(entry, "form fields", join_pointer(pointer, "encoding", name), _FORM_STYLES)
            if (style, explode) != ("form", True):
                found.append((str(name), style, explode))
        return tuple(found)

    @staticmethod
    def _body_field(field: ir.Field, arguments: NameScope) -> ir.Field:
        py_name = arguments.claim(field.py_name, alternatives=(f"{field.py_name}_body",))
        return ir.Field(field.wire_name, py_name, field.type, field.required, field.description, field.default, field.has_default, field.pointer)

    # --- responses --------------------------------------------------------------------------------
    def _responses(self, pointer: str, hint: str) -> tuple[ir.Response, ...]:
        listed = self.spec.raw(pointer).get("responses") or {}
        bad = [s for s in sorted(listed) if not _STATUS.fullmatch(str(s))]
        for status in bad:  # "abcdef" would become a key no answer ever matches: a typo, not an API
            self.diagnostics.append(self.spec.diag("bad-status-code", f"response status {status!r} is not an HTTP status code", join_pointer(pointer, "responses", status),
                                                   hint="use a three-digit code, a range such as 4XX, or `default`"))
        statuses = sorted((s for s in listed if s not in bad), key=_status_order)
        success = [s for s in statuses if str(s).startswith("2")]
        return tuple(self._response(str(status), pointer, hint, len(success) > 1) for status in statuses)

    def _response(self, status: str, pointer: str, hint: str, many_success: bool) -> ir.Response:
        raw, response_pointer = self._resolve(join_pointer(pointer, "responses", status), self.spec.classes.Response)
        content = raw.get("content") or {}
        suffix = ("Response" + (status if many_success else "")) if status.startswith("2") else f"Error{status.capitalize()}"
        stream = None
        if EVENT_STREAM in content:
            media_pointer = join_pointer(response_pointer, "content", EVENT_STREAM)
            stream = self.events.lower(content[EVENT_STREAM], media_pointer, hint, _examples(content[EVENT_STREAM], media_pointer))
        content_type = next((c for c in sorted(content) if is_json(c)), None)
        if content_type is None:
            content_type = next((c for c in sorted(content) if c != EVENT_STREAM), None)
        if content_type is None:
            return ir.Response(status, None, None, None, text_of(raw, "description"), (), response_pointer, stream)
        media_pointer = join_pointer(response_pointer, "content", content_type)
        schema_pointer = join_pointer(media_pointer, "schema")
        if not is_json(content_type):
            type_: ir.TypeRef = ir.Primitive("str") if is_text(content_type) else ir.Primitive("bytes")
        else:
            type_ = self.schemas.lower(schema_pointer, hint + suffix) if _exists(self.spec, schema_pointer) else ir.ANY
        type_name = self._response_type_name(type_, hint + suffix, response_pointer) if is_json(content_type) else None
        examples = _examples(content[content_type], media_pointer)
        return ir.Response(status, content_type, type_, type_name, text_of(raw, "description"), examples, response_pointer, stream)

    def _response_type_name(self, type_: ir.TypeRef, hint: str, pointer: str) -> str | None:
        """The name the runtime parses a body with: a model or alias; a new alias for anything
        else."""
        if type_ == ir.ANY:
            return None
        if isinstance(type_, ir.Named):
            return type_.name
        name = self.schemas.classes.claim(make_identifier(hint, style="pascal", fallback="Response"))
        self.schemas.aliases[name] = ir.AliasDef(name, type_, "", (), pointer)
        return name

    # --- security ---------------------------------------------------------------------------------
    def _security(self, raw: dict[str, Any], pointer: str, global_security: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
        if "security" not in raw:
            return global_security
        return security_alternatives(raw["security"])

    # --- helpers ----------------------------------------------------------------------------------
    def _resolve(self, pointer: str, expect: type) -> tuple[dict[str, Any], str]:
        raw = self.spec.raw(pointer)
        if isinstance(raw, dict) and isinstance(raw.get("$ref"), str):
            _, target = self.spec.resolve(raw["$ref"], pointer, expect)
            return self.spec.raw(target), target
        self.spec.at(pointer, expect)
        return raw, pointer

    def _warn(self, code: str, message: str, pointer: str) -> None:
        self.diagnostics.append(self.spec.warn(code, message, pointer))


def security_alternatives(requirements: Any) -> tuple[tuple[str, ...], ...]:
    """Security requirements as alternatives of scheme keys; an empty alternative (auth optional)
    goes last."""
    alternatives = [tuple(sorted(r)) for r in requirements or [] if isinstance(r, dict)]
    unique = list(dict.fromkeys(alternatives))
    return tuple(sorted(unique, key=lambda alt: (not alt, alt)))


def split_path_key(key: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The path and the constant query of a path key. Keys such as `/files/{id}#add_shared_link`
    give two operations "the same" path: a fragment is never part of a request.
    `/responses?beta=true` is the path `/responses` sent with `beta=true` (percent-escapes in the
    key are decoded; the runtime encodes)."""
    without_fragment = key.split("#", 1)[0]
    path, _, query = without_fragment.partition("?")
    return path, tuple((name, value) for name, value in parse_qsl(query, keep_blank_values=True))


def _template_names(path: str) -> list[str]:
    names, rest = [], path
    while "{" in rest and "}" in rest.split("{", 1)[1]:
        inner, rest = rest.split("{", 1)[1].split("}", 1)
        names.append(inner)
    return names


def _parameter_order(path: str, raw: dict[str, Any]) -> tuple[int, int, str]:
    location_rank = {"path": 0, "query": 1, "header": 2, "cookie": 3}.get(str(raw.get("in")), 4)
    names = _template_names(path)
    position = names.index(raw["name"]) if raw.get("in") == "path" and raw.get("name") in names else 0
    return (location_rank, position, str(raw.get("name")))


_STATUS = re.compile(r"[1-5][0-9][0-9]|[1-5]XX|default")


def _status_order(status: Any) -> tuple[int, str]:
    text = str(status)
    return (0 if text.isdigit() else 1 if text != "default" else 2, text)


def _exists(spec: Any, pointer: str) -> bool:
    try:
        spec.raw(pointer)
    except KeyError:
        return False
    return True


def _examples(raw: dict[str, Any], pointer: str) -> tuple[ir.Example, ...]:
    found = []
    if "example" in raw:
        found.append(ir.Example("example", raw["example"], join_pointer(pointer, "example")))
    if isinstance(raw.get("examples"), dict):
        for name in sorted(raw["examples"]):
            entry = raw["examples"][name]
            if isinstance(entry, dict) and "value" in entry:
                found.append(ir.Example(str(name), entry["value"], join_pointer(pointer, "examples", name, "value")))
    return tuple(found)
