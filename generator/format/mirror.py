"""Black's output for a class body derived from a body black already formatted, instead of running
black again: the async half of every generated class is its sync half with `async`/`await` and
other class names.

Black lays out each logical line on its own: what it makes of a line depends on the line's tokens,
its depth and the kinds of the lines around it (for blank lines), never on the names in other
lines. So when two batches differ only in lines that black kept verbatim in the first one, and each
such line of the second is the first's with names renamed and `async `/`await ` inserted (no
strings, no comments: tokens black prints as they are, in a line that still fits), the second
batch's output is the first one's with those lines swapped. `derive` checks exactly that and returns
None otherwise (black then formats the batch). Tests compare the result with black on the bundled
specs and on Stripe and OpenAI.
"""

from __future__ import annotations

import keyword
import re

from generator.format.prewrap import LIMIT

_INSERTED = re.compile(r"\b(?:async|await) ")
_WORDS = re.compile(r"(\w+)")
_NAME = re.compile(r"[A-Za-z_]\w*")
_DEF_END = re.compile(r"\) -> [^()]+:")


def mirrors(source: list[str], target: list[str]) -> bool:
    """Whether every piece of `target` can be derived from the piece of `source` at its place
    (cheap: the lines that differ are checked, black's output is not needed yet)."""
    return len(source) == len(target) and all(
        _renamed_lines(s, t) is not None for s, t in zip(source, target, strict=True)
    )


def derive(source: str, formatted: str, target: str) -> str | None:
    """Black's output for `target` from its output for `source` (`formatted`), or None when the
    lines that differ are not ones black kept verbatim (or not renamings that still fit)."""
    changed = _renamed_lines(source, target)
    if changed is None:
        return None
    source_lines, target_lines = source.split("\n"), target.split("\n")
    out = formatted.split("\n")
    for line in {source_lines[i] for i in changed}:
        # The k-th copy of the line in the source is its k-th copy in black's output, provided
        # black neither split nor joined any copy (then the counts differ).
        where = [i for i, text in enumerate(source_lines) if text == line]
        kept = [j for j, text in enumerate(out) if text == line]
        if len(where) != len(kept):
            return None
        for i, j in zip(where, kept, strict=True):
            out[j] = target_lines[i]
    return "\n".join(out)


def _renamed_lines(source: str, target: str) -> list[int] | None:
    """The indexes of the lines that differ, when each differs only by renamed names and inserted
    `async `/`await ` and fits on a line; else None."""
    source_lines, target_lines = source.split("\n"), target.split("\n")
    if len(source_lines) != len(target_lines):
        return None
    changed = [i for i, (s, t) in enumerate(zip(source_lines, target_lines)) if s != t]
    if all(_renamed(source_lines[i], target_lines[i]) for i in changed):
        return changed
    return None


def _renamed(source: str, target: str) -> bool:
    if not (len(source) <= LIMIT and len(target) <= LIMIT and (source + target).isascii()):
        return False
    if not (_statement(source) and _statement(target)):
        return False
    if any(mark in line for line in (source, target) for mark in ('"', "'", "#", "\\")):
        return False  # strings and comments: black may treat their text differently
    source_parts = _WORDS.split(source)
    target_parts = _WORDS.split(_INSERTED.sub("", target))
    if len(source_parts) != len(target_parts):
        return False
    for k, (s, t) in enumerate(zip(source_parts, target_parts, strict=True)):
        if s == t:
            continue
        # Odd parts are words: a differing word must be a name on both sides (a keyword or a
        # number would change the line's kind); the text between words must be the same.
        if k % 2 == 0 or not (_is_name(s) and _is_name(t)):
            return False
    return True


def _statement(line: str) -> bool:
    """A line black lays out the same whatever its length, as long as it fits: a whole `return`
    statement, or the first or last line of a `def` (black splits a def at its own brackets
    only, so its head and its `) -> ...:` line do not depend on how long the other lines are).
    A line inside other brackets may be joined or split differently when its length changes."""
    code = line.lstrip(" ")
    if code.startswith(("def ", "async def ")) or _DEF_END.fullmatch(code):
        return True
    return code.startswith("return ") and _balanced(code)


def _balanced(code: str) -> bool:
    depth = 0
    for char in code:
        depth += 1 if char in "([{" else -1 if char in ")]}" else 0
        if depth < 0:
            return False
    return depth == 0


def _is_name(word: str) -> bool:
    return bool(_NAME.fullmatch(word)) and not (
        keyword.iskeyword(word) or keyword.issoftkeyword(word)
    )
