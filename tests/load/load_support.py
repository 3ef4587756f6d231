"""Helpers shared by the load-layer tests (a plain module beside them, like runtime_support)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, DiagnosticError, Severity, escape_pointer_token
from generator.load import SourceDocument, load_text

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
# seed page -> the spec extracted from it, byte for byte
SEED_SPECS = {"000": "pharen", "002": "dify", "003": "agno", "004": "flowker"}


def seed_page(number: str) -> Path:
    (page,) = SEEDS.glob(f"{number}_*.txt")
    return page


def load_yaml(text: str, first_line: int = 1) -> SourceDocument:
    return load_text(text, display_path="spec.yaml", kind="yaml", first_line=first_line)


def load_json(text: str, first_line: int = 1) -> SourceDocument:
    return load_text(text, display_path="spec.json", kind="json", first_line=first_line)


def failure(action: Callable[[], Any]) -> Diagnostic:
    """The one diagnostic `action` raises; it must raise DiagnosticError and nothing else."""
    try:
        action()
    except DiagnosticError as exc:
        assert len(exc.diagnostics) == 1, exc.diagnostics
        found = exc.diagnostics[0]
        assert found.severity is Severity.ERROR
        assert found.message
        assert exc.__cause__ is None  # no parser exception chained to it
        return found
    raise AssertionError("expected a DiagnosticError")


def where(diagnostic: Diagnostic) -> tuple[str, int, int]:
    return diagnostic.code, diagnostic.line, diagnostic.col


def yaml_failure(text: str, first_line: int = 1) -> tuple[str, int, int]:
    found = failure(lambda: load_yaml(text, first_line))
    assert found.file == "spec.yaml"
    return where(found)


def json_failure(text: str, first_line: int = 1) -> tuple[str, int, int]:
    found = failure(lambda: load_json(text, first_line))
    assert found.file == "spec.json"
    return where(found)


def pointers(data: Any, prefix: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(pointer, last token, value) for every node below `data`."""
    if isinstance(data, dict):
        items: Any = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return
    for token, value in items:
        pointer = prefix + "/" + escape_pointer_token(token)
        yield pointer, token, value
        yield from pointers(value, pointer)
