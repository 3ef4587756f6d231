"""OpenAPI Overlay 1.0: loading (located errors), applying (update merges/appends, remove), where the
values an overlay placed are located, and how clients pick their overlays up (config, ad-hoc, check)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build import load_client_document
from generator.cli import main
from generator.config import adhoc_options, load_options
from generator.diagnostics import DiagnosticError, Severity
from generator.load import load_text
from generator.overlay import apply_overlays, load_overlay

ROOT = Path(__file__).resolve().parents[1]

SPEC = """\
openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: old, in: query, schema: {type: string}}
        - {name: older, in: query, schema: {type: string}}
      responses:
        '200': {description: ok}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string, format: url}
        tag: {type: string, format: url}
"""


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def overlay(tmp_path: Path, actions: str, name: str = "fix.overlay.yaml") -> Path:
    head = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n"
    return write(tmp_path / name, head + textwrap.indent(textwrap.dedent(actions), "  "))


def applied(tmp_path: Path, actions: str):  # type: ignore[no-untyped-def]
    document = load_text(SPEC, display_path="spec.yaml", kind="yaml")
    return apply_overlays(document, [load_overlay(overlay(tmp_path, actions), "fix.overlay.yaml")])


def test_update_merges_objects_recursively_and_replaces_other_values(tmp_path):
    document, warnings = applied(tmp_path, """\
        - target: $.components.schemas.Pet
          description: why
          update:
            required: [name]
            properties:
              name: {format: uri, minLength: 1}
    """)
    pet = document.data["components"]["schemas"]["Pet"]
    assert pet["required"] == ["name"]
    assert pet["properties"]["name"] == {"type": "string", "format": "uri", "minLength": 1}
    assert pet["properties"]["tag"] == {"type": "string", "format": "url"}  # untouched
    assert warnings == []


def test_update_of_an_array_appends_each_item(tmp_path):
    document, _ = applied(tmp_path, """\
        - target: $.paths['/pets'].get.parameters
          update:
            - {name: team, in: query, required: true, schema: {type: string}}
        - target: $.paths['/pets'].get.parameters
          update: {name: page, in: query, schema: {type: integer}}
    """)
    names = [p["name"] for p in document.data["paths"]["/pets"]["get"]["parameters"]]
    assert names == ["limit", "old", "older", "team", "page"]


def test_filter_targets_update_every_match(tmp_path):
    document, _ = applied(tmp_path, """\
        - target: $..[?@.format == 'url']
          update: {format: uri}
    """)
    properties = document.data["components"]["schemas"]["Pet"]["properties"]
    assert [p["format"] for p in properties.values()] == ["uri", "uri"]


def test_remove_deletes_every_match_without_shifting_the_others(tmp_path):
    document, _ = applied(tmp_path, """\
        - target: $.paths['/pets'].get.parameters[?@.name == 'old' || @.name == 'older']
          remove: true
        - target: $.components.schemas.Pet.properties.tag
          remove: true
    """)
    assert [p["name"] for p in document.data["paths"]["/pets"]["get"]["parameters"]] == ["limit"]
    assert list(document.data["components"]["schemas"]["Pet"]["properties"]) == ["name"]


def test_actions_run_in_order_so_remove_then_update_replaces(tmp_path):
    document, _ = applied(tmp_path, """\
        - target: $.components.schemas.Pet.properties.name
          remove: true
        - target: $.components.schemas.Pet.properties
          update:
            name: {type: integer}
    """)
    assert document.data["components"]["schemas"]["Pet"]["properties"]["name"] == {"type": "integer"}


def test_the_vendor_document_is_not_changed(tmp_path):
    document = load_text(SPEC, display_path="spec.yaml", kind="yaml")
    before = json.dumps(document.data)
    apply_overlays(document, [load_overlay(overlay(tmp_path, "- {target: $.info, update: {title: New}}\n"), "o")])
    assert json.dumps(document.data) == before


def test_values_an_overlay_placed_are_located_in_the_overlay(tmp_path):
    document, _ = applied(tmp_path, """\
        - target: $.components.schemas.Pet
          update:
            properties:
              name:
                format: uri
              age:
                type: integer
    """)
    # Placed by the overlay: its file, line and column (the key `format` is on line 8, `age` on 9).
    assert document.where("/components/schemas/Pet/properties/name/format") == ("fix.overlay.yaml", 8, 11)
    assert document.where("/components/schemas/Pet/properties/age/type")[:2] == ("fix.overlay.yaml", 10)
    # Untouched: still the vendor file.
    assert document.where("/components/schemas/Pet/properties/name/type")[:2] == ("spec.yaml", 18)
    diagnostic = document.warning("example", "m", "/components/schemas/Pet/properties/age")
    assert (diagnostic.file, diagnostic.line) == ("fix.overlay.yaml", 9)


def test_a_target_that_selects_nothing_is_a_located_warning(tmp_path):
    _, warnings = applied(tmp_path, "- {target: $.components.schemas.Gone, description: d, update: {type: object}}\n")
    (warning,) = warnings
    assert warning.severity is Severity.WARNING and warning.code == "overlay-no-match"
    assert (warning.file, warning.line, warning.pointer) == ("fix.overlay.yaml", 4, "/actions/0/target")


@pytest.mark.parametrize(
    ("actions", "code", "pointer"),
    [
        ("- {target: $.info.title, update: {x: 1}}\n", "overlay-update-target", "/actions/0/target"),
        ("- {target: $, remove: true}\n", "overlay-remove-root", "/actions/0/target"),
    ],
)
def test_impossible_actions_are_located_errors(tmp_path, actions, code, pointer):
    with pytest.raises(DiagnosticError) as caught:
        applied(tmp_path, actions)
    (error,) = caught.value.diagnostics
    assert (error.code, error.file, error.pointer) == (code, "fix.overlay.yaml", pointer)


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("overlay: 2.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, update: {}}]\n", "overlay-version", 1),
        ("overlay: 1.0.0\ninfo: {title: t}\nactions: [{target: $, update: {}}]\n", "overlay-info", 2),
        ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: []\n", "overlay-actions", 3),
        ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - {target: 'paths', update: {}}\n", "overlay-action", 4),
        ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - {target: '$.paths[', update: {}}\n", "overlay-target", 4),
        ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - {target: $.info}\n", "overlay-action", 4),
        ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - just text\n", "overlay-action", 4),
    ],
)
def test_malformed_overlays_are_located_errors(tmp_path, text, code, line):
    path = write(tmp_path / "bad.overlay.yaml", text)
    with pytest.raises(DiagnosticError) as caught:
        load_overlay(path, "bad.overlay.yaml")
    assert [(d.code, d.file, d.line) for d in caught.value.diagnostics] == [(code, "bad.overlay.yaml", line)]


# --- how clients pick overlays up ---------------------------------------------------------------


def project(tmp_path: Path, extra: str = "") -> Path:
    (tmp_path / "specs").mkdir()
    write(tmp_path / "specs" / "openapi.yaml", SPEC)
    write(tmp_path / "specs" / "b.overlay.yaml", "overlay: 1.0.0\ninfo: {title: b, version: '1'}\nactions:\n  - {target: $.info, update: {title: B}}\n")
    write(tmp_path / "specs" / "a.overlay.yaml", "overlay: 1.0.0\ninfo: {title: a, version: '1'}\nactions:\n  - {target: $.info, update: {title: A}}\n")
    return config(tmp_path, extra)


def config(tmp_path: Path, extra: str) -> Path:
    return write(tmp_path / "pyproject.toml", f'[tool.clientgen.clients.pets]\nspec = "specs/openapi.yaml"\noutput = "out/pets"\n{extra}')


def test_configured_clients_apply_the_overlays_beside_the_spec_in_name_order(tmp_path):
    (client,) = load_options(project(tmp_path)).clients
    assert [shown for _, shown in client.overlays] == ["specs/a.overlay.yaml", "specs/b.overlay.yaml"]
    document, _ = load_client_document(client)
    assert document.data["info"]["title"] == "B"  # b runs after a


def test_a_configured_overlay_list_replaces_the_default(tmp_path):
    (client,) = load_options(project(tmp_path, 'overlays = ["specs/a.overlay.yaml"]\n')).clients
    assert load_client_document(client)[0].data["info"]["title"] == "A"
    (client,) = load_options(config(tmp_path, "overlays = []\n")).clients
    assert load_client_document(client)[0].data["info"]["title"] == "Pets"


@pytest.mark.parametrize("value", ['"specs/a.overlay.yaml"', '["../outside.overlay.yaml"]'])
def test_bad_overlay_settings_are_config_errors(tmp_path, value):
    with pytest.raises(DiagnosticError) as caught:
        load_options(project(tmp_path, f"overlays = {value}\n"))
    assert caught.value.diagnostics[0].code == "config"


def test_adhoc_mode_applies_only_the_overlays_it_is_given(tmp_path, monkeypatch):
    project(tmp_path)
    monkeypatch.chdir(tmp_path)
    (bare,) = adhoc_options(Path("specs/openapi.yaml"), Path("out/p"), "p").clients
    assert bare.overlays == ()
    (given,) = adhoc_options(Path("specs/openapi.yaml"), Path("out/p"), "p", (Path("specs/a.overlay.yaml"),)).clients
    assert load_client_document(given)[0].data["info"]["title"] == "A"


def test_check_sees_a_changed_overlay(tmp_path, monkeypatch):
    project(tmp_path)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["generate"]).exit_code == 0
    assert runner.invoke(main, ["check"]).exit_code == 0
    write(tmp_path / "specs" / "b.overlay.yaml", "overlay: 1.0.0\ninfo: {title: b, version: '1'}\nactions:\n  - {target: $.info, update: {title: Changed}}\n")
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 1
    assert "Changed" in result.output


def test_errors_in_several_overlays_are_reported_together(tmp_path, monkeypatch):
    project(tmp_path)
    write(tmp_path / "specs" / "a.overlay.yaml", "overlay: 9\n")
    write(tmp_path / "specs" / "b.overlay.yaml", "overlay: 1.0.0\ninfo: {title: b, version: '1'}\nactions:\n  - {target: '$[', update: {}}\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["generate"])
    assert result.exit_code == 1
    assert "specs/a.overlay.yaml:1:1: error[overlay-version]" in result.output
    assert "specs/b.overlay.yaml:4:" in result.output and "error[overlay-target]" in result.output
    assert not (tmp_path / "out").exists()


def test_apply_overlays_command_writes_the_fixed_document(tmp_path, monkeypatch):
    project(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["apply-overlays", "specs/openapi.yaml", "--overlay", "specs/a.overlay.yaml", "-o", "fixed.json"])
    assert result.exit_code == 0, result.output
    fixed = json.loads((tmp_path / "fixed.json").read_text())
    assert fixed["info"]["title"] == "A" and fixed["paths"]["/pets"]["get"]["operationId"] == "listPets"


def test_apply_overlays_into_a_missing_folder_is_a_clear_error(tmp_path, monkeypatch):
    project(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["apply-overlays", "specs/openapi.yaml", "--overlay", "specs/a.overlay.yaml", "-o", "nowhere/fixed.json"])
    assert result.exit_code == 1 and "cannot write nowhere/fixed.json" in result.output
    assert not isinstance(result.exception, OSError)


# --- the bundled overlays ---------------------------------------------------------------------------


@pytest.mark.parametrize("api", ["agno", "dify", "flowker", "pharen"])
def test_every_bundled_overlay_action_matches_and_says_why(api):
    (path,) = sorted((ROOT / "specs" / api).glob("*.overlay.yaml"))
    loaded = load_overlay(path, path.name)
    assert loaded.actions and all(action.description.strip() for action in loaded.actions)
    document = load_text((ROOT / "specs" / api / "openapi.yaml").read_text(), display_path="openapi.yaml", kind="yaml")
    _, warnings = apply_overlays(document, [loaded])
    assert warnings == []  # an action that matches nothing would mean the vendor changed its spec
