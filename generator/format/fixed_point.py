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

A line too long to keep is no reason to decline when it is a whole statement or a whole parameter
of an exploded `def`: black lays out such a line on its own terms, so it is formatted alone in a
stand-in of the same depth (`Hole`, `StandIn`: all such lines of a source in one job) and its output
is put in the line's place (`fill`).

The spacing and bracket rules are `statement.py`'s. Tests compare this module's verdicts with black
on every piece of the bundled specs, the golden cases, Stripe and OpenAI; a piece it accepts must be
black's output for itself, its holes filled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.format.prewrap import LIMIT
from generator.format.statement import Code, Decline, fits

_DOC = '"""'


@dataclass(frozen=True)
class StandIn:
    """Code around lines too long to keep, at their depth and of their kind: `head`, the lines
    with `separator` lines between them, `tail`. Black lays out each logical line on its own terms
    (a `def`'s parameters each become one), so what it makes of a line here is what it would make
    of it in its piece, and the separators (short, plain) come back as they are."""

    head: str
    separator: str
    tail: str

    def snippet(self, lines: list[str]) -> str:
        """One job for black holding every line."""
        return self.head + ("\n" + self.separator + "\n").join(lines) + "\n" + self.tail

    def split(self, formatted: str, count: int) -> list[list[str]] | None:
        """Each line's lines in black's output for `snippet`; None if the stand-in changed."""
        if not (formatted.startswith(self.head) and formatted.endswith(self.tail)):
            return None
        inner = formatted[len(self.head) : len(formatted) - len(self.tail)]
        if not inner.endswith("\n"):
            return None
        laid_out: list[list[str]] = [[]]
        for line in inner[:-1].split("\n"):
            if not line:
                return None  # black lays out one logical line without blank lines
            if line == self.separator:
                laid_out.append([])
            else:
                laid_out[-1].append(line)
        return laid_out if len(laid_out) == count and all(laid_out) else None


@dataclass(frozen=True)
class Hole:
    """A line too long to keep (a statement, or a parameter of an exploded `def`): black lays it
    out in its stand-in, and the piece takes black's lines in its place."""

    line: int  # index in the piece's lines
    stand_in: StandIn


# (a parameter?, the statement's indentation) -> the stand-in around such lines
_STAND_INS = {
    (False, ""): StandIn("", "...", ""),
    (False, "    "): StandIn("class _:\n", "    ...", ""),
    (False, "        "): StandIn("class _:\n    def _(self):\n", "        ...", ""),
    (True, ""): StandIn("def _(\n", "    _,", "):\n    pass\n"),
    (True, "    "): StandIn("class _:\n    def _(\n", "        _,", "    ):\n        pass\n"),
}


def black_layout(piece: str) -> list[Hole] | None:
    """None unless black leaves `piece` (a top-level statement, or a method indented one level
    inside a class) as it is, as part of any batch, but for the lines it lays out alone (`Hole`s;
    none: black keeps the piece as it is). None whenever this module is not sure."""
    checked = _Piece(piece.split("\n"))
    try:
        checked.check()
    except Decline:
        return None
    return checked.holes


def black_keeps(piece: str) -> bool:
    """Whether black leaves `piece` exactly as it is (no holes)."""
    return black_layout(piece) == []


def black_keeps_head(head: str) -> bool:
    """Whether black leaves a file's first piece as it is: a module docstring (then one blank
    line, as black puts), and imports, plain or exploded by a magic trailing comma, some inside
    `if NAME:` blocks, then perhaps simple statements with comment lines (`_Head._trailers`).
    Anything else there is black's."""
    try:
        _Head(head.split("\n")).check()
    except Decline:
        return False
    return True


def fill(piece: str, holes: list[Hole], laid_out: list[list[str]]) -> str:
    """The piece with each hole's line replaced by black's lines for it."""
    lines = piece.split("\n")
    out: list[str] = []
    start = 0
    for hole, replacement in zip(holes, laid_out, strict=True):
        out.extend(lines[start : hole.line])
        out.extend(replacement)
        start = hole.line + 1
    out.extend(lines[start:])
    return "\n".join(out)


