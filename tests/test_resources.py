"""The resource tree's rules beyond what the golden cases show (tests/cases/resources and friends): FastAPI
ids, the validation pass after lowering, reserved names read from the runtime, and lazy resources."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import golden
import pytest

from generator.build import lower_client
from generator.config import ClientConfig
from generator.diagnostics import DiagnosticError, escape_pointer_token
from generator.load import load_document
from generator.lower.resources import fastapi_function_name
from generator.lower.tree import validate
from generator.names import MODULE_RESERVED, runtime_exports
from generator.spec import load_spec
from resource_paths import method_of


@pytest.mark.parametrize(
    ("operation_id", "path", "method", "expected"),
    [
        ("read_flow_flows__id__get", "/flows/{id}", "get", "read_flow"),
        (
            "read_block_document_by_name_for_block_type_block_types_slug_slug_block_documents_name_block_document_name_get",
            "/block_types/slug/{slug}/block_documents/name/{block_document_name}",
            "get",
            "read_block_document_by_name_for_block_type",
        ),
        ("create_run_api_v1_runs_post", "/api/v1/runs", "post", "create_run"),
        ("read_flow_flows__id__get", "/flows/{id}", "post", None),  # another method: not FastAPI's id
        ("getFlow", "/flows/{id}", "get", None),
        ("_flows__id__get", "/flows/{id}", "get", None),  # nothing left of the function
    ],
)
def test_fastapi_default_ids_reduce_to_the_function_name(operation_id, path, method, expected):
    assert fastapi_function_name(operation_id, path, method) == expected


@pytest.mark.parametrize(
    ("path", "method", "expected"),
    [
        ("/v1/responses?beta=true", "post", ("beta", "responses", "create")),
        ("/v1/responses", "post", ("responses", "create")),
        ("/v1/responses/{id}?beta=True", "get", ("beta", "responses", "retrieve")),
        ("/v1/responses/compact?beta=true", "post", ("beta", "responses", "compact")),
        ("/v1/search?q=cats&kind=a", "get", ("search", "retrieve")),  # not flags: not in the tree
        ("/v1/search?preview=true&kind=a&x-y=true", "get", ("preview", "x_y", "search", "retrieve")),
        ("/v1/files/{id}#share?beta=true", "put", ("files", "update")),  # all of it a fragment
    ],
)
def test_a_query_flag_in_the_path_key_is_a_resource_above_the_path(path, method, expected, tmp_path):
    paths = {path: {method: _operation("", "id" if "{id}" in path else "")}}
    if path.startswith("/v1/responses?"):  # the variant and its plain twin, which keeps its name
        paths["/v1/responses"] = {"post": _operation("")}
    api, warnings = _lowered_paths(tmp_path, paths)
    [op] = [op for op in api.operations if op.pointer == f"/paths/{escape_pointer_token(path)}/{method}"]
    assert (*op.resource, op.py_name) == expected
    assert not [w for w in warnings if w.code == "method-name-collision"]


def test_of_two_wanting_one_name_the_one_with_more_path_parameters_keeps_it(tmp_path):
    paths = {
        "/memories": {"delete": _operation("delete_memories")},
        "/memories/{memory_id}": {"delete": _operation("delete_memory", "memory_id")},
        "/v1/flows/{id}": {"get": _operation("read_flow", "id")},
        "/v2/flows/{id}": {"get": _operation("read_flow_v2", "id")},
    }
    api, warnings = _lowered_paths(tmp_path, paths)
    names = sorted(".".join((*op.resource, op.py_name)) for op in api.operations)
    assert names == ["flows.read_flow", "flows.read_flow_v2", "memories.delete", "memories.delete_memories"]
    collisions = [w for w in warnings if w.code == "method-name-collision"]
    assert len(collisions) == 3  # the bulk delete and both flows: a tie keeps nothing
    assert any("memories.delete_memories" in w.message and "keeps it" in w.message for w in collisions)


def _operation(operation_id: str, path_parameter: str = "") -> dict[str, object]:
    operation: dict[str, object] = {"responses": {"200": {"description": "OK"}}}
    if operation_id:
        operation["operationId"] = operation_id
    if path_parameter:
        operation["parameters"] = [{"name": path_parameter, "in": "path", "required": True, "schema": {"type": "string"}}]
    return operation


def _lowered_paths(tmp_path: Path, paths: dict[str, object]):
    spec = tmp_path / "openapi.yaml"
    spec.write_text(json.dumps({"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": paths}))
    return lower_client(ClientConfig("paths_client", spec, Path("out"), spec.name))


def _lowered(case: str):
    spec_path = golden.case_input(case)
    api, _ = lower_client(ClientConfig(f"{case}_client", spec_path, Path("out"), spec_path.name))
    return load_spec(load_document(spec_path, display_path=spec_path.name)), api


def test_validate_reports_a_name_emitted_twice_in_one_module_where_it_comes_from():
    spec, api = _lowered("resources")
    validate(api, spec)  # the lowered API is clean
    first, second = [op for op in api.operations if op.resource == ("customers",)][:2]
    broken = dataclasses.replace(api, operations=tuple(dataclasses.replace(op, const_name=first.const_name) if op is second else op for op in api.operations))
    with pytest.raises(DiagnosticError) as caught:
        validate(broken, spec)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "name-clash" and first.const_name in diagnostic.message
    assert diagnostic.pointer == second.pointer and diagnostic.line > 1


def test_validate_reports_two_methods_of_one_name_in_one_resource():
    spec, api = _lowered("resources")
    first, second = [op for op in api.operations if op.resource == ("customers",)][:2]
    broken = dataclasses.replace(api, operations=tuple(dataclasses.replace(op, py_name=first.py_name) if op is second else op for op in api.operations))
    with pytest.raises(DiagnosticError, match=f"`{first.py_name}` is emitted twice"):
        validate(broken, spec)


def test_reserved_names_are_read_from_the_runtimes_own_all_without_importing_it(tmp_path):
    (tmp_path / "a.py").write_text('raise SystemExit("imported")\n__all__ = ["Alpha", "beta"]\n')
    (tmp_path / "b.py").write_text('__all__: list[str] = ["Gamma"]\nOther = 1\n')
    assert runtime_exports(tmp_path) == {"Alpha", "beta", "Gamma"}
    assert {"SyncResource", "AsyncResource", "Operation", "Stream", "NotFoundError"} <= runtime_exports() <= MODULE_RESERVED


def test_resources_load_lazily_for_both_clients(tmp_path):
    package = golden.write_package("resources", tmp_path)
    script = (
        "import sys\n"
        "import resources_client as pkg\n"
        "def loaded():\n"
        "    return sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('resources_client._resources.'))\n"
        "for client in (pkg.Client(), pkg.AsyncClient()):\n"
        "    assert loaded() == [], loaded()\n"
        "    sources = client.customers.sources\n"
        "    assert loaded() == ['customers'], loaded()\n"
        "    assert client.customers is client.customers and client.customers.sources is sources\n"
        "    assert callable(sources.verify) and callable(client.test_helpers.issuing_cards.shipping.deliver)\n"
        "    assert loaded() == ['_test_helpers_', 'customers'], loaded()  # a file pytest never collects\n"
        "    for name in list(sys.modules):\n"
        "        if name.startswith('resources_client._resources.'):\n"
        "            del sys.modules[name]\n"
        "print(type(pkg.AsyncClient().customers.sources).__name__, pkg.Client().close_.create.__name__)\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env={"PYTHONPATH": str(package.parent)})
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["AsyncCustomersSources", "create"]


@pytest.mark.parametrize("case", ["pagination", "resources", "events"])
def test_every_call_in_a_generated_readme_exists_on_the_client(case, tmp_path):
    """The package README's examples name methods through the resource tree (`client.events.list()`),
    never a flat name the client does not have."""
    import importlib
    import re
    import sys

    package_dir = golden.write_package(case, tmp_path)
    text = (package_dir / "README.md").read_text(encoding="utf-8")
    calls = set(re.findall(r"client\.([a-z_][a-z0-9_.]*)\(", text)) - {"method"}  # prose placeholder
    assert calls, "the README shows no call"
    sys.path.insert(0, str(package_dir.parent))
    try:
        package = importlib.import_module(package_dir.name)
        client = package.Client(base_url="http://127.0.0.1:1")
        for call in sorted(calls):
            assert callable(method_of(client, call)), call  # AttributeError names a missing one
    finally:
        sys.path.remove(str(package_dir.parent))
        for name in [m for m in sys.modules if m == package_dir.name or m.startswith(package_dir.name + ".")]:
            del sys.modules[name]
