"""Lay out the few line shapes clientgen renders the way black would, before black sees them.

Black formats in two passes whenever its first pass changes anything, and a pass costs the same on
any text, so output that black leaves alone costs half. Templates cannot know where a line gets too
long (it depends on spec names), so this module splits the statements the generator produces —
annotated fields and parameters, `Field(...)` calls, `Literal[...]` lists, unions, class headers,
returns, imports — exactly as black's right-hand split does, and adds the blank line black puts
after a class docstring.

It only ever speeds things up: anything it does not recognise (non-ASCII, comments, other shapes) is
left as it is, and `format.py` keeps this text only when black's single pass leaves it unchanged,
else it formats the original text in black's usual two passes. What this cannot catch itself is a
split black would not make at all (a trailing comma it adds would keep black from joining the lines
again); tests compare the result with black on whole files, the Stripe spec included.
"""

from __future__ import annotations

import keyword
import re

from generator.format.expr import CLOSE, Atom, Decline, Group, Keyword, Node, Union, parse

LIMIT = 100
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_ANNOTATED = re.compile(r"(?P<name>[A-Za-z_]\w*): (?P<rest>.+)")
_BRACKET = re.compile(r"[()\[\]{}]")
_OPEN_CALL = re.compile(r"[A-Za-z_]\w*: [\w\[\], |.]+ = [A-Za-z_]\w*\(")
_DICT_ENTRY = re.compile(r'(?P<key>"[^"\\]*"): (?P<value>.+),')
_DEF_OPEN = re.compile(r"\s*(?:async )?def \w+\($")
_IMPORT = re.compile(r"from [\w.]+ import (\w+(?:, \w+)*)")
_ASSIGNED = re.compile(r"(?P<name>[A-Za-z_]\w*) = (?P<value>.+)")
_RETURNS = ") -> "


def _fits(line: str) -> bool:
    return len(line) <= LIMIT


def _lay(indent: str, prefix: str, node: Node, suffix: str, long_head: bool = False) -> list[str]:
    """Black's right-hand split of `prefix + node + suffix` at `indent`, where node's last
    bracket ends the expression (a trailing keyword value is laid out through its value). Black
    splits at real brackets even when a part stays too long; a name or string that is too long
    stays as it is."""
    flat = indent + prefix + node.flat() + suffix
    if _fits(flat) or (isinstance(node, Atom) and not prefix.strip("| ")):
        return [flat]
    if isinstance(node, Keyword):
        return _lay(indent, prefix + node.name + "=", node.value, suffix)
    if not isinstance(node, Group) or not node.items:
        raise Decline
    head = indent + prefix + node.head + node.open
    if not _fits(head) and not long_head:
        raise Decline
    return [head, *_body(indent + "    ", node.items), indent + CLOSE[node.open] + suffix]


def _body(indent: str, items: list[Node]) -> list[str]:
    joined = indent + ", ".join(i.flat() for i in items)
    if _fits(joined):
        return [joined]
    if len(items) == 1:
        return _lay_inner(indent, items[0], "")
    return [line for item in items for line in _lay_inner(indent, item, ",")]


def _lay_inner(indent: str, node: Node, suffix: str) -> list[str]:
    """A line of its own inside brackets: a union splits before each `|` (black's delimiter
    split)."""
    if isinstance(node, Union) and not _fits(indent + node.flat() + suffix):
        if suffix:
            raise Decline
        return [
            line
            for i, o in enumerate(node.operands)
            for line in _lay(indent, "| " if i else "", o, "")
        ]
    return _lay(indent, "", node, suffix)


def _annotated(indent: str, name: str, rest: str, in_def: bool) -> list[str]:
    """`name: annotation[ = value]` as a statement, or `name: annotation[ = default],` as a
    parameter."""
    suffix = ""
    if in_def:
        if not rest.endswith(","):
            raise Decline
        rest, suffix = rest[:-1], ","
    annotation_text, eq, value_text = rest.partition(" = ")
    annotation = parse(annotation_text)
    value = parse(value_text) if eq else None
    head = f"{name}: "
    if value is not None and not in_def:
        assigned = _value_split(indent, f"{head}{annotation.flat()} = ", value, suffix)
        if assigned is not None:
            return assigned
    if value is not None and not isinstance(value, Atom):
        raise Decline
    tail = f" = {value.flat()}{suffix}" if value is not None else suffix
    return _annotation_split(indent, head, annotation, tail)


