"""Spec layer: a loaded document, validated into openapi-pydantic objects, plus `$ref` resolution.

openapi-pydantic rejects structurally wrong documents; its errors are turned into located
diagnostics here (file:line:col and the JSON pointer of the offending value), never shown as a
pydantic dump.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import pydantic

from generator.diagnostics import (
    Diagnostic,
    DiagnosticError,
    escape_pointer_token,
    split_pointer,
    warning,
)
from generator.load import SourceDocument
from generator.openapi_models import version_module
from generator.bundle import Bundler
from generator.refs import Documents
from generator.specview.resolve import Resolver

T = TypeVar("T", bound=pydantic.BaseModel)
_NOT_LOOKED_UP = object()

# openapi-pydantic's Python field names that differ from the spec's keys.
_FIELD_ALIASES = {
    "ref": "$ref",
    "schema_format": "format",
    "schema_not": "not",
    "schema_if": "if",
    "schema_else": "else",
    "param_in": "in",
    "param_schema": "schema",
    "media_type_schema": "schema",
    "security_scheme_in": "in",
}


@dataclass
class Spec:
    """A validated document. `version` is "3.0" or "3.1" (3.2 is read with the 3.1 model)."""

    document: SourceDocument
    version: str
    model: Any  # v3_0.OpenAPI | v3_1.OpenAPI
    classes: ModuleType  # the openapi-pydantic module matching the version (Schema, Parameter, ...)
    _cache: dict[tuple[str, type], Any] = field(default_factory=dict)
    _raw: dict[str, Any] = field(default_factory=dict)  # pointer -> value (see `raw`)
    documents: Documents = field(init=False)
    bundler: Bundler = field(init=False)
    resolver: Resolver = field(init=False)

    def __post_init__(self) -> None:
        self.documents = Documents(self.document)
        self.bundler = Bundler(self.documents)
        self.resolver = Resolver(self)  # the one place a `$ref` is followed

    @property
    def file(self) -> str:
        return self.document.display_path

    @property
    def sources(self) -> tuple[Path, ...]:
        """The spec file and every file its `$ref`s reached (complete once the API is lowered)."""
        return self.documents.sources

    def diag(self, code: str, message: str, pointer: str, hint: str = "") -> Diagnostic:
        return self.documents.diag(code, message, pointer, hint)

    def warn(self, code: str, message: str, pointer: str, hint: str = "") -> Diagnostic:
        file, line, col, local = self.documents.where(pointer)
        return warning(code, message, file, line, col, local, hint)

    def at(self, pointer: str, expect: type[T]) -> T:
        """The object at `pointer`, validated as `expect` (cached)."""
        key = (pointer, expect)
        if key not in self._cache:
            document, _, local = self.documents.split(pointer)
            self._cache[key] = validate_as(
                expect, self.raw(pointer), document, local, self.version == "3.0"
            )
        return self._cache[key]  # type: ignore[no-any-return]

    def raw(self, pointer: str) -> Any:
        """The value at `pointer` (KeyError when there is none), remembered: lowering asks for the
        same pointer several times (Stripe: 56,849 look-ups of 21,000 pointers), each a walk from
        the root. Sound because a loaded document no longer changes (a file read later is bundled
        before anyone reads it) and only values found are remembered."""
        node = self._raw.get(pointer, _NOT_LOOKED_UP)
        if node is _NOT_LOOKED_UP:
            node = self._raw[pointer] = self.documents.raw(pointer)
        return node

    def follow(self, pointer: str) -> tuple[Any, str]:
        """Look-only resolution (`Resolver.follow`): None when the chain is broken or cyclic."""
        return self.resolver.follow(pointer)

    def resolve(self, ref: str, at_pointer: str, expect: type[T]) -> tuple[T, str]:
        """Reporting resolution (`Resolver.resolve`): `ref`'s object, validated as `expect`, and
        its canonical pointer; a located DiagnosticError when the chain is broken or cyclic."""
        return self.resolver.resolve(ref, at_pointer, expect)


def load_spec(document: SourceDocument) -> Spec:
    data = document.data
    version, classes = _version(document)
    if version.startswith("3.2."):
        # 3.2 only adds to 3.1 (itemSchema, more methods, ...); the 3.1 model checks the rest and
        # keeps the additions as extra fields, which lowering reads from the raw document.
        data = {**data, "openapi": "3.1.1"}
    documents = Documents(document)
    bundler = Bundler(documents)
    documents.on_load = bundler.run  # files read later (schema files) are bundled as they are read
    bundler.run("", data)  # before validation: the model only knows standard `$ref`s
    model = _validated(document, classes, data, version)
    spec = Spec(document, "3.0" if version.startswith("3.0") else "3.1", model, classes)
    spec.documents, spec.bundler = documents, bundler
    return spec


def _version(document: SourceDocument) -> tuple[str, ModuleType]:
    """The document's OpenAPI version and the openapi-pydantic models that validate it; a located
    error for Swagger 2, a document without `openapi`, or a version clientgen does not read."""
    data = document.data
    version = data.get("openapi") if isinstance(data, dict) else None
    if isinstance(data, dict) and "swagger" in data and version is None:
        raise DiagnosticError(
            [
                _at(
                    document,
                    "swagger-2",
                    "Swagger/OpenAPI 2.0 documents are not supported",
                    "/swagger",
                    "convert it to OpenAPI 3 first, e.g. with swagger2openapi, and generate from"
                    " the result",
                )
            ]
        )
    if not isinstance(version, str):
        raise DiagnosticError(
            [
                _at(
                    document,
                    "not-openapi",
                    "not an OpenAPI document: no `openapi` version field",
                    "",
                    "an OpenAPI 3.0 or 3.1 document starts with `openapi: 3.x.y`",
                )
            ]
        )
    classes = _classes_for(version)
    if classes is None:
        raise DiagnosticError(
            [
                _at(
                    document,
                    "unsupported-version",
                    f"OpenAPI version {version!r} is not supported",
                    "/openapi",
                    "clientgen reads OpenAPI 3.0.x, 3.1.x and 3.2.x documents",
                )
            ]
        )
    return version, classes


def _validated(document: SourceDocument, classes: ModuleType, data: Any, version: str) -> Any:
    return validate_as(classes.OpenAPI, data, document, "", version.startswith("3.0"))


def validate_as(expect: type[T], raw: Any, document: SourceDocument, base: str, legacy: bool) -> T:
    """`raw` (found at `base` in `document`) as openapi-pydantic's `expect`, or DiagnosticError.

    openapi-pydantic's 3.1 Schema demands a non-empty `enum`, but JSON Schema 2020-12 (3.1's
    dialect) allows `enum: []` (no value is valid): for 3.1 those are taken out of a copy of the
    path to them and the value is validated again. Lowering reads the raw data, enum included."""
    try:
        return expect.model_validate(raw)
    except pydantic.ValidationError as exc:
        empty = sorted(
            {
                p
                for err in exc.errors(include_url=False)
                if (p := _empty_enum(document, base, err)) is not None
            }
        )
        if legacy or not empty:
            raise DiagnosticError(validation_diagnostics(document, exc, base)) from None
    try:
        return expect.model_validate(_without_keys(raw, [p.removeprefix(base) for p in empty]))
    except pydantic.ValidationError as exc:
        raise DiagnosticError(validation_diagnostics(document, exc, base)) from None


def _empty_enum(document: SourceDocument, base: str, err: Any) -> str | None:
    """The pointer of the empty `enum` that pydantic's error is about, if it is one."""
    loc = err["loc"]
    if err["type"] != "too_short" or not loc or loc[-1] != "enum":
        return None
    pointer, _ = _pointer_for(document, base, loc)
    return pointer if pointer.endswith("/enum") else None


