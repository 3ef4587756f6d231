"""Facts the generator shares with the runtime, read from the runtime's own source so that the two
cannot disagree.

- What a media type is (`templates/runtime/_media.py`: JSON, JSON lines, text, file): executed, it
  is standard library only.
- Which error class a status raises (`errors.py`), which statuses are retried (`_retries.py`), the
  default timeouts and retries and the per-call options (`_types.py`): module-level literals read
  with `ast`, because those modules import httpx. Read once, on first use (`runtime_facts`), so
  importing this module stays cheap.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from generator.templates_path import runtime_dir


def _runtime_module(name: str) -> ModuleType:
    path = runtime_dir() / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"clientgen_runtime_{name}", path)
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


@dataclass(frozen=True, slots=True)
class RuntimeFacts:
    """What the runtime does that generated prose and tests state: errors, retries, defaults."""

    status_errors: tuple[tuple[int, str], ...]  # (status, error class name), by status
    server_error_from: int  # this status and every one above raise `server_error`
    server_error: str
    always_retried: tuple[int, ...]  # statuses retried for every method
    retried_when_safe: tuple[int, ...]  # and these (with every status from ..._from up) only
    retried_when_safe_from: int  # when a replay cannot apply the request twice
    default_timeout: float  # seconds: read, write, pool
    default_connect_timeout: float
    default_max_retries: int
    call_options: tuple[str, ...]  # keyword arguments every generated method takes
    idempotency_key: str  # the header that makes a POST/PATCH safe to replay
    idempotent_methods: tuple[str, ...]  # replayed without one (RFC 9110), sorted

    def error_class(self, status: int) -> str:
        """The class of the error the runtime raises for a non-2xx `status`."""
        if status >= self.server_error_from:
            return self.server_error
        return dict(self.status_errors).get(status, "APIStatusError")


@functools.cache
def runtime_facts() -> RuntimeFacts:
    """The facts of the runtime this generator ships (read once)."""
    return read_runtime_facts(runtime_dir())


def read_runtime_facts(folder: Path) -> RuntimeFacts:
    """The facts as the runtime modules in `folder` define them."""
    errors = _assignments(folder / "errors.py")
    retries = _assignments(folder / "_retries.py")
    types = _assignments(folder / "_types.py")
    status_errors = _name_table(errors["STATUS_ERRORS"])
    return RuntimeFacts(
        status_errors=tuple(sorted(status_errors.items())),
        server_error_from=_int(errors["SERVER_ERROR_FROM"]),
        server_error=_name(errors["SERVER_ERROR"]),
        always_retried=_statuses(retries["ALWAYS_RETRIED"]),
        retried_when_safe=_statuses(retries["RETRIED_WHEN_SAFE"]),
        retried_when_safe_from=_int(retries["RETRIED_WHEN_SAFE_FROM"]),
        default_timeout=float(_literal(types["DEFAULT_TIMEOUT_SECONDS"])),
        default_connect_timeout=float(_literal(types["DEFAULT_CONNECT_TIMEOUT_SECONDS"])),
        default_max_retries=_int(types["DEFAULT_MAX_RETRIES"]),
        call_options=tuple(str(o) for o in _literal(types["CALL_OPTIONS"])),
        idempotency_key=str(_literal(retries["IDEMPOTENCY_KEY"])),
        idempotent_methods=tuple(sorted(str(m) for m in _frozenset(retries["IDEMPOTENT_METHODS"]))),
    )


def _assignments(path: Path) -> dict[str, ast.expr]:
    """Module-level `NAME = value` and `NAME: T = value` of a runtime module, by name."""
    found: dict[str, ast.expr] = {}
    for node in ast.parse(path.read_text(encoding="utf-8"), str(path)).body:
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            targets: list[ast.expr] = [node.target]
            value = node.value
        elif isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        else:
            continue
        found.update((t.id, value) for t in targets if isinstance(t, ast.Name))
    return found


def _name_table(node: ast.expr) -> Mapping[int, str]:
    """`{400: BadRequestError, ...}` -> {400: "BadRequestError", ...}."""
    _expect(isinstance(node, ast.Dict), node)
    assert isinstance(node, ast.Dict)
    table = {}
    for key, value in zip(node.keys, node.values, strict=True):
        _expect(key is not None, value)  # `**other` in the table
        assert key is not None
        table[_int(key)] = _name(value)
    return table


def _statuses(node: ast.expr) -> tuple[int, ...]:
    """`frozenset({429, 503})` -> (429, 503)."""
    return tuple(sorted(int(s) for s in _frozenset(node)))


def _literal(node: ast.expr) -> Any:
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise _shape_error(node) from None


def _frozenset(node: ast.expr) -> frozenset[Any]:
    """`frozenset({429, 503})` -> its items."""
    _expect(isinstance(node, ast.Call) and len(node.args) == 1, node)
    assert isinstance(node, ast.Call)
    return frozenset(_literal(node.args[0]))


def _int(node: ast.expr) -> int:
    value = _literal(node)
    _expect(isinstance(value, int), node)
    return int(value)


def _name(node: ast.expr) -> str:
    _expect(isinstance(node, ast.Name), node)
    assert isinstance(node, ast.Name)
    return node.id


def _expect(holds: bool, node: ast.expr) -> None:
    if not holds:
        raise _shape_error(node)


def _shape_error(node: ast.expr) -> TypeError:
    # The runtime's facts are plain literals so that they can be read without importing httpx; a
    # change of shape there is a clientgen bug, reported with the line at fault.
    return TypeError(f"runtime line {node.lineno}: cannot read {ast.unparse(node)!r} as a fact")
