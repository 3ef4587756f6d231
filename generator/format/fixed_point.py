"""Pieces of generated code that black would leave exactly as they are, recognised without black.

Black spends most of a cold build of a large spec confirming that text is already its own output
(prewrap lays out nearly every line as black would). This module proves that for the plain shapes
the templates render most, so those pieces skip black. It accepts a piece only when every rule
black applies to it is decided here, and declines (black formats the piece) on anything else:

- Code is made of names, plain strings (no backslash, no prefix, double quotes unless the text has
  a double quote), decimal numbers and the operators `( ) [ ] { } , : = | -> * @ -`; keywords are
  limited to `class`, `def`, `async`, `await`, `return`, `pass`, `None`, `True`, `False`. No
  comments, no backslash continuations, no tabs.
- Spacing between tokens is black's for those tokens (`_space`), every line fits in 100 columns
  (counting a non-ASCII character as two) and ends without spaces.
- A bracket spans lines only when black must explode it: its opener ends a line, each item sits on
  its own line one level deeper and the last item ends with a comma (a magic trailing comma;
  black ignores the comma of a one-tuple or of a one-item subscript, so those need two items).
  Any other bracket opens and closes on one line, and a bare `(...)` there is a tuple (black
  would drop redundant parentheses); a comma before a closer on one line is only a one-tuple's.
- A piece is a simple statement, or a `class`/`def` header (with decorators) and a body of simple
  statements and strings one level deeper. A string statement is a triple-quoted plain string;
  the first one in a body is a docstring, which must be what black's docstring rules make of it.
  The only blank line is the one black puts after a class docstring.

Tests compare this module's verdicts with black on every piece of the bundled specs, the golden
cases, Stripe and OpenAI; a piece it accepts must be black's output for itself.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

LIMIT = 100
_KEYWORDS = frozenset({"class", "def", "async", "await", "return", "pass", "None", "True", "False"})
_ATOM_KEYWORDS = frozenset({"None", "True", "False"})
_LEADING_KEYWORDS = frozenset({"class", "def", "async", "await", "return"})  # a word follows them
_FORBIDDEN_NAMES = frozenset([*keyword.kwlist, *keyword.softkwlist]) - _KEYWORDS - {"type", "_"}
_AFTER_MINUS = frozenset({"(", "[", "{", ",", "=", ":", "|", "->", "return"})  # a unary minus
_TOKEN = re.compile(
    r"""(?P<space>\ +)
    |(?P<string>"[^"\\\n]*"|'[^'\\\n]*"[^'\\\n]*')
    |(?P<number>-?\d+(?:\.\d+)?(?![\w.]))
    |(?P<name>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)
    |(?P<op>->|[()\[\]{},:=|*@])""",
    re.X,
)
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = frozenset(_OPENERS.values())
_DOC = '"""'


class _Decline(Exception):
    """Not a shape decided here: black formats the piece."""


@dataclass
class _Bracket:
    kind: str  # call, def, sub, tuple, list, dict
    exploded: bool  # the opener ends its line
    items: int = 0  # items started so far
    fresh: bool = True  # the next token starts an item
    comma: bool = False  # a comma at this level (a bare `(...)` is then a tuple)
    annotated: bool = False  # the current item of a `def` has an annotation
    assigned: str = ""  # spacing of the current item's `=`, once seen


def black_keeps(piece: str) -> bool:
    """Whether black leaves `piece` (a top-level statement, or a method indented one level inside
    a class) exactly as it is, as part of any batch. False whenever this module is not sure."""
    try:
        _Piece(piece.split("\n")).check()
    except _Decline:
        return False
    return True


def _fits(line: str) -> bool:
    return len(line) <= LIMIT if line.isascii() else 2 * len(line) <= LIMIT


