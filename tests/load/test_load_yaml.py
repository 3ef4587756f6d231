"""YAML: YAML 1.2 core scalars, keys as text, merges, duplicates, aliases, tags, documents, positions."""

from __future__ import annotations

import math
import tracemalloc

import pytest
import yaml
from load_support import failure, load_yaml, yaml_failure

import generator.load as load_module
import generator.load_yaml as yaml_module

# --- scalars -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # YAML 1.1 booleans stay strings under the 1.2 core schema
        ("on", "on"), ("off", "off"), ("yes", "yes"), ("no", "no"), ("y", "y"), ("n", "n"), ("Yes", "Yes"),
        ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False), ("FALSE", False),
        ("tRUE", "tRUE"),
        ("null", None), ("Null", None), ("NULL", None), ("~", None), ("", None), ("nULL", "nULL"),
        # integers
        ("0", 0), ("12", 12), ("+12", 12), ("-12", -12), ("0755", 755), ("007", 7),
        ("0o17", 15), ("0o0", 0), ("0x1F", 31), ("0xff", 255), ("0x0", 0),
        ("-0o17", "-0o17"), ("+0x1F", "+0x1F"), ("0o8", "0o8"), ("0xG", "0xG"), ("0b101", "0b101"),
        ("1_000", "1_000"), ("1:20", "1:20"), ("190:20:30", "190:20:30"),
        # floats
        ("3E+2", 300.0), ("3e2", 300.0), ("1e3", 1000.0), ("-1.5", -1.5), ("1.", 1.0), (".5", 0.5),
        ("+.5e-1", 0.05), ("1.0", 1.0), ("6.8523015e+5", 685230.15),
        (".", "."), ("1.2.3", "1.2.3"), ("1e", "1e"), ("e3", "e3"), ("1,5", "1,5"),
        # other YAML 1.1 types are plain strings
        ("2020-01-01", "2020-01-01"), ("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"),
        ("=", "="), ("<<x", "<<x"),
    ],
)
def test_plain_scalars_resolve_by_the_yaml_1_2_core_schema(written: str, expected: object) -> None:
    value = load_yaml(f"v: {written}\n").data["v"]
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("written", "check"),
    [
        (".inf", lambda v: v == math.inf), (".Inf", lambda v: v == math.inf), (".INF", lambda v: v == math.inf),
        ("+.inf", lambda v: v == math.inf), ("-.inf", lambda v: v == -math.inf), ("-.Inf", lambda v: v == -math.inf),
        (".nan", math.isnan), (".NaN", math.isnan), (".NAN", math.isnan),
    ],
)
def test_special_floats(written: str, check: object) -> None:
    value = load_yaml(f"v: {written}\n").data["v"]
    assert isinstance(value, float)
    assert check(value)  # type: ignore[operator]


@pytest.mark.parametrize("written", ["inf", "nan", "-.nan", "Infinity", "NaN"])
def test_special_float_lookalikes_are_strings(written: str) -> None:
    assert load_yaml(f"v: {written}\n").data["v"] == written


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("'12'", "12"), ('"true"', "true"), ("'null'", "null"), ("''", ""), ('""', ""), ("'~'", "~"),
        ('"0o17"', "0o17"), ("'3E+2'", "3E+2"),
        ("!!str 12", "12"), ("!!str true", "true"), ("!!str", ""), ("! 12", "12"), ("! true", "true"),
        ("!!int '7'", 7), ("!!int 0x1F", 31), ("!!int 0o17", 15), ('!!int "-3"', -3),
        ("!!float 1", 1.0), ("!!float '2.5'", 2.5), ("!!float 3E+2", 300.0),
        ("!!bool true", True), ("!!bool 'FALSE'", False), ("!!null ''", None), ("!!null null", None), ("!!null", None),
        ("!<tag:yaml.org,2002:str> 1", "1"), ("!<tag:yaml.org,2002:int> 5", 5),
    ],
)
def test_quoted_and_tagged_scalars(written: str, expected: object) -> None:
    value = load_yaml(f"v: {written}\n").data["v"]
    assert value == expected
    assert type(value) is type(expected)


def test_block_and_flow_scalars_keep_their_text() -> None:
    doc = load_yaml("a: |\n  x: 1\n  yes\nb: >-\n  folded\n  text\nc: 'it''s'\nd: \"tab\\tnew\\nline \\u00e9\"\ne: multi\n  line plain\n")
    assert doc.data == {"a": "x: 1\nyes\n", "b": "folded text", "c": "it's", "d": "tab\tnew\nline é", "e": "multi line plain"}


