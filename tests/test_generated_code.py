"""Generated code is verified as code: it imports, `mypy --strict` passes, and nothing runs at import."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import golden
import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ("pharen_client", "dify_client", "agno_client", "flowker_client")


def golden_packages(into: Path) -> list[Path]:
    """The golden cases that build (test_golden proves they equal expected/), each as `<case>_client`."""
    packages = []
    for case in golden.case_names():
        expected = golden.CASES / case / "expected"
        if expected.is_dir():
            packages.append(golden.write_package(case, into))
    return packages


@pytest.mark.slow
def test_bundled_and_golden_packages_pass_mypy_strict(tmp_path):
    packages = [ROOT / "generated" / name for name in BUNDLED] + golden_packages(tmp_path)
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / ".mypy"), *map(str, packages)],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.slow
def test_every_module_of_every_package_imports_in_a_fresh_interpreter(tmp_path):
    packages = [ROOT / "generated" / name for name in BUNDLED] + golden_packages(tmp_path)
    script = (
        "import importlib, pkgutil, sys\n"
        "for name in sys.argv[1:]:\n"
        "    package = importlib.import_module(name)\n"
        "    for module in pkgutil.walk_packages(package.__path__, f'{name}.'):\n"
        "        if '.tests.' not in module.name:\n"
        "            importlib.import_module(module.name)\n"
        "    for export in package.__all__:\n"
        "        getattr(package, export)\n"
        "    package.Client(base_url='http://127.0.0.1:1').close()\n"
    )
    env_path = ":".join(sorted({str(p.parent) for p in packages}))
    completed = subprocess.run([sys.executable, "-c", script, *(p.name for p in packages)], capture_output=True, text=True, env={"PYTHONPATH": env_path, "PATH": ""})
    assert completed.returncode == 0, completed.stderr


def test_importing_a_package_loads_neither_models_nor_client(tmp_path):
    script = "import sys, dify_client\nprint(sorted(m for m in sys.modules if m.startswith('dify_client')))\n"
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env={"PYTHONPATH": str(ROOT / "generated")})
    assert completed.stdout.strip() == "['dify_client']", completed.stdout + completed.stderr


# What constructing a client loads: the package, its client module and the core of the runtime.
CORE_RUNTIME = ("pharen_client",) + tuple(
    f"pharen_client.{name}" for name in ("_async", "_base", "_client_base", "_content", "_encoding", "_http", "_logging", "_media", "_responses", "_retries", "_sync", "_types", "client", "errors")
)


def test_constructing_a_client_loads_no_resources_and_no_models(tmp_path):
    """A top-level resource loads its `_resources` module on first use (with everything under it); the
    models (and pydantic's model machinery) only when a response is parsed; the httpx client on the
    first request."""
    script = (
        "import sys, pharen_client\n"
        "client = pharen_client.Client(base_url='http://127.0.0.1:1', api_key='k')\n"
        "print(sorted(m for m in sys.modules if m.startswith('pharen_client')), client._http, 'pydantic.main' in sys.modules)\n"
        "method = client.flow.workflows.execute\n"
        "print(sorted(m for m in sys.modules if m.startswith('pharen_client')))\n"
        "print('flow' in dir(client), callable(method), hasattr(client, 'no_such_resource'), client.flow is client.flow)\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env={"PYTHONPATH": str(ROOT / "generated")})
    assert completed.stdout.splitlines() == [
        f"{sorted(CORE_RUNTIME + ('pharen_client._auth',))} None False",
        # the flow resource streams: loading it loads the streaming runtime, and only then
        f"{sorted(CORE_RUNTIME + ('pharen_client._auth', 'pharen_client._resource', 'pharen_client._resources', 'pharen_client._resources.flow', 'pharen_client._streaming'))}",
        "True True False True",
    ], completed.stdout + completed.stderr


def test_models_load_by_module_on_first_use(tmp_path):
    """`models.py` exports every model lazily: touching one imports its `_models` module (and `_shared`)."""
    script = (
        "import sys, dify_client.models as models\n"
        "print(sorted(m for m in sys.modules if m.startswith('dify_client._models')))\n"
        "print(models.ErrorResponse.__module__, 'ErrorResponse' in dir(models), hasattr(models, 'NoSuchModel'))\n"
        "print(sorted(m for m in sys.modules if m.startswith('dify_client._models')))\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env={"PYTHONPATH": str(ROOT / "generated")})
    assert completed.stdout.splitlines() == [
        "[]",
        "dify_client._models.workflows True False",
        "['dify_client._models', 'dify_client._models.workflows']",
    ], completed.stdout + completed.stderr


@pytest.mark.slow
def test_templates_work_from_an_installed_wheel(tmp_path):
    """Build the wheel, unpack it away from the checkout, and generate from it."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("clientgen-*.whl"))
    site = tmp_path / "site"
    shutil.unpack_archive(wheel, site, format="zip")
    assert (site / "generator" / "templates" / "client.py.jinja").is_file()
    assert (site / "generator" / "templates" / "runtime" / "_base.py").is_file()
    work = tmp_path / "work"
    work.mkdir()
    completed = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(ROOT / "specs" / "flowker" / "openapi.yaml"), "--output", "out/flowker", "--package", "flowker",
         "--overlay", str(ROOT / "specs" / "flowker" / "fixes.overlay.yaml")],
        capture_output=True, text=True, cwd=work, env={"PYTHONPATH": str(site), "PATH": ""},
    )
    assert completed.returncode == 0, completed.stderr
    assert (work / "out" / "flowker" / "client.py").read_text() == (ROOT / "generated" / "flowker_client" / "client.py").read_text()
