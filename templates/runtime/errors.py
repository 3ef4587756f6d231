"""Exceptions raised by the client.

Every error derives from `APIError`, so `except APIError` catches anything the client raises on
purpose. Messages name the method, the URL path (never the query string, which may carry an API key)
and what the server said; the raw `httpx` objects stay available as attributes.
"""

from __future__ import annotations

from typing import Any, Final

from ._http import httpx

# Where servers put the id of a request (to quote to their support); the first one present wins.
_REQUEST_ID_HEADERS: Final = (
    "x-request-id",
    "request-id",
    "x-amzn-requestid",
    "x-correlation-id",
)

__all__ = [
    "APIError",
    "APIConnectionError",
    "APITimeoutError",
    "APIResponseValidationError",
    "APIStatusError",
    "APIStreamError",
    "MissingCredentialsError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
]


class APIError(Exception):
    """Base class of every error raised by the client."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APIConnectionError(APIError):
    """The request never got an HTTP response (DNS, refused connection, broken stream...)."""


class APITimeoutError(APIConnectionError):
    """The request timed out; raise the `timeout` option if the operation is slow."""


class APIResponseValidationError(APIError):
    """A successful response whose body does not match the API description.

    The pydantic `ValidationError` (or JSON decoding error) is chained as `__cause__`.
    """

    def __init__(self, message: str, *, response: httpx.Response, body: Any) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.body = body


class APIStatusError(APIError):
    """The server answered with a non-2xx status.

    `body` is the documented error model when the body really matches it (at least one of its
    properties present), else the decoded JSON, else the text (or None for an empty body): a
    malformed error body never hides the status error. `code` and `message` are the server's own,
    where the body carries them in a common shape (`error.code`/`error.message`, `code`/`message`,
    `detail`); `message` is the whole message otherwise. `request_id` comes from the response headers.
    """

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: Any,
        code: str | None = None,
        server_message: str | None = None,
    ) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = body
        self.code = code
        self.message = server_message or message
        self.request_id = next(
            (response.headers[h] for h in _REQUEST_ID_HEADERS if h in response.headers),
            None,
        )


class APIStreamError(APIError):
    """A streamed response (server-sent events) failed: the server sent an error event (`body` is
    its decoded data), or the stream ended in the middle of an event (`body` is None; what arrived
    of that event is incomplete, so it is not reported). The events before it were complete.
    """

    def __init__(self, message: str, *, response: httpx.Response, body: Any = None) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.body = body


class MissingCredentialsError(APIError):
    """The operation needs a credential the client was not given; nothing was sent. The message
    names the constructor argument and the environment variable that provide it."""


class BadRequestError(APIStatusError):
    """400"""


class AuthenticationError(APIStatusError):
    """401: missing or invalid credentials."""


class PermissionDeniedError(APIStatusError):
    """403"""


class NotFoundError(APIStatusError):
    """404"""


class ConflictError(APIStatusError):
    """409"""


class UnprocessableEntityError(APIStatusError):
    """422"""


class RateLimitError(APIStatusError):
    """429"""


class InternalServerError(APIStatusError):
    """Any status >= 500."""


# The error class of a non-2xx status: this table, then SERVER_ERROR from SERVER_ERROR_FROM up, then
# APIStatusError. The generator reads these three from this source (generator/contract.py, with
# `ast`), so the generated README and conformance tests say what this code does.
STATUS_ERRORS: Final[dict[int, type[APIStatusError]]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}
SERVER_ERROR_FROM: Final = 500
SERVER_ERROR: Final = InternalServerError


def _status_error_class(status_code: int) -> type[APIStatusError]:
    if status_code >= SERVER_ERROR_FROM:
        return SERVER_ERROR
    return STATUS_ERRORS.get(status_code, APIStatusError)
