"""The manifest proves "nothing changed" without rendering, and never hides a change."""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import build, cli, manifest
from generator.config import adhoc_options
from generator.manifest import MANIFEST

ROOT = Path(__file__).resolve().parents[1]
# The vendor's Flowker spec lints with warnings; with its bundled overlay it lints clean.
FIXES = (ROOT / "specs" / "flowker" / "fixes.overlay.yaml",)


@pytest.fixture()
def project(tmp_path: Path) -> tuple[Path, Path]:
    spec = tmp_path / "api" / "openapi.yaml"
    spec.parent.mkdir()
    shutil.copy(ROOT / "specs" / "flowker" / "openapi.yaml", spec)
    out = tmp_path / "out" / "acme_client"
    result = _run("generate", spec, out)
    assert result.exit_code == 0, result.output
    return spec, out


def _run(command: str, spec: Path, out: Path, overlays: tuple[Path, ...] = FIXES) -> object:
    arguments = [command, str(spec), "--output", str(out), "--package", "acme_client"]
    return CliRunner().invoke(cli.main, arguments + [a for o in overlays for a in ("--overlay", str(o))])


def _renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every client rendered (`build._build` is the one place build_tree renders a client)."""
    calls: list[str] = []
    real = build._build
    monkeypatch.setattr(build, "_build", lambda client, formatter: calls.append(client.package) or real(client, formatter))
    return calls


def _client(spec: Path, out: Path, overlays: tuple[Path, ...] = FIXES):  # type: ignore[no-untyped-def]
    return adhoc_options(spec, out, "acme_client", overlays).clients[0]


def test_clean_check_and_generate_do_not_render(project: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    spec, out = project
    calls = _renders(monkeypatch)
    assert _run("check", spec, out).exit_code == 0
    generated = _run("generate", spec, out)
    assert generated.exit_code == 0 and "up to date (manifest)" in generated.output
    assert calls == []
    assert manifest.clean_warnings(_client(spec, out)) == []


def test_edited_output_is_caught(project: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    spec, out = project
    (out / "models.py").write_text((out / "models.py").read_text() + "# hand edit\n")
    calls = _renders(monkeypatch)
    result = _run("check", spec, out)
    assert result.exit_code == 1 and "-# hand edit" in result.output
    assert calls == ["acme_client"]
    assert _run("generate", spec, out).exit_code == 0
    assert "# hand edit" not in (out / "models.py").read_text()


def test_extra_and_missing_outputs_are_caught(project: tuple[Path, Path]) -> None:
    spec, out = project
    (out / "extra.py").write_text("x = 1\n")
    assert _run("check", spec, out).exit_code == 1
    (out / "extra.py").unlink()
    (out / "README.md").unlink()
    assert _run("check", spec, out).exit_code == 1


def test_edited_spec_renders_again(project: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    spec, out = project
    spec.write_text(spec.read_text().replace("Execute a Workflow", "Run a Workflow", 1))
    calls = _renders(monkeypatch)
    result = _run("check", spec, out)
    assert result.exit_code == 1 and "Run a Workflow" in result.output
    assert calls == ["acme_client"]


def test_spec_change_without_code_change_only_updates_the_manifest(project: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    spec, out = project
    spec.write_text(spec.read_text() + "\n# a comment changes the bytes, not the client\n")
    calls = _renders(monkeypatch)
    result = _run("check", spec, out)
    assert result.exit_code == 1 and "1 changed" in result.output and MANIFEST in result.output
    assert calls == ["acme_client"]  # the full render decided, not the manifest
    assert _run("generate", spec, out).exit_code == 0
    assert _run("check", spec, out).exit_code == 0


def test_new_overlay_file_is_an_input(project: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    spec, out = project
    overlay = spec.parent / "acme.overlay.yaml"
    overlay.write_text("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - {target: $.info, update: {title: Acme}}\n")
    overlays = (*FIXES, overlay)
    assert build.input_files(_client(spec, out, overlays)) == [spec, *overlays]
    assert json.loads((out / MANIFEST).read_text())["read"] == []  # the spec refers to no other file
    assert manifest.clean_warnings(_client(spec, out, overlays)) is None
    calls = _renders(monkeypatch)
    _run("check", spec, out, overlays)
    assert calls == ["acme_client"]


def test_changed_template_renders_again(project: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    spec, out = project
    roots = manifest.code_roots()
    copies = []
    for root in roots:
        copy = tmp_path / "code" / root.name
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns("__pycache__"))
        copies.append(copy)
    monkeypatch.setattr(manifest, "code_roots", lambda: tuple(copies))
    assert manifest.clean_warnings(_client(spec, out)) is not None  # same bytes, other place: still clean
    template = copies[-1] / "client.py.jinja" if (copies[-1] / "client.py.jinja").exists() else next(copies[-1].rglob("*.jinja"))
    template.write_text(template.read_text() + "\n")
    assert manifest.clean_warnings(_client(spec, out)) is None


def test_another_black_version_renders_again(project: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    spec, out = project
    assert manifest.black_version() == importlib.metadata.version("black") != "not installed"
    monkeypatch.setattr(manifest, "black_version", lambda: "0.0.1")
    assert manifest.clean_warnings(_client(spec, out)) is None
    calls = _renders(monkeypatch)
    generated = _run("generate", spec, out)
    assert generated.exit_code == 0 and "up to date (manifest)" not in generated.output
    assert calls == ["acme_client"]
    assert manifest.clean_warnings(_client(spec, out)) == []


def test_black_version_without_a_dist_info_folder_asks_the_package_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(manifest.os, "listdir", lambda path: ["black", "black-1.0.dist-info", "black-2.0.dist-info"])
    assert manifest.black_version() == importlib.metadata.version("black")


def test_black_is_pinned_exactly_to_the_installed_version() -> None:
    # The manifest trusts the pin: a range would let two machines format differently with one digest.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert f"black=={manifest.black_version()}" in pyproject["project"]["dependencies"]


@pytest.mark.parametrize("content", [None, "", "{not json", '{"format": 1}', '{"format": 1, "inputs": 3, "outputs": [], "warnings": []}'])
def test_missing_or_corrupt_manifest_renders_again(project: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, content: str | None) -> None:
    spec, out = project
    if content is None:
        (out / MANIFEST).unlink()
    else:
        (out / MANIFEST).write_text(content)
    assert manifest.clean_warnings(_client(spec, out)) is None
    calls = _renders(monkeypatch)
    assert _run("check", spec, out).exit_code == 1  # the manifest itself differs from the render
    assert calls == ["acme_client"]
    assert _run("generate", spec, out).exit_code == 0
    assert manifest.clean_warnings(_client(spec, out)) == []


def test_manifest_records_warnings_and_every_output(project: tuple[Path, Path]) -> None:
    spec, out = project
    recorded = json.loads((out / MANIFEST).read_text())
    on_disk = (p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert sorted(recorded["outputs"]) == sorted(name for name in on_disk if name != MANIFEST)
    assert recorded["warnings"] == []


def test_an_unrelated_file_beside_an_adhoc_spec_is_not_an_input(project: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the files the build read are hashed: a JSON file nobody refers to cannot make `check` fail."""
    spec, out = project
    (spec.parent / "notes.json").write_text('{"unrelated": true}\n')
    (spec.parent / "other.yaml").write_text("also: unrelated\n")
    calls = _renders(monkeypatch)
    result = _run("check", spec, out)
    assert result.exit_code == 0, result.output
    assert calls == []  # proven by the manifest, without rendering
    (spec.parent / "notes.json").write_text('{"unrelated": false}\n')
    assert _run("check", spec, out).exit_code == 0


