"""Generated list methods that page, end to end: the golden `pagination` package (one operation per
scheme, and the configured ones) is driven through httpx.MockTransport by a fake server that pages seven
items three at a time, as each scheme says; sync and async."""

from __future__ import annotations

import asyncio
import importlib
import sys
from collections.abc import Callable
from typing import Any

import golden
import httpx
import pytest

ITEMS = [{"id": f"it_{n}", "name": f"item {n}"} for n in range(7)]
BASE = "https://api.example.test"


@pytest.fixture(scope="module")
def pkg(tmp_path_factory):
    root = tmp_path_factory.mktemp("pagination")
    golden.write_package("pagination", root)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("pagination_client")
    finally:
        sys.path.remove(str(root))


def _int(request: httpx.Request, name: str, default: int) -> int:
    return int(request.url.params.get(name, default))


def _after(request: httpx.Request, name: str) -> list[dict[str, str]]:
    """The items after the one whose id the request names (all of them when it names none)."""
    cursor = request.url.params.get(name)
    ids = [item["id"] for item in ITEMS]
    return ITEMS[ids.index(cursor) + 1 :] if cursor else ITEMS


def _window(start: int, size: int) -> list[dict[str, str]]:
    return ITEMS[start : start + size]


def answer(request: httpx.Request) -> httpx.Response:
    """The fake server: every list of the golden spec, paging ITEMS as its scheme says."""
    path, size = request.url.path, _int(request, "limit", 3)
    if path == "/v1/customers" and request.url.params.get("ending_before"):
        end = [item["id"] for item in ITEMS].index(request.url.params["ending_before"])
        page = ITEMS[max(0, end - size) : end]
        return httpx.Response(200, json={"object": "list", "data": page, "has_more": end - size > 0, "url": path})
    if path == "/v1/customers":
        rest = _after(request, "starting_after")
        return httpx.Response(200, json={"object": "list", "data": rest[:size], "has_more": len(rest) > size, "url": path})
    if path == "/files":
        page = _after(request, "after")[:size]
        last = page[-1]["id"] if page else None
        return httpx.Response(200, json={"data": page, "first_id": None, "last_id": last, "has_more": len(_after(request, "after")) > size})
    if path == "/events":
        start = int(request.url.params.get("cursor", "0"))
        more = start + size < len(ITEMS)
        return httpx.Response(200, json={"events": _window(start, size), "meta": {"next_cursor": str(start + size) if more else None}})
    if path == "/jobs":
        return httpx.Response(200, json={"items": _window(_int(request, "offset", 0), size), "total": len(ITEMS)})
    if path == "/pets":
        per = _int(request, "per_page", 3)
        return httpx.Response(200, json={"results": _window((_int(request, "page", 1) - 1) * per, per)})
    if path == "/tags":
        per, page = _int(request, "per_page", 3), _int(request, "page", 1)
        headers = {"Link": f'<{BASE}/tags?page={page + 1}&per_page={per}>; rel="next", <{BASE}/tags?page=9>; rel="last"'} if page * per < len(ITEMS) else {}
        return httpx.Response(200, json=_window((page - 1) * per, per), headers=headers)
    if path == "/orders":
        start = _int(request, "start", 0)
        next_uri = f"/orders?start={start + 3}" if start + 3 < len(ITEMS) else None
        return httpx.Response(200, json={"orders": _window(start, 3), "next_page_uri": next_uri})
    if path == "/reports":
        start = _int(request, "offset", 0)
        return httpx.Response(200, json={"data": _window(start, 3), "next_page": {"offset": start + 3} if start + 3 < len(ITEMS) else None})
    if path == "/widgets":
        start = int(request.url.params.get("token", "0"))
        return httpx.Response(200, json={"widgets": _window(start, 3), "paging": {"after_token": str(start + 3)}})
    if path == "/gadgets":
        size = _int(request, "size", 3)
        return httpx.Response(200, json={"data": _window((_int(request, "pg", 1) - 1) * size, size)})
    if path == "/gizmos":
        start = int(request.url.params.get("from", "0"))
        return httpx.Response(200, json={"gizmos": _window(start, 3), "continuation": str(start + 3)})
    if path == "/things":
        start = _int(request, "skip", 0)
        return httpx.Response(200, json={"value": _window(start, 3), "nextLink": f"{BASE}/things?skip={start + 3}"})
    return httpx.Response(404, json={"message": "no such list"})


