"""Which list operations page, and how: `ir.Pagination` per operation.

Explicit configuration wins: the operation's `x-clientgen-pagination` (which an overlay can set;
`false` turns detection off), else the extensions other generators read (`x-speakeasy-pagination`,
`x-fern-pagination`, `x-ms-pageable`, see `pagination_config.py`). A configuration naming a
parameter or a response field the operation does not have is a located error.

Otherwise the scheme is detected from the shape of the request and of the (lowered) response model:
for GET operations only, and only when both carry every part of one scheme; a list that almost fits
gets an info finding (`pagination-not-detected`) naming what is missing. Detection reads the IR, so
it sees fields after `allOf` merging and `$ref` resolution, by wire name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from generator import ir
from generator.diagnostics import Diagnostic, DiagnosticError, Severity, join_pointer
from generator.lower import pagination_names as known
from generator.lower.pagination_config import CONFIG_EXTENSIONS, Config, parse_config
from generator.spec import Spec
from generator.specview import ResponseView


@dataclass(frozen=True)
class _Shape:
    """What detection and validation look at: the request's query parameters and the response
    model."""

    query: Mapping[str, ir.Parameter]  # wire name -> parameter
    body: ir.TypeRef  # the success response's type
    headers: frozenset[str]  # lower-cased response header names the success response documents


class PaginationLowerer:
    def __init__(
        self, spec: Spec, models: Mapping[str, ir.ModelDef], aliases: Mapping[str, ir.AliasDef]
    ) -> None:
        self.spec = spec
        self.models = models
        self.aliases = aliases
        self.diagnostics: list[Diagnostic] = []

    def attach_all(self, operations: tuple[ir.Operation, ...]) -> tuple[ir.Operation, ...]:
        """The operations, each with its pagination; raises DiagnosticError on bad
        configurations."""
        result = tuple(self._attach(op) for op in operations)
        errors = [d for d in self.diagnostics if d.severity is Severity.ERROR]
        if errors:
            raise DiagnosticError(errors)
        return result

    def _attach(self, op: ir.Operation) -> ir.Operation:
        shape = self._shape(op)
        raw = self.spec.raw(op.pointer)
        for extension in CONFIG_EXTENSIONS:
            if extension in raw:
                pointer = join_pointer(op.pointer, extension)
                config = parse_config(
                    extension, raw[extension], pointer, self.spec, self.diagnostics
                )
                if config is None:
                    return op  # turned off, or reported
                return replace(op, pagination=self._configured(config, shape, pointer, extension))
        if shape is None or op.stream is not None or op.method != "GET":
            return op  # another method's next page would repeat a request that may change data
        return replace(op, pagination=self._detect(op, shape))

    def _shape(self, op: ir.Operation) -> _Shape | None:
        success = [r for r in op.responses if r.status.startswith("2") and r.type is not None]
        if len(success) != 1:
            return None
        query = {p.wire_name: p for p in op.parameters if p.location == "query"}
        first = success[0]
        response = ResponseView(first.status, first.pointer, self.spec.raw(first.pointer))
        headers = frozenset(name.lower() for name in response.header_names)
        return _Shape(query, success[0].type or ir.ANY, headers)

    # --- configured -------------------------------------------------------------------------------
    def _configured(
        self, config: Config, shape: _Shape | None, pointer: str, source: str
    ) -> ir.Pagination | None:
        if shape is None:
            self._error(
                f"`{source}` is set, but the operation has no single JSON success response to page"
                " through",
                pointer,
            )
            return None
        errors_before = len(self.diagnostics)
        self._check_params(config, shape, pointer, source)
        items = config.items if config.items is not None else self._items_path(shape.body)
        item_type = None if items is None else self._items_type(shape.body, items)
        if items is None:
            self._error(
                f"`{source}` does not name the items and the response has no single array field",
                pointer,
                "add `items: <field>`",
            )
        elif item_type is None:
            self._error(
                f"`{source}` names `{_dotted(items) or '(the body)'}` as the items, which is not an"
                " array in the response",
                pointer,
            )
        self._check_fields(config, shape, pointer, source)
        if items is None or item_type is None or len(self.diagnostics) > errors_before:
            return None
        item_id = config.item_id or ("id" if config.scheme == "cursor_id" else "")
        return ir.Pagination(
            config.scheme,
            items,
            item_type,
            config.param,
            config.limit_param,
            config.next,
            config.has_more,
            config.total,
            item_id,
            config.start,
            config.before_param,
            source,
        )

    def _check_params(self, config: Config, shape: _Shape, pointer: str, source: str) -> None:
        """Report each query parameter the configuration names that the operation does not have."""
        for role, name in (
            ("param", config.param),
            ("limit_param", config.limit_param),
            ("before_param", config.before_param),
        ):
            if name and name not in shape.query:
                self._error(
                    f"`{source}` names query parameter `{name}` ({role}), which the operation does"
                    " not have",
                    pointer,
                    "use the wire name of one of its query parameters",
                )

    def _check_fields(self, config: Config, shape: _Shape, pointer: str, source: str) -> None:
        """Report each response field the configuration names that the response does not have, and a
        scheme without the parameter or field it needs."""
        for role, path in (
            ("next", config.next),
            ("has_more", config.has_more),
            ("total", config.total),
        ):
            if path and self._at(shape.body, path) is None:
                self._error(
                    f"`{source}` names response field `{_dotted(path)}` ({role}), which the"
                    " response does not have",
                    pointer,
                )
        if config.scheme in ("cursor_id", "cursor", "offset", "page") and not config.param:
            self._error(
                f"`{source}`: scheme `{config.scheme}` needs the query parameter that carries it"
                " (`param`)",
                pointer,
            )
        if config.scheme in ("cursor", "next_url") and not config.next:
            self._error(
                f"`{source}`: scheme `{config.scheme}` needs the response field that holds the next"
                " value (`next`)",
                pointer,
            )

    # --- detected ---------------------------------------------------------------------------------
    def _detect(self, op: ir.Operation, shape: _Shape) -> ir.Pagination | None:
        items = self._items_path(shape.body)
        item_type = self._items_type(shape.body, items) if items is not None else None
        found: ir.Pagination | None = None
        if items is not None and item_type is not None:
            found = (
                self._cursor(shape, items)
                or self._cursor_by_id(shape, items, item_type)
                or self._next_url(shape, items)
                or self._counted(shape, items)
            )
        if found is not None and item_type is not None:
            return replace(
                found,
                item_type=item_type,
                limit_param=(
                    _first(shape.query, known.LIMIT_PARAMS) if found.scheme != "next_url" else ""
                ),
            )
        if _first(shape.query, known.LISTING_PARAMS):
            self._not_detected(op, shape, items)
        return None

    def _cursor(self, shape: _Shape, items: tuple[str, ...]) -> ir.Pagination | None:
        """A token the response hands back (`next_cursor`, `meta.next_cursor`, Stripe search's
        `next_page`), sent as the request parameter of the same role; or `next_page.offset`: a
        next-page object whose field names the parameter itself."""
        param = _first(shape.query, known.CURSOR_PARAMS)
        for holder in ((), *((h,) for h in known.CURSOR_HOLDERS)):
            for name in known.CURSOR_FIELDS:
                if param and self._is_scalar(shape.body, (*holder, name)):
                    return _scheme("cursor", items, param=param, next=(*holder, name))
        for next_object in known.NEXT_OBJECT:
            for field in self._fields(self._at(shape.body, (next_object,))):
                if field.wire_name in shape.query and self._is_scalar(
                    shape.body, (next_object, field.wire_name)
                ):
                    return _scheme(
                        "cursor", items, param=field.wire_name, next=(next_object, field.wire_name)
                    )
        return None

    def _cursor_by_id(
        self, shape: _Shape, items: tuple[str, ...], item_type: ir.TypeRef
    ) -> ir.Pagination | None:
        """Stripe and OpenAI: `starting_after`/`after` = the last item's id, while `has_more` is
        true."""
        param = _first(shape.query, known.AFTER_PARAMS)
        has_more = next(((n,) for n in known.HAS_MORE if self._is_scalar(shape.body, (n,))), None)
        if not param or has_more is None:
            return None
        last_id = next(((n,) for n in known.LAST_ID if self._is_scalar(shape.body, (n,))), ())
        if not last_id and not self._has_id(item_type):
            return None
        before = (
            _first(shape.query, ("ending_before", "before")) if param in known.AFTER_PARAMS else ""
        )
        return _scheme(
            "cursor_id",
            items,
            param=param,
            next=last_id,
            has_more=has_more,
            item_id="id",
            before_param=before,
        )

    def _has_id(self, item_type: ir.TypeRef) -> bool:
        """Items carry an `id` (each kind of item, when they are a union such as Stripe's
        sources)."""
        resolved = self._resolve(item_type)
        options = resolved.options if isinstance(resolved, ir.UnionType) else (resolved,)
        return all(any(f.wire_name == "id" for f in self._fields(option)) for option in options)

    def _next_url(self, shape: _Shape, items: tuple[str, ...]) -> ir.Pagination | None:
        for holder in ((), *known.URL_HOLDERS):
            names = known.URL_FIELDS + (("next",) if holder else ())
            for name in names:
                if self._is_scalar(shape.body, (*holder, name), kind="str"):
                    return _scheme("next_url", items, next=(*holder, name))
        if self._is_scalar(shape.body, ("next",), kind="str") and self._is_scalar(
            shape.body, ("previous",), kind="str"
        ):
            # Django REST framework: count, next, previous, results
            return _scheme("next_url", items, next=("next",))
        if "link" in shape.headers:
            return _scheme("link_header", items)
        return None

    def _counted(self, shape: _Shape, items: tuple[str, ...]) -> ir.Pagination | None:
        total = next(
            (
                (*h, n)
                for h in known.TOTAL_HOLDERS
                for n in known.TOTAL_FIELDS
                if self._is_scalar(shape.body, (*h, n), kind="int")
            ),
            (),
        )
        if _is_int(shape.query.get("offset")) or _is_int(shape.query.get("skip")):
            return _scheme(
                "offset", items, param="offset" if "offset" in shape.query else "skip", total=total
            )
        page = _first(shape.query, ("page", "page_number", "pageNumber"))
        if page and _is_int(shape.query[page]):
            return _scheme(
                "page", items, param=page, total=total, start=self._first_page(shape.query[page])
            )
        return None

    def _first_page(self, parameter: ir.Parameter) -> int:
        """Page numbers start where the parameter's `default` or `minimum` says, else at 1."""
        raw = self.spec.raw(parameter.pointer)
        schema = raw.get("schema") if isinstance(raw, dict) else None
        for key in ("default", "minimum"):
            value = schema.get(key) if isinstance(schema, dict) else None
            if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
                return value
        return 1

    def _not_detected(self, op: ir.Operation, shape: _Shape, items: tuple[str, ...] | None) -> None:
        have = [f"query `{name}`" for name in sorted(shape.query) if name in known.LISTING_PARAMS]
        have.append(
            f"response array `{_dotted(items) or '(the body)'}`"
            if items is not None
            else "no single response array"
        )
        message = (
            f"`{op.call_path}` looks like a list ({', '.join(have)}) but no pagination scheme"
            " fits: it needs a cursor, `starting_after`/`after` with `has_more`, `offset`, an"
            " integer `page`, or a next URL in the body or `Link` header"
        )
        self.diagnostics.append(
            replace(
                self.spec.warn(
                    "pagination-not-detected",
                    message,
                    op.pointer,
                    "if it pages, set `x-clientgen-pagination` on the operation with an overlay",
                ),
                severity=Severity.INFO,
            )
        )

    # --- the response model -----------------------------------------------------------------------
    def _items_path(self, body: ir.TypeRef) -> tuple[str, ...] | None:
        """Where the items are: the body itself, or its one array field (or one of the usual
        names)."""
        if isinstance(self._resolve(body), ir.ListType):
            return ()
        arrays = [
            f.wire_name
            for f in self._fields(body)
            if isinstance(self._resolve(f.type), ir.ListType)
        ]
        if len(arrays) == 1:
            return (arrays[0],)
        named = [name for name in known.ARRAY_NAMES if name in arrays]
        return (named[0],) if len(named) == 1 else None

    def _items_type(self, body: ir.TypeRef, items: tuple[str, ...]) -> ir.TypeRef | None:
        found = self._resolve(self._at(body, items) if items else body)
        return found.item if isinstance(found, ir.ListType) else None

    def _at(self, type_: ir.TypeRef | None, path: tuple[str, ...]) -> ir.TypeRef | None:
        for name in path:
            field = next((f for f in self._fields(type_) if f.wire_name == name), None)
            if field is None:
                return None
            type_ = field.type
        return type_

    def _is_scalar(self, body: ir.TypeRef, path: tuple[str, ...], kind: str = "") -> bool:
        found = self._resolve(self._at(body, path))
        if isinstance(found, ir.LiteralType):
            return not kind
        return isinstance(found, ir.Primitive) and found.kind in (
            (kind,) if kind else ("str", "int", "bool")
        )

    def _fields(self, type_: ir.TypeRef | None) -> tuple[ir.Field, ...]:
        resolved = self._resolve(type_)
        if isinstance(resolved, ir.Named) and resolved.name in self.models:
            return self.models[resolved.name].fields
        return ()

    def _resolve(self, type_: ir.TypeRef | None) -> ir.TypeRef | None:
        """Through nullability and aliases, to what the value is (a bounded walk: aliases can
        cycle)."""
        for _ in range(len(self.aliases) + 2):
            if isinstance(type_, ir.Nullable):
                type_ = type_.inner
            elif (
                isinstance(type_, ir.UnionType)
                and len([o for o in type_.options if o != ir.Primitive("none")]) == 1
            ):
                type_ = next(o for o in type_.options if o != ir.Primitive("none"))
            elif isinstance(type_, ir.Named) and type_.name in self.aliases:
                type_ = self.aliases[type_.name].type
            else:
                return type_
        return type_

    def _error(self, message: str, pointer: str, hint: str = "") -> None:
        self.diagnostics.append(self.spec.diag("bad-pagination", message, pointer, hint))


def _scheme(scheme: ir.PaginationScheme, items: tuple[str, ...], **parts: Any) -> ir.Pagination:
    return ir.Pagination(scheme, items, ir.ANY, **parts)


def _first(query: Mapping[str, Any], names: tuple[str, ...]) -> str:
    return next((name for name in names if name in query), "")


def _is_int(parameter: ir.Parameter | None) -> bool:
    return parameter is not None and parameter.type in (
        ir.Primitive("int"),
        ir.Nullable(ir.Primitive("int")),
    )


def _dotted(path: tuple[str, ...]) -> str:
    return ".".join(path)
