"""Which operations page, and how (generator/lower/pagination.py): detection, the configuration
extensions, the located errors of a bad configuration, the info finding of a near miss, and what
`clientgen lint` lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator import ir
from generator.build import build_package, lower_client
from generator.cli import main
from generator.config import adhoc_options
from generator.diagnostics import DiagnosticError, Severity

ITEM = {"type": "object", "properties": {"id": {"type": "string"}}}


def spec(parameters: list[str], properties: dict[str, Any], extensions: dict[str, Any] | None = None) -> dict[str, Any]:
    """One GET /things with these query parameters (strings, `page`/`offset` integers) and this
    response object."""
    params = [{"name": n, "in": "query", "schema": {"type": "integer" if n in ("page", "offset") else "string"}} for n in parameters]
    operation = {"operationId": "listThings", "parameters": params, **(extensions or {}),
                 "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": properties}}}}}}
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/things": {"get": operation}}}


def lowered(tmp_path: Path, document: dict[str, Any], overlay: dict[str, Any] | None = None) -> tuple[ir.Operation, list[Any]]:
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    overlays: tuple[Path, ...] = ()
    if overlay is not None:
        (tmp_path / "fix.overlay.yaml").write_text(yaml.safe_dump(overlay, sort_keys=False), encoding="utf-8")
        overlays = (tmp_path / "fix.overlay.yaml",)
    (client,) = adhoc_options(path, tmp_path / "out", "things_client", overlays).clients
    api, diagnostics = lower_client(client)
    return api.operations[0], diagnostics


ARRAY = {"type": "array", "items": ITEM}


def test_stripe_shape_is_detected(tmp_path):
    op, _ = lowered(tmp_path, spec(["starting_after", "limit"], {"data": ARRAY, "has_more": {"type": "boolean"}}))
    assert op.pagination is not None
    assert (op.pagination.scheme, op.pagination.param, op.pagination.limit_param, op.pagination.has_more) == ("cursor_id", "starting_after", "limit", ("has_more",))
    assert isinstance(op.pagination.item_type, ir.Named)


def test_django_rest_framework_pages_by_its_next_url(tmp_path):
    nullable = {"type": ["string", "null"], "format": "uri"}
    op, _ = lowered(tmp_path, spec(["page"], {"count": {"type": "integer"}, "next": nullable, "previous": nullable, "results": ARRAY}))
    assert op.pagination is not None and (op.pagination.scheme, op.pagination.next, op.pagination.items) == ("next_url", ("next",), ("results",))


@pytest.mark.parametrize(("parameters", "properties", "missing"), [
    (["starting_after"], {"data": ARRAY}, "has_more"),                       # no has_more
    (["limit"], {"data": ARRAY, "has_more": {"type": "boolean"}}, "cursor"),  # nothing to send
    (["cursor"], {"rows": ARRAY, "other": ARRAY}, "single response array"),  # which array?
])
def test_near_misses_are_not_paged_and_get_an_info_finding(tmp_path, parameters, properties, missing):
    op, diagnostics = lowered(tmp_path, spec(parameters, properties))
    assert op.pagination is None, missing
    (finding,) = [d for d in diagnostics if d.code == "pagination-not-detected"]
    assert finding.severity is Severity.INFO and finding.pointer == "/paths/~1things/get" and finding.line > 1
    assert "x-clientgen-pagination" in finding.hint
    if missing == "single response array":
        assert "no single response array" in finding.message


def test_info_findings_are_not_warnings_of_generate(tmp_path):
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(spec(["limit"], {"data": ARRAY})), encoding="utf-8")
    (client,) = adhoc_options(path, tmp_path / "out", "things_client", ()).clients
    _, warnings = build_package(client)
    assert not [w for w in warnings if w.code == "pagination-not-detected"]


@pytest.mark.parametrize(("extension", "value", "expected"), [
    ("x-clientgen-pagination", {"scheme": "cursor", "param": "token", "next": "meta.after", "items": "rows"}, ("cursor", "token", ("meta", "after"), ("rows",))),
    ("x-speakeasy-pagination", {"type": "cursor", "inputs": [{"name": "token", "in": "parameters", "type": "cursor"}], "outputs": {"nextCursor": "$.rows[-1].id"}},
     ("cursor_id", "token", (), ("rows",))),
    ("x-fern-pagination", {"cursor": "$request.token", "next_cursor": "$response.meta.after", "results": "$response.rows"}, ("cursor", "token", ("meta", "after"), ("rows",))),
    ("x-ms-pageable", {"nextLinkName": "link", "itemName": "rows"}, ("next_url", "", ("link",), ("rows",))),
])
def test_configuration_extensions(tmp_path, extension, value, expected):
    properties = {"rows": ARRAY, "meta": {"type": "object", "properties": {"after": {"type": "string"}}}, "link": {"type": "string"}}
    op, _ = lowered(tmp_path, spec(["token"], properties, {extension: value}))
    assert op.pagination is not None
    assert (op.pagination.scheme, op.pagination.param, op.pagination.next, op.pagination.items) == expected
    assert op.pagination.source == extension


def test_only_get_operations_are_detected(tmp_path):
    document = spec(["starting_after"], {"data": ARRAY, "has_more": {"type": "boolean"}})
    document["paths"]["/things"] = {"post": document["paths"]["/things"]["get"]}
    op, diagnostics = lowered(tmp_path, document)
    assert op.method == "POST" and op.pagination is None
    # ...but configuration may page any method
    document["paths"]["/things"]["post"]["x-clientgen-pagination"] = {"scheme": "cursor_id", "param": "starting_after", "has_more": "has_more"}
    op, _ = lowered(tmp_path, document)
    assert op.pagination is not None and op.pagination.scheme == "cursor_id"


def test_configuration_wins_and_false_turns_detection_off(tmp_path):
    op, _ = lowered(tmp_path, spec(["starting_after"], {"data": ARRAY, "has_more": {"type": "boolean"}}, {"x-clientgen-pagination": False}))
    assert op.pagination is None


@pytest.mark.parametrize(("value", "words"), [
    ({"scheme": "cursor", "param": "nope", "next": "meta.after"}, "query parameter `nope`"),
    ({"scheme": "cursor", "param": "token", "next": "meta.before"}, "response field `meta.before`"),
    ({"scheme": "cursor", "param": "token", "next": "meta.after", "items": "meta"}, "not an array"),
    ({"scheme": "sideways"}, "`scheme` must be one of"),
    ({"scheme": "cursor", "param": "token", "colour": "red"}, "unknown key(s) colour"),
    ({"scheme": "cursor", "param": "token"}, "needs the response field"),
])
def test_a_bad_configuration_is_a_located_error(tmp_path, value, words):
    properties = {"rows": ARRAY, "meta": {"type": "object", "properties": {"after": {"type": "string"}}}}
    with pytest.raises(DiagnosticError) as raised:
        lowered(tmp_path, spec(["token"], properties, {"x-clientgen-pagination": value}))
    (error,) = raised.value.diagnostics
    assert error.code == "bad-pagination" and words in error.message, error.message
    assert error.pointer == "/paths/~1things/get/x-clientgen-pagination" and error.file.endswith("openapi.yaml") and error.line > 1


def test_an_overlay_configures_and_its_errors_are_located_in_the_overlay(tmp_path):
    properties = {"rows": ARRAY, "meta": {"type": "object", "properties": {"after": {"type": "string"}}}}
    good = {"scheme": "cursor", "param": "token", "next": "meta.after"}
    overlay = {"overlay": "1.0.0", "info": {"title": "f", "version": "1"},
               "actions": [{"target": "$.paths['/things'].get", "description": "pages", "update": {"x-clientgen-pagination": good}}]}
    op, _ = lowered(tmp_path, spec(["token"], properties), overlay)
    assert op.pagination is not None and op.pagination.items == ("rows",)
    overlay["actions"][0]["update"] = {"x-clientgen-pagination": {**good, "param": "nope"}}
    with pytest.raises(DiagnosticError) as raised:
        lowered(tmp_path, spec(["token"], properties), overlay)
    assert raised.value.diagnostics[0].file.endswith("fix.overlay.yaml")


def test_lint_lists_the_operations_that_page(tmp_path):
    path = tmp_path / "openapi.yaml"
    document = spec(["starting_after"], {"data": ARRAY, "has_more": {"type": "boolean"}})
    document["paths"]["/logs"] = {"get": {**spec(["limit"], {"data": ARRAY})["paths"]["/things"]["get"], "operationId": "listLogs"}}
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", str(path), "--strict"])
    assert result.exit_code == 0, result.output  # an info finding is not an error, even with --strict
    assert "info[pagination-not-detected] `logs.list`" in result.output
    assert "1 of 2 operation(s) page" in result.output and "things.list: cursor_id (detected), items `data`" in result.output