class _Piece:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.at = 0

    def check(self) -> None:
        indent = _indent(self.lines[0])
        while self.lines[self.at].lstrip().startswith("@"):
            self._statement(indent)
        header = self._statement(indent)
        if self.at == len(self.lines):
            return
        if header is None:
            self._trailing_strings(indent)
            return
        self._body(indent + "    ", header)

    def _trailing_strings(self, indent: str) -> None:
        """An alias's docstring after it: a plain string statement, not a docstring to black."""
        while self.at < len(self.lines):
            self._string(indent, docstring=False)

    def _body(self, indent: str, header: str) -> None:
        first = True
        while self.at < len(self.lines):
            line = self.lines[self.at]
            if not line:
                raise _Decline  # the blank line after a class docstring is consumed below
            if _indent(line) != indent:
                raise _Decline
            if line.lstrip().startswith(_DOC):
                self._string(indent, docstring=first)
                if first and header == "class" and self.at < len(self.lines):
                    if self.lines[self.at] != "":
                        raise _Decline  # black puts a blank line after a class docstring
                    self.at += 1
                    if self.at == len(self.lines):
                        raise _Decline
            elif self._statement(indent) is not None:
                raise _Decline  # a nested class or def
            first = False

    def _string(self, indent: str, docstring: bool) -> None:
        start = self.at
        first = self.lines[start]
        if _indent(first) != indent or not first.lstrip().startswith(_DOC):
            raise _Decline
        text = first[len(indent) :]
        if text.count(_DOC) == 2 and text.endswith(_DOC) and len(text) > 6:
            self.at += 1
        elif text.count(_DOC) == 1:
            end = start + 1
            while end < len(self.lines) and _DOC not in self.lines[end]:
                end += 1
            if end == len(self.lines):
                raise _Decline
            last = self.lines[end]
            if last.count(_DOC) != 1 or not last.endswith(_DOC):
                raise _Decline
            text = "\n".join([text, *self.lines[start + 1 : end + 1]])
            self.at = end + 1
        else:
            raise _Decline
        body = text[3:-3]
        if "\\" in body or not body.replace("\n", "").isprintable():
            raise _Decline
        if docstring and _black_docstring(body, text, indent) != text:
            raise _Decline

    def _statement(self, indent: str) -> str | None:
        """Checks one simple statement or compound header; returns `class`/`def` for a header."""
        line = self.lines[self.at]
        if _indent(line) != indent:
            raise _Decline
        code = _Code(indent)
        code.line(line)
        self.at += 1
        while code.stack:
            if self.at == len(self.lines):
                raise _Decline
            code.line(self.lines[self.at], continued=True)
            self.at += 1
        return code.finish()


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" "))]


def _black_docstring(body: str, text: str, indent: str) -> str:
    """What black makes of a plain docstring (no prefix, no backslash, printable) at `indent`."""
    if "\n" in body:
        lines = body.split("\n")
        depths = [len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()]
        trimmed = [lines[0].strip()]
        if depths:
            least, last = min(depths), len(lines) - 2
            for i, line in enumerate(lines[1:]):
                kept = line[least:].rstrip()
                trimmed.append(indent + kept if kept or i == last else "")
        doc = "\n".join(trimmed)
    else:
        doc = body.strip()
    if not doc or doc[0] == '"' or doc[-1] == '"':
        return ""  # black pads or rewrites these: not decided here
    lines = doc.splitlines()
    last_length = len(lines[-1]) if not doc.endswith("\n") else 0
    if len(lines) > 1 and last_length + 3 > LIMIT and len(indent) + 3 <= LIMIT:
        if text[-4] == "\n":
            return _DOC + doc + _DOC
        return _DOC + doc + "\n" + indent + _DOC
    return _DOC + doc + _DOC


