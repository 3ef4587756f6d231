"""View models of the client and its resources: the IR turned into exactly the strings the templates
print (models: `model_view`; operation descriptors: `descriptors`).

Templates only loop and test booleans; every annotation, default, literal and docstring is computed
here, and every piece of spec text goes through `encode.literal` or `encode.docstring` on its way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator import ir
from generator.contract import is_file, runtime_facts
from generator.encode import Call, PyDict, docstring, literal
from generator.render.annotations import Imports, annotation
from generator.render.descriptors import descriptor, rows
from generator.render.model_view import doc_or_empty
from generator.render.pages import page_call, page_doc


@dataclass(frozen=True)
class OperationView:
    method_name: str
    positional: tuple[str, ...]
    keyword: tuple[str, ...]
    returns: str  # return annotation (of the sync method)
    async_returns: str  # return annotation of the async method (differs for streams)
    # The whole body after the docstring, e.g. `return cast("Pet", self._call(_OP, locals()))`: the
    # runtime's `_call` places the arguments as the operation's descriptor says.
    statement: str
    async_statement: str
    docstring: str


@dataclass(frozen=True)
class ConstantView:
    """A module-level constant of client.py: an operation's descriptor or its event typing."""

    const_name: str
    expression: str


@dataclass(frozen=True)
class SchemeView:
    key: str  # literal
    descriptor: str
    py_param: str
    annotation: str
    extra_params: tuple[
        str, ...
    ] = ()  # further constructor arguments (an oauth2 client's id and secret)
    credential: str = ""  # the expression passed as the credential; "" = `py_param`


@dataclass(frozen=True)
class ClientView:
    title_doc: str
    base_url_env: str  # literal
    log_env: str  # literal: the variable that switches request logging on
    webhook_secret_param: str  # constructor argument; "" when the API documents no webhook
    default_base_url: str  # literal or "None"
    schemes: tuple[SchemeView, ...]
    resources: tuple[Any, ...]  # render.resources.ChildView: the client's top-level resources
    server_arguments: tuple[str, ...] = ()  # constructor arguments for the server URL's variables
    resolve_extra: tuple[
        str, ...
    ] = ()  # further arguments of resolve_base_url: path=..., variables=...
    # literal: the runtime's DEFAULT_MAX_RETRIES, written out so the signature shows the number
    default_max_retries: str = ""

    @property
    def typing_names(self) -> str:
        """What client.py imports from `typing` ("" for nothing)."""
        names = ["TYPE_CHECKING"] if self.resources or self.webhook_secret_param else []
        if any("Literal[" in a for a in self.server_arguments):
            names.append("Literal")
        return ", ".join(names)


def client_view(api: ir.Api, resources: tuple[Any, ...]) -> ClientView:
    title = f"Client for {api.title}" + (f" (API version {api.version})." if api.version else ".")
    return ClientView(
        title_doc=doc_or_empty(
            title + ("\n\n" + api.description if api.description else ""), "    "
        ),
        base_url_env=literal(f"{api.env_prefix}_BASE_URL"),
        log_env=literal(f"{api.env_prefix}_LOG"),
        webhook_secret_param=api.webhooks.secret_param if api.webhooks else "",
        default_base_url=(
            literal(api.server.template or api.server.url) if api.server.url else "None"
        ),
        schemes=tuple(_scheme_view(s) for s in api.security_schemes),
        resources=resources,
        server_arguments=tuple(_server_argument(v) for v in api.server.variables),
        resolve_extra=_resolve_extra(api.server),
        default_max_retries=literal(runtime_facts().default_max_retries),
    )


def _server_argument(variable: ir.ServerVariable) -> str:
    """`region: Literal["us", "eu"] = "us"`: a server variable as a constructor argument."""
    values = variable.enum if variable.default in variable.enum else ()
    annotation_text = "Literal[" + ", ".join(literal(v) for v in values) + "]" if values else "str"
    return f"{variable.py_name}: {annotation_text} = {literal(variable.default)}"


def _resolve_extra(server: ir.Server) -> tuple[str, ...]:
    """Further arguments of resolve_base_url, one a line (the call is written exploded, with a
    trailing comma, so black keeps it as it is however long the environment variable's name)."""
    extra = []
    if server.path:
        extra.append(f"path={literal(server.path)}")
    if server.variables:
        extra.append(
            "variables={"
            + ", ".join(f"{literal(v.name)}: {v.py_name}" for v in server.variables)
            + "}"
        )
    return tuple(extra)