def _without_keys(data: Any, pointers: list[str]) -> Any:
    """`data` without the values at `pointers`; only the containers on the way are copied."""
    for pointer in pointers:
        *path, last = split_pointer(pointer)
        data = _copy_along(data, path, last)
    return data


def _copy_along(node: Any, path: list[str], last: str) -> Any:
    if not path:
        return {k: v for k, v in node.items() if k != last} if isinstance(node, dict) else node
    token, rest = path[0], path[1:]
    if isinstance(node, dict) and token in node:
        return {**node, token: _copy_along(node[token], rest, last)}
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        index = int(token)
        return [*node[:index], _copy_along(node[index], rest, last), *node[index + 1 :]]
    return node


def _classes_for(version: str) -> ModuleType | None:
    if version.startswith("3.0."):
        return version_module("v3_0")
    if version.startswith(("3.1.", "3.2.")):
        return version_module("v3_1")
    return None


def _at(document: SourceDocument, code: str, message: str, pointer: str, hint: str) -> Diagnostic:
    return document.error(code, message, pointer, hint)


def validation_diagnostics(
    document: SourceDocument, exc: pydantic.ValidationError, base: str = ""
) -> list[Diagnostic]:
    """Turn pydantic's errors into diagnostics at the deepest place in the document they point to.

    A union (Reference | Schema) fails once per branch; reporting only the errors that reach deepest
    into the document keeps the branch that was meant and drops the noise.
    """
    errors = exc.errors(include_url=False)
    # A union (Reference | Schema) also fails as a Reference ("`$ref` is missing") where the object
    # is plainly not one: that branch's complaint is noise next to the real cause.
    meant = [err for err in errors if not _is_reference_noise(err)] or errors
    located: dict[tuple[str, str], int] = {}
    for err in meant:
        pointer, depth = _pointer_for(document, base, err["loc"])
        message = _message(err)
        located.setdefault((pointer, message), depth)
    if not located:
        return [
            _at(document, "invalid-spec", "the document is not a valid OpenAPI document", base, "")
        ]
    deepest = _deepest(located)
    return [
        _at(document, "invalid-spec", message, pointer, _hint(message))
        for pointer, message in deepest
    ]


