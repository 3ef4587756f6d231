"""Fixtures for the static runtime (templates/runtime): it is copied into a throwaway package, the
way `clientgen generate` copies it, next to a small hand-written models.py."""

from __future__ import annotations

import importlib
import sys
import uuid
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import runtime_support
from runtime_support import ACTIVE, runtime_names, Server, copy_runtime

from generator.config import HTTP_LIBRARIES


@pytest.fixture(scope="session", params=HTTP_LIBRARIES)
def http_library(request: pytest.FixtureRequest) -> str:
    """Every runtime test runs on each HTTP library a client can be generated for (issue 19)."""
    ACTIVE.library = request.param
    return str(request.param)


@pytest.fixture(autouse=True)
def _tests_speak_the_library_under_test(
    http_library: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tests are written against httpx's API, which httpx2 keeps: their `httpx` (mock transports,
    responses, exceptions) is the library the copied runtime imports, so both are tested alike."""
    library = importlib.import_module(http_library)
    for module in (request.module, runtime_support):
        if getattr(module, "httpx", None) is not None:
            monkeypatch.setattr(module, "httpx", library)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> None:
    """Exceptions a test built at import time (in `parametrize`) from httpx are handed to it remade in
    the library under test (httpx2 keeps httpx's exception names and arguments)."""
    library = importlib.import_module(ACTIVE.library)
    for key, value in pyfuncitem.funcargs.items():
        if isinstance(value, httpx.HTTPError) and library is not httpx:
            pyfuncitem.funcargs[key] = getattr(library, type(value).__name__)(*value.args)


@pytest.fixture(scope="session")
def rt(tmp_path_factory: pytest.TempPathFactory, http_library: str) -> Iterator[SimpleNamespace]:
    """The copied runtime, imported as a uniquely named package."""
    root = tmp_path_factory.mktemp("rt")
    name = f"rtpkg_{uuid.uuid4().hex[:8]}"
    package = copy_runtime(root, name, http_library)
    sys.path.insert(0, str(root))
    try:
        base = runtime_names(name)
        errors = importlib.import_module(f"{name}.errors")
        B = base
        ns = SimpleNamespace(name=name, root=root, package=package, base=base, errors=errors)
        ns.httpx = importlib.import_module(http_library)
        ns.schemes = {
            "bearerAuth": B.SecurityScheme("bearer", env_var="RT_TOKEN"),
            "basicAuth": B.SecurityScheme("basic", env_var="RT_BASIC"),
            "apiKeyHeader": B.SecurityScheme("api_key", "header", "X-API-Key", "RT_API_KEY"),
            "apiKeyQuery": B.SecurityScheme("api_key", "query", "api_key"),
            "apiKeyCookie": B.SecurityScheme("api_key", "cookie", "session"),
        }
        json_ok = {"200": B.ResponseSpec("application/json", "Pet")}
        errors_doc = {"4XX": B.ResponseSpec("application/json", "Error")}
        ns.get_pet = B.Operation(
            "GET",
            "/pets/{petId}",
            {**json_ok, **errors_doc},
            # `()`: anonymous calls allowed too, so the tests of other concerns need no credential
            security=(("bearerAuth",), ("apiKeyHeader",), ()),
        )
        ns.list_pets = B.Operation(
            "GET",
            "/pets",
            {"200": B.ResponseSpec("application/json", "PetList")},
            accept="application/json",
        )
        ns.create_pet = B.Operation(
            "POST",
            "/pets",
            {"201": B.ResponseSpec("application/json", "Pet")},
            content_type="application/json",
        )
        ns.run_workflow = B.Operation(
            "POST",
            "/workflows/{workflowId}/run",
            {"2XX": B.ResponseSpec("application/json", None)},
            content_type="application/json",
            idempotency_header="Idempotency-Key",
        )
        ns.delete_pet = B.Operation("DELETE", "/pets/{petId}", {"204": B.ResponseSpec(None, None)})
        yield ns
    finally:
        sys.path.remove(str(root))


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("RT_TOKEN", "RT_BASIC", "RT_API_KEY", "RT_BASE_URL"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def make_client(rt: SimpleNamespace) -> Callable[..., Any]:
    """make_client(server, credentials=..., is_async=False, **client kwargs) with recorded sleeps."""

    def make(
        server: Server, *, credentials: Any = None, is_async: bool = False, **kwargs: Any
    ) -> Any:
        httpx = rt.httpx
        transport = httpx.MockTransport(server)
        options = dict(
            base_url="https://api.example.com/v1", schemes=rt.schemes, credentials=credentials or {}
        )
        options.update(kwargs)
        sleeps: list[float] = []
        if is_async:
            client = rt.base.AsyncAPIClient(
                http_client=httpx.AsyncClient(transport=transport), **options
            )

            async def record(seconds: float) -> None:
                sleeps.append(seconds)

            client._sleep = record
        else:
            client = rt.base.SyncAPIClient(http_client=httpx.Client(transport=transport), **options)
            client._sleep = sleeps.append
        client.sleeps = sleeps
        return client

    return make
