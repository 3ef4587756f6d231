"""The data behind a generated package's conformance tests (`tests/cases.json`), built from the IR.

The test modules themselves are static (templates/tests/); everything specific to one API is data
here: the spec's examples with their schemas, one request case per client method (arguments, and the
HTTP request they must produce), one response case per documented status, content type and example
(the body to serve, and what the client must return or raise), and the live cases (what each call
may answer). Schemas are JSON Schema 2020-12 (`ir.JsonSchemas`), components once under `defs`.
"""

from __future__ import annotations

from typing import Any

from generator import ir
from generator.conformance.jsontext import dumps_indented
from generator.conformance.pages import page_cases
from generator.conformance.requests import RequestBuilder
from generator.conformance.responses import MODEL_KEY, example_cases, live_cases, response_cases
from generator.conformance.synth import Synthesizer


def conformance_cases(api: ir.Api) -> dict[str, Any]:
    defs = dict(api.json_schemas.defs)
    owners = dict(api.json_schemas.by_owner)
    owners.update({MODEL_KEY + m.name: owners.get(m.pointer, {}) for m in api.models})
    synth = Synthesizer(defs)
    requests = RequestBuilder(api, owners, synth)
    calls = [call for op in api.operations for call in requests.calls(op)]
    return {
        "credentials": requests.credentials,
        "defs": defs,
        "models": {m.name: sorted(f.wire_name for f in m.fields) for m in api.models},
        "examples": example_cases(api, owners),
        "requests": [call.request_case() for call in calls],
        "responses": [
            case for op in api.operations for case in response_cases(op, requests, owners, synth)
        ],
        "live": live_cases(api, calls, owners),
        "pages": [
            case for op in api.operations for case in page_cases(op, requests, owners, synth)
        ],
    }


def cases_json(api: ir.Api) -> str:
    """Sorted keys and one fixed layout: the same API gives the same bytes. A spec number too large
    for a float (1e400) stays `Infinity`, which Python's json module (the only reader) reads back.
    The text is `json.dumps(..., sort_keys=True, indent=1, ensure_ascii=False, allow_nan=True)`'s,
    written faster.
    """
    return dumps_indented(conformance_cases(api)) + "\n"
