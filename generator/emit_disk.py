"""Emit, part two: reading an output folder (never following symlinks) and comparing it with a tree:
which files changed, are missing or extra, and their unified diffs."""

from __future__ import annotations

import difflib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from generator.diagnostics import DiagnosticError, error
from generator.emit_paths import (
    IGNORED_DIRS,
    IGNORED_SUFFIXES,
    O_CLOEXEC,
    O_NOFOLLOW,
    O_NONBLOCK,
    Folder,
)


@dataclass(frozen=True)
class FileDiff:
    path: str
    """Display path: ``<output folder>/<relative path>``."""
    kind: Literal["changed", "missing", "extra"]
    diff: str
    """Unified diff (``a/<path>`` on disk, ``b/<path>`` generated), or a one-line note for non-text
    files."""


@dataclass(frozen=True)
class OnDisk:
    kind: Literal["file", "symlink", "directory", "other"]
    data: bytes = b""
    note: str = ""


def _read_regular(path: str) -> bytes | None:
    """Bytes of a regular file, without following symlinks or blocking on FIFOs; None if not
    regular."""
    fd = os.open(path, os.O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _scan(root: Path) -> tuple[dict[str, OnDisk], set[str]]:
    """Every non-ignored entry below ``root`` (never following symlinks) and the set of
    sub-folders."""
    entries: dict[str, OnDisk] = {}
    dirs: set[str] = set()

    def walk(path: str, prefix: str) -> None:
        with os.scandir(path) as it:
            items = sorted(it, key=lambda e: e.name)
        for entry in items:
            rel = prefix + entry.name
            if entry.name in IGNORED_DIRS or entry.name.endswith(IGNORED_SUFFIXES):
                continue
            if entry.is_symlink():
                entries[rel] = OnDisk(
                    "symlink", note=f"a symbolic link to '{os.readlink(entry.path)}'"
                )
            elif entry.is_dir(follow_symlinks=False):
                dirs.add(rel)
                walk(entry.path, rel + "/")
            elif entry.is_file(follow_symlinks=False):
                data = _read_regular(entry.path)
                entries[rel] = (
                    OnDisk("file", data)
                    if data is not None
                    else OnDisk("other", note="not a regular file")
                )
            else:
                entries[rel] = OnDisk("other", note="not a regular file")

    walk(str(root), "")
    return entries, dirs


def snapshot(folder: Folder) -> tuple[dict[str, OnDisk], set[str]]:
    """Like ``_scan`` for the output folder; an absent folder is empty. Raises DiagnosticError for
    a file."""
    try:
        st = os.lstat(folder.real)
    except FileNotFoundError:
        return {}, set()
    except NotADirectoryError:
        st = None
    if st is None or not stat.S_ISDIR(st.st_mode):
        raise DiagnosticError(
            [
                error(
                    "output-not-directory",
                    f"output '{folder.display}' is not a folder",
                    folder.display,
                    hint="Move that file away or choose another `output` folder.",
                )
            ]
        )
    return _scan(folder.real)


def classify(
    folder: Folder, disk: dict[str, OnDisk], dirs: set[str]
) -> tuple[list[str], list[str], list[str], list[str]]:
    """(changed, missing, extra, same) relative paths, each sorted."""
    changed: list[str] = []
    missing: list[str] = []
    same: list[str] = []
    for rel, data in folder.files.items():
        found = disk.get(rel)
        if found is None:
            (changed if rel in dirs else missing).append(rel)
        elif found.kind == "file" and found.data == data:
            same.append(rel)
        else:
            changed.append(rel)
    extra = sorted(rel for rel in disk if rel not in folder.files)
    return changed, missing, extra, same


# ------------------------------------------------------------------------------------------- diffs


def _lines(text: str) -> list[str]:
    pieces = text.split("\n")
    lines = [p + "\n" for p in pieces[:-1]]
    if pieces[-1]:
        lines.append(pieces[-1] + "\n\\ No newline at end of file\n")
    return lines


def _unified(shown: str, old: str, new: str) -> str:
    return "".join(
        difflib.unified_diff(_lines(old), _lines(new), fromfile=f"a/{shown}", tofile=f"b/{shown}")
    )


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def diff_for(
    folder: Folder, rel: str, kind: Literal["changed", "missing", "extra"], found: OnDisk | None
) -> FileDiff:
    shown = folder.shown(rel)
    new = _decode(folder.files[rel]) if rel in folder.files else ""
    assert new is not None  # generated content is always valid UTF-8
    if kind == "missing":
        return FileDiff(shown, kind, _unified(shown, "", new))
    if found is None:  # a folder where the tree has a file
        return FileDiff(
            shown, kind, f"a/{shown} is a folder on disk; clientgen writes a file there\n"
        )
    if found.kind != "file":
        where = "is not in the specs" if kind == "extra" else "should be a regular file"
        return FileDiff(shown, kind, f"a/{shown} is {found.note} and {where}\n")
    old = _decode(found.data)
    if old is None:
        if kind == "extra":
            return FileDiff(
                shown,
                kind,
                f"Binary file a/{shown} ({len(found.data)} bytes) is not in the specs\n",
            )
        return FileDiff(
            shown,
            kind,
            f"Binary files a/{shown} and b/{shown} differ (the file on disk is not UTF-8 text)\n",
        )
    return FileDiff(shown, kind, _unified(shown, old, new))
