"""Method changes: removed, added, renamed, arguments, results, errors, streams, auth, traits."""

from __future__ import annotations

from collections.abc import Callable

from generator.apidiff import surface as s
from generator.apidiff.changes import (
    REQUEST,
    RESPONSE,
    Change,
    Context,
    matched,
    member_changes,
)

# Per-method traits (see `adapter._traits`): (added, removed, changed) -> breaking? Unknown traits:
# breaking.
TRAIT_RULES: dict[str, tuple[bool, bool, bool]] = {
    "idempotency-header": (False, False, False),  # the client sends it; callers pass nothing
    # Added or removed: the method returns a page instead of the answer, or the reverse. Changed
    # (another scheme or items field): the page object a caller iterates stays the same.
    "pagination": (True, True, False),
}


def method_changes(old: s.Surface, new: s.Surface, context: Context) -> list[Change]:
    removed, added, both = matched(old.methods, new.methods, lambda m: m.key)
    # An operationId changed on the same HTTP method and path: the same method under a new identity.
    added_by_http = {m.http: m for m in added}
    changes: list[Change] = []
    for method in removed:
        twin = added_by_http.pop(method.http, None)
        if twin is not None:
            both.append((method, twin))
        else:
            changes.append(
                Change(
                    "methods",
                    _label(method),
                    "method-removed",
                    True,
                    f"method removed ({method.http})",
                    old=method.pointer,
                )
            )
    for method in added_by_http.values():
        changes.append(
            Change(
                "methods",
                _label(method),
                "method-added",
                False,
                f"new method ({method.http})",
                new=method.pointer,
            )
        )
    for before, after in both:
        changes += _method_changes(before, after, context)
    return changes


def _label(method: s.Method) -> str:
    return method.name or method.stream_name or method.key


def _method_changes(old: s.Method, new: s.Method, context: Context) -> list[Change]:
    def change(
        code: str,
        breaking: bool,
        message: str,
        old_at: str | None = old.pointer,
        new_at: str | None = new.pointer,
    ) -> None:
        found.append(Change("methods", _label(new), code, breaking, message, old_at, new_at))

    found: list[Change] = []
    mode_changed = (old.name == "") != (new.name == "")
    if mode_changed and not new.name:
        change(
            "method-streams-only",
            True,
            f"only streams now: `{new.stream_name}()` returns the event stream"
            + (f", `{old.stream_name}` is gone" if old.stream_name != new.stream_name else ""),
        )
    elif mode_changed:
        change(
            "method-not-streams-only",
            True,
            f"`{new.name}()` now returns `{new.returns}`; the events come from "
            f"`{new.stream_name}()`",
        )
    elif old.name != new.name:
        change("method-renamed", True, f"renamed from `{old.name}`")
    if old.http != new.http:
        change("http-changed", False, f"now `{new.http}` (was `{old.http}`); the client follows")
    if not old.deprecated and new.deprecated:
        change("method-deprecated", False, "deprecated")
    _stream_changes(old, new, context, change, mode_changed)
    _result_changes(old, new, context, change, mode_changed)
    found += _arg_changes(old, new, context)
    if not _auth_satisfied(old.auth, new.auth):
        change("auth-changed", True, f"needs {_auth_text(new.auth)} (was {_auth_text(old.auth)})")
    elif old.auth != new.auth:
        change(
            "auth-changed", False, f"accepts {_auth_text(new.auth)} (was {_auth_text(old.auth)})"
        )
    _trait_changes(old, new, change)
    return found


def _stream_changes(
    old: s.Method, new: s.Method, context: Context, change: Callable[..., None], mode_changed: bool
) -> None:
    if old.stream is None and new.stream is not None:
        change("stream-added", False, f"new streaming variant `{new.stream_name}`")
    elif old.stream is not None and new.stream is None:
        change("stream-removed", True, f"streaming variant `{old.stream_name}` removed")
    elif old.stream is not None and new.stream is not None:
        if old.stream_name != new.stream_name and not mode_changed:
            change(
                "stream-renamed",
                True,
                f"streaming variant renamed `{old.stream_name}` -> `{new.stream_name}`",
            )
        found = context.type_change(old.stream, new.stream, frozenset({RESPONSE}))
        if found:
            change("stream-events-changed", found[0], f"events: {found[1]}")


def _result_changes(
    old: s.Method, new: s.Method, context: Context, change: Callable[..., None], mode_changed: bool
) -> None:
    found = context.type_change(old.returns, new.returns, frozenset({RESPONSE}))
    if found and old.name and new.name:
        change("returns-changed", found[0], f"returns: {found[1]}")
    removed, added, both = matched(old.errors, new.errors, lambda e: e.status)
    for error in removed:
        change(
            "error-removed",
            True,
            f"error response {error.status} (`{error.type}`) no longer documented",
            error.pointer,
            None,
        )
    for error in added:
        change(
            "error-added",
            False,
            f"new error response {error.status} (`{error.type}`)",
            None,
            error.pointer,
        )
    for before, after in both:
        found = context.type_change(before.type, after.type, frozenset({RESPONSE}))
        if found:
            change(
                "error-changed",
                found[0],
                f"error response {after.status}: {found[1]}",
                before.pointer,
                after.pointer,
            )


def _arg_changes(old: s.Method, new: s.Method, context: Context) -> list[Change]:
    def change(
        code: str, breaking: bool, message: str, old_at: str | None, new_at: str | None
    ) -> None:
        found.append(Change("methods", _label(new), code, breaking, message, old_at, new_at))

    found: list[Change] = []
    removed, added, both = matched(old.args, new.args, lambda a: a.py_name)
    for arg in removed:
        change("argument-removed", True, f"argument `{arg.py_name}` removed", arg.pointer, None)
    for arg in added:
        what = "required" if arg.required else "optional"
        message = f"new {what} argument `{arg.py_name}`"
        change("argument-added", arg.required, message, None, arg.pointer)
    for before, after in both:
        for code, breaking, detail in member_changes(before, after, frozenset({REQUEST}), context):
            message = f"argument `{after.py_name}`: {detail}"
            change(code, breaking, message, before.pointer, after.pointer)
        if before.position != after.position and before.position is not None:
            where = (
                "keyword-only" if after.position is None else f"at position {after.position + 1}"
            )
            message = f"argument `{after.py_name}` is now {where}"
            change("argument-moved", True, message, before.pointer, after.pointer)
    return found


def _auth_satisfied(old: tuple[tuple[str, ...], ...], new: tuple[tuple[str, ...], ...]) -> bool:
    """True when every way a caller could authenticate before still satisfies some new
    alternative."""
    if not new or () in new:
        return True
    olds = old or ((),)
    return all(any(set(alternative) <= set(before) for alternative in new) for before in olds)


def _auth_text(alternatives: tuple[tuple[str, ...], ...]) -> str:
    if not alternatives:
        return "no auth"
    return " or ".join(" + ".join(alt) or "no auth" for alt in alternatives)


def _trait_changes(old: s.Method, new: s.Method, change: Callable[..., None]) -> None:
    before, after = dict(old.traits), dict(new.traits)
    for name in sorted(before.keys() | after.keys()):
        added_breaks, removed_breaks, changed_breaks = TRAIT_RULES.get(name, (True, True, True))
        if name not in before:
            change(f"{name}-added", added_breaks, f"{name}: {after[name]}")
        elif name not in after:
            change(f"{name}-removed", removed_breaks, f"{name} removed (was {before[name]})")
        elif before[name] != after[name]:
            change(f"{name}-changed", changed_breaks, f"{name}: {before[name]} -> {after[name]}")
