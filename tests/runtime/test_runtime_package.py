"""The runtime as shipped: type-checks, formatting, import cost, small public helpers."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import httpx
import pytest
from runtime_support import RUNTIME_DIR, copy_runtime

from generator.config import HTTP_LIBRARIES
from generator.render import _environment
from generator.render.packaging import Packaging, http_module, models_base


@pytest.mark.slow
def test_mypy_strict_passes_on_the_copied_package(tmp_path):
    copy_runtime(tmp_path, "typed_pkg")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "typed_pkg",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_runtime_is_black_formatted():
    """Packages get the runtime without formatting it again (generator.render): it must already be."""
    result = subprocess.run(
        [sys.executable, "-m", "black", "--check", "--quiet", "-l", "100", str(RUNTIME_DIR)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def _modules_without_the_spec() -> dict[str, str]:
    env = _environment()
    http = {
        f"_http.py ({lib})": http_module(env, Packaging(http_library=lib)) for lib in HTTP_LIBRARIES
    }
    return {**http, "_models/__init__.py": models_base(env)}


@pytest.mark.parametrize("module", list(_modules_without_the_spec()))
def test_modules_rendered_without_the_spec_are_black_formatted(module):
    """`_http.py` (one per HTTP library) and `_models/__init__.py` do not depend on the spec: like
    the runtime, packages get them without formatting them again."""
    import black

    from generator.format.workers import mode

    source = _modules_without_the_spec()[module]
    assert source == black.format_str(source, mode=mode())


def test_import_is_light_and_models_are_loaded_lazily(tmp_path, http_library):
    name = f"lazy_{uuid.uuid4().hex[:8]}"
    copy_runtime(tmp_path, name)
    script = (
        "import sys\n"
        f"import {name}._base as base, {name}.errors\n"
        f"assert '{name}.models' not in sys.modules\n"
        "assert 'anyio' not in sys.modules  # only AsyncAPIClient._sleep needs it\n"
        f"op = base.Operation('GET', '/p', {{'200': base.ResponseSpec('application/json', 'Pet')}})\n"
        f"import {http_library} as httpx\n"
        "t = httpx.MockTransport(lambda r: httpx.Response(200, json={'id': 1, 'name': 'a'}))\n"
        "c = base.SyncAPIClient(base_url='https://x', schemes={}, credentials={}, http_client=httpx.Client(transport=t))\n"
        "assert c._request(op).name == 'a'\n"
        f"assert '{name}.models' in sys.modules\n"
        "# streaming and credential code: only for the calls and clients that use them\n"
        f"assert '{name}._streaming' not in sys.modules and '{name}._auth' not in sys.modules\n"
        "s = {'k': base.SecurityScheme('bearer')}\n"
        "base.SyncAPIClient(base_url='https://x', schemes=s, credentials={'k': 'secret'})\n"
        f"assert '{name}._auth' in sys.modules and '{name}._streaming' not in sys.modules\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_not_given(rt):
    assert not rt.base.NOT_GIVEN
    assert repr(rt.base.NOT_GIVEN) == "NOT_GIVEN"
    assert isinstance(rt.base.NOT_GIVEN, rt.base.NotGiven)


def test_resolve_base_url(rt, monkeypatch):
    resolve = rt.base.resolve_base_url
    assert resolve("https://explicit", "RT_BASE_URL", "https://default") == "https://explicit"
    assert resolve(None, "RT_BASE_URL", "https://default") == "https://default"
    monkeypatch.setenv("RT_BASE_URL", "https://env")
    assert resolve(None, "RT_BASE_URL", "https://default") == "https://env"
    monkeypatch.delenv("RT_BASE_URL")
    with pytest.raises(ValueError, match="RT_BASE_URL"):
        resolve(None, "RT_BASE_URL", None)


def test_sync_close_only_closes_owned_clients(rt):
    shared = httpx.Client()
    with rt.base.SyncAPIClient(
        base_url="https://x", schemes={}, credentials={}, http_client=shared
    ) as client:
        assert client.base_url == "https://x"
    assert not shared.is_closed
    shared.close()
    with rt.base.SyncAPIClient(base_url="https://x/", schemes={}, credentials={}) as client:
        assert client._http is None  # created on first use, not by the constructor
        owned = client._client
    assert owned.is_closed and client._client is owned
    assert client.timeout == rt.base.DEFAULT_TIMEOUT


def test_error_hierarchy(rt):
    e = rt.errors
    assert issubclass(e.APITimeoutError, e.APIConnectionError)
    for cls in (e.APIConnectionError, e.APIStatusError, e.APIResponseValidationError):
        assert issubclass(cls, e.APIError)
    for cls in (
        e.BadRequestError,
        e.AuthenticationError,
        e.PermissionDeniedError,
        e.NotFoundError,
        e.ConflictError,
        e.UnprocessableEntityError,
        e.RateLimitError,
        e.InternalServerError,
    ):
        assert issubclass(cls, e.APIStatusError)
