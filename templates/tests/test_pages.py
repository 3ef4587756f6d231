"""Each list method that pages, served two pages: iterating its result fetches the second page with
what the scheme says (the next cursor, offset, page number or next URL), keeps every other query value
of the call, and yields the items of both pages."""

from __future__ import annotations

from typing import Any

from .._http import httpx
import pytest

from ._conformance import CASES, call, case_id, mock_client


def _served(case: dict[str, Any], sent: list[httpx.Request]) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        first = len(sent) == 1
        headers = {"content-type": case["content_type"]}
        if first and case["link"]:
            headers["link"] = case["link"]
        body = case["first"] if first else case["second"]
        return httpx.Response(case["status"], headers=headers, content=body.encode())

    return handler


@pytest.mark.parametrize("case", CASES["pages"], ids=case_id)
def test_two_pages(case: dict[str, Any]) -> None:
    sent: list[httpx.Request] = []
    with mock_client(_served(case, sent)) as client:
        items = list(call(client, case["call"]))
    expect = case["expect"]
    problems = (
        [] if len(items) == expect["items"] else [f"{len(items)} items, expected {expect['items']}"]
    )
    if len(sent) != 2:
        problems.append(f"{len(sent)} requests, expected 2")
    else:
        query = sent[1].url.params
        if query.get(expect["param"]) != expect["value"]:
            wanted = f"{expect['param']}={expect['value']!r}"
            problems.append(
                f"second request: {expect['param']}={query.get(expect['param'])!r}, expected {wanted}"
            )
        pairs = set(query.multi_items())
        problems += [
            f"second request lost {k}={v!r}" for k, v in expect["kept"] if (k, v) not in pairs
        ]
        if sent[1].url.path != sent[0].url.path:
            problems.append(f"second request went to {sent[1].url.path}, not {sent[0].url.path}")
    assert not problems, "\n".join(problems)
