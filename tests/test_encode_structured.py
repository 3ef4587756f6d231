"""Structured values (a call of a runtime class, Python tuples and dicts, exploded layout) go
through the same literal encoder as spec text: every string inside stays one literal, names are
checked, and an exploded value is black's own layout (black's first pass keeps it)."""

from __future__ import annotations

import ast
import dataclasses

import black
import pytest

from generator.build import lower_client
from generator.config import ClientConfig
from generator.encode import Call, EncodeError, Exploded, PyDict, PyTuple, literal
from generator.render.descriptors import descriptor, descriptor_value
from generator.format.workers import mode as black_mode
from test_encode import HOSTILE
from golden import CASES, case_input


def _evaluate(source: str) -> object:
    """The value of an encoded structure, with the calls it makes recorded as plain tuples."""

    def record(function: str):
        return lambda *args, **kwargs: (function, args, tuple(kwargs.items()))

    names = {
        "Operation": record("Operation"),
        "ResponseSpec": record("ResponseSpec"),
        "Spec": record("Spec"),
    }
    code = compile(ast.parse(source, mode="eval"), "<literal>", "eval")
    return eval(code, {"__builtins__": {}}, names)  # noqa: S307 - our own encoder's output


def _plain(value: object) -> object:
    """What `_evaluate` should give back for a structured value."""
    if isinstance(value, Exploded):
        return _plain(value.value)
    if isinstance(value, Call):
        return (
            value.function,
            tuple(_plain(a) for a in value.args),
            tuple((k, _plain(v)) for k, v in value.kwargs),
        )
    if isinstance(value, PyTuple):
        return tuple(_plain(item) for item in value.items)
    if isinstance(value, PyDict):
        return {_plain(k): _plain(v) for k, v in value.items}
    return value


def test_hostile_text_in_every_position_of_a_call_stays_a_value():
    value = Exploded(
        Call(
            "Spec",
            (HOSTILE[0], PyTuple(tuple(HOSTILE))),
            (
                ("rows", Exploded(PyTuple(tuple(PyTuple((t, t)) for t in HOSTILE)))),
                ("table", Exploded(PyDict(tuple((t, Call("Spec", (t,))) for t in HOSTILE)))),
                ("one", PyTuple((HOSTILE[1],))),
                ("empty", Exploded(PyDict(()))),
            ),
        )
    )
    assert _evaluate(literal(value)) == _plain(value)


@pytest.mark.parametrize("name", ["x=1)", "import", "a b", "", "é\u2028"])
def test_a_name_that_is_no_identifier_is_refused(name):
    with pytest.raises(EncodeError):
        Call(name)
    with pytest.raises(EncodeError):
        Call("Spec", kwargs=((name, 1),))


def test_tuples_flat_and_exploded():
    assert literal(PyTuple(())) == "()"
    assert literal(PyTuple(("a",))) == '("a",)'
    assert literal(PyTuple(("a", 1))) == '("a", 1)'
    assert literal(Exploded(PyTuple(("a", PyTuple(("b",)))))) == '(\n    "a",\n    ("b",),\n)'
    assert literal(("a", 1)) == '["a", 1]'  # a plain tuple is a JSON array


def _operations(case: str):
    spec = case_input(case)
    api, _ = lower_client(
        ClientConfig(f"{case}_client", spec, CASES / case / "expected", spec.name)
    )
    return api.operations


@pytest.mark.parametrize("case", ["security", "hostile", "serialization", "events", "multipart"])
def test_descriptors_are_their_value_in_black_s_layout(case):
    # Black's quote choice is the string encoder's business, and a line past the limit is black's
    # to wrap: the layout is what is checked here.
    mode = dataclasses.replace(black_mode(), string_normalization=False)
    laid_out = 0
    for op in _operations(case):
        source = f"_OP = {descriptor(op)}\n"
        assert _evaluate(descriptor(op)) == _plain(descriptor_value(op))
        if max(len(line) for line in source.splitlines()) <= mode.line_length:
            assert black.format_str(source, mode=mode) == source, op.py_name
            laid_out += 1
    assert laid_out
