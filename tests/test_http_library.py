"""`http_library` (issue 19): one runtime, importing httpx2 or httpx as the client's configuration says.
The runtime tests themselves run on both libraries (tests/runtime/conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.config import load_options
from generator.diagnostics import DiagnosticError

ROOT = Path(__file__).resolve().parents[1]
_DIRECT_IMPORT = re.compile(r"^\s*(import httpx\b|from httpx(2|_sse)?\b|import httpx2\b|import httpx_sse\b)", re.M)


def test_only_the_http_module_imports_an_http_library():
    """Every other module imports `httpx` from the package's `_http`, so the configured library is the
    only one a generated package loads (a module importing httpx itself would bypass the choice)."""
    sources = [*ROOT.glob("templates/runtime/*.py"), *ROOT.glob("templates/tests/*.py"), *ROOT.glob("templates/*.jinja")]
    offenders = [p.relative_to(ROOT).as_posix() for p in sources if p.name != "_http.py.jinja" and _DIRECT_IMPORT.search(p.read_text("utf-8"))]
    assert offenders == []


def test_bundled_clients_run_on_httpx2_by_default():
    for http_module in sorted(ROOT.glob("generated/*/_http.py")):
        assert "\nimport httpx2 as httpx\n" in http_module.read_text("utf-8"), http_module


def _pyproject(tmp_path: Path, extra: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.clientgen.clients.acme_client]\nspec = "a.yaml"\noutput = "out"\n{extra}\n', encoding="utf-8"
    )
    return tmp_path / "pyproject.toml"


def test_configured_library_and_distribution_are_read(tmp_path):
    client = load_options(_pyproject(tmp_path, 'http_library = "httpx"\ndistribution = true')).clients[0]
    assert (client.http_library, client.distribution) == ("httpx", True)
    default = load_options(_pyproject(tmp_path, "")).clients[0]
    assert (default.http_library, default.distribution) == ("httpx2", False)


@pytest.mark.parametrize(("extra", "message"), [
    ('http_library = "requests"', "http_library must be one of 'httpx2', 'httpx'"),
    ('distribution = "yes"', "distribution must be true or false"),
])
def test_bad_packaging_options_are_located_errors(tmp_path, extra, message):
    with pytest.raises(DiagnosticError) as info:
        load_options(_pyproject(tmp_path, extra))
    [diagnostic] = info.value.diagnostics
    assert message in diagnostic.message and "[tool.clientgen.clients.acme_client]" in diagnostic.message


def test_ad_hoc_generate_takes_the_library_and_distribution_flags(tmp_path):
    from click.testing import CliRunner

    from generator.cli import main

    spec = ROOT / "tests" / "cases" / "packaging" / "openapi.yaml"
    out = tmp_path / "notes_client"
    args = ["generate", str(spec), "--output", str(out), "--package", "notes_client", "--http-library", "httpx", "--distribution"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "\nimport httpx\n" in (out / "_http.py").read_text("utf-8")
    assert 'name = "notes-client"' in (out / "pyproject.toml").read_text("utf-8")
    plain = tmp_path / "plain_client"
    assert CliRunner().invoke(main, ["generate", str(spec), "--output", str(plain), "--package", "plain_client"]).exit_code == 0
    assert "\nimport httpx2 as httpx\n" in (plain / "_http.py").read_text("utf-8") and not (plain / "pyproject.toml").exists()
