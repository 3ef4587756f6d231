"""Pages of list operations: iterating a page yields every item of every page.

A list method fetches its first page when it is called (errors surface there) and returns a `SyncPage`
(`AsyncPage` on the async client). Iterating it yields the items of that page, then fetches the next
page only when the current one is used up, sending the original call's arguments and per-call options
again with the cursor, offset, page number or next URL the scheme (`Paging`) says. `page.items` is the
current page's items, `page.response` the whole parsed answer (its fields, such as `page.data` or
`page.has_more`, are also readable on the page), and `has_next_page()`, `next_page()`, `iter_pages()`
give page-level control.

Iteration stops at an empty page, when the answer says there is no more (`has_more` false, no next
cursor or URL, a total reached), at a cursor or URL already sent (a server repeating itself would
otherwise loop forever), and at a next URL on another origin than the client's base URL: the request
carries the client's credentials, which must never leave for another host.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, Self, TypeVar, cast

from ._http import httpx

from ._client_base import _log
from ._types import NOT_GIVEN, APIResponse, Operation, _request_parts

if TYPE_CHECKING:
    from ._base import AsyncAPIClient, SyncAPIClient

__all__ = ["AsyncPage", "Paging", "SyncPage", "afirst_page", "first_page"]

_ItemT = TypeVar("_ItemT")
_ResponseT = TypeVar("_ResponseT")
_Scheme = Literal["cursor_id", "cursor", "offset", "page", "next_url", "link_header"]
# One link-value of an RFC 8288 `Link` header: `<uri>` and its parameters, up to the next link-value.
_LINK_VALUE = re.compile(r'<([^>]*)>((?:\s*;\s*[^;,="]+(?:=(?:"[^"]*"|[^;,]*))?)*)')
_REL = re.compile(r';\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]*))', re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Paging:
    """How one operation pages, as the generator found it. Paths are wire names from the body down."""

    scheme: _Scheme
    items: tuple[str, ...] = ()  # () when the body itself is the list
    param: str = ""  # query parameter carrying the cursor / offset / page number
    limit_param: str = ""
    next: tuple[str, ...] = ()  # next cursor, next URL, or (cursor_id) the last id
    has_more: tuple[str, ...] = ()
    total: tuple[str, ...] = ()  # the number of items in all pages
    item_id: str = ""  # cursor_id: the item field whose value is the cursor
    start: int = 1  # page: the number of the first page
    # cursor_id: the parameter that pages backwards (Stripe's `ending_before`); when the call sets it,
    # each next page is requested before the first item of the current one.
    before_param: str = ""


def _field(value: Any, name: str) -> Any:
    """`name` (a wire name) of a decoded JSON object or of a model (by alias, name or extra field)."""
    if isinstance(value, Mapping):
        return value.get(name)
    fields = getattr(type(value), "model_fields", None)
    if fields is None:
        return None
    for attribute, info in fields.items():
        if name in (
            attribute,
            info.alias,
            info.serialization_alias,
            info.validation_alias,
        ):
            return getattr(value, attribute)
    return (getattr(value, "model_extra", None) or {}).get(name)


def _at(value: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        value = _field(value, name)
    return value


def _link_next(header: str | None) -> str | None:
    """The target of the `rel="next"` link of an RFC 8288 `Link` header, if any."""
    for match in _LINK_VALUE.finditer(header or ""):
        for rel in _REL.finditer(match.group(2)):
            if "next" in (rel.group(1) or rel.group(2) or "").lower().split():
                return match.group(1).strip()
    return None


def _same_origin(url: httpx.URL, base: httpx.URL) -> bool:
    return (url.scheme, url.host, url.port) == (base.scheme, base.host, base.port)


def _integer(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


class _Page(Generic[_ItemT, _ResponseT]):
    """What sync and async pages share: the current answer, and what to send for the next page."""

    def __init__(
        self,
        op: Operation[Any],
        paging: Paging,
        parts: Mapping[str, Any],
        raw: APIResponse[Any],
        base_url: str,
        sent: frozenset[str] = frozenset(),
        received: int = 0,
    ) -> None:
        self._op, self._paging, self._parts, self._raw = op, paging, parts, raw
        self._base_url = base_url
        self._sent = sent | {self._sent_key(parts)}
        self.response: _ResponseT = raw.parsed
        found = _at(raw.parsed, paging.items)
        self.items: list[_ItemT] = list(found) if isinstance(found, (list, tuple)) else []
        self._received = received + len(self.items)

    def __getattr__(self, name: str) -> Any:
        # Fields of the answer (`page.data`, `page.has_more`) read through; only called for names the
        # page itself does not have.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.response, name)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(items={len(self.items)}, has_next_page={self.has_next_page()})"
        )

    @property
    def http_response(self) -> httpx.Response:
        return self._raw.http_response

    def _sent_key(self, parts: Mapping[str, Any]) -> str:
        if "next_url" in parts:
            return "url:" + str(parts["next_url"])
        query = parts.get("query") or {}
        names = (self._paging.param, self._paging.before_param)
        return "query:" + repr([str(query.get(name, NOT_GIVEN)) for name in names])

    def has_next_page(self) -> bool:
        return self._next_parts() is not None

    def _next_parts(self) -> dict[str, Any] | None:
        """The request parts of the next page, or None when this is the last one."""
        paging = self._paging
        if not self.items:
            return None
        if paging.has_more and _at(self.response, paging.has_more) is not True:
            return None
        total = _at(self.response, paging.total) if paging.total else None
        if isinstance(total, int) and self._received >= total:
            return None
        if paging.scheme in ("next_url", "link_header"):
            return self._next_url_parts()
        query = self._parts.get("query") or {}
        backwards = paging.before_param and query.get(paging.before_param) not in (
            None,
            NOT_GIVEN,
        )
        if backwards:
            name, value = paging.before_param, _field(self.items[0], paging.item_id)
        else:
            name, value = paging.param, self._next_value()
        if value is None or value == "":
            return None
        parts = {**self._parts, "query": {**query, name: value}}
        return None if self._sent_key(parts) in self._sent else parts

    def _next_value(self) -> Any:
        paging, query = self._paging, self._parts.get("query") or {}
        if paging.scheme == "cursor_id":
            last = _at(self.response, paging.next) if paging.next else None
            return last if last not in (None, "") else _field(self.items[-1], paging.item_id)
        if paging.scheme == "cursor":
            return _at(self.response, paging.next)
        limit = query.get(paging.limit_param) if paging.limit_param else None
        if isinstance(limit, int) and 0 < len(self.items) < limit:
            return None  # a short page is the last one
        if paging.scheme == "offset":
            return _integer(query.get(paging.param), 0) + len(self.items)
        return _integer(query.get(paging.param), paging.start) + 1

    def _next_url_parts(self) -> dict[str, Any] | None:
        if self._paging.scheme == "next_url":
            found = _at(self.response, self._paging.next)
        else:
            found = _link_next(self._raw.headers.get("link"))
        if not isinstance(found, str) or not found:
            return None
        url = self._raw.http_response.request.url.join(found)
        if not _same_origin(url, httpx.URL(self._base_url)):
            _log.warning("Not following the next page at another origin (%s)", url.host)
            return None
        parts = {**self._parts, "next_url": str(url)}
        return None if self._sent_key(parts) in self._sent else parts


def _next_url_request(
    client: SyncAPIClient | AsyncAPIClient, op: Operation[Any], parts: Mapping[str, Any]
) -> httpx.Request:
    """The request for a next URL: the operation's headers, auth and options, the server's URL (with
    the auth and extra_query parameters it lacks added)."""
    request = client._build_request(
        op,
        parts.get("path"),
        None,
        parts.get("headers"),
        parts.get("cookies"),
        parts.get("body", NOT_GIVEN),
        parts.get("extra_headers"),
        parts.get("extra_query"),
        parts.get("timeout", NOT_GIVEN),
    )
    target = httpx.URL(parts["next_url"])
    missing = [(k, v) for k, v in request.url.params.multi_items() if k not in target.params]
    request.url = target.copy_merge_params(dict(missing)) if missing else target
    return request


def _request_kwargs(parts: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in parts.items() if key != "next_url"}


class SyncPage(_Page[_ItemT, _ResponseT]):
    """One page of a list operation; iterating it yields every item of this and the following pages."""

    def __init__(self, client: SyncAPIClient, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._client = client

    def _following(self, parts: dict[str, Any], raw: APIResponse[Any]) -> Self:
        return type(self)(
            self._client,
            self._op,
            self._paging,
            parts,
            raw,
            self._base_url,
            self._sent,
            self._received,
        )

    def next_page(self) -> Self:
        """The following page (fetched now); raises LookupError on the last page."""
        parts = self._next_parts()
        if parts is None:
            raise LookupError("this is the last page: check has_next_page() first")
        return self._following(parts, _fetch(self._client, self._op, parts))

    def iter_pages(self) -> Iterator[Self]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.next_page()

    def __iter__(self) -> Iterator[_ItemT]:
        for page in self.iter_pages():
            yield from page.items


class AsyncPage(_Page[_ItemT, _ResponseT]):
    """One page of a list operation; `async for` yields every item of this and the following pages."""

    def __init__(self, client: AsyncAPIClient, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._client = client

    def _following(self, parts: dict[str, Any], raw: APIResponse[Any]) -> Self:
        return type(self)(
            self._client,
            self._op,
            self._paging,
            parts,
            raw,
            self._base_url,
            self._sent,
            self._received,
        )

    async def next_page(self) -> Self:
        """The following page (fetched now); raises LookupError on the last page."""
        parts = self._next_parts()
        if parts is None:
            raise LookupError("this is the last page: check has_next_page() first")
        return self._following(parts, await _afetch(self._client, self._op, parts))

    async def iter_pages(self) -> AsyncIterator[Self]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.next_page()

    async def __aiter__(self) -> AsyncIterator[_ItemT]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item


def _fetch(client: SyncAPIClient, op: Operation[Any], parts: Mapping[str, Any]) -> APIResponse[Any]:
    if "next_url" not in parts:
        return cast("APIResponse[Any]", client._request(op, **_request_kwargs(parts), raw=True))
    request = _next_url_request(client, op, parts)
    response = client._send(op, request, parts.get("max_retries", NOT_GIVEN), stream=False)
    return cast("APIResponse[Any]", client._finish(op, response, True))


async def _afetch(
    client: AsyncAPIClient, op: Operation[Any], parts: Mapping[str, Any]
) -> APIResponse[Any]:
    if "next_url" not in parts:
        return cast(
            "APIResponse[Any]",
            await client._request(op, **_request_kwargs(parts), raw=True),
        )
    request = _next_url_request(client, op, parts)
    response = await client._send(op, request, parts.get("max_retries", NOT_GIVEN), stream=False)
    return cast("APIResponse[Any]", client._finish(op, response, True))


def first_page(
    client: SyncAPIClient, op: Operation[Any], paging: Paging, args: Mapping[str, Any]
) -> SyncPage[Any, Any]:
    """What a generated list method does: fetch the first page with the call's arguments."""
    parts = _request_parts(op, args, False)
    return SyncPage(client, op, paging, parts, _fetch(client, op, parts), client.base_url)


async def afirst_page(
    client: AsyncAPIClient, op: Operation[Any], paging: Paging, args: Mapping[str, Any]
) -> AsyncPage[Any, Any]:
    parts = _request_parts(op, args, False)
    return AsyncPage(client, op, paging, parts, await _afetch(client, op, parts), client.base_url)
