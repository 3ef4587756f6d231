"""Bad documents end to end (issue 6): every one exits 1 with located diagnostics and writes nothing;
none produces a traceback. The loader's own cases (syntax, encodings, duplicate keys, alias bombs,
depth) are in tests/load; golden cases cover bad YAML/JSON, Swagger 2.0, remote and unresolved refs."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

LOCATED = re.compile(r"^\S+:\d+:\d+: error\[([a-z0-9-]+)\] ", re.MULTILINE)


def api(**extra: object) -> dict[str, object]:
    """A small valid document, with top-level fields replaced by `extra`."""
    document: dict[str, object] = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}},
        "components": {"schemas": {"A": {"type": "object", "properties": {"x": {"type": "string"}}}}},
    }
    document.update(extra)
    return document


def model_sources(package: Path) -> str:
    """The source of every module that defines models (`models.py` only indexes them)."""
    return "".join(path.read_text(encoding="utf-8") for path in sorted((package / "_models").glob("*.py")))


def with_schema(schema: object) -> dict[str, object]:
    return api(components={"schemas": {"A": schema}})


def with_operation(operation: object) -> dict[str, object]:
    return api(paths={"/a/{id}": {"get": operation}})


OK = {"200": {"description": "ok"}}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}

BAD = {
    # wrong types anywhere
    "paths-is-a-list": (api(paths=[]), "invalid-spec"),
    "info-is-a-number": (api(info=5), "invalid-spec"),
    "servers-is-a-string": (api(servers="https://x"), "invalid-spec"),
    "tags-hold-numbers": (api(tags=[1]), "invalid-spec"),
    "security-is-a-mapping": (api(security={}), "invalid-spec"),
    "schema-type-is-a-number": (with_schema({"type": 5}), "invalid-spec"),
    "properties-is-a-list": (with_schema({"type": "object", "properties": []}), "invalid-spec"),
    "property-is-a-number": (with_schema({"type": "object", "properties": {"x": 5}}), "invalid-spec"),
    "required-is-a-string": (with_schema({"type": "object", "required": "x", "properties": {"x": {}}}), "invalid-spec"),
    "enum-is-a-number": (with_schema({"enum": 5}), "invalid-spec"),
    "items-is-a-string": (with_schema({"type": "array", "items": "x"}), "invalid-spec"),
    "parameters-is-a-mapping": (with_operation({"parameters": {}, "responses": OK}), "invalid-spec"),
    "parameter-in-is-wrong": (with_operation({"parameters": [ID, {"name": "q", "in": "body"}], "responses": OK}), "invalid-spec"),
    "responses-is-a-list": (with_operation({"parameters": [ID], "responses": []}), "invalid-spec"),
    "status-is-not-a-status": (with_operation({"parameters": [ID], "responses": {"abc": {"description": "x"}}}), "bad-status-code"),
    "security-scheme-name-is-a-number": (api(components={"schemas": {}, "securitySchemes": {"k": {"type": "apiKey", "in": "query", "name": 5}}}, paths={}), "invalid-spec"),
    "openapi-is-a-number": (api(openapi=3.1), "not-openapi"),
    # missing required fields
    "no-info": ({"openapi": "3.1.0", "paths": {}}, "invalid-spec"),
    "no-title": (api(info={"version": "1"}), "invalid-spec"),
    "parameter-without-name": (with_operation({"parameters": [ID, {"in": "query"}], "responses": OK}), "invalid-spec"),
    "response-without-description": (with_operation({"parameters": [ID], "responses": {"200": {}}}), "invalid-spec"),
    "no-openapi-field": ({"info": {"title": "t", "version": "1"}, "paths": {}}, "not-openapi"),
    "openapi-4": (api(openapi="4.0.0"), "unsupported-version"),
    "swagger-2": ({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}, "swagger-2"),
    # dangling $ref, anywhere a $ref may stand
    "dangling-schema-ref": (with_schema({"$ref": "#/components/schemas/Nope"}), "unresolved-ref"),
    "dangling-parameter-ref": (with_operation({"parameters": [ID, {"$ref": "#/components/parameters/Nope"}], "responses": OK}), "unresolved-ref"),
    "dangling-response-ref": (with_operation({"parameters": [ID], "responses": {"200": {"$ref": "#/components/responses/Nope"}}}), "unresolved-ref"),
    "dangling-body-ref": (with_operation({"parameters": [ID], "requestBody": {"$ref": "#/components/requestBodies/Nope"}, "responses": OK}), "unresolved-ref"),
    "dangling-ref-into-a-list": (with_schema({"$ref": "#/tags/7"}), "unresolved-ref"),
    # $ref cycles that never reach a schema
    "schema-ref-cycle": (api(components={"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}}}), "ref-cycle"),
    "self-ref": (with_schema({"$ref": "#/components/schemas/A"}), "ref-cycle"),
    "parameter-ref-cycle": (
        api(paths={"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/P"}], "responses": OK}}},
            components={"parameters": {"P": {"$ref": "#/components/parameters/Q"}, "Q": {"$ref": "#/components/parameters/P"}}}),
        "ref-cycle",
    ),
    # aliases that describe no value
    "union-cycle": (api(components={"schemas": {"A": {"oneOf": [{"$ref": "#/components/schemas/B"}, {"type": "integer"}]},
                                                 "B": {"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "string"}]}}}), "alias-cycle"),
}


def run_cli(tmp_path, text: str, name: str = "openapi.json"):
    (tmp_path / name).write_text(text, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        return CliRunner().invoke(main, ["generate", name, "--output", "out/p", "--package", "p"])
    finally:
        os.chdir(cwd)


def assert_refused(result, tmp_path, code: str) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if "error[" in line]
    assert errors and all(LOCATED.match(line) for line in errors), result.output
    assert code in LOCATED.findall(result.output), result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_document_is_a_located_error(tmp_path, case):
    document, code = BAD[case]
    assert_refused(run_cli(tmp_path, json.dumps(document)), tmp_path, code)


def test_the_base_document_is_fine(tmp_path):
    assert run_cli(tmp_path, json.dumps(api())).exit_code == 0


@pytest.mark.parametrize("kind", ["json", "yaml"])
def test_nesting_far_beyond_the_recursion_limit(tmp_path, kind):
    depth = 100_000
    if kind == "json":
        text = json.dumps(api())[:-1] + ', "x-deep": ' + "[" * depth + "]" * depth + "}"
    else:
        text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\nx-deep: " + "[" * depth + "]" * depth + "\n"
    assert_refused(run_cli(tmp_path, text, f"openapi.{kind}"), tmp_path, "too-deep")


def test_deep_but_allowed_schemas_generate(tmp_path):
    """Nesting just under the loader's bound must not exhaust the recursion limit of lowering/rendering."""
    schema: dict[str, object] = {"type": "string"}
    for _ in range(95):
        schema = {"type": "object", "properties": {"p": schema}}
    items: dict[str, object] = {"type": "integer"}
    for _ in range(190):
        items = {"type": "array", "items": items}
    assert run_cli(tmp_path, json.dumps(api(components={"schemas": {"A": schema, "B": items}}))).exit_code == 0