class Server:
    """Records every request; `answer` (or a replacement) replies."""

    def __init__(self, reply: Callable[[httpx.Request], httpx.Response] = answer) -> None:
        self.reply = reply
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.reply(request)


def client(pkg, server: Server, flavour: str = "sync") -> Any:
    transport = httpx.MockTransport(server)
    if flavour == "sync":
        return pkg.Client(api_key="sk_test_123456", http_client=httpx.Client(transport=transport), max_retries=0)
    return pkg.AsyncClient(api_key="sk_test_123456", http_client=httpx.AsyncClient(transport=transport), max_retries=0)


def every_item(pkg, flavour: str, method: str, server: Server, **kwargs: Any) -> list[Any]:
    if flavour == "sync":
        return list(getattr(client(pkg, server), method).list(**kwargs))

    async def run() -> list[Any]:
        page = await getattr(client(pkg, server, "async"), method).list(**kwargs)
        return [item async for item in page]

    return asyncio.run(run())


LISTS = ["customers", "files", "events", "jobs", "pets", "tags", "orders",
         "reports", "widgets", "gadgets", "gizmos", "things"]


@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize("method", LISTS)
def test_iterating_the_first_page_yields_every_item_of_every_page(pkg, method, flavour):
    server = Server()
    items = every_item(pkg, flavour, method, server)
    assert [item.id for item in items] == [item["id"] for item in ITEMS]
    assert all(isinstance(item, pkg.models.Item) for item in items)
    assert 3 <= len(server.requests) <= 4  # three pages, and for some schemes an empty fourth one
    assert all(r.headers["Authorization"] == "Bearer sk_test_123456" for r in server.requests)


def test_the_next_request_carries_the_scheme_value_and_the_original_arguments(pkg):
    server = Server()
    items = list(client(pkg, server).customers.list(limit=3, email="a@example.test", extra_query={"expand[]": "x"}, extra_headers={"X-Trace": "t"}))
    assert len(items) == 7
    second = server.requests[1].url.params
    assert second["starting_after"] == "it_2" and second["limit"] == "3" and second["email"] == "a@example.test" and second["expand[]"] == "x"
    assert server.requests[2].url.params["starting_after"] == "it_5"
    assert all(r.headers["X-Trace"] == "t" for r in server.requests)


def test_ending_before_pages_backwards(pkg):
    server = Server()
    items = list(client(pkg, server).customers.list(ending_before="it_6", limit=2))
    assert [item.id for item in items] == ["it_4", "it_5", "it_2", "it_3", "it_0", "it_1"]
    assert [r.url.params.get("ending_before") for r in server.requests] == ["it_6", "it_4", "it_2"]
    assert all("starting_after" not in r.url.params for r in server.requests)


@pytest.mark.parametrize(("method", "param", "values"), [
    ("files", "after", ["it_2", "it_5"]),        # OpenAI: the answer's last_id
    ("events", "cursor", ["3", "6"]),            # meta.next_cursor
    ("jobs", "offset", ["3", "6"]),
    ("pets", "page", ["2", "3", "4"]),           # no total: the empty fourth page ends it
    ("reports", "offset", ["3", "6"]),           # next_page.offset
    ("gadgets", "pg", ["2", "3", "4"]),
])
def test_each_scheme_sends_what_it_should(pkg, method, param, values):
    server = Server()
    list(getattr(client(pkg, server), method).list())
    assert [r.url.params.get(param) for r in server.requests[1:]] == values


def test_a_limit_larger_than_the_page_ends_after_a_short_page(pkg):
    server = Server()
    assert len(list(client(pkg, server).jobs.list(limit=5))) == 7
    assert [r.url.params["offset"] for r in server.requests[1:]] == ["5"]  # total 7 reached: no third request


