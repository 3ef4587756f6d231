"""The expressions `format_prewrap` lays out, parsed: bracketed groups, atoms, unions and keyword
arguments, from the one-line text clientgen renders. Anything else declines (black lays it out)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|([A-Za-z_][A-Za-z_0-9.]*|-?[0-9][0-9.e+-]*)|(.))')


class Decline(Exception):
    """A shape this module does not lay out; black does it."""


@dataclass
class Group:
    """`head[items]`, `head(items)` or a bare `(items)`; head may be empty."""

    head: str
    open: str
    items: list[Node]
    one_tuple: bool = False  # `(x,)`: its comma is no magic trailing comma to black

    def flat(self) -> str:
        inner = ", ".join(i.flat() for i in self.items) + ("," if self.one_tuple else "")
        return self.head + self.open + inner + CLOSE[self.open]


@dataclass
class Atom:
    text: str

    def flat(self) -> str:
        return self.text


@dataclass
class Union:
    operands: list[Node]

    def flat(self) -> str:
        return " | ".join(o.flat() for o in self.operands)


@dataclass
class Keyword:
    name: str
    value: Node

    def flat(self) -> str:
        return f"{self.name}={self.value.flat()}"


Node = Group | Atom | Union | Keyword


CLOSE = {"(": ")", "[": "]"}


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        while pos < len(text):
            match = _TOKEN.match(text, pos)
            if match is None or match.end() == pos:
                raise Decline
            string, word, op = match.groups()
            if string is not None:
                self.tokens.append(("atom", string))
            elif word is not None:
                self.tokens.append(("atom", word))
            elif op is not None and op in "()[],|=":
                self.tokens.append(("op", op))
            elif op is not None:
                raise Decline  # *, +, {, :, ... : not a shape laid out here
            pos = match.end()
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise Decline
        self.pos += 1
        return self.tokens[self.pos - 1]

    def expression(self) -> Node:
        operands = [self.postfix()]
        while self.peek() == "|":
            self.take()
            operands.append(self.postfix())
        return operands[0] if len(operands) == 1 else Union(operands)

    def postfix(self) -> Node:
        kind, text = self.take()
        if kind == "op" and text in "([":
            items = self.items(CLOSE[text], bare_parens=text == "(")
            trailing = self.tokens[self.pos - 2][1] == ","  # `items` allowed it: a one-tuple
            node: Node = Group("", text, items, one_tuple=text == "(" and trailing)
        elif kind == "atom":
            node = Atom(text)
        else:
            raise Decline
        while self.peek() in ("(", "["):
            if isinstance(node, Group) and not node.head:
                raise Decline
            opener = self.take()[1]
            node = Group(node.flat(), opener, self.items(CLOSE[opener]))
        return node

    def items(self, close: str, bare_parens: bool = False) -> list[Node]:
        """The items up to `close`; in bare parentheses, `(x,)` is a one-tuple."""
        items: list[Node] = []
        while self.peek() != close:
            following = self.tokens[self.pos + 1] if self.pos + 1 < len(self.tokens) else None
            if following == ("op", "=") and self.tokens[self.pos][0] == "atom":
                name = self.take()[1]
                self.take()
                items.append(Keyword(name, self.expression()))
            else:
                items.append(self.expression())
            if self.peek() == ",":
                self.take()
                one_tuple = bare_parens and len(items) == 1
                if self.peek() == close and not one_tuple:
                    raise Decline  # a magic trailing comma: black's call
            elif self.peek() != close:
                raise Decline
        self.take()
        return items

    def done(self) -> bool:
        return self.pos == len(self.tokens)


def parse(text: str) -> Node:
    parser = _Parser(text)
    node = parser.expression()
    if not parser.done():
        raise Decline
    return node