def test_huge_integers_do_not_crash() -> None:
    digits = "1" * 10_000
    # more digits than int() accepts in decimal: the text is kept (documented in load.py)
    assert load_yaml(f"a: {digits}\nb: -{digits}\n").data == {"a": digits, "b": f"-{digits}"}
    # hexadecimal and octal are not limited by int()'s decimal digit bound
    assert load_yaml(f"h: 0x{'f' * 10_000}\n").data["h"] == 16**10_000 - 1
    assert load_yaml(f"o: 0o{'7' * 10_000}\n").data["o"] == 8**10_000 - 1
    huge_float = load_yaml(f"f: {digits}.5\ng: 1e{digits}\n").data
    assert huge_float == {"f": math.inf, "g": math.inf}
    # an explicit !!int that int() refuses is a diagnostic, not a crash
    assert yaml_failure(f"a: !!int {digits}\n") == ("yaml-bad-tag", 1, 4)


# --- keys --------------------------------------------------------------------------------------


def test_keys_keep_their_text() -> None:
    doc = load_yaml("200: a\nyes: b\nnull: c\n1.5: d\ntrue: e\n~: f\n0o17: g\n'x': h\n\"y\": i\n? z\n: j\n!!int 7: k\n")
    assert doc.data == {"200": "a", "yes": "b", "null": "c", "1.5": "d", "true": "e", "~": "f", "0o17": "g",
                        "x": "h", "y": "i", "z": "j", "7": "k"}
    assert all(type(key) is str for key in doc.data)


def test_empty_key_and_empty_value() -> None:
    assert load_yaml("a:\n'': 1\n").data == {"a": None, "": 1}
    assert load_yaml("{a, b: }\n").data == {"a": None, "b": None}


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("{a: 1}: b\n", (1, 1)),
        ("[a]: b\n", (1, 1)),
        ("? [a]\n: b\n", (1, 3)),
        ("x:\n  ? {k: v}\n  : 1\n", (2, 5)),
        ("a: &k key\n*k : 1\n", (2, 1)),  # an alias as a key, even of a string
    ],
)
def test_complex_keys_are_refused(text: str, position: tuple[int, int]) -> None:
    assert yaml_failure(text) == ("yaml-complex-key", *position)


# --- duplicate keys ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "position", "first_line"),
    [
        ("a: 1\nb: 2\na: 3\n", (3, 1), 1),
        ("x:\n  b: 1\n  c: 2\n  b: 3\n", (4, 3), 2),
        ("a:\n  b: 1\n  \"b\": 2\n", (3, 3), 2),  # quoted and plain are the same text
        ("1: a\n'1': b\n", (2, 1), 1),  # keys are text: 1 and "1" collide
        ("{a: 1, b: 2, a: 3}\n", (1, 14), 1),
        ("list:\n- {k: 1}\n- {k: 1, k: 2}\n", (3, 10), 3),
    ],
)
def test_duplicate_keys_are_refused(text: str, position: tuple[int, int], first_line: int) -> None:
    found = failure(lambda: load_yaml(text))
    assert (found.code, found.line, found.col) == ("yaml-duplicate-key", *position)
    assert f"first defined on line {first_line}" in found.message


def test_same_key_in_different_mappings_is_fine() -> None:
    assert load_yaml("a: {k: 1}\nb: {k: 2}\n").data == {"a": {"k": 1}, "b": {"k": 2}}


# --- merge keys --------------------------------------------------------------------------------


def test_merge_key_with_one_alias() -> None:
    doc = load_yaml("base: &b\n  x: 1\n  y: 2\nderived:\n  <<: *b\n  y: 3\n")
    assert doc.data == {"base": {"x": 1, "y": 2}, "derived": {"x": 1, "y": 3}}
    assert doc.data["derived"] == yaml.safe_load("base: &b\n  x: 1\n  y: 2\nderived:\n  <<: *b\n  y: 3\n")["derived"]
    assert doc.locate("/derived/y") == (6, 3)  # the explicit key
    assert doc.locate("/derived/x") == (2, 3)  # a merged key: where it is written


