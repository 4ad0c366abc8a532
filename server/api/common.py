"""Helpers every blueprint uses: the services, the caller, and request-body validation."""
from __future__ import annotations

import hashlib
import re
import tempfile
import threading
import time
from functools import wraps

from flask import Response, current_app, g, request

from .. import caches, jsonsafe
from ..errors import BadRequest, TooLarge, Unauthorized
from ..storage import devices


def services():
    """The Services object that create_app() put in app.extensions (Redis, signer, config)."""
    return current_app.extensions["kadun"]


def redis_client():
    return services().redis


class TokenCache:
    """Recently seen tokens → their device, per process, for a few seconds.

    Every /v1 request starts with the token lookup; on the badge route that round trip is a third
    of the work. Only successful lookups are kept (an unknown token is always asked again), keyed
    by the token's digest, for ``TOKEN_CACHE_SECONDS`` (0 turns the cache off) and never past the
    token's own expiry. So a token revoked (or expired) elsewhere is refused by every worker
    within ``TOKEN_CACHE_SECONDS``; the worker that revokes it forgets it at once.
    """

    MAX = 4096

    def __init__(self, seconds: float, epoch_poll: float = 0.2):
        from .revocation import AuthEpoch

        self.seconds = seconds
        self.lock = threading.Lock()
        self.entries: dict[str, tuple[devices.Device, float]] = {}
        self.epoch = AuthEpoch(epoch_poll)
        self.tally = caches.Tally()
        caches.register("token", "bearer token → its device, for TOKEN_CACHE_SECONDS", limit=self.MAX,
                        entries=lambda: len(self.entries), totals=self.tally.totals)

    def device_for(self, r, token: str) -> devices.Device | None:
        if self.seconds <= 0:
            return devices.for_token(r, token)
        if self.epoch.moved(r):  # an account was deleted: cached tokens may be dead
            with self.lock:
                self.entries.clear()
        digest = hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
        now = time.monotonic()
        hit = self.entries.get(digest)
        if hit and hit[1] > now:
            self.tally.hit()
            return hit[0]
        self.tally.miss()
        device = devices.for_token(r, token)
        if device:
            keep = self.seconds
            left = devices.seconds_left(device)
            if left is not None:
                keep = min(keep, max(0.0, left))
            with self.lock:
                if len(self.entries) >= self.MAX:
                    self.entries.clear()
                self.entries[digest] = (device, now + keep)
        return device

    def user_for(self, r, token: str) -> str | None:
        device = self.device_for(r, token)
        return device.user if device else None

    def forget(self, device_id: str) -> None:
        """Drop a revoked device's token from this process's cache."""
        with self.lock:
            for digest in [d for d, (device, _) in self.entries.items() if device.id == device_id]:
                del self.entries[digest]


def token_cache() -> TokenCache:
    extra = services().extra
    cache = extra.get("token_cache")
    if cache is None:
        cache = extra["token_cache"] = TokenCache(float(current_app.config.get("TOKEN_CACHE_SECONDS") or 0),
                                                  float(current_app.config.get("AUTH_EPOCH_POLL_SECONDS") or 0.2))
    return cache


def token_lifetime() -> int | None:
    """Seconds a newly paired device's token lasts (``KADUN_TOKEN_DAYS``; None: until revoked)."""
    return devices.lifetime_seconds(current_app.config.get("TOKEN_DAYS"))


