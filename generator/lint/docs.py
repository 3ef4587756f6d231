"""Drift between a vendor's documentation page and the OpenAPI embedded in it.

Documentation sites built with Mintlify (Pharen's, for one) list each parameter as `<ParamField
query="team_id" type="string" required>`. The embedded OpenAPI is generated separately and can lag
behind. Every parameter or body field the page lists that the operation lacks is reported at the
page's line, so an overlay can add it (and the warning goes away).

The page documents one operation: the one its embedded block names (```` ```yaml openapi.json POST
/path ````), else the document's only operation.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.diagnostics import Diagnostic, DiagnosticError, error, join_pointer, warning
from generator.spec import Spec
from generator.specview import SPEC_METHODS as METHODS
from generator.specview import OperationView, SpecView

_PARAM_FIELD = re.compile(
    r"<ParamField\s+(path|query|header|cookie|body)\s*=\s*\"([^\"]+)\"([^>]*)>"
)
_FENCE_OPERATION = re.compile(
    r"^\s*(?:`{3,}|~{3,})\s*\w+[^\n]*?\b(" + "|".join(METHODS) + r")\s+(/\S*)",
    re.IGNORECASE | re.MULTILINE,
)

_UNMATCHED_HINT = (
    "the page should embed its OpenAPI in a block whose info names it,"
    " e.g. ```yaml openapi.json POST /path"
)


def documented_drift(spec: Spec, page: Path, shown: str) -> list[Diagnostic]:
    text = _read_page(page, shown)
    operation = _documented_operation(spec, text)
    if operation is None:
        return [
            warning(
                "doc-unmatched",
                "cannot tell which operation this page documents",
                shown,
                hint=_UNMATCHED_HINT,
            )
        ]
    pointer, label = operation.pointer, _label(operation)
    parameters = _parameters(operation)
    body = _body_fields(spec, operation)
    found = []
    for match in _PARAM_FIELD.finditer(text):
        where, name, attributes = match.group(1), match.group(2), match.group(3)
        required = re.search(r"\brequired\b", attributes) is not None
        line = text.count("\n", 0, match.start()) + 1
        col = match.start() - text.rfind("\n", 0, match.start())
        noun = "field" if where == "body" else "parameter"
        kind = f"{'required ' if required else ''}{where} {noun} `{name}`"
        missing = name not in body if where == "body" else (where, name) not in parameters
        if missing:
            found.append(
                warning(
                    "doc-drift",
                    f"the documentation page lists {kind}, which operation {label} lacks",
                    shown,
                    line,
                    col,
                    pointer,
                    "add it with an overlay (specs/<api>/*.overlay.yaml), or tell the vendor",
                )
            )
        elif where != "body" and required and not parameters[(where, name)]:
            found.append(
                warning(
                    "doc-drift",
                    f"the documentation page says {where} parameter `{name}` is required;"
                    f" operation {label} makes it optional",
                    shown,
                    line,
                    col,
                    pointer,
                    "fix the `required` flag with an overlay",
                )
            )
    return found


def _read_page(page: Path, shown: str) -> str:
    try:
        return page.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DiagnosticError(
            [
                error(
                    "docs",
                    f"cannot read the documentation page: {exc}",
                    shown,
                    hint="fix the `docs` setting of this client",
                )
            ]
        ) from None


def _documented_operation(spec: Spec, text: str) -> OperationView | None:
    view = SpecView(spec, reporting=False)
    named = _FENCE_OPERATION.search(text)
    if named is not None:
        operation = view.operation(named.group(2), named.group(1).lower())
        if operation is not None:
            return operation
    every = list(view.operations())
    return every[0] if len(every) == 1 else None


def _label(operation: OperationView) -> str:
    where = f"{operation.method.upper()} {operation.path}"
    operation_id = operation.raw.get("operationId")
    return f"`{operation_id}` ({where})" if isinstance(operation_id, str) else where


def _parameters(operation: OperationView) -> dict[tuple[str, str], bool]:
    """(in, name) -> required, for the operation's parameters and its path item's."""
    return {
        parameter.key: parameter.required
        for parameter in operation.declared_parameters()
        if isinstance(parameter.raw.get("name"), str) and isinstance(parameter.raw.get("in"), str)
    }


def _body_fields(spec: Spec, operation: OperationView) -> set[str]:
    body = operation.request_body()
    names: set[str] = set()
    for media in body.content if body is not None else ():
        names |= _property_names(spec, join_pointer(media.pointer, "schema"), depth=0)
    return names


def _property_names(spec: Spec, pointer: str, depth: int) -> set[str]:
    schema, pointer = spec.follow(pointer)  # members of a referenced schema are found where it is
    if not isinstance(schema, dict) or depth > 16:
        return set()
    names = set(schema["properties"]) if isinstance(schema.get("properties"), dict) else set()
    for key in ("allOf", "anyOf", "oneOf"):
        for index in range(len(schema[key]) if isinstance(schema.get(key), list) else 0):
            names |= _property_names(spec, join_pointer(pointer, key, index), depth + 1)
    return names
