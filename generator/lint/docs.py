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
from typing import Any

from generator.diagnostics import Diagnostic, DiagnosticError, error, join_pointer, warning
from generator.lower.operations import SPEC_METHODS as METHODS
from generator.spec import Spec

_PARAM_FIELD = re.compile(r"<ParamField\s+(path|query|header|cookie|body)\s*=\s*\"([^\"]+)\"([^>]*)>")
_FENCE_OPERATION = re.compile(r"^\s*(?:`{3,}|~{3,})\s*\w+[^\n]*?\b(" + "|".join(METHODS) + r")\s+(/\S*)", re.IGNORECASE | re.MULTILINE)


def documented_drift(spec: Spec, page: Path, shown: str) -> list[Diagnostic]:
    try:
        text = page.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DiagnosticError([error("docs", f"cannot read the documentation page: {exc}", shown, hint="fix the `docs` setting of this client")]) from None
    operation = _documented_operation(spec, text)
    if operation is None:
        return [warning("doc-unmatched", "cannot tell which operation this page documents", shown,
                        hint="the page should embed its OpenAPI in a block whose info names it, e.g. ```yaml openapi.json POST /path")]
    pointer, label, value = operation
    parameters = _parameters(spec, pointer, value)
    body = _body_fields(spec, pointer)
    found = []
    for match in _PARAM_FIELD.finditer(text):
        where, name, attributes = match.group(1), match.group(2), match.group(3)
        required = re.search(r"\brequired\b", attributes) is not None
        line = text.count("\n", 0, match.start()) + 1
        col = match.start() - text.rfind("\n", 0, match.start())
        kind = f"{'required ' if required else ''}{where} {'field' if where == 'body' else 'parameter'} `{name}`"
        missing = name not in body if where == "body" else (where, name) not in parameters
        if missing:
            found.append(warning("doc-drift", f"the documentation page lists {kind}, which operation {label} lacks", shown, line, col, pointer,
                                 "add it with an overlay (specs/<api>/*.overlay.yaml), or tell the vendor"))
        elif where != "body" and required and not parameters[(where, name)]:
            found.append(warning("doc-drift", f"the documentation page says {where} parameter `{name}` is required; operation {label} makes it optional",
                                 shown, line, col, pointer, "fix the `required` flag with an overlay"))
    return found


def _documented_operation(spec: Spec, text: str) -> tuple[str, str, dict[str, Any]] | None:
    paths = spec.document.data.get("paths")
    paths = paths if isinstance(paths, dict) else {}
    named = _FENCE_OPERATION.search(text)
    if named is not None:
        method, path = named.group(1).lower(), named.group(2)
        operation = paths.get(path, {}).get(method) if isinstance(paths.get(path), dict) else None
        if isinstance(operation, dict):
            return join_pointer("/paths", path, method), _label(operation, method, path), operation
    every = [(path, method, item[method]) for path, item in paths.items() if isinstance(item, dict)
             for method in METHODS if isinstance(item.get(method), dict)]
    if len(every) == 1:
        path, method, operation = every[0]
        return join_pointer("/paths", path, method), _label(operation, method, path), operation
    return None


def _label(operation: dict[str, Any], method: str, path: str) -> str:
    operation_id = operation.get("operationId")
    return f"`{operation_id}` ({method.upper()} {path})" if isinstance(operation_id, str) else f"{method.upper()} {path}"


def _parameters(spec: Spec, pointer: str, operation: dict[str, Any]) -> dict[tuple[str, str], bool]:
    """(in, name) -> required, for the operation's parameters and its path item's."""
    path_item_pointer = pointer.rsplit("/", 1)[0]
    found: dict[tuple[str, str], bool] = {}
    for owner_pointer, owner in ((path_item_pointer, spec.raw(path_item_pointer)), (pointer, operation)):
        declared = owner.get("parameters")
        listed: list[Any] = declared if isinstance(declared, list) else []
        for index in range(len(listed)):
            parameter = _resolve(spec, join_pointer(owner_pointer, "parameters", index))
            if isinstance(parameter.get("name"), str) and isinstance(parameter.get("in"), str):
                found[(parameter["in"], parameter["name"])] = parameter.get("required") is True
    return found


def _body_fields(spec: Spec, pointer: str) -> set[str]:
    body_pointer = join_pointer(pointer, "requestBody")
    body = _resolve(spec, body_pointer)
    declared = body.get("content")
    content: dict[str, Any] = declared if isinstance(declared, dict) else {}
    names: set[str] = set()
    for media_type, media in content.items():
        if isinstance(media, dict):
            names |= _property_names(spec, join_pointer(body_pointer, "content", media_type, "schema"), depth=0)
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


def _resolve(spec: Spec, pointer: str) -> dict[str, Any]:
    """The object at `pointer`, its `$ref`s followed (into other files too); {} when there is
    none."""
    value, _ = spec.follow(pointer)
    return value if isinstance(value, dict) else {}
