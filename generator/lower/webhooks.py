"""OpenAPI 3.1 `webhooks` and operations' `callbacks` -> typed events `client.webhooks.unwrap`
returns.

Each webhook (or callback) whose `post` request body is JSON becomes one event: its payload schema
is lowered like any schema (an inline object becomes a model), and its event type is the value its
`type` property is fixed to (`const` or a one-value `enum`), else the webhook's name. How deliveries
are signed comes from the document's `x-webhook-signature` (settable by an overlay): Standard
Webhooks by default, or a vendor's HMAC header:

    x-webhook-signature: {scheme: hmac, header: X-Hub-Signature-256, prefix: "sha256=",
                          encoding: hex, event_header: X-GitHub-Event}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from generator import ir
from generator.diagnostics import Diagnostic, join_pointer
from generator.lower.schemas import SchemaLowerer
from generator.names import NameScope, pascal_case
from generator.spec import Spec
from generator.specview import SpecView

SIGNATURE_EXTENSION: Final = "x-webhook-signature"
_SIGNATURE_KEYS: Final = frozenset(
    {"scheme", "header", "prefix", "encoding", "event_header", "type_property"}
)
_JSON: Final = "application/json"


def lower_webhooks(
    spec: Spec,
    schemas: SchemaLowerer,
    arguments: NameScope,
    prefix: str,
    diagnostics: list[Diagnostic],
) -> ir.Webhooks | None:
    """The API's webhook events and signature scheme; None when it documents no webhook."""
    view = SpecView(spec)
    config = _signature(spec, view.extension(SIGNATURE_EXTENSION), diagnostics)
    type_property = str(config.get("type_property", "type"))
    events: dict[str, ir.WebhookEvent] = {}
    # Sorted by pointer: which of two same-typed deliveries wins, and the names inline payloads
    # claim, must not depend on the order of keys in the document.
    for name, pointer in sorted(_deliveries(view), key=lambda delivery: delivery[1]):
        event = _event(spec, schemas, name, pointer, type_property, diagnostics)
        if event is None:
            continue
        if event.event_type in events:
            diagnostics.append(
                spec.warn(
                    "webhook-event",
                    f"webhook `{name}`: event type {event.event_type!r} is already taken; this"
                    " delivery is not typed",
                    pointer,
                )
            )
            continue
        events[event.event_type] = event
    if not events:
        return None
    secret_param = arguments.claim("webhook_secret")
    return ir.Webhooks(
        events=tuple(events[key] for key in sorted(events)),
        type_property=type_property,
        event_header=str(config.get("event_header", "")),
        scheme="hmac" if config.get("scheme") == "hmac" else "standard",
        header=str(config.get("header", "")),
        prefix=str(config.get("prefix", "")),
        encoding="base64" if config.get("encoding") == "base64" else "hex",
        secret_param=secret_param,
        secret_env=f"{prefix}_WEBHOOK_SECRET",
    )


def _signature(spec: Spec, raw: Any, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    if raw is None:
        return {}
    pointer = join_pointer("", SIGNATURE_EXTENSION)
    bad = (
        not isinstance(raw, dict)
        or bool(set(raw) - _SIGNATURE_KEYS)
        or raw.get("scheme", "standard") not in ("standard", "hmac")
    )
    if not bad and raw.get("scheme") == "hmac" and not raw.get("header"):
        bad = True
    if bad:
        keys = ", ".join(sorted(_SIGNATURE_KEYS))
        diagnostics.append(
            spec.warn(
                "webhook-signature",
                f"{SIGNATURE_EXTENSION} must be an object with {keys} (scheme standard or hmac;"
                " hmac needs a header); Standard Webhooks is used",
                pointer,
            )
        )
        return {}
    return dict(raw)


def _deliveries(view: SpecView) -> Iterator[tuple[str, str]]:
    """(name, pointer to the post operation) of every webhook, then of every callback."""
    for name, pointer, item in view.webhooks():
        if isinstance(item.get("post"), dict):
            yield name, join_pointer(pointer, "post")
    for operation in view.operations():
        for name, pointer, item in operation.callbacks():
            if isinstance(item.get("post"), dict):
                yield name, join_pointer(pointer, "post")


def _event(
    spec: Spec,
    schemas: SchemaLowerer,
    name: str,
    pointer: str,
    type_property: str,
    diagnostics: list[Diagnostic],
) -> ir.WebhookEvent | None:
    schema_pointer = join_pointer(pointer, "requestBody", "content", _JSON, "schema")
    try:
        spec.raw(schema_pointer)
    except KeyError:
        diagnostics.append(
            spec.warn(
                "webhook-event",
                f"webhook `{name}` has no application/json request body; it is not typed",
                pointer,
            )
        )
        return None
    type_ = schemas.lower(schema_pointer, pascal_case(name) + "Event")
    if not isinstance(type_, ir.Named) or type_.name not in schemas.models:
        diagnostics.append(
            spec.warn(
                "webhook-event",
                f"webhook `{name}`: the payload is not an object schema; it is not typed",
                schema_pointer,
            )
        )
        return None
    raw, _ = spec.follow(schema_pointer)  # the schema itself, behind any $ref
    return ir.WebhookEvent(_fixed_type(raw, type_property) or name, type_.name, pointer)


def _fixed_type(raw: Any, type_property: str) -> str | None:
    """The one value the payload's type property may take, when the schema fixes it."""
    properties = raw.get("properties") if isinstance(raw, dict) else None
    prop = properties.get(type_property) if isinstance(properties, dict) and type_property else None
    if not isinstance(prop, dict):
        return None
    if isinstance(prop.get("const"), str):
        return str(prop["const"])
    enum = prop.get("enum")
    return (
        enum[0] if isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], str) else None
    )