class _Piece:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.at = 0
        self.holes: list[Hole] = []

    def check(self) -> None:
        indent = _indent(self.lines[0])
        while self.at < len(self.lines) and self.lines[self.at].lstrip().startswith("@"):
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
                raise Decline  # the blank line after a class docstring is consumed below
            if _indent(line) != indent:
                raise Decline
            if line.lstrip().startswith(_DOC):
                self._string(indent, docstring=first)
                if first and header == "class" and self.at < len(self.lines):
                    if self.lines[self.at] != "":
                        raise Decline  # black puts a blank line after a class docstring
                    self.at += 1
                    if self.at == len(self.lines):
                        raise Decline
            elif header == "def" and _is_import(line, indent):
                self._imports_in_def(indent)
            elif self._statement(indent) is not None:
                raise Decline  # a nested class or def
            first = False

    def _imports_in_def(self, indent: str) -> None:
        """Imports in a function body (a module loaded on first call): black puts a blank line
        after them and keeps one, so exactly one must follow, then more of the body."""
        while self.at < len(self.lines) and _is_import(self.lines[self.at], indent):
            self.at += 1
        blank, after = self.lines[self.at : self.at + 1], self.lines[self.at + 1 : self.at + 2]
        if blank != [""] or not after or not after[0]:
            raise Decline
        self.at += 1

    def _string(self, indent: str, docstring: bool) -> None:
        start = self.at
        first = self.lines[start]
        if _indent(first) != indent or not first.lstrip().startswith(_DOC):
            raise Decline
        text = first[len(indent) :]
        if text.count(_DOC) == 2 and text.endswith(_DOC) and len(text) > 6:
            self.at += 1
        elif text.count(_DOC) == 1:
            end = start + 1
            while end < len(self.lines) and _DOC not in self.lines[end]:
                end += 1
            if end == len(self.lines):
                raise Decline
            last = self.lines[end]
            if last.count(_DOC) != 1 or not last.endswith(_DOC):
                raise Decline
            text = "\n".join([text, *self.lines[start + 1 : end + 1]])
            self.at = end + 1
        else:
            raise Decline
        body = text[3:-3]
        if "\\" in body or not body.replace("\n", "").isprintable():
            raise Decline
        if docstring and _black_docstring(body, text, indent) != text:
            raise Decline

    def _statement(self, indent: str) -> str | None:
        """Checks one simple statement or compound header; returns `class`/`def` for a header."""
        if self.at == len(self.lines):
            raise Decline
        line = self.lines[self.at]
        if _indent(line) != indent:
            raise Decline
        code = Code(indent)
        long_statement = code.line(line)
        self.at += 1
        while code.stack:
            if self.at == len(self.lines):
                raise Decline
            if code.line(self.lines[self.at], continued=True):
                self._hole(self.at, True, indent)
            self.at += 1
        header = code.finish()
        if long_statement:
            if header is not None:
                raise Decline
            self._hole(self.at - 1, False, indent)
        return header

    def _hole(self, line: int, parameter: bool, indent: str) -> None:
        stand_in = _STAND_INS.get((parameter, indent))
        if stand_in is None:
            raise Decline
        self.holes.append(Hole(line, stand_in))


def _is_import(line: str, indent: str) -> bool:
    """An import on one line at exactly `indent`, within the line length."""
    code = line[len(indent) :]
    plain = bool(_IMPORT.fullmatch(code)) and not code.endswith("(")
    return plain and _indent(line) == indent and fits(line)


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


_IMPORTED = r"[A-Za-z_]\w*(?: as [A-Za-z_]\w*)?"
_IMPORT = re.compile(
    rf"(?:from (?:\.+|\.*[A-Za-z_][\w.]*) import (?:\*|\(|{_IMPORTED}(?:, {_IMPORTED})*)"
    rf"|import [A-Za-z_][\w.]*(?: as [A-Za-z_]\w*)?)"
)
_IMPORTED_ITEM = re.compile(rf"{_IMPORTED},")
_IF_NAME = re.compile(r"if [A-Za-z_]\w*:")
# A comment line black leaves as it is: `#`, or `# ` and text without trailing space; not one of
# the comments that mean something to black or to type checkers.
_COMMENT = re.compile(r"#|# (?!fmt:|yapf:|type:)[^\t\\]*[^\s\\]")


class _Head(_Piece):
    """A file's first piece: docstring and imports (see `black_keeps_head`)."""

    def check(self) -> None:
        if self.lines[0].startswith(_DOC):
            self._string("", docstring=True)
            if self.at < len(self.lines):
                if self.lines[self.at] != "" or self.lines[self.at + 1 : self.at + 2] == [""]:
                    raise Decline  # black puts exactly one blank line after a module docstring
                self.at += 1
        while self.at < len(self.lines):
            blank = self._blank_lines(2)
            line = self.lines[self.at]
            if _IF_NAME.fullmatch(line):
                if blank != 1 and self.at > 0:
                    raise Decline  # black puts one blank line between imports and an `if`
                self.at += 1
                self._imports("    ")
            elif line.startswith(("import ", "from ")):
                self._import("")
            elif blank == 1 and self.at > 0:
                self._trailers()
            else:
                raise Decline

    def _imports(self, indent: str) -> None:
        """An `if` block's body: imports, at least one, or `pass` alone."""
        if self.lines[self.at : self.at + 1] == [indent + "pass"]:
            self.at += 1
            return
        self._import(indent)
        while self.at < len(self.lines) and self.lines[self.at].startswith(indent):
            self._import(indent)

    def _trailers(self) -> None:
        """Simple statements after the imports, one blank line below them (black keeps the blank
        lines there, at least one), each with comment lines before it and at most one blank line
        between them. A `class` or `def` is declined: black spaces those its own way."""
        while self.at < len(self.lines):
            while _COMMENT.fullmatch(self.lines[self.at]) and fits(self.lines[self.at]):
                self.at += 1
                if self.at == len(self.lines):
                    raise Decline
            if self._statement("") is not None or self.holes:
                raise Decline
            if self.at < len(self.lines):
                self._blank_lines(1)

    def _blank_lines(self, most: int) -> int:
        """Skips the blank lines here (at most `most`, and not at the end); returns how many."""
        start = self.at
        while self.at < len(self.lines) and not self.lines[self.at]:
            self.at += 1
        if self.at - start > most or self.at == len(self.lines):
            raise Decline
        return self.at - start

    def _import(self, indent: str) -> None:
        if self.at == len(self.lines):
            raise Decline  # an `if` without a body
        line = self.lines[self.at]
        code = line[len(indent) :]
        if not line.startswith(indent) or not fits(line) or not _IMPORT.fullmatch(code):
            raise Decline
        self.at += 1
        if not code.endswith("("):
            return
        items = 0
        inner = indent + "    "
        while self.at < len(self.lines) and self.lines[self.at].startswith(inner):
            if not _IMPORTED_ITEM.fullmatch(self.lines[self.at][len(inner) :]):
                raise Decline
            items += 1
            self.at += 1
        if not items or self.at == len(self.lines) or self.lines[self.at] != indent + ")":
            raise Decline  # an exploded import ends with its magic trailing comma and `)`
        self.at += 1