def test_merge_key_with_a_list_earlier_mappings_win() -> None:
    text = "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nm:\n  <<: [*a, *b]\n  x: 9\n"
    doc = load_yaml(text)
    assert doc.data["m"] == {"x": 9, "y": 1, "z": 2}
    assert doc.data == yaml.safe_load(text)
    assert doc.locate("/m/x") == (5, 3)
    assert doc.locate("/m/y") == (1, 14)
    assert doc.locate("/m/z") == (2, 14)


def test_merge_key_explicit_key_before_the_merge_wins() -> None:
    assert load_yaml("a: &a {x: 1}\nm: {x: 2, <<: *a}\n").data["m"] == {"x": 2}


def test_merge_key_with_an_inline_mapping() -> None:
    doc = load_yaml("m:\n  <<: {p: 1, q: 2}\n  q: 3\n")
    assert doc.data == {"m": {"p": 1, "q": 3}}
    assert doc.locate("/m/p") == (2, 8)


def test_merge_key_does_not_make_a_duplicate() -> None:
    assert load_yaml("a: &a {x: 1}\nm:\n  <<: *a\n  x: 2\n").data["m"] == {"x": 2}


def test_quoted_merge_key_is_an_ordinary_key() -> None:
    assert load_yaml("m:\n  '<<': 1\n").data == {"m": {"<<": 1}}
    assert load_yaml('a: &a {x: 1}\nm: {"<<": *a}\n').data["m"] == {"<<": {"x": 1}}


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("m: {<<: 1}\n", (1, 5)),
        ("m:\n  <<: [1]\n", (2, 3)),
        ("a: &a {x: 1}\nm:\n  <<: [*a, [2]]\n", (3, 3)),
        ("m:\n  <<: ~\n", (2, 3)),
    ],
)
def test_merge_of_a_non_mapping_is_refused(text: str, position: tuple[int, int]) -> None:
    assert yaml_failure(text) == ("yaml-merge", *position)


# --- anchors and aliases -------------------------------------------------------------------------


def test_aliases_share_the_anchored_value() -> None:
    doc = load_yaml("a: &x\n  k: [1, 2]\nb: *x\nc: &s text\nd: *s\n")
    assert doc.data == {"a": {"k": [1, 2]}, "b": {"k": [1, 2]}, "c": "text", "d": "text"}
    assert doc.locate("/b") == (3, 1)
    assert doc.locate("/b/k") == (2, 3)  # inside an alias: where the anchored node is written
    assert doc.locate("/b/k/1") == (2, 10)


def test_anchor_redefined_later_wins() -> None:
    assert load_yaml("a: &x 1\nb: *x\nc: &x 2\nd: *x\n").data == {"a": 1, "b": 1, "c": 2, "d": 2}


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("a: &a [*a]\n", (1, 8)),
        ("a: &a\n  b:\n    - c: *a\n", (3, 10)),
        ("&r {a: *r}\n", (1, 8)),
        ("a: &o\n  b: &i\n    c: *o\n", (3, 8)),
    ],
)
def test_recursive_alias_is_refused(text: str, position: tuple[int, int]) -> None:
    assert yaml_failure(text) == ("yaml-recursive-alias", *position)


def test_alias_after_its_anchor_closed_is_not_recursive() -> None:
    assert load_yaml("a: &a {k: 1}\nb: [*a, *a]\n").data == {"a": {"k": 1}, "b": [{"k": 1}, {"k": 1}]}


def test_undefined_alias() -> None:
    assert yaml_failure("a: *nope\n") == ("yaml-syntax", 1, 4)
    assert yaml_failure("a: *later\nb: &later 1\n") == ("yaml-syntax", 1, 4)


# --- alias bombs ---------------------------------------------------------------------------------


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_fails_fast_without_building_the_expansion() -> None:
    tracemalloc.start()
    try:
        found = failure(lambda: load_yaml(billion_laughs()))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the 6th level (line 7) expands to 9 x 597,871 nodes: its 8th alias crosses 5,000,000
    assert (found.code, found.line, found.col) == ("yaml-too-large", 7, 45)
    assert "5,000,000" in found.message
    assert peak < 5_000_000  # bytes: the expansion (billions of nodes) was never built


def test_wide_alias_bomb_fails() -> None:
    text = "a: &a [" + ", ".join(["x"] * 1000) + "]\nb: &b [" + ", ".join(["*a"] * 1000) + "]\nc: [" + ", ".join(["*b"] * 10) + "]\n"
    assert yaml_failure(text) == ("yaml-too-large", 3, 17)  # 4 x 1,001,001 more


