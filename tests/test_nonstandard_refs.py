"""`$ref`s where OpenAPI allows none (operations, `properties` maps, descriptions) and path item `$ref`s,
across files (tests/cases/ref_everywhere): the spec generates, one `nonstandard-ref` warning per kind says
what the standard expects, every file read is an input, and nothing outside the spec's folder is read."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import golden
import httpx
import pytest

from generator.build import build_tree
from generator.config import ClientConfig, Options
from generator.diagnostics import DiagnosticError

CASE = golden.CASES / "ref_everywhere"


@pytest.fixture(scope="module")
def package_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return golden.write_package("ref_everywhere", tmp_path_factory.mktemp("refs"))


@pytest.fixture(scope="module")
def ref_everywhere(package_dir: Path) -> Iterator[ModuleType]:
    sys.path.insert(0, str(package_dir.parent))
    try:
        yield importlib.import_module("ref_everywhere_client")
    finally:
        sys.path.remove(str(package_dir.parent))


def test_one_warning_per_kind() -> None:
    _, diagnostics = golden.run_case("ref_everywhere")
    kinds = [line for line in diagnostics.splitlines() if "warning[nonstandard-ref]" in line]
    assert len(kinds) == 3
    assert "an operation written as a `$ref`" in kinds[1] and "used 3 times" in kinds[1]


def test_operations_from_other_files_are_called_as_written(ref_everywhere: ModuleType) -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        return httpx.Response(200, json={"id": 7, "name": "Rex", "owner": {"name": "Ann"}})

    with ref_everywhere.Client(http_client=httpx.Client(transport=httpx.MockTransport(answer))) as client:
        pet = client.pets.retrieve(7)
    assert seen == ["GET /pets/7"]
    assert isinstance(pet.owner, ref_everywhere.Owner) and pet.owner.name == "Ann"  # properties from two `$ref`'d files
    assert ref_everywhere.Owner.__doc__ == "Who looks after the pet."  # a description kept in Markdown


def test_every_file_read_is_a_source(tmp_path: Path) -> None:
    output = tmp_path / "out"
    result = build_tree(Options(CASE, (ClientConfig("r_client", CASE / "openapi.yaml", output, "openapi.yaml"),)))
    read = sorted(path.relative_to(CASE).as_posix() for path in result.sources[output])
    assert read == ["docs/pets.md", "openapi.yaml", "operations/get_pet.yaml", "operations/list_pets.yaml", "operations/pets.yaml",
                    "paths/pet.yaml", "schemas/new_pet.yaml", "schemas/owner.md", "schemas/owner.yaml", "schemas/owner_properties.yaml",
                    "schemas/pet_properties.yaml"]


@pytest.mark.parametrize("where", ["operation", "properties", "description"])
def test_a_nonstandard_ref_out_of_the_folder_is_refused(tmp_path: Path, where: str) -> None:
    (tmp_path / "outside.yaml").write_text("operationId: x\nresponses: {'200': {description: ok}}\n")
    (tmp_path / "outside.md").write_text("secret\n")
    api = tmp_path / "api"
    api.mkdir()
    operation = "{$ref: ../outside.yaml}" if where == "operation" else "{operationId: a, responses: {'200': {description: ok}}}"
    properties = "{$ref: ../outside.yaml}" if where == "properties" else "{}"
    description = "{$ref: ../outside.md}" if where == "description" else "d"
    (api / "openapi.yaml").write_text(
        f"openapi: 3.0.3\ninfo: {{title: t, version: '1', description: {description}}}\npaths:\n  /a:\n    get: {operation}\n"
        f"components:\n  schemas:\n    S: {{type: object, properties: {properties}}}\n"
    )
    with pytest.raises(DiagnosticError) as caught:
        build_tree(Options(api, (ClientConfig("r_client", api / "openapi.yaml", api / "out", "openapi.yaml"),)))
    assert [d.code for d in caught.value.diagnostics] == ["ref-outside-folder"]


@pytest.mark.slow
def test_generated_conformance_tests_pass(package_dir: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", str(package_dir / "tests"), "-q", "-p", "no:cacheprovider"],
        capture_output=True, text=True, cwd=package_dir.parent,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr


def test_names_that_are_keywords_stay_names(tmp_path: Path) -> None:
    """A property called `description` or `properties` whose schema is a `$ref` is a standard schema."""
    (tmp_path / "openapi.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Text: {type: string}\n"
        "    Doc:\n      type: object\n      properties:\n        description: {$ref: '#/components/schemas/Text'}\n"
        "        properties: {$ref: '#/components/schemas/Text'}\n"
    )
    output = tmp_path / "out"
    result = build_tree(Options(tmp_path, (ClientConfig("r_client", tmp_path / "openapi.yaml", output, "openapi.yaml"),)))
    models = "".join(text for rel, text in result.trees[output].items() if rel.startswith("_models/"))
    assert "    description: Text | None = None" in models and "    properties: Text | None = None" in models
    assert not [w for w in result.warnings if w.code == "nonstandard-ref"]
