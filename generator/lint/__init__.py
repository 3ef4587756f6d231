"""Spec lint: what is wrong or vague in an OpenAPI document, as located warnings.

Run by `clientgen lint` and, with the same results, by every `generate`/`check`. Each finding is
about the document, not about clientgen: an example that contradicts its own schema, a `$ref` to
nothing, a format no registry defines, a structure described only in prose, an operation without an
operationId, names that differ only in case, and (given the vendor's documentation page) parameters
the page documents that the OpenAPI lacks. Codes are stable; the README lists them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, DiagnosticError, join_pointer
from generator.lint.docs import documented_drift
from generator.lint.walk import Node, walk
from generator.media import is_json
from generator.lower.jsonschema import JsonSchemaConverter, schema_problems
from generator.spec import Spec
from generator.specview import SpecView

# The OpenAPI Format Registry (spec.openapis.org/registry/format) and JSON Schema 2020-12's formats.
KNOWN_FORMATS = frozenset(
    "base64url binary byte char commonmark date date-time decimal decimal128 double duration "
    "email float hostname html http-date idn-email idn-hostname int8 int16 int32 int64 uint8 ipv4 "
    "ipv6 iri iri-reference json-pointer media-range password regex relative-json-pointer "
    "sf-binary sf-boolean sf-decimal sf-integer sf-string sf-token time uri uri-reference "
    "uri-template uuid".split()
)
_FORMAT_HINTS = {
    "url": "uri",
    "datetime": "date-time",
    "timestamp": "date-time",
    "integer": "int64",
    "guid": "uuid",
    "number": "double",
}
_EVENT_STREAM = "text/event-stream"
_ALWAYS = re.compile(r"\balways\s+`([^`]+)`", re.IGNORECASE)
_SCHEMA_NAME_IN_PROSE = re.compile(r"`([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+)`")


def lint_spec(spec: Spec, docs: Sequence[tuple[Path, str]] = ()) -> list[Diagnostic]:
    """Every lint finding for `spec` (overlays already applied), sorted by place."""
    linter = _Linter(spec)
    for node in walk(linter.view):
        linter.visit(node)
    linter.finish()
    findings = linter.findings
    for path, shown in docs:
        findings += documented_drift(spec, path, shown)
    return sorted(set(findings), key=lambda d: d.sort_key)


class _Linter:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.document = spec.document
        self.findings: list[Diagnostic] = []
        self.view = SpecView(spec, reporting=False)
        self.converter = JsonSchemaConverter(spec)
        self.unknown_formats: dict[str, list[str]] = {}  # format -> pointers, in walk order
        self.operation_ids: dict[str, list[tuple[str, str]]] = {}  # casefolded -> [(id, pointer)]
        self.schema_names = set(self.view.schema_names())

    def warn(self, code: str, message: str, pointer: str, hint: str = "") -> None:
        self.findings.append(self.spec.warn(code, message, pointer, hint))

    def visit(self, node: Node) -> None:
        getattr(self, "_" + node.kind.replace("-", "_"))(node)
        self._refs(node.pointer, node.value)

    # --- by kind ----------------------------------------------------------------------------------
    def _operation(self, node: Node) -> None:
        operation_id = node.value.get("operationId")
        if not isinstance(operation_id, str) or not operation_id:
            self.warn(
                "missing-operation-id",
                f"operation {node.name} has no operationId; its inline schemas (and its method,"
                " should the conventional name collide) are named from the path",
                node.pointer,
                "add a unique `operationId`, so those names survive changes to the path",
            )
            return
        self.operation_ids.setdefault(operation_id.casefold(), []).append(
            (operation_id, node.pointer)
        )

    def _parameter(self, node: Node) -> None:
        self._examples_of_owner(node)

    def _header(self, node: Node) -> None:
        self._examples_of_owner(node)

    def _media(self, node: Node) -> None:
        media_type = node.name.split(";")[0].strip().lower()
        schema = node.value.get("schema")
        resolved = (
            self._followed(join_pointer(node.pointer, "schema"))
            if isinstance(schema, dict)
            else None
        )
        if isinstance(schema, dict) and resolved is None:
            return  # its `$ref` leads nowhere: reported as `unresolved-ref`, not as an empty schema
        if media_type == _EVENT_STREAM and "itemSchema" not in node.value:
            if resolved is not None and resolved.get("type") == "string":
                self.warn(
                    "prose-only-media-type",
                    "the event stream's schema is `type: string`: what its events contain is"
                    " described only in prose",
                    join_pointer(node.pointer, "schema"),
                    "describe one event as an object schema (OpenAPI 3.2 `itemSchema`, or a `oneOf`"
                    " with a discriminator)",
                )
            elif not _says_something(resolved):
                self.warn(
                    "untyped-stream",
                    "the event stream has no schema for its events: clients can only hand them out"
                    " untyped",
                    node.pointer,
                    "add a `schema` (or 3.2 `itemSchema`) that describes one event",
                )
        elif is_json(media_type):
            if not _says_something(resolved):
                self.warn(
                    "empty-schema",
                    f"`{node.name}` has an empty or missing schema: any JSON passes, and clients"
                    " get untyped data",
                    node.pointer,
                    "describe the body with a schema",
                )
            self._examples_of_owner(node)
        if isinstance(schema, dict):
            self._prose_references(
                schema.get("description"), join_pointer(node.pointer, "schema", "description")
            )

    def _response(self, node: Node) -> None:
        self._prose_references(
            node.value.get("description"), join_pointer(node.pointer, "description")
        )

    def _request_body(self, node: Node) -> None:
        self._prose_references(
            node.value.get("description"), join_pointer(node.pointer, "description")
        )

    def _schema(self, node: Node) -> None:
        schema, pointer = node.value, node.pointer
        if "$ref" in schema and self.spec.version == "3.0":
            return  # siblings of a 3.0 `$ref` mean nothing
        if schema.get("enum") == []:
            self.warn(
                "empty-enum",
                "`enum: []` allows no value at all; the generated type does not enforce that",
                join_pointer(pointer, "enum"),
                "list the allowed values, or remove the property if it is never sent",
            )
        fmt = schema.get("format")
        if isinstance(fmt, str) and fmt not in KNOWN_FORMATS:
            self.unknown_formats.setdefault(fmt, []).append(join_pointer(pointer, "format"))
        examples = []
        if "example" in schema:
            examples.append(("example", schema["example"], join_pointer(pointer, "example")))
        if isinstance(schema.get("examples"), list):
            examples += [
                ("example", value, join_pointer(pointer, "examples", i))
                for i, value in enumerate(schema["examples"])
            ]
        for what, value, where in examples:
            self._check_example(what, value, where, pointer)
        self._always(schema, pointer, examples)

    # --- checks -----------------------------------------------------------------------------------
    def _examples_of_owner(self, node: Node) -> None:
        """`example` / `examples` of a parameter, header or media type, against its `schema`."""
        if not isinstance(node.value.get("schema"), dict):
            return
        schema_pointer = join_pointer(node.pointer, "schema")
        if "example" in node.value:
            self._check_example(
                "example",
                node.value["example"],
                join_pointer(node.pointer, "example"),
                schema_pointer,
            )
        for name, example in _items(node.value.get("examples")):
            where = join_pointer(node.pointer, "examples", name)
            self._refs(where, example)
            resolved = self._followed(where)
            if resolved is not None and "value" in resolved:
                self._check_example(
                    f"example `{name}`",
                    resolved["value"],
                    join_pointer(where, "value"),
                    schema_pointer,
                )

    def _followed(self, pointer: str) -> Mapping[str, Any] | None:
        """The object at `pointer`, its `$ref`s followed; None when there is none (reported on its
        own)."""
        return self.view.follow(pointer)

    def _check_example(self, what: str, value: Any, where: str, schema_pointer: str) -> None:
        try:
            schema = self.converter.at(schema_pointer)
        except (DiagnosticError, RecursionError):
            return  # a broken `$ref` is reported on its own
        problems = schema_problems(schema, self.converter.defs, value)
        if not problems:
            return
        first = problems[0]
        at = "".join(f"/{p}" for p in first.absolute_path)
        more = (
            f" ({len(problems)} problems; the first at {at or 'the top'})"
            if len(problems) > 1
            else (f" (at {at})" if at else "")
        )
        self.warn(
            "example-mismatch",
            f"{what} does not match its own schema: {_short(first.message)}{more}",
            where,
            "fix the example or the schema; clients and the generated tests follow the schema",
        )

    def _always(
        self, schema: dict[str, Any], pointer: str, examples: list[tuple[str, Any, str]]
    ) -> None:
        """A description that promises one value ("always `pending`") while an example shows
        another."""
        description = schema.get("description")
        match = _ALWAYS.search(description) if isinstance(description, str) else None
        if match is None:
            return
        promised = match.group(1)
        for _, value, where in examples:
            if isinstance(value, (str, int, float, bool)) and not _same_value(promised, value):
                shown = (
                    json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
                )
                self.warn(
                    "example-contradicts-description",
                    f"the description says always `{promised}`, the example says `{shown}`",
                    where,
                    "one of the two is wrong: fix the example, or the description",
                )

    def _prose_references(self, text: Any, pointer: str) -> None:
        if not isinstance(text, str):
            return
        for name in dict.fromkeys(_SCHEMA_NAME_IN_PROSE.findall(text)):
            if name not in self.schema_names:
                self.warn(
                    "prose-reference",
                    f"the description points to `{name}`, which this document does not define",
                    pointer,
                    f"define `{name}` under components/schemas and reference it with `$ref`",
                )

    def _refs(self, pointer: str, value: dict[str, Any]) -> None:
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith("#") and not self._exists(ref):
            self.warn(
                "unresolved-ref",
                f"$ref {ref!r} points to nothing in this document",
                join_pointer(pointer, "$ref"),
                "check the spelling of the component name, or define it under components",
            )

    def _exists(self, ref: str) -> bool:
        try:
            self.spec.raw(ref[1:])
        except KeyError:
            return False
        return True

    def finish(self) -> None:
        for fmt, pointers in self.unknown_formats.items():
            suggestion = _FORMAT_HINTS.get(fmt.lower())
            uses = f" (used {len(pointers)} times; this is the first)" if len(pointers) > 1 else ""
            self.warn(
                "unknown-format",
                f"format `{fmt}` is not a registered format{uses}",
                pointers[0],
                (
                    f"did you mean `{suggestion}`?"
                    if suggestion
                    else "use a format from the OpenAPI Format Registry, or remove it"
                ),
            )
        for spellings in self.operation_ids.values():
            if len({name for name, _ in spellings}) > 1:
                names = ", ".join(f"`{name}`" for name, _ in spellings)
                self.warn(
                    "case-collision",
                    f"operationIds {names} differ only in case",
                    spellings[-1][1],
                    "rename one: many generators and file systems treat them as the same name",
                )
        by_folded: dict[str, list[str]] = {}
        for name in self.schema_names:
            by_folded.setdefault(name.casefold(), []).append(name)
        for folded in by_folded.values():
            if len(folded) > 1:
                folded.sort()
                listed = ", ".join(f"`{n}`" for n in folded)
                self.warn(
                    "case-collision",
                    f"schemas {listed} differ only in case",
                    join_pointer("/components/schemas", folded[-1]),
                    "rename one: generated file and class names would clash on case-insensitive"
                    " systems",
                )


def _same_value(promised: str, value: str | int | float | bool) -> bool:
    """Whether the text in backticks names the example's value: `true` is the JSON value true, `3`
    is 3 and 3.0, `"x"` and `x` are the string x."""
    if isinstance(value, str):
        return promised in (value, json.dumps(value, ensure_ascii=False))
    if isinstance(value, bool):
        return promised.lower() == json.dumps(value)
    try:
        written = json.loads(promised)
    except ValueError:
        return False
    return isinstance(written, (int, float)) and not isinstance(written, bool) and written == value


def _says_something(schema: Mapping[str, Any] | None) -> bool:
    """Whether a schema constrains anything (an empty `{}` or a bare description does not)."""
    if schema is None:
        return False
    return any(
        key not in {"description", "title", "example", "examples", "default", "deprecated"}
        and not key.startswith("x-")
        for key in schema
    )


def _items(value: Any) -> Iterable[tuple[str, Any]]:
    return value.items() if isinstance(value, dict) else ()


def _short(message: str, limit: int = 160) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"
