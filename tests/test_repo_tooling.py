"""What the repository promises around the generator: the pre-commit hooks, the CI script, and that the
README's client example really runs (against a real HTTP server on 127.0.0.1)."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_offered_hook_and_own_config_run_clientgen_check():
    offered = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    own = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    own_hooks = [hook for repo in own["repos"] for hook in repo["hooks"]]
    for hook in (offered[0], *own_hooks):
        assert hook["id"] == "clientgen-check"
        assert hook["entry"] == "clientgen check"
        # The check looks at every configured client, whatever files the commit touches.
        assert hook["pass_filenames"] is False and hook["always_run"] is True


def test_hook_entry_fails_with_a_diff_when_a_spec_changes_without_regenerating(tmp_path):
    """The hook's command, run the way pre-commit runs it, in a project whose spec was edited."""
    shutil.copytree(ROOT / "specs" / "agno", tmp_path / "specs" / "agno")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.clientgen.clients.agno_client]\nspec = "specs/agno/openapi.yaml"\noutput = "generated/agno_client"\n'
    )
    entry = shlex.split(yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]["entry"])
    command = [sys.executable, "-m", "generator", *entry[1:]]
    assert subprocess.run([sys.executable, "-m", "generator", "generate"], cwd=tmp_path).returncode == 0
    assert subprocess.run(command, cwd=tmp_path, capture_output=True).returncode == 0

    spec = tmp_path / "specs" / "agno" / "openapi.yaml"
    spec.write_text(spec.read_text().replace("title:", "title: Renamed", 1))
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1
    assert "--- a/generated/agno_client/" in result.stdout and "Renamed" in result.stdout
    assert "Run `clientgen generate`" in result.stderr


def test_ci_script_runs_the_readme_commands_then_check():
    readme = (ROOT / "README.md").read_text()
    first_block = re.search(r"```sh\n(.*?)```", readme, re.DOTALL)
    assert first_block is not None
    setup_and_test = first_block.group(1).strip().splitlines()
    assert setup_and_test == ["pip install -e '.[dev]'", "pytest"]
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    commands = [line for line in ci if line and not line.startswith(("#", "set ", "cd "))]
    assert commands == [*setup_and_test, "clientgen check", "python scripts/quality.py --strict"]
    assert os.access(ROOT / ".ci" / "run", os.X_OK)


class _FlowkerDouble(BaseHTTPRequestHandler):
    """Answers like Flowker's documented responses; remembers what it was sent."""

    seen: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append({"path": self.path, "key": self.headers.get("X-API-Key"), "body": body})
        if "/unknown/" in self.path:
            status, answer = 404, {"code": "FLK-0404", "title": "Not Found", "message": "workflow not found"}
        else:
            status, answer = 201, {
                "executionId": "8a8f3a4e-2b1c-4d5e-9f60-7a8b9c0d1e2f",
                "workflowId": self.path.split("/")[3],
                "status": "pending",
                "startedAt": "2026-01-01T00:00:00Z",
            }
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def test_readme_client_example_runs_against_a_real_server():
    readme = (ROOT / "README.md").read_text()
    example = next(block for block in re.findall(r"```python\n(.*?)```", readme, re.DOTALL) if "flowker_client" in block)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FlowkerDouble)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = {
            **os.environ,
            "FLOWKER_BASE_URL": f"http://127.0.0.1:{server.server_port}",
            "FLOWKER_API_KEY": "readme-key",
            "PYTHONPATH": str(ROOT / "generated"),
        }
        result = subprocess.run([sys.executable, "-c", example], env=env, capture_output=True, text=True, timeout=60)
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["8a8f3a4e-2b1c-4d5e-9f60-7a8b9c0d1e2f pending", "404 code='FLK-0404' message='workflow not found' title='Not Found'"]
    first = _FlowkerDouble.seen[0]
    assert first["path"] == "/v1/workflows/5d1f6a1e-8a9b-4c7e-9f00-000000000001/executions"
    assert first["key"] == "readme-key" and first["body"] == {"inputData": {"amount": {"value": 100}}}


def test_hatchling_finds_the_integration_install_hook():
    """pyproject's `[tool.hatch.build.hooks.custom]` names a file; hatchling takes its only
    BuildHookInterface subclass. Loading the file runs no install (that happens in `initialize`)."""
    import tomllib

    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
    from hatchling.plugin.utils import load_plugin_from_script

    hooks = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["hatch"]["build"]["hooks"]
    script = hooks["custom"]["path"]
    hook = load_plugin_from_script(str(ROOT / script), script, BuildHookInterface, "build_hook")
    assert hook.__name__ == "IntegrationServersInstallHook"
