"""Property-based fuzzing, bounded (a few dozen cases, no deadline): mutated bundled specs and small random
documents either build a package that imports or fail with located diagnostics. scripts/fuzz.py runs the
same properties for thousands of cases."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_support import mutated_specs, random_documents, run_case

pytestmark = pytest.mark.slow  # see the README: `pytest -m "not slow"` leaves it out

# derandomize: the same cases on every run, so a red CI run reproduces (scripts/fuzz.py explores new ones)
BOUNDED = settings(max_examples=20, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))


@BOUNDED
@given(document=mutated_specs(), as_yaml=st.booleans())
def test_mutated_bundled_specs_build_or_fail_located(document, as_yaml):
    with tempfile.TemporaryDirectory() as tmp:
        run_case(document, Path(tmp), as_yaml=as_yaml)


@BOUNDED
@given(document=random_documents())
def test_random_documents_build_or_fail_located(document):
    with tempfile.TemporaryDirectory() as tmp:
        run_case(document, Path(tmp))
