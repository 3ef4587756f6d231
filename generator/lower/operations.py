"""Lowering of paths, parameters, bodies and responses to IR operations.

Operations are read through `generator.specview` (parameters merged and resolved there) and visited
sorted by (path, method); every name is claimed in that order, so the output does not depend on the
order of keys in the spec.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from generator import ir
from generator.contract import runtime_facts
from generator.diagnostics import DiagnosticError, join_pointer
from generator.lower.bodies import FORM_STYLES, BodyLowerer
from generator.lower.field_names import description_of
from generator.lower.operation_parts import (
    examples_of,
    parameter_order,
    security_alternatives,
    split_path_key,
    style_of,
    template_names,
)
from generator.lower.resources import ResourcePlanner
from generator.lower.schemas import SchemaLowerer
from generator.lower.streams import EventStreamLowerer, stream_mode
from generator.lower.tree import TreeNamer
from generator.names import NameScope, make_identifier, pascal_case, snake_case, upper_snake_case
from generator.specview import METHODS, SPEC_METHODS, OperationView, ParameterView, SpecView

__all__ = ["METHODS", "SPEC_METHODS", "OperationLowerer", "security_alternatives", "split_path_key"]

# Arguments every generated method has; a spec parameter by such a name gets a suffix.
RESERVED_ARGUMENTS = frozenset({"self", *runtime_facts().call_options})
IDEMPOTENCY_HEADER = runtime_facts().idempotency_key.lower()
# The styles the runtime sends, per place; the first is the default. Path `label`/`matrix` are not
# sent.
_PARAMETER_STYLES = {
    "query": FORM_STYLES,
    "path": ("simple",),
    "header": ("simple",),
    "cookie": ("form",),
}
Security = tuple[tuple[str, ...], ...]


class OperationLowerer:
    def __init__(
        self,
        schemas: SchemaLowerer,
        methods: NameScope,
        stream_modes: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.schemas = schemas
        self.spec = schemas.spec
        self.view = SpecView(self.spec)
        self.methods = methods
        self.diagnostics = schemas.diagnostics
        self.events = EventStreamLowerer(schemas)
        self.bodies = BodyLowerer(schemas, self.events, self._warn)
        self.stream_modes = dict(stream_modes or {})  # operationId (or method name) -> mode

    def _found(self) -> list[OperationView]:
        """The operations to generate, sorted by path (then method); path item `$ref`s the
        bundler could not inline are reported and left out."""
        refs = set(self.view.path_item_refs())
        for path in sorted(refs):
            self._warn(
                "path-ref",
                "a path item `$ref` is not supported; this path is not generated",
                join_pointer("/paths", path),
            )
        found = [op for op in self.view.operations(METHODS) if op.path not in refs]
        return sorted(found, key=lambda op: op.path)

    def lower_all(self, global_security: Security) -> tuple[ir.Operation, ...]:
        found = self._found()
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
        for view, flat_name, (resource, method_name) in zip(found, names, methods, strict=True):
            try:
                op = self._operation(view, flat_name, global_security)
            except DiagnosticError as exc:
                self.diagnostics.extend(exc.diagnostics)
                continue
            stream_name = method_name if op.stream_py_name else ""
            operations.append(
                dataclasses.replace(
                    op, py_name=method_name, stream_py_name=stream_name, resource=resource
                )
            )
        self._check_stream_modes(operations, names)
        # Streaming twins are named after every operation has its name, so they never displace one.
        return tuple(
            (
                op
                if op.stream is None or op.streams_only
                else dataclasses.replace(op, stream_py_name=namer.stream_name(op))
            )
            for op in operations
        )

    def _check_stream_modes(self, operations: list[ir.Operation], names: list[str]) -> None:
        named = {o for op in operations for o in (op.operation_id, op.py_name)} | set(names)
        for unknown in sorted(set(self.stream_modes) - named):
            self.diagnostics.append(
                self.spec.diag(
                    "bad-stream-mode",
                    f"the configured stream mode names operation `{unknown}`,"
                    " which the spec does not have",
                    "/paths",
                )
            )

    def _claim_method_names(self, found: list[OperationView]) -> list[str]:
        names = []
        for op in found:
            if snake_case(op.operation_id):
                wanted = make_identifier(op.operation_id, style="snake", fallback="op")
            else:
                spoken = f"{op.method} {op.path.replace('{', ' by ')}"
                wanted = make_identifier(spoken, style="snake", fallback="op")
            name = self.methods.claim(wanted)
            if name != wanted:
                self._warn(
                    "duplicate-name",
                    f"another operation's id also reads `{wanted}`;"
                    f" the inline schemas of this one are named after `{name}`",
                    op.pointer,
                )
            names.append(name)
        return names

    def _operation(
        self, op: OperationView, py_name: str, global_security: Security
    ) -> ir.Operation:
        hint = pascal_case(py_name)
        arguments = NameScope(RESERVED_ARGUMENTS)
        path, query_constants = split_path_key(op.path)
        parameters = self._parameters(path, op, hint, arguments)
        body, body_param = self.bodies.body(op, hint, arguments)
        idempotency = next(
            (
                p.wire_name
                for p in parameters
                if p.location == "header" and p.wire_name.lower() == IDEMPOTENCY_HEADER
            ),
            None,
        )
        security = security_alternatives(op.raw["security"]) if "security" in op.raw else None
        responses = self.bodies.responses(op, hint)
        success = [r for r in responses if r.status.startswith("2")]
        stream = next((r.stream for r in success if r.stream is not None), None)
        mode = self._stream_mode(op, py_name, parameters, body, stream is not None)
        if (
            mode is not None and stream is None
        ):  # named by configuration: the spec documents no events
            stream = ir.EventStream(None, None, None, (), "", (), op.pointer)
        blocking = any(r.content_type is not None for r in success)
        return ir.Operation(
            py_name=py_name,
            const_name="_" + upper_snake_case(py_name),
            method=op.method.upper(),
            path=path,
            operation_id=op.operation_id,
            summary=op.summary,
            description=op.description,
            tags=op.tags,
            deprecated=op.deprecated,
            parameters=parameters,
            body=body,
            body_param=body_param,
            responses=responses,
            security=global_security if security is None else security,
            idempotency_header=idempotency,
            pointer=op.pointer,
            stream=stream,
            stream_py_name=py_name if stream is not None and not blocking else "",
            stream_mode=mode,
            query_constants=query_constants,
        )

    def _stream_mode(
        self,
        op: OperationView,
        py_name: str,
        parameters: tuple[ir.Parameter, ...],
        body: ir.RequestBody | None,
        streams: bool,
    ) -> ir.StreamMode | None:
        configured = self.stream_modes.get(op.operation_id) or self.stream_modes.get(py_name)
        if not streams and configured is None and "x-clientgen-stream" not in op.raw:
            return None
        return stream_mode(self.spec, op.raw, op.pointer, parameters, body, configured)

    # --- parameters -------------------------------------------------------------------------------
    def _parameters(
        self, path: str, op: OperationView, hint: str, arguments: NameScope
    ) -> tuple[ir.Parameter, ...]:
        merged = op.parameters()
        self._check_path_template(path, merged, op.pointer)
        ordered = sorted(merged, key=lambda p: parameter_order(path, p))
        wanted = [
            (p.name, make_identifier(p.name, style="snake", fallback="param")) for p in ordered
        ]
        others = [(f"{base}_{p.location}",) for p, (_, base) in zip(ordered, wanted, strict=True)]
        py_names = arguments.claim_all(wanted, alternatives=others)
        for p, (wire, base), py_name in zip(ordered, wanted, py_names, strict=True):
            if py_name != base:
                self._warn(
                    "duplicate-name",
                    f"{p.location} parameter `{wire}` would be the argument `{base}`,"
                    f" which is taken; it is `{py_name}`",
                    p.pointer,
                )
        parameters = tuple(
            self._parameter(p, hint, py_name) for p, py_name in zip(ordered, py_names, strict=True)
        )
        self._check_bracket_clashes(parameters)
        return parameters

    def _check_bracket_clashes(self, parameters: tuple[ir.Parameter, ...]) -> None:
        """A literal `created[gt]` next to a deepObject `created`: both are kept, but both can send
        `created[gt]=...`; say so where the literal one is declared."""
        deep = {
            p.wire_name for p in parameters if p.location == "query" and p.style == "deepObject"
        }
        for p in parameters:
            owner = p.wire_name.split("[", 1)[0]
            if p.location == "query" and "[" in p.wire_name and owner in deep:
                self._warn(
                    "wire-name-clash",
                    f"query parameter `{p.wire_name}` can clash with the deepObject parameter"
                    f" `{owner}`; a call that sets both sends both",
                    p.pointer,
                )

    def _parameter(self, view: ParameterView, hint: str, py_name: str) -> ir.Parameter:
        wire, location, pointer = view.name, view.location, view.pointer
        schema_pointer = view.schema_pointer
        has_schema = _exists(self.spec, schema_pointer)
        type_ = (
            self.schemas.lower(schema_pointer, hint + pascal_case(wire))
            if has_schema
            else ir.Primitive("str")
        )
        required = location == "path" or view.required
        if location == "header" and wire.lower() == IDEMPOTENCY_HEADER:
            required = (
                False  # the client makes one up when the caller has none, and reuses it on retries
            )
        self.schemas.check_default(schema_pointer, type_)
        examples = examples_of(view.raw, pointer)
        supported = _PARAMETER_STYLES[location]
        style, explode = style_of(view.raw, location, pointer, supported, self._warn)
        description = view.description or (
            description_of(self.spec, schema_pointer) if has_schema else ""
        )
        return ir.Parameter(
            wire,
            py_name,
            location,  # type: ignore[arg-type]  # validated: path, query, header or cookie
            type_,
            required,
            description,
            examples,
            pointer,
            style,
            explode,
        )

    def _check_path_template(
        self, path: str, params: tuple[ParameterView, ...], pointer: str
    ) -> None:
        declared = {p.name for p in params if p.location == "path"}
        for name in template_names(path):
            if name not in declared:
                raise DiagnosticError(
                    [
                        self.spec.diag(
                            "undeclared-path-parameter",
                            f"path template names `{{{name}}}`"
                            f" but no path parameter `{name}` is declared",
                            pointer,
                            hint="add it under `parameters` with `in: path` and `required: true`",
                        )
                    ]
                )
        for p in params:
            if p.location == "path" and not p.required:
                message = f"path parameter `{p.name}` must be `required: true`"
                raise DiagnosticError(
                    [self.spec.diag("optional-path-parameter", message, p.pointer)]
                )

    def _warn(self, code: str, message: str, pointer: str) -> None:
        self.diagnostics.append(self.spec.warn(code, message, pointer))


def _exists(spec: Any, pointer: str) -> bool:
    try:
        spec.raw(pointer)
    except KeyError:
        return False
    return True
