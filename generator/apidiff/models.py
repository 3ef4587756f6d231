"""Model and auth-scheme changes: removed, added, renamed, fields, aliases, additional
properties."""

from __future__ import annotations

from collections.abc import Iterator

from generator.apidiff import surface as s
from generator.apidiff.changes import Change, Context, matched, member_changes
from generator.apidiff.directions import referenced


def renamed_models(old: s.Surface, new: s.Surface) -> dict[str, str]:
    """Old name -> new name for a model that left under one name and came back under another with
    exactly the same shape (one candidate on each side, else no guess)."""
    old_names = {m.name for m in old.models}
    new_names = {m.name for m in new.models}
    gone: dict[tuple[object, ...], list[str]] = {}
    for model in old.models:
        if model.name not in new_names:
            gone.setdefault(_shape(model), []).append(model.name)
    came: dict[tuple[object, ...], list[str]] = {}
    for model in new.models:
        if model.name not in old_names:
            came.setdefault(_shape(model), []).append(model.name)
    return {
        names[0]: came[shape][0]
        for shape, names in gone.items()
        if len(names) == 1 and len(came.get(shape, ())) == 1
    }


def _shape(model: s.Model) -> tuple[object, ...]:
    fields = tuple((f.py_name, f.wire_name, f.type, f.required, f.default) for f in model.fields)
    return fields, model.extra, model.alias_of


def _owner(model: s.Model, methods: dict[str, s.Method]) -> s.Method | None:
    """The method an inline model was lowered from (its pointer lies under the operation's), if
    any."""
    parts = model.pointer.split("/")
    return methods.get("/".join(parts[:4])) if len(parts) > 4 and parts[1] == "paths" else None


def _shadow(model: s.Model, owner: s.Method | None, bodies: set[str]) -> bool:
    """A model whose whole content the method's signature already shows: a request body flattened
    into keyword arguments (and used nowhere else), or an alias naming a response's type. Its
    changes are reported on the method."""
    if model.name in bodies:
        return True
    if owner is None:
        return False
    part = model.pointer.split("/")[4]
    if part == "requestBody":
        return any(arg.location == "body-field" for arg in owner.args)
    return part == "responses" and model.alias_of is not None and len(model.pointer.split("/")) == 6


def _folded(old: s.Surface, new: s.Surface) -> tuple[set[str], set[str]]:
    """Old and new model names not reported on their own: shadows, and inline models of a method
    that was removed or added (reported as that method)."""
    found: list[set[str]] = []
    for this, other in ((old, new), (new, old)):
        methods = {m.pointer: m for m in this.methods}
        keys = {m.key for m in other.methods}
        bodies = {m.body_model for m in this.methods if m.body_model} - referenced(this)
        names = set()
        for model in this.models:
            owner = _owner(model, methods)
            if _shadow(model, owner, bodies) or (owner is not None and owner.key not in keys):
                names.add(model.name)
        found.append(names)
    return found[0], found[1]


def model_changes(old: s.Surface, new: s.Surface, context: Context) -> list[Change]:
    old_folded, new_folded = _folded(old, new)
    removed, added, both = matched(old.models, new.models, lambda m: m.name)
    removed = [m for m in removed if m.name not in old_folded]
    added = [m for m in added if m.name not in new_folded]
    both = [(a, b) for a, b in both if a.name not in old_folded and b.name not in new_folded]
    new_by_name = {m.name: m for m in new.models}
    changes: list[Change] = []
    for model in removed:
        if model.name in context.renamed:
            twin = new_by_name[context.renamed[model.name]]
            changes.append(
                Change(
                    "models",
                    f"model {twin.name}",
                    "model-renamed",
                    True,
                    f"renamed from `{model.name}`",
                    model.pointer,
                    twin.pointer,
                )
            )
        else:
            changes.append(
                Change(
                    "models",
                    f"model {model.name}",
                    "model-removed",
                    True,
                    "model removed",
                    old=model.pointer,
                )
            )
    renamed_to = set(context.renamed.values())
    for model in added:
        if model.name not in renamed_to:
            changes.append(
                Change(
                    "models",
                    f"model {model.name}",
                    "model-added",
                    False,
                    "new model",
                    new=model.pointer,
                )
            )
    for before, after in both:
        changes += _one_model(before, after, context)
    return changes


