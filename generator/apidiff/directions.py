"""Which models a caller sends (request), reads (response), or both: what decides a change's
class."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from functools import lru_cache
from typing import TypeAlias

from generator.apidiff import surface as s
from generator.apidiff.types import names_in, parse

Directions: TypeAlias = dict[str, frozenset[str]]


def model_directions(surface: s.Surface) -> Directions:
    """Model name -> {"request"} / {"response"} / both, by reachability from method arguments (and
    flattened bodies) and from results, error bodies and stream events. A model no method reaches is
    absent (the rules then treat it as a response: a caller only meets it by validating data it got
    some other way, such as an untyped stream or a webhook)."""
    references = {model.name: _references(model) for model in surface.models}
    requests = [arg.type for method in surface.methods for arg in method.args]
    requests += [method.body_model for method in surface.methods if method.body_model]
    responses = [text for method in surface.methods for text in _response_types(method)]
    # Inline models of an operation (a flattened body, a response alias) by where they were written.
    for model in surface.models:
        part = (
            model.pointer.split("/")[4]
            if model.pointer.startswith("/paths/") and model.pointer.count("/") > 4
            else ""
        )
        if part in ("requestBody", "parameters"):
            requests.append(model.name)
        elif part == "responses":
            responses.append(model.name)
    reached = {"request": _reach(requests, references), "response": _reach(responses, references)}
    names = reached["request"] | reached["response"]
    return {name: frozenset(d for d, found in reached.items() if name in found) for name in names}


def _response_types(method: s.Method) -> Iterable[str]:
    yield method.returns
    yield from (error.type for error in method.errors)
    if method.stream is not None:
        yield method.stream


@lru_cache(maxsize=1 << 16)
def _names(text: str) -> tuple[str, ...]:
    """The model names in one type text. Cached: a large API spells the same few thousand types tens
    of thousands of times, and both surfaces are walked twice."""
    return tuple(names_in(parse(text)))


def _references(model: s.Model) -> list[str]:
    texts = [f.type for f in model.fields] + [
        t for t in (model.extra, model.alias_of) if t is not None
    ]
    return [name for text in texts for name in _names(text)]


def _reach(roots: list[str], references: dict[str, list[str]]) -> set[str]:
    """Every model the types in `roots` reach, following fields and aliases (each model visited
    once)."""
    seen: set[str] = set()
    queue = deque(name for text in roots for name in _names(text))
    while queue:
        name = queue.popleft()
        if name in seen or name not in references:
            continue
        seen.add(name)
        queue.extend(references[name])
    return seen


def referenced(surface: s.Surface) -> set[str]:
    """Every model name some type of the surface (argument, result, field, alias) refers to."""
    texts = [arg.type for method in surface.methods for arg in method.args]
    texts += [text for method in surface.methods for text in _response_types(method)]
    names = {name for text in texts for name in _names(text)}
    return names | {name for model in surface.models for name in _references(model)}
