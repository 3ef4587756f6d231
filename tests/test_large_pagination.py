"""Stripe's and OpenAI's list operations page: which ones and by which scheme (the README's numbers),
and each scheme iterated against a fake server that answers as the spec says (its items are the
conformance cases' items, synthesized from the spec's schemas), sync and async."""

from __future__ import annotations

import asyncio
import copy
import importlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import golden_large
import httpx
import pytest
from resource_paths import method_of

pytestmark = pytest.mark.slow  # builds a large spec, runs mypy, starts servers or makes a venv

TOTAL = 7  # items the fake servers hold
PAGE = 3  # items per page they send


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("large_pages")
    for case in ("stripe", "openai"):
        golden_large.write_package(case, root)
    sys.path.insert(0, str(root))
    try:
        yield {case: importlib.import_module(f"{case}_client") for case in ("stripe", "openai")}
    finally:
        sys.path.remove(str(root))


def schemes(package: Any) -> Counter[str]:
    """Scheme of every paging method, read from the generated descriptors (`_<NAME>_PAGING = Paging(`)."""
    text = "".join(m.read_text(encoding="utf-8") for m in (Path(package.__file__).parent / "_resources").glob("*.py"))
    return Counter(part.split("scheme=", 1)[1].split('"')[1] for part in text.split("_PAGING = Paging(")[1:])


def test_the_readme_counts(packages):
    assert schemes(packages["stripe"]) == {"cursor_id": 100, "cursor": 7}
    assert schemes(packages["openai"]) == {"cursor_id": 50, "cursor": 11}


def template_item(package: Any, method: str) -> dict[str, Any]:
    """One item of the method's list, as the conformance cases synthesized it from the spec."""
    cases = json.loads((Path(package.__file__).parent / "tests" / "cases.json").read_text(encoding="utf-8"))
    case = next(c for c in cases["pages"] if c["id"] == method)
    return json.loads(case["first"])["data"][0]


def stored_items(package: Any, method: str, key: str) -> list[dict[str, Any]]:
    template = template_item(package, method)
    items = []
    for n in range(TOTAL):
        item = copy.deepcopy(template)
        item[key] = f"obj_{n}"
        items.append(item)
    return items


class Server:
    def __init__(self, items: list[dict[str, Any]], key: str, shape: str) -> None:
        self.items, self.key, self.shape = items, key, shape
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        params = request.url.params
        if self.shape in ("stripe_list", "openai_list"):
            after = params.get("starting_after" if self.shape == "stripe_list" else "after")
            ids = [item[self.key] for item in self.items]
            start = ids.index(after) + 1 if after else 0
        else:  # a token: Stripe search's and OpenAI usage's `page`, answered in `next_page`
            start = int(params.get("page", "0"))
        page = self.items[start : start + PAGE]
        more = start + PAGE < len(self.items)
        if self.shape == "stripe_list":
            body = {"object": "list", "data": page, "has_more": more, "url": request.url.path}
        elif self.shape == "openai_list":
            body = {"object": "list", "data": page, "has_more": more, "first_id": page[0]["id"], "last_id": page[-1]["id"]}
        elif self.shape == "stripe_search":
            body = {"object": "search_result", "data": page, "has_more": more, "url": request.url.path, "next_page": str(start + PAGE) if more else None}
        else:
            body = {"object": "page", "data": page, "has_more": more, "next_page": str(start + PAGE) if more else None}
        return httpx.Response(200, json=body)


CASES = [
    # (package, method, item key that varies, server shape, call arguments, scheme's request parameter)
    ("stripe", "customers.list", "id", "stripe_list", {"limit": PAGE, "email": "a@example.test"}, "starting_after"),
    ("stripe", "customers.search", "id", "stripe_search", {"query": "name:'x'"}, "page"),
    ("openai", "files.list", "id", "openai_list", {"purpose": "assistants"}, "after"),
    ("openai", "organization.costs.list", "start_time", "openai_usage", {"start_time": 0}, "page"),
]


def _client(package: Any, server: Server, flavour: str) -> Any:
    transport = httpx.MockTransport(server)
    http = httpx.Client(transport=transport) if flavour == "sync" else httpx.AsyncClient(transport=transport)
    cls = package.Client if flavour == "sync" else package.AsyncClient
    # OpenAI's organization lists take the admin key, the rest the API key.
    credential = {"bearer_auth": "sk_test_123456"} if package.__name__ == "stripe_client" else {"api_key": "sk_test_123456", "admin_api_key": "sk_admin_1"}
    return cls(**credential, base_url="https://api.example.test", http_client=http, max_retries=0)


@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize(("case", "method", "key", "shape", "kwargs", "param"), CASES, ids=[c[1] for c in CASES])
def test_each_scheme_pages_through_every_item(packages, case, method, key, shape, kwargs, param, flavour):
    package = packages[case]
    key = "start_time" if shape == "openai_usage" else key
    items = stored_items(package, method, key) if shape != "openai_usage" else [
        {**template_item(package, method), "start_time": n} for n in range(TOTAL)
    ]
    server = Server(items, key, shape)
    if flavour == "sync":
        got = list(method_of(_client(package, server, "sync"), method)(**kwargs))
    else:
        async def run() -> list[Any]:
            page = await method_of(_client(package, server, "async"), method)(**kwargs)
            return [item async for item in page]

        got = asyncio.run(run())
    assert [getattr(item, key) for item in got] == [item[key] for item in items]
    assert len(server.requests) == 3  # 3 + 3 + 1 items; the last page says there is no more
    for request in server.requests[1:]:
        assert request.url.params.get(param)  # the scheme's cursor...
        for name, value in kwargs.items():  # ...and the call's own arguments, on every page
            assert request.url.params.get(name) == str(value)
