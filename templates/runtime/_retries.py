"""When a failed attempt is tried again, and after how long."""

from __future__ import annotations

import email.utils
import random
import time
from typing import Final

from ._http import httpx

# RFC 9110 idempotent methods; POST and PATCH are replayed only when they carry an idempotency key.
IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})
_RETRY_STATUSES: Final = frozenset({408, 409, 429})
_INITIAL_RETRY_DELAY: Final = 0.5
_MAX_RETRY_DELAY: Final = 8.0
_MAX_RETRY_AFTER: Final = 60.0  # a server asking for a longer pause is better left to the caller


def _retry_after(headers: httpx.Headers) -> float | None:
    """Seconds the server asked us to wait: retry-after-ms, or Retry-After in seconds or as a date."""
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        try:
            return float(headers[name]) * scale
        except (KeyError, ValueError):
            pass
    when = email.utils.parsedate_tz(headers.get("retry-after", ""))
    return None if when is None else email.utils.mktime_tz(when) - time.time()


def _retry_delay(retries_done: int, response: httpx.Response | None) -> float:
    if response is not None:
        after = _retry_after(response.headers)
        if after is not None and after <= _MAX_RETRY_AFTER:
            return max(after, 0.0)
    delay = min(_INITIAL_RETRY_DELAY * 2.0**retries_done, _MAX_RETRY_DELAY)
    return delay * random.uniform(0.75, 1.25)  # jitter spreads out clients that failed together


def _should_retry(response: httpx.Response) -> bool:
    return response.status_code in _RETRY_STATUSES or response.status_code >= 500
