"""One definition of "JSON media type" (generator/media.py) for lowering, lint, the conformance cases and
the runtime copied into every package; and a `*/*` answer is parsed into its model (tests/cases/star_media)."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import golden
import httpx
import pytest

from generator.media import is_json

MEDIA_TYPES = [
    "application/json", "Application/JSON; charset=utf-8", "application/problem+json", "application/vnd.api+json",
    "text/json", "*/*", "text/plain", "text/event-stream", "application/octet-stream", "multipart/form-data",
    "application/x-www-form-urlencoded", "application/*", "", "application/jsonl", "image/*",
]


@pytest.fixture(scope="module")
def package_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return golden.write_package("star_media", tmp_path_factory.mktemp("star_media"))


@pytest.fixture(scope="module")
def star_media(package_dir: Path):  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(package_dir.parent))
    try:
        yield importlib.import_module("star_media_client")
    finally:
        sys.path.remove(str(package_dir.parent))


def test_the_runtime_and_clientgen_agree_on_every_media_type(star_media) -> None:  # type: ignore[no-untyped-def]
    # The generated package's own copy of the runtime's rule; a documented `*/*` is JSON for clientgen
    # (the answer's actual Content-Type decides at run time, and no server answers `*/*`).
    runtime = importlib.import_module("star_media_client._media")
    answers = {media: (is_json(media), runtime.is_json(media) or runtime.media_type(media) == runtime.ANY_MEDIA) for media in MEDIA_TYPES}
    assert all(ours == theirs for ours, theirs in answers.values()), answers
    assert [m for m in MEDIA_TYPES if is_json(m)] == MEDIA_TYPES[:6]


def test_a_star_star_answer_is_parsed_into_its_model(star_media) -> None:  # type: ignore[no-untyped-def]
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/pets/1":
            return httpx.Response(200, json={"id": 1, "name": "Rex"})
        return httpx.Response(404, json={"detail": "no such pet"})

    with star_media.Client(http_client=httpx.Client(transport=httpx.MockTransport(answer))) as client:
        pet = client.pets.retrieve(1)
        assert isinstance(pet, star_media.Pet) and pet.name == "Rex"
        with pytest.raises(star_media.errors.NotFoundError) as caught:
            client.pets.retrieve(2)
    assert isinstance(caught.value.body, star_media.Problem) and caught.value.body.detail == "no such pet"


def test_a_star_star_request_body_is_sent_as_json_or_as_bytes(star_media) -> None:  # type: ignore[no-untyped-def]
    # `*/*` is no Content-Type a server can read: a value goes as JSON, bytes as they are.
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.method == "POST":
            return httpx.Response(201, json={"id": 2, "name": "Rex"})
        return httpx.Response(204)

    with star_media.Client(http_client=httpx.Client(transport=httpx.MockTransport(answer))) as client:
        client.pets.create(body={"id": 2, "name": "Rex"})
        client.pets.create(body=star_media.Pet(id=2, name="Rex"))
        client.pets.photo.update(2, body=b"\x89PNG")
    assert [(r.headers.get("content-type"), r.content) for r in sent] == [
        ("application/json", b'{"id":2,"name":"Rex"}'),
        ("application/json", b'{"id":2,"name":"Rex"}'),
        (None, b"\x89PNG"),
    ]


@pytest.mark.slow
def test_generated_conformance_tests_pass(package_dir: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", str(package_dir / "tests"), "-q", "-p", "no:cacheprovider"],
        capture_output=True, text=True, cwd=package_dir.parent,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr
