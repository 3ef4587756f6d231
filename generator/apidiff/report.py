"""A list of changes -> what people and tools read: grouped text, Markdown for a pull request, JSON.

Locations are resolved here, at the edge: a change carries JSON pointers, and a `Locator` per side
turns them into file:line (a side read from a committed `.clientgen-api.json` may only know the
file).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from generator.apidiff.changes import GROUPS, Change

# pointer -> (file, line or None when unknown, pointer inside that file)
Locator = Callable[[str], tuple[str, "int | None", str]]
Style = Callable[[str, bool], str]  # (text, breaking) -> text as shown
_TITLES = {"methods": "Methods", "models": "Models", "auth": "Auth", "api": "API"}


@dataclass(frozen=True)
class Side:
    label: str  # the spec as the user named it
    version: str  # info.version
    locate: Locator


@dataclass(frozen=True)
class Report:
    old: Side
    new: Side
    changes: tuple[Change, ...]

    @property
    def breaking(self) -> int:
        return sum(change.breaking for change in self.changes)

    @property
    def bump(self) -> str:
        """The semantic-version bump the generated package needs: callers break -> major; new API ->
        minor."""
        return "major" if self.breaking else "minor" if self.changes else "patch"

    def ordered(self) -> list[Change]:
        """By group, breaking first, then in the order found (which follows the surfaces' sorted
        keys)."""
        return sorted(self.changes, key=lambda c: (GROUPS.index(c.group), not c.breaking))

    def summary(self) -> str:
        if not self.changes:
            return "No API changes."
        compatible = len(self.changes) - self.breaking
        return (
            f"{self.breaking} breaking, {compatible} compatible change(s); "
            f"suggested version bump: {self.bump}"
        )

    def where(self, change: Change, *, markdown: bool = False) -> str:
        parts = []
        for side, pointer in ((self.old, change.old), (self.new, change.new)):
            if pointer is not None:
                file, line, local = side.locate(pointer)
                text = f"{file}:{line}" if line is not None else file
                parts.append(f"`{text}` `#{local}`" if markdown else f"{text} #{local}")
        return " -> ".join(parts)


def _versions(report: Report) -> str:
    def one(side: Side) -> str:
        return f"{side.label} ({side.version})" if side.version else side.label

    return f"{one(report.old)} -> {one(report.new)}"


def plain(text: str, breaking: bool) -> str:
    return text


def to_text(report: Report, style: Style = plain) -> str:
    """Grouped, two lines a change: what, then where on each side."""
    lines = [f"API changes: {_versions(report)}", report.summary()]
    group = ""
    for change in report.ordered():
        if change.group != group:
            group = change.group
            lines += ["", _TITLES[group]]
        label = style("BREAKING  " if change.breaking else "compatible", change.breaking)
        lines.append(f"  {label}  {change.subject}: {change.message}")
        if change.old is not None or change.new is not None:
            lines.append(f"              {report.where(change)}")
    return "\n".join(lines) + "\n"


def to_markdown(report: Report) -> str:
    """A pull-request comment: the verdict first, then one table per group."""
    lines = [f"### API changes: {_md(_versions(report))}", ""]
    if not report.changes:
        return "\n".join(lines + ["No API changes.", ""])
    compatible = len(report.changes) - report.breaking
    lines.append(
        f"**{report.breaking} breaking**, {compatible} compatible. "
        f"Suggested version bump: **{report.bump}**."
    )
    group = ""
    for change in report.ordered():
        if change.group != group:
            group = change.group
            lines += [
                "",
                f"#### {_TITLES[group]}",
                "",
                "| | What | Change | Where |",
                "|---|---|---|---|",
            ]
        verdict = ":x: breaking" if change.breaking else ":white_check_mark: compatible"
        where = _md(report.where(change, markdown=True))
        lines.append(f"| {verdict} | `{_md(change.subject)}` | {_md(change.message)} | {where} |")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Table-safe: `|` would end a cell (GitHub reads `\\|` as a bar, inside code spans too), a
    newline a row."""
    return text.replace("|", "\\|").replace("\n", " ")


def to_json(report: Report) -> str:
    def side(which: Side, pointer: str | None) -> dict[str, object] | None:
        if pointer is None:
            return None
        file, line, local = which.locate(pointer)
        return {"file": file, "line": line, "pointer": local}

    body = {
        "old": {"spec": report.old.label, "version": report.old.version},
        "new": {"spec": report.new.label, "version": report.new.version},
        "breaking": report.breaking,
        "compatible": len(report.changes) - report.breaking,
        "bump": report.bump,
        "changes": [
            {
                "group": c.group,
                "subject": c.subject,
                "code": c.code,
                "classification": "breaking" if c.breaking else "compatible",
                "message": c.message,
                "old": side(report.old, c.old),
                "new": side(report.new, c.new),
            }
            for c in report.ordered()
        ],
    }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


FORMATS: dict[str, Callable[[Report], str]] = {
    "text": to_text,
    "markdown": to_markdown,
    "json": to_json,
}