def test_page_objects_give_page_level_control(pkg):
    server = Server()
    page = client(pkg, server).customers.list()
    assert len(server.requests) == 1  # the first page is fetched when the method is called
    assert [item.id for item in page.items] == ["it_0", "it_1", "it_2"]
    assert page.data == page.items and page.has_more is True and page.response.object == "list"
    assert page.has_next_page()
    pages = list(page.iter_pages())
    assert [len(p.items) for p in pages] == [3, 3, 1]
    assert not pages[-1].has_next_page()
    with pytest.raises(LookupError):
        pages[-1].next_page()
    second = page.next_page()
    assert second.items[0].id == "it_3"


def test_an_empty_page_ends_iteration(pkg):
    server = Server(lambda request: httpx.Response(200, json={"data": [], "has_more": True, "object": "list", "url": "/"}))
    assert list(client(pkg, server).customers.list()) == []
    assert len(server.requests) == 1


def test_a_repeated_cursor_ends_iteration(pkg):
    # A server that hands back the same cursor forever: the page after it is not requested again.
    server = Server(lambda request: httpx.Response(200, json={"events": ITEMS[:2], "meta": {"next_cursor": "same"}}))
    assert len(list(client(pkg, server).events.list())) == 4
    assert [r.url.params.get("cursor") for r in server.requests] == [None, "same"]


def test_a_next_url_on_another_origin_is_not_followed(pkg):
    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"orders": ITEMS[:3], "next_page_uri": "https://evil.example/orders?start=3"})

    server = Server(reply)
    assert len(list(client(pkg, server).orders.list())) == 3
    assert [str(r.url.host) for r in server.requests] == ["api.example.test"]


def test_a_relative_next_url_keeps_the_credentials_and_the_options(pkg):
    server = Server()
    list(client(pkg, server).orders.list(page_size=3, extra_headers={"X-Trace": "t"}))
    assert [str(r.url) for r in server.requests[1:]] == [f"{BASE}/orders?start=3", f"{BASE}/orders?start=6"]
    assert all(r.headers["Authorization"] == "Bearer sk_test_123456" and r.headers["X-Trace"] == "t" for r in server.requests)


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_an_error_on_page_three_is_raised_typed(pkg, flavour):
    def reply(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("starting_after") == "it_5":
            return httpx.Response(429, json={"message": "slow down"})
        return answer(request)

    server = Server(reply)
    seen: list[str] = []
    with pytest.raises(pkg.errors.RateLimitError):
        if flavour == "sync":
            for item in client(pkg, server).customers.list():
                seen.append(item.id)
        else:
            async def run() -> None:
                async for item in await client(pkg, server, "async").customers.list():
                    seen.append(item.id)

            asyncio.run(run())
    assert seen == ["it_0", "it_1", "it_2", "it_3", "it_4", "it_5"]


def test_an_error_on_the_first_page_is_raised_by_the_call(pkg):
    server = Server(lambda request: httpx.Response(404, json={"message": "gone"}))
    with pytest.raises(pkg.errors.NotFoundError):
        client(pkg, server).customers.list()


def test_async_pages_give_page_level_control(pkg):
    async def run() -> list[int]:
        page = await client(pkg, Server(), "async").jobs.list()
        assert page.has_next_page()
        return [len(p.items) async for p in page.iter_pages()]

    assert asyncio.run(run()) == [3, 3, 1]


def test_a_model_that_does_not_page_is_not_iterable_as_items(pkg):
    item = client(pkg, Server(lambda r: httpx.Response(200, json=ITEMS[0]))).items.retrieve("it_0")
    with pytest.raises(TypeError, match="not a list of items"):
        list(item)
    assert item.model_dump() == ITEMS[0]


def test_logs_list_does_not_page(pkg):
    logs = client(pkg, Server(lambda r: httpx.Response(200, json={"entries": ITEMS}))).logs.list()
    assert isinstance(logs, pkg.models.ListLogsResponse)
    assert len(logs.entries) == 7
