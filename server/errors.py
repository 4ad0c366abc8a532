"""One root exception for everything the backend refuses, mapped to HTTP in api/errors.py."""
from __future__ import annotations


class KadunError(Exception):
    """Base of every expected failure. `status` and `code` follow contract/api.md."""

    status = 400
    code = "bad_request"
    # Extra response headers (e.g. Retry-After), set by subclasses that need them.
    headers: dict = {}

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


class QuotaError(KadunError):
    """A user's quota is used up. ``details`` carry ``quota`` ({name, limit, used, …}) and
    ``messages`` ({zh, en}) so that a client can tell the buyer in their language."""

    def __init__(self, message: str, *, retry_after: int | None = None, **details):
        super().__init__(message, **details)
        self.headers = {"Retry-After": str(int(retry_after))} if retry_after is not None else {}


class QuotaRateLimited(QuotaError, RateLimited):
    """A daily quota (captures, disputes, exports): 429, with Retry-After until the next day."""


class QuotaTooLarge(QuotaError, TooLarge):
    """A quota of space (bytes stored, attachments of one dispute): 413."""


class StorageUnavailable(KadunError):
    status, code = 503, "unavailable"


class StorageFull(KadunError):
    """The disk under the storage is full (or Redis refuses writes it cannot persist): 507, with
    ``messages`` ({zh, en}); nothing of the request was stored, a client keeps it and retries."""

    status, code = 507, "storage_full"
    headers = {"Retry-After": "60"}
