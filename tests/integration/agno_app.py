"""A real Agno AgentOS app for the integration tests: workflows made of plain Python functions.

No model, no network, no API keys, no database server (sessions are kept in memory). `agno_server.py` runs this module under uvicorn in a
subprocess (`uvicorn --app-dir tests/integration agno_app:app`) with `OS_SECURITY_KEY` set, so every
workflow route needs `Authorization: Bearer <key>`. Telemetry is off both here and through
`AGNO_TELEMETRY=false`, so the server never calls out.

Workflows (the test file repeats their ids rather than importing this module, which loads agno):

- `echo-workflow`: step `upper` (upper-cases the message), then step `shout` (appends "!"), so the
  message "hello" ends as "HELLO!".
- `failing-workflow`: one step `explode` whose function raises `RuntimeError("step exploded: <message>")`,
  with no retries and `on_error=fail` (which AgentOS 2.5.6 drops: see test_agno_server.py).
- `crashing-workflow`: a custom-function workflow (`steps` is one Python function) that raises the
  same error, so the run itself fails.
"""

from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("AGNO_TELEMETRY", "false")

from agno.db.in_memory import InMemoryDb  # noqa: E402
from agno.os import AgentOS  # noqa: E402
from agno.workflow import (  # noqa: E402
    OnError,
    Step,
    StepInput,
    StepOutput,
    Workflow,
    WorkflowExecutionInput,
)

ECHO_WORKFLOW_ID = "echo-workflow"
FAILING_WORKFLOW_ID = "failing-workflow"
CRASHING_WORKFLOW_ID = "crashing-workflow"
FAILURE_TEXT = "step exploded"


def upper(step_input: StepInput) -> StepOutput:
    return StepOutput(content=str(step_input.input).upper())


def shout(step_input: StepInput) -> StepOutput:
    return StepOutput(content=f"{step_input.previous_step_content}!")


def explode(step_input: StepInput) -> StepOutput:
    raise RuntimeError(f"{FAILURE_TEXT}: {step_input.input}")


# Agno calls a function workflow as steps(workflow, execution_input, **kwargs) when streaming.
def crash(workflow: Workflow, execution_input: WorkflowExecutionInput, **kwargs: Any) -> str:
    raise RuntimeError(f"{FAILURE_TEXT}: {execution_input.input}")


echo_workflow = Workflow(
    id=ECHO_WORKFLOW_ID,
    name="Echo Workflow",
    description="Upper-cases the message, then appends an exclamation mark.",
    steps=[
        Step(name="upper", executor=upper, max_retries=0),
        Step(name="shout", executor=shout, max_retries=0),
    ],
    telemetry=False,
)

failing_workflow = Workflow(
    id=FAILING_WORKFLOW_ID,
    name="Failing Workflow",
    description="Its only step raises.",
    steps=[Step(name="explode", executor=explode, max_retries=0, on_error=OnError.fail)],
    telemetry=False,
)

crashing_workflow = Workflow(
    id=CRASHING_WORKFLOW_ID,
    name="Crashing Workflow",
    description="A function workflow that raises.",
    steps=crash,
    telemetry=False,
)

agent_os = AgentOS(
    id="clientgen-integration",
    description="clientgen integration tests",
    workflows=[echo_workflow, failing_workflow, crashing_workflow],
    # Sessions are kept in memory, so `GET /sessions` pages through the runs of a test (pagination).
    db=InMemoryDb(),
    telemetry=False,
)

app = agent_os.get_app()
