"""The resource classes of a generated client (`client.customers.sources`).

A resource holds the client it was reached from and nothing else: its methods send through that client
(`self._client._call`), its child resources are `functools.cached_property` attributes, and the client's
top-level resources are too, importing their module on first use. So constructing a client imports no
resource module, `client.customers` imports one, and type checkers see every attribute and method with
its exact type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._base import AsyncAPIClient, SyncAPIClient

__all__ = ["SyncResource", "AsyncResource"]


class SyncResource:
    """A group of operations of a `Client`."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._client!r})"


class AsyncResource:
    """A group of operations of an `AsyncClient`."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._client!r})"
