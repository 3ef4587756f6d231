"""Relative file `$ref`s: read inside the spec's folder (golden cases file_refs, file_ref_errors), refused
with a located error when they lead out of it (file_ref_outside and the cases below), and recorded as
sources of the build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.build import build_tree, input_files
from generator.config import ClientConfig, Options
from generator.diagnostics import DiagnosticError
from generator.load import load_text
from generator.spec import load_spec

ROOT_SPEC = """\
openapi: 3.1.0
info: {{title: t, version: "1"}}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: "{ref}"}}
"""


def options_for(spec: Path) -> Options:
    return Options(spec.parent, (ClientConfig("refs_client", spec, spec.parent / "out" / "refs_client", spec.name),))


def build_errors(spec: Path) -> list[str]:
    with pytest.raises(DiagnosticError) as caught:
        build_tree(options_for(spec))
    return [d.format() for d in caught.value.diagnostics]


def model_sources(tree: dict[str, str]) -> str:
    """The source of every module that defines models (`models.py` only indexes them)."""
    return "".join(text for path, text in sorted(tree.items()) if path.startswith("_models/"))


def write_api(folder: Path, ref: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    spec = folder / "openapi.yaml"
    spec.write_text(ROOT_SPEC.format(ref=ref))
    return spec


def test_sources_are_the_spec_and_every_referenced_file(tmp_path):
    api = tmp_path / "api"
    spec = write_api(api, "schemas/a.yaml#/A")
    (api / "schemas").mkdir()
    (api / "schemas" / "a.yaml").write_text("A: {type: object, properties: {b: {$ref: 'b.yaml'}}}\n")
    (api / "schemas" / "b.yaml").write_text("type: array\nitems: {$ref: 'a.yaml#/A'}\n")
    (api / "unused.yaml").write_text("X: {type: string}\n")
    result = build_tree(options_for(spec))
    out = api / "out" / "refs_client"
    assert [p.resolve() for p in result.sources[out]] == [spec.resolve(), (api / "schemas/a.yaml").resolve(), (api / "schemas/b.yaml").resolve()]
    # A and B refer to each other: the cycle is broken at the model, so the alias's value is code
    assert 'class A(_Model):\n    b: "B | None" = None\n\n\nB: TypeAlias = list[A]' in model_sources(result.trees[out])
    # The manifest hashes `input_files` of the files read: it must cover every one of them, or an edit to
    # a referenced file would pass `check` unnoticed; the unused file is not among them.
    hashed = set(input_files(options_for(spec).clients[0], result.sources[out]))
    assert set(result.sources[out]) <= hashed and api / "unused.yaml" not in hashed


@pytest.mark.parametrize("ref", ["/etc/passwd#/x", "~/x.yaml", "../outside.yaml", "sub/../../outside.yaml", "C:/x.yaml"])
def test_refs_leading_out_of_the_folder_are_refused_at_the_ref(tmp_path, ref):
    (tmp_path / "outside.yaml").write_text("type: string\n")
    spec = write_api(tmp_path / "api", ref)
    (tmp_path / "api" / "sub").mkdir()
    errors = build_errors(spec)
    assert len(errors) == 1
    assert errors[0].startswith("openapi.yaml:11:24: error[ref-outside-folder]"), errors[0]
    assert "(/paths/~1a/get/responses/200/content/application~1json/schema/$ref)" in errors[0]


def test_a_symlink_leading_out_is_refused_and_one_inside_is_followed(tmp_path):
    (tmp_path / "secret.yaml").write_text("type: string\n")
    api = tmp_path / "api"
    spec = write_api(api, "link.yaml")
    os.symlink(tmp_path / "secret.yaml", api / "link.yaml")
    assert "error[ref-outside-folder]" in build_errors(spec)[0]
    (api / "real.yaml").write_text("type: object\nproperties: {x: {type: integer}}\n")
    (api / "link.yaml").unlink()
    os.symlink(api / "real.yaml", api / "link.yaml")
    result = build_tree(options_for(spec))
    # named after the file the link resolves to
    assert "class Real(_Model):" in model_sources(next(iter(result.trees.values())))


def test_a_symlinked_folder_leading_out_is_refused(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.yaml").write_text("type: string\n")
    spec = write_api(tmp_path / "api", "dir/x.yaml")
    os.symlink(tmp_path / "elsewhere", tmp_path / "api" / "dir")
    assert "error[ref-outside-folder]" in build_errors(spec)[0]


@pytest.mark.parametrize(
    ("ref", "code"),
    [("file:///etc/passwd", "remote-ref"), ("https://example.com/x.yaml#/X", "remote-ref"), ("//example.com/x", "remote-ref"),
     ("x.yaml#anchor", "unresolved-ref"), ("nothere.yaml", "unresolved-ref"), (".", "unresolved-ref"), ("x.yaml\0y", "unresolved-ref")],
)
def test_other_unusable_refs_are_located_errors(tmp_path, ref, code):
    api = tmp_path / "api"
    spec = write_api(api, ref.replace("\0", "\\0"))
    (api / "x.yaml").write_text("type: string\n")
    errors = build_errors(spec)
    assert errors[0].startswith(f"openapi.yaml:11:24: error[{code}]"), errors


def test_errors_inside_a_referenced_file_name_that_file(tmp_path):
    api = tmp_path / "api"
    spec = write_api(api, "s/broken.yaml#/A")
    (api / "s").mkdir()
    (api / "s" / "broken.yaml").write_text("A:\n  type: object\n  properties: {x: [unclosed\n")
    errors = build_errors(spec)
    assert errors[0].startswith("s/broken.yaml:4:1: "), errors  # libyaml reports the end of the flow
    assert "error[yaml-syntax]" in errors[0]


def test_a_ref_cycle_across_files_that_never_reaches_a_schema_is_reported(tmp_path):
    api = tmp_path / "api"
    spec = write_api(api, "a.yaml#/A")
    (api / "a.yaml").write_text("A: {$ref: 'b.yaml#/B'}\n")
    (api / "b.yaml").write_text("B: {$ref: 'a.yaml#/A'}\n")
    errors = build_errors(spec)
    assert "error[ref-cycle]" in errors[0]


def test_a_document_not_read_from_a_file_cannot_refer_to_files():
    document = load_text(ROOT_SPEC.format(ref="x.yaml"), display_path="<text>", kind="yaml")
    spec = load_spec(document)
    with pytest.raises(DiagnosticError) as caught:
        spec.resolve("x.yaml", "/paths/~1a/get/responses/200/content/application~1json/schema", spec.classes.Schema)
    assert caught.value.diagnostics[0].code == "external-ref"


def test_lint_reads_schemas_through_file_refs(tmp_path):
    """Lint follows a `$ref` into another file like lowering does: an empty schema there is reported."""
    api = tmp_path / "api"
    spec = write_api(api, "schemas/empty.yaml")
    (api / "schemas").mkdir()
    (api / "schemas" / "empty.yaml").write_text("description: anything\n")
    warnings = [w.format() for w in build_tree(options_for(spec)).warnings]
    assert any("warning[empty-schema]" in w and "openapi.yaml" in w for w in warnings), warnings
