"""Generated pieces near the edges of what `fixed_point` accepts: whenever it accepts one, its
verdict (holes filled with black's lines) is black's output. The pieces mix the shapes the
templates render with what black would change: spacing, quotes, escapes, magic and missing
trailing commas, one-tuples, long lines, docstrings with stray whitespace."""

from __future__ import annotations

import ast
import sys
import warnings
from pathlib import Path

import black
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.format import workers
from generator.format.fixed_point import black_keeps_head, black_layout, fill

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from rendered import black_of_piece  # noqa: E402

MODE = workers.mode()
BOUNDED = settings(max_examples=500, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))

names = st.sampled_from(["x", "kind", "type", "created_at", "a_rather_long_field_name_for_width", "_", "self_", "Value", "None_"])
types = st.sampled_from(["str", "int", "bool", "Any", "Customer", "NotGiven", "None", "UnknownValue", "list[str]", "dict[str, Any]"])
# Mostly what the templates render, sometimes what black would change (weights by repetition).
texts = st.one_of(
    st.text(alphabet=st.sampled_from(list("ab Z_-.:'é")), max_size=12),
    st.text(alphabet=st.sampled_from(list("ab \"\\\t")), max_size=6),
)
spaces = st.sampled_from(["", "", "", " ", "  "])


@st.composite
def strings(draw: st.DrawFn) -> str:
    text = draw(texts)
    quote = draw(st.sampled_from(['"', '"', '"', "'"]))
    return quote + text.replace(quote, "") + quote


@st.composite
def annotations(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(types, strings().map(lambda s: f"Literal[{s}]")), min_size=1, max_size=9))
    gap = draw(st.sampled_from([" | ", " | ", " | ", " | ", "|", " |"]))
    text = gap.join(parts)
    return f'"{text}"' if draw(st.booleans()) and '"' not in text else text


@st.composite
def fields(draw: st.DrawFn, indent: str) -> str:
    colon = draw(st.sampled_from([": ", ": ", ": ", ": ", ":", " : "]))
    default = draw(
        st.sampled_from(["", "", " = None", " = None", " = NOT_GIVEN", " = -1", " = Field(default=None, alias='k')", ' = Field(default=None, alias="k")', " =None"])
    )
    line = f"{indent}{draw(names)}{colon}{draw(annotations())}{default}"
    if draw(st.booleans()):
        line += f'\n{indent}"""{draw(texts)}"""'
    return line


@st.composite
def docstrings(draw: st.DrawFn, indent: str) -> str:
    first = draw(spaces) + draw(texts) + draw(spaces)
    rest = draw(st.lists(st.tuples(st.sampled_from(["", indent, indent + "  ", "  "]), texts, spaces), max_size=3))
    lines = [first] + [lead + text + trail for lead, text, trail in rest]
    closing = draw(st.sampled_from(["", "\n" + indent]))
    return f'{indent}"""' + "\n".join(lines) + closing + '"""'


@st.composite
def models(draw: st.DrawFn) -> str:
    lines = [f"class {draw(names).title()}(_Model):"]
    if draw(st.booleans()):
        lines.append(draw(docstrings("    ")))
        if draw(st.booleans()):
            lines.append("")
    lines.extend(draw(st.lists(fields("    "), min_size=1, max_size=4)))
    return "\n".join(lines)


@st.composite
def items(draw: st.DrawFn, indent: str, depth: int = 0) -> str:
    choice = draw(st.integers(0, 4 if depth < 2 else 2))
    if choice == 0:
        return indent + draw(names) + "=" + draw(strings())
    if choice == 1:
        inner = ", ".join(draw(st.lists(strings(), min_size=1, max_size=4)))
        comma = draw(st.sampled_from(["", ","]))
        return f"{indent}({inner}{comma})"
    if choice == 2:
        return f"{indent}{draw(strings())}: ResponseSpec({draw(strings())}, {draw(strings())})"
    opener, closer = draw(st.sampled_from([("(", ")"), ("{", "}"), ("[", "]")]))
    body = draw(st.lists(items(indent + "    ", depth + 1), min_size=1, max_size=3))
    last = draw(st.sampled_from([",", ",", ",", ""]))
    head = indent + (draw(names) + "=" if choice == 3 else "")
    return head + opener + "\n" + ",\n".join(body) + last + "\n" + indent + closer


@st.composite
def calls(draw: st.DrawFn) -> str:
    body = draw(st.lists(items("    "), min_size=1, max_size=4))
    last = draw(st.sampled_from([",", ",", ",", ""]))
    return f"_X: Operation[{draw(annotations())}] = Operation(\n" + ",\n".join(body) + last + "\n)"


