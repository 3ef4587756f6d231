"""Readable names for inline schemas: where the schema lives, said as briefly as is unique.

A naming hint is the path of PascalCase segments from the nearest named schema down to this one,
separated by `/`: `CreateAssistantRequest/ToolResources/FileSearch/VectorStore`. Union members add a
segment saying what they are (the value of their discriminator or `type` constant, their title, or,
when nothing tells them apart, `Option<n>`); array items replace the last segment by its singular
(`VectorStores` -> `VectorStore`, else `DataItem`). The class name is the schema's `title` when
free, else the shortest free suffix of the path of at least two segments (`FileSearchVectorStore`),
else the whole path, preferring names of at most `MAX_LENGTH` characters. Names are claimed in
lowering order, which is sorted (components by key, fields by wire name, operations by path and
method), so reordering a spec changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from generator.diagnostics import join_pointer
from generator.names import NameScope, make_identifier, pascal_case, split_words

SEPARATOR = "/"
# Segments that do not say where a schema lives, so a name does not start with one (unless it is the
# root).
_VAGUE = frozenset(
    {"Data", "Body", "Value", "Item", "Items", "Result", "Object", "Payload", "Content", "Response"}
)
_VAGUE |= {"Request", "Params", "Attributes", "Properties", "Details", "Info"}
MAX_LENGTH = 50
# Properties whose constant value names a union member, after the union's own discriminator.
_TAG_PROPERTIES = ("type", "object", "kind", "event")


def child(hint: str, segment: str) -> str:
    """The hint of a schema one step below `hint` (a property, a union member)."""
    segment = pascal_case(segment)
    if not segment:
        return hint
    return f"{hint}{SEPARATOR}{segment}" if hint else segment


def item(hint: str) -> str:
    """The hint of an array's items: the last segment made singular, or with `Item` appended."""
    head, _, last = hint.rpartition(SEPARATOR)
    single = singular(last)
    last = single if single != last else last + "Item"
    return f"{head}{SEPARATOR}{last}" if head else last


def singular(word: str) -> str:
    """A plain English singular of a PascalCase plural (`VectorStores`, `Entries`), else `word`."""
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def candidates(hint: str, title: str = "") -> list[str]:
    """Class names for a schema, best first: its title, then ever longer suffixes of its path."""
    # A segment repeating the one before it adds nothing (`.../Static/Static`: the `static` member's
    # `static` property).
    split = [s for s in hint.split(SEPARATOR) if s]
    segments = [s for i, s in enumerate(split) if i == 0 or s != split[i - 1]]
    found: list[str] = []
    if title and pascal_case(title):
        found.append(make_identifier(title, style="pascal", fallback="Model"))
    shortest = min(2, len(segments))
    for size in range(shortest, len(segments) + 1):
        if size < len(segments) and segments[-size] in _VAGUE:
            # `DataAction` says nothing about where it lives; `NodeFinishedDataAction` does
            continue
        found.append(make_identifier("".join(segments[-size:]), style="pascal", fallback="Model"))
    if not segments:
        found.append("Model")
    unique = list(dict.fromkeys(found))
    short = [name for name in unique if len(name) <= MAX_LENGTH]
    return short or shortened(unique[-1]) or unique


def shortened(name: str) -> list[str]:
    """For a name over `MAX_LENGTH` (a long parent's name and more): its trailing words, as many as
    fit, then fewer, down to two
    (`RealtimeServerEventConversationItemInputAudioTranscriptionCompleted` ->
    `ConversationItemInputAudioTranscriptionCompleted`)."""
    words = split_words(name)
    suffixes = ("".join(words[start:]) for start in range(len(words) - 1))
    return [
        make_identifier(s, style="pascal", fallback="Model")
        for s in suffixes
        if len(s) <= MAX_LENGTH
    ]


def component_candidates(key_name: str, title: str) -> list[str]:
    """A component keeps the name of its key (its `$ref` name) unless that is over `MAX_LENGTH`;
    then its title, else its trailing words (see `shortened`)."""
    if len(key_name) <= MAX_LENGTH:
        return [key_name]
    named = (
        make_identifier(title, style="pascal", fallback="Model")
        if title and pascal_case(title)
        else ""
    )
    return ([named] if named and len(named) <= MAX_LENGTH else []) + shortened(key_name) or [
        key_name
    ]