def _value_split(indent: str, head: str, value: Node, suffix: str) -> list[str] | None:
    """`head` (name, annotation, ` = `) kept on the first line and the value split after it, or
    None when that line would be too long."""
    if isinstance(value, Group) and _fits(f"{indent}{head}{value.head}{value.open}"):
        return _lay(indent, head, value, suffix)
    if _fits(f"{indent}{head}("):
        # The value goes into parentheses of its own when the annotation keeps to the first line.
        return [f"{indent}{head}(", *_lay_inner(indent + "    ", value, ""), f"{indent}){suffix}"]
    return None


def _annotation_split(indent: str, head: str, annotation: Node, tail: str) -> list[str]:
    """`head` (the name and `: `) then the annotation split, then `tail` (` = value`, a comma)."""
    inner = indent + "    "
    if isinstance(annotation, Atom):
        if not _fits(inner + annotation.flat()):
            raise Decline
        return [f"{indent}{head}(", inner + annotation.flat(), f"{indent}){tail}"]
    if isinstance(annotation, Union):
        if _fits(inner + annotation.flat()):
            body = [inner + annotation.flat()]
        else:
            body = [
                line
                for i, o in enumerate(annotation.operands)
                for line in _lay(inner, "| " if i else "", o, "")
            ]
        return [f"{indent}{head}(", *body, f"{indent}){tail}"]
    if isinstance(annotation, Group):
        return _lay(indent, head, annotation, tail)
    raise Decline


def _statement(line: str, in_def: bool) -> list[str]:
    indent = line[: len(line) - len(line.lstrip(" "))]
    code = line[len(indent) :]
    entry = _DICT_ENTRY.fullmatch(code)
    if entry is not None:
        node = parse(entry["value"])
        if not isinstance(node, Group):
            raise Decline
        return _lay(indent, entry["key"] + ": ", node, ",")
    if in_def:
        match = _ANNOTATED.fullmatch(code)
        if match is None:
            raise Decline
        return _annotated(indent, match["name"], match["rest"], True)
    keyword_led = _keyword_statement(indent, code)
    if keyword_led is not None:
        return keyword_led
    assigned = None if indent else _ASSIGNED.fullmatch(code)
    if assigned is not None:  # a module constant such as `_LIST_PAGING = Paging(...)`
        node = parse(assigned["value"])
        if not isinstance(node, Group):
            raise Decline
        return _lay(indent, assigned["name"] + " = ", node, "")
    match = _ANNOTATED.fullmatch(code)
    if match is None or keyword.iskeyword(match["name"]):  # `else: ...` and the like are not fields
        raise Decline
    return _annotated(indent, match["name"], match["rest"], False)


def _keyword_statement(indent: str, code: str) -> list[str] | None:
    """A `class`, `return` or `from ... import` statement split, or None for any other statement."""
    if code.startswith("class ") and code.endswith(":"):
        node = parse(code[len("class ") : -1])
        if not isinstance(node, Group) or node.open != "(":
            raise Decline
        return _lay(indent, "class ", node, ":", long_head=True)
    if code.startswith("return "):
        prefix = "return await " if code.startswith("return await ") else "return "
        node = parse(code[len(prefix) :])
        if not isinstance(node, Group):
            raise Decline
        return _lay(indent, prefix, node, "")
    imported = _IMPORT.fullmatch(code)
    if imported:
        names = [f"{indent}    {name}," for name in imported[1].split(", ")]
        return [f"{indent}{code[: code.index(' import ') + 8]}(", *names, f"{indent})"]
    return None


def _brackets(line: str) -> str:
    """The line's brackets in order, outside strings and comments."""
    return (
        "".join(_BRACKET.findall(_STRING.sub("", line).split("#", 1)[0]))
        if "#" in line or '"' in line or "'" in line
        else "".join(_BRACKET.findall(line))
    )


def _balanced(brackets: str) -> bool:
    depth = 0
    for bracket in brackets:
        depth += 1 if bracket in "([{" else -1
        if depth < 0:
            return False
    return depth == 0


def prewrap(text: str) -> str:
    """`text` with the long lines it recognises split as black splits them (see the module
    docstring)."""
    reader = _Reader()
    for line in text.split("\n"):
        reader.read(line)
    return reader.text()


