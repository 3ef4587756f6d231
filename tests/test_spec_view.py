"""The typed view of the spec (generator.specview) and its one `$ref` resolver: parameters merged
the way OpenAPI says, objects behind `$ref` found in other files, broken references reported by
lowering and skipped by look-only readers, and OpenAPI 3.2 additions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import DiagnosticError
from generator.load import load_document
from generator.spec import Spec, load_spec
from generator.specview import SpecView


def spec_in(folder: Path, document: dict[str, Any], **files: Any) -> Spec:
    """The spec `document` written as openapi.json in `folder`, next to `files` (name -> JSON)."""
    for name, content in files.items():
        (folder / name).write_text(json.dumps(content), encoding="utf-8")
    path = folder / "openapi.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return load_spec(load_document(path, display_path="openapi.json"))


def api(paths: dict[str, Any], version: str = "3.1.0", **rest: Any) -> dict[str, Any]:
    return {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": paths, **rest}


def string(name: str, where: str, **more: Any) -> dict[str, Any]:
    return {"name": name, "in": where, "schema": {"type": "string"}, **more}


OK = {"200": {"description": "ok"}}


def test_operation_parameters_replace_path_item_ones_by_in_and_name(tmp_path: Path) -> None:
    item = {
        "parameters": [string("id", "path", required=True), string("q", "query")],
        "get": {
            "parameters": [
                string("q", "query", description="the operation's"),
                string("q", "header"),
            ],
            "responses": OK,
        },
    }
    spec = spec_in(tmp_path, api({"/things/{id}": item}))
    [op] = SpecView(spec).operations()
    merged = op.parameters()
    # The operation's `q` replaces the path item's, in the place the path item's had.
    assert [p.key for p in merged] == [("path", "id"), ("query", "q"), ("header", "q")]
    assert merged[1].description == "the operation's"
    assert merged[1].pointer == "/paths/~1things~1{id}/get/parameters/0"
    assert [p.declared_at for p in op.declared_parameters()] == [
        "/paths/~1things~1{id}/parameters/0",
        "/paths/~1things~1{id}/parameters/1",
        "/paths/~1things~1{id}/get/parameters/0",
        "/paths/~1things~1{id}/get/parameters/1",
    ]
    assert merged[0].required and not merged[1].required


def test_referenced_parameter_body_and_response_are_found_in_another_file(tmp_path: Path) -> None:
    common = {
        "Id": string("id", "path", required=True),
        "Body": {
            "required": True,
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/plain": {"schema": {"type": "string"}},
            },
        },
        "Found": {"description": "found", "headers": {"X-Next": {"schema": {"type": "string"}}}},
    }
    operation = {
        "parameters": [{"$ref": "common.json#/Id"}],
        "requestBody": {"$ref": "common.json#/Body"},
        "responses": {"200": {"$ref": "common.json#/Found"}},
    }
    spec = spec_in(tmp_path, api({"/things/{id}": {"post": operation}}), **{"common.json": common})
    op = next(SpecView(spec).operations())
    [parameter] = op.parameters()
    assert parameter.declared_at == "/paths/~1things~1{id}/post/parameters/0"
    assert parameter.pointer == "/$file:common.json/Id"
    assert parameter.schema_pointer == "/$file:common.json/Id/schema"
    body = op.request_body()
    assert body is not None and body.required and body.pointer == "/$file:common.json/Body"
    assert [m.media_type for m in body.content] == ["application/json", "text/plain"]  # as written
    assert (
        body.content[0].schema_pointer == "/$file:common.json/Body/content/application~1json/schema"
    )
    [response] = op.responses()
    assert (response.status, response.pointer) == ("200", "/$file:common.json/Found")
    assert response.description == "found" and response.header_names == ("X-Next",)


def test_a_broken_ref_is_a_located_error_for_lowering_and_nothing_for_lint(tmp_path: Path) -> None:
    operation = {
        "parameters": [string("a", "query"), {"$ref": "#/components/parameters/Missing"}],
        "requestBody": {"$ref": "#/components/requestBodies/Missing"},
        "responses": OK,
    }
    spec = spec_in(tmp_path, api({"/x": {"get": operation}}))
    reporting = next(SpecView(spec).operations())
    with pytest.raises(DiagnosticError) as caught:
        reporting.parameters()
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "unresolved-ref"
    assert diagnostic.pointer == "/paths/~1x/get/parameters/1/$ref"
    assert diagnostic.line > 0
    looking = next(SpecView(spec, reporting=False).operations())
    assert [p.name for p in looking.parameters()] == ["a"]
    assert looking.request_body() is None
    assert spec.follow("/paths/~1x/get/requestBody") == (None, "/paths/~1x/get/requestBody")


def test_a_ref_cycle_is_reported_and_followed_to_nothing(tmp_path: Path) -> None:
    components = {
        "parameters": {
            "A": {"$ref": "#/components/parameters/B"},
            "B": {"$ref": "#/components/parameters/A"},
        }
    }
    operation = {"parameters": [{"$ref": "#/components/parameters/A"}], "responses": OK}
    spec = spec_in(tmp_path, api({"/x": {"get": operation}}, components=components))
    with pytest.raises(DiagnosticError) as caught:
        next(SpecView(spec).operations()).parameters()
    assert [d.code for d in caught.value.diagnostics] == ["ref-cycle"]
    assert next(SpecView(spec, reporting=False).operations()).parameters() == ()


def test_openapi_32_item_schema_and_query_method(tmp_path: Path) -> None:
    events = {"itemSchema": {"type": "object", "properties": {"type": {"const": "tick"}}}}
    item = {
        "query": {"responses": OK},
        "get": {
            "responses": {"200": {"description": "s", "content": {"text/event-stream": events}}}
        },
    }
    spec = spec_in(tmp_path, api({"/ticks": item}, version="3.2.0"))
    view = SpecView(spec)
    assert [(op.method, op.pointer) for op in view.operations()] == [
        ("get", "/paths/~1ticks/get"),
        ("query", "/paths/~1ticks/query"),
    ]
    get = view.operation("/ticks", "get")
    assert get is not None and get.model is not None  # validated by openapi-pydantic's 3.1 model
    [response] = get.responses()
    [media] = response.content
    assert media.schema_pointer is None
    assert (
        media.item_schema_pointer
        == "/paths/~1ticks/get/responses/200/content/text~1event-stream/itemSchema"
    )


def test_document_level_accessors(tmp_path: Path) -> None:
    document = api(
        {},
        servers=[{"url": "https://a.example", "description": "main"}, {"url": "https://b.example"}],
        components={
            "securitySchemes": {
                "zKey": {"$ref": "#/components/securitySchemes/aKey"},
                "aKey": {"type": "apiKey", "in": "header", "name": "X-Key"},
            },
            "schemas": {"B": {"type": "string"}, "A": {"type": "string"}},
        },
        **{"x-webhook-signature": {"scheme": "standard"}},
    )
    view = SpecView(spec_in(tmp_path, document))
    assert view.title == "t"
    assert [(s.pointer, s.url, s.description) for s in view.servers()] == [
        ("/servers/0", "https://a.example", "main"),
        ("/servers/1", "https://b.example", ""),
    ]
    schemes = list(view.security_schemes())
    assert [(s.key, s.pointer) for s in schemes] == [
        ("aKey", "/components/securitySchemes/aKey"),
        ("zKey", "/components/securitySchemes/zKey"),  # listed where written, read behind its $ref
    ]
    assert schemes[1].raw["name"] == "X-Key"
    assert view.schema_names() == ("B", "A")
    assert view.extension("x-webhook-signature") == {"scheme": "standard"}


def test_webhooks_and_callbacks_are_path_items_with_their_pointers(tmp_path: Path) -> None:
    delivery = {"post": {"responses": OK}}
    operation = {"callbacks": {"onDone": {"{$request.body#/url}": delivery}}, "responses": OK}
    document = api({"/jobs": {"post": operation}}, webhooks={"job.done": delivery})
    view = SpecView(spec_in(tmp_path, document))
    assert [(name, pointer) for name, pointer, _ in view.webhooks()] == [
        ("job.done", "/webhooks/job.done")
    ]
    [job] = view.operations()
    assert [(name, pointer) for name, pointer, _ in job.callbacks()] == [
        ("onDone", "/paths/~1jobs/post/callbacks/onDone/{$request.body#~1url}")
    ]
