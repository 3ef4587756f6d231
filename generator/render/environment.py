"""The Jinja environment the templates render in, and where the templates are."""

from __future__ import annotations

import functools
import hashlib
import os
import sys

import jinja2

from generator.templates_path import templates_dir


# How templates are compiled: the compiled-template cache is kept per these options and jinja2's
# version, since its entries are keyed by template source only.
_JINJA_OPTIONS = {
    "undefined": jinja2.StrictUndefined,
    "autoescape": False,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}


@functools.cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        bytecode_cache=_bytecode_cache(),
        **_JINJA_OPTIONS,  # type: ignore[arg-type]
    )


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates, kept like Python keeps compiled modules: in `__pycache__` beside the
    templates, unless bytecode is not written (`PYTHONDONTWRITEBYTECODE`) or the folder is
    read-only. Compiling them is ~40 ms of every run, a tenth of a small spec's; the output is the
    same either way."""
    if sys.dont_write_bytecode:
        return None
    options = repr(sorted((key, repr(value)) for key, value in _JINJA_OPTIONS.items()))
    tag = hashlib.sha256(f"{jinja2.__version__} {options}".encode()).hexdigest()[:16]
    folder = templates_dir() / "__pycache__" / f"jinja-{tag}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder)) if os.access(folder, os.W_OK) else None