def test_a_referenced_file_is_an_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "api" / "openapi.yaml"
    (tmp_path / "api" / "schemas").mkdir(parents=True)
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n"
        "        '200':\n          description: ok\n          content: {application/json: {schema: {$ref: 'schemas/a.yaml'}}}\n"
    )
    (tmp_path / "api" / "schemas" / "a.yaml").write_text("type: object\nproperties: {name: {type: string}}\n")
    out = tmp_path / "out" / "acme_client"
    assert _run("generate", spec, out, ()).exit_code == 0
    assert json.loads((out / MANIFEST).read_text())["read"] == ["schemas/a.yaml"]
    assert manifest.clean_warnings(_client(spec, out, ())) == []
    (tmp_path / "api" / "schemas" / "a.yaml").write_text("type: object\nproperties: {title: {type: string}}\n")
    assert manifest.clean_warnings(_client(spec, out, ())) is None
    assert _run("check", spec, out, ()).exit_code == 1


def test_output_does_not_depend_on_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """generate from one folder, check from two others: same bytes (the README names the spec relative
    to the folder that holds the package, not to where the command ran)."""
    spec = tmp_path / "project" / "specs" / "openapi.yaml"
    spec.parent.mkdir(parents=True)
    shutil.copy(ROOT / "specs" / "flowker" / "openapi.yaml", spec)
    out = tmp_path / "project" / "acme_client"
    elsewhere = tmp_path / "elsewhere" / "deeper"
    elsewhere.mkdir(parents=True)
    trees = []
    for cwd in (tmp_path / "project", elsewhere):
        monkeypatch.chdir(cwd)
        assert _run("generate", spec, out, ()).exit_code == 0
        trees.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1]
    assert "`specs/openapi.yaml`" in trees[0]["README.md"].decode()
    for cwd in (tmp_path, elsewhere, spec.parent):
        monkeypatch.chdir(cwd)
        result = _run("check", spec, out, ())
        assert result.exit_code == 0, result.output
