"""Large real specs (Stripe) as golden cases kept small on disk: the whole generated tree equals its
committed digests and a few committed files, and the package imports, type-checks with `mypy --strict`,
and passes a sample of its own conformance tests. Regenerate: python tests/golden.py stripe."""

from __future__ import annotations

import ast
import difflib
import json
import re
import subprocess
import sys
from pathlib import Path

import golden_large
import pytest

pytestmark = pytest.mark.slow  # see the README: `pytest -m "not slow"` leaves it out


@pytest.mark.parametrize("case", golden_large.case_names())
def test_large_case_builds_its_committed_digests_files_and_diagnostics(case):
    tree, diagnostics = golden_large.build(case)
    expected, files, expected_diagnostics = golden_large.read_expected(case)
    assert diagnostics == expected_diagnostics
    actual = golden_large.digests(tree)
    changed = sorted(path for path in expected["files"].keys() | actual["files"].keys() if expected["files"].get(path) != actual["files"].get(path))
    assert not changed, f"{case}: these files differ (run `python tests/golden.py {case}` if intended): {changed}"
    assert actual["tree"] == expected["tree"]
    for path, text in files.items():
        diff = "".join(difflib.unified_diff(text.splitlines(True), tree[path].splitlines(True), f"expected/{path}", f"actual/{path}"))
        assert not diff, diff


@pytest.fixture(scope="module")
def stripe(tmp_path_factory) -> Path:
    return golden_large.write_package("stripe", tmp_path_factory.mktemp("large"))


def test_stripe_has_every_operation_and_schema(stripe):
    """468 operations and 819 component schemas in the spec: each one has a method / a model."""
    from generator.coverage_report import _client_calls

    files = {p.relative_to(stripe).as_posix(): p.read_text(encoding="utf-8") for p in stripe.rglob("*.py")}
    calls = _client_calls(files)  # every descriptor a method reachable through the resource tree uses
    assert len(calls["sync"]) == len(calls["async"]) == 468
    exports = (stripe / "__init__.py").read_text(encoding="utf-8")
    for name in ("IssuingCard", "Account", "Customer", "PaymentIntent"):
        assert f'    "{name}",' in exports


def test_stripe_package_imports_lazily_and_completely(stripe):
    script = (
        "import importlib, pkgutil, sys\n"
        "import stripe_client\n"
        "client = stripe_client.Client(base_url='http://127.0.0.1:1', bearer_auth='k')\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('stripe_client'))\n"
        "assert 'stripe_client._streaming' not in loaded and 'stripe_client.models' not in loaded, loaded\n"
        "assert not any(m.startswith('stripe_client._resource') for m in loaded), loaded\n"
        "client.customers.sources.verify\n"
        "assert 'stripe_client._resources.customers' in sys.modules and 'stripe_client.models' not in sys.modules\n"
        "assert not [m for m in sys.modules if m.startswith('stripe_client._resources.') and m != 'stripe_client._resources.customers']\n"
        "for module in pkgutil.walk_packages(stripe_client.__path__, 'stripe_client.'):\n"
        "    if '.tests' not in module.name:\n"
        "        importlib.import_module(module.name)\n"
        "for name in stripe_client.__all__:\n"
        "    getattr(stripe_client, name)\n"
        "stripe_client.IssuingCard.model_rebuild()\n"
        "print(len(stripe_client.__all__))\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env={"PYTHONPATH": str(stripe.parent), "PATH": ""})
    assert completed.returncode == 0, completed.stderr
    assert int(completed.stdout) > 819


def test_stripe_package_and_its_typing_test_pass_mypy_strict(stripe, tmp_path):
    """The package, and tests/typing/stripe_usage.py: the resource tree typed exactly, bad calls rejected."""
    usage = stripe.parent / "stripe_usage.py"
    usage.write_text((Path(__file__).parent / "typing" / "stripe_usage.py").read_text(encoding="utf-8"), encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / ".mypy"), str(stripe), str(usage)],
        capture_output=True, text=True, cwd=stripe.parent,
    )
    assert completed.returncode == 0, completed.stdout[-5000:] + completed.stderr


def test_stripe_conformance_sample_passes(stripe):
    """The package's own generated tests, for two groups of operations (all 3,000+ take two minutes)."""
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", str(stripe / "tests"), "-q", "-p", "no:cacheprovider", "-k", "country_specs or ephemeral_keys or balance_transactions"],
        capture_output=True, text=True, cwd=stripe.parent,
    )
    assert completed.returncode == 0, completed.stdout[-5000:] + completed.stderr
    assert " passed" in completed.stdout and " failed" not in completed.stdout


# A typical call's response model per case (test_first_model_loads_only_the_models_it_reaches).
FIRST_MODELS = {"stripe": "Customer", "openai": "CreateChatCompletionResponse"}


@pytest.mark.parametrize("case", sorted(FIRST_MODELS))
def test_first_model_loads_only_the_models_it_reaches(case, tmp_path):
    """Touching a response model imports the modules of the models it reaches (read from the generated
    annotations) and no other: no catch-all of models shared by other calls, nothing no operation uses.
    Only a group's own module may hold models of the group's other calls."""
    package = golden_large.write_package(case, tmp_path)
    first = FIRST_MODELS[case]
    script = (
        "import json, sys\n"
        f"import {package.name}.models as models\n"
        f"models.{first}\n"
        f"loaded = [m.removeprefix('{package.name}._models.') for m in sys.modules if m.startswith('{package.name}._models.')]\n"
        "print(json.dumps({m: models._MODULES[m].split() for m in loaded if m in models._MODULES}))\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env={"PYTHONPATH": str(tmp_path), "PATH": ""})
    assert completed.returncode == 0, completed.stderr
    loaded = json.loads(completed.stdout)
    home = next(module for module, names in loaded.items() if first in names)
    # A group's module (`chat`, not `_shared...`) holds the models of all the group's calls: what they
    # reach is loaded with it.
    reached = _reached(_references(package / "_models"), [first] if home.startswith("_") else loaded[home])
    for module, names in loaded.items():
        if module != home or home.startswith("_"):
            assert set(names) <= reached, (module, sorted(set(names) - reached)[:10])
    assert not any(module.startswith("_other") for module in loaded), loaded


def _references(models: Path) -> dict[str, set[str]]:
    """Every model and alias defined under `_models/` -> the names its annotations (or alias value) mention."""
    mentions: dict[str, set[str]] = {}
    for path in models.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                parts: list[ast.AST] = [s.annotation for s in node.body if isinstance(s, ast.AnnAssign)]
                mentions[node.name] = set().union(*(_names(part) for part in parts))
            elif isinstance(node, ast.AnnAssign | ast.Assign) and node.value is not None:
                target = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
                if isinstance(target, ast.Name):
                    mentions[target.id] = _names(node.value)
    return {name: {m for m in found if m in mentions} for name, found in mentions.items()}


def _names(node: ast.AST) -> set[str]:
    found: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            found.add(sub.id)
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):  # a string annotation
            try:
                found |= _names(ast.parse(sub.value, mode="eval"))
            except SyntaxError:
                pass  # a literal value, not an annotation
    return found


def _reached(references: dict[str, set[str]], start: list[str]) -> set[str]:
    reached, stack = set(), list(start)
    while stack:
        name = stack.pop()
        if name not in reached:
            reached.add(name)
            stack.extend(references.get(name, ()))
    return reached
