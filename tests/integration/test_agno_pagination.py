"""Auto-pagination against a real Agno AgentOS (agno_app.py, sessions kept in memory): a client generated
from AgentOS's own `GET /sessions` operation (agno_sessions/openapi.yaml, which pages by `page` and
`limit` and reports `meta.total_count`) iterates every session of more runs than fit one page, sending
the call's filters with every page request; sync and async.

As observed against agno 2.5.6: pages are numbered from 1 (the parameter's default), and a page past the
last one answers 200 with no items.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from agno_server import SECURITY_KEY, running_agno_server

from generator.build import build_tree
from generator.config import ClientConfig, Options

pytestmark = pytest.mark.slow  # builds a large spec, runs mypy, starts servers or makes a venv

HERE = Path(__file__).resolve().parent
SPEC = HERE / "agno_sessions" / "openapi.yaml"
RUNS = 5  # sessions the test creates: three pages of two
PER_PAGE = 2
_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture(scope="module")
def sessions_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The package generated from agno_sessions/openapi.yaml, imported as `agno_sessions_client`."""
    root = tmp_path_factory.mktemp("agno_sessions")
    output = root / "agno_sessions_client"
    result = build_tree(Options(root, (ClientConfig("agno_sessions_client", SPEC, output, SPEC.name),)))
    for path, text in result.trees[output].items():
        (output / path).parent.mkdir(parents=True, exist_ok=True)
        (output / path).write_text(text, encoding="utf-8")
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("agno_sessions_client")
    finally:
        sys.path.remove(str(root))


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, str, list[str]]]:
    """(base URL, user id, session ids): a running AgentOS with RUNS workflow sessions of one user."""
    with pytest.MonkeyPatch.context() as env:
        for name in _PROXY_VARIABLES:
            env.delenv(name, raising=False)
        with running_agno_server() as base_url:
            user = f"pager-{uuid.uuid4().hex[:8]}"
            sessions = [f"{user}-session-{n}" for n in range(RUNS)]
            headers = {"Authorization": f"Bearer {SECURITY_KEY}"}
            for n, session in enumerate(sessions):
                form = {"message": f"run {n}", "session_id": session, "user_id": user, "stream": "false"}
                answer = httpx.post(f"{base_url}/workflows/echo-workflow/runs", data=form, headers=headers, timeout=60)
                assert answer.status_code == 200, answer.text
            yield base_url, user, sessions


def _recording(requests: list[httpx.Request]) -> dict[str, Any]:
    return {"event_hooks": {"request": [requests.append]}}


def test_iterating_yields_every_session_across_pages(sessions_client: Any, server: tuple[str, str, list[str]]) -> None:
    base_url, user, sessions = server
    sent: list[httpx.Request] = []
    http = httpx.Client(**_recording(sent))
    with sessions_client.Client(api_key=SECURITY_KEY, base_url=base_url, http_client=http) as client:
        page = client.sessions.list(type="workflow", user_id=user, limit=PER_PAGE)
        assert len(page.items) == PER_PAGE and page.meta.total_count == RUNS
        found = [session.session_id for session in page]
    assert sorted(found) == sorted(sessions)
    assert [r.url.params.get("page") for r in sent] == [None, "2", "3"]  # total_count reached: no 4th
    assert all(r.url.params["user_id"] == user and r.url.params["limit"] == str(PER_PAGE) for r in sent)
    assert all(r.url.params["type"] == "workflow" for r in sent)


def test_async_pages_one_by_one(sessions_client: Any, server: tuple[str, str, list[str]]) -> None:
    base_url, user, sessions = server

    async def run() -> list[list[str]]:
        async with sessions_client.AsyncClient(api_key=SECURITY_KEY, base_url=base_url) as client:
            first = await client.sessions.list(type="workflow", user_id=user, limit=PER_PAGE)
            return [[s.session_id for s in page.items] async for page in first.iter_pages()]

    pages = asyncio.run(run())
    assert [len(p) for p in pages] == [2, 2, 1]
    assert sorted(s for p in pages for s in p) == sorted(sessions)