def test_merge_bomb_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    # each `<<: *m` copies m's 1,000 entries: merges count as the whole merged mapping
    monkeypatch.setattr(yaml_module, "MAX_EXPANDED_NODES", 100_000)
    keys = ", ".join(f"k{i}: {i}" for i in range(1000))
    text = f"m: &m {{{keys}}}\nl:\n" + "".join("- {<<: *m}\n" for _ in range(1000))
    # `m` and `l` are 2,003 nodes; the k-th item's alias brings the count to 2,003k + 2,002 > 100,000 at k = 49
    assert yaml_failure(text) == ("yaml-too-large", 51, 8)


def test_expansion_bound_counts_nodes_a_walk_visits(monkeypatch: pytest.MonkeyPatch) -> None:
    # `a: [1, 2]` is 4 nodes below the root: the key, the list, two items
    monkeypatch.setattr(yaml_module, "MAX_EXPANDED_NODES", 4)
    assert load_yaml("a: [1, 2]\n").data == {"a": [1, 2]}
    monkeypatch.setattr(yaml_module, "MAX_EXPANDED_NODES", 3)
    assert yaml_failure("a: [1, 2]\n") == ("yaml-too-large", 1, 4)  # items count before their list
    # an alias counts as the whole anchored value: 4 + key + 3
    monkeypatch.setattr(yaml_module, "MAX_EXPANDED_NODES", 8)
    assert load_yaml("a: &x [1, 2]\nb: *x\n").data == {"a": [1, 2], "b": [1, 2]}
    monkeypatch.setattr(yaml_module, "MAX_EXPANDED_NODES", 7)
    assert yaml_failure("a: &x [1, 2]\nb: *x\n") == ("yaml-too-large", 2, 4)


def test_expansion_bound_does_not_count_nodes_once_per_ancestor(monkeypatch: pytest.MonkeyPatch) -> None:
    # 30 levels deep, 100 leaves: about 160 nodes. Counting each node once per enclosing level
    # (a bug that was fixed) made this "larger" than 1,000.
    monkeypatch.setattr(yaml_module, "MAX_EXPANDED_NODES", 1_000)
    text = "".join("  " * i + f"k{i}:\n" for i in range(30)) + "  " * 30 + "v: [" + ", ".join(["1"] * 100) + "]\n"
    data = load_yaml(text).data
    for i in range(30):
        data = data[f"k{i}"]
    assert data == {"v": [1] * 100}


# --- nesting depth -------------------------------------------------------------------------------


def test_nesting_up_to_max_depth_loads() -> None:
    depth = load_module.MAX_DEPTH
    data = load_yaml("a: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n").data
    for _ in range(depth - 1):
        assert isinstance(data, (dict, list))
        data = data["a"] if isinstance(data, dict) else data[0]
    assert data == []


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("[" * 201 + "]" * 201, (1, 201)),
        ("a: " + "[" * 200 + "]" * 200, (1, 203)),
        ("{a: " * 201 + "1" + "}" * 201, (1, 801)),
        ("- " * 201 + "x", (1, 401)),
        ("".join("  " * i + "k:\n" for i in range(200)) + "  " * 200 + "k: 1\n", (201, 401)),
    ],
    ids=["flow-seq", "flow-seq-in-map", "flow-map", "compact-block-seq", "block-map"],
)
def test_nesting_beyond_max_depth_is_refused(text: str, position: tuple[int, int]) -> None:
    assert yaml_failure(text) == ("too-deep", *position)


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000 + "]" * 100_000, "{a: " * 100_000 + "1" + "}" * 100_000, "- " * 100_000 + "x", "[" * 100_000],
    ids=["flow-seq", "flow-map", "compact-block-seq", "unclosed"],
)
def test_very_deep_nesting_is_refused_without_building_it(text: str) -> None:
    assert yaml_failure(text)[0] == "too-deep"


# --- tags --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("a: !!binary aGk=\n", (1, 4)),
        ("a: !!timestamp 2001-12-14\n", (1, 4)),
        ("a: !foo x\n", (1, 4)),
        ("a: !<tag:example.com,2000:x> x\n", (1, 4)),
        ("a: !!set {x}\n", (1, 4)),
        ("a: !!omap [x: 1]\n", (1, 4)),
        ("a: !!pairs [x: 1]\n", (1, 4)),
        ("a: !!python/object:os.system {}\n", (1, 4)),
        ("a: !custom\n  b: 1\n", (1, 4)),
        ("a: !!map [1]\n", (1, 4)),
        ("a: !!seq {x: 1}\n", (1, 4)),
        ("a:\n  - !!str [1]\n", (2, 5)),
        ("!!set\n? a\n", (1, 1)),
    ],
)
def test_unsupported_tags_are_refused(text: str, position: tuple[int, int]) -> None:
    assert yaml_failure(text) == ("yaml-unsupported-tag", *position)


