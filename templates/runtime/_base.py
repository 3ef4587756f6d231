"""The HTTP clients every generated client builds on, and the names generated code imports.

The clients are `_sync.SyncAPIClient` and `_async.AsyncAPIClient`, which differ only in the loop that
sends a request and retries it; what they share is in `_client_base`, `_encoding`, `_responses`,
`_retries`, `_media` and `_content`. Streaming (`_streaming`) and credential (`_auth`) code is
imported only by the calls and clients that need it.
"""

from __future__ import annotations

from ._async import AsyncAPIClient
from ._content import BinaryContent
from ._encoding import FileTypes, to_jsonable
from ._sync import SyncAPIClient
from ._types import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    APIResponse,
    NotGiven,
    Operation,
    ResponseSpec,
    SecurityScheme,
    resolve_base_url,
)

__all__ = [
    "NotGiven",
    "NOT_GIVEN",
    "SecurityScheme",
    "ResponseSpec",
    "Operation",
    "APIResponse",
    "BinaryContent",
    "FileTypes",
    "SyncAPIClient",
    "AsyncAPIClient",
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_RETRIES",
    "resolve_base_url",
    "to_jsonable",
]