class _Reader:
    """prewrap's state while it reads the text line by line."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.stack: list[bool] = []  # per open bracket: is it a `def`'s parameter list?
        self.in_doc = False
        self.class_doc = False  # the docstring being read belongs to a class
        self.class_line = (
            False  # the previous statement was a class header: a docstring is the class's
        )
        self.docstring_ended = (
            False  # a class docstring just ended: black puts a blank line after it
        )
        self.pending: list[str] | None = None  # a multi-line assignment being read (_parenthesized)

    def read(self, line: str) -> None:
        if self.in_doc:
            self.out.append(line)
            if '"""' in line:
                self.in_doc, self.docstring_ended = False, self.class_doc
            return
        stripped = line.lstrip(" ")
        if self.docstring_ended and stripped:
            self.out.append("")
        self.docstring_ended = False
        if not self.stack and stripped.startswith('"""'):
            self._docstring_start(line, stripped)
            return
        if stripped:
            self.class_line = (
                not self.stack and stripped.startswith("class ") and stripped.endswith(":")
            )
        self._code(line, stripped)

    def _docstring_start(self, line: str, stripped: str) -> None:
        self.out.append(line)
        self.class_doc, self.class_line = self.class_line, False
        if stripped.find('"""', 3) == -1:
            self.in_doc = True
        else:
            self.docstring_ended = self.class_doc

    def _code(self, line: str, stripped: str) -> None:
        brackets = _brackets(line)
        if self.pending is not None:
            self.pending.append(line)
            if _depth(self.stack, brackets) == 0:
                self.out.extend(_parenthesized(self.pending))
                self.pending = None
        elif len(line) > LIMIT and not self.stack and _OPEN_CALL.fullmatch(line) and line.isascii():
            self.pending = [line]
        elif self._returns(line, stripped):
            pass  # the line closed the `def`'s parameters: tracked below like any line
        elif self._split(line, stripped, brackets):
            return  # a split statement is balanced: the bracket stack stays as it is
        else:
            self.out.append(line)
        _track(self.stack, brackets, line)

    def _split(self, line: str, stripped: str, brackets: str) -> bool:
        """Whether the line was a long statement written out split."""
        in_def = bool(self.stack) and self.stack[-1]
        if not (len(line) > LIMIT and line.isascii() and _balanced(brackets)):
            return False
        if self.stack and not in_def and not _DICT_ENTRY.fullmatch(stripped):
            return False
        try:
            self.out.extend(_statement(line, in_def))
        except Decline:
            return False
        return True

    def _returns(self, line: str, stripped: str) -> bool:
        """Whether the line was a long `) -> Annotation:` ending a `def`'s parameters, written out
        split (black splits the annotation's last bracket)."""
        if not (len(line) > LIMIT and self.stack and self.stack[-1] and line.isascii()):
            return False
        if not (stripped.startswith(_RETURNS) and stripped.endswith(":")):
            return False
        indent = line[: len(line) - len(stripped)]
        try:
            node = parse(stripped[len(_RETURNS) : -1])
            if not isinstance(node, Group):
                raise Decline
            self.out.extend(_lay(indent, _RETURNS, node, ":"))
        except Decline:
            return False
        return True

    def text(self) -> str:
        return "\n".join(self.out + (self.pending or []))


def _track(stack: list[bool], brackets: str, line: str) -> None:
    for i, bracket in enumerate(brackets):
        if bracket in "([{":
            stack.append(i == len(brackets) - 1 and bool(_DEF_OPEN.match(line)))
        elif stack:
            stack.pop()


def _depth(stack: list[bool], brackets: str) -> int:
    return len(stack) + sum(1 if b in "([{" else -1 for b in brackets)


def _parenthesized(lines: list[str]) -> list[str]:
    """`NAME: T = Call(` ... `)` whose first line is too long: black moves the call into
    parentheses of its own, one level deeper, when the assignment then fits (and every moved line
    still fits)."""
    return [out for line in _parenthesized_statement(lines) for out in _entry(line)]


def _entry(line: str) -> list[str]:
    """A long dict entry inside a statement that was read whole."""
    if _fits(line) or not line.isascii() or not _DICT_ENTRY.fullmatch(line.lstrip(" ")):
        return [line]
    try:
        return _statement(line, False)
    except Decline:
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
        if (
            "[" in head
            or not _fits(f"{target}: {head}[")
            or not _fits("    " + inner)
            or not _fits("] = " + first[cut:])
        ):
            return lines
        return [f"{target}: {head}[", "    " + inner, "] = " + first[cut:], *lines[1:]]
    moved = ["    " + line if line else line for line in [first[cut:], *lines[1:]]]
    if not all(_fits(line) or _DICT_ENTRY.fullmatch(line.lstrip(" ")) for line in moved):
        return lines
    return [opened, *moved, ")"]