def claim(scope: NameScope, hint: str, title: str = "") -> str:
    """Claim the first free candidate; if all are taken, the shortest with a number."""
    ordered = candidates(hint, title)
    free = next((name for name in ordered if scope.is_free(name)), None)
    if free is None:  # rare: then the trailing words of the whole path
        whole = make_identifier(hint.replace(SEPARATOR, " "), style="pascal", fallback="Model")
        ordered = list(dict.fromkeys([*ordered, *shortened(whole)]))
        free = next((name for name in ordered if scope.is_free(name)), None)
    # When every name is taken, the shortest gets a number, so the number does not push it over the
    # limit.
    return scope.claim(free or min(ordered, key=len))


def claim_components(
    scope: NameScope, keys: list[str], titles: list[str]
) -> list[tuple[str, list[str], str]]:
    """(key, wanted names, claimed name) per component schema key, keys sorted. Names over the
    length limit are shortened and claimed after every other, so that they never take the name
    another component has as its own."""
    options = {}
    for key, title in zip(keys, titles, strict=True):
        own = make_identifier(key, style="pascal", fallback="Model")
        options[key] = (own, component_candidates(own, title))
    names: dict[str, str] = {}
    for shortened_now in (False, True):
        group = [key for key in keys if (options[key][1][0] != options[key][0]) == shortened_now]
        wanted = [(key, options[key][1][0]) for key in group]
        claimed = scope.claim_all(
            wanted, alternatives=[tuple(options[key][1][1:]) for key in group]
        )
        names.update(zip(group, claimed, strict=True))
    return [(key, options[key][1], names[key]) for key in keys]


def member_tags(
    branches: list[Any], pointer: str, discriminator: str, resolve: Callable[[str], Any]
) -> list[str]:
    """A hint segment per member of the union at `pointer` (its `oneOf`/`anyOf` list): "" for
    members that need no class (refs, scalars) or when only one member does; else what tells the
    members apart, `Option<n>` where nothing does. `resolve(pointer)` is the schema there, a `$ref`
    followed."""
    needing = [i for i, branch in enumerate(branches) if needs_name(branch)]
    tags = [""] * len(branches)
    if len(needing) < 2:
        return tags
    strong = {
        i: _tag(branches[i], join_pointer(pointer, i), discriminator, resolve) for i in needing
    }
    weak = {i: strong[i] or _only_property(branches[i]) for i in needing}
    if all(weak.values()) and len(set(weak.values())) == len(weak):
        strong = weak  # every member named by what it holds: `FileSearch` next to `CodeInterpreter`
    counts: dict[str, int] = {}
    for tag in strong.values():
        counts[tag] = counts.get(tag, 0) + 1
    for i, tag in strong.items():
        tags[i] = tag if tag and counts[tag] == 1 else f"Option{i + 1}"
    return tags


def needs_name(raw: Any) -> bool:
    """Whether lowering this (inline) schema may create a class, so its hint matters."""
    if not isinstance(raw, dict) or "$ref" in raw:
        return False
    if raw.get("properties") or any(
        isinstance(raw.get(k), list) for k in ("allOf", "oneOf", "anyOf")
    ):
        return True
    return any(needs_name(raw.get(k)) for k in ("items", "additionalProperties"))


def _tag(
    raw: dict[str, Any], pointer: str, discriminator: str, resolve: Callable[[str], Any]
) -> str:
    properties: dict[str, Any] = (
        raw["properties"] if isinstance(raw.get("properties"), dict) else {}
    )
    for name in _tag_properties(discriminator):
        value = (
            _constant(resolve(join_pointer(pointer, "properties", name)))
            if name in properties
            else ""
        )
        if value:
            return pascal_case(value)
    title = raw.get("title")
    return pascal_case(title) if isinstance(title, str) else ""


def _only_property(raw: dict[str, Any]) -> str:
    """The one required property (else the one property) of a member, as a weaker tag."""
    properties: dict[str, Any] = (
        raw["properties"] if isinstance(raw.get("properties"), dict) else {}
    )
    required = [r for r in raw.get("required") or [] if isinstance(r, str)]
    only = required if len(required) == 1 else list(properties) if len(properties) == 1 else []
    return pascal_case(only[0]) if only else ""


def _tag_properties(discriminator: str) -> Iterable[str]:
    return (discriminator, *_TAG_PROPERTIES) if discriminator else _TAG_PROPERTIES


def _constant(raw: Any) -> str:
    """The one string value a property schema allows (`const`, or an `enum` of one), else ""."""
    if not isinstance(raw, dict):
        return ""
    if isinstance(raw.get("const"), str):
        return str(raw["const"])
    values = raw.get("enum")
    if isinstance(values, list) and len(values) == 1 and isinstance(values[0], str):
        return values[0]
    return ""
