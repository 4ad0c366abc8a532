"""One root exception for everything the backend refuses, mapped to HTTP in api/errors.py."""
from __future__ import annotations


class KadunError(Exception):
    """Base of every expected failure. `status` and `code` follow contract/api.md."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class BadRequest(KadunError):
    status, code = 400, "bad_request"

    def __init__(self, message: str, field: str | None = None, **details):
        if field:
            details["field"] = field
        super().__init__(message, **details)


class Unauthorized(KadunError):
    status, code = 401, "unauthorized"


class Forbidden(KadunError):
    status, code = 403, "forbidden"

    def __init__(self, message: str, field: str | None = None, **details):
        if field:
            details["field"] = field
        super().__init__(message, **details)


class NotFound(KadunError):
    status, code = 404, "not_found"


class Conflict(KadunError):
    status, code = 409, "conflict"


class TooLarge(KadunError):
    status, code = 413, "too_large"


class Unprocessable(KadunError):
    status, code = 422, "unprocessable"


class RateLimited(KadunError):
    status, code = 429, "rate_limited"


class StorageUnavailable(KadunError):
    status, code = 503, "unavailable"
