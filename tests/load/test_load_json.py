"""JSON: data, duplicate keys, refused constants, syntax errors, depth, and the lazy position map."""

from __future__ import annotations

import json
import math

import pytest
from load_support import json_failure, load_json

import generator.load as load_module
import generator.load_json as json_module


def test_data() -> None:
    text = '{"s": "x", "i": -3, "f": 1.5E+3, "t": true, "n": null, "l": [1, [2], {}], "o": {"k": []}, "e": "\\u00e9\\n\\"\\\\/"}'
    assert load_json(text).data == json.loads(text)
    assert load_json(text).data["e"] == 'é\n"\\/'


def test_surrogate_pairs_load() -> None:
    doc = load_json('{"emoji": "\\ud83d\\ude00", "\\ud83d\\ude00": ["\\uD83D\\uDE00x"]}')
    assert doc.data == {"emoji": "😀", "😀": ["😀x"]}
    assert doc.locate("/😀/0") == (1, 44)


def test_non_ascii_text_loads() -> None:
    assert load_json('{"é": "ü😀"}').data == {"é": "ü😀"}


def test_huge_numbers_do_not_crash() -> None:
    digits = "1" * 10_000
    # int() refuses more than 4,300 decimal digits: a located diagnostic, not a ValueError
    assert json_failure('{"ok": 1,\n "big": ' + digits + "}") == ("json-syntax", 2, 9)
    assert json_failure('{"big": [-' + digits + "]}") == ("json-syntax", 1, 10)
    # a float with as many digits is just large
    assert load_json('{"f": ' + digits + ".5}").data == {"f": math.inf}
    assert load_json('{"f": 1e400, "g": -1e400}').data == {"f": math.inf, "g": -math.inf}
    # a long number inside a string is text
    assert load_json('{"s": "' + digits + '"}').data == {"s": digits}


# --- duplicate keys ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ('{"a": 1, "a": 2}', (1, 10)),
        ('{"a":1,"a":1}', (1, 8)),
        ('{\n "x": {"k": 1,\n  "k": 2}}', (3, 3)),
        ('{"k": 1, "z": {"k": 1, "k": 2}}', (1, 24)),
        ('{"l": [{"a": 1}, {"a": 1, "b": 2, "a": 3}]}', (1, 35)),
        ('{"\\u0061": 1, "a": 2}', (1, 15)),  # the same key, written differently
    ],
)
def test_duplicate_keys_are_refused(text: str, position: tuple[int, int]) -> None:
    assert json_failure(text) == ("json-duplicate-key", *position)


def test_same_key_in_different_objects_is_fine() -> None:
    assert load_json('{"b": {"a": 1}, "a": 2}').data == {"b": {"a": 1}, "a": 2}


# --- refused constants and syntax errors ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ('{"a": NaN}', (1, 7)),
        ('{"a": [1, Infinity]}', (1, 11)),
        ('{\n  "a": -Infinity}', (2, 8)),
        ('{"NaN": "NaN", "b": NaN}', (1, 21)),
    ],
)
def test_nan_and_infinity_are_refused(text: str, position: tuple[int, int]) -> None:
    assert json_failure(text) == ("json-syntax", *position)


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ('{"a": 1,}', (1, 9)),
        ('{\n  "a": 1\n  "b": 2\n}', (3, 3)),
        ('{"a": "unterminated', (1, 7)),
        ('{"a" 1}', (1, 6)),
        ('{"a": tru}', (1, 7)),
        ("{'a': 1}", (1, 2)),
        ('{"a": 1} x', (1, 10)),
        ('{"a": 1}\n{"b": 2}', (2, 1)),
        ('{"a": [1, 2}', (1, 12)),
        ('{"a": "\t"}', (1, 8)),
        ('{"a": 01}', (1, 8)),
        ('{"a": "\\x"}', (1, 8)),
        ('{"é": "ü", "b": ]}', (1, 17)),  # columns count characters
        ('\ufeff{"a": 1}', (1, 1)),
        ("{", (1, 2)),
        ('{"a": 1 // comment\n}', (1, 9)),
    ],
)
def test_syntax_errors_have_positions(text: str, position: tuple[int, int]) -> None:
    assert json_failure(text) == ("json-syntax", *position)


def test_syntax_error_message_does_not_end_mid_sentence() -> None:
    from load_support import failure

    found = failure(lambda: load_json('{"a": "unterminated'))
    assert found.message == "invalid JSON: Unterminated string starting"


def test_first_line_shifts_error_lines() -> None:
    assert json_failure('{\n"a": 1,}', first_line=10) == ("json-syntax", 11, 8)
    assert json_failure('{"a": 1,\n "a": 2}', first_line=10) == ("json-duplicate-key", 11, 2)
    assert json_failure('{"a":\n NaN}', first_line=10) == ("json-syntax", 11, 2)
    assert json_failure("[" * 201 + "]" * 201, first_line=10) == ("too-deep", 10, 201)


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("  [1]", (1, 3)),
        ("null", (1, 1)),
        ('"s"', (1, 1)),
        ("\n 12", (2, 2)),
        ("true", (1, 1)),
    ],
)
def test_not_a_mapping(text: str, position: tuple[int, int]) -> None:
    assert json_failure(text) == ("not-a-mapping", *position)


# --- depth ---------------------------------------------------------------------------------------


