"""The literal and docstring encoders are the only way spec text reaches generated code: they must be exact."""

import ast

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.encode import EncodeError, docstring, literal, one_line
import pytest

HOSTILE = [
    '"""; __import__("os").system("touch /tmp/pwned") #',
    "'''", '\\', '\\"""', "\r", "\u2028", "\u2029", "\x00", "{{ x }}", "{% if %}", "# c", "*/", "naïve – ü",
    'ends with quote"', "\\x41", "\ud800", "line1\nline2\r\nline3",
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@pytest.mark.slow
@given(json_values)
@settings(max_examples=300)
def test_literal_round_trips(value):
    assert ast.literal_eval(literal(value)) == value


def test_literal_hostile_strings_round_trip_and_stay_one_expression():
    for text in HOSTILE:
        source = literal(text)
        tree = ast.parse(source, mode="eval")
        assert isinstance(tree.body, ast.Constant) and tree.body.value == text
        assert "\n" not in source and "\u2028" not in source


def test_literal_writes_non_finite_floats_as_calls():
    assert eval(literal(float("inf"))) == float("inf")  # noqa: S307 - our own encoder's output
    assert literal(float("-inf")) == 'float("-inf")'


def test_literal_refuses_unprintable_huge_ints():
    try:
        literal(10**5000)
    except EncodeError:
        return
    raise AssertionError("expected EncodeError")


@given(st.text())
@settings(max_examples=300)
def test_docstring_is_one_string_literal_with_the_text(text):
    source = f"def f():\n    {docstring(text, '    ')}\n"
    module = ast.parse(source)
    body = module.body[0].body
    assert len(body) == 1 and isinstance(body[0].value, ast.Constant)
    value = body[0].value.value
    # Whitespace layout may change (indentation, tabs, trailing spaces); the words may not.
    assert value.split() == text.replace("\r\n", "\n").replace("\t", "    ").strip().split() or not text.strip()


def test_docstring_hostile_texts_cannot_escape():
    for text in HOSTILE:
        module = ast.parse(f"class C:\n    {docstring(text, '    ')}\n    x = 1\n")
        assert [type(n).__name__ for n in module.body[0].body] == ["Expr", "Assign"]


def test_docstring_escapes_whole_texts_as_it_does_character_by_character():
    """The fast path (whole-string replaces) and the character-by-character escape agree on every
    text of up to 5 characters drawn from quotes, escapes, controls and plain letters."""
    from itertools import product

    from generator.encode import _escape_doc, _escape_doc_char

    alphabet = ['"', "\\", "\r", "\n", "\t", "a", "\x00", "\u2028"]
    for size in range(6):
        for chars in product(alphabet, repeat=size):
            text = "".join(chars)
            by_char = "".join(_escape_doc_char(text, i) for i in range(len(text)))
            assert _escape_doc(text) == by_char, repr(text)


def test_one_line_flattens_and_limits():
    assert one_line("a\nb\r\n\tc\u2028d") == "a b c d"
    assert len(one_line("x" * 500, limit=50)) == 50
