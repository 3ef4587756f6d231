"""A change a caller meets, and the rules that classify a type or member change as breaking or
not."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from generator.apidiff import surface as s
from generator.apidiff.directions import Directions
from generator.apidiff.types import accepts, literal_values, parse, rename

REQUEST, RESPONSE = "request", "response"
GROUPS = ("methods", "models", "auth", "api")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Change:
    group: str  # one of GROUPS
    subject: str  # what changed, as a caller names it: "run_workflow", "model Customer"
    code: str  # kind of change, e.g. "argument-added"
    breaking: bool
    message: str
    old: str | None = None  # JSON pointer on the old side; None: not there
    new: str | None = None


@dataclass(frozen=True, slots=True)
class Context:
    renamed: dict[str, str]  # old model name -> new model name
    old_directions: Directions
    new_directions: Directions

    def of_model(self, old_name: str, new_name: str) -> frozenset[str]:
        unreached = frozenset({RESPONSE})  # see `directions.model_directions`
        return self.old_directions.get(old_name, unreached) | self.new_directions.get(
            new_name, unreached
        )

    def type_change(
        self, old: str, new: str, directions: frozenset[str]
    ) -> tuple[bool, str] | None:
        """Whether changing a type from `old` to `new` breaks callers using it in `directions`, and
        how."""
        if old == new:
            return None
        before, after = rename(parse(old), self.renamed), parse(new)
        wider, narrower = accepts(after, before), accepts(before, after)
        if wider and narrower:
            return None  # the same values: a reordered union, a renamed model
        enums = literal_values(before), literal_values(after)
        if enums[0] is not None and enums[1] is not None and enums[0][1] == enums[1][1]:
            added, removed = sorted(enums[1][0] - enums[0][0]), sorted(enums[0][0] - enums[1][0])
            parts = [
                f"{label} {', '.join(value_text(v) for v in values)}"
                for label, values in (("added", added), ("removed", removed))
                if values
            ]
            return REQUEST in directions and bool(removed), "enum values " + "; ".join(parts)
        how = "widened" if wider else "narrowed" if narrower else "changed"
        # Say which use breaks: a widened model field is only breaking because callers read it.
        why = [
            use
            for use, breaks in (
                ("sent in requests", REQUEST in directions and not wider),
                ("read in responses", RESPONSE in directions and not narrower),
            )
            if breaks
        ]
        because = ("; " + " and ".join(why)) if why and how != "changed" else ""
        return bool(why), f"type `{old}` -> `{new}` ({how}{because})"


def value_text(value: tuple[str, object]) -> str:
    return (
        json.dumps(value[1], ensure_ascii=False)
        if value[0] == "str"
        else str(value[1]).lower() if value[0] == "bool" else str(value[1])
    )


def matched(
    old: Iterable[T], new: Iterable[T], key: Callable[[T], str]
) -> tuple[list[T], list[T], list[tuple[T, T]]]:
    """(only in old, only in new, in both) in a stable order: old's order, then new's."""
    old_by = {key(item): item for item in old}
    new_by = {key(item): item for item in new}
    removed = [item for k, item in old_by.items() if k not in new_by]
    added = [item for k, item in new_by.items() if k not in old_by]
    both = [(item, new_by[k]) for k, item in old_by.items() if k in new_by]
    return removed, added, both


def member_changes(
    old: s.Arg | s.ModelField,
    new: s.Arg | s.ModelField,
    directions: frozenset[str],
    context: Context,
) -> list[tuple[str, bool, str]]:
    """Changes of one argument or model field: (code, breaking, message)."""
    found: list[tuple[str, bool, str]] = []
    where_old = (old.wire_name, getattr(old, "location", ""))
    where_new = (new.wire_name, getattr(new, "location", ""))
    if where_old != where_new:
        found.append(
            (
                "wire-name-changed",
                False,
                f"sent as `{new.wire_name}` (was `{old.wire_name}`); the client follows",
            )
        )
    if old.required != new.required:
        if new.required:
            found.append(("became-required", REQUEST in directions, "now required"))
        else:
            found.append(
                ("became-optional", RESPONSE in directions, "now optional (may be absent)")
            )
    typed = context.type_change(old.type, new.type, directions)
    if typed:
        found.append(("type-changed", typed[0], typed[1]))
    if old.default != new.default:
        found.append(
            (
                "default-changed",
                False,
                f"default {old.default or 'none'} -> {new.default or 'none'}",
            )
        )
    return found
