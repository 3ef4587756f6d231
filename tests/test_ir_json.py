"""The IR as JSON (`generator.ir_json`, each golden case's expected_ir.json): complete, stable."""

import dataclasses
import json
from collections import Counter

import golden
from generator import ir
from generator.build import lower_client
from generator.config import ClientConfig
from generator.ir_json import WIDTH, ir_json


def _api(case: str) -> ir.Api:
    spec = golden.case_input(case)
    api, _ = lower_client(
        ClientConfig(f"{case}_client", spec, golden.CASES / case / "expected", spec.name)
    )
    return api


def _nodes(value: object):
    if dataclasses.is_dataclass(value):
        yield value
        for field in dataclasses.fields(value):
            yield from _nodes(getattr(value, field.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from _nodes(item)


def test_every_field_of_every_node_is_written_under_its_class_name():
    api = _api("types31")
    data = json.loads(ir_json(api))

    def walk(plain):
        if isinstance(plain, dict) and "_node" in plain:
            yield plain
        for child in (
            plain.values() if isinstance(plain, dict) else plain if isinstance(plain, list) else ()
        ):
            yield from walk(child)

    written = list(walk(data))
    assert Counter(plain["_node"] for plain in written) == Counter(
        type(node).__name__ for node in _nodes(api)
    )
    for plain in written:
        assert set(plain) == {"_node"} | {
            f.name for f in dataclasses.fields(getattr(ir, plain["_node"]))
        }


def test_text_is_deterministic_with_sorted_keys_and_short_values_on_one_line():
    text = ir_json(_api("events"))
    assert text == ir_json(_api("events"))
    data = json.loads(text)
    assert list(data) == sorted(data) and text.endswith("}\n")
    one_line = [
        line for line in text.splitlines() if line.rstrip(",").endswith(("}", "]")) and "{" in line
    ]
    assert one_line and all(
        len(line) <= WIDTH for line in one_line if line.lstrip().startswith("{")
    )
