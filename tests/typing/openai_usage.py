"""Typing test for the client generated from OpenAI's spec (tests/large/openai), checked with
`mypy --strict` together with the package (tests/test_openai_surface.py). Every line must type-check,
and every call marked `# type: ignore[...]` must be rejected: strict mode's `warn_unused_ignores` fails
the run when one of them is accepted."""

from __future__ import annotations

from typing import assert_type

from openai_client import AsyncClient, Client, Stream
from openai_client._resources.chat import AsyncChatCompletions, ChatCompletions, ChatCompletionsMessages
from openai_client._resources.fine_tuning import FineTuningJobs
from openai_client.models import (
    BetaResponse,
    CreateChatCompletionResponse,
    CreateChatCompletionStreamResponse,
    DeleteModelResponse,
    ListModelsResponse,
    Model,
    Response,
)


def sync_tree(client: Client) -> None:
    assert_type(client.chat.completions, ChatCompletions)
    assert_type(client.chat.completions.messages, ChatCompletionsMessages)
    assert_type(client.fine_tuning.jobs, FineTuningJobs)
    assert_type(client.models.list(), ListModelsResponse)
    assert_type(client.models.retrieve("gpt-4o"), Model)
    assert_type(client.models.delete("ft:gpt-4o:me"), DeleteModelResponse)
    assert_type(client.chat.completions.create(model="gpt-4o", messages=[]), CreateChatCompletionResponse)
    events = client.chat.completions.create_stream(model="gpt-4o", messages=[])
    assert_type(events, Stream[CreateChatCompletionStreamResponse])  # typed by the spec: no generic events
    client.chat.completions.messages.list("chatcmpl-1", limit=20)
    client.fine_tuning.jobs.cancel("ftjob-1")
    client.files.content("file-1")
    # `/responses` and its `?beta=true` variant: conventional names, the variant under `beta`
    assert_type(client.responses.create(model="gpt-4o", input="Hi"), Response)
    assert_type(client.responses.retrieve("resp_1"), Response)
    assert_type(client.beta.responses.create(model="gpt-4o", input="Hi"), BetaResponse)


def sync_calls_that_must_be_rejected(client: Client) -> None:
    client.chat.completions.create(model="gpt-4o")  # type: ignore[call-arg]
    client.chat.completions.create(model="gpt-4o", messages=[], stream=True)  # type: ignore[call-arg]
    client.chat.completions.messages.list()  # type: ignore[call-arg]
    client.models.retrieve(42)  # type: ignore[arg-type]
    client.chat.create(model="gpt-4o", messages=[])  # type: ignore[attr-defined]
    client.createchatcompletion()  # type: ignore[attr-defined]
    client.responses.create_response(input="Hi")  # type: ignore[attr-defined]


async def async_tree(client: AsyncClient) -> None:
    assert_type(client.chat.completions, AsyncChatCompletions)
    assert_type(await client.models.retrieve("gpt-4o"), Model)
    assert_type(await client.chat.completions.create(model="gpt-4o", messages=[]), CreateChatCompletionResponse)
    client.models.list()  # type: ignore[unused-coroutine]
