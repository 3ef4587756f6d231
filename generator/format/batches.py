"""How a rendered source is cut into jobs for black, and how black's outputs are joined again.

Sources carry break marks (see `generator.format`) before top-level statements and between methods:
the pieces between them are formatted apart. A piece black would leave as it is, but perhaps for
long lines black lays out alone (`fixed_point`), is a job of its own that black never sees as a
whole; the other pieces of a run are
batched, top-level statements as they are and methods inside a stand-in `class _:` (black formats a
method the same in any class). Batches end where the content says (a checksum), so an edit
re-formats one batch, not the file. Black formats each top-level statement on its own terms and
always puts two blank lines between top-level classes, so the outputs joined with black's blank
lines are exactly black's output for the whole file (a test checks this).
"""

from __future__ import annotations

import ast
import zlib
from dataclasses import dataclass, field

from generator.format import CHUNK_BREAK, METHOD_BREAK, mirror
from generator.format.fixed_point import Hole, black_keeps_head, black_layout

WRAPPER = "class _:\n"
_BATCH_CHARS = 100_000  # a batch ends at a content-chosen piece, or once it is this large

Plan = list[tuple[bool, list[str]]]  # (class body?, jobs) in source order
Ranges = list[tuple[int, int]]  # the pieces [start, end) of each job


@dataclass(frozen=True)
class Composite:
    """A job black keeps but for lines it lays out in a stand-in (`fixed_point.Hole`): its
    output is the piece with black's lines in their place."""

    prefix: str
    piece: str
    holes: list[Hole]

    def lines(self) -> list[str]:
        """The text of each hole's line."""
        lines = self.piece.split("\n")
        return [lines[hole.line] for hole in self.holes]


@dataclass
class SourcePlan:
    plan: Plan = field(default_factory=list)
    mirrored: dict[str, str] = field(default_factory=dict)  # job -> the job its output derives from
    verbatim: set[str] = field(default_factory=set)  # jobs that are black's output already
    composites: dict[str, Composite] = field(default_factory=dict)


@dataclass
class _Body:
    """The last class body planned: a mirroring body after it is cut the same way."""

    pieces: list[str]
    kept: list[bool]
    ranges: Ranges
    jobs: list[str]


def plan_source(source: str) -> SourcePlan:
    """The source cut at the breaks into jobs; the jobs whose output is derived from another's
    (`mirror`: a class body mirroring the body before it, cut the same way); the jobs black
    keeps."""
    planned = SourcePlan()
    previous: _Body | None = None
    for body, pieces in _segments(source):
        file_head = not planned.plan
        layouts = [_layout(piece, file_head and i == 0) for i, piece in enumerate(pieces)]
        kept = [layout is not None for layout in layouts]
        same = (
            body
            and previous is not None
            and previous.kept == kept
            and mirror.mirrors(previous.pieces, pieces)
        )
        ranges = previous.ranges if same and previous is not None else _ranges(pieces, kept)
        prefix = WRAPPER if body else ""
        jobs = _jobs(pieces, ranges, prefix, file_head)
        for job, (start, _) in zip(jobs, ranges, strict=True):
            holes = layouts[start]
            if holes:
                planned.composites[job] = Composite(prefix, pieces[start], holes)
            elif holes is not None:
                planned.verbatim.add(job)
        if same and previous is not None:
            pairs = zip(jobs, previous.jobs, ranges, strict=True)
            planned.mirrored.update((job, src) for job, src, (start, _) in pairs if not kept[start])
        planned.plan.append((body, jobs))
        if body:
            previous = _Body(pieces, kept, ranges, jobs)
    return planned


def _layout(piece: str, file_head: bool) -> list[Hole] | None:
    """`fixed_point.black_layout` (`black_keeps_head` for the file's first piece), but None for a
    piece of one line that is a hole itself (black formats it like any other)."""
    if file_head:
        return [] if black_keeps_head(piece) else None
    holes = black_layout(piece)
    return None if holes and "\n" not in piece else holes


def _segments(source: str) -> list[tuple[bool, list[str]]]:
    """Runs of top-level pieces and of methods (class body: True), in source order."""
    segments: list[tuple[bool, list[str]]] = []
    for piece in source.split("\n" + CHUNK_BREAK + "\n"):
        head, *methods = piece.split("\n" + METHOD_BREAK + "\n")
        if not segments or segments[-1][0]:
            segments.append((False, []))
        segments[-1][1].append(head.strip("\n"))
        if methods:
            segments.append((True, [method.strip("\n") for method in methods]))
    return segments


def _ranges(pieces: list[str], kept: list[bool]) -> Ranges:
    """A kept piece alone; the pieces between kept ones in batches (`_cuts`)."""
    ranges: Ranges = []
    start = 0
    while start < len(pieces):
        if kept[start]:
            ranges.append((start, start + 1))
            start += 1
            continue
        end = start
        while end < len(pieces) and not kept[end]:
            end += 1
        bounds = [start, *(start + cut for cut in _cuts(pieces[start:end]))]
        ranges.extend(zip(bounds, bounds[1:]))
        start = end
    return ranges


def _cuts(pieces: list[str]) -> list[int]:
    """Where batches end (after which pieces): at a content-chosen piece, or once large."""
    cuts = []
    size = 0
    for i, piece in enumerate(pieces):
        size += len(piece)
        if zlib.crc32(piece.encode("utf-8", "surrogatepass")) % 8 == 0 or size > _BATCH_CHARS:
            cuts.append(i + 1)
            size = 0
    if not cuts or cuts[-1] != len(pieces):
        cuts.append(len(pieces))
    return cuts


def _jobs(pieces: list[str], ranges: Ranges, prefix: str, file_head: bool) -> list[str]:
    # Pieces are joined with the blank lines black puts between them, so a batch the templates
    # already rendered in black's style is formatted in one pass, not two.
    glue = "\n\n" if prefix else "\n\n\n"
    jobs = [prefix + glue.join(pieces[start:end]) + "\n" for start, end in ranges]
    if file_head and ranges[0][1] > 1 and _one_line_after(pieces[0], pieces[1]):
        jobs[0] = jobs[0].replace(glue, "\n\n", 1)  # the imports are the file's first piece
    return jobs


def assemble(plan: Plan, done: dict[str, str | None]) -> str:
    """Black's spacing: two blank lines around top-level statements, one between methods, and one
    after the imports (which only the first batch holds) unless a class or function follows them."""
    out = ""
    after_imports = False
    for body, jobs in plan:
        for job in jobs:
            text = done[job] or ""
            text = (text.removeprefix(WRAPPER) if body else text).strip("\n")
            if not text:
                continue
            if not out:
                out, after_imports = text, _ends_with_import(text)
                continue
            one_line = body or (after_imports and _one_line_after_imports(text))
            out += ("\n\n" if one_line else "\n\n\n") + text
            after_imports = False
    return out + "\n"


def _one_line_after_imports(text: str) -> bool:
    """Black puts one blank line, not two, between imports and a statement other than a class or
    function."""
    return not text.startswith(("class ", "def ", "async def ", "@"))


def _one_line_after(head: str, following: str) -> bool:
    return _one_line_after_imports(following) and _ends_with_import(head)


def _ends_with_import(source: str) -> bool:
    body = ast.parse(source).body
    return bool(body) and isinstance(body[-1], ast.Import | ast.ImportFrom)
