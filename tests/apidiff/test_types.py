"""Type texts of the API surface: read back exactly, compared by the values they admit."""

from __future__ import annotations

import pytest

from generator import ir
from generator.apidiff.types import (
    Atom,
    Lit,
    accepts,
    literal_values,
    names_in,
    parse,
    text_of,
)


def test_text_of_writes_what_an_annotation_reads_like():
    nested = ir.Nullable(ir.UnionType((ir.ListType(ir.Named("Customer")), ir.MapType(ir.Primitive("uuid")))))
    assert text_of(nested) == "list[Customer] | dict[str, UUID] | None"
    assert text_of(ir.LiteralType(("a", 1, True))) == 'Literal["a", 1, true]'
    assert text_of(None) == "None"


def test_literals_full_of_spec_syntax_read_back_as_the_same_values():
    hostile = ('a | b', 'x]"y', "Literal[", "list[", "", "\\", "\n#")
    shape = parse(text_of(ir.Nullable(ir.LiteralType(hostile))))
    assert literal_values(shape) == (frozenset(("str", v) for v in hostile), True)


def test_bool_and_int_literals_stay_apart():
    assert not accepts(parse("Literal[1]"), parse("Literal[true]"))
    assert accepts(parse("bool"), parse("Literal[true]"))
    assert not accepts(parse("int"), parse("Literal[true]"))


@pytest.mark.parametrize(("wide", "narrow"), [
    ("float", "int"), ("str | None", "str"), ("Any", "list[Customer]"), ("str", 'Literal["a", "b"]'),
    ('Literal["a", "b", "c"]', 'Literal["a"] | Literal["b"]'), ("list[int | str]", "list[int]"), ("A | B | None", "B"),
    ("dict[str, float]", "dict[str, int]"),
])
def test_accepts(wide, narrow):
    assert accepts(parse(wide), parse(narrow))
    assert not accepts(parse(narrow), parse(wide))


@pytest.mark.parametrize("pair", [("list[int]", "dict[str, int]"), ("Customer", "Order"), ("UUID", "str"), ("int", "float")])
def test_unrelated_or_wider_types_are_not_accepted(pair):
    assert not accepts(parse(pair[0]), parse(pair[1]))


def test_names_in_finds_every_model_a_type_refers_to():
    assert names_in(parse("list[A] | dict[str, B | None] | str")) == ["A", "B"]
    assert parse("Customer") == Atom("Customer", named=True)
    assert parse('Literal["x"]') == Lit((("str", "x"),))


@pytest.mark.parametrize("text", ["list[int", "Literal[[1]]", "int |", "dict[int, str]", "int str"])
def test_malformed_type_text_is_an_error(text):
    with pytest.raises(ValueError):
        parse(text)
