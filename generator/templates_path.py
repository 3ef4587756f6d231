"""Where clientgen's templates are: inside the package as generator/templates when installed from a
wheel, top-level in a source checkout. Every reader of templates/ (rendering, the runtime contract,
reserved names, the manifest's code digest) asks here."""

from __future__ import annotations

import functools
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def templates_dir() -> Path:
    installed = _PACKAGE / "templates"
    return installed if installed.is_dir() else _PACKAGE.parent / "templates"


def runtime_dir() -> Path:
    """templates/runtime: the modules copied into every generated package."""
    return templates_dir() / "runtime"
