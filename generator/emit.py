"""Emit: the only layer that touches disk.

The generator core is a pure function that returns ``{output_folder: {relative_posix_path: text}}``.
This module turns such trees into files (``write_tree``, used by ``clientgen generate``) or compares
them with what is on disk (``check_tree``, used by ``clientgen check``).

Safety rules, in the order they are applied:

* Every relative path and every output folder is validated for *all* folders before *any* disk
  write: relative POSIX paths only (no absolute paths, ``..``, ``.``, backslashes or empty
  parts), no file/folder clashes, the ownership marker present in every tree, output folders that
  do not nest (``generator.emit_paths``).
* clientgen only replaces a folder it owns (it contains ``MARKER``) or one that is empty / absent.
* Each folder is replaced atomically (``generator.emit_swap``): the complete new package is built
  and fsynced in a hidden sibling temporary directory, then swapped in with
  ``renameat2(RENAME_EXCHANGE)`` (Linux) or, where that is not available, with
  rename-old-to-backup + rename-new-into-place. A crash leaves the folder entirely old or
  entirely new (in the fallback, possibly absent with a complete backup next to it); the next
  ``write_tree`` restores such a backup and removes every hidden leftover before doing anything
  else.
* A folder whose content already matches the tree is not touched at all (mtimes are kept;
  ``generator.emit_disk`` reads and compares).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, DiagnosticError, error
from generator.emit_disk import FileDiff as FileDiff
from generator.emit_disk import classify, diff_for, snapshot
from generator.emit_paths import IGNORED_DIRS as IGNORED_DIRS
from generator.emit_paths import MARKER as MARKER
from generator.emit_paths import (
    O_CLOEXEC,
    O_DIRECTORY,
    Folder,
    OutputFolder,
    ownership_problem,
    prepare,
    shown,
)
from generator.emit_swap import LEFTOVER_TMP, new_leftover_name, populate, recover, remove, swap

try:  # pragma: no cover - always present on POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

_shown = shown  # `clientgen` prints folders the way reports do


def marker_text() -> str:
    """Content of ``MARKER``; deterministic so that ``check`` stays clean across runs."""
    return '{"generator": "clientgen"}\n'


# ----------------------------------------------------------------------------------------- reports


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass(frozen=True)
class CheckReport:
    diffs: tuple[FileDiff, ...]
    files_checked: int = 0

    def ok(self) -> bool:
        return not self.diffs

    def summary(self) -> str:
        if self.ok():
            verb = "matches" if self.files_checked == 1 else "match"
            return f"{_plural(self.files_checked, 'generated file')} {verb} the specs."
        counts = {
            kind: sum(1 for d in self.diffs if d.kind == kind)
            for kind in ("changed", "missing", "extra")
        }
        parts = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
        n = len(self.diffs)
        verb, them = ("differs", "it") if n == 1 else ("differ", "them")
        return (
            f"{_plural(n, 'file')} {verb} from the specs: {parts}. "
            f"Run `clientgen generate` to update {them}."
        )

    def render(self) -> str:
        """All diffs followed by the summary line, ready to print."""
        return "".join(d.diff for d in self.diffs) + self.summary() + "\n"


@dataclass(frozen=True)
class FolderReport:
    folder: str
    """Output folder as given (POSIX form)."""
    written: tuple[str, ...]
    """Relative paths that were created or whose content changed."""
    unchanged: tuple[str, ...]
    """Relative paths whose content was already right."""
    removed: tuple[str, ...]
    """Relative paths of stale files that are gone now."""

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


@dataclass(frozen=True)
class WriteReport:
    folders: tuple[FolderReport, ...]

    @property
    def changed(self) -> bool:
        return any(f.changed for f in self.folders)

    def summary(self) -> str:
        lines = []
        for f in self.folders:
            if f.changed:
                lines.append(
                    f"{_shown(f.folder)}: {len(f.written)} written, "
                    f"{len(f.unchanged)} unchanged, {len(f.removed)} removed"
                )
            else:
                lines.append(
                    f"{_shown(f.folder)}: up to date ({_plural(len(f.unchanged), 'file')})"
                )
        return "\n".join(lines)


def check_tree(trees: Mapping[OutputFolder, Mapping[str, str]]) -> CheckReport:
    """Compare the trees with the disk. Reads only; never writes, creates or removes anything."""
    folders = prepare(trees)
    diffs: list[FileDiff] = []
    diags: list[Diagnostic] = []
    for folder in folders:
        try:
            disk, dirs = snapshot(folder)
        except DiagnosticError as exc:
            diags.extend(exc.diagnostics)
            continue
        except OSError as exc:
            diags.append(_io_error("read-failed", folder, exc))
            continue
        changed, missing, extra, _ = classify(folder, disk, dirs)
        diffs += [diff_for(folder, rel, "changed", disk.get(rel)) for rel in changed]
        diffs += [diff_for(folder, rel, "missing", None) for rel in missing]
        diffs += [diff_for(folder, rel, "extra", disk[rel]) for rel in extra]
    if diags:
        raise DiagnosticError(diags)
    diffs.sort(key=lambda d: d.path)
    return CheckReport(tuple(diffs), files_checked=sum(len(f.files) for f in folders))


def _io_error(code: str, folder: Folder, exc: OSError) -> Diagnostic:
    where = f" ({exc.filename})" if exc.filename else ""
    return error(
        code,
        f"{exc.strerror or exc}{where}",
        folder.display,
        hint="Fix the file system problem and run the command again; every output folder is left "
        "either entirely old or entirely new.",
    )


# ------------------------------------------------------------------------------------------- write


def write_tree(trees: Mapping[OutputFolder, Mapping[str, str]]) -> WriteReport:
    """Make every output folder contain exactly its tree, replacing each folder atomically."""
    folders = prepare(trees)
    diags: list[Diagnostic] = []
    for folder in folders:
        try:
            problem = ownership_problem(folder)
        except OSError as exc:
            problem = _io_error("read-failed", folder, exc)
        if problem is not None:
            diags.append(problem)
    if diags:
        raise DiagnosticError(diags)

    reports: list[FolderReport] = []
    with _locked_parents(folders) as parent_fds:
        for folder in folders:
            try:
                reports.append(_write_folder(folder, parent_fds[folder.real.parent]))
            except OSError as exc:
                raise DiagnosticError([_io_error("write-failed", folder, exc)]) from exc
    return WriteReport(tuple(reports))


@contextlib.contextmanager
def _locked_parents(folders: list[Folder]) -> Iterator[dict[Path, int]]:
    """Create the parents and hold an exclusive flock on each (serialises concurrent
    ``write_tree`` runs)."""
    fds: dict[Path, int] = {}
    try:
        for parent in sorted({f.real.parent for f in folders}, key=lambda p: p.parts):
            try:
                os.makedirs(parent, exist_ok=True)
                fd = os.open(parent, os.O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            except OSError as exc:
                owner = next(f for f in folders if f.real.parent == parent)
                raise DiagnosticError([_io_error("write-failed", owner, exc)]) from exc
            fds[parent] = fd
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
        yield fds
    finally:
        for fd in fds.values():
            os.close(fd)


def _write_folder(folder: Folder, parent_fd: int) -> FolderReport:
    parent, name = folder.real.parent, folder.real.name
    recover(parent, name, parent_fd)
    # Re-check under the lock: the folder may have changed since validation (or a backup was
    # restored).
    problem = ownership_problem(folder)
    if problem is not None:
        raise DiagnosticError([problem])

    exists = os.path.lexists(folder.real)
    disk, dirs = snapshot(folder)
    changed, missing, extra, same = classify(folder, disk, dirs)
    report = FolderReport(
        folder.display, tuple(sorted(changed + missing)), tuple(same), tuple(extra)
    )
    if exists and not report.changed:
        return report  # identical: touch nothing

    tmp_name = new_leftover_name(parent, name, LEFTOVER_TMP)
    os.mkdir(parent / tmp_name, 0o777)
    swapped = False
    try:
        populate(parent / tmp_name, folder.files)
        swap(parent, parent_fd, tmp_name, name, exists)
        swapped = True
    finally:
        if not swapped:
            remove(parent / tmp_name)
    return report
