"""Facts the generator shares with the runtime, read from the runtime's own source so that the two
cannot disagree: what a media type is (`templates/runtime/_media.py`: JSON, JSON lines, text, file).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType


def _runtime_module(name: str) -> ModuleType:
    # Templates ship inside the wheel as generator/templates; in a source checkout they are
    # top-level.
    installed = Path(__file__).resolve().parent / "templates"
    root = installed if installed.is_dir() else Path(__file__).resolve().parents[1] / "templates"
    spec = importlib.util.spec_from_file_location(
        f"clientgen_runtime_{name}", root / "runtime" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_media = _runtime_module("_media")

ANY_MEDIA: str = _media.ANY_MEDIA
media_type = _media.media_type
is_json_lines = _media.is_json_lines
is_text = _media.is_text
is_file = _media.is_file
is_error_event = _media.is_error_event


def is_json(content_type: str | None) -> bool:
    """JSON as the runtime decodes it; a documented `*/*` is read as JSON too (the server picks)."""
    return bool(_media.is_json(content_type)) or media_type(content_type) == ANY_MEDIA