def _is_reference_noise(err: Any) -> bool:
    loc = err["loc"]
    return (
        err["type"] == "missing"
        and len(loc) >= 2
        and loc[-1] in {"$ref", "ref"}
        and loc[-2] == "Reference"
    )


def _deepest(located: dict[tuple[str, str], int]) -> list[tuple[str, str]]:
    """Per place in the document, the errors that reach deepest below it: two empty enums in two
    properties are two errors; the branches of one union that stop short of the real cause are
    not."""
    chosen = []
    for (pointer, message), depth in sorted(located.items()):
        deeper = any(
            other != pointer and other.startswith(pointer + "/") and other_depth > depth
            for (other, _), other_depth in located.items()
        )
        if not deeper:
            chosen.append((pointer, message))
    return chosen


def _hint(message: str) -> str:
    if message.startswith("`enum` is empty"):
        return (
            "give the enum at least one value, or declare `openapi: 3.1.0`"
            " (JSON Schema 2020-12 allows an empty enum)"
        )
    return ""


def _pointer_for(document: SourceDocument, base: str, loc: tuple[Any, ...]) -> tuple[str, int]:
    node: Any = document.data
    for token in split_pointer(base):
        node = node[token] if isinstance(node, dict) else node[int(token)]
    pointer, depth = base, 0
    for token in loc:
        key = _FIELD_ALIASES.get(token, token) if isinstance(token, str) else token
        if isinstance(node, dict) and isinstance(key, str) and key in node:
            node, pointer, depth = node[key], pointer + "/" + escape_pointer_token(key), depth + 1
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node, pointer, depth = node[key], pointer + f"/{key}", depth + 1
        elif isinstance(token, str) and token in {"$ref", "ref"} and isinstance(node, dict):
            depth += 1  # "expected a $ref here" is about this very object
    return pointer, depth


def _message(err: Any) -> str:
    loc = err["loc"]
    field_name = next((t for t in reversed(loc) if isinstance(t, str) and t[:1].islower()), "")
    field_name = _FIELD_ALIASES.get(field_name, field_name)
    if err["type"] == "missing":
        return f"required field `{field_name}` is missing"
    if err["type"] == "too_short" and field_name == "enum":
        return "`enum` is empty: OpenAPI 3.0 requires at least one value"
    if err["type"] == "extra_forbidden":
        return f"unknown field `{field_name}`"
    return f"`{field_name}`: {err['msg']}" if field_name else str(err["msg"])
