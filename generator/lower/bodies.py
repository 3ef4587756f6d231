"""Lowering of an operation's request body and responses (read through `generator.specview`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from generator import ir
from generator.contract import is_json, is_text
from generator.diagnostics import join_pointer
from generator.lower.operation_parts import examples_of, is_status, status_order, style_of
from generator.lower.schemas import SchemaLowerer
from generator.lower.streams import EVENT_STREAM, EventStreamLowerer
from generator.names import NameScope, make_identifier
from generator.specview import MediaView, OperationView

BODY_PREFERENCE = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")
_FLATTENED_BODIES = frozenset(BODY_PREFERENCE)
_STYLED_BODIES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
FORM_STYLES = ("form", "spaceDelimited", "pipeDelimited", "deepObject")

Warn = Callable[[str, str, str], None]


class BodyLowerer:
    """Request bodies and responses of one API; names are claimed in `schemas`."""

    def __init__(self, schemas: SchemaLowerer, events: EventStreamLowerer, warn: Warn) -> None:
        self.schemas = schemas
        self.spec = schemas.spec
        self.events = events
        self._warn = warn

    # --- body -------------------------------------------------------------------------------------
    def body(
        self, op: OperationView, hint: str, arguments: NameScope
    ) -> tuple[ir.RequestBody | None, str]:
        view = op.request_body()
        content = {media.media_type: media for media in view.content} if view else {}
        if view is None or not content:
            return None, ""
        content_type = next((c for c in BODY_PREFERENCE if c in content), None) or next(
            (c for c in sorted(content) if is_json(c)), sorted(content)[0]
        )
        media = content[content_type]
        type_ = self._schema_type(media, hint + "Body")
        fields = None
        models = self.schemas.models
        if (
            content_type in _FLATTENED_BODIES
            and isinstance(type_, ir.Named)
            and type_.name in models
        ):
            fields = self._fields(models[type_.name], arguments)
        body_param = "" if fields is not None else arguments.claim("body")
        examples = examples_of(media.raw, media.pointer)
        encoding = self._encoding(media, content_type)
        body = ir.RequestBody(
            content_type,
            type_,
            view.required,
            view.description,
            fields,
            examples,
            view.pointer,
            encoding,
        )
        return body, body_param

    def _schema_type(self, media: MediaView, hint: str) -> ir.TypeRef:
        schema = media.schema_pointer
        return self.schemas.lower(schema, hint) if schema is not None else ir.ANY

    def _fields(self, model: ir.ModelDef, arguments: NameScope) -> tuple[ir.Field, ...]:
        """The model's fields as arguments of the method (a flattened body)."""
        fields = tuple(_body_field(f, arguments) for f in model.fields)
        for field, wanted in zip(fields, model.fields, strict=True):
            if field.py_name != wanted.py_name:
                self._warn(
                    "duplicate-name",
                    f"body field `{field.wire_name}` would be the argument `{wanted.py_name}`,"
                    f" which is taken; it is `{field.py_name}`",
                    field.pointer,
                )
        return fields

    def _encoding(self, media: MediaView, content_type: str) -> tuple[tuple[str, str, bool], ...]:
        """The form fields whose `encoding` entry asks for a style other than `form`, exploded."""
        listed = media.raw.get("encoding")
        if content_type not in _STYLED_BODIES or not isinstance(listed, dict):
            return ()
        found = []
        for name in sorted(listed):
            entry = listed[name] if isinstance(listed[name], dict) else {}
            styled = "style" in entry or "explode" in entry
            if content_type == "multipart/form-data" and not styled:
                continue  # multipart parts keep their content type; no style means no style
            where = join_pointer(media.pointer, "encoding", name)
            if "contentType" in entry and "style" not in entry:
                self._warn(
                    "unsupported-encoding",
                    f"form field `{name}` asks for `contentType` {str(entry['contentType'])!r:.60};"
                    " clientgen sends it with the `form` style",
                    join_pointer(where, "contentType"),
                )
            style, explode = style_of(entry, "form fields", where, FORM_STYLES, self._warn)
            if (style, explode) != ("form", True):
                found.append((str(name), style, explode))
        return tuple(found)

    # --- responses --------------------------------------------------------------------------------
    def responses(self, op: OperationView, hint: str) -> tuple[ir.Response, ...]:
        listed = op.statuses()
        bad = [s for s in sorted(listed) if not is_status(s)]
        for status in bad:  # "abcdef" would become a key no answer ever matches: a typo, not an API
            self.schemas.diagnostics.append(
                self.spec.diag(
                    "bad-status-code",
                    f"response status {status!r} is not an HTTP status code",
                    join_pointer(op.pointer, "responses", status),
                    hint="use a three-digit code, a range such as 4XX, or `default`",
                )
            )
        statuses = sorted((s for s in listed if s not in bad), key=status_order)
        many = len([s for s in statuses if s.startswith("2")]) > 1
        return tuple(self._response(op, status, hint, many) for status in statuses)

    def _response(self, op: OperationView, status: str, hint: str, many: bool) -> ir.Response:
        view = op.response(status)
        assert view is not None  # a reporting view raises instead
        content: Mapping[str, MediaView] = {media.media_type: media for media in view.content}
        success = status.startswith("2")
        suffix = (
            ("Response" + (status if many else "")) if success else f"Error{status.capitalize()}"
        )
        stream = None
        if EVENT_STREAM in content:
            media = content[EVENT_STREAM]
            examples = examples_of(media.raw, media.pointer)
            stream = self.events.lower(media.raw, media.pointer, hint, examples)
        content_type = next((c for c in sorted(content) if is_json(c)), None)
        if content_type is None:
            content_type = next((c for c in sorted(content) if c != EVENT_STREAM), None)
        if content_type is None:
            return ir.Response(status, None, None, None, view.description, (), view.pointer, stream)
        media = content[content_type]
        type_: ir.TypeRef
        if not is_json(content_type):
            type_ = ir.Primitive("str") if is_text(content_type) else ir.Primitive("bytes")
            type_name = None
        else:
            type_ = self._schema_type(media, hint + suffix)
            type_name = self._response_type_name(type_, hint + suffix, view.pointer)
        examples = examples_of(media.raw, media.pointer)
        return ir.Response(
            status, content_type, type_, type_name, view.description, examples, view.pointer, stream
        )

    def _response_type_name(self, type_: ir.TypeRef, hint: str, pointer: str) -> str | None:
        """The name the runtime parses a body with: a model or alias; a new alias for anything
        else."""
        if type_ == ir.ANY:
            return None
        if isinstance(type_, ir.Named):
            return type_.name
        name = self.schemas.classes.claim(
            make_identifier(hint, style="pascal", fallback="Response")
        )
        self.schemas.aliases[name] = ir.AliasDef(name, type_, "", (), pointer)
        return name


def _body_field(field: ir.Field, arguments: NameScope) -> ir.Field:
    py_name = arguments.claim(field.py_name, alternatives=(f"{field.py_name}_body",))
    return ir.Field(
        field.wire_name,
        py_name,
        field.type,
        field.required,
        field.description,
        field.default,
        field.has_default,
        field.pointer,
    )
