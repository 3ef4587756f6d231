"""Each client method, called with valid arguments, sends the request the spec describes: method, path
with its parameters percent-encoded, query, headers, credentials, Content-Type, Accept, and a body that
validates against the operation's request schema."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from .._http import httpx
import pytest

from ._conformance import CASES, call, case_id, mock_client, schema_errors


def _send(case: dict[str, Any]) -> httpx.Request:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.headers.get("accept") == "text/event-stream":
            return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=b"")
        return httpx.Response(204)

    with mock_client(handler) as client:
        result = call(client, case["call"])
        if hasattr(result, "__enter__"):
            with result as events:
                list(events)
    assert len(sent) == 1, f"{len(sent)} requests sent"
    return sent[0]


def _body_problems(body: dict[str, Any], content: bytes) -> list[str]:
    kind = body["kind"]
    if kind == "json":
        sent = json.loads(content)
        problems = [f"body: sent {sent!r}"] if sent != body["value"] else []
        if not body["fits"]:
            # No value fits the schema (clientgen said so, e.g. `enum: []`): it must still reject this one.
            fits_now = not schema_errors(body["schema"], sent)
            return problems + (["the body fits its schema now: regenerate"] if fits_now else [])
        return problems + [
            f"body does not match the request schema at {e}"
            for e in schema_errors(body["schema"], sent)
        ]
    if kind == "form":
        pairs = sorted([k, v] for k, v in parse_qsl(content.decode(), keep_blank_values=True))
        return [f"form body: sent {pairs!r}"] if pairs != body["pairs"] else []
    if kind == "multipart":
        return [
            f"multipart body lacks part {n!r}"
            for n in body["names"]
            if f'name="{n}"'.encode() not in content
        ]
    if kind == "raw":
        return [f"body: sent {content!r}"] if content != body["text"].encode() else []
    return [f"body: sent {content!r}, expected none"] if content else []


@pytest.mark.parametrize("case", CASES["requests"], ids=case_id)
def test_request(case: dict[str, Any]) -> None:
    request = _send(case)
    problems = []
    if request.method != case["http_method"]:
        problems.append(f"method: {request.method}")
    path = request.url.raw_path.split(b"?", 1)[0].decode("ascii")
    if path != case["path"]:
        problems.append(f"path: {path} (expected {case['path']})")
    query = sorted([k, v] for k, v in request.url.params.multi_items())
    if query != case["query"]:
        problems.append(f"query: {query} (expected {case['query']})")
    for name, value in case["headers"].items():
        if request.headers.get(name) != value:
            problems.append(f"header {name}: {request.headers.get(name)!r} (expected {value!r})")
    cookie = request.headers.get("cookie", "")
    problems += [f"cookie {name} missing" for name in case["cookies"] if f"{name}=" not in cookie]
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    expected_type = (case["content_type"] or "").lower()
    if media != expected_type:
        problems.append(f"content-type: {media!r} (expected {expected_type!r})")
    if case["accept"] is not None and request.headers.get("accept") != case["accept"]:
        problems.append(f"accept: {request.headers.get('accept')!r} (expected {case['accept']!r})")
    problems += _body_problems(case["body"], request.content)
    assert not problems, "\n".join(problems)
