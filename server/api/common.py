"""Helpers every blueprint uses: the services, the caller, and request-body validation."""
from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from functools import wraps

from flask import current_app, g, request

from ..errors import BadRequest, TooLarge, Unauthorized
from ..storage import users


def services():
    """The Services object that create_app() put in app.extensions (Redis, signer, config)."""
    return current_app.extensions["kadun"]


def redis_client():
    return services().redis


class TokenCache:
    """Recently seen tokens → user, per process, for a few seconds.

    Every /v1 request starts with the token lookup; on the badge route that round trip is a third
    of the work. Only successful lookups are kept (an unknown token is always asked again), keyed
    by the token's digest, for ``TOKEN_CACHE_SECONDS`` (0 turns the cache off).
    """

    MAX = 4096

    def __init__(self, seconds: float, epoch_poll: float = 0.2):
        from .revocation import AuthEpoch

        self.seconds = seconds
        self.lock = threading.Lock()
        self.entries: dict[str, tuple[str, float]] = {}
        self.epoch = AuthEpoch(epoch_poll)

    def user_for(self, r, token: str) -> str | None:
        if self.seconds <= 0:
            return users.user_for_token(r, token)
        if self.epoch.moved(r):  # an account was deleted: cached tokens may be dead
            with self.lock:
                self.entries.clear()
        digest = hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
        now = time.monotonic()
        hit = self.entries.get(digest)
        if hit and hit[1] > now:
            return hit[0]
        user = users.user_for_token(r, token)
        if user:
            with self.lock:
                if len(self.entries) >= self.MAX:
                    self.entries.clear()
                self.entries[digest] = (user, now + self.seconds)
        return user


def _token_cache() -> TokenCache:
    extra = services().extra
    cache = extra.get("token_cache")
    if cache is None:
        cache = extra["token_cache"] = TokenCache(float(current_app.config.get("TOKEN_CACHE_SECONDS") or 0),
                                                  float(current_app.config.get("AUTH_EPOCH_POLL_SECONDS") or 0.2))
    return cache


def require_user(view):
    """Resolve ``Authorization: Bearer <token>`` into ``g.user`` or answer 401."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("missing bearer token: pair the extension first (POST /v1/pair)")
        user = _token_cache().user_for(redis_client(), token.strip())
        if not user:
            raise Unauthorized("unknown or revoked token: pair again")
        g.user = user
        from .revocation import check_write

        check_write(redis_client(), user)
        return view(*args, **kwargs)

    return wrapper


def json_body() -> dict:
    """The request's JSON object, or 400 naming what is wrong with it.

    The body is read through werkzeug, which refuses (413) a Content-Length over
    MAX_CONTENT_LENGTH before reading a byte of it.
    """
    raw = request.get_data(cache=True)
    cap = current_app.config.get("MAX_CONTENT_LENGTH")
    if cap and request.content_length is None and len(raw) >= cap:
        # A chunked body is cut at the cap by werkzeug (no Content-Length to refuse up front).
        raise TooLarge(f"request body is larger than {cap // (1024 * 1024)} MiB", field="body")
    if not raw.strip():
        raise BadRequest("request body is empty; send a JSON object", field="body")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # bad UTF-8 or JSON, or nesting too deep to parse
        raise BadRequest("request body is not valid JSON", field="body") from None
    if not isinstance(data, dict):
        raise BadRequest("request body must be a JSON object", field="body")
    return data


_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean_text(value: str) -> str:
    """``value`` with lone UTF-16 surrogates (valid JSON, invalid Unicode) replaced by U+FFFD,
    as a browser's TextEncoder does, so the text can be stored and hashed as UTF-8."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub("\ufffd", value)


def field_str(data: dict, name: str, *, required: bool = False, max_len: int = 2000,
              pattern: re.Pattern | None = None, choices: tuple | None = None) -> str | None:
    value = data.get(name)
    if value is None or (isinstance(value, str) and not value.strip() and not required):
        if required:
            raise BadRequest(f"missing field: {name}", field=name)
        return None
    if not isinstance(value, str):
        raise BadRequest(f"field {name} must be a string", field=name)
    if required and not value.strip():
        raise BadRequest(f"field {name} must not be empty", field=name)
    if len(value) > max_len:
        raise BadRequest(f"field {name} is too long (at most {max_len} characters)", field=name)
    if choices is not None and value not in choices:
        raise BadRequest(f"field {name} must be one of: {', '.join(choices)}", field=name)
    if pattern is not None and not pattern.fullmatch(value):
        raise BadRequest(f"field {name} has the wrong format", field=name)
    return clean_text(value)


def query_int(name: str, default: int, lo: int, hi: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"query parameter {name} must be an integer", field=name) from None
    if not lo <= value <= hi:
        raise BadRequest(f"query parameter {name} must be between {lo} and {hi}", field=name)
    return value