def test_nesting_up_to_max_depth_loads() -> None:
    depth = load_module.MAX_DEPTH
    data = load_json('{"a": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}").data
    for _ in range(depth - 1):
        data = data["a"] if isinstance(data, dict) else data[0]
    assert data == []


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("[" * 201 + "]" * 201, (1, 201)),
        ('{"a": ' + "[" * 200 + "]" * 200 + "}", (1, 206)),
        ('{"a":' * 201 + "1" + "}" * 201, (1, 1001)),
        ("{\n" + '"a": {\n' * 200 + '"b": 1' + "}" * 201, (201, 6)),
        ('{"a": "[[[[", "b": ' + "[" * 200 + "]" * 200 + "}", (1, 219)),  # brackets in strings do not count
        # deeper than the interpreter's recursion limit: still `too-deep`, at the 201st bracket
        ("[" * 100_000 + "]" * 100_000, (1, 201)),
        ('{"a":' * 100_000 + "1" + "}" * 100_000, (1, 1001)),
        ('{"a": ' + "[" * 3_000 + "]" * 3_000 + "}", (1, 206)),
    ],
    ids=["arrays-201", "in-object-201", "objects-201", "multiline-201", "brackets-in-strings", "arrays-100000",
         "objects-100000", "arrays-3000"],
)
def test_nesting_beyond_max_depth_is_refused(text: str, position: tuple[int, int]) -> None:
    assert json_failure(text) == ("too-deep", *position)


def test_deep_and_broken_is_a_syntax_error() -> None:
    assert json_failure("[" * 100_000)[0] in ("json-syntax", "too-deep")
    assert json_failure('{"a": ' + "[" * 100 + "}")[0] == "json-syntax"


# --- locate --------------------------------------------------------------------------------------

LOCATE_DOC = """\
{
  "openapi": "3.1.0",
  "info": {"title": "Pets", "x-\\u00e9": 1},
  "paths": {
    "/pets/{id}": {
      "get": {
        "tags": ["a", "b"],
        "parameters": [
          {"name": "id", "in": "path"},
          {"$ref": "#/components/parameters/x"}
        ]
      }
    },
    "a~b": {"x": 1},
    "~1": {"y": 2},
    "": {"z": 3},
    "q\\"uote": [[1, 2], {"k": null}]
  }
}
"""


@pytest.mark.parametrize(
    ("pointer", "position"),
    [
        ("", (1, 1)),
        ("/openapi", (2, 3)),
        ("/info", (3, 3)),
        ("/info/title", (3, 12)),
        ("/info/x-é", (3, 29)),  # the key is written as an escape
        ("/paths/~1pets~1{id}", (5, 5)),
        ("/paths/~1pets~1{id}/get/tags", (7, 9)),
        ("/paths/~1pets~1{id}/get/tags/0", (7, 18)),  # array items: the value
        ("/paths/~1pets~1{id}/get/tags/1", (7, 23)),
        ("/paths/~1pets~1{id}/get/parameters/0", (9, 11)),
        ("/paths/~1pets~1{id}/get/parameters/0/in", (9, 26)),
        ("/paths/~1pets~1{id}/get/parameters/1", (10, 11)),
        ("/paths/~1pets~1{id}/get/parameters/1/$ref", (10, 12)),
        ("/paths/a~0b", (14, 5)),
        ("/paths/a~0b/x", (14, 13)),
        ("/paths/~01/y", (15, 12)),
        ("/paths/", (16, 5)),
        ("/paths//z", (16, 10)),
        ('/paths/q"uote', (17, 5)),
        ('/paths/q"uote/0', (17, 17)),
        ('/paths/q"uote/0/1', (17, 21)),
        ('/paths/q"uote/1/k', (17, 26)),
    ],
)
def test_locate(pointer: str, position: tuple[int, int]) -> None:
    assert load_json(LOCATE_DOC).locate(pointer) == position


@pytest.mark.parametrize(
    ("pointer", "position"),
    [
        ("/nope", (1, 1)),
        ("/nope/deeper", (1, 1)),
        ("/info/nope/deeper", (3, 3)),
        ("/info/title/extra", (3, 12)),
        ("/paths/~1pets~1{id}/get/tags/9", (7, 9)),
        ("/paths/~1pets~1{id}/get/tags/x", (7, 9)),
        ("/paths/~1pets~1{id}/get/tags/-", (7, 9)),
        ("/paths/a~1b", (4, 3)),
    ],
)
def test_locate_missing_pointer_gives_nearest_ancestor(pointer: str, position: tuple[int, int]) -> None:
    assert load_json(LOCATE_DOC).locate(pointer) == position


def test_locate_agrees_with_yaml_for_the_same_document() -> None:
    from load_support import load_yaml, pointers

    json_doc, yaml_doc = load_json(LOCATE_DOC), load_yaml(LOCATE_DOC)  # JSON is YAML
    assert json_doc.data == yaml_doc.data
    for pointer, _, _ in pointers(json_doc.data):
        assert json_doc.locate(pointer) == yaml_doc.locate(pointer), pointer


def test_locate_with_first_line_and_leading_space() -> None:
    doc = load_json('\n\n   {"a": {"b": [true]}}', first_line=7)
    assert doc.locate("") == (9, 4)
    assert doc.locate("/a/b/0") == (9, 17)


def test_locate_empty_key_at_the_root() -> None:
    doc = load_json('{"": {"b": 1}}')
    assert doc.locate("/") == (1, 2)
    assert doc.locate("//b") == (1, 7)


def test_position_map_is_computed_lazily_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    scan = json_module._JsonLocator._scan

    def counting(self: object) -> dict[str, int]:
        calls.append(1)
        return scan(self)  # type: ignore[arg-type]

    monkeypatch.setattr(json_module._JsonLocator, "_scan", counting)
    doc = load_json('{"a": {"b": 1}}')
    assert calls == []
    assert doc.locate("/a/b") == (1, 8)
    assert doc.locate("/a") == (1, 2)
    assert calls == [1]
