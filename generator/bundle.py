"""`$ref`s where OpenAPI allows none, resolved the way bundlers and most tools do.

Real multi-file specs (a cloud vendor's: 2,900 files) write every operation as a `$ref` to another
file, and schema `properties` maps and descriptions as `$ref`s. OpenAPI 3.x allows `$ref` only for
path items, schemas, parameters, responses, request bodies, headers, examples, links, callbacks and
security schemes. Such a spec still generates: each of those `$ref`s is replaced, in the document
that holds it, by a copy of its target, whose own `$ref`s are rewritten to stay relative to their
file ("rebased"). Path item `$ref`s (standard) are inlined the same way, so lowering sees only
operations where the standard puts them.

One `nonstandard-ref` warning per kind says what the standard expects. Files are read through
`Documents` (inside the spec's folder only, as for every `$ref`); each value is copied once per
`$ref`: linear in the size of what is read.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from generator.diagnostics import Diagnostic, DiagnosticError, join_pointer, warning
from generator.refs import Documents
from generator.specview.operations import SPEC_METHODS

_METHODS = frozenset(SPEC_METHODS)
# Maps whose keys are names (of properties, components, media types...): a name is never a keyword.
_NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "schemas",
        "parameters",
        "responses",
        "headers",
        "examples",
        "requestBodies",
        "securitySchemes",
        "links",
        "callbacks",
        "content",
        "encoding",
        "mapping",
        "variables",
    }
)
_TEXT_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".html"})
# kind -> (what was found, what the standard expects)
_KINDS = {
    "operation": (
        "an operation written as a `$ref` is not OpenAPI",
        "OpenAPI allows `$ref` for a whole path item, not for one operation; bundle the spec, "
        "or move the `$ref` up to the path item",
    ),
    "properties": (
        "a `properties` map written as a `$ref` is not OpenAPI",
        "`properties` must be a map of schemas, each of which may be a `$ref`",
    ),
    "description": (
        "a `description` written as a `$ref` is not OpenAPI",
        "a description is a string (CommonMark); bundle the spec to inline the text",
    ),
}
_MAX_INLINED = 100_000  # a `$ref` chain that keeps inlining itself is a cycle, not an API


@dataclass
class Bundler:
    documents: Documents
    found: dict[str, list[str]] = field(default_factory=dict)  # kind -> pointers, in reading order
    inlined: int = 0

    def warnings(self) -> list[Diagnostic]:
        found = []
        for kind, pointers in sorted(self.found.items()):
            what, expected = _KINDS[kind]
            uses = f" (used {len(pointers)} times; this is the first)" if len(pointers) > 1 else ""
            file, line, col, local = min(
                self.documents.where(pointer) for pointer in pointers
            )  # first in reading order
            found.append(
                warning(
                    "nonstandard-ref",
                    f"{what}; clientgen reads the file it names{uses}",
                    file,
                    line,
                    col,
                    local,
                    expected,
                )
            )
        return found

    def run(self, prefix: str, data: Any) -> None:
        """Inline every nonstandard (and path item) `$ref` in the document mounted at `prefix`."""
        stack: list[tuple[Any, str, str]] = [(data, prefix, "root" if not prefix else "")]
        while stack:
            node, pointer, context = stack.pop()
            if isinstance(node, list):
                stack.extend(
                    (item, join_pointer(pointer, i), "")
                    for i, item in enumerate(node)
                    if isinstance(item, (dict, list))
                )
            elif isinstance(node, dict):
                for key in list(node):
                    # Scalars hold no `$ref` (most of a document: no pointer built for them).
                    if not isinstance(node[key], (dict, list)):
                        continue
                    here = join_pointer(pointer, key)
                    child_context = self._inline_child(node, key, here, context)
                    stack.append((node[key], here, child_context))

    def _inline_child(self, node: dict[str, Any], key: str, here: str, context: str) -> str:
        """Inline `node[key]` (at `here`) if it is a `$ref` to inline; the context its own
        children are read in."""
        value = node[key]
        if context == "root" and key == "paths":
            return "paths"
        if context == "paths" and _is_ref(value, extra_ok=True):
            node[key] = self._inlined(value, here, None)  # a path item `$ref`: standard
            return "path-item"
        if context == "paths":
            return "path-item"
        if context == "path-item" and key in _METHODS and _is_ref(value):
            node[key] = self._inlined(value, here, "operation")
        elif context == "names":  # `key` is a name (a property called `description`), not a keyword
            return ""
        elif key in ("properties", "patternProperties") and _is_ref(value):
            node[key] = self._inlined(value, here, "properties")
        elif key == "description" and _is_ref(value):
            node[key] = self._text(value, here)
        return "names" if key in _NAME_MAPS else ""

    def _inlined(self, reference: dict[str, Any], pointer: str, kind: str | None) -> Any:
        self.inlined += 1
        if self.inlined > _MAX_INLINED:
            raise DiagnosticError(
                [
                    self.documents.diag(
                        "ref-cycle", "`$ref`s keep inlining each other: a cycle", pointer
                    )
                ]
            )
        if kind is not None:
            self.found.setdefault(kind, []).append(pointer)
        target = self.documents.target(reference["$ref"], pointer)
        try:
            value = self.documents.raw(target)
        except KeyError:
            raise DiagnosticError(
                [
                    self.documents.diag(
                        "unresolved-ref",
                        f"$ref {reference['$ref']!r} points to nothing in that file",
                        join_pointer(pointer, "$ref"),
                    )
                ]
            ) from None
        copied = _rebased(copy.deepcopy(value), self._path_of(target), self._path_of(pointer))
        if isinstance(
            copied, dict
        ):  # 3.1: a path item `$ref`'s siblings override what it refers to
            copied.update({k: v for k, v in reference.items() if k != "$ref"})
        return copied

    def _text(self, reference: dict[str, Any], pointer: str) -> Any:
        """A description's `$ref`: the text of a Markdown/text file, or a string value of a
        YAML/JSON one; a `$ref` to anything else is left as it is (the document's validation reports
        it)."""
        ref = reference["$ref"]
        file_part = ref.partition("#")[0]
        if PurePosixPath(file_part).suffix.lower() in _TEXT_SUFFIXES:
            self.found.setdefault("description", []).append(pointer)
            return self.documents.text(file_part, pointer)
        try:
            value = self.documents.raw(self.documents.target(ref, pointer))
        except KeyError:
            return reference
        if not isinstance(value, str):
            return reference
        self.found.setdefault("description", []).append(pointer)
        return value

    def _path_of(self, pointer: str) -> Path | None:
        document, _, _ = self.documents.split(pointer)
        return document.path.resolve() if document.path is not None else None


def _is_ref(value: Any, extra_ok: bool = False) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("$ref"), str)
        and (extra_ok or len(value) == 1)
    )


def _rebased(value: Any, source: Path | None, destination: Path | None) -> Any:
    """`value`, copied out of the file `source` into `destination`: every `$ref` in it rewritten so
    that it names, from `destination`, what it named from `source`."""
    if source is None or destination is None or source == destination:
        return value
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and "://" not in ref and not ref.startswith("//"):
                file_part, hash_, fragment = ref.partition("#")
                named = (source.parent / file_part).resolve() if file_part else source
                relative = Path(os.path.relpath(named, destination.parent)).as_posix()
                node["$ref"] = relative + (hash_ + fragment if hash_ else "")
            stack.extend(v for k, v in node.items() if k != "$ref")
        elif isinstance(node, list):
            stack.extend(node)
    return value