def _event_spec_view(op: ir.Operation) -> ConstantView:
    assert op.stream is not None
    stream = op.stream
    kwargs: list[tuple[str, Any]] = []
    if stream.type_name:
        kwargs.append(("type_name", stream.type_name))
    if stream.discriminator:
        kwargs.append(("discriminator", stream.discriminator))
    if stream.mapping:
        kwargs.append(("mapping", PyDict(tuple(stream.mapping))))
    if stream.terminators is not None:
        kwargs.append(("terminators", rows(tuple(stream.terminators))))
    return ConstantView(op.events_const, literal(Call("EventSpec", kwargs=tuple(kwargs))))


def _scheme_view(scheme: ir.SecurityScheme) -> SchemeView:
    if scheme.oauth is not None:
        from generator.render.security import oauth_scheme_view

        return oauth_scheme_view(scheme, scheme.oauth)
    kwargs: list[tuple[str, Any]] = [("kind", scheme.kind)]
    if scheme.kind == "api_key":
        kwargs += [("location", scheme.location), ("param_name", scheme.param_name)]
    kwargs += [("env_var", scheme.env_var), ("argument", scheme.py_param)]
    annotation_text = "tuple[str, str] | None" if scheme.kind == "basic" else "str | None"
    descriptor_text = literal(Call("SecurityScheme", kwargs=tuple(kwargs)))
    return SchemeView(literal(scheme.key), descriptor_text, scheme.py_param, annotation_text)


def _operation_views(op: ir.Operation, imports: Imports) -> list[OperationView]:
    """The blocking method, the streaming one, or both (each with the mode value fixed)."""
    views = []
    if not op.streams_only:
        views.append(_operation_view(op, imports, streaming=False))
    if op.stream is not None:
        views.append(_operation_view(op, imports, streaming=True))
    return views


def _operation_view(op: ir.Operation, imports: Imports, *, streaming: bool) -> OperationView:
    mode = op.stream_mode
    hidden = (mode.location, mode.wire_name) if mode is not None else None
    parameters = tuple(p for p in op.parameters if (p.location, p.wire_name) != hidden)
    positional = tuple(
        f"{p.py_name}: {annotation(p.type, imports, lenient=True)}"
        for p in parameters
        if p.location == "path"
    )
    keyword = _keyword_arguments(op, parameters, hidden, imports)
    if streaming:
        event = _event_annotation(op, imports)
        returns, async_returns = f"Stream[{event}]", f"AsyncStream[{event}]"
        call = f"self._client._call_stream({op.const_name}, {op.events_const}, locals())"
        statements = [f"return {prefix}{call}" for prefix in ("", "await ")]
    elif op.pagination is not None:
        returns, async_returns, statements = page_call(op, _return_annotation(op, imports), imports)
    else:
        returns = async_returns = _return_annotation(op, imports)
        statements = [
            _call_statement(returns, f"{prefix}self._client._call({op.const_name}, locals())")
            for prefix in ("", "await ")
        ]
    if op.query_constants:  # sent as the key wrote them; the caller's extra_query may replace one
        grouped: dict[str, list[str]] = {}
        for name, value in op.query_constants:  # a repeated name is a list: `k=a&k=b`
            grouped.setdefault(name, []).append(value)
        constants = ", ".join(
            f"{literal(name)}: {literal(values[0] if len(values) == 1 else values)}"
            for name, values in grouped.items()
        )
        statements = [
            f"extra_query = {{{constants}, **(extra_query or {{}})}}\n        {statement}"
            for statement in statements
        ]
    return OperationView(
        method_name=op.stream_py_name if streaming else op.py_name,
        positional=positional,
        keyword=keyword,
        returns=returns,
        async_returns=async_returns,
        statement=statements[0],
        async_statement=statements[1],
        docstring=_operation_doc(op, parameters, hidden, streaming),
    )


def _call_statement(returns: str, call: str) -> str:
    # The descriptor is typed `Operation[<returns>]`, so `_call` returns exactly the declared type.
    return call if returns == "None" else f"return {call}"


def _event_annotation(op: ir.Operation, imports: Imports) -> str:
    """Exactly the spec's event types where it types every event (the runtime yields nothing else);
    the generic ServerSentEvent only where the spec leaves the events open."""
    assert op.stream is not None
    if op.stream.event_type is None:
        return "ServerSentEvent"
    return annotation(op.stream.event_type, imports)


