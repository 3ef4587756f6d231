"""write_tree: ownership, path safety, atomic replacement, leftovers and recovery."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator import emit, emit_swap
from generator.diagnostics import DiagnosticError
from generator.emit import MARKER, check_tree, marker_text, write_tree

REPO = Path(__file__).resolve().parents[2]


def leftovers(parent: Path) -> list[str]:
    return sorted(name for name in os.listdir(parent) if ".clientgen-" in name)


def test_marker():
    assert MARKER == ".clientgen.json"
    assert marker_text() == marker_text()
    assert marker_text().endswith("\n")


def test_fresh_folder(tmp_path: Path, make_tree, read_folder, encoded):
    folder = tmp_path / "generated" / "demo_client"
    tree = make_tree()
    report = write_tree({folder: tree})
    assert read_folder(folder) == encoded(tree)
    (fr,) = report.folders
    assert fr.folder == folder.as_posix()
    assert fr.written == tuple(sorted(tree))
    assert fr.unchanged == () and fr.removed == ()
    assert report.changed
    assert leftovers(folder.parent) == []
    assert check_tree({folder: tree}).ok()


def test_bytes_are_written_exactly(tmp_path: Path, make_tree, read_folder):
    folder = tmp_path / "pkg"
    tree = make_tree(crlf_dot_txt="a\r\nb\n", nonl_dot_py="no newline", unicode_dot_py="s = 'ü→✓'\n")
    write_tree({folder: tree})
    files = read_folder(folder)
    assert files["crlf.txt"] == b"a\r\nb\n"
    assert files["nonl.py"] == b"no newline"
    assert files["unicode.py"] == "s = 'ü→✓'\n".encode("utf-8")


def test_update(tmp_path: Path, make_tree, read_folder, encoded):
    folder = tmp_path / "pkg"
    write_tree({folder: make_tree()})
    new = make_tree(client_dot_py="class Client:\n    pass\n", models__order_dot_py="class Order: ...\n")
    report = write_tree({folder: new})
    assert read_folder(folder) == encoded(new)
    (fr,) = report.folders
    assert fr.written == ("client.py", "models/order.py")
    assert fr.unchanged == tuple(sorted(set(new) - {"client.py", "models/order.py"}))
    assert fr.removed == ()
    assert leftovers(tmp_path) == []


def test_stale_files_removed(tmp_path: Path, make_tree, read_folder, encoded):
    folder = tmp_path / "pkg"
    write_tree({folder: make_tree(extra__deep__old_dot_py="x = 1\n")})
    (folder / "hand_added.py").write_text("stale\n")
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "client.cpython-311.pyc").write_bytes(b"\x00")
    new = make_tree(models__user_dot_py=None)
    report = write_tree({folder: new})
    assert read_folder(folder) == encoded(new)  # pycache dropped with the old tree, empty folders gone too
    assert not (folder / "extra").exists()
    (fr,) = report.folders
    assert fr.removed == ("extra/deep/old.py", "hand_added.py", "models/user.py")
    assert fr.written == ()


def test_unchanged_is_a_no_op(tmp_path: Path, make_tree, snapshot):
    folder = tmp_path / "pkg"
    tree = make_tree()
    write_tree({folder: tree})
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\x00")
    before = snapshot(tmp_path)
    report = write_tree({folder: tree})
    assert snapshot(tmp_path) == before
    (fr,) = report.folders
    assert not fr.changed and not report.changed
    assert fr.unchanged == tuple(sorted(tree))
    assert "up to date" in report.summary()


def test_refuses_unowned_non_empty_folder(tmp_path: Path, make_tree, snapshot):
    good = tmp_path / "good"
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("precious\n")
    before = snapshot(tmp_path)
    with pytest.raises(DiagnosticError) as info:
        write_tree({good: make_tree(), mine: make_tree()})
    (diag,) = info.value.diagnostics
    assert diag.code == "output-not-owned"
    assert diag.file == mine.as_posix()
    assert diag.hint and MARKER in diag.message
    assert snapshot(tmp_path) == before  # the valid folder was not written either
    assert not good.exists()


def test_empty_unowned_folder_is_fine(tmp_path: Path, make_tree, read_folder, encoded):
    folder = tmp_path / "pkg"
    folder.mkdir()
    write_tree({folder: make_tree()})
    assert read_folder(folder) == encoded(make_tree())


def test_output_that_is_a_file(tmp_path: Path, make_tree):
    (tmp_path / "pkg").write_text("x")
    (tmp_path / "blocker").write_text("x")
    with pytest.raises(DiagnosticError) as info:
        write_tree({tmp_path / "pkg": make_tree(), tmp_path / "blocker" / "sub": make_tree()})
    assert [d.code for d in info.value.diagnostics] == ["output-not-directory", "output-not-directory"]
    assert (tmp_path / "pkg").read_text() == "x"


UNSAFE = ["/abs/path.py", "../escape.py", "a/../../escape.py", "a/..", "a\\b.py", "a//b.py", "a/", "", "./a.py",
          "a/./b.py", "bad\nname.py", "__pycache__/x.pyc", "mod.pyc"]


@pytest.mark.parametrize("bad", UNSAFE)
def test_rejects_unsafe_paths_and_writes_nothing(tmp_path: Path, make_tree, bad: str):
    out = tmp_path / "out"
    out.mkdir()
    tree = make_tree()
    tree[bad] = "evil = True\n"
    with pytest.raises(DiagnosticError) as info:
        write_tree({out / "a_first": make_tree(), out / "pkg": tree})
    assert [d.code for d in info.value.diagnostics] == ["unsafe-path"]
    assert info.value.diagnostics[0].file == (out / "pkg").as_posix()
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["out"]


def test_all_problems_reported_together(tmp_path: Path, make_tree):
    bad1 = make_tree()
    bad1["../x.py"] = ""
    bad2 = make_tree(client_dot_py=None)
    bad2["/y.py"] = ""
    del bad2[MARKER]
    with pytest.raises(DiagnosticError) as info:
        write_tree({tmp_path / "one": bad1, tmp_path / "two": bad2})
    assert sorted(d.code for d in info.value.diagnostics) == ["missing-marker", "unsafe-path", "unsafe-path"]
    assert os.listdir(tmp_path) == []


def test_file_folder_conflict(tmp_path: Path, make_tree):
    tree = make_tree(models="oops\n")
    with pytest.raises(DiagnosticError) as info:
        write_tree({tmp_path / "pkg": tree})
    assert {d.code for d in info.value.diagnostics} == {"path-conflict"}


def test_overlapping_outputs(tmp_path: Path, make_tree):
    with pytest.raises(DiagnosticError) as info:
        write_tree({tmp_path / "a": make_tree(), tmp_path / "a" / "b": make_tree()})
    assert [d.code for d in info.value.diagnostics] == ["overlapping-outputs"]
    with pytest.raises(DiagnosticError):
        write_tree({tmp_path / "a": make_tree(), str(tmp_path / "x" / ".." / "a"): make_tree()})
    assert os.listdir(tmp_path) == []


def test_several_folders(tmp_path: Path, make_tree, read_folder, encoded):
    trees = {tmp_path / "gen" / "b_client": make_tree(), tmp_path / "gen" / "a_client": make_tree(py_dot_typed=None)}
    report = write_tree(trees)
    assert [f.folder for f in report.folders] == sorted(p.as_posix() for p in trees)
    for folder, tree in trees.items():
        assert read_folder(folder) == encoded(tree)
    assert check_tree(trees).ok()


def test_leftovers_are_cleaned_up(tmp_path: Path, make_tree, read_folder, encoded):
    folder = tmp_path / "pkg"
    write_tree({folder: make_tree()})
    junk = [".pkg.clientgen-tmp-0123", ".pkg.clientgen-trash-4567", ".pkg.clientgen-old-89ab"]
    for name in junk:
        (tmp_path / name / "models").mkdir(parents=True)
        (tmp_path / name / "models" / "half.py").write_text("partial\n")
    (tmp_path / ".pkg.clientgen-tmp-file").write_text("stray file\n")
    (tmp_path / ".other.clientgen-tmp-0000").mkdir()  # belongs to another output folder
    (tmp_path / "unrelated").mkdir()
    report = write_tree({folder: make_tree()})  # content identical: leftovers still go
    assert not report.changed
    assert sorted(os.listdir(tmp_path)) == [".other.clientgen-tmp-0000", "pkg", "unrelated"]
    assert read_folder(folder) == encoded(make_tree())


def test_recovers_interrupted_fallback(tmp_path: Path, make_tree, read_folder, encoded):
    """State after a crash between the fallback's two renames: folder gone, complete backup, partial temp."""
    old = make_tree()
    staging = tmp_path / "staging"
    write_tree({staging: old})
    os.rename(staging, tmp_path / ".pkg.clientgen-old-abcdef")
    (tmp_path / ".pkg.clientgen-tmp-123456").mkdir()
    (tmp_path / ".pkg.clientgen-tmp-123456" / "client.py").write_text("half")
    folder = tmp_path / "pkg"
    # Restoring the backup makes an identical tree a no-op: proves the old package came back intact.
    report = write_tree({folder: old})
    assert not report.changed
    assert read_folder(folder) == encoded(old)
    assert leftovers(tmp_path) == []
    new = make_tree(client_dot_py="new\n")
    write_tree({folder: new})
    assert read_folder(folder) == encoded(new)


