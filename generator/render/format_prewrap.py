"""Lay out the few line shapes clientgen renders the way black would, before black sees them.

Black formats in two passes whenever its first pass changes anything, and a pass costs the same on any
text, so output that black leaves alone costs half. Templates cannot know where a line gets too long (it
depends on spec names), so this module splits the statements the generator produces — annotated fields and
parameters, `Field(...)` calls, `Literal[...]` lists, unions, class headers, returns, imports — exactly as
black's right-hand split does, and adds the blank line black puts after a class docstring.

It only ever speeds things up: anything it does not recognise (non-ASCII, comments, other shapes) is left
as it is, and `format.py` keeps this text only when black's single pass leaves it unchanged, else it
formats the original text in black's usual two passes. What this cannot catch itself is a split black would
not make at all (a trailing comma it adds would keep black from joining the lines again); tests compare
the result with black on whole files, the Stripe spec included.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

LIMIT = 100
_TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|([A-Za-z_][A-Za-z_0-9.]*|-?[0-9][0-9.e+-]*)|(.))')
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_ANNOTATED = re.compile(r"(?P<name>[A-Za-z_]\w*): (?P<rest>.+)")
_BRACKET = re.compile(r"[()\[\]{}]")
_OPEN_CALL = re.compile(r"[A-Za-z_]\w*: [\w\[\], |.]+ = [A-Za-z_]\w*\(")
_DICT_ENTRY = re.compile(r'(?P<key>"[^"\\]*"): (?P<value>.+),')
_DEF_OPEN = re.compile(r"\s*(?:async )?def \w+\($")
_IMPORT = re.compile(r"from [\w.]+ import (\w+(?:, \w+)*)")


class _Decline(Exception):
    """A shape this module does not lay out; black does it."""


@dataclass
class _Group:
    """`head[items]`, `head(items)` or a bare `(items)`; head may be empty."""

    head: str
    open: str
    items: list[_Node]

    def flat(self) -> str:
        return self.head + self.open + ", ".join(i.flat() for i in self.items) + _CLOSE[self.open]


@dataclass
class _Atom:
    text: str

    def flat(self) -> str:
        return self.text


@dataclass
class _Union:
    operands: list[_Node]

    def flat(self) -> str:
        return " | ".join(o.flat() for o in self.operands)


@dataclass
class _Keyword:
    name: str
    value: _Node

    def flat(self) -> str:
        return f"{self.name}={self.value.flat()}"


_Node = _Group | _Atom | _Union | _Keyword
_CLOSE = {"(": ")", "[": "]"}


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        while pos < len(text):
            match = _TOKEN.match(text, pos)
            if match is None or match.end() == pos:
                raise _Decline
            string, word, op = match.groups()
            if string is not None:
                self.tokens.append(("atom", string))
            elif word is not None:
                self.tokens.append(("atom", word))
            elif op is not None and op in "()[],|=":
                self.tokens.append(("op", op))
            elif op is not None:
                raise _Decline  # *, +, {, :, ... : not a shape laid out here
            pos = match.end()
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise _Decline
        self.pos += 1
        return self.tokens[self.pos - 1]

    def expression(self) -> _Node:
        operands = [self.postfix()]
        while self.peek() == "|":
            self.take()
            operands.append(self.postfix())
        return operands[0] if len(operands) == 1 else _Union(operands)

    def postfix(self) -> _Node:
        kind, text = self.take()
        if kind == "op" and text in "([":
            node: _Node = _Group("", text, self.items(_CLOSE[text]))
        elif kind == "atom":
            node = _Atom(text)
        else:
            raise _Decline
        while self.peek() in ("(", "["):
            if isinstance(node, _Group) and not node.head:
                raise _Decline
            opener = self.take()[1]
            node = _Group(node.flat(), opener, self.items(_CLOSE[opener]))
        return node

    def items(self, close: str) -> list[_Node]:
        items: list[_Node] = []
        while self.peek() != close:
            if self.pos + 1 < len(self.tokens) and self.tokens[self.pos + 1] == ("op", "=") and self.tokens[self.pos][0] == "atom":
                name = self.take()[1]
                self.take()
                items.append(_Keyword(name, self.expression()))
            else:
                items.append(self.expression())
            if self.peek() == ",":
                self.take()
                if self.peek() == close:
                    raise _Decline  # a magic trailing comma: black's call
            elif self.peek() != close:
                raise _Decline
        self.take()
        return items

    def done(self) -> bool:
        return self.pos == len(self.tokens)


def _parse(text: str) -> _Node:
    parser = _Parser(text)
    node = parser.expression()
    if not parser.done():
        raise _Decline
    return node


def _fits(line: str) -> bool:
    return len(line) <= LIMIT


def _lay(indent: str, prefix: str, node: _Node, suffix: str, long_head: bool = False) -> list[str]:
    """Black's right-hand split of `prefix + node + suffix` at `indent`, where node's last bracket ends the
    expression (a trailing keyword value is laid out through its value). Black splits at real brackets
    even when a part stays too long; a name or string that is too long stays as it is."""
    flat = indent + prefix + node.flat() + suffix
    if _fits(flat) or (isinstance(node, _Atom) and not prefix.strip("| ")):
        return [flat]
    if isinstance(node, _Keyword):
        return _lay(indent, prefix + node.name + "=", node.value, suffix)
    if not isinstance(node, _Group) or not node.items:
        raise _Decline
    head = indent + prefix + node.head + node.open
    if not _fits(head) and not long_head:
        raise _Decline
    return [head, *_body(indent + "    ", node.items), indent + _CLOSE[node.open] + suffix]


def _body(indent: str, items: list[_Node]) -> list[str]:
    joined = indent + ", ".join(i.flat() for i in items)
    if _fits(joined):
        return [joined]
    if len(items) == 1:
        return _lay_inner(indent, items[0], "")
    return [line for item in items for line in _lay_inner(indent, item, ",")]


def _lay_inner(indent: str, node: _Node, suffix: str) -> list[str]:
    """A line of its own inside brackets: a union splits before each `|` (black's delimiter split)."""
    if isinstance(node, _Union) and not _fits(indent + node.flat() + suffix):
        if suffix:
            raise _Decline
        return [line for i, o in enumerate(node.operands) for line in _lay(indent, "| " if i else "", o, "")]
    return _lay(indent, "", node, suffix)


def _annotated(indent: str, name: str, rest: str, in_def: bool) -> list[str]:
    """`name: annotation[ = value]` as a statement, or `name: annotation[ = default],` as a parameter."""
    suffix = ""
    if in_def:
        if not rest.endswith(","):
            raise _Decline
        rest, suffix = rest[:-1], ","
    annotation_text, eq, value_text = rest.partition(" = ")
    annotation = _parse(annotation_text)
    value = _parse(value_text) if eq else None
    head = f"{name}: "
    inner = indent + "    "
    if value is not None and not in_def:
        if isinstance(value, _Group) and _fits(f"{indent}{head}{annotation.flat()} = {value.head}{value.open}"):
            return _lay(indent, f"{head}{annotation.flat()} = ", value, suffix)
        if _fits(f"{indent}{head}{annotation.flat()} = ("):
            # The value goes into parentheses of its own when the annotation keeps to the first line.
            return [f"{indent}{head}{annotation.flat()} = (", *_lay_inner(inner, value, ""), f"{indent}){suffix}"]
    if value is not None and not isinstance(value, _Atom):
        raise _Decline
    tail = f" = {value.flat()}{suffix}" if value is not None else suffix
    if isinstance(annotation, _Atom):
        if not _fits(inner + annotation.flat()):
            raise _Decline
        return [f"{indent}{head}(", inner + annotation.flat(), f"{indent}){tail}"]
    if isinstance(annotation, _Union):
        if _fits(inner + annotation.flat()):
            body = [inner + annotation.flat()]
        else:
            body = [line for i, o in enumerate(annotation.operands) for line in _lay(inner, "| " if i else "", o, "")]
        return [f"{indent}{head}(", *body, f"{indent}){tail}"]
    if isinstance(annotation, _Group):
        return _lay(indent, head, annotation, tail)
    raise _Decline


def _statement(line: str, in_def: bool) -> list[str]:
    indent = line[: len(line) - len(line.lstrip(" "))]
    code = line[len(indent) :]
    entry = _DICT_ENTRY.fullmatch(code)
    if entry is not None:
        node = _parse(entry["value"])
        if not isinstance(node, _Group):
            raise _Decline
        return _lay(indent, entry["key"] + ": ", node, ",")
    if in_def:
        match = _ANNOTATED.fullmatch(code)
        if match is None:
            raise _Decline
        return _annotated(indent, match["name"], match["rest"], True)
    if code.startswith("class ") and code.endswith(":"):
        node = _parse(code[len("class ") : -1])
        if not isinstance(node, _Group) or node.open != "(":
            raise _Decline
        return _lay(indent, "class ", node, ":", long_head=True)
    if code.startswith("return "):
        prefix = "return await " if code.startswith("return await ") else "return "
        node = _parse(code[len(prefix) :])
        if not isinstance(node, _Group):
            raise _Decline
        return _lay(indent, prefix, node, "")
    imported = _IMPORT.fullmatch(code)
    if imported:
        return [f"{indent}{code[: code.index(' import ') + 8]}(", *(f"{indent}    {n}," for n in imported[1].split(", ")), f"{indent})"]
    match = _ANNOTATED.fullmatch(code)
    if match is None or keyword.iskeyword(match["name"]):  # `else: ...` and the like are not fields
        raise _Decline
    return _annotated(indent, match["name"], match["rest"], False)


def _brackets(line: str) -> str:
    """The line's brackets in order, outside strings and comments."""
    return "".join(_BRACKET.findall(_STRING.sub("", line).split("#", 1)[0])) if "#" in line or '"' in line or "'" in line else "".join(_BRACKET.findall(line))


def _balanced(brackets: str) -> bool:
    depth = 0
    for bracket in brackets:
        depth += 1 if bracket in "([{" else -1
        if depth < 0:
            return False
    return depth == 0


def prewrap(text: str) -> str:
    """`text` with the long lines it recognises split as black splits them (see the module docstring)."""
    out: list[str] = []
    stack: list[bool] = []  # per open bracket: is it a `def`'s parameter list?
    in_doc = False
    class_doc = False  # the docstring being read belongs to a class
    class_line = False  # the previous statement was a class header: a docstring now is the class's
    docstring_ended = False  # a class docstring just ended: black puts one blank line after it
    pending: list[str] | None = None  # a multi-line assignment being read (see _parenthesized)
    for line in text.split("\n"):
        if in_doc:
            out.append(line)
            if '"""' in line:
                in_doc, docstring_ended = False, class_doc
            continue
        stripped = line.lstrip(" ")
        if docstring_ended and stripped:
            out.append("")
        docstring_ended = False
        if not stack and stripped.startswith('"""'):
            out.append(line)
            class_doc, class_line = class_line, False
            if stripped.find('"""', 3) == -1:
                in_doc = True
            else:
                docstring_ended = class_doc
            continue
        if stripped:
            class_line = not stack and stripped.startswith("class ") and stripped.endswith(":")
        brackets = _brackets(line)
        in_def = bool(stack) and stack[-1]
        if pending is not None:
            pending.append(line)
            if _depth(stack, brackets) == 0:
                out.extend(_parenthesized(pending))
                pending = None
            _track(stack, brackets, line)
            continue
        if len(line) > LIMIT and not stack and _OPEN_CALL.fullmatch(line) and line.isascii():
            pending = [line]
            _track(stack, brackets, line)
            continue
        if len(line) > LIMIT and line.isascii() and _balanced(brackets) and (not stack or in_def or _DICT_ENTRY.fullmatch(stripped)):
            try:
                out.extend(_statement(line, in_def))
                continue
            except _Decline:
                pass
        out.append(line)
        _track(stack, brackets, line)
    if pending is not None:
        out.extend(pending)
    return "\n".join(out)


def _track(stack: list[bool], brackets: str, line: str) -> None:
    for i, bracket in enumerate(brackets):
        if bracket in "([{":
            stack.append(i == len(brackets) - 1 and bool(_DEF_OPEN.match(line)))
        elif stack:
            stack.pop()


def _depth(stack: list[bool], brackets: str) -> int:
    return len(stack) + sum(1 if b in "([{" else -1 for b in brackets)


def _parenthesized(lines: list[str]) -> list[str]:
    """`NAME: T = Call(` ... `)` whose first line is too long: black moves the call into parentheses of
    its own, one level deeper, when the assignment then fits (and every moved line still fits)."""
    return [out for line in _parenthesized_statement(lines) for out in _entry(line)]


def _entry(line: str) -> list[str]:
    """A long dict entry inside a statement that was read whole."""
    if _fits(line) or not line.isascii() or not _DICT_ENTRY.fullmatch(line.lstrip(" ")):
        return [line]
    try:
        return _statement(line, False)
    except _Decline:
        return [line]


def _parenthesized_statement(lines: list[str]) -> list[str]:
    first = lines[0]
    cut = first.rindex(" = ") + 3
    opened = first[:cut] + "("
    if lines[-1] != ")":
        return lines
    if not _fits(opened):
        # Then black splits the annotation's subscript instead and leaves the call where it is.
        target, _, rest = first[:cut].partition(": ")
        annotation = rest[:-3]
        if not annotation.endswith("]") or "[" not in annotation:
            return lines
        head, _, inner = annotation[:-1].partition("[")
        if "[" in head or not _fits(f"{target}: {head}[") or not _fits("    " + inner) or not _fits("] = " + first[cut:]):
            return lines
        return [f"{target}: {head}[", "    " + inner, "] = " + first[cut:], *lines[1:]]
    moved = ["    " + line if line else line for line in [first[cut:], *lines[1:]]]
    if not all(_fits(line) or _DICT_ENTRY.fullmatch(line.lstrip(" ")) for line in moved):
        return lines
    return [opened, *moved, ")"]
