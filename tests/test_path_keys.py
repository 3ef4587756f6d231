"""Path keys with a fragment or a query (tests/cases/path_keys): the exact URL each call sends, on a
mock transport. A `#fragment` is never sent; a `?query` in the key is sent with every call."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import golden
import httpx
import pytest
from resource_paths import method_of


@pytest.fixture(scope="module")
def package_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return golden.write_package("path_keys", tmp_path_factory.mktemp("path_keys"))


@pytest.fixture(scope="module")
def path_keys(package_dir: Path) -> Iterator[ModuleType]:
    sys.path.insert(0, str(package_dir.parent))
    try:
        yield importlib.import_module("path_keys_client")
    finally:
        sys.path.remove(str(package_dir.parent))


def _urls(path_keys: ModuleType, call: str, *args: object, **kwargs: object) -> list[str]:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200)

    with path_keys.Client(http_client=httpx.Client(transport=httpx.MockTransport(answer))) as client:
        method_of(client, call)(*args, **kwargs)  # "files.update_file": through the resource tree
    return seen


def test_a_fragment_is_not_sent(path_keys: ModuleType) -> None:
    assert _urls(path_keys, "files.add_shared_link_to_file", "123", fields="shared_link", shared_link={"access": "open"}) == [
        "https://api.example.com/v1/files/123?fields=shared_link"
    ]
    assert _urls(path_keys, "files.update_file", "123", name="n") == ["https://api.example.com/v1/files/123"]


def test_a_query_in_the_key_is_sent_with_every_call(path_keys: ModuleType) -> None:
    assert _urls(path_keys, "beta.responses.create") == ["https://api.example.com/v1/responses?beta=true"]
    assert _urls(path_keys, "responses.create") == ["https://api.example.com/v1/responses"]
    assert _urls(path_keys, "search.retrieve", q="cats") == ["https://api.example.com/v1/search?q=cats&kind=a+b&kind=c&empty="]


async def _async_url(path_keys: ModuleType) -> str:
    seen: list[str] = []

    async def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200)

    async with path_keys.AsyncClient(http_client=httpx.AsyncClient(transport=httpx.MockTransport(answer))) as client:
        await client.beta.responses.create()
    return seen[0]


def test_the_async_client_sends_the_same_url(path_keys: ModuleType) -> None:
    import asyncio

    assert asyncio.run(_async_url(path_keys)) == "https://api.example.com/v1/responses?beta=true"


@pytest.mark.slow
def test_generated_conformance_tests_pass(package_dir: Path) -> None:
    """The package's own request cases expect the same URLs (worked out from the spec independently)."""
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", str(package_dir / "tests"), "-q", "-p", "no:cacheprovider"],
        capture_output=True, text=True, cwd=package_dir.parent,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr
