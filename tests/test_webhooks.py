"""Webhooks (issue 19): the `webhooks` golden case's package verifies deliveries signed by the Standard
Webhooks reference library (`standardwebhooks`) and returns typed events; a bad signature, a stale
timestamp and an unknown event type raise typed errors. A vendor HMAC header is checked too."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import importlib
import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden import write_package  # noqa: E402

SECRET = "whsec_" + base64.b64encode(b"a-shared-secret-of-32-bytes-long").decode()


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("webhooks")
    write_package("webhooks", root)
    sys.path.insert(0, str(root))
    try:
        yield SimpleNamespace(
            package=importlib.import_module("webhooks_client"),
            webhooks=importlib.import_module("webhooks_client.webhooks"),
            runtime=importlib.import_module("webhooks_client._webhooks"),
        )
    finally:
        sys.path.remove(str(root))


def signed(payload: dict[str, Any], *, when: dt.datetime | None = None, secret: str = SECRET) -> tuple[str, dict[str, str]]:
    body = json.dumps(payload)
    when = when or dt.datetime.now(tz=dt.timezone.utc)
    signature = Webhook(secret).sign("msg_1", when, body)
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(int(when.timestamp())), "webhook-signature": signature}
    return body, headers


def test_unwrap_returns_the_typed_event(pkg):
    client = pkg.package.Client(webhook_secret=SECRET)
    event = client.webhooks.unwrap(*signed({"type": "pet.created", "pet": {"id": 1, "name": "Rex"}}))
    assert type(event).__name__ == "PetCreated" and event.pet.name == "Rex"
    adopted = client.webhooks.unwrap(*signed({"type": "pet.adopted", "pet_id": 1, "adopter": "Ann"}))
    assert type(adopted).__name__ == "AdoptedEvent" and adopted.adopter == "Ann"  # from a callback


def test_our_verification_agrees_with_the_reference_library(pkg):
    body, headers = signed({"type": "pet.deleted", "id": 3})
    assert Webhook(SECRET).verify(body, headers) == {"type": "pet.deleted", "id": 3}
    assert pkg.webhooks.Webhooks(SECRET).unwrap(body.encode(), headers).id == 3


def test_the_secret_comes_from_the_environment(pkg, monkeypatch):
    monkeypatch.setenv("WEBHOOKS_WEBHOOK_SECRET", SECRET)
    assert pkg.webhooks.Webhooks().unwrap(*signed({"type": "pet.deleted", "id": 3})).id == 3


def test_a_bad_signature_is_refused(pkg):
    body, headers = signed({"type": "pet.deleted", "id": 3})
    hooks = pkg.webhooks.Webhooks(SECRET)
    with pytest.raises(pkg.webhooks.WebhookSignatureError):
        hooks.unwrap(body.replace("3", "4"), headers)  # the body was changed in transit
    other = "whsec_" + base64.b64encode(b"another-secret-of-32-bytes-long!").decode()
    with pytest.raises(pkg.webhooks.WebhookSignatureError):
        hooks.unwrap(*signed({"type": "pet.deleted", "id": 3}, secret=other))
    with pytest.raises(pkg.webhooks.WebhookSignatureError):
        hooks.unwrap(body, {k: v for k, v in headers.items() if k != "webhook-signature"})


def test_a_stale_timestamp_is_refused(pkg):
    old = dt.datetime.now(tz=dt.timezone.utc) - dt.timedelta(minutes=10)
    with pytest.raises(pkg.webhooks.WebhookTimestampError):
        pkg.webhooks.Webhooks(SECRET).unwrap(*signed({"type": "pet.deleted", "id": 3}, when=old))


def test_an_unknown_event_type_is_refused(pkg):
    with pytest.raises(pkg.webhooks.WebhookUnknownEventError) as info:
        pkg.webhooks.Webhooks(SECRET).unwrap(*signed({"type": "pet.renamed", "id": 3}))
    assert info.value.event_type == "pet.renamed"


def test_a_payload_off_schema_is_refused(pkg):
    with pytest.raises(pkg.webhooks.WebhookPayloadError):
        pkg.webhooks.Webhooks(SECRET).unwrap(*signed({"type": "pet.deleted", "id": "three"}))


def test_a_vendor_hmac_header(pkg):
    spec = pkg.runtime.WebhookSpec(
        events={"pet.deleted": "PetDeletedEvent"}, scheme="hmac", header="X-Hub-Signature-256",
        prefix="sha256=", event_header="X-Event",
    )
    hooks = pkg.runtime.Webhooks(spec, "plain-secret")
    body = b'{"type": "pet.deleted", "id": 5}'
    digest = hmac.new(b"plain-secret", body, hashlib.sha256).hexdigest()
    headers = {"x-hub-signature-256": f"sha256={digest}", "x-event": "pet.deleted"}
    assert hooks.unwrap(body, headers).id == 5
    with pytest.raises(pkg.runtime.WebhookSignatureError):
        hooks.unwrap(body, {**headers, "x-hub-signature-256": "sha256=" + "0" * 64})
    with pytest.raises(pkg.runtime.WebhookUnknownEventError):
        hooks.unwrap(body, {**headers, "x-event": "pet.renamed"})


def _build(tmp_path: Path, extra: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    import yaml

    from generator.build import build_package
    from generator.config import ClientConfig

    spec = yaml.safe_load((Path(__file__).parent / "cases" / "webhooks" / "openapi.yaml").read_text("utf-8"))
    spec.update(extra)
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(spec), "utf-8")
    files, warnings = build_package(ClientConfig("hooks_client", path, tmp_path / "out", "openapi.yaml"))
    return files, [w.format() for w in warnings]


def test_a_vendor_hmac_header_is_configured_in_the_spec(tmp_path):
    config = {"scheme": "hmac", "header": "X-Hub-Signature-256", "prefix": "sha256=", "event_header": "X-GitHub-Event"}
    files, _ = _build(tmp_path, {"x-webhook-signature": config})
    text = files["webhooks.py"]
    assert 'scheme="hmac"' in text and 'header="X-Hub-Signature-256"' in text and 'event_header="X-GitHub-Event"' in text


def test_a_bad_signature_configuration_is_a_located_warning(tmp_path):
    files, warnings = _build(tmp_path, {"x-webhook-signature": {"scheme": "hmac"}})  # no header
    assert 'scheme="standard"' in files["webhooks.py"]
    assert any("warning[webhook-signature]" in w and "/x-webhook-signature" in w for w in warnings), warnings
