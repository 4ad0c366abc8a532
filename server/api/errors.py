"""The one place where failures become HTTP answers: ``{"error", "message"}`` with a status."""
from __future__ import annotations

import errno
import logging
import re

from flask import jsonify
from werkzeug.exceptions import HTTPException

from ..errors import KadunError

log = logging.getLogger("kadun.api")

# Werkzeug's own refusals (unknown route, wrong method, body too large, …) in contract terms.
_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
               409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "unprocessable",
               429: "rate_limited", 503: "unavailable"}
_HTTP_MESSAGES = {404: "no such route", 405: "method not allowed on this route",
                  413: "request body too large", 429: "too many requests; slow down"}
# Seconds a client should wait before retrying while storage is unreachable: the embedded Redis
# is restarted within about a second (see storage/supervisor.py).
RETRY_AFTER_SECONDS = 2


def unavailable(response):
    """``response`` (a 503) with the Retry-After that tells clients to come back shortly."""
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def error_response(status: int, message: str, code: str | None = None, **details):
    body = {"error": code or _HTTP_CODES.get(status, "error"), "message": message}
    body.update({k: v for k, v in details.items() if v is not None})
    response = jsonify(body)
    response.status_code = status
    return response


class UnreadableBody(HTTPException):
    """The request's body broke off or was malformed on the wire (a bad chunk size, a connection
    closed mid-body): the client's fault, answered 400, never an internal error."""

    code = 400
    description = "request body could not be read (malformed or cut-off transfer)"


class _GuardedInput:
    """``wsgi.input`` whose read failures (gunicorn's ``InvalidChunkSize``, ``NoMoreData``, a
    reset connection …) surface as :class:`UnreadableBody`, whoever reads it: the JSON door,
    werkzeug's form parser, or a view streaming an upload."""

    def __init__(self, stream):
        self._stream = stream

    def _guard(self, name: str, *args):
        try:
            return getattr(self._stream, name)(*args)
        except HTTPException:
            raise
        except Exception as error:  # noqa: BLE001 - any failure of the wire is the client's here
            log.warning("request body unreadable: %r", error)
            raise UnreadableBody() from None

    def read(self, *args):
        return self._guard("read", *args)

    def readline(self, *args):
        return self._guard("readline", *args)

    def readlines(self, *args):
        return self._guard("readlines", *args)

    def __iter__(self):
        return iter(self.readline, b"")

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


class GuardedBody:
    """WSGI middleware: the request body read through :class:`_GuardedInput`."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        stream = environ.get("wsgi.input")
        if stream is not None and not isinstance(stream, _GuardedInput):
            environ["wsgi.input"] = _GuardedInput(stream)
        return self.wsgi_app(environ, start_response)


# Redis's refusals of a write it cannot keep: a failed snapshot or AOF write, maxmemory reached.
_REFUSED_WRITE = re.compile(r"\b(MISCONF|OOM) (?:command not allowed|Errors writing|Redis is configured)")


def _storage_full(error: Exception):
    """A :class:`StorageFull` when ``error`` means the storage cannot persist a write: Redis's own
    refusals (MISCONF: a failed save or AOF write; OOM: maxmemory), or an embedded redis-server
    that went away while its disk is full (it exits rather than answer an unsaved write)."""
    import redis
    from flask import current_app

    from ..storage import space
    from .space import reserve_of

    if isinstance(error, redis.ResponseError):
        # (also inside a script's error: "Error running script … -OOM command not allowed …")
        found = _REFUSED_WRITE.search(str(error))
        if found:
            return space.full(f"the storage refuses writes it cannot keep ({found.group(1)}); "
                              "nothing was stored, retry later")
        return None
    if isinstance(error, redis.ConnectionError | ConnectionError):
        svc = current_app.extensions.get("kadun")
        directory = svc.extra.get("storage_dir") if svc is not None else None
        # (a full disk, with the same reserve the writes are checked against)
        if directory is not None and space.is_low(directory, max(1, reserve_of(current_app.config))):
            return space.full()
    return None


def http_error(error: HTTPException):
    """Werkzeug's own refusal (unknown route, wrong method, body too large, …) as the API's JSON."""
    status = error.code or 500
    if status >= 500:
        log.error("http error %s: %s", status, error)
    message = _HTTP_MESSAGES.get(status) or (error.description or error.name)
    response = error_response(status, message)
    if status == 503:
        unavailable(response)
    if status == 429 and isinstance(getattr(error, "retry_after", None), int):
        response.headers["Retry-After"] = str(max(1, error.retry_after))  # a failure limit's (limits.py)
    if status == 413:
        # The client may still be sending; tell it not to keep the connection.
        response.headers["Connection"] = "close"
    if status == 405 and getattr(error, "valid_methods", None):
        # RFC 9110: a 405 names the methods the route does allow.
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def register(app) -> None:
    app.wsgi_app = GuardedBody(app.wsgi_app)
    @app.errorhandler(KadunError)
    def _kadun(error: KadunError):
        response = error_response(error.status, error.message, error.code, **error.details)
        for name, value in (error.headers or {}).items():
            response.headers[name] = value
        return unavailable(response) if error.status == 503 else response

    app.register_error_handler(HTTPException, http_error)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        import redis
        from redis.exceptions import RedisClusterException

        if isinstance(error, redis.RedisError | RedisClusterException | ConnectionError | TimeoutError):
            full = _storage_full(error)
            if full is not None:
                log.warning("storage full: %s", error)
                return _kadun(full)
            if isinstance(error, redis.ConnectionError | ConnectionError):
                # Expected while the embedded Redis is restarted: one line, not a traceback each.
                log.warning("storage unavailable: %s", error)
            else:
                log.exception("storage unavailable")
            return unavailable(error_response(503, "storage unavailable; the request was not stored, retry later",
                                              "unavailable"))
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
            # A file this request wrote (a pack or export built in scratch files, a spooled
            # download) found no room: the same 507 as a full storage, not an internal error.
            log.warning("disk full: %s", error)
            from ..storage import space

            return _kadun(space.full("the server's disk is full; the file could not be built, retry later"))
        log.exception("unexpected error")
        return error_response(500, "internal error; nothing was stored for this request", "internal")
