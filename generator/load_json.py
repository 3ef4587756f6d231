"""Load layer, JSON: `json.loads` with duplicate keys, NaN/Infinity and over-deep nesting refused
as located errors, and positions found by a lazy token scan (most documents never need one)."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from generator.diagnostics import DiagnosticError, error, escape_pointer_token
from generator.load_position import MAX_DEPTH, LineIndex, Position


def load_json(text: str, shown: str, first_line: int) -> tuple[Any, Callable[[str], Position]]:
    lines = LineIndex(text, first_line)
    recursed = False
    try:
        data = json.loads(text, object_pairs_hook=_unique_pairs, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        # "Unterminated string starting at": the position follows in the diagnostic, not in the text
        message = f"invalid JSON: {exc.msg.removesuffix(' at')}"
        _fail(
            "json-syntax",
            message,
            shown,
            lines.position(exc.pos),
            "fix the JSON syntax at this place",
        )
    except _DuplicateKey as exc:
        where = _JsonLocator(text, lines).duplicate(exc.key)
        _fail(
            "json-duplicate-key",
            f"duplicate key {exc.key!r}",
            shown,
            where,
            "remove one of the two entries",
        )
    except (
        RecursionError
    ):  # nesting deeper than the interpreter allows: MAX_DEPTH is far below that
        data, recursed = None, True
    except ValueError as exc:  # NaN/Infinity, or an integer longer than int() accepts
        _fail(
            "json-syntax",
            f"invalid JSON: {exc}",
            shown,
            lines.position(_json_bad_literal(text)),
            "",
        )
    too_deep = _json_too_deep(text)
    if too_deep is not None or recursed:
        message = f"the document nests deeper than {MAX_DEPTH} levels"
        hint = "flatten the structure, e.g. move nested schemas to components"
        _fail("too-deep", message, shown, lines.position(too_deep or 0), hint)
    return data, _JsonLocator(text, lines)


def _fail(code: str, message: str, shown: str, where: Position, hint: str) -> NoReturn:
    raise DiagnosticError([error(code, message, shown, where[0], where[1], hint=hint)]) from None


def _unique_pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in items:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.DOTALL)


def _json_bad_literal(text: str) -> int:
    """Offset of the first bare token json.loads refuses with a ValueError (0 if none is found)."""
    limit = sys.get_int_max_str_digits()
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in ("NaN", "Infinity", "-Infinity"):
            return match.start()
        if limit and re.fullmatch(r"-?[0-9]+", token) and len(token.lstrip("-")) > limit:
            return match.start()
    return 0


def _json_too_deep(text: str) -> int | None:
    """Offset of the first bracket that opens a level deeper than MAX_DEPTH."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "{[":
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
        elif token in "}]":
            depth -= 1
    return None


class _JsonLocator:
    """Positions for JSON, computed on first use: most documents never need one."""

    def __init__(self, text: str, lines: LineIndex) -> None:
        self.text, self.lines = text, lines
        self._map: dict[str, int] | None = None
        self._duplicate: dict[str, int] = {}

    def __call__(self, pointer: str) -> Position:
        positions = self._positions()
        while pointer not in positions and pointer:
            pointer = pointer.rsplit("/", 1)[0]
        return self.lines.position(positions.get(pointer, 0))

    def duplicate(self, key: str) -> Position:
        self._positions()
        return self.lines.position(self._duplicate.get(key, 0))

    def _positions(self) -> dict[str, int]:
        if self._map is None:
            self._map = self._scan()
        return self._map

    def _scan(self) -> dict[str, int]:
        """pointer -> offset of the key (object members) or value (array items)."""
        positions: dict[str, int] = {}
        stack: list[list[Any]] = []  # [pointer, kind, next index or pending key, keys seen]
        first_value = True
        for match in _JSON_TOKEN.finditer(self.text):
            token, start = match.group(), match.start()
            top = stack[-1] if stack else None
            if token in ",:":
                continue
            if token in "}]":
                stack.pop()
                continue
            if top is not None and top[1] == "{" and top[2] is None:  # a member key
                key = json.loads(token) if token.startswith('"') else token
                if key in top[3]:
                    self._duplicate.setdefault(key, start)
                top[3].add(key)
                top[2] = key
                positions[top[0] + "/" + escape_pointer_token(key)] = start
                continue
            if top is None:
                pointer = ""
                if first_value:
                    positions[""] = start
                    first_value = False
            elif top[1] == "{":
                pointer, top[2] = top[0] + "/" + escape_pointer_token(top[2]), None
            else:
                pointer = top[0] + "/" + str(top[2])
                positions[pointer] = start
                top[2] += 1
            if token in "{[":
                stack.append([pointer, token, None if token == "{" else 0, set()])
        return positions