def test_standard_collection_tags_are_accepted() -> None:
    assert load_yaml("a: !!map {x: 1}\nb: !!seq [1]\nc: ! {y: 2}\n").data == {"a": {"x": 1}, "b": [1], "c": {"y": 2}}


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("a: !!bool yes\n", (1, 4)),
        ("a: !!int 1.5\n", (1, 4)),
        ("a: !!int true\n", (1, 4)),
        ("a: !!null x\n", (1, 4)),
        ("a: !!float true\n", (1, 4)),
        ("a: !!float x\n", (1, 4)),
        ("a:\n  b: !!int '0b1'\n", (2, 6)),
    ],
)
def test_values_that_do_not_match_their_tag_are_refused(text: str, position: tuple[int, int]) -> None:
    assert yaml_failure(text) == ("yaml-bad-tag", *position)


# --- documents -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["a: 1\n", "---\na: 1\n", "---\na: 1\n...\n", "%YAML 1.2\n---\na: 1\n", "# comment\na: 1 # trailing\n", "\n\n---\na: 1\n...\n\n"],
)
def test_one_document(text: str) -> None:
    assert load_yaml(text).data == {"a": 1}


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("a: 1\n---\nb: 2\n", (2, 1)),
        ("---\na: 1\n...\n---\nb: 2\n", (4, 1)),
        ("a: 1\n...\n---\nb: 2\n", (3, 1)),
        ("---\na: 1\n--- \n", (3, 1)),
    ],
)
def test_multiple_documents_are_refused(text: str, position: tuple[int, int]) -> None:
    assert yaml_failure(text) == ("multiple-documents", *position)


# --- syntax errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("a: [1, 2\nb: 3\n", (2, 2)),
        ("a:\n  b: 1\n c: 2\n", (3, 2)),
        ("a: 'unterminated\n", (2, 1)),
        ("a: b: c\n", (1, 5)),
        ("ééé: [1, 2}\n", (1, 11)),  # columns count characters, not bytes
        ("a: 1\n\tb: 2\n", (2, 1)),
        ("a: @x\n", (1, 4)),
        ("a: 1\r\nb: [1,\r\n  }\r\n", (3, 3)),
        ("key: value\n- item\n", (2, 1)),
        ("[\n", (2, 1)),
        ("a: 1\n...\nb: 2\n", (3, 1)),  # after `...` a document needs `---`
    ],
)
def test_syntax_errors_have_positions(text: str, position: tuple[int, int]) -> None:
    assert yaml_failure(text) == ("yaml-syntax", *position)


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("a: 1\nb: \x01\n", (2, 4)),
        ("a: 1\nb: é\x7f\n", (2, 5)),  # after a two-byte character: still the 5th character
        ("\x00", (1, 1)),
        ("a: 1\nb: 😀\ufffe\n", (2, 5)),
        ("a: \"\x1b\"\n", (1, 5)),
    ],
)
def test_forbidden_characters_are_located(text: str, position: tuple[int, int]) -> None:
    assert yaml_failure(text) == ("yaml-syntax", *position)


def test_first_line_shifts_error_lines() -> None:
    assert yaml_failure("a: 1\nb: [\n", first_line=40) == ("yaml-syntax", 42, 1)
    assert yaml_failure("a: 1\na: 2\n", first_line=40) == ("yaml-duplicate-key", 41, 1)
    assert yaml_failure("a: 1\nb: \x01\n", first_line=40) == ("yaml-syntax", 41, 4)
    assert yaml_failure("a: 1\n---\nb: 1\n", first_line=40) == ("multiple-documents", 41, 1)
    assert yaml_failure("[" * 201, first_line=40) == ("too-deep", 40, 201)


# --- locate --------------------------------------------------------------------------------------

LOCATE_DOC = """\
openapi: 3.1.0
info:
  title: Pets
paths:
  /pets/{id}:
    get:
      tags: [a, b]
      parameters:
        - name: id
          in: path
        - $ref: '#/components/parameters/x'
  a~b:
    x: 1
  ~1:
    y: 2
  "": {z: 3}
list:
  - plain
  -   - nested
      - {k: v}
"""


