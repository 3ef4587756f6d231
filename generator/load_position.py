"""Positions in a loaded document (1-based line and column) and the nesting limit both parsers
enforce (`generator.load_yaml`, `generator.load_json`)."""

from __future__ import annotations

import bisect
import re

# Nesting beyond this is not a real API description, and deeper data would exhaust the recursion
# limit of the validators and walkers after us.
MAX_DEPTH = 200

Position = tuple[int, int]  # 1-based line, 1-based column


class LineIndex:
    """Offsets in a text -> (line, column), lines counted from `first_line`."""

    def __init__(self, text: str, first_line: int) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.offset = first_line - 1

    def position(self, index: int) -> Position:
        line = bisect.bisect_right(self.starts, index) - 1
        return line + 1 + self.offset, index - self.starts[line] + 1
