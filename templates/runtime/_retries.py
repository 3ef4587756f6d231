"""When a failed attempt is tried again, and after how long.

| what happened                                        | retried for                       |
|------------------------------------------------------|-----------------------------------|
| 429 Too Many Requests, 503 Service Unavailable       | every method (Retry-After honoured) |
| connection not made (nothing of the request sent)    | every method                      |
| 408, 409, any other 5xx, read/write timeout, a       | idempotent methods (GET, HEAD,    |
| connection lost after the request went out           | OPTIONS, TRACE, PUT, DELETE), and |
|                                                      | others only with an idempotency key |

A 429 or 503 says the server did not act on the request; a refused connection carried none of it.
Anything else may have been applied, so only a request the server can deduplicate is sent again.
Every retry carries `x-retry-count: <n>`; the idempotency key stays the same across retries.
"""

from __future__ import annotations

import email.utils
import random
import time
from typing import Final

from ._http import httpx

# RFC 9110 idempotent methods; POST and PATCH are replayed only when they carry an idempotency key.
# Read by the generator too (generator/contract.py, with `ast`), like the statuses below.
IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})
IDEMPOTENCY_KEY: Final = "Idempotency-Key"
RETRY_COUNT_HEADER: Final = "x-retry-count"
# Statuses retried for every method, and those (with every status from RETRIED_WHEN_SAFE_FROM up)
# retried only when replaying is safe. The generator reads these from this source
# (generator/contract.py, with `ast`) for the generated README: keep them literals.
ALWAYS_RETRIED: Final = frozenset({429, 503})
RETRIED_WHEN_SAFE: Final = frozenset({408, 409})
RETRIED_WHEN_SAFE_FROM: Final = 500
# Failures before any byte of the request was sent.
_NOT_SENT: Final = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
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


def should_retry_status(status: int, replay_safe: bool) -> bool:
    if status in ALWAYS_RETRIED:
        return True
    return replay_safe and (status in RETRIED_WHEN_SAFE or status >= RETRIED_WHEN_SAFE_FROM)


def should_retry_error(exc: httpx.RequestError, replay_safe: bool) -> bool:
    if isinstance(exc, _NOT_SENT):
        return True
    return replay_safe and isinstance(exc, httpx.TransportError)
