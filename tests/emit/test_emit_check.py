"""check_tree: compares trees with the disk, byte for byte, and never writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import emit_disk
from generator.diagnostics import DiagnosticError
from generator.emit import MARKER, check_tree, write_tree


@pytest.fixture
def pkg(tmp_path: Path, make_tree) -> tuple[Path, dict[str, str]]:
    folder = tmp_path / "generated" / "demo_client"
    tree = make_tree()
    write_tree({folder: tree})
    return folder, tree


def kinds(report) -> list[tuple[str, str]]:
    return [(d.kind, d.path) for d in report.diffs]


def test_clean(pkg):
    folder, tree = pkg
    report = check_tree({folder: tree})
    assert report.ok()
    assert report.diffs == ()
    assert report.summary() == f"{len(tree)} generated files match the specs."


def test_changed(pkg):
    folder, tree = pkg
    (folder / "client.py").write_text("class Client:\n    base_url = 'http://old'\n")
    report = check_tree({folder: tree})
    assert not report.ok()
    shown = f"{folder.as_posix()}/client.py"
    assert kinds(report) == [("changed", shown)]
    diff = report.diffs[0].diff
    assert diff.startswith(f"--- a/{shown}\n+++ b/{shown}\n")
    assert "-    base_url = 'http://old'\n" in diff
    assert "+    base_url = 'https://example.invalid'\n" in diff
    assert report.summary() == (
        "1 file differs from the specs: 1 changed. Run `clientgen generate` to update it."
    )


def test_changed_newlines_are_compared_as_bytes(pkg):
    folder, tree = pkg
    (folder / "client.py").write_bytes(tree["client.py"].replace("\n", "\r\n").encode())
    report = check_tree({folder: tree})
    assert kinds(report) == [("changed", f"{folder.as_posix()}/client.py")]


def test_missing_trailing_newline_is_a_change(pkg):
    folder, tree = pkg
    (folder / "client.py").write_bytes(tree["client.py"].rstrip("\n").encode())
    report = check_tree({folder: tree})
    assert [d.kind for d in report.diffs] == ["changed"]
    assert "\\ No newline at end of file" in report.diffs[0].diff


def test_binary_file_is_changed_with_a_note(pkg):
    folder, tree = pkg
    (folder / "client.py").write_bytes(b"\xff\xfe\x00binary")
    (diff,) = check_tree({folder: tree}).diffs
    assert diff.kind == "changed"
    assert "Binary files" in diff.diff and "not UTF-8" in diff.diff


def test_missing(pkg):
    folder, tree = pkg
    (folder / "models" / "user.py").unlink()
    report = check_tree({folder: tree})
    shown = f"{folder.as_posix()}/models/user.py"
    assert kinds(report) == [("missing", shown)]
    diff = report.diffs[0].diff
    assert diff.startswith(f"--- a/{shown}\n+++ b/{shown}\n@@ -0,0 +1,3 @@\n")
    assert "+class User:\n" in diff


def test_missing_folder_reports_every_file_and_creates_nothing(tmp_path: Path, make_tree):
    folder = tmp_path / "nowhere" / "pkg"
    tree = make_tree()
    report = check_tree({folder: tree})
    assert sorted(d.path for d in report.diffs) == sorted(f"{folder.as_posix()}/{rel}" for rel in tree)
    assert {d.kind for d in report.diffs} == {"missing"}
    assert not (tmp_path / "nowhere").exists()


def test_extra(pkg):
    folder, tree = pkg
    (folder / "stale.py").write_text("old = True\n")
    report = check_tree({folder: tree})
    shown = f"{folder.as_posix()}/stale.py"
    assert kinds(report) == [("extra", shown)]
    assert report.diffs[0].diff == f"--- a/{shown}\n+++ b/{shown}\n@@ -1 +0,0 @@\n-old = True\n"


def test_extra_inside_subfolder(pkg):
    folder, tree = pkg
    (folder / "models" / "deep").mkdir()
    (folder / "models" / "deep" / "gone.py").write_text("x = 1\n")
    report = check_tree({folder: tree})
    assert kinds(report) == [("extra", f"{folder.as_posix()}/models/deep/gone.py")]


def test_extra_binary_file(pkg):
    folder, tree = pkg
    (folder / "blob.bin").write_bytes(b"\x00\xff" * 10)
    (diff,) = check_tree({folder: tree}).diffs
    assert diff.kind == "extra" and "Binary file" in diff.diff and "20 bytes" in diff.diff


def test_pycache_and_tool_caches_ignored(pkg):
    folder, tree = pkg
    for rel in ["__pycache__/client.cpython-311.pyc", "models/__pycache__/user.cpython-311.pyc",
                ".mypy_cache/3.11/x.json", ".pytest_cache/v/cache/lastfailed", "models/stray.pyc"]:
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\x00cache")
    assert check_tree({folder: tree}).ok()


def test_empty_subfolder_is_not_a_difference(pkg):
    folder, tree = pkg
    (folder / "empty").mkdir()
    assert check_tree({folder: tree}).ok()


def test_symlink_instead_of_file_is_changed_and_not_followed(pkg, tmp_path: Path):
    folder, tree = pkg
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text(tree["client.py"])
    (folder / "client.py").unlink()
    (folder / "client.py").symlink_to(outside / "secret.py")
    (folder / "linked_dir").symlink_to(outside)
    report = check_tree({folder: tree})
    assert kinds(report) == [
        ("changed", f"{folder.as_posix()}/client.py"),
        ("extra", f"{folder.as_posix()}/linked_dir"),
    ]
    assert "symbolic link" in report.diffs[0].diff


def test_folder_where_file_expected(pkg):
    folder, tree = pkg
    (folder / "client.py").unlink()
    (folder / "client.py").mkdir()
    (folder / "client.py" / "inner.py").write_text("x\n")
    report = check_tree({folder: tree})
    assert kinds(report) == [
        ("changed", f"{folder.as_posix()}/client.py"),
        ("extra", f"{folder.as_posix()}/client.py/inner.py"),
    ]


def test_mixed_summary_and_sorted_output(pkg, tmp_path: Path, make_tree):
    folder, tree = pkg
    other = tmp_path / "generated" / "another_client"
    other_tree = make_tree()
    write_tree({other: other_tree})
    (folder / "client.py").write_text("changed\n")
    (folder / "py.typed").unlink()
    (folder / "a_stale.py").write_text("\n")
    (other / "models" / "user.py").unlink()
    report = check_tree({folder: tree, other: other_tree})
    paths = [d.path for d in report.diffs]
    assert paths == sorted(paths)
    assert sorted(d.kind for d in report.diffs) == ["changed", "extra", "missing", "missing"]
    assert report.summary() == (
        "4 files differ from the specs: 1 changed, 2 missing, 1 extra. Run `clientgen generate` to update them."
    )
    assert report.render().endswith(report.summary() + "\n")
    # Deterministic: same input, same report.
    assert check_tree({other: other_tree, folder: tree}) == report


def test_check_writes_nothing(pkg, tmp_path: Path, snapshot):
    folder, tree = pkg
    (folder / "client.py").write_text("changed\n")
    (folder / "stale.py").write_text("x\n")
    (folder / "py.typed").unlink()
    (tmp_path / "generated" / ".demo_client.clientgen-tmp-feedface").mkdir()  # a leftover: check must not clean it
    before = snapshot(tmp_path)
    check_tree({folder: tree, tmp_path / "generated" / "absent_client": tree})
    assert snapshot(tmp_path) == before


def test_check_on_unowned_folder_reports_instead_of_failing(tmp_path: Path, make_tree):
    folder = tmp_path / "handwritten"
    folder.mkdir()
    (folder / "mine.py").write_text("x = 1\n")
    report = check_tree({folder: make_tree()})
    assert ("extra", f"{folder.as_posix()}/mine.py") in kinds(report)
    assert ("missing", f"{folder.as_posix()}/{MARKER}") in kinds(report)


def test_output_that_is_a_file(tmp_path: Path, make_tree):
    (tmp_path / "pkg").write_text("not a folder")
    with pytest.raises(DiagnosticError) as info:
        check_tree({tmp_path / "pkg": make_tree()})
    assert [d.code for d in info.value.diagnostics] == ["output-not-directory"]


@pytest.mark.parametrize("bad", ["/etc/passwd", "../escape.py", "a/../../b.py", "a\\b.py", "a//b.py", "a/"])
def test_check_rejects_unsafe_paths(tmp_path: Path, make_tree, bad: str):
    tree = make_tree()
    tree[bad] = "x\n"
    with pytest.raises(DiagnosticError) as info:
        check_tree({tmp_path / "pkg": tree})
    assert [d.code for d in info.value.diagnostics] == ["unsafe-path"]


def test_read_error_is_a_diagnostic(pkg, monkeypatch):
    folder, tree = pkg

    def denied(path: str) -> bytes:
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(emit_disk, "_read_regular", denied)
    with pytest.raises(DiagnosticError) as info:
        check_tree({folder: tree})
    assert [d.code for d in info.value.diagnostics] == ["read-failed"]
    assert "Permission denied" in info.value.diagnostics[0].message


def test_output_below_a_file(tmp_path: Path, make_tree):
    (tmp_path / "blocker").write_text("x")
    with pytest.raises(DiagnosticError) as info:
        check_tree({tmp_path / "blocker" / "pkg": make_tree()})
    assert [d.code for d in info.value.diagnostics] == ["output-not-directory"]