@pytest.mark.parametrize(
    ("pointer", "position"),
    [
        ("", (1, 1)),
        ("/openapi", (1, 1)),
        ("/info", (2, 1)),
        ("/info/title", (3, 3)),
        ("/paths", (4, 1)),
        ("/paths/~1pets~1{id}", (5, 3)),
        ("/paths/~1pets~1{id}/get", (6, 5)),
        ("/paths/~1pets~1{id}/get/tags", (7, 7)),
        ("/paths/~1pets~1{id}/get/tags/0", (7, 14)),
        ("/paths/~1pets~1{id}/get/tags/1", (7, 17)),
        ("/paths/~1pets~1{id}/get/parameters/0", (9, 11)),  # a list item: its value
        ("/paths/~1pets~1{id}/get/parameters/0/in", (10, 11)),
        ("/paths/~1pets~1{id}/get/parameters/1/$ref", (11, 11)),
        ("/paths/a~0b", (12, 3)),  # ~0 is "~"
        ("/paths/a~0b/x", (13, 5)),
        ("/paths/~01", (14, 3)),  # ~01 is "~1", not "/"
        ("/paths/~01/y", (15, 5)),
        ("/paths/", (16, 3)),  # the empty key
        ("/paths//z", (16, 8)),
        ("/list/0", (18, 5)),
        ("/list/1", (19, 7)),
        ("/list/1/0", (19, 9)),
        ("/list/1/1", (20, 9)),
        ("/list/1/1/k", (20, 10)),
    ],
)
def test_locate(pointer: str, position: tuple[int, int]) -> None:
    assert load_yaml(LOCATE_DOC).locate(pointer) == position


@pytest.mark.parametrize(
    ("pointer", "position"),
    [
        ("/nope", (1, 1)),
        ("/nope/deeper", (1, 1)),
        ("/info/nope/deeper", (2, 1)),
        ("/info/title/extra", (3, 3)),  # below a scalar
        ("/paths/~1pets", (4, 1)),
        ("/paths/~1pets~1{id}/post", (5, 3)),
        ("/paths/~1pets~1{id}/get/tags/2", (7, 7)),  # past the end
        ("/paths/~1pets~1{id}/get/tags/-", (7, 7)),
        ("/list/x", (17, 1)),
        ("/list/-1", (17, 1)),
        ("/paths/a~1b", (4, 1)),  # "a/b" is not "a~b"
    ],
)
def test_locate_missing_pointer_gives_nearest_ancestor(pointer: str, position: tuple[int, int]) -> None:
    assert load_yaml(LOCATE_DOC).locate(pointer) == position


def test_locate_empty_key_at_the_root() -> None:
    doc = load_yaml("a: 1\n'':\n  b: 2\n")
    assert doc.locate("/") == (2, 1)
    assert doc.locate("//b") == (3, 3)


def test_locate_with_first_line() -> None:
    doc = load_yaml(LOCATE_DOC, first_line=100)
    assert doc.locate("") == (100, 1)
    assert doc.locate("/info/title") == (102, 3)
    assert doc.locate("/list/1/1/k") == (119, 10)
    assert doc.locate("/missing") == (100, 1)


def test_locate_root_after_leading_comments() -> None:
    doc = load_yaml("# comment\n\n---\n  a: 1\n")
    assert doc.locate("") == (4, 3)
    assert doc.locate("/a") == (4, 3)


def test_locate_flow_mapping() -> None:
    doc = load_yaml('{"a": {"b": [1, {"c": 2}]}}')
    assert doc.locate("") == (1, 1)
    assert doc.locate("/a") == (1, 2)
    assert doc.locate("/a/b") == (1, 8)
    assert doc.locate("/a/b/1") == (1, 17)
    assert doc.locate("/a/b/1/c") == (1, 18)


def test_locate_multiline_keys_and_values() -> None:
    doc = load_yaml("a: |\n  text\n  more\nb:\n  'quoted key': >\n    folded\nc: 1\n")
    assert doc.locate("/b/quoted key") == (5, 3)
    assert doc.locate("/c") == (7, 1)


def test_locate_counts_characters_not_bytes() -> None:
    doc = load_yaml("é: {ü: [😀, x]}\n")
    assert doc.locate("/é/ü") == (1, 5)
    assert doc.locate("/é/ü/1") == (1, 12)