def _one_model(old: s.Model, new: s.Model, context: Context) -> list[Change]:
    directions = context.of_model(old.name, new.name)
    subject = f"model {new.name}"

    def change(
        code: str,
        breaking: bool,
        message: str,
        old_at: str | None = old.pointer,
        new_at: str | None = new.pointer,
    ) -> None:
        found.append(Change("models", subject, code, breaking, message, old_at, new_at))

    found: list[Change] = []
    if (old.alias_of is None) != (new.alias_of is None):
        change(
            "model-kind-changed",
            True,
            "now a type alias" if new.alias_of is not None else "now a model with fields",
        )
        return found
    if old.alias_of is not None and new.alias_of is not None:
        typed = context.type_change(old.alias_of, new.alias_of, directions)
        if typed:
            change("type-changed", typed[0], typed[1])
    if old.extra != new.extra:
        typed = context.type_change(old.extra or "Any", new.extra or "Any", directions)
        if typed:
            change("extra-changed", typed[0], f"additional properties: {typed[1]}")
    for code, breaking, message, old_at, new_at in _field_changes(old, new, directions, context):
        change(code, breaking, message, old_at, new_at)
    return found


def _field_changes(
    old: s.Model, new: s.Model, directions: frozenset[str], context: Context
) -> Iterator[tuple[str, bool, str, str | None, str | None]]:
    """(code, breaking, message, old pointer, new pointer) for each field removed, added or
    changed."""
    removed, added, both = matched(old.fields, new.fields, lambda f: f.py_name)
    for f in removed:
        yield "field-removed", True, f"field `{f.py_name}` removed", f.pointer, None
    for f in added:
        breaks = f.required and "request" in directions
        kind = "required" if f.required else "optional"
        yield "field-added", breaks, f"new {kind} field `{f.py_name}`", None, f.pointer
    for before, after in both:
        for code, breaking, detail in member_changes(before, after, directions, context):
            message = f"field `{after.py_name}`: {detail}"
            yield code, breaking, message, before.pointer, after.pointer


def scheme_changes(old: s.Surface, new: s.Surface) -> list[Change]:
    """Client-level auth: what a caller sees of a scheme is a constructor argument and an
    environment variable, so schemes match by argument name (a scheme renamed in `components` is no
    change)."""
    removed, added, both = matched(old.schemes, new.schemes, lambda scheme: scheme.py_param)
    changes = [
        Change(
            "auth",
            f"auth {x.py_param}",
            "scheme-removed",
            True,
            f"scheme removed: constructor argument `{x.py_param}` and ${x.env_var} are gone",
            old=x.pointer,
        )
        for x in removed
    ]
    changes += [
        Change(
            "auth",
            f"auth {x.py_param}",
            "scheme-added",
            False,
            f"new scheme ({x.kind}): optional argument `{x.py_param}`, ${x.env_var}",
            new=x.pointer,
        )
        for x in added
    ]
    for before, after in both:
        changes += _one_scheme(before, after)
    return changes


def _one_scheme(before: s.Scheme, after: s.Scheme) -> list[Change]:
    def change(code: str, breaking: bool, message: str) -> None:
        subject = f"auth {after.py_param}"
        found.append(
            Change("auth", subject, code, breaking, message, before.pointer, after.pointer)
        )

    found: list[Change] = []
    if before.env_var != after.env_var:
        change("scheme-renamed", True, f"read from ${after.env_var} (was ${before.env_var})")
    sent_before = (before.kind, before.location, before.param_name)
    if sent_before != (after.kind, after.location, after.param_name):
        message = f"sent as {_sent(after)} (was {_sent(before)}); the client follows"
        change("scheme-changed", False, message)
    return found


def _sent(scheme: s.Scheme) -> str:
    if scheme.kind == "api_key":
        return f"an API key in {scheme.location} `{scheme.param_name}`"
    return "a bearer token" if scheme.kind == "bearer" else "basic auth"