def test_fallback_swap_without_rename_exchange(tmp_path: Path, make_tree, read_folder, encoded, monkeypatch):
    monkeypatch.setattr(emit_swap, "rename_exchange", lambda *args: False)
    folder = tmp_path / "pkg"
    write_tree({folder: make_tree()})
    new = make_tree(client_dot_py="new\n", models__user_dot_py=None)
    report = write_tree({folder: new})
    assert read_folder(folder) == encoded(new)
    assert report.folders[0].written == ("client.py",)
    assert leftovers(tmp_path) == []


def test_failed_fallback_rename_restores_old_tree(tmp_path: Path, make_tree, read_folder, encoded, monkeypatch):
    folder = tmp_path / "pkg"
    old = make_tree()
    write_tree({folder: old})
    monkeypatch.setattr(emit_swap, "rename_exchange", lambda *args: False)
    real_rename = os.rename

    def failing(src, dst, **kw):
        if isinstance(src, str) and ".clientgen-tmp-" in src:
            raise OSError(5, "Input/output error", src)
        return real_rename(src, dst, **kw)

    monkeypatch.setattr(os, "rename", failing)
    with pytest.raises(DiagnosticError) as info:
        write_tree({folder: make_tree(client_dot_py="new\n")})
    assert [d.code for d in info.value.diagnostics] == ["write-failed"]
    monkeypatch.setattr(os, "rename", real_rename)
    assert read_folder(folder) == encoded(old)
    assert leftovers(tmp_path) == []