def require_user(view):
    """Resolve ``Authorization: Bearer <token>`` into ``g.user`` or answer 401."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("missing bearer token: pair the extension first (POST /v1/pair)")
        device = token_cache().device_for(redis_client(), token.strip())
        if not device:
            raise Unauthorized("unknown, revoked or expired token: pair again")
        g.user = device.user
        g.device = device
        from .revocation import check_write

        check_write(redis_client(), device.user)
        return view(*args, **kwargs)

    return wrapper


def json_body() -> dict:
    """The request's JSON object, or 400 naming what is wrong with it.

    The body is read through werkzeug, which refuses (413) a Content-Length over
    MAX_CONTENT_LENGTH before reading a byte of it.
    """
    cap = current_app.config.get("MAX_CONTENT_LENGTH")
    if cap and request.content_length is None:
        # A chunked body has no Content-Length to refuse up front: werkzeug cuts the stream at
        # the cap. Cut it one byte later, so a body of exactly the cap is told from a longer one.
        request.max_content_length = cap + 1
    raw = request.get_data(cache=True)
    if cap and len(raw) > cap:
        raise TooLarge(f"request body is larger than {cap // (1024 * 1024)} MiB", field="body")
    if not raw.strip():
        raise BadRequest("request body is empty; send a JSON object", field="body")
    try:
        data = jsonsafe.loads(raw)
    except ValueError:  # bad UTF-8 or JSON, or nesting too deep to parse
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


def search_query(name: str = "q"):
    """The search of a listing (``?q=``): an order number or domain, or a host or URL, whose
    registered domain then matches exactly. None when not given; 400 when too long."""
    from urllib.parse import urlsplit

    from .. import sizes
    from ..storage.orders import Query

    raw = request.args.get(name) or ""
    text = raw.strip()
    if not text:
        return None
    if len(raw) > sizes.SEARCH:
        raise BadRequest(f"query parameter {name} is too long (at most {sizes.SEARCH} characters)", field=name)
    domain = None
    try:
        host = urlsplit(text if "://" in text else f"http://{text}").hostname
    except ValueError:
        host = None
    if host and "." in host and re.fullmatch(r"[a-z0-9.-]+", host):
        from scrapers import registered_domain

        try:
            domain = registered_domain(f"http://{host}/") or None
        except Exception:  # a host the suffix list cannot place is searched as text only
            domain = None
    return Query(text=text.lower(), domain=domain)


def query_cursor(name: str = "cursor") -> int | None:
    raw = request.args.get(name) or None
    if raw is None:
        return None
    if not re.fullmatch(r"[0-9]{1,15}", raw):
        raise BadRequest(f"query parameter {name} is not one this server gave", field=name)
    return int(raw)
def _integral(raw: str) -> int | None:
    from decimal import Decimal, InvalidOperation

    try:
        number = Decimal(raw)
    except InvalidOperation:
        return None
    if not number.is_finite() or number != number.to_integral_value() or abs(number) > 10**18:
        return None
    return int(number)


def query_int(name: str, default: int, lo: int, hi: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = _integral(raw)  # "5.0" is the integer 5 (JSON Schema's integer is a mathematical one)
        if value is None:
            raise BadRequest(f"query parameter {name} must be an integer", field=name) from None
    if not lo <= value <= hi:
        raise BadRequest(f"query parameter {name} must be between {lo} and {hi}", field=name)
    return value


def user_pack_download(r, user: str, existed: bool, build, filename: str, gone, undo=None) -> Response:
    """``zip_download`` of a pack ``build(file)`` makes of ``user``'s data, unless the account is
    deleted meanwhile: a pack read half-way through a deletion (items without their chain, or
    none) is signed all the same, so it is never handed out; what the build wrote for the user is
    erased with them and ``gone()`` (a NotFound naming what happened) is raised, whatever the
    half-read data made the build fail with. ``undo()`` runs when the build fails otherwise."""
    from ..storage import erasure

    def write(file) -> None:
        build(file)
        if not erasure.user_exists(r, user):
            raise gone()

    try:
        return zip_download(write, filename)
    except BaseException:
        if erasure.purge_if_gone(r, user, existed) or not erasure.user_exists(r, user):
            raise gone() from None
        if undo is not None:
            undo()
        raise


def zip_download(write, filename: str) -> Response:
    """A ZIP made by ``write(file)`` as a download named ``filename``. The bytes are spooled (small
    packs stay in memory, big ones go to a temporary file, never all in RAM) and streamed; the
    spool is closed when the write fails or the answer has been sent."""
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    try:
        write(spool)
    except BaseException:
        spool.close()
        raise
    size = spool.tell()
    spool.seek(0)

    def stream():
        try:
            while chunk := spool.read(1 << 20):
                yield chunk
        finally:
            spool.close()

    response = Response(stream(), mimetype="application/zip")
    response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
