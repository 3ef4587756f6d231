"""Hatch build hook: `pip install -e '.[dev]'` also installs Stoplight Prism and the Prefect server for the
integration tests.

Runs only for editable installs (the developer set-up), never for wheels: `npm ci` from the committed
lock file into `tests/integration/prism-cli/node_modules/`, skipped when the stamp there already matches
the lock file (the same stamp `prism.py` checks). Without node/npm, or offline, the install goes on with a
warning and the Prism tests fail later with a message that says what is missing.

Prefect goes into its own virtual environment, `.prefect-venv/` beside this file (see prefect_venv.py: it
pins FastAPI versions the Agno tests cannot share); a failed install warns, and the Prefect tests try again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PACKAGE_DIR = Path(__file__).resolve().parent / "prism-cli"
STAMP = PACKAGE_DIR / "node_modules" / ".clientgen-installed"


# hatchling finds the hook as the only BuildHookInterface subclass in this file (any name will do).
class IntegrationServersInstallHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version != "editable":
            return
        self._install_prism()
        self._install_prefect()

    def _install_prism(self) -> None:
        digest = hashlib.sha256((PACKAGE_DIR / "package-lock.json").read_bytes()).hexdigest()
        if STAMP.is_file() and STAMP.read_text().strip() == digest:
            return
        npm = shutil.which("npm")
        if npm is None:
            print("clientgen: npm not found; Prism (integration tests) not installed", file=sys.stderr)
            return
        command = [npm, "ci", "--prefix", str(PACKAGE_DIR), "--no-audit", "--no-fund"]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            print(f"clientgen: `npm ci` for Prism failed:\n{result.stderr[-2000:]}", file=sys.stderr)
            return
        STAMP.write_text(digest + "\n")

    def _install_prefect(self) -> None:
        # Loaded by path: the hook runs in pip's build environment, where tests/ is not importable.
        spec = importlib.util.spec_from_file_location("prefect_venv", Path(__file__).resolve().parent / "prefect_venv.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        try:
            module.ensure_prefect()
        except module.PrefectInstallError as exc:
            print(f"clientgen: the Prefect server (integration tests) was not installed: {exc}", file=sys.stderr)
