"""Webhook deliveries: `client.webhooks.unwrap(body, headers)` verifies the signature and returns the
typed event. Standard Webhooks (https://www.standardwebhooks.com: `webhook-id`, `webhook-timestamp`,
`webhook-signature`, secrets `whsec_<base64>`) is built in; a vendor's own HMAC-SHA256 header is the
other scheme. Imported only by packages whose API documents webhooks or callbacks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from ._http import httpx
from ._responses import _adapter
from .errors import APIError

DEFAULT_TOLERANCE_SECONDS: Final = (
    300  # Standard Webhooks: reject deliveries older or newer than this
)
_STANDARD_PREFIX: Final = "whsec_"


class WebhookError(APIError):
    """A delivery that cannot be trusted or typed."""


class WebhookSignatureError(WebhookError):
    """The signature is missing or does not match the body and the secret."""


class WebhookTimestampError(WebhookError):
    """The delivery's timestamp is missing or outside the tolerance window (a replay, or a clock skew)."""


class WebhookPayloadError(WebhookError):
    """The payload is signed correctly but does not match its event's schema."""


class WebhookUnknownEventError(WebhookError):
    """The payload is signed correctly but names an event type the spec does not document."""

    def __init__(self, message: str, *, event_type: str | None, payload: Any) -> None:
        super().__init__(message)
        self.event_type, self.payload = event_type, payload


@dataclass(frozen=True, slots=True)
class WebhookSpec:
    """What the generator emitted: event type -> model (attribute of <pkg>.models), how to find the
    event type, and how deliveries are signed."""

    events: Mapping[str, str]
    type_property: str = "type"
    event_header: str = ""
    scheme: Literal["standard", "hmac"] = "standard"
    header: str = ""  # hmac
    prefix: str = ""  # hmac
    encoding: Literal["hex", "base64"] = "hex"  # hmac
    secret_env: str = ""


class Webhooks:
    def __init__(
        self,
        spec: WebhookSpec,
        secret: str | bytes | None = None,
        *,
        tolerance: int = DEFAULT_TOLERANCE_SECONDS,
    ) -> None:
        self._spec, self._tolerance = spec, tolerance
        self._secret = secret if secret is not None else os.environ.get(spec.secret_env) or None

    def verify(self, body: bytes | str, headers: Mapping[str, str]) -> None:
        """Raise `WebhookSignatureError` / `WebhookTimestampError` unless the delivery is authentic."""
        if self._secret is None:
            raise WebhookSignatureError(
                f"no webhook secret: pass it or set {self._spec.secret_env}"
            )
        content = body.encode() if isinstance(body, str) else body
        found = httpx.Headers(dict(headers))
        if self._spec.scheme == "hmac":
            self._verify_hmac(content, found)
        else:
            self._verify_standard(content, found)

    def unwrap(self, body: bytes | str, headers: Mapping[str, str]) -> Any:
        """The verified delivery as its event's model."""
        self.verify(body, headers)
        payload = json.loads(body)
        event_type = self._event_type(payload, httpx.Headers(dict(headers)))
        model = self._spec.events.get(event_type or "")
        if model is None:
            message = f"unknown webhook event type {event_type!r}"
            raise WebhookUnknownEventError(message, event_type=event_type, payload=payload)
        from pydantic import ValidationError

        try:
            return _adapter(model).validate_python(payload)
        except ValidationError as exc:
            raise WebhookPayloadError(f"the {event_type!r} payload: {exc}") from exc

    def _event_type(self, payload: Any, headers: httpx.Headers) -> str | None:
        if self._spec.event_header and self._spec.event_header in headers:
            return headers[self._spec.event_header]
        if isinstance(payload, dict) and isinstance(payload.get(self._spec.type_property), str):
            return str(payload[self._spec.type_property])
        return next(iter(self._spec.events)) if len(self._spec.events) == 1 else None

    def _key(self, standard: bool) -> bytes:
        secret = self._secret or b""
        if isinstance(secret, bytes):
            return secret
        if standard and secret.startswith(_STANDARD_PREFIX):
            return base64.b64decode(secret[len(_STANDARD_PREFIX) :])
        return secret.encode()

    def _verify_standard(self, body: bytes, headers: httpx.Headers) -> None:
        msg_id, stamp = headers.get("webhook-id"), headers.get("webhook-timestamp")
        signatures = headers.get("webhook-signature")
        if not (msg_id and stamp and signatures):
            raise WebhookSignatureError(
                "missing webhook-id, webhook-timestamp or webhook-signature"
            )
        try:
            sent = int(stamp)
        except ValueError:
            raise WebhookTimestampError(f"webhook-timestamp {stamp!r} is no Unix time") from None
        if abs(time.time() - sent) > self._tolerance:
            raise WebhookTimestampError("the delivery's timestamp is outside the tolerance window")
        signed = f"{msg_id}.{stamp}.".encode() + body
        expected = base64.b64encode(hmac.new(self._key(True), signed, hashlib.sha256).digest())
        for candidate in signatures.split():
            version, _, value = candidate.partition(",")
            if version == "v1" and hmac.compare_digest(value.encode(), expected):
                return
        raise WebhookSignatureError("no webhook-signature matches the body")

    def _verify_hmac(self, body: bytes, headers: httpx.Headers) -> None:
        given = headers.get(self._spec.header)
        if not given or not given.startswith(self._spec.prefix):
            raise WebhookSignatureError(f"missing or malformed {self._spec.header} header")
        digest = hmac.new(self._key(False), body, hashlib.sha256).digest()
        expected = (
            digest.hex() if self._spec.encoding == "hex" else base64.b64encode(digest).decode()
        )
        if not hmac.compare_digest(given[len(self._spec.prefix) :], expected):
            raise WebhookSignatureError(
                f"the {self._spec.header} signature does not match the body"
            )
