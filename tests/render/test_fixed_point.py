"""Pieces the formatter passes through without black are exactly what black makes of them."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import black
import pytest

from generator.format import CHUNK_BREAK, METHOD_BREAK, workers
from generator.format.fixed_point import Hole, black_keeps, black_keeps_head, black_layout, fill

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import golden_large  # noqa: E402
from rendered import black_of_piece as _black  # noqa: E402
from rendered import rendered_sources  # noqa: E402

MODE = workers.mode()
ROOT = Path(__file__).resolve().parents[2]

_KEPT = [
    '_LIST_PAGING = Paging(scheme="cursor", items=("data",), limit_param="limit")',
    '''_LIST: Operation[Customer | DeletedCustomer] = Operation(
    method="GET",
    responses={
        "200": ResponseSpec("application/json", "CustomerList"),
        "default": ResponseSpec("application/json", "Error"),
    },
    security=(
        ("basicAuth",),
        ("bearerAuth",),
    ),
    params=(("query", "expand", "expand"),),
    fields_body=True,
)''',
    '''class Customer(_Model):
    """A customer.

    Related guide: [Save a card](https://example.com/docs/a-rather-long-link-that-goes-past-the-limit-of-the-line)
    """

    address: Address | None = None
    """The customer's address."""
    balance: int = -1
    kind: Literal["a", 'say "b"'] | UnknownValue | None = Field(default=None, alias="type")
    __pydantic_extra__: dict[str, Any] = Field(init=False)''',
    '''class Params(TypedDict, total=False):
    city: Required[str]
    tags: list[str] | Literal[""]''',
    '''    @cached_property
    def cards(self) -> CustomersCards:
        return CustomersCards(self._client)''',
    '''    async def create(
        self,
        customer: str,
        *,
        amount: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AsyncPage[Card, CardList]:
        """Creates a card.

        `POST /v1/customers/{customer}/cards`
        """
        return await afirst_page(self._client, _CREATE, _CREATE_PAGING, locals())''',
    'Alias: TypeAlias = dict[str, Any]\n"""What the alias stands for."""',
    # A resource loaded on first use: imports in a body, one blank line after them.
    '''    @cached_property
    def pets(self) -> _pets.PetsResource:
        from ._resources.pets import PetsResource
        import other as o

        return PetsResource(self)''',
    '''    def __init__(
        self,
        *,
        timeout: float | None = None,
    ) -> None:
        super().__init__(
            base_url=resolve(
                base_url,
                "PKG_BASE_URL",
            ),
            schemes=_SCHEMES[0].keys(),
        )''',
    "_MODELS = frozenset(__all__) - _EXPORTS.keys() - 1",
    "_WHERE = {name: module for module, names in _MODULES.items() for name in names.split()}",
]

# Each one black changes, so each must be left to black.
_CHANGED = [
    "x = (1)",  # redundant parentheses
    "x = f(a,)",  # a magic trailing comma on one line
    "x = a -1",  # a binary minus
    "x = 'a'",  # quotes
    "x = {'a':1}",
    'class A:\n    """Doc."""\n    x: int',  # the blank line after a class docstring
    'class A:\n    """  Doc."""',  # docstring whitespace
    "    field: " + " | ".join(f"SomeTypeName{i}" for i in range(7)) + " | None = None",  # too long
    "x = f(\n    a\n)",  # no magic trailing comma: black joins the lines
    "x = (\n    a,\n)",  # a one-tuple's comma is not magic
    'x = u"a"',  # a string prefix
    "x = f(a = 1)",  # keyword spacing
    "def f(a: int=1) -> None:\n    pass",  # annotated default spacing
    "    def f(self) -> B:\n        from .x import B\n        return B(self)",  # no blank line
    "    def f(self) -> B:\n        from .x import B\n\n\n        return B(self)",  # two
    "x = super() .__init__(a)",
    "x = a-b",
    "x = [a for a in(b)]",
    "x = {a:b for a,b in c}",
]


_LONG_FIELD = "    kind: " + " | ".join(f"SomeTypeName{i}" for i in range(7)) + " | None = None"
_LONG_PARAMETER = "        kind: " + " | ".join(f"SomeTypeName{i}" for i in range(7)) + " | NotGiven = NOT_GIVEN,"


@pytest.mark.parametrize(
    "piece",
    [
        f'class A(_Model):\n    """Doc."""\n\n{_LONG_FIELD}\n    """Field doc."""\n    x: int',
        f"    def create(\n        self,\n{_LONG_PARAMETER}\n        x: int = 1,\n    ) -> None:\n        pass",
        f"    def create(\n        self,\n    ) -> None:\n        return self._client._call({'_X, ' * 30}locals())",
    ],
)
def test_long_lines_are_laid_out_by_black_alone(piece: str) -> None:
    holes = black_layout(piece)
    assert holes is not None and len(holes) == 1
    assert fill(piece, holes, _laid_out(piece, holes)) == _black(piece) != piece


def test_one_stand_in_holds_many_lines_and_gives_each_its_own() -> None:
    lines = [_LONG_FIELD, "    short: int", _LONG_FIELD.replace("kind", "other_kind")]
    stand_in = black_layout(f"class A(_Model):\n{_LONG_FIELD}")[0].stand_in  # type: ignore[index]
    laid_out = stand_in.split(black.format_str(stand_in.snippet(lines), mode=MODE), len(lines))
    assert laid_out is not None
    assert laid_out == [_black(f"class A:\n{line}").split("\n")[1:] for line in lines]
    assert stand_in.split("class B:\n    x: int\n", 1) is None  # a stand-in black changed


def _laid_out(piece: str, holes: list[Hole]) -> list[list[str]]:
    """Black's lines for each hole, from black's output for its stand-in."""
    lines = piece.split("\n")
    out = []
    for hole in holes:
        snippet = hole.stand_in.snippet([lines[hole.line]])
        laid_out = hole.stand_in.split(black.format_str(snippet, mode=MODE), 1)
        assert laid_out is not None
        out.append(laid_out[0])
    return out


_HEAD = '''"""Models used by the `pets` operations only.

Two lines.
"""

from __future__ import annotations

import httpx2 as httpx
from . import _Model
from .._base import (
    NOT_GIVEN,
    NotGiven as NotGivenType,
)

if TYPE_CHECKING:
    from ..models import Pet, Pets
    from ._shared.account import *


from pydantic import Field'''


@pytest.mark.parametrize(
    ("head", "kept"),
    [
        (_HEAD, True),
        (_HEAD.replace("\n\nfrom __future__", "\nfrom __future__"), False),  # black adds the blank line
        (_HEAD.replace("NotGivenType,\n", "NotGivenType\n"), False),  # no magic comma: black joins
        (_HEAD.replace("Pet, Pets", "Pet,Pets"), False),
        (_HEAD.replace("import *\n", "import *\n\n"), False),  # three blank lines: black keeps two
        (_HEAD + "\n# a comment", False),  # black puts a blank line after the imports
        (_HEAD + "\nX = 1", False),
        # Simple statements after the imports, with comment lines (the lazy tables of
        # `__init__.py` and `models.py`, the security schemes of `client.py`).
        (_HEAD + "\n\nX = 1", True),
        (_HEAD + "\n\n# Name -> module.\n#\n_WHERE = {k: v for k, v in _M.items() for n in v}", True),
        (_HEAD + "\n\n_ALL = [\n    \"a\",\n]\n\n_MODELS = frozenset(_ALL) - _E.keys()\nY = 2", True),
        (_HEAD + "\n\n#a comment\nX = 1", False),  # black adds the space
        (_HEAD + "\n\n# fmt: off\nX = 1", False),
        (_HEAD + "\n\n# a comment \nX = 1", False),
        (_HEAD + "\n\nX = 1\n# a comment", False),  # a comment ends the piece
        (_HEAD + "\n\nX = 1\n\n\nY = 2", False),  # black keeps two; not decided here
        (_HEAD + "\n\nX = 1\n\ndef f():\n    pass", False),
        (_HEAD + "\n\nX = -a", False),
        (_HEAD + "\n\nfor x in y:\n    pass", False),
        (_HEAD.replace("from ..models import Pet, Pets\n    from ._shared.account import *", "pass"), True),
        (_HEAD.replace("from ._shared.account import *", "pass"), False),
    ],
)
def test_file_heads_of_docstring_and_imports_are_kept(head: str, kept: bool) -> None:
    assert black_keeps_head(head) is kept
    if kept:
        assert black.format_str(head + "\n", mode=MODE) == head + "\n"


@pytest.mark.parametrize("piece", _KEPT)
def test_plain_generated_shapes_are_kept(piece: str) -> None:
    assert black_keeps(piece)
    assert _black(piece) == piece


@pytest.mark.parametrize("piece", _CHANGED)
def test_what_black_changes_is_left_to_black(piece: str) -> None:
    assert _black(piece) != piece
    assert not black_keeps(piece)


def _pieces(spec: Path) -> list[str]:
    """Every piece the formatter gets for the spec's package (the file heads excepted)."""
    return _cut(spec)[1]


def _cut(spec: Path) -> tuple[list[str], list[str]]:
    """The file heads and every other piece the formatter gets for the spec's package."""
    heads, pieces = [], []
    for source in rendered_sources(spec).values():
        head, *chunks = source.split("\n" + CHUNK_BREAK + "\n")
        heads.append(head.strip("\n"))
        for chunk in chunks:
            pieces.extend(p.strip("\n") for p in chunk.split("\n" + METHOD_BREAK + "\n"))
    return heads, pieces


def _check_all(spec: Path) -> None:
    heads, pieces = _cut(spec)
    kept_heads = [head for head in heads if black_keeps_head(head)]
    for head in kept_heads:
        assert black.format_str(head + "\n", mode=MODE) == head + "\n", head
    assert kept_heads
    layouts = [black_layout(piece) for piece in pieces]
    for piece, holes in zip(pieces, layouts, strict=True):
        if holes is None:
            continue
        assert fill(piece, holes, _laid_out(piece, holes)) == _black(piece), piece
    kept = sum(1 for holes in layouts if holes is not None)
    assert kept >= len(pieces) // 3  # plain pieces skip black


@pytest.mark.parametrize(
    "spec",
    [
        *sorted((ROOT / "specs").glob("*/openapi.yaml")),
        *(p for p in sorted((ROOT / "tests/cases").glob("*/openapi.yaml")) if (p.parent / "expected").is_dir()),
    ],
    ids=lambda p: p.parent.name,
)
def test_kept_pieces_of_bundled_and_golden_specs_are_blacks(spec: Path) -> None:
    _check_all(spec)


@pytest.mark.slow
@pytest.mark.parametrize("case", ["stripe", "openai"])
def test_kept_pieces_of_large_specs_are_blacks(case: str, tmp_path: Path) -> None:
    compressed = golden_large.case_input(case)
    spec = tmp_path / compressed.name.removesuffix(".gz")
    spec.write_bytes(gzip.decompress(compressed.read_bytes()))
    _check_all(spec)
