"""Emit: the only layer that touches disk.

The generator core is a pure function that returns ``{output_folder: {relative_posix_path: text}}``.
This module turns such trees into files (``write_tree``, used by ``clientgen generate``) or compares them
with what is on disk (``check_tree``, used by ``clientgen check``).

Safety rules, in the order they are applied:

* Every relative path and every output folder is validated for *all* folders before *any* disk write:
  relative POSIX paths only (no absolute paths, ``..``, ``.``, backslashes or empty parts), no file/folder
  clashes, the ownership marker present in every tree, output folders that do not nest.
* clientgen only replaces a folder it owns (it contains ``MARKER``) or one that is empty / absent.
* Each folder is replaced atomically: the complete new package is built and fsynced in a hidden sibling
  temporary directory, then swapped in with ``renameat2(RENAME_EXCHANGE)`` (Linux) or, where that is not
  available, with rename-old-to-backup + rename-new-into-place. A crash leaves the folder entirely old or
  entirely new (in the fallback, possibly absent with a complete backup next to it); the next
  ``write_tree`` restores such a backup and removes every hidden leftover before doing anything else.
* A folder whose content already matches the tree is not touched at all (mtimes are kept).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import difflib
import errno
import os
import platform
import secrets
import shutil
import stat
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from generator.diagnostics import Diagnostic, DiagnosticError, error

try:  # pragma: no cover - always present on POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

MARKER = ".clientgen.json"
"""File clientgen writes into every output folder it owns (put there by ``build_tree``, not by emit)."""

IGNORED_DIRS = frozenset({"__pycache__", ".mypy_cache", ".pytest_cache"})
"""Directories inside an output folder that ``check`` never reports (``write`` drops them with the old tree)."""
IGNORED_SUFFIXES = (".pyc",)

_LEFTOVER_TMP = "tmp"  # being built, or (after an exchange) the old tree: always garbage
_LEFTOVER_OLD = "old"  # complete old tree moved aside by the fallback swap: restored if the folder is missing
_LEFTOVER_TRASH = "trash"  # old tree renamed for deletion: always garbage
_LEFTOVER_KINDS = (_LEFTOVER_TMP, _LEFTOVER_OLD, _LEFTOVER_TRASH)

_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def marker_text() -> str:
    """Content of ``MARKER``; deterministic so that ``check`` stays clean across runs."""
    return '{"generator": "clientgen"}\n'


# --------------------------------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class FileDiff:
    path: str
    """Display path: ``<output folder>/<relative path>``."""
    kind: Literal["changed", "missing", "extra"]
    diff: str
    """Unified diff (``a/<path>`` on disk, ``b/<path>`` generated), or a one-line note for non-text files."""


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
        counts = {kind: sum(1 for d in self.diffs if d.kind == kind) for kind in ("changed", "missing", "extra")}
        parts = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
        n = len(self.diffs)
        verb, them = ("differs", "it") if n == 1 else ("differ", "them")
        return f"{_plural(n, 'file')} {verb} from the specs: {parts}. Run `clientgen generate` to update {them}."

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
                    f"{_shown(f.folder)}: {len(f.written)} written, {len(f.unchanged)} unchanged, {len(f.removed)} removed"
                )
            else:
                lines.append(f"{_shown(f.folder)}: up to date ({_plural(len(f.unchanged), 'file')})")
        return "\n".join(lines)


def _shown(folder: str | Path) -> str:
    """A folder as the user would type it: relative to the working directory when inside it."""
    try:
        return str(Path(folder).relative_to(Path.cwd()))
    except ValueError:
        return str(folder)


# ------------------------------------------------------------------------------------------------ validation


@dataclass(frozen=True)
class _Folder:
    display: str
    real: Path
    files: dict[str, bytes]  # sorted by path

    def shown(self, rel: str) -> str:
        return f"{self.display.rstrip('/')}/{rel}"


def _path_problem(rel: object) -> str | None:
    if not isinstance(rel, str):
        return "it is not a string"
    if not rel:
        return "it is empty"
    if "\\" in rel:
        return "it contains a backslash; use '/' as the separator"
    if rel.startswith("/"):
        return "it is absolute; paths must be relative to the output folder"
    if any(ord(c) < 32 or c == "\x7f" for c in rel):
        return "it contains a control character"
    parts = rel.split("/")
    if any(p == "" for p in parts):
        return "it has an empty part ('//' or a trailing '/')"
    if any(p in (".", "..") for p in parts):
        return "it contains a '.' or '..' part"
    return None


def _is_ignored(rel: str) -> bool:
    parts = rel.split("/")
    return any(p in IGNORED_DIRS for p in parts[:-1]) or parts[-1] in IGNORED_DIRS or rel.endswith(IGNORED_SUFFIXES)


def _prepare(trees: Mapping[os.PathLike[str] | str, Mapping[str, str]]) -> list[_Folder]:
    """Pure validation of every folder and path; raises one DiagnosticError with everything found."""
    diags: list[Diagnostic] = []
    folders: list[_Folder] = []
    for key, tree in trees.items():
        display = Path(_shown(key)).as_posix()
        real = Path(os.path.realpath(os.path.abspath(key)))
        if not real.name or real.parent == real:
            diags.append(error("unsafe-path", f"'{display}' cannot be used as an output folder", display,
                               hint="Point `output` at a dedicated folder such as `generated/<package>`."))
            continue
        files: dict[str, bytes] = {}
        for rel in sorted(tree, key=str):
            problem = _path_problem(rel)
            if problem is not None:
                diags.append(error("unsafe-path", f"refusing to write '{rel}': {problem}", display,
                                   hint="This is a bug in clientgen; nothing was written."))
                continue
            if _is_ignored(rel):
                diags.append(error("unsafe-path", f"refusing to write '{rel}': clientgen ignores this name on disk",
                                   display, hint="This is a bug in clientgen; nothing was written."))
                continue
            text = tree[rel]
            if not isinstance(text, str):
                diags.append(error("unencodable-content", f"content of '{rel}' is not text", display,
                                   hint="This is a bug in clientgen; nothing was written."))
                continue
            try:
                files[rel] = text.encode("utf-8")
            except UnicodeEncodeError as exc:
                diags.append(error("unencodable-content", f"content of '{rel}' cannot be encoded as UTF-8 ({exc.reason})",
                                   display, hint="This is a bug in clientgen; nothing was written."))
        for rel in files:
            parts = rel.split("/")
            for i in range(1, len(parts)):
                prefix = "/".join(parts[:i])
                if prefix in files:
                    diags.append(error("path-conflict", f"'{prefix}' is both a file and the folder of '{rel}'", display,
                                       hint="This is a bug in clientgen; nothing was written."))
                    break
        if MARKER not in tree:
            diags.append(error("missing-marker", f"the tree for '{display}' has no {MARKER}", display,
                               hint="This is a bug in clientgen: build_tree must add the ownership marker."))
        folders.append(_Folder(display, real, files))
    by_real = sorted(folders, key=lambda f: f.real.parts)
    for i, a in enumerate(by_real):
        for b in by_real[i + 1:]:
            if a.real == b.real or a.real in b.real.parents:
                diags.append(error("overlapping-outputs", f"output folders '{a.display}' and '{b.display}' overlap",
                                   b.display, hint="Give every client its own output folder; they must not nest."))
    if diags:
        raise DiagnosticError(diags)
    return sorted(folders, key=lambda f: f.display)


def _ownership_problem(folder: _Folder) -> Diagnostic | None:
    """Read-only checks that decide whether ``write_tree`` may replace the folder."""
    target = folder.real
    try:
        st = os.lstat(target)
    except (FileNotFoundError, NotADirectoryError):
        ancestor = target.parent
        while not os.path.lexists(ancestor):
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            return error("output-not-directory", f"cannot create '{folder.display}': '{ancestor}' is not a folder",
                         folder.display, hint="Move that file away or choose another `output` folder.")
        return None
    if not stat.S_ISDIR(st.st_mode):
        return error("output-not-directory", f"output '{folder.display}' exists and is not a folder", folder.display,
                     hint="Move that file away or choose another `output` folder.")
    entries = os.listdir(target)
    if entries and not _is_regular(target / MARKER):
        return error("output-not-owned",
                     f"output folder '{folder.display}' is not empty and was not created by clientgen (it has no {MARKER})",
                     folder.display,
                     hint=f"clientgen replaces its output folders entirely. Move the files elsewhere or point `output` "
                          f"at a new folder; if the folder really is clientgen output, create an empty {MARKER} in it.")
    return None


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


# --------------------------------------------------------------------------------------------- reading disk


@dataclass(frozen=True)
class _OnDisk:
    kind: Literal["file", "symlink", "directory", "other"]
    data: bytes = b""
    note: str = ""


def _read_regular(path: str) -> bytes | None:
    """Bytes of a regular file, without following symlinks or blocking on FIFOs; None if not regular."""
    fd = os.open(path, os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _scan(root: Path) -> tuple[dict[str, _OnDisk], set[str]]:
    """Every non-ignored entry below ``root`` (never following symlinks) and the set of sub-folders."""
    entries: dict[str, _OnDisk] = {}
    dirs: set[str] = set()

    def walk(path: str, prefix: str) -> None:
        with os.scandir(path) as it:
            items = sorted(it, key=lambda e: e.name)
        for entry in items:
            rel = prefix + entry.name
            if entry.name in IGNORED_DIRS or entry.name.endswith(IGNORED_SUFFIXES):
                continue
            if entry.is_symlink():
                entries[rel] = _OnDisk("symlink", note=f"a symbolic link to '{os.readlink(entry.path)}'")
            elif entry.is_dir(follow_symlinks=False):
                dirs.add(rel)
                walk(entry.path, rel + "/")
            elif entry.is_file(follow_symlinks=False):
                data = _read_regular(entry.path)
                entries[rel] = _OnDisk("file", data) if data is not None else _OnDisk("other", note="not a regular file")
            else:
                entries[rel] = _OnDisk("other", note="not a regular file")

    walk(str(root), "")
    return entries, dirs


def _snapshot(folder: _Folder) -> tuple[dict[str, _OnDisk], set[str]]:
    """Like ``_scan`` for the output folder; an absent folder is empty. Raises DiagnosticError for a file."""
    try:
        st = os.lstat(folder.real)
    except FileNotFoundError:
        return {}, set()
    except NotADirectoryError:
        st = None
    if st is None or not stat.S_ISDIR(st.st_mode):
        raise DiagnosticError([error("output-not-directory", f"output '{folder.display}' is not a folder",
                                     folder.display, hint="Move that file away or choose another `output` folder.")])
    return _scan(folder.real)


def _classify(folder: _Folder, disk: dict[str, _OnDisk], dirs: set[str]) -> tuple[list[str], list[str], list[str], list[str]]:
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


# ------------------------------------------------------------------------------------------------------ diffs


def _lines(text: str) -> list[str]:
    pieces = text.split("\n")
    lines = [p + "\n" for p in pieces[:-1]]
    if pieces[-1]:
        lines.append(pieces[-1] + "\n\\ No newline at end of file\n")
    return lines


def _unified(shown: str, old: str, new: str) -> str:
    return "".join(difflib.unified_diff(_lines(old), _lines(new), fromfile=f"a/{shown}", tofile=f"b/{shown}"))


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _diff_for(folder: _Folder, rel: str, kind: Literal["changed", "missing", "extra"], found: _OnDisk | None) -> FileDiff:
    shown = folder.shown(rel)
    new = _decode(folder.files[rel]) if rel in folder.files else ""
    assert new is not None  # generated content is always valid UTF-8
    if kind == "missing":
        return FileDiff(shown, kind, _unified(shown, "", new))
    if found is None:  # a folder where the tree has a file
        return FileDiff(shown, kind, f"a/{shown} is a folder on disk; clientgen writes a file there\n")
    if found.kind != "file":
        where = "is not in the specs" if kind == "extra" else "should be a regular file"
        return FileDiff(shown, kind, f"a/{shown} is {found.note} and {where}\n")
    old = _decode(found.data)
    if old is None:
        if kind == "extra":
            return FileDiff(shown, kind, f"Binary file a/{shown} ({len(found.data)} bytes) is not in the specs\n")
        return FileDiff(shown, kind, f"Binary files a/{shown} and b/{shown} differ (the file on disk is not UTF-8 text)\n")
    return FileDiff(shown, kind, _unified(shown, old, new))


# ------------------------------------------------------------------------------------------------------ check


def check_tree(trees: Mapping[os.PathLike[str] | str, Mapping[str, str]]) -> CheckReport:
    """Compare the trees with the disk. Reads only; never writes, creates or removes anything."""
    folders = _prepare(trees)
    diffs: list[FileDiff] = []
    diags: list[Diagnostic] = []
    for folder in folders:
        try:
            disk, dirs = _snapshot(folder)
        except DiagnosticError as exc:
            diags.extend(exc.diagnostics)
            continue
        except OSError as exc:
            diags.append(_io_error("read-failed", folder, exc))
            continue
        changed, missing, extra, _ = _classify(folder, disk, dirs)
        diffs += [_diff_for(folder, rel, "changed", disk.get(rel)) for rel in changed]
        diffs += [_diff_for(folder, rel, "missing", None) for rel in missing]
        diffs += [_diff_for(folder, rel, "extra", disk[rel]) for rel in extra]
    if diags:
        raise DiagnosticError(diags)
    diffs.sort(key=lambda d: d.path)
    return CheckReport(tuple(diffs), files_checked=sum(len(f.files) for f in folders))


def _io_error(code: str, folder: _Folder, exc: OSError) -> Diagnostic:
    where = f" ({exc.filename})" if exc.filename else ""
    return error(code, f"{exc.strerror or exc}{where}", folder.display,
                 hint="Fix the file system problem and run the command again; every output folder is left either "
                      "entirely old or entirely new.")


# ------------------------------------------------------------------------------------------------------ write


def write_tree(trees: Mapping[os.PathLike[str] | str, Mapping[str, str]]) -> WriteReport:
    """Make every output folder contain exactly its tree, replacing each folder atomically."""
    folders = _prepare(trees)
    diags: list[Diagnostic] = []
    for folder in folders:
        try:
            problem = _ownership_problem(folder)
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
def _locked_parents(folders: list[_Folder]) -> Iterator[dict[Path, int]]:
    """Create the parents and hold an exclusive flock on each (serialises concurrent ``write_tree`` runs)."""
    fds: dict[Path, int] = {}
    try:
        for parent in sorted({f.real.parent for f in folders}, key=lambda p: p.parts):
            try:
                os.makedirs(parent, exist_ok=True)
                fd = os.open(parent, os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC)
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


def _write_folder(folder: _Folder, parent_fd: int) -> FolderReport:
    parent, name = folder.real.parent, folder.real.name
    _recover(parent, name, parent_fd)
    # Re-check under the lock: the folder may have changed since validation (or a backup was restored).
    problem = _ownership_problem(folder)
    if problem is not None:
        raise DiagnosticError([problem])

    exists = os.path.lexists(folder.real)
    disk, dirs = _snapshot(folder)
    changed, missing, extra, same = _classify(folder, disk, dirs)
    report = FolderReport(folder.display, tuple(sorted(changed + missing)), tuple(same), tuple(extra))
    if exists and not report.changed:
        return report  # identical: touch nothing

    tmp_name = _new_leftover_name(parent, name, _LEFTOVER_TMP)
    os.mkdir(parent / tmp_name, 0o777)
    swapped = False
    try:
        _populate(parent / tmp_name, folder.files)
        _swap(parent, parent_fd, tmp_name, name, exists)
        swapped = True
    finally:
        if not swapped:
            _remove(parent / tmp_name)
    return report


def _leftover_prefix(name: str, kind: str) -> str:
    return f".{name}.clientgen-{kind}-"


def _new_leftover_name(parent: Path, name: str, kind: str) -> str:
    while True:
        candidate = _leftover_prefix(name, kind) + secrets.token_hex(6)
        if not os.path.lexists(parent / candidate):
            return candidate


def _remove(path: Path) -> None:
    """Best-effort removal of a leftover; whatever survives is removed by the next ``write_tree``."""
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)
    except OSError:
        pass


def _recover(parent: Path, name: str, parent_fd: int) -> None:
    """Undo what an interrupted ``write_tree`` left next to ``parent/name``.

    If the folder is missing but a complete backup exists (the fallback swap died between its two renames),
    the backup is put back. Everything else with our hidden prefixes is garbage and removed.
    """
    try:
        siblings = os.listdir(parent)
    except FileNotFoundError:
        return
    leftovers = {kind: sorted(s for s in siblings if s.startswith(_leftover_prefix(name, kind))) for kind in _LEFTOVER_KINDS}
    backups = leftovers[_LEFTOVER_OLD]
    if backups and not os.path.lexists(parent / name):
        newest = max(backups, key=lambda b: os.lstat(parent / b).st_mtime_ns)
        os.rename(newest, name, src_dir_fd=parent_fd, dst_dir_fd=parent_fd)
        os.fsync(parent_fd)
        backups = [b for b in backups if b != newest]
    for backup in backups:
        # A backup is complete by definition; rename it before deleting so a partial one never looks complete.
        trash = _new_leftover_name(parent, name, _LEFTOVER_TRASH)
        os.rename(backup, trash, src_dir_fd=parent_fd, dst_dir_fd=parent_fd)
        _remove(parent / trash)
    for leftover in leftovers[_LEFTOVER_TMP] + leftovers[_LEFTOVER_TRASH]:
        _remove(parent / leftover)


def _populate(root: Path, files: dict[str, bytes]) -> None:
    """Write every file under the (empty, fresh) ``root`` and fsync files and folders."""
    made: set[str] = set()
    for rel, data in files.items():
        parts = rel.split("/")
        for i in range(1, len(parts)):
            sub = "/".join(parts[:i])
            if sub not in made:
                os.mkdir(root / sub, 0o777)
                made.add(sub)
        fd = os.open(root / rel, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
    for sub in sorted(made, key=lambda s: s.count("/"), reverse=True):
        _fsync_dir(root / sub)
    _fsync_dir(root)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap(parent: Path, parent_fd: int, tmp_name: str, name: str, exists: bool) -> None:
    """Put the complete tree at ``tmp_name`` in place of ``name`` and delete the old tree."""
    if not exists:
        os.rename(tmp_name, name, src_dir_fd=parent_fd, dst_dir_fd=parent_fd)
        os.fsync(parent_fd)
        return
    if _rename_exchange(parent_fd, tmp_name, name):
        os.fsync(parent_fd)
        _remove(parent / tmp_name)  # now holds the old tree
        return
    backup = _new_leftover_name(parent, name, _LEFTOVER_OLD)
    os.rename(name, backup, src_dir_fd=parent_fd, dst_dir_fd=parent_fd)
    try:
        os.rename(tmp_name, name, src_dir_fd=parent_fd, dst_dir_fd=parent_fd)
    except BaseException:
        os.rename(backup, name, src_dir_fd=parent_fd, dst_dir_fd=parent_fd)
        raise
    os.fsync(parent_fd)
    trash = _new_leftover_name(parent, name, _LEFTOVER_TRASH)
    os.rename(backup, trash, src_dir_fd=parent_fd, dst_dir_fd=parent_fd)
    _remove(parent / trash)


# ---------------------------------------------------------------------------------- renameat2(RENAME_EXCHANGE)

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_SYS_RENAMEAT2 = {"x86_64": 316, "amd64": 316, "aarch64": 276, "arm64": 276, "riscv64": 276}
_FALLBACK_ERRNOS = {errno.EINVAL, errno.ENOSYS, errno.EPERM, getattr(errno, "EOPNOTSUPP", errno.EINVAL),
                    getattr(errno, "ENOTSUP", errno.EINVAL)}


def _load_renameat2() -> Callable[[int, bytes, int, bytes, int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError:
        return None
    fn = getattr(libc, "renameat2", None)
    if fn is not None:
        fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        fn.restype = ctypes.c_int
        return lambda a, b, c, d, flags: int(fn(a, b, c, d, flags))
    number = _SYS_RENAMEAT2.get(platform.machine().lower())
    syscall = getattr(libc, "syscall", None)
    if number is None or syscall is None:
        return None
    syscall.restype = ctypes.c_long

    def via_syscall(a: int, b: bytes, c: int, d: bytes, flags: int) -> int:
        return int(syscall(ctypes.c_long(number), ctypes.c_long(a), ctypes.c_char_p(b), ctypes.c_long(c),
                           ctypes.c_char_p(d), ctypes.c_ulong(flags)))

    return via_syscall


_renameat2 = _load_renameat2()


def _rename_exchange(dir_fd: int, a: str, b: str) -> bool:
    """Atomically exchange ``a`` and ``b`` (both in ``dir_fd``). False if the OS or file system cannot."""
    if _renameat2 is None:
        return False
    if _renameat2(dir_fd, os.fsencode(a), dir_fd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in _FALLBACK_ERRNOS:
        return False
    raise OSError(err, os.strerror(err), b)
