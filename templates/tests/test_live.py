"""Live mode (`pytest <package> --live-base-url URL`): the selected calls go to a real server, and
every answer that differs from the spec is reported (status, content type, JSON pointer, event).
"""

from __future__ import annotations

from typing import Any

import pytest

from ._conformance import dry_run_request, live_arguments, live_call, live_differences
from .conftest import REPORT, live_options


def test_live(live_case: tuple[dict[str, Any], bool], request: pytest.FixtureRequest) -> None:
    case, drop_required = live_case
    options = live_options(request.config)
    assert options.base_url is not None  # test_live.py is only collected with --live-base-url
    label = case["id"] + (" (required arguments left out)" if drop_required else "")
    arguments = live_arguments(case, options.params_for(case["names"]), drop_required)
    if isinstance(arguments, str):
        REPORT.append(f"{label}: skipped: {arguments}")
        pytest.skip(arguments)
    if options.dry_run:
        REPORT.append(f"{label}: would send {dry_run_request(case, options.base_url, arguments)}")
        return
    answer = live_call(case, options.base_url, arguments, options.timeout)
    problems = (
        [f"{label}: {answer}"] if isinstance(answer, str) else live_differences(case, label, answer)
    )
    REPORT.extend(problems)
    assert not problems, "\n".join(problems)
