"""What the generated README and constructor say about the runtime's behaviour (which error a status
raises, what is retried, the default timeouts and retries), written from the runtime's own facts
(`generator.contract.runtime_facts`) so that the documentation follows the code it describes.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from generator.contract import RuntimeFacts, runtime_facts
from generator.specview import METHODS

# The operation methods a client generates, in the README's order.
_METHODS = tuple(method.upper() for method in METHODS)
# The width of the README template's prose, so a generated paragraph wraps like the text around it.
_README_WIDTH = 105


@dataclass(frozen=True, slots=True)
class RuntimeProse:
    timeout: str  # "120 s read, 10 s connect"
    retried: str  # "429 and 503 for every method; 408, 409, other 5xx only when safe to repeat"
    max_retries: str  # "2"
    errors: str  # "`.response`: `BadRequestError` (400), ...", wrapped like the README's prose
    idempotency_key: str  # "Idempotency-Key"
    unsafe_methods: str  # "POST/PATCH": the methods retried only with that key


def runtime_prose(facts: RuntimeFacts | None = None) -> RuntimeProse:
    facts = facts or runtime_facts()
    return RuntimeProse(
        timeout=f"{facts.default_timeout:g} s read, {facts.default_connect_timeout:g} s connect",
        retried=_retried(facts),
        max_retries=str(facts.default_max_retries),
        errors=_errors(facts),
        idempotency_key=facts.idempotency_key,
        unsafe_methods="/".join(m for m in _METHODS if m not in facts.idempotent_methods),
    )


def _retried(facts: RuntimeFacts) -> str:
    start = facts.retried_when_safe_from
    # "other 5xx" when a status of that range is already named as always retried.
    other = "other " if any(status >= start for status in facts.always_retried) else ""
    block = f"{other}{start // 100}xx" if start % 100 == 0 else f"any status >= {start}"
    when_safe = ", ".join([*(str(status) for status in facts.retried_when_safe), block])
    if not facts.always_retried:
        return f"{when_safe} only when safe to repeat"
    always = _and_list([str(status) for status in facts.always_retried])
    return f"{always} for every method; {when_safe} only when safe to repeat"


def _errors(facts: RuntimeFacts) -> str:
    by_class: dict[str, list[str]] = {}
    for status, name in facts.status_errors:
        by_class.setdefault(name, []).append(str(status))
    by_class.setdefault(facts.server_error, []).append(f">= {facts.server_error_from}")
    listed = ", ".join(f"`{name}` ({', '.join(statuses)})" for name, statuses in by_class.items())
    text = (
        f"`.response`: {listed}. Network failures raise `APIConnectionError` / `APITimeoutError`."
    )
    return textwrap.fill(text, _README_WIDTH, break_long_words=False, break_on_hyphens=False)


def _and_list(items: list[str]) -> str:
    """ "429" / "429 and 503" / "429, 502 and 503"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
