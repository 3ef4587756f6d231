"""The bundled specs load to what yaml.safe_load sees, and every key is located where it is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from load_support import SPECS, load_json, pointers

from generator.load import load_document

SPEC_FILES = sorted(SPECS.glob("*/openapi.yaml"))


def test_there_are_specs() -> None:
    assert [path.parent.name for path in SPEC_FILES] == ["agno", "dify", "flowker", "pharen"]


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.parent.name)
def test_spec_loads_like_safe_load(path: Path) -> None:
    doc = load_document(path, display_path=f"specs/{path.parent.name}/openapi.yaml")
    assert doc.data == yaml.safe_load(path.read_text(encoding="utf-8"))
    assert doc.display_path == f"specs/{path.parent.name}/openapi.yaml"


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.parent.name)
def test_every_key_is_located_where_it_is_written(path: Path) -> None:
    doc = load_document(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    keys = 0
    for pointer, token, _ in pointers(doc.data):
        line, col = doc.locate(pointer)
        written = lines[line - 1][col - 1:]
        if isinstance(token, str):
            assert written.startswith((token, f"'{token}", f'"{token}')), (pointer, written)
            keys += 1
        else:  # a list item: its value, or the `- ` that starts it
            assert written.strip(), pointer
    assert keys > 100


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.parent.name)
def test_spec_as_json_locates_the_same_nodes(path: Path, tmp_path: Path) -> None:
    data = load_document(path).data
    text = json.dumps(data, indent=2, ensure_ascii=False)
    json_doc = load_json(text)
    assert json_doc.data == data
    lines = text.splitlines()
    for pointer, token, _ in pointers(data):
        line, col = json_doc.locate(pointer)
        if isinstance(token, str):
            assert lines[line - 1][col - 1:].startswith(json.dumps(token, ensure_ascii=False)), pointer
    # and through a file
    json_path = tmp_path / "openapi.json"
    json_path.write_text(text, encoding="utf-8")
    assert load_document(json_path).data == data
