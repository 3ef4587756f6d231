"""The one `$ref` resolver: every reader of the spec follows references through here.

Two kinds of reader use it. Lowering reports: a broken or cyclic chain is a located error
(`unresolved-ref`, `ref-cycle`, and the file errors of `generator.refs`), and the object reached is
validated by openapi-pydantic as what it should be. Look-only readers (lint, the coverage check,
the documentation drift check) get None for a broken chain, because lowering reports it once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import pydantic

from generator.diagnostics import DiagnosticError, join_pointer
from generator.refs import Documents

if TYPE_CHECKING:
    from generator.spec import Spec

T = TypeVar("T", bound=pydantic.BaseModel)

# A chained `$ref` object has at most `$ref`, `summary` and `description` (3.1 Reference Object);
# anything larger that holds a `$ref` is a schema with siblings: the chain ends at it.
_REFERENCE_SIZE = 3


def ref_of(value: Any) -> str | None:
    """The `$ref` of a Reference Object, or None when `value` is not one."""
    ref = value.get("$ref") if isinstance(value, dict) else None
    return ref if isinstance(ref, str) else None


class Resolver:
    """Follows `$ref` chains in the document and the files they reach (`Documents`)."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec

    @property
    def documents(self) -> Documents:
        return self.spec.documents

    def chain(self, ref: str, at_pointer: str) -> str:
        """The canonical pointer `ref` (written in the object at `at_pointer`) ends at, chains of
        references followed; DiagnosticError, located at the reference, when it is broken."""
        seen: list[str] = []
        target = self.documents.target(ref, at_pointer)
        while True:
            if target in seen:
                chain = " -> ".join([*seen, target])
                message = f"$ref cycle never reaches a definition: {chain}"
                raise DiagnosticError([self.spec.diag("ref-cycle", message, at_pointer)])
            seen.append(target)
            try:
                raw = self.documents.raw(target)
            except KeyError:
                raise self._nothing(ref, at_pointer) from None
            next_ref = ref_of(raw)
            if next_ref is None or len(raw) > _REFERENCE_SIZE:
                return target
            at_pointer, target = target, self.documents.target(next_ref, target)

    def _nothing(self, ref: str, at_pointer: str) -> DiagnosticError:
        where = "this document" if ref.startswith("#") else "that file"
        hint = "check the spelling of the component name, or define it under components"
        message = f"$ref {ref!r} points to nothing in {where}"
        diagnostic = self.spec.diag(
            "unresolved-ref", message, join_pointer(at_pointer, "$ref"), hint
        )
        return DiagnosticError([diagnostic])

    def resolve(self, ref: str, at_pointer: str, expect: type[T]) -> tuple[T, str]:
        """Reporting: the object `ref` ends at, validated as `expect`, and its canonical pointer."""
        target = self.chain(ref, at_pointer)
        return self.spec.at(target, expect), target

    def behind(self, pointer: str, expect: type[T]) -> tuple[Any, str]:
        """Reporting: the value at `pointer`, or, when it is a `$ref`, the object its chain ends at
        (validated as `expect`), and the pointer of what is returned."""
        raw = self.documents.raw(pointer)
        ref = ref_of(raw)
        if ref is None:
            return raw, pointer
        _, target = self.resolve(ref, pointer, expect)
        return self.documents.raw(target), target

    def target(self, pointer: str) -> str:
        """Reporting: the canonical pointer of the object at `pointer` (itself, or where its
        `$ref` chain ends)."""
        ref = ref_of(self.documents.raw(pointer))
        return pointer if ref is None else self.chain(ref, pointer)

    def object(self, pointer: str, expect: type[T]) -> tuple[Any, str]:
        """Reporting: the JSON of the object at `pointer` behind its `$ref`s, validated as `expect`
        (openapi-pydantic; cached), and its canonical pointer."""
        raw = self.documents.raw(pointer)
        ref = ref_of(raw)
        if ref is not None:
            pointer = self.chain(ref, pointer)
            raw = self.documents.raw(pointer)
        self.spec.at(pointer, expect)
        return raw, pointer

    def quietly(self, pointer: str) -> tuple[Any, str]:
        """Reporting resolution for a reader that does not report: the value behind `pointer`'s
        `$ref`s and its canonical pointer; ({}, pointer) when the chain is broken."""
        try:
            target = self.target(pointer)
        except DiagnosticError:
            return {}, pointer
        return self.documents.raw(target), target

    def follow(self, pointer: str) -> tuple[Any, str]:
        """Look-only: the value at `pointer` behind its `$ref`s and the pointer it ends at; None
        when there is nothing there, or the chain is broken or cyclic."""
        try:
            raw = self.documents.raw(pointer)
            ref = ref_of(raw)
            if ref is None:
                return raw, pointer
            target = self.chain(ref, pointer)
            return self.documents.raw(target), target
        except (KeyError, DiagnosticError):
            return None, pointer
