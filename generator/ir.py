"""The intermediate representation: what one API is, with every name settled.

Frozen dataclasses and tuples only. No openapi-pydantic objects and no code strings live here: the
lowering step (`generator.lower`) is the only code that knows both the spec model and these types,
and the render step only reads them. Each node keeps the JSON pointer it came from so later passes
(lint, conformance tests) can point back into the spec.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

JsonValue: TypeAlias = "None | bool | int | float | str | list[JsonValue] | dict[str, JsonValue]"

PrimitiveKind = Literal[
    "str", "int", "float", "bool", "bytes", "uuid", "datetime", "date", "any", "none"
]


# --- Types ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Primitive:
    kind: PrimitiveKind


@dataclass(frozen=True, slots=True)
class LiteralType:
    values: tuple[str | int | bool, ...]


@dataclass(frozen=True, slots=True)
class ListType:
    item: TypeRef


@dataclass(frozen=True, slots=True)
class MapType:
    value: TypeRef


@dataclass(frozen=True, slots=True)
class UnionType:
    options: tuple[TypeRef, ...]


@dataclass(frozen=True, slots=True)
class Nullable:
    inner: TypeRef


@dataclass(frozen=True, slots=True)
class Named:
    """A reference to a `ModelDef` or `AliasDef` of the same API, by its settled Python name."""

    name: str


TypeRef: TypeAlias = "Primitive | LiteralType | ListType | MapType | UnionType | Nullable | Named"

ANY = Primitive("any")


# --- Schemas --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Example:
    name: str
    value: JsonValue
    pointer: str


@dataclass(frozen=True, slots=True)
class Field:
    wire_name: str
    py_name: str
    type: TypeRef
    required: bool
    description: str
    default: JsonValue
    has_default: bool
    pointer: str
    examples: tuple[Example, ...] = ()  # the property schema's own `example`/`examples`


@dataclass(frozen=True, slots=True)
class ModelDef:
    name: str
    description: str
    fields: tuple[Field, ...]
    extra_type: TypeRef | None  # type of additional properties when the spec constrains them
    examples: tuple[Example, ...]
    pointer: str
    # The TypedDict a request argument accepts besides the model ("" when no request reaches the
    # model).
    param_name: str = ""


@dataclass(frozen=True, slots=True)
class AliasDef:
    name: str
    type: TypeRef
    description: str
    examples: tuple[Example, ...]
    pointer: str
    lazy: bool = False  # on a cycle of aliases: written as a lazily evaluated TypeAliasType
    # The alias a request argument uses instead, with every model it names also accepted as its
    # TypedDict ("" when no request reaches the alias or it names no such model).
    param_name: str = ""


# --- Operations -----------------------------------------------------------------------------------
ParamLocation = Literal["path", "query", "header", "cookie"]


@dataclass(frozen=True, slots=True)
class Parameter:
    wire_name: str
    py_name: str
    location: ParamLocation
    type: TypeRef
    required: bool
    description: str
    examples: tuple[Example, ...]
    pointer: str
    # OpenAPI serialization: `form` exploded for query and cookie, `simple` for path and header by
    # default; query also `spaceDelimited`, `pipeDelimited`, `deepObject` (the only styles lowering
    # lets through).
    style: str = "form"
    explode: bool = True


@dataclass(frozen=True, slots=True)
class RequestBody:
    content_type: str
    type: TypeRef
    required: bool
    description: str
    # Set when the body is an object whose properties become keyword arguments of the method.
    fields: tuple[Field, ...] | None
    examples: tuple[Example, ...]
    pointer: str
    # Form and multipart bodies: (field wire name, style, explode) from the media type's `encoding`,
    # for each field not sent the default way (`form`, exploded), sorted by wire name.
    encoding: tuple[tuple[str, str, bool], ...] = ()


@dataclass(frozen=True, slots=True)
class EventStream:
    """A `text/event-stream` response: how its events are typed.

    Events are typed by `mapping` (kind -> model; the kind is the `discriminator` property of the
    JSON data, else the SSE `event:` field), else all by `type_name`; anything else, and every event
    that does not validate, reaches the caller as a generic event."""

    event_type: TypeRef | None  # what typed events are, for annotations; None: untyped stream
    type_name: str | None  # the name in models.py to validate every event with (no mapping)
    discriminator: str | None
    mapping: tuple[tuple[str, str], ...]  # (kind, model name), sorted by kind
    description: str
    examples: tuple[Example, ...]
    pointer: str
    # `data:` values that end the stream (`x-clientgen-stream-terminator`); the runtime's default is
    # [DONE].
    terminators: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class StreamMode:
    """The request value that makes one operation answer with JSON or with an event stream."""

    location: Literal["query", "header", "body"]
    wire_name: str
    stream_value: JsonValue
    blocking_value: JsonValue
    source: str  # where clientgen learnt it: "spec", "x-clientgen-stream" or "config", for docs


@dataclass(frozen=True, slots=True)
class Response:
    status: str  # "200", "2XX", "default"
    content_type: str | None
    type: TypeRef | None  # None: no body documented
    type_name: str | None  # the name in models.py to parse with; None: decoded JSON as is
    description: str
    examples: tuple[Example, ...]
    pointer: str
    stream: EventStream | None = None  # set when the response (also) documents `text/event-stream`


PaginationScheme = Literal["cursor_id", "cursor", "offset", "page", "next_url", "link_header"]


@dataclass(frozen=True, slots=True)
class Pagination:
    """How a list operation pages (`generator.lower.pagination`): what to send for the next page and
    where the answer says whether there is one. Paths are wire names from the response body down.

    - cursor_id: send the last item's `item_id` (or `next`, OpenAI's `last_id`, when given) as
      `param`; `has_more` says whether to go on.
    - cursor: send the response's `next` value as `param`; none, empty or repeated ends it.
    - offset: send the previous offset plus the items received as `param`; `total` (optional)
      ends it.
    - page: send the page number plus one as `param` (first page `start`); `total` (optional)
      ends it.
    - next_url: follow the URL at `next` (body) or in the `Link` header (link_header), same
      origin only.
    """

    scheme: PaginationScheme
    items: tuple[str, ...]  # path to the array of items; () when the body itself is the array
    item_type: TypeRef
    param: str = ""  # wire name of the query parameter carrying the cursor / offset / page
    limit_param: str = ""  # wire name of the page-size parameter, if any
    next: tuple[str, ...] = ()  # path to the next cursor / next URL / last id
    has_more: tuple[str, ...] = ()
    total: tuple[str, ...] = ()
    item_id: str = ""  # cursor_id: the item field whose value is the cursor
    start: int = 1  # page: the number of the first page
    before_param: str = (
        ""  # cursor_id: the parameter that pages backwards (`ending_before`), if any
    )
    source: str = "detected"  # "detected" or the extension it came from, for lint and docs


@dataclass(frozen=True, slots=True)
class Operation:
    py_name: str
    const_name: str  # module-level name of its static descriptor
    method: str
    path: str
    operation_id: str
    summary: str
    description: str
    tags: tuple[str, ...]
    deprecated: bool
    parameters: tuple[Parameter, ...]
    body: RequestBody | None
    body_param: str  # method argument name for a body that is not flattened
    responses: tuple[Response, ...]  # the documented responses the client parses, sorted by status
    security: tuple[tuple[str, ...], ...]  # alternatives of scheme keys; () = no auth
    idempotency_header: str | None
    pointer: str
    # Streaming: the method that yields events is `stream_py_name` (it is `py_name` itself when the
    # operation only streams); `stream_mode` is fixed by each method and hidden from the caller.
    stream: EventStream | None = None
    stream_py_name: str = ""
    stream_mode: StreamMode | None = None
    # A path key such as `/responses?beta=true` names the path `/responses` and a query that every
    # call sends: (name, value) pairs, in the key's order. (A `#fragment` in a key is never sent.)
    query_constants: tuple[tuple[str, str], ...] = ()
    # Where the methods live: the attribute path from the client to its resource (`("customers",
    # "sources")` for `client.customers.sources.verify`), and the module-level name of its event
    # typing.
    resource: tuple[str, ...] = ()
    events_const: str = ""
    paging_const: str = ""  # module-level name of its `Paging(...)` when it pages

    @property
    def call_path(self) -> str:
        """`customers.sources.verify`: the method as reached from a client."""
        return ".".join((*self.resource, self.py_name))

    @property
    def stream_call_path(self) -> str:
        return ".".join((*self.resource, self.stream_py_name))

    pagination: Pagination | None = (
        None  # set when the method returns a page that iterates every item
    )

    @property
    def streams_only(self) -> bool:
        return self.stream is not None and self.stream_py_name == self.py_name


@dataclass(frozen=True, slots=True)
class Resource:
    """One node of the resource tree: a class holding some operations' methods and its child
    resources.

    Every resource whose path starts with the same attribute lives in one module of `_resources/`
    (named by that attribute), so `client.customers` loads one module and everything under it."""

    path: tuple[str, ...]  # attribute names from the client down: ("customers", "sources")
    module: str  # the `_resources` module holding its classes
    class_name: str  # the class used by `Client`
    async_class_name: str  # the class used by `AsyncClient`
    children: tuple[str, ...]  # attribute names of the resources right under it, sorted


# --- JSON Schema (for the generated conformance tests) -------------------------------------------
@dataclass(frozen=True, slots=True)
class JsonSchemas:
    """The API's schemas in the JSON Schema 2020-12 dialect (`generator.lower.jsonschema`).

    `defs` holds every schema a `$ref` reaches, converted once (components by name, anything else by
    its JSON pointer); `by_owner` maps the pointer of a parameter, request body, response, event
    stream or model to its schema, whose `$ref`s point into `#/$defs/`."""

    defs: tuple[tuple[str, JsonValue], ...] = ()
    by_owner: tuple[tuple[str, JsonValue], ...] = ()


# --- Webhooks -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class WebhookEvent:
    event_type: (
        str  # the payload's type property value (const/single enum), else the webhook's name
    )
    model: str  # the model the payload validates against
    pointer: str


@dataclass(frozen=True, slots=True)
class Webhooks:
    """How `client.webhooks.unwrap` verifies and types a delivery (generator.lower.webhooks)."""

    events: tuple[WebhookEvent, ...]  # sorted by event type
    type_property: str  # the payload property naming the event ("" = none)
    event_header: str  # or the header that names it ("" = none)
    scheme: Literal["standard", "hmac"]  # Standard Webhooks, or a vendor's HMAC header
    header: str  # hmac: the signature header
    prefix: str  # hmac: text before the digest, e.g. "sha256="
    encoding: Literal["hex", "base64"]
    secret_param: str  # constructor argument
    secret_env: str


# --- API ------------------------------------------------------------------------------------------
SchemeKind = Literal["bearer", "basic", "api_key", "oauth2"]


@dataclass(frozen=True, slots=True)
class OAuthFlow:
    """An oauth2 scheme whose tokens the client fetches and refreshes itself
    (generator.lower.oauth)."""

    token_url: (
        str  # as the spec wrote it; a relative URL is resolved against the base URL at run time
    )
    grant: Literal["client_credentials", "refresh_token"]  # what the client can do without a user
    scopes: tuple[
        str, ...
    ]  # the scopes the spec's security requirements ask of this scheme, sorted
    token_auth: str  # client_secret_basic | client_secret_post (`x-token-endpoint-auth-method`)
    client_id_param: str  # constructor arguments
    client_secret_param: str
    client_id_env: str
    client_secret_env: str


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    key: str  # the name under components/securitySchemes
    kind: SchemeKind
    location: Literal["header", "query", "cookie"]
    param_name: str  # header/query/cookie name for api_key
    py_param: str  # constructor argument
    env_var: str
    description: str
    pointer: str
    oauth: OAuthFlow | None = None  # kind "oauth2" only


@dataclass(frozen=True, slots=True)
class ServerVariable:
    name: str  # as written in the server URL's `{name}`
    py_name: str  # the client constructor's argument
    default: str
    enum: tuple[str, ...]
    description: str


@dataclass(frozen=True, slots=True)
class Server:
    # with variables substituted by their defaults; "" when the spec names no absolute server
    url: str
    description: str
    path: str = ""  # a relative server URL ("/api"): joined to the origin the caller gives
    template: str = ""  # the absolute URL with its `{variables}`, when it has any
    variables: tuple[ServerVariable, ...] = ()


@dataclass(frozen=True, slots=True)
class Api:
    package: str
    spec_path: str  # as configured, relative, for READMEs
    title: str
    version: str
    description: str
    server: Server
    env_prefix: str
    security_schemes: tuple[SecurityScheme, ...]
    models: tuple[ModelDef, ...]
    aliases: tuple[AliasDef, ...]  # in definition order: an alias only refers to earlier aliases
    operations: tuple[Operation, ...]
    json_schemas: JsonSchemas = JsonSchemas()
    resources: tuple[Resource, ...] = ()  # sorted by path
    webhooks: Webhooks | None = None  # OpenAPI 3.1 `webhooks` and operations' `callbacks`
