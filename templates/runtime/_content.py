"""What an operation returns for a file or binary body (`application/octet-stream`, `text/csv`,
images, NDJSON exports...): the response content, read on demand.

A normal call has read the whole body already; inside `with_streaming_response` nothing is read
until the caller asks, so a large download can go straight to a file.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Iterator
from typing import Any

from ._http import httpx

__all__ = ["BinaryContent"]

_CHUNK = 64 * 1024


class BinaryContent:
    """The body of a file or binary response. `read()` returns the bytes, `text` decodes them,
    `iter_bytes()` yields them in chunks and `write_to_file(path)` saves them; the `a`-prefixed
    methods do the same for a body streamed by an async client."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    def __repr__(self) -> str:
        return f"BinaryContent(content_type={self.content_type!r})"

    @property
    def content_type(self) -> str | None:
        content_type: str | None = self.response.headers.get("content-type")
        return content_type

    def read(self) -> bytes:
        return self.response.read()

    @property
    def text(self) -> str:
        self.read()
        return self.response.text

    def json_lines(self) -> list[Any]:
        """The body as NDJSON / JSON Lines: one decoded value per non-empty line."""
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]

    def iter_bytes(self, chunk_size: int = _CHUNK) -> Iterator[bytes]:
        return self.response.iter_bytes(chunk_size)

    def write_to_file(self, path: str | os.PathLike[str]) -> None:
        with open(path, "wb") as out:
            for chunk in self.iter_bytes():
                out.write(chunk)

    async def aread(self) -> bytes:
        return await self.response.aread()

    def aiter_bytes(self, chunk_size: int = _CHUNK) -> AsyncIterator[bytes]:
        return self.response.aiter_bytes(chunk_size)

    async def awrite_to_file(self, path: str | os.PathLike[str]) -> None:
        with open(path, "wb") as out:
            async for chunk in self.aiter_bytes():
                out.write(chunk)
