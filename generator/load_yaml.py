"""Load layer, YAML: libyaml (PyYAML's C parser) events turned into data iteratively by
`YamlBuilder`, with positions, YAML 1.2 scalars, and located errors for duplicate keys, unsupported
tags, recursive aliases, alias bombs and over-deep nesting (see `generator.load` for why not
`yaml.safe_load`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NoReturn

import yaml

from generator.diagnostics import DiagnosticError, error, split_pointer
from generator.load_position import MAX_DEPTH, LineIndex, Position

# Alias expansion bound ("billion laughs"): nodes a consumer would see when walking the data.
MAX_EXPANDED_NODES = 5_000_000

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
_TAG = "tag:yaml.org,2002:"
# The first characters of the plain scalars `_resolve_plain` reads as anything but a string.
_NON_STRING_STARTS = frozenset("~nNtTfF0123456789+-.")
_OPENING = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_FRAMING = (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)


class _Container:
    """A mapping or sequence under construction."""

    __slots__ = ("value", "positions", "anchor", "key", "size", "merges", "explicit", "line", "col")

    def __init__(self, value: Any, anchor: str | None, line: int, col: int) -> None:
        self.value = value
        self.positions: Any = {} if isinstance(value, dict) else []
        self.anchor = anchor
        self.key: tuple[str, int, int, bool] | None = None  # mapping: key read, value pending
        self.size = 1  # nodes a full walk of this value visits, aliases expanded
        self.merges: list[tuple[Any, int, int]] = []  # `<<` values, applied at the end
        self.explicit: set[str] = set()
        self.line, self.col = line, col


class YamlBuilder:
    """libyaml events -> data, iteratively, with positions, checks and YAML 1.2 scalars."""

    def __init__(self, text: str, shown: str, first_line: int) -> None:
        self.text, self.shown, self.offset = text, shown, first_line - 1
        self.anchors: dict[str, tuple[Any, int]] = {}  # name -> (value, expanded size)
        self.open_anchors: set[str] = set()
        self.positions: dict[int, Any] = {}  # id(container) -> {key: pos} / [pos]
        self.expanded = 0

    def build(self) -> tuple[Any, Callable[[str], Position]]:
        try:
            root, root_pos = self._consume()
        except yaml.MarkedYAMLError as exc:
            self._fail_marked(exc)
        except yaml.reader.ReaderError as exc:
            index = len(self.text.encode("utf-8")[: exc.position].decode("utf-8", "ignore"))
            line, col = LineIndex(self.text, 1 + self.offset).position(index)
            self._fail(
                "yaml-syntax",
                f"invalid YAML: character U+{exc.character:04X} is not allowed here ({exc.reason})",
                line,
                col,
                "remove the character or write it as an escape in a double-quoted string",
            )
        except yaml.YAMLError as exc:
            self._fail("yaml-syntax", f"invalid YAML: {exc}", 1 + self.offset, 1, "")
        except (
            UnicodeEncodeError
        ) as exc:  # only from load_text: text read from a file has no lone surrogates
            line, col = LineIndex(self.text, 1 + self.offset).position(exc.start)
            self._fail("encoding", "a lone surrogate is not a character", line, col, "")
        return root, _TreeLocator(root, root_pos, self.positions)

    def _consume(self) -> tuple[Any, Position]:
        """The root value and its position, from libyaml's events (yaml errors propagate).

        Events are told apart by their exact class (libyaml makes no subclasses), scalars first:
        two thirds of the events, and this loop is most of the time a large spec takes to load."""
        offset = 1 + self.offset
        root_pos: Position = (offset, 1)
        root: Any = None
        stack: list[_Container] = []
        documents = 0
        # `yaml.parse` is this loop plus a generator's cost; its events are typed here (by class).
        events: Any = yaml.CSafeLoader(self.text)
        while (event := events.get_event()) is not None:
            kind = type(event)
            mark = event.start_mark  # libyaml marks every event; the stubs allow None
            line, col = (mark.line + offset, mark.column + 1) if mark else (offset, 1)
            if kind is yaml.ScalarEvent:
                value, size, pos = self._scalar(event, line, col), 1, (line, col)
                if event.anchor:
                    self.anchors[event.anchor] = (value, 1)
            elif kind in _OPENING:
                stack.append(self._open(event, len(stack), line, col))
                continue
            elif kind in _FRAMING:
                continue
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self._fail(
                        "multiple-documents",
                        "the file holds more than one YAML document",
                        line,
                        col,
                        "keep only the OpenAPI document in this file",
                    )
                continue
            else:
                value, size, pos = self._node(event, stack, line, col)
            if not stack:
                root, root_pos = value, pos
                continue
            self._add(stack[-1], value, size, pos, event)
        return root, root_pos

    def _open(self, event: Any, depth: int, line: int, col: int) -> _Container:
        """A mapping or sequence starts at `depth` (the number of containers open around it)."""
        if depth >= MAX_DEPTH:
            self._fail(
                "too-deep",
                f"the document nests deeper than {MAX_DEPTH} levels",
                line,
                col,
                "flatten the structure, e.g. move nested schemas to components",
            )
        self._check_tag(
            event.tag, "map" if isinstance(event, yaml.MappingStartEvent) else "seq", line, col
        )
        value: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
        if event.anchor:
            self.open_anchors.add(event.anchor)
        return _Container(value, event.anchor, line, col)

    def _node(
        self, event: Any, stack: list[_Container], line: int, col: int
    ) -> tuple[Any, int, Position]:
        """A complete value: (value, expanded size, position), from a container's end or an alias
        (`_consume` reads scalars itself)."""
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            done = stack.pop()
            self._apply_merges(done)
            self.positions[id(done.value)] = done.positions
            if done.anchor:
                self.open_anchors.discard(done.anchor)
                self.anchors[done.anchor] = (done.value, done.size)
            return done.value, done.size, (done.line, done.col)
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self.open_anchors:
                self._fail(
                    "yaml-recursive-alias",
                    f"alias *{event.anchor} refers to a node that contains it",
                    line,
                    col,
                    "an OpenAPI document is a tree; use $ref for recursive schemas",
                )
            if event.anchor not in self.anchors:
                self._fail(
                    "yaml-syntax", f"alias *{event.anchor} refers to no anchor", line, col, ""
                )
            value, size = self.anchors[event.anchor]
            return value, size, (line, col)
        raise AssertionError(f"unexpected YAML event {event!r}")

    def _fail_marked(self, exc: yaml.MarkedYAMLError) -> NoReturn:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1 + self.offset, mark.column + 1) if mark else (1 + self.offset, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if (
            "nesting depth" in problem
        ):  # libyaml >= 0.2.5 stops at 1,000 levels while scanning ahead
            self._fail(
                "too-deep",
                f"the document nests deeper than {MAX_DEPTH} levels",
                line,
                col,
                "flatten the structure, e.g. move nested schemas to components",
            )
        self._fail(
            "yaml-syntax",
            f"invalid YAML: {problem}",
            line,
            col,
            "fix the YAML syntax at this place (indentation, quoting, a missing colon)",
        )

    def _add(self, parent: _Container, value: Any, size: int, pos: Position, event: Any) -> None:
        parent.size += size
        self.expanded += size if isinstance(event, yaml.AliasEvent) else 1
        if self.expanded > MAX_EXPANDED_NODES:
            self._fail(
                "yaml-too-large",
                f"aliases expand the document to more than {MAX_EXPANDED_NODES:,} nodes",
                pos[0],
                pos[1],
                "this looks like an alias bomb; write the values out or use $ref",
            )
        if isinstance(parent.value, list):
            parent.value.append(value)
            parent.positions.append(pos)
            return
        if parent.key is None:  # `value` is a key
            if not isinstance(event, yaml.ScalarEvent):
                self._fail(
                    "yaml-complex-key",
                    "a mapping key must be a plain string",
                    pos[0],
                    pos[1],
                    "OpenAPI documents only use string keys",
                )
            # Keys keep their text: `200:` is the status code "200", `yes:` is "yes".
            # A plain `<<` is a merge key; a quoted one is an ordinary key.
            parent.key = (event.value, pos[0], pos[1], event.value == "<<" and not event.style)
            return
        key, line, col, is_merge = parent.key
        parent.key = None
        if is_merge:
            parent.merges.append((value, line, col))
            return
        if key in parent.explicit:
            first = parent.positions[key]
            self._fail(
                "yaml-duplicate-key",
                f"duplicate key {key!r} (first defined on line {first[0]})",
                line,
                col,
                "remove one of the two entries; YAML parsers disagree on which one wins",
            )
        parent.explicit.add(key)
        parent.value[key] = value
        parent.positions[key] = (line, col)

    def _apply_merges(self, done: _Container) -> None:
        """`<<: *base` / `<<: [*a, *b]`: explicit keys win, then earlier merged mappings."""
        for value, line, col in done.merges:
            sources = value if isinstance(value, list) else [value]
            for source in sources:
                if not isinstance(source, dict):
                    self._fail(
                        "yaml-merge",
                        "a `<<` merge takes a mapping or a list of mappings",
                        line,
                        col,
                        "",
                    )
                source_positions = self.positions.get(id(source), {})
                for key, item in source.items():
                    if key not in done.value:
                        done.value[key] = item
                        done.positions[key] = source_positions.get(key, (line, col))

    def _scalar(self, event: Any, line: int, col: int) -> Any:
        tag, text = event.tag, event.value
        if tag is None or tag == "!":
            return _resolve_plain(text) if (event.implicit[0] and tag is None) else text
        name = tag[len(_TAG) :] if tag.startswith(_TAG) else None
        if name == "str":
            return text
        if name in ("int", "float", "bool", "null"):
            value = _resolve_plain(text)
            kinds: dict[str, type | tuple[type, ...]] = {
                "int": int,
                "float": (int, float),
                "bool": bool,
                "null": type(None),
            }
            expected = kinds[name]
            valid = isinstance(value, expected) and not (name != "bool" and isinstance(value, bool))
            if valid:
                return float(value) if name == "float" else value
            self._fail("yaml-bad-tag", f"{text!r} is not a valid !!{name}", line, col, "")
        self._fail(
            "yaml-unsupported-tag",
            f"the YAML tag {tag} has no JSON equivalent",
            line,
            col,
            "OpenAPI documents hold only JSON values: remove the tag or quote the value",
        )
        raise AssertionError("unreachable")

    def _check_tag(self, tag: str | None, kind: str, line: int, col: int) -> None:
        if tag not in (None, "!", _TAG + kind):
            self._fail(
                "yaml-unsupported-tag",
                f"the YAML tag {tag} has no JSON equivalent",
                line,
                col,
                "OpenAPI documents hold only JSON values: remove the tag",
            )

    def _fail(self, code: str, message: str, line: int, col: int, hint: str) -> NoReturn:
        raise DiagnosticError([error(code, message, self.shown, line, col, hint=hint)])


def _resolve_plain(text: str) -> Any:
    if text and text[0] not in _NON_STRING_STARTS:
        return text  # no null, bool, int, float, inf or nan starts so: most scalars
    return _resolve_other(text)


def _resolve_other(text: str) -> Any:
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    try:
        if _INT10.match(text):
            return int(text)
        if _INT8.match(text):
            return int(text[2:], 8)
        if _INT16.match(text):
            return int(text[2:], 16)
    except ValueError:  # more digits than int() accepts: keep the text rather than crash
        return text
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


class _TreeLocator:
    """Walks the data along a pointer, reading positions kept per container (by identity)."""

    def __init__(self, root: Any, root_pos: Position, positions: dict[int, Any]) -> None:
        self.root, self.root_pos, self.positions = root, root_pos, positions

    def __call__(self, pointer: str) -> Position:
        node, pos = self.root, self.root_pos
        for token in split_pointer(pointer):
            positions = self.positions.get(id(node))
            if isinstance(node, dict) and token in node:
                key: Any = token
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                key = int(token)
            else:
                break
            pos = self._position(positions, key) or pos
            node = node[key]
        return pos

    @staticmethod
    def _position(positions: Any, key: Any) -> Position | None:
        if isinstance(positions, dict):
            return positions.get(key)
        if isinstance(positions, list) and isinstance(key, int) and key < len(positions):
            return positions[key]  # type: ignore[no-any-return]
        return None
