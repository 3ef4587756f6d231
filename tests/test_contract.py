"""The runtime's facts (error class by status, retried statuses, defaults, per-call options) are
defined once, in templates/runtime, and what the generator writes about them follows that source:
the runtime's own code agrees with what the generator reads, the generated README names what the
runtime raises, and a changed runtime changes the README, the constructor and the oracle.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator import contract
from generator.build import build_package
from generator.config import ClientConfig
from generator.conformance.responses import error_class
from generator.lower.operations import IDEMPOTENCY_HEADER, RESERVED_ARGUMENTS

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ("agno_client", "dify_client", "flowker_client", "pharen_client")
STATUSES = range(100, 1000)


def _listed_statuses(readme: str, class_name: str) -> list[str]:
    """The statuses the README names for an error class: "`NotFoundError` (404, 410)" -> both."""
    found = re.search(rf"`{class_name}` \(([^)]*)\)", " ".join(readme.split()))
    assert found, f"{class_name} is not in the README's error list"
    return [s.strip() for s in found.group(1).split(",")]


def test_the_oracle_raises_what_the_runtime_raises():
    from flowker_client import errors

    for status in STATUSES:
        assert error_class(status) == errors._status_error_class(status).__name__, status


def test_the_facts_read_are_the_runtime_s_own_values():
    from flowker_client import _retries, _types, errors

    facts = contract.runtime_facts()
    assert dict(facts.status_errors) == {s: c.__name__ for s, c in errors.STATUS_ERRORS.items()}
    assert facts.always_retried == tuple(sorted(_retries.ALWAYS_RETRIED))
    for status in STATUSES:
        for safe in (False, True):
            retried = status in facts.always_retried or (
                safe
                and (status in facts.retried_when_safe or status >= facts.retried_when_safe_from)
            )
            assert _retries.should_retry_status(status, safe) == retried, (status, safe)
    timeout = _types.DEFAULT_TIMEOUT
    assert (timeout.read, timeout.connect) == (facts.default_timeout, facts.default_connect_timeout)
    assert facts.default_max_retries == _types.DEFAULT_MAX_RETRIES
    assert RESERVED_ARGUMENTS == {"self", *_types.CALL_OPTIONS}
    assert IDEMPOTENCY_HEADER == _retries.IDEMPOTENCY_KEY.lower()
    assert set(facts.idempotent_methods) == _retries.IDEMPOTENT_METHODS


@pytest.mark.parametrize("package", BUNDLED)
def test_each_generated_readme_names_the_class_the_runtime_raises(package):
    errors = __import__(f"{package}.errors").errors
    readme = (ROOT / "generated" / package / "README.md").read_text(encoding="utf-8")
    for status, cls in errors.STATUS_ERRORS.items():
        assert str(status) in _listed_statuses(readme, cls.__name__)
    assert f">= {errors.SERVER_ERROR_FROM}" in _listed_statuses(
        readme, errors.SERVER_ERROR.__name__
    )
    client = (ROOT / "generated" / package / "client.py").read_text(encoding="utf-8")
    default = __import__(f"{package}._types")._types.DEFAULT_MAX_RETRIES
    assert f"max_retries: int = {default}," in client


def test_the_project_readme_states_the_runtime_s_tables():
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    facts = contract.runtime_facts()
    for status, name in facts.status_errors:
        assert f"`{name}` {status}" in readme
    assert f"`{facts.server_error}` >= {facts.server_error_from}" in readme
    assert "| " + ", ".join(map(str, facts.always_retried)) + " | every method |" in readme
    when_safe = ", ".join(map(str, facts.retried_when_safe))
    row = re.search(rf"\| {when_safe}, other 5xx[^|]*\| ([A-Z, ]+);", readme)
    assert row and set(row.group(1).split(", ")) == set(facts.idempotent_methods)
    timeouts = f"{facts.default_timeout:g} s read / {facts.default_connect_timeout:g} s connect"
    assert timeouts in readme


_SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Contract", "version": "1"},
    "servers": [{"url": "https://api.example.test"}],
    "paths": {
        "/things/{id}": {
            "get": {
                "operationId": "getThing",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {"description": "ok"},
                    "410": {"description": "gone"},
                },
            }
        }
    },
}


@pytest.fixture
def changed_runtime(tmp_path, monkeypatch):
    """A copy of the runtime that also retries 502 for every method, raises NotFoundError for 410
    and retries 5 times by default; the generator reads its facts from there."""
    folder = tmp_path / "runtime"
    shutil.copytree(contract.runtime_dir(), folder)
    _edit(folder / "_retries.py", "frozenset({429, 503})", "frozenset({429, 502, 503})")
    _edit(folder / "_retries.py", '"PUT", "DELETE"})', '"DELETE"})')
    _edit(
        folder / "errors.py",
        "    404: NotFoundError,\n",
        "    404: NotFoundError,\n    410: NotFoundError,\n",
    )
    _edit(folder / "_types.py", "DEFAULT_MAX_RETRIES: Final = 2", "DEFAULT_MAX_RETRIES: Final = 5")
    _edit(
        folder / "_types.py",
        "DEFAULT_CONNECT_TIMEOUT_SECONDS: Final = 10.0",
        "DEFAULT_CONNECT_TIMEOUT_SECONDS: Final = 3.5",
    )
    monkeypatch.setattr(contract, "runtime_dir", lambda: folder)
    contract.runtime_facts.cache_clear()
    yield folder
    contract.runtime_facts.cache_clear()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer has {old!r}: update this test"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _package(tmp_path: Path) -> dict[str, str]:
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(_SPEC), encoding="utf-8")
    files, _ = build_package(
        ClientConfig("contract_client", spec, tmp_path / "out", "openapi.json")
    )
    return files


def _expected_error(files: dict[str, str], status: int) -> str:
    cases = json.loads(files["tests/cases.json"])["responses"]
    return next(c["expect"]["error"] for c in cases if c["status"] == status)


def test_the_generated_package_follows_the_runtime_it_ships(tmp_path):
    files = _package(tmp_path)
    assert "429 and 503 for every method; 408, 409, other 5xx only when safe" in files["README.md"]
    assert "120 s read, 10 s connect" in files["README.md"]
    assert "max_retries: int = 2," in files["client.py"]
    assert "An `Idempotency-Key` on every POST/PATCH, so" in files["README.md"]
    assert _expected_error(files, 410) == "APIStatusError"


def test_a_changed_runtime_changes_the_readme_the_constructor_and_the_oracle(
    changed_runtime, tmp_path
):
    files = _package(tmp_path)
    readme = files["README.md"]
    assert "429, 502 and 503 for every method; 408, 409, other 5xx only when safe" in readme
    assert "120 s read, 3.5 s connect" in readme
    assert _listed_statuses(readme, "NotFoundError") == ["404", "410"]
    assert "| `max_retries` | | 5 |" in readme
    assert "max_retries: int = 5," in files["client.py"]
    assert "An `Idempotency-Key` on every PUT/POST/PATCH, so" in readme
    assert _expected_error(files, 410) == "NotFoundError"


def test_a_runtime_fact_that_is_no_literal_is_a_located_error(changed_runtime):
    _edit(
        changed_runtime / "_retries.py",
        "RETRIED_WHEN_SAFE_FROM: Final = 500",
        "RETRIED_WHEN_SAFE_FROM: Final = int('500')",
    )
    with pytest.raises((TypeError, ValueError), match="line"):
        contract.read_runtime_facts(changed_runtime)
