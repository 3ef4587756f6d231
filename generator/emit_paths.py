"""Emit, part one: what may be written where. Pure validation of the trees (paths, contents, folders
that do not nest) and the read-only checks that decide whether a folder may be replaced.

Nothing here writes; `generator.emit` runs these checks for every folder before any disk write.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from typing import TypeVar
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, DiagnosticError, error

MARKER = ".clientgen.json"
"""File clientgen writes into every output folder it owns (put there by ``build_tree``, not by
emit)."""

IGNORED_DIRS = frozenset({"__pycache__", ".mypy_cache", ".pytest_cache"})
"""Directories inside an output folder that ``check`` never reports (``write`` drops them with the
old tree)."""
IGNORED_SUFFIXES = (".pyc",)

O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)

_BUG_HINT = "This is a bug in clientgen; nothing was written."


def shown(folder: str | os.PathLike[str]) -> str:
    """A folder as the user would type it: relative to the working directory when inside it."""
    try:
        return str(Path(folder).relative_to(Path.cwd()))
    except ValueError:
        return str(folder)


@dataclass(frozen=True)
class Folder:
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


def is_ignored(rel: str) -> bool:
    parts = rel.split("/")
    return (
        any(p in IGNORED_DIRS for p in parts[:-1])
        or parts[-1] in IGNORED_DIRS
        or rel.endswith(IGNORED_SUFFIXES)
    )


# Any path-like key: generic so that a `dict[Path, ...]` is accepted (a Mapping's key type is
# invariant).
OutputFolder = TypeVar("OutputFolder", bound="os.PathLike[str] | str")


def prepare(trees: Mapping[OutputFolder, Mapping[str, str]]) -> list[Folder]:
    """Pure validation of every folder and path; raises one DiagnosticError with everything
    found."""
    diags: list[Diagnostic] = []
    folders: list[Folder] = []
    for key, tree in trees.items():
        display = Path(shown(key)).as_posix()
        real = Path(os.path.realpath(os.path.abspath(Path(key))))
        if not real.name or real.parent == real:
            diags.append(
                error(
                    "unsafe-path",
                    f"'{display}' cannot be used as an output folder",
                    display,
                    hint="Point `output` at a dedicated folder such as `generated/<package>`.",
                )
            )
            continue
        files = _encoded_files(tree, display, diags)
        diags += _file_folder_conflicts(files, display)
        if MARKER not in tree:
            diags.append(
                error(
                    "missing-marker",
                    f"the tree for '{display}' has no {MARKER}",
                    display,
                    hint="This is a bug in clientgen: build_tree must add the ownership marker.",
                )
            )
        folders.append(Folder(display, real, files))
    diags += _overlaps(folders)
    if diags:
        raise DiagnosticError(diags)
    return sorted(folders, key=lambda f: f.display)


def _encoded_files(
    tree: Mapping[str, str], display: str, diags: list[Diagnostic]
) -> dict[str, bytes]:
    """The tree's files as UTF-8 bytes, sorted by path; what cannot be written goes to `diags`."""
    files: dict[str, bytes] = {}
    for rel in sorted(tree, key=str):
        problem = _path_problem(rel)
        if problem is None and is_ignored(rel):
            problem = "clientgen ignores this name on disk"
        if problem is not None:
            diags.append(
                error(
                    "unsafe-path", f"refusing to write '{rel}': {problem}", display, hint=_BUG_HINT
                )
            )
            continue
        text = tree[rel]
        if not isinstance(text, str):
            diags.append(
                error(
                    "unencodable-content",
                    f"content of '{rel}' is not text",
                    display,
                    hint=_BUG_HINT,
                )
            )
            continue
        try:
            files[rel] = text.encode("utf-8")
        except UnicodeEncodeError as exc:
            diags.append(
                error(
                    "unencodable-content",
                    f"content of '{rel}' cannot be encoded as UTF-8 ({exc.reason})",
                    display,
                    hint=_BUG_HINT,
                )
            )
    return files


def _file_folder_conflicts(files: Mapping[str, bytes], display: str) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for rel in files:
        parts = rel.split("/")
        for i in range(1, len(parts)):
            prefix = "/".join(parts[:i])
            if prefix in files:
                found.append(
                    error(
                        "path-conflict",
                        f"'{prefix}' is both a file and the folder of '{rel}'",
                        display,
                        hint=_BUG_HINT,
                    )
                )
                break
    return found


def _overlaps(folders: list[Folder]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    by_real = sorted(folders, key=lambda f: f.real.parts)
    for i, a in enumerate(by_real):
        for b in by_real[i + 1 :]:
            if a.real == b.real or a.real in b.real.parents:
                found.append(
                    error(
                        "overlapping-outputs",
                        f"output folders '{a.display}' and '{b.display}' overlap",
                        b.display,
                        hint="Give every client its own output folder; they must not nest.",
                    )
                )
    return found


def ownership_problem(folder: Folder) -> Diagnostic | None:
    """Read-only checks that decide whether ``write_tree`` may replace the folder."""
    target = folder.real
    try:
        st = os.lstat(target)
    except (FileNotFoundError, NotADirectoryError):
        ancestor = target.parent
        while not os.path.lexists(ancestor):
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            return error(
                "output-not-directory",
                f"cannot create '{folder.display}': '{ancestor}' is not a folder",
                folder.display,
                hint="Move that file away or choose another `output` folder.",
            )
        return None
    if not stat.S_ISDIR(st.st_mode):
        return error(
            "output-not-directory",
            f"output '{folder.display}' exists and is not a folder",
            folder.display,
            hint="Move that file away or choose another `output` folder.",
        )
    entries = os.listdir(target)
    if entries and not is_regular(target / MARKER):
        return error(
            "output-not-owned",
            f"output folder '{folder.display}' is not empty and was not created by clientgen "
            f"(it has no {MARKER})",
            folder.display,
            hint="clientgen replaces its output folders entirely. Move the files elsewhere or "
            "point `output` at a new folder; if the folder really is clientgen output, create an "
            f"empty {MARKER} in it.",
        )
    return None


def is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
