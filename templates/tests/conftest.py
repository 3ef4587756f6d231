"""Options of the generated tests. By default they run against mock transports; with
`--live-base-url URL` only the live checks run, against that server (credentials come from the
package's environment variables, as for any client).

  --live-operations ID[,ID...]  also call these operations (operationId or method path); by default only
                                GET, HEAD and OPTIONS operations are called. A named operation that
                                changes state runs only when --live-param gives every required value;
                                otherwise it is skipped, with the reason in the report
  --live-param [OP:]NAME=VALUE  a path, query, header or body value (wire or Python name) for live calls,
                                for every operation or only OP (operationId or method path); VALUE is read
                                as JSON when it parses, else as text
  --live-timeout SECONDS        per request (default 60)
  --live-dry-run                print every request live mode would send, and send none

Live mode sends only values from the spec's examples, from --live-param, or (for a read-only operation)
what a required argument needs: it never makes up values for optional parameters or fields.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ._conformance import CASES

HERE = Path(__file__).resolve().parent
_MODULE_CASES = {
    "test_examples.py": "examples",
    "test_requests.py": "requests",
    "test_responses.py": "responses",
    "test_pages.py": "pages",
}
REPORT: list[str] = []  # every difference the live checks found, for the summary


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("live", "conformance checks against a live server")
    options: list[tuple[str, dict[str, Any]]] = [
        (
            "--live-base-url",
            {"default": None, "help": "run the live checks against this server"},
        ),
        (
            "--live-operations",
            {"action": "append", "default": [], "help": "also call these"},
        ),
        (
            "--live-param",
            {"action": "append", "default": [], "help": "NAME=VALUE for live calls"},
        ),
        (
            "--live-timeout",
            {"type": float, "default": 60.0, "help": "seconds per request"},
        ),
        (
            "--live-dry-run",
            {"action": "store_true", "default": False, "help": "send nothing"},
        ),
    ]
    for name, kwargs in options:
        try:
            group.addoption(name, **kwargs)
        except ValueError:
            pass  # another generated package's conftest in the same run added it already


@dataclass(frozen=True)
class LiveOptions:
    base_url: str | None
    operations: frozenset[str]
    params: dict[str, Any]  # NAME, or OPERATION:NAME, -> value
    timeout: float
    dry_run: bool = False

    def params_for(self, names: list[str]) -> dict[str, Any]:
        """The values for one operation (known by any of `names`): global ones, then its own."""
        scoped = {key: value for key, value in self.params.items() if ":" not in key}
        for key, value in self.params.items():
            operation, _, name = key.partition(":")
            if name and operation in names:
                scoped[name] = value
        return scoped


def live_options(config: pytest.Config) -> LiveOptions:
    operations = [
        n.strip() for o in config.getoption("--live-operations", []) for n in o.split(",")
    ]
    params: dict[str, Any] = {}
    for item in config.getoption("--live-param", []):
        name, _, text = item.partition("=")
        try:
            params[name] = json.loads(text)
        except ValueError:
            params[name] = text
    base_url = config.getoption("--live-base-url", None)
    timeout = float(config.getoption("--live-timeout", 60.0))
    dry_run = bool(config.getoption("--live-dry-run", False))
    return LiveOptions(base_url, frozenset(n for n in operations if n), params, timeout, dry_run)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if collection_path.parent != HERE or not collection_path.name.startswith("test_"):
        return None
    live = live_options(config).base_url is not None
    listed = _MODULE_CASES.get(collection_path.name)
    if listed is not None and not CASES[listed]:
        return True  # nothing to test: an empty parametrization would only report a skip
    return (collection_path.name == "test_live.py") != live or None


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "live_case" not in metafunc.fixturenames:
        return
    options = live_options(metafunc.config)
    selected = []
    for case in CASES["live"]:
        if case["safe"] or options.operations & set(case["names"]):
            selected.append((case, False))
            if case["required"]:  # what the server says about a call it must reject
                selected.append((case, True))
    ids = [case["id"] + ("-missing-required" if drop else "") for case, drop in selected]
    metafunc.parametrize("live_case", selected, ids=ids)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if live_options(config).base_url is None:
        return
    package = HERE.parent.name
    terminalreporter.section(f"live conformance report: {package}")
    for line in REPORT or ["no differences from the spec"]:
        terminalreporter.write_line(line)
