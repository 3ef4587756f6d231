"""The `.clientgen-api.json` format: stable, forgiving across versions, every type text readable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.apidiff import surface as s
from generator.apidiff.compare import compare
from generator.apidiff.directions import model_directions
from generator.apidiff.types import parse

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = sorted(ROOT.glob("tests/cases/*/expected/.clientgen-api.json")) + sorted(ROOT.glob("generated/*/.clientgen-api.json"))


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_committed_surface_reads_back_byte_for_byte_and_its_types_parse(path):
    text = path.read_text(encoding="utf-8")
    surface = s.from_json(text)
    assert s.to_json(surface) == text
    texts = [a.type for m in surface.methods for a in m.args] + [m.returns for m in surface.methods]
    texts += [f.type for model in surface.models for f in model.fields] + [m.alias_of for m in surface.models if m.alias_of]
    for type_text in texts:
        parse(type_text)
    model_directions(surface)
    assert compare(surface, surface) == ()


def test_an_older_file_without_an_attribute_reads_with_its_default_and_unknown_keys_are_ignored():
    data = json.loads(s.to_json(s.Surface("p", methods=(s.Method("k", "m", "GET /", returns="Customer"),))))
    del data["methods"][0]["returns"]
    data["methods"][0]["added_by_a_newer_clientgen"] = 1
    assert s.from_json(json.dumps(data)).methods[0] == s.Method("k", "m", "GET /")


@pytest.mark.parametrize("text", ["[]", "{}", "not json", json.dumps({"package": "p", "format": 99})])
def test_what_is_not_a_surface_is_a_value_error(text):
    with pytest.raises(ValueError):
        s.from_json(text)


def test_one_line_per_argument():
    arg = s.Arg("a", "a", "query", "str", False)
    text = s.to_json(s.Surface("p", methods=(s.Method("k", "m", "GET /", args=(arg, arg)),)))
    assert sum('"py_name":"a"' in line for line in text.splitlines()) == 2


def test_pointers_under_their_parent_are_written_short_and_read_back_whole():
    arg = s.Arg("a", "a", "query", "str", False, pointer="/paths/~1x/get/parameters/0")
    method = s.Method("k", "m", "GET /x", args=(arg,), pointer="/paths/~1x/get")
    text = s.to_json(s.Surface("p", methods=(method,)))
    assert '"pointer":"+/parameters/0"' in text
    assert s.from_json(text).methods[0].args[0].pointer == "/paths/~1x/get/parameters/0"