@st.composite
def methods(draw: st.DrawFn) -> str:
    params = ["        self,", "        *,"] + [
        f"        {draw(names)}: {draw(annotations())}{draw(st.sampled_from(['', ' = NOT_GIVEN', '=None']))},"
        for _ in range(draw(st.integers(0, 3)))
    ]
    if draw(st.booleans()):
        params[-1] = params[-1].removesuffix(",")
    head = draw(st.sampled_from(["    def", "    async def"])) + f" {draw(names)}(\n"
    lines = [head + "\n".join(params) + f"\n    ) -> {draw(annotations())}:"]
    if draw(st.booleans()):
        lines.append(draw(docstrings("        ")))
    if draw(st.booleans()):  # a module loaded on first call
        lines.extend(draw(st.lists(st.sampled_from(_BODY_IMPORTS), min_size=1, max_size=2)))
        lines.extend([""] * draw(st.sampled_from([0, 1, 1, 1, 2])))
    lines.append("        return " + draw(st.sampled_from(_RETURNED)))
    return "\n".join(lines)


_BODY_IMPORTS = ["        from ._resources.pets import Pets", "        import json", "        from .x import (a)", "        from . import b as c, d"]
_RETURNED = [
    "self._client._call(_X, locals())", "await self._client._call(_X, locals())", "(1)", "(1,)", "x -1",
    "super().__init__(x)", "super() .__init__(x)", "f(a)[0].b", "a - b", "a-b", "f(a) - 1", "-a",
    "{k: v for k, v in x.items()}", "{k:v for k,v in x}", "[a for a in(b)]", "[a for a in b if a]",
]


_TRAILERS = [
    "_X = 1", "_X: dict[str, str] = {}", '_X: dict[str, str] = {\n    "a": ".b",\n}', "_M = frozenset(_A) - _E.keys()",
    "_W = {n: m for m, ns in _M.items() for n in ns.split()}", "_X = -1", "_X=1", "__all__ = [\n    \"a\",\n]",
    "__all__ = [\n    \"a\"\n]", "# Name -> module.", "#", "#x", "# fmt: off", "# trailing ", "def f():\n    pass",
]


@st.composite
def heads(draw: st.DrawFn) -> str:
    """A file's first piece: docstring, imports, `if NAME:` blocks, then statements and comments."""
    lines = ['"""Module."""', ""] if draw(st.booleans()) else []
    lines.append(draw(st.sampled_from(["from __future__ import annotations", "import httpx2 as httpx"])))
    for _ in range(draw(st.integers(0, 2))):
        lines.extend([""] * draw(st.sampled_from([0, 1, 1, 2, 3])))
        block = draw(st.sampled_from([["from . import a"], ["if TYPE_CHECKING:", "    from .b import C"], ["if TYPE_CHECKING:", "    pass"], ["if X:"]]))
        lines.extend(block)
    for _ in range(draw(st.integers(0, 4))):
        lines.extend([""] * draw(st.sampled_from([0, 1, 1, 1, 2])))
        lines.append(draw(st.sampled_from(_TRAILERS)))
    return "\n".join(lines)


def _black(piece: str) -> str | None:
    """Black's output for the piece, or None when it is not Python (black refuses it, and the
    formatter reports it)."""
    text = ("class _:\n" + piece) if piece.startswith(" ") else piece
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # "\." in a generated string
        try:
            ast.parse(text)
        except SyntaxError:
            return None
        return black_of_piece(piece)


def _filled(piece: str) -> str | None:
    holes = black_layout(piece)
    if holes is None:
        return None
    lines = piece.split("\n")
    laid_out = []
    for hole in holes:
        snippet = hole.stand_in.snippet([lines[hole.line]])
        split = hole.stand_in.split(black.format_str(snippet, mode=MODE), 1)
        assert split is not None
        laid_out.append(split[0])
    return fill(piece, holes, laid_out)


@BOUNDED
@given(head=heads())
def test_an_accepted_file_head_is_what_black_makes_of_it(head: str) -> None:
    kept = black_keeps_head(head)
    try:
        ast.parse(head)
    except SyntaxError:
        assert not kept
        return
    if kept:
        assert black.format_str(head + "\n", mode=MODE) == head + "\n"


@BOUNDED
@given(piece=st.one_of(models(), calls(), methods(), fields("")))
def test_an_accepted_piece_is_what_black_makes_of_it(piece: str) -> None:
    expected = _black(piece)
    filled = _filled(piece)
    if expected is not None and filled is not None:
        assert filled == expected
