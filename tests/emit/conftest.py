"""Shared helpers for the emit tests (exposed as fixtures so test modules need no package imports)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.emit import MARKER, marker_text


def _tree(**overrides: str | None) -> dict[str, str]:
    """A small package tree; keyword names use '__' for '/' and '_dot_' for '.', None deletes."""
    tree = {
        MARKER: marker_text(),
        "__init__.py": '"""Generated client."""\n\nfrom .client import Client\n',
        "client.py": "class Client:\n    base_url = 'https://example.invalid'\n",
        "models/__init__.py": "",
        "models/user.py": "class User:\n    name: str\n    emoji: str = 'ü→✓'\n",
        "py.typed": "",
    }
    for key, value in overrides.items():
        path = key.replace("__", "/").replace("_dot_", ".")
        if value is None:
            tree.pop(path, None)
        else:
            tree[path] = value
    return tree


def _read_folder(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (nothing ignored), keyed by relative POSIX path."""
    out: dict[str, bytes] = {}
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            full = Path(dirpath) / name
            out[full.relative_to(folder).as_posix()] = full.read_bytes()
    return out


def _snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    """(inode, size, mtime_ns) of every entry below ``root``, directories included."""
    out: dict[str, tuple[int, int, int]] = {}
    for dirpath, dirs, files in os.walk(root):
        for name in dirs + files:
            full = Path(dirpath) / name
            st = os.lstat(full)
            out[full.relative_to(root).as_posix()] = (st.st_ino, st.st_size, st.st_mtime_ns)
    st = os.lstat(root)
    out["."] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return out


def _encoded(tree: dict[str, str]) -> dict[str, bytes]:
    return {k: v.encode("utf-8") for k, v in tree.items()}


@pytest.fixture
def make_tree() -> Callable[..., dict[str, str]]:
    return _tree


@pytest.fixture
def read_folder() -> Callable[[Path], dict[str, bytes]]:
    return _read_folder


@pytest.fixture
def snapshot() -> Callable[[Path], dict[str, tuple[int, int, int]]]:
    return _snapshot


@pytest.fixture
def encoded() -> Callable[[dict[str, str]], dict[str, bytes]]:
    return _encoded
