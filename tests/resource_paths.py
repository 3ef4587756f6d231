"""Test helper: a generated client's method reached through its resource tree by a dotted call path."""

from __future__ import annotations

from typing import Any


def method_of(client: Any, call_path: str) -> Any:
    """The method at `call_path` from the client: `method_of(client, "chat.completions.create")`."""
    for attribute in call_path.split("."):
        client = getattr(client, attribute)
    return client
