"""No escape (issue 6): package names and output paths from the configuration are validated, and a run
writes nothing outside the configured output folder (the emit tests cover unsafe tree paths, unowned
folders and stale-file removal only in marked folders)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(cwd: Path, *args: str):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*") if p.is_file()}


def project(tmp_path: Path, package: str, output: str) -> Path:
    shutil.copytree(ROOT / "specs" / "flowker", tmp_path / "specs" / "flowker")
    (tmp_path / "pyproject.toml").write_text(f'[tool.clientgen.clients."{package}"]\nspec = "specs/flowker/openapi.yaml"\noutput = "{output}"\n')
    return tmp_path


@pytest.mark.parametrize("package", ["../evil", "a-b", "a.b", "_private", "class", "ünï", "a/b", "", "x y", "os\nimport"])
def test_bad_package_names_are_refused_and_nothing_is_written(tmp_path, package):
    root = project(tmp_path / "p", package.replace("\n", "\\n"), "generated/x")
    before = snapshot(tmp_path)
    result = run(root, "generate")
    assert result.exit_code == 1, result.output
    assert "error[config]" in result.output and "Traceback" not in result.output
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("output", ["/tmp/evil", "../evil", "generated/../../evil", "generated\\\\evil", "", ".", "a/\\u0000b"])
def test_outputs_outside_the_project_are_refused(tmp_path, output):
    root = project(tmp_path / "p", "x_client", output)
    before = snapshot(tmp_path)
    result = run(root, "generate")
    assert result.exit_code == 1, result.output
    assert "error[config]" in result.output
    assert snapshot(tmp_path) == before


def test_generate_writes_only_inside_the_output_folder(tmp_path):
    root = project(tmp_path / "p", "x_client", "generated/x_client")
    (root / "generated").mkdir()
    (root / "generated" / "keep.txt").write_text("mine")
    before = snapshot(tmp_path)
    result = run(root, "generate")
    assert result.exit_code == 0, result.output
    after = snapshot(tmp_path)
    changed = {path for path in after if before.get(path) != after[path]} | (set(before) - set(after))
    assert changed and all(path.startswith("p/generated/x_client/") for path in changed), sorted(changed)
    assert sorted(p.name for p in (root / "generated").iterdir()) == ["keep.txt", "x_client"]  # no temp folder left


def test_adhoc_package_name_is_validated(tmp_path):
    result = run(tmp_path, "generate", str(ROOT / "specs" / "flowker" / "openapi.yaml"), "--output", "out", "--package", "../x")
    assert result.exit_code == 1 and "not a valid package name" in result.output
    assert list(tmp_path.iterdir()) == []
