"""OpenAPI Overlay 1.0: fix a vendor's document without editing the vendor's file.

An overlay is a list of actions, each a JSONPath (RFC 9535) `target` with either `update` (merged
into every object the target selects, appended to every array) or `remove: true`. Actions run in
order, each on the result of the one before, and overlays run in the order given (configured
clients: file name order).

What is special here is only bookkeeping: every value an action puts into the document remembers
where in the overlay file it was written, so a diagnostic about it (lint, validation) points at the
overlay's line, not at a line of the vendor file that never held it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, DiagnosticError, join_pointer, split_pointer
from generator.load import SourceDocument, load_document

_VERSION = re.compile(r"1\.0\.\d+")
_INFO_KEYS = ("title", "version")
_HINT = (
    "see https://spec.openapis.org/overlay/v1.0.0.html: overlay: 1.0.0, info {title, version}, "
    "actions [{target, description, update | remove}]"
)


@dataclass(frozen=True)
class Action:
    pointer: str  # of the action inside the overlay document
    target: str
    description: str
    update: Any
    remove: bool


@dataclass(frozen=True)
class Overlay:
    document: SourceDocument
    title: str
    actions: tuple[Action, ...]


@dataclass(frozen=True, eq=False)
class OverlaidDocument(SourceDocument):
    """A document after overlays: values an overlay placed are located in the overlay file."""

    # pointer in this document -> (overlay document, pointer of the value there)
    _placed: Mapping[str, tuple[SourceDocument, str]] = field(default_factory=dict, repr=False)

    def where(self, pointer: str) -> tuple[str, int, int]:
        tokens = split_pointer(pointer)
        for depth in range(len(tokens), -1, -1):
            placed = self._placed.get(join_pointer("", *tokens[:depth]))
            if placed is not None:
                overlay, base = placed
                return overlay.where(join_pointer(base, *tokens[depth:]))
        return super().where(pointer)


def load_overlay(path: Path, display_path: str) -> Overlay:
    """Read and check one overlay file. Raises DiagnosticError with every problem found."""
    document = load_document(path, display_path=display_path)
    data = document.data
    problems: list[Diagnostic] = []
    if not isinstance(data.get("overlay"), str) or not _VERSION.fullmatch(data["overlay"]):
        message = "not an Overlay 1.0 document: `overlay` must be a version such as 1.0.0"
        at = "/overlay" if "overlay" in data else ""
        problems.append(document.error("overlay-version", message, at, _HINT))
    info = data.get("info")
    if not isinstance(info, dict) or not all(isinstance(info.get(k), str) for k in _INFO_KEYS):
        message = "`info` must have a string `title` and `version`"
        at = "/info" if "info" in data else ""
        problems.append(document.error("overlay-info", message, at, _HINT))
    raw_actions = data.get("actions")
    if not isinstance(raw_actions, list) or not raw_actions:
        message = "`actions` must be a non-empty list"
        at = "/actions" if "actions" in data else ""
        problems.append(document.error("overlay-actions", message, at, _HINT))
        raw_actions = []
    actions = []
    for index, raw in enumerate(raw_actions):
        action = _action(document, join_pointer("/actions", index), raw, problems)
        if action is not None:
            actions.append(action)
    if problems:
        raise DiagnosticError(problems)
    return Overlay(document, str(info["title"]), tuple(actions))


def _action(
    document: SourceDocument, pointer: str, raw: Any, problems: list[Diagnostic]
) -> Action | None:
    if not isinstance(raw, dict):
        message = "an action must be a mapping with `target` and `update` or `remove`"
        problems.append(document.error("overlay-action", message, pointer, _HINT))
        return None
    target = raw.get("target")
    target_at = join_pointer(pointer, "target")
    if not isinstance(target, str) or not target.startswith("$"):
        message = "`target` must be a JSONPath expression starting with `$`"
        problems.append(document.error("overlay-action", message, target_at, _HINT))
        return None
    # Imported here: a spec without overlays (most) never needs it.
    import jsonpath_rfc9535 as jsonpath

    try:
        jsonpath.compile(target)
    except jsonpath.JSONPathError as exc:
        message = f"`target` is not valid JSONPath (RFC 9535): {exc}"
        problems.append(document.error("overlay-target", message, target_at))
        return None
    remove = raw.get("remove", False)
    if not isinstance(remove, bool) or (not remove and "update" not in raw):
        message = "an action needs `update` (a value to merge) or `remove: true`"
        problems.append(document.error("overlay-action", message, pointer, _HINT))
        return None
    description = raw.get("description")
    text = description if isinstance(description, str) else ""
    return Action(pointer, target, text, raw.get("update"), remove)


def apply_overlays(
    document: SourceDocument, overlays: Sequence[Overlay]
) -> tuple[SourceDocument, list[Diagnostic]]:
    """The document with every action of every overlay applied, and warnings for actions that did
    nothing."""
    if not overlays:
        return document, []
    data = copy.deepcopy(document.data)
    placed: dict[str, tuple[SourceDocument, str]] = {}
    warnings: list[Diagnostic] = []
    errors: list[Diagnostic] = []
    for overlay in overlays:
        for action in overlay.actions:
            _apply(data, overlay.document, action, placed, warnings, errors)
    if errors:
        raise DiagnosticError(errors)
    overlaid = OverlaidDocument(
        document.display_path, data, document._locator, document.path, _placed=placed
    )
    return overlaid, warnings


def _apply(
    data: Any,
    source: SourceDocument,
    action: Action,
    placed: dict[str, tuple[SourceDocument, str]],
    warnings: list[Diagnostic],
    errors: list[Diagnostic],
) -> None:
    import jsonpath_rfc9535 as jsonpath  # see `_action`

    nodes = jsonpath.find(action.target, data)
    target_at = join_pointer(action.pointer, "target")
    if not nodes:
        message = f"action target {action.target} selects nothing in the document"
        hint = "the vendor may have fixed this; remove the action, or correct its target"
        warnings.append(source.warning("overlay-no-match", message, target_at, hint))
        return
    if action.remove:
        # Deepest and last first, so removing one node never shifts the index of another still to
        # go.
        for node in sorted(nodes, key=lambda n: _sort_key(n.location), reverse=True):
            if not node.location:
                message = "an action cannot remove the whole document"
                errors.append(source.error("overlay-remove-root", message, target_at))
                return
            parent = _resolve(data, node.location[:-1])
            del parent[node.location[-1]]
        return
    update_pointer = join_pointer(action.pointer, "update")
    for node in nodes:
        target_pointer = join_pointer("", *node.location)
        if isinstance(node.value, dict) and isinstance(action.update, dict):
            _merge(node.value, action.update, target_pointer, update_pointer, source, placed)
        elif isinstance(node.value, list):
            many = isinstance(action.update, list)  # an array appends its items, else itself
            for offset, item in enumerate(action.update if many else [action.update]):
                index = len(node.value)
                node.value.append(copy.deepcopy(item))
                item_pointer = join_pointer(update_pointer, offset) if many else update_pointer
                placed[join_pointer(target_pointer, index)] = (source, item_pointer)
        else:
            selected = f"{target_pointer or 'the document'}, a {_kind(node.value)}"
            message = (
                f"target {action.target} selects {selected}; "
                "`update` needs an object (to merge into) or an array (to append to)"
            )
            hint = "to replace a scalar, target its parent object and update the key"
            errors.append(source.error("overlay-update-target", message, target_at, hint))


def _merge(
    target: dict[str, Any],
    update: dict[str, Any],
    target_pointer: str,
    update_pointer: str,
    source: SourceDocument,
    placed: dict[str, tuple[SourceDocument, str]],
) -> None:
    """Objects merge key by key, recursively; anything else replaces the value (Overlay 1.0
    `update`)."""
    for key, value in update.items():
        here, there = join_pointer(target_pointer, key), join_pointer(update_pointer, key)
        if isinstance(target.get(key), dict) and isinstance(value, dict):
            _merge(target[key], value, here, there, source, placed)
        else:
            target[key] = copy.deepcopy(value)
            placed[here] = (source, there)


def _resolve(data: Any, location: Sequence[str | int]) -> Any:
    for token in location:
        data = data[token]
    return data


def _sort_key(location: Sequence[str | int]) -> tuple[int, tuple[tuple[int, str | int], ...]]:
    return (len(location), tuple((0, t) if isinstance(t, int) else (1, t) for t in location))


_JSON_KINDS = {bool: "boolean", int: "number", float: "number", str: "string"}


def _kind(value: Any) -> str:
    return "null" if value is None else _JSON_KINDS.get(type(value), type(value).__name__)
