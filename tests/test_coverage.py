"""Nothing is dropped silently: every operation, parameter, response, body, component schema and property
of a spec is generated, or a located warning names it (generator.lower.coverage), and the generated code
defines a method per operation and a class or alias per schema (generator.coverage_report)."""

from __future__ import annotations

import dataclasses
import gzip
from pathlib import Path

import pytest

import golden
import golden_large
from generator.build import lower_client
from generator.config import ClientConfig
from generator.coverage_report import coverage, main
from generator.load import load_document
from generator.lower.coverage import missing_parts
from generator.spec import load_spec



@pytest.fixture(scope="module")
def stripe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Stripe spec of the large golden case (tests/large/stripe, kept gzip-compressed), unpacked."""
    compressed = golden_large.case_input("stripe")
    spec = tmp_path_factory.mktemp("stripe") / compressed.name.removesuffix(".gz")
    with gzip.open(compressed, "rb") as source:
        spec.write_bytes(source.read())
    return spec


def _lowered(case: str):
    spec_path = golden.case_input(case)
    client = ClientConfig(f"{case}_client", spec_path, Path("out"), spec_path.name)
    api, warnings = lower_client(client)
    return load_spec(load_document(spec_path, display_path=spec_path.name)), api, warnings


def test_a_part_missing_from_the_ir_is_a_located_warning():
    spec, api, _ = _lowered("names")
    get_item = next(op for op in api.operations if op.operation_id == "getItem")
    parameters = tuple(p for p in get_item.parameters if p.wire_name != "created")
    trimmed_op = dataclasses.replace(get_item, parameters=parameters, responses=())
    card = next(m for m in api.models if m.pointer == "/components/schemas/issuing.card")
    trimmed_card = dataclasses.replace(card, fields=tuple(f for f in card.fields if f.wire_name != "Created"))
    api = dataclasses.replace(
        api,
        operations=tuple(trimmed_op if op is get_item else op for op in api.operations if op.operation_id != "get_item"),
        models=tuple(trimmed_card if m is card else m for m in api.models if m.pointer != "/components/schemas/Field"),
    )
    found = {(d.code, d.pointer, d.message.split(" is not")[0]) for d in missing_parts(spec, api, [])}
    assert found == {
        ("not-generated", "/paths/~1items/get/parameters/0", "query parameter `created` of `items.list`"),
        ("not-generated", "/paths/~1items/get/responses/200", "response 200 of `items.list`"),
        ("not-generated", "/paths/~1items/post", "operation POST /items"),
        ("not-generated", "/components/schemas/Field", "schema `Field`"),
        ("not-generated", "/components/schemas/issuing.card/properties/Created", f"property `Created` of `{card.name}`"),
    }
    line = next(d for d in missing_parts(spec, api, []) if d.pointer == "/paths/~1items/post")
    assert line.format().startswith("openapi.yaml:20:5: warning[not-generated] operation POST /items")


def test_a_warning_about_an_enclosing_part_explains_a_missing_one():
    spec, api, _ = _lowered("names")
    api = dataclasses.replace(api, operations=tuple(op for op in api.operations if op.py_name != "get_item_2"))
    explained = [spec.document.warning("path-ref", "not generated", "/paths/~1items")]
    assert missing_parts(spec, api, explained) == []


@pytest.mark.parametrize("case", [c for c in golden.case_names() if (golden.CASES / c / "expected").is_dir()])
def test_every_golden_case_generates_every_operation_and_schema(case):
    spec, api, warnings = _lowered(case)
    tree, _ = golden.run_case(case)
    result = coverage(spec.document.data, api, tree, [w.format() for w in warnings])
    assert result.complete, result.missing + result.warnings
    assert result.generated_operations == result.operations and result.generated_schemas == result.schemas


def test_the_report_sees_a_method_missing_from_the_generated_code():
    spec, api, _ = _lowered("names")
    tree, _ = golden.run_case("names")
    tree["_resources/items.py"] = tree["_resources/items.py"].replace("self._client._call(_CREATE, locals())", "None")
    result = coverage(spec.document.data, api, tree, [])
    assert result.missing == ["operation POST /items"]


def test_the_report_counts_only_methods_reachable_through_the_tree():
    """A resource class the client cannot reach (its attribute gone) generates nothing a user can call."""
    spec, api, _ = _lowered("names")
    tree, _ = golden.run_case("names")
    source = tree["_resources/items.py"]
    tree["_resources/items.py"] = source.replace("def sub_items(self) -> ItemsSubItems:", "def sub_items(self) -> None:")
    result = coverage(spec.document.data, api, tree, [])
    assert result.missing == ["operation DELETE /items/{item-id}/sub items"]


@pytest.mark.slow
def test_stripe_every_operation_and_schema_is_generated(capsys, stripe):
    """468 operations and 819 component schemas in the spec; each is a method on both clients and a
    class or alias in the generated models, with no `not-generated` warning."""
    assert main([str(stripe)]) == 0
    out = capsys.readouterr().out
    assert "operations: 468 of 468 generated" in out
    assert "schemas:    819 of 819 generated" in out


def test_the_report_sees_a_name_defined_twice():
    """Python keeps the last of two definitions: a clash the generator let through would drop one."""
    spec, api, _ = _lowered("names")
    tree, _ = golden.run_case("names")
    home = next(path for path in sorted(tree) if path.startswith("_models/") and "\nclass IssuingCard(" in tree[path])
    # A model module read after IssuingCard's own (the report names the second definition).
    other = next(path for path in sorted(tree) if path.startswith("_models/") and path.endswith(".py") and path > home)
    tree[other] += "\n\nclass IssuingCard(_Model):\n    pass\n"
    assert coverage(spec.document.data, api, tree, []).missing == [f"{other}: IssuingCard is defined more than once"]


def _names(api):
    """Every name lowering settled, by the JSON pointer it belongs to."""
    found = {m.pointer: (m.name, tuple(f.py_name for f in m.fields)) for m in api.models}
    found |= {a.pointer: (a.name,) for a in api.aliases}
    for op in api.operations:
        body = op.body.fields if op.body and op.body.fields else ()
        found[op.pointer] = (op.call_path, op.const_name, tuple(p.py_name for p in op.parameters), tuple(f.py_name for f in body))
    return found


@pytest.mark.slow
def test_stripe_names_do_not_depend_on_mapping_order(tmp_path, stripe):
    import json
    import random

    import yaml

    from test_cli import _shuffled

    data = yaml.load(stripe.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    shuffled = tmp_path / "stripe.json"
    shuffled.write_text(json.dumps(_shuffled(data, random.Random(7))), encoding="utf-8")
    names = []
    for path in (stripe, shuffled):
        api, _ = lower_client(ClientConfig("stripe_client", path, tmp_path / "out", path.name))
        assert len(api.operations) == 468
        names.append(_names(api))
    assert names[0] == names[1]


def test_the_report_on_a_broken_spec_prints_located_errors(tmp_path, capsys):
    spec = tmp_path / "openapi.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n"
                    "        '200': {description: ok, content: {application/json: {schema: {$ref: '#/nowhere'}}}}\n")
    assert main([str(spec)]) == 1
    assert "error[unresolved-ref]" in capsys.readouterr().err


def test_an_openapi_32_query_operation_is_reported_not_dropped(tmp_path):
    """QUERY (OpenAPI 3.2) is not generated yet: the coverage pass says so at its location."""
    spec = tmp_path / "openapi.yaml"
    spec.write_text("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    query:\n      operationId: find\n"
                    "      responses: {'200': {description: ok}}\n")
    _, warnings = lower_client(ClientConfig("q_client", spec, tmp_path / "out", "openapi.yaml"))
    assert [(w.code, w.line, w.pointer) for w in warnings if w.code == "not-generated"] == [("not-generated", 5, "/paths/~1a/query")]