def _keyword_arguments(
    op: ir.Operation,
    parameters: tuple[ir.Parameter, ...],
    hidden: tuple[str, str] | None,
    imports: Imports,
) -> tuple[str, ...]:
    """Keyword-only arguments: required ones first, then optional ones defaulting to NOT_GIVEN."""
    entries: list[tuple[bool, str]] = []
    for p in parameters:
        if p.location != "path":
            entries.append(_declaration(p.py_name, p.type, p.required, imports))
    if op.body is not None and op.body.fields is not None:
        files = op.body.content_type == "multipart/form-data"
        for f in op.body.fields:
            if ("body", f.wire_name) != hidden:
                text = _file_annotation(f.type, imports) if files else None
                entries.append(_declaration(f.py_name, f.type, f.required, imports, text))
    elif op.body is not None:
        entries.append(_declaration(op.body_param, op.body.type, op.body.required, imports))
    return tuple(text for required, text in entries if required) + tuple(
        text for required, text in entries if not required
    )


def _file_annotation(type_: ir.TypeRef, imports: Imports) -> str | None:
    """A binary multipart field takes file content, a file object or a (name, content[, type])
    tuple: the runtime's `FileTypes`. None for other fields."""
    if type_ == ir.Primitive("bytes"):
        imports.runtime.add("FileTypes")
        return "FileTypes"
    if isinstance(type_, ir.ListType) and type_.item == ir.Primitive("bytes"):
        imports.runtime.add("FileTypes")
        return "list[FileTypes]"
    return None


def _declaration(
    name: str, type_: ir.TypeRef, required: bool, imports: Imports, text: str | None = None
) -> tuple[bool, str]:
    text = text or annotation(type_, imports, lenient=True, request=imports.request)
    if required:
        return True, f"{name}: {text}"
    return False, f"{name}: {text} | NotGiven = NOT_GIVEN"


def _return_annotation(op: ir.Operation, imports: Imports) -> str:
    success = [r for r in op.responses if r.status.startswith("2")] or [
        r for r in op.responses if r.status == "default"
    ]
    options: list[str] = []
    for response in success:
        text = "None" if response.type is None else annotation(response.type, imports)
        if is_file(response.content_type):  # the runtime hands a file over as a content object
            imports.runtime.add("BinaryContent")
            text = "BinaryContent"
        if text not in options:
            options.append(text)
    if not options:
        return "None"
    if "Any" in options:
        imports.typing.add("Any")
        return "Any"
    return " | ".join(sorted(options, key=lambda o: o == "None"))


def _descriptor_view(op: ir.Operation, imports: Imports) -> ConstantView:
    returns = "Any" if op.streams_only else _return_annotation(op, imports)
    return ConstantView(f"{op.const_name}: Operation[{returns}]", descriptor(op))


def _operation_doc(
    op: ir.Operation,
    parameters: tuple[ir.Parameter, ...],
    hidden: tuple[str, str] | None,
    streaming: bool,
) -> str:
    parts = [op.summary.strip(), op.description.strip()]
    if op.summary.strip() == op.description.strip():
        parts = [op.summary.strip()]
    endpoint = f"`{op.method} {op.path}`"
    prose = "\n\n".join(p for p in parts if p)
    text = f"{prose}\n\n{endpoint}" if prose else endpoint
    if op.pagination is not None and not streaming:
        text += f"\n\n{page_doc(op.pagination)}"
    if streaming:
        text += (
            "\n\nYields the events of the `text/event-stream` answer as they arrive. Use the "
            "result in a `with` block (`async with` for AsyncClient) so the connection is closed."
        )
    if op.stream_mode is not None:
        mode = op.stream_mode
        value = mode.stream_value if streaming else mode.blocking_value
        text += f"\n\nSends {mode.location} `{mode.wire_name}` = {literal(value)}" + (
            "." if streaming else f"; `{op.stream_py_name}` streams instead."
        )
    statuses = [r for r in op.responses if r.status.startswith("2") and r.description.strip()]
    if len(statuses) > 1:  # e.g. Flowker: 200 replayed vs 201 created; see with_raw_response
        text += "\n\nStatus codes (`with_raw_response` shows which one came):\n" + "\n".join(
            f"    {r.status}: {' '.join(r.description.split())}" for r in statuses
        )
    argument_docs = [(p.py_name, p.description) for p in parameters if p.description.strip()]
    if op.body is not None and op.body.fields is not None:
        argument_docs += [
            (f.py_name, f.description)
            for f in op.body.fields
            if f.description.strip() and ("body", f.wire_name) != hidden
        ]
    if argument_docs:
        text += "\n\nArgs:\n" + "\n".join(
            f"    {name}: {' '.join(desc.split())}" for name, desc in argument_docs
        )
    return docstring(text, "        ")