def test_failure_while_building_leaves_old_tree(tmp_path: Path, make_tree, read_folder, encoded, monkeypatch):
    folder = tmp_path / "pkg"
    old = make_tree()
    write_tree({folder: old})

    def broken(root, files):
        (root / "partial.py").write_text("half")
        raise OSError(28, "No space left on device", str(root / "partial.py"))

    monkeypatch.setattr(emit, "populate", broken)
    with pytest.raises(DiagnosticError) as info:
        write_tree({folder: make_tree(client_dot_py="new\n")})
    assert "No space left" in info.value.diagnostics[0].message
    assert read_folder(folder) == encoded(old)
    assert leftovers(tmp_path) == []


def test_crash_between_fallback_renames_then_recovery(tmp_path: Path, make_tree, read_folder, encoded):
    """A real process death right after the old folder was moved aside; the next run restores it."""
    folder = tmp_path / "pkg"
    old = make_tree()
    write_tree({folder: old})
    script = textwrap.dedent(
        """
        import json, os, sys
        from generator import emit, emit_swap
        emit_swap.rename_exchange = lambda *args: False
        real_rename = os.rename
        def rename(src, dst, **kw):
            real_rename(src, dst, **kw)
            if src == "pkg":
                os._exit(9)
        os.rename = rename
        emit.write_tree({sys.argv[1]: json.loads(sys.argv[2])})
        """
    )
    import json

    new = make_tree(client_dot_py="new\n")
    proc = subprocess.run([sys.executable, "-c", script, str(folder), json.dumps(new)], cwd=REPO)
    assert proc.returncode == 9
    assert not folder.exists()
    assert [n for n in leftovers(tmp_path) if ".clientgen-old-" in n]
    assert not check_tree({folder: old}).ok()  # check reads only: it does not recover
    write_tree({folder: new})
    assert read_folder(folder) == encoded(new)
    assert leftovers(tmp_path) == []


def test_symlinked_output_folder_keeps_the_link(tmp_path: Path, make_tree, read_folder, encoded):
    real = tmp_path / "real"
    write_tree({real: make_tree()})
    link = tmp_path / "link"
    link.symlink_to(real)
    new = make_tree(client_dot_py="new\n")
    write_tree({link: new})
    assert link.is_symlink()
    assert read_folder(real) == encoded(new)
    assert check_tree({link: new}).ok()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux-only")
def test_rename_exchange_swaps_directories(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x").write_text("a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x").write_text("b")
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        if not emit_swap.rename_exchange(fd, "a", "b"):
            pytest.skip("file system without RENAME_EXCHANGE")
    finally:
        os.close(fd)
    assert (tmp_path / "a" / "x").read_text() == "b"
    assert (tmp_path / "b" / "x").read_text() == "a"
