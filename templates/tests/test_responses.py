"""For each documented status and content type, a body synthesized from the schema (and each documented
example) is served: the client returns the right model, raises the right error with the parsed body, or
yields the right typed events."""

from __future__ import annotations

from typing import Any

from .._http import httpx
import pytest

from .. import errors
from .._streaming import ServerSentEvent
from ._conformance import (
    CASES,
    call,
    case_id,
    dump,
    misplaced_fields,
    mock_client,
    unpaged,
)


def _value_problems(expect: dict[str, Any], result: Any) -> list[str]:
    wanted = expect["value"]
    if expect.get("kind") == "file":
        content = result.read()
        return [] if content == wanted.encode() else [f"returned {content!r}"]
    if expect["type_name"] is None:
        return [] if result == wanted else [f"returned {result!r}"]
    problems = [f"declared field among unknown ones: {n}" for n in misplaced_fields(result)]
    if isinstance(result, (str, bytes, dict)) and not isinstance(wanted, (str, dict)):
        problems.append(f"returned {result!r} unparsed")
    dumped = dump(expect["type_name"], result)
    return problems + ([] if dumped == wanted else [f"returned {dumped!r}"])


def _error_body_problems(expect: dict[str, Any], body: Any) -> list[str]:
    # The runtime keeps an error body as decoded when it carries none of the documented model's
    # properties (the model would hide the server's words); any other body must be the model.
    declared = set(CASES["models"].get(expect["type_name"] or "", ()))
    wanted = expect["value"]
    if isinstance(body, dict) and isinstance(wanted, dict):
        if declared & set(wanted):
            return [f"returned {body!r}, not a {expect['type_name']}"]
        return [] if body == wanted else [f"returned {body!r}"]
    return _value_problems(expect, body)


def _event_problems(expected: list[dict[str, Any]], received: list[Any]) -> list[str]:
    if len(received) != len(expected):
        return [f"{len(received)} events, expected {len(expected)}: {received!r}"]
    problems = []
    for index, (want, got) in enumerate(zip(expected, received, strict=True)):
        if want["type_name"] is None:
            if not isinstance(got, ServerSentEvent) or (got.event, got.data) != (
                want["event"],
                want["data"],
            ):
                problems.append(f"event {index}: {got!r}")
        elif isinstance(got, ServerSentEvent) or dump(want["type_name"], got) != want["data"]:
            problems.append(
                f"event {index} ({want['event']}): {got!r}, expected a {want['type_name']}"
            )
    return problems


@pytest.mark.parametrize("case", CASES["responses"], ids=case_id)
def test_response(case: dict[str, Any]) -> None:
    headers = {"content-type": case["content_type"]} if case["content_type"] else {}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(case["status"], headers=headers, content=case["body"].encode())

    expect = case["expect"]
    with mock_client(handler) as client:
        if expect["outcome"] == "events":
            with call(client, case["call"]) as events:
                problems = _event_problems(expect["events"], list(events))
        elif expect["outcome"] == "error":
            with pytest.raises(errors.APIStatusError) as raised:
                call(client, case["call"])
            problems = (
                []
                if type(raised.value).__name__ == expect["error"]
                else [f"raised {raised.value!r}"]
            )
            if expect["value"] is not None:
                problems += _error_body_problems(expect, raised.value.body)
        else:
            problems = _value_problems(expect, unpaged(call(client, case["call"])))
    assert not problems, "\n".join(problems)
