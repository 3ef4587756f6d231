"""Every example of the spec validates against its schema (JSON Schema 2020-12) and its model, and
round-trips: `model_validate`, then dump by alias, gives the example back."""

from __future__ import annotations

from typing import Any

import pytest

from ._conformance import (
    CASES,
    adapter,
    case_id,
    dump,
    field_adapter,
    misplaced_fields,
    schema_errors,
)


@pytest.mark.parametrize("case", CASES["examples"], ids=case_id)
def test_example(case: dict[str, Any]) -> None:
    value = case["value"]
    if case.get("mismatch"):
        # The spec's example contradicts its own schema (lint reported `example-mismatch` when this
        # package was generated): what is checked is that it still does; the client follows the schema.
        still_rejected = schema_errors(case["schema"], value)
        assert still_rejected, "the example matches its schema now: regenerate"
        return
    problems = [f"schema: {e}" for e in schema_errors(case["schema"], value)]
    if case["type_name"] is not None:
        parsed = adapter(case["type_name"]).validate_python(value)
        problems += (
            [f"round trip: {dump(case['type_name'], parsed)!r}"]
            if dump(case["type_name"], parsed) != value
            else []
        )
        problems += [
            f"declared field among unknown ones: {name}" for name in misplaced_fields(parsed)
        ]
    if case["field"] is not None:
        field_type = field_adapter(*case["field"])
        parsed = field_type.validate_python(value)
        again = field_type.dump_python(parsed, mode="json", by_alias=True, exclude_unset=True)
        problems += [f"round trip: {again!r}"] if again != value else []
    assert not problems, "\n".join(problems)
