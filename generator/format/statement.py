"""One statement of generated code checked against black's layout: its tokens, the spacing
between them and its brackets (see `fixed_point`, which checks whole pieces)."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

from generator.format.prewrap import LIMIT

_KEYWORDS = frozenset(
    {"class", "def", "async", "await", "return", "pass", "None", "True", "False", "for", "in"}
)
_LEADING_KEYWORDS = frozenset({"class", "def", "async", "await", "return", "for", "in"})
_COMPREHENSION = frozenset({"for", "in"})  # only inside brackets: `{k: v for k, v in pairs}`
_FORBIDDEN_NAMES = frozenset([*keyword.kwlist, *keyword.softkwlist]) - _KEYWORDS - {"type", "_"}
_AFTER_MINUS = frozenset({"(", "[", "{", ",", "=", ":", "|", "->", "return"})  # a unary minus
_TOKEN = re.compile(
    r"""(?P<space>\ +)
    |(?P<string>"[^"\\\n]*"|'[^'\\\n]*"[^'\\\n]*')
    |(?P<number>-?\d+(?:\.\d+)?(?![\w.]))
    |(?P<name>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)
    |(?P<attribute>(?:\.[A-Za-z_]\w*)+)
    |(?P<op>->|[()\[\]{},:=|*@-])""",
    re.X,
)
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = frozenset(_OPENERS.values())


class Decline(Exception):
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


def fits(line: str) -> bool:
    return len(line) <= LIMIT if line.isascii() else 2 * len(line) <= LIMIT


class Code:
    """One statement's code, line by line: tokens, spacing and brackets."""

    def __init__(self, indent: str) -> None:
        self.indent = indent
        self.stack: list[_Bracket] = []
        self.tokens: list[tuple[str, str]] = []  # (kind, text) of the whole statement
        self.assignments = 0

    def line(self, text: str, continued: bool = False) -> bool:
        """Checks a line of the statement; True for a line too long to keep that black can lay
        out alone: the whole statement, or one whole parameter of an exploded `def`."""
        if text.endswith(" ") or not text:
            raise Decline
        long = not fits(text)
        depth = len(self.stack)
        text = self._continuation(text) if continued else text[len(self.indent) :]
        tokens = _tokens(text)
        previous = self.tokens[-1] if self.tokens and not continued else None
        for i, (kind, value, space) in enumerate(tokens):
            if i == 0 and space:
                raise Decline
            if previous is not None and not long and space != self._space(previous, kind, value):
                raise Decline
            self._take(kind, value, last=i == len(tokens) - 1)
            previous = (kind, value)
        if any(not bracket.exploded for bracket in self.stack):
            raise Decline  # a bracket left open that black need not explode
        if long and not self._whole(continued, depth):
            raise Decline
        return long

    def _whole(self, continued: bool, depth: int) -> bool:
        """Whether the line just read is a whole statement or a whole `def` parameter."""
        if not continued:
            return not self.stack
        in_def = depth == 1 and len(self.stack) == 1 and self.stack[0].kind == "def"
        return in_def and self.tokens[-1] == ("op", ",") and self.tokens[-2] != ("sep", "")

    def _continuation(self, text: str) -> str:
        """A line inside exploded brackets: an item one level deeper, or the closer."""
        depth = sum(1 for bracket in self.stack if bracket.exploded)
        inner = self.indent + "    " * depth
        if text.startswith(inner) and not text[len(inner)].isspace():
            if text[len(inner)] in _CLOSERS:
                raise Decline
            self.tokens.append(("sep", ""))  # a new line: no spacing to check with the last token
            return text[len(inner) :]
        outer = inner[:-4]
        if not (text.startswith(outer) and text[len(outer) :][:1] in _CLOSERS):
            raise Decline
        if self.tokens[-1] != ("op", ","):
            raise Decline  # no magic trailing comma: black might join the lines
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
                raise Decline
            return ""
        if before in _OPENERS or before == "@":
            return ""
        if kind == "attribute":
            return ""  # `super().__init__` (`_take` checks what it follows)
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
                raise Decline
        return bracket.assigned

    def _take(self, kind: str, value: str, last: bool) -> None:
        self._check_place(kind, value)
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
                raise Decline
        elif value == ":" and self.stack and self.stack[-1].kind == "def":
            self.stack[-1].annotated = True
        elif value == "*" and not (self.stack and self.stack[-1].kind == "def"):
            raise Decline
        self.tokens.append((kind, value))

    def _check_place(self, kind: str, value: str) -> None:
        """Declines a token where this module does not know black's rules for it."""
        before = self.tokens[-1] if self.tokens else ("", "")
        if kind == "name" and value in _FORBIDDEN_NAMES:
            raise Decline
        if value == "@" and self.tokens:
            raise Decline  # a decorator's `@` starts its line; any other is an operator
        if kind == "attribute" and before[1] not in (")", "]"):
            raise Decline  # an attribute of a call or subscript only
        if value in _COMPREHENSION and not self.stack:
            raise Decline  # a `for` statement, or `in` outside brackets
        if value == "-" and not _is_operand_end(*before):
            raise Decline  # a unary minus before a name or a bracket

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
            raise Decline
        bracket = self.stack.pop()
        opener = next(o for o, c in _OPENERS.items() if c == value)
        expected = {"call": "(", "def": "(", "tuple": "(", "sub": "[", "list": "[", "dict": "{"}
        if expected[bracket.kind] != opener:
            raise Decline
        trailing_comma = self.tokens[-1] == ("op", ",")
        if bracket.exploded and self.tokens[-1] != ("sep", ""):
            raise Decline  # closed inside an item line, not on a line of its own
        if bracket.exploded:
            if bracket.kind in ("tuple", "sub") and bracket.items < 2:
                raise Decline
        elif trailing_comma and not (bracket.kind == "tuple" and bracket.items == 1):
            raise Decline  # a magic trailing comma on one line: black explodes it
        elif bracket.kind == "tuple" and not bracket.comma:
            raise Decline  # redundant parentheses: black may remove them

    def _comma(self) -> None:
        if not self.stack:
            raise Decline  # a bare tuple at statement level
        bracket = self.stack[-1]
        bracket.comma, bracket.annotated, bracket.assigned, bracket.fresh = True, False, "", True

    def finish(self) -> str | None:
        """`class`/`def` for a compound header (which must end with its colon), else None."""
        words = [text for kind, text in self.tokens if kind != "sep"]
        compound = words[0] in ("class", "def") or words[:2] == ["async", "def"]
        ends_block = words[-1] == ":"
        if compound != ends_block:
            raise Decline
        last_kind, last = self.tokens[-1]
        if not ends_block and last_kind == "op" and last not in _CLOSERS:
            raise Decline  # a statement cut short (`x =`): black reports it
        if words[0] == "@" and len(words) == 1:
            raise Decline
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
        raise Decline  # a binary minus glued to its number
    if value in _COMPREHENSION:
        return " "
    if before_kind == "name" and kind != "op" and before not in _LEADING_KEYWORDS:
        raise Decline  # two words in a row (a prefixed string, a soft keyword, ...)
    return " "


def _is_operand_end(kind: str, text: str) -> bool:
    """Whether a `-` after this token is a binary minus (black: one space each side)."""
    return kind in ("name", "number", "string") and text not in _KEYWORDS or text in (")", "]")


def _is_trailer(before_kind: str, before: str) -> bool:
    """Whether a bracket after this token is a call or subscript (no space before it)."""
    return (
        before_kind == "name"
        and before not in _KEYWORDS
        or before_kind == "attribute"
        or before in (")", "]")
    )


def _tokens(text: str) -> list[tuple[str, str, str]]:
    """(kind, text, the spaces before it) for each token of a line of code."""
    out: list[tuple[str, str, str]] = []
    position, space = 0, ""
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise Decline
        kind = match.lastgroup
        assert kind is not None
        if kind == "space":
            if space:
                raise Decline
            space = match.group()
        else:
            out.append((kind, match.group(), space))
            space = ""
        position = match.end()
    return out