class _Code:
    """One statement's code, line by line: tokens, spacing and brackets."""

    def __init__(self, indent: str) -> None:
        self.indent = indent
        self.stack: list[_Bracket] = []
        self.tokens: list[tuple[str, str]] = []  # (kind, text) of the whole statement
        self.assignments = 0

    def line(self, text: str, continued: bool = False) -> None:
        if not _fits(text) or text.endswith(" ") or not text:
            raise _Decline
        text = self._continuation(text) if continued else text[len(self.indent) :]
        tokens = _tokens(text)
        previous = self.tokens[-1] if self.tokens and not continued else None
        for i, (kind, value, space) in enumerate(tokens):
            if previous is not None and space != self._space(previous, kind, value):
                raise _Decline
            if i == 0 and space:
                raise _Decline
            self._take(kind, value, last=i == len(tokens) - 1)
            previous = (kind, value)
        if any(not bracket.exploded for bracket in self.stack):
            raise _Decline  # a bracket left open that black need not explode

    def _continuation(self, text: str) -> str:
        """A line inside exploded brackets: an item one level deeper, or the closer."""
        depth = sum(1 for bracket in self.stack if bracket.exploded)
        inner = self.indent + "    " * depth
        if text.startswith(inner) and not text[len(inner)].isspace():
            if text[len(inner)] in _CLOSERS:
                raise _Decline
            self.tokens.append(("sep", ""))  # a new line: no spacing to check with the last token
            return text[len(inner) :]
        outer = inner[:-4]
        if not (text.startswith(outer) and text[len(outer) :][:1] in _CLOSERS):
            raise _Decline
        if self.tokens[-1] != ("op", ","):
            raise _Decline  # no magic trailing comma: black might join the lines
        self.tokens.append(("sep", ""))
        return text[len(outer) :]

    def _space(self, previous: tuple[str, str], kind: str, value: str) -> str:
        before_kind, before = previous
        if before_kind == "sep":
            return ""
        if value in _CLOSERS or value == ",":
            return ""
        if value == ":":
            if self.stack and self.stack[-1].kind not in ("def", "dict"):
                raise _Decline
            return ""
        if before in _OPENERS or before == "@":
            return ""
        if value == "=" or before == "=":
            return self._equals_space(value == "=")
        return _word_space(before_kind, before, kind, value)

    def _equals_space(self, at_equals: bool) -> str:
        if not self.stack:
            return " "
        bracket = self.stack[-1]
        if at_equals:
            if bracket.kind == "call":
                bracket.assigned = ""
            elif bracket.kind == "def":
                bracket.assigned = " " if bracket.annotated else ""
            else:
                raise _Decline
        return bracket.assigned

    def _take(self, kind: str, value: str, last: bool) -> None:
        if kind == "name" and value in _FORBIDDEN_NAMES:
            raise _Decline
        if value == "@" and self.tokens:
            raise _Decline  # a decorator's `@` starts its line; any other is an operator
        self._count_item(value)
        if value in _OPENERS:
            self._open(value, last)
        elif value in _CLOSERS:
            self._close(value)
        elif value == ",":
            self._comma()
        elif value == "=" and not self.stack:
            self.assignments += 1
            if self.assignments > 1:
                raise _Decline
        elif value == ":" and self.stack and self.stack[-1].kind == "def":
            self.stack[-1].annotated = True
        elif value == "*" and not (self.stack and self.stack[-1].kind == "def"):
            raise _Decline
        self.tokens.append((kind, value))

    def _count_item(self, value: str) -> None:
        if self.stack and self.stack[-1].fresh and value not in _CLOSERS and value != ",":
            self.stack[-1].items += 1
            self.stack[-1].fresh = False

    def _open(self, value: str, last: bool) -> None:
        before_kind, before = self.tokens[-1] if self.tokens else ("", "")
        trailer = _is_trailer(before_kind, before)
        if value == "{":
            kind = "dict"
        elif value == "[":
            kind = "sub" if trailer else "list"
        elif trailer:
            starts = [text for _, text in self.tokens[:2]]
            is_def = not self.stack and (starts[:1] == ["def"] or starts == ["async", "def"])
            kind = "def" if is_def and len(self.tokens) <= 3 else "call"
        else:
            kind = "tuple"
        self.stack.append(_Bracket(kind, exploded=last))

    def _close(self, value: str) -> None:
        if not self.stack:
            raise _Decline
        bracket = self.stack.pop()
        opener = next(o for o, c in _OPENERS.items() if c == value)
        expected = {"call": "(", "def": "(", "tuple": "(", "sub": "[", "list": "[", "dict": "{"}
        if expected[bracket.kind] != opener:
            raise _Decline
        trailing_comma = self.tokens[-1] == ("op", ",")
        if bracket.exploded and self.tokens[-1] != ("sep", ""):
            raise _Decline  # closed inside an item line, not on a line of its own
        if bracket.exploded:
            if bracket.kind in ("tuple", "sub") and bracket.items < 2:
                raise _Decline
        elif trailing_comma and not (bracket.kind == "tuple" and bracket.items == 1):
            raise _Decline  # a magic trailing comma on one line: black explodes it
        elif bracket.kind == "tuple" and not bracket.comma:
            raise _Decline  # redundant parentheses: black may remove them

    def _comma(self) -> None:
        if not self.stack:
            raise _Decline  # a bare tuple at statement level
        bracket = self.stack[-1]
        bracket.comma, bracket.annotated, bracket.assigned, bracket.fresh = True, False, "", True

    def finish(self) -> str | None:
        """`class`/`def` for a compound header (which must end with its colon), else None."""
        words = [text for kind, text in self.tokens if kind != "sep"]
        compound = words[0] in ("class", "def") or words[:2] == ["async", "def"]
        ends_block = words[-1] == ":"
        if compound != ends_block:
            raise _Decline
        if not compound:
            return None
        return "class" if words[0] == "class" else "def"


def _word_space(before_kind: str, before: str, kind: str, value: str) -> str:
    """The spacing between two tokens outside the bracket and `=` rules."""
    if value in ("(", "["):
        return "" if _is_trailer(before_kind, before) else " "
    if value == "*" or before == "*":
        return " " if value == "*" else ""
    if kind == "number" and value.startswith("-") and before not in _AFTER_MINUS:
        raise _Decline  # a binary minus
    if before_kind == "name" and kind != "op" and before not in _LEADING_KEYWORDS:
        raise _Decline  # two words in a row (a prefixed string, a soft keyword, ...)
    return " "


def _is_trailer(before_kind: str, before: str) -> bool:
    """Whether a bracket after this token is a call or subscript (no space before it)."""
    return before_kind == "name" and before not in _KEYWORDS or before in (")", "]")


def _tokens(text: str) -> list[tuple[str, str, str]]:
    """(kind, text, the spaces before it) for each token of a line of code."""
    out: list[tuple[str, str, str]] = []
    position, space = 0, ""
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise _Decline
        kind = match.lastgroup
        assert kind is not None
        if kind == "space":
            if space:
                raise _Decline
            space = match.group()
        else:
            out.append((kind, match.group(), space))
            space = ""
        position = match.end()
    return out
