"""The names pagination detection (`pagination.py`) accepts, per role: wire names, compared
case-sensitively as written by the vendors."""

from __future__ import annotations

ARRAY_NAMES = ("data", "items", "results", "value", "records", "entries")
AFTER_PARAMS = ("starting_after", "after")
HAS_MORE = ("has_more", "hasMore", "has_next", "has_next_page")
LAST_ID = ("last_id",)
CURSOR_FIELDS = (
    "next_cursor",
    "next_page_token",
    "nextPageToken",
    "nextCursor",
    "cursor",
    "next_page",
)
CURSOR_PARAMS = (
    "cursor",
    "page_token",
    "pageToken",
    "next_cursor",
    "next_page_token",
    "after",
    "starting_after",
    "page",
)
CURSOR_HOLDERS = (
    "meta",
    "pagination",
    "page_info",
    "pageInfo",
    "response_metadata",
    "metadata",
    "paging",
)
NEXT_OBJECT = ("next_page", "next")
URL_FIELDS = (
    "next_page_uri",
    "next_page_url",
    "next_url",
    "nextLink",
    "next_link",
    "@odata.nextLink",
)
URL_HOLDERS = (("links",), ("links", "pages"), ("_links",), ("meta",), ("pagination",))
LIMIT_PARAMS = (
    "limit",
    "per_page",
    "page_size",
    "pageSize",
    "perPage",
    "size",
    "max_results",
    "count",
    "top",
    "$top",
)
TOTAL_FIELDS = ("total", "total_count", "totalCount", "count", "total_results")
TOTAL_HOLDERS = ((), ("meta",), ("pagination",))
# The query parameters that make an operation look like a list (when no scheme fits, it is worth a
# `pagination-not-detected` finding).
LISTING_PARAMS = LIMIT_PARAMS + CURSOR_PARAMS + AFTER_PARAMS + ("offset",)