def test_alias_bomb_is_refused_in_bounded_time(tmp_path):
    lines = ["openapi: 3.1.0", "info: {title: t, version: '1'}", "paths: {}", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(10))}]" for i in range(1, 10)]
    assert_refused(run_cli(tmp_path, "\n".join(lines) + "\n", "openapi.yaml"), tmp_path, "yaml-too-large")


def test_enormous_numbers_are_warnings_not_crashes(tmp_path):
    huge = "0x" + "f" * 5000
    text = (
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        f"    A: {{type: object, properties: {{n: {{type: integer, default: {huge}, enum: [{huge}, 1]}}, f: {{type: number, default: 1e999}}}}}}\n"
        f"    B: {{const: {huge}}}\n"
    )
    result = run_cli(tmp_path, text, "openapi.yaml")
    assert result.exit_code == 0, result.output
    assert result.output.count("warning[value-too-large]") == 3, result.output


def test_enormous_strings_are_kept(tmp_path):
    description = "x" * 2_000_000 + '"""'
    result = run_cli(tmp_path, json.dumps(with_schema({"type": "object", "description": description, "properties": {"x": {"type": "string"}}})))
    assert result.exit_code == 0, result.output
    assert len(model_sources(tmp_path / "out" / "p")) > 2_000_000


def test_openapi_32_is_accepted(tmp_path):
    assert run_cli(tmp_path, json.dumps(api(openapi="3.2.0"))).exit_code == 0


def test_all_of_that_includes_itself_generates(tmp_path):
    """Found by fuzzing: an allOf cycle recursed until the interpreter gave up."""
    schemas = {
        "A": {"allOf": [{"$ref": "#/components/schemas/B"}, {"type": "object", "properties": {"a": {"type": "string"}}}]},
        "B": {"allOf": [{"$ref": "#/components/schemas/A"}, {"type": "object", "properties": {"b": {"type": "integer"}}}]},
    }
    result = run_cli(tmp_path, json.dumps(api(components={"schemas": schemas})))
    assert result.exit_code == 0, result.output
    models = model_sources(tmp_path / "out" / "p")
    assert "class A(_Model):\n    a: str | None = None\n    b: int | None = None" in models


def test_parameter_without_schema_and_with_bad_default(tmp_path):
    """Found by fuzzing: the default check read a schema the parameter does not have."""
    operation = {"parameters": [ID, {"name": "q", "in": "query", "content": {"text/plain": {}}},
                                {"name": "u", "in": "query", "schema": {"type": "string", "format": "uuid", "default": "nope"}}], "responses": OK}
    result = run_cli(tmp_path, json.dumps(with_operation(operation)))
    assert result.exit_code == 0, result.output
    assert "warning[default-mismatch] default 'nope' does not fit the schema's type" in result.output


def test_formatted_field_defaults_warn_only_when_they_do_not_parse(tmp_path):
    """A valid UUID or date default is fine (the server applies it); only one that cannot parse is a warning."""
    properties = {
        "id": {"type": "string", "format": "uuid", "default": "0c5e3b2a-8d1e-4d5c-9b7a-1f2e3d4c5b6a"},
        "day": {"type": "string", "format": "date", "default": "2024-01-31"},
        "bad": {"type": "string", "format": "uuid", "default": "notauuid"},
    }
    result = run_cli(tmp_path, json.dumps(with_schema({"type": "object", "properties": properties})))
    assert result.exit_code == 0, result.output
    assert result.output.count("warning[default-mismatch]") == 1, result.output
    assert "default 'notauuid' does not fit" in result.output


@pytest.mark.parametrize("broken", [{"required": None}, {"properties": None}, {"$ref": ["x"]}])
def test_example_against_a_schema_jsonschema_cannot_use_is_not_a_crash(tmp_path, broken):
    """Found by fuzzing: jsonschema raised TypeError/AttributeError inside lint's example check."""
    schema = {"type": "object", "example": {"a": 1}, **broken}
    result = run_cli(tmp_path, json.dumps(with_schema(schema)))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 0, result.output
    assert "\nA: TypeAlias = dict[str, Any]\n" in model_sources(tmp_path / "out" / "p")  # an object with no usable properties
