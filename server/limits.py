"""Rate limits (flask-limiter) kept in the same Redis as the evidence.

Pairing is the one route a stranger can call with a guess, so it is limited twice: per client
address (``PAIR_RATE_LIMIT``, every attempt counts) and for the whole service
(``PAIR_RATE_LIMIT_GLOBAL``, only failed attempts count), so neither one address nor many can
walk the 31^8 code space within a code's 10-minute life. The counters live in Redis, so every
gunicorn worker and every app server behind the proxy shares them. A breach answers 429 in the
contract's error shape (api/errors.py maps werkzeug's 429) with a ``Retry-After`` header.
"""
from __future__ import annotations

import hashlib
import secrets
import time
from functools import wraps

from flask import Flask, after_this_request, request
from flask_limiter import Limiter
from limits import parse_many
from werkzeug.exceptions import TooManyRequests
from werkzeug.middleware.proxy_fix import ProxyFix

from .storage import keys

PAIR_ENDPOINT = "pairing.pair"
# The hosted sign-in's code-for-token exchange is limited the same way (its own counters).
TOKEN_ENDPOINTS = (PAIR_ENDPOINT, "account_api.token")
FETCH_ENDPOINT = "fetches.create_fetch"
SCREENSHOT_ENDPOINT = "screenshots.create_screenshot"
DEFAULT_GLOBAL_PAIR_LIMIT = "120 per minute"


def client_address() -> str:
    """The caller's address (the proxy's X-Forwarded-For hop when PROXY_COUNT is set)."""
    return request.remote_addr or "unknown"


def _storage(app: Flask) -> tuple[str, dict]:
    """A limits storage URI (and options) that reaches the app's own Redis."""
    client = app.extensions["kadun"].redis
    if client.__class__.__name__ == "RedisCluster":
        nodes = ",".join(f"{n.host}:{n.port}" for n in client.get_primaries())
        return f"redis+cluster://{nodes}", {}
    # Share the app's connection pool: same server, same database, unix socket or TCP alike.
    return "redis://", {"connection_pool": client.connection_pool}


def init_limits(app: Flask) -> Limiter | None:
    """Attach the limiter to ``app`` (after the blueprints are registered); None when disabled."""
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies > 0:
        # Behind N trusted proxies the address to limit is the one they forwarded.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    if not _enabled(app.config.get("RATELIMIT_ENABLED", True)):
        return None
    uri, options = _storage(app)
    limiter = Limiter(
        client_address, app=app, storage_uri=uri, storage_options=options, strategy="moving-window",
        headers_enabled=True, key_prefix=keys.limits_prefix(), swallow_errors=False,
        default_limits=[], application_limits=[])
    for endpoint in TOKEN_ENDPOINTS:
        view = app.view_functions.get(endpoint)
        if view is None:
            continue
        per_client = limiter.limit(lambda: app.config.get("PAIR_RATE_LIMIT") or "10 per minute",
                                   key_func=client_address)
        failures = failure_limit(
            app, limiter, lambda: app.config.get("PAIR_RATE_LIMIT_GLOBAL") or DEFAULT_GLOBAL_PAIR_LIMIT,
            key_func=lambda: "all-clients", scope="pair-failures" if endpoint == PAIR_ENDPOINT else "token-failures",
            failed=lambda response: response.status_code >= 400)
        app.view_functions[endpoint] = failures(per_client(view))
    # Work the server does for a caller: fetching a shared link (traffic to a third party's site)
    # and reading a screenshot (a second of CPU). Limited per bearer token, every attempt counting.
    for endpoint, setting, default in ((FETCH_ENDPOINT, "FETCH_RATE_LIMIT", "30 per minute"),
                                       (SCREENSHOT_ENDPOINT, "SCREENSHOT_RATE_LIMIT", "60 per minute")):
        view = app.view_functions.get(endpoint)
        if view is not None:
            per_token = limiter.limit(lambda s=setting, d=default: app.config.get(s) or d, key_func=_token_key,
                                      scope=endpoint)
            app.view_functions[endpoint] = per_token(view)
    app.extensions["kadun"].extra["limiter"] = limiter
    return limiter


# How long an attempt may hold its place among those being checked (a killed worker's place frees
# itself after this).
IN_FLIGHT_SECONDS = 300
# Take a place among the attempts in flight (one key: cluster-safe) and say how many hold one now,
# this one included; places older than IN_FLIGHT_SECONDS are dropped first.
_TAKE_PLACE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return redis.call('ZCARD', KEYS[1])
"""


def failure_limit(app: Flask, limiter: Limiter, limit_value, *, key_func, scope: str, failed):
    """A limit on failed attempts (wrong passwords, wrong codes) that holds against attempts sent at
    once. flask-limiter's ``deduct_when`` tests the count before the attempt and adds to it after
    the answer: every attempt sent together passed the test before any failure was counted (24
    wrong passwords at once were 24 guesses under a lockout of 5). Here an attempt first takes a
    place among those being checked (its rank in a sorted set); with as many ahead of it as
    failures remain it is refused (429) before any work, and it frees its place only after its
    failure is counted.

    ``limit_value()`` is a limits string ("5 per 15 minutes; 20 per day"), ``key_func()`` what is
    counted (a username's digest, an account, the whole service), ``failed(response)`` whether the
    answer counts."""
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not limiter.enabled:
                return view(*args, **kwargs)
            items = parse_many(limit_value())
            key = key_func()
            strategy = limiter.limiter
            ids = (keys.limits_prefix(), scope, key)
            r = app.extensions["kadun"].redis
            # The attempts in flight: a sorted set of one member per attempt, scored by when it
            # began, so the place of a worker killed mid-attempt frees itself after
            # IN_FLIGHT_SECONDS even while others keep coming. Taking a place and counting those
            # already there is one atomic step, and the failures are read after it: every earlier
            # attempt is then either still in flight (counted here) or has freed its place, which
            # it does only after its failure is counted (so the count read next holds it). Read
            # the other way round (failures, then place and rank by the callers' clocks), an
            # attempt that finished in between was in neither, and 24 guesses at once checked 6-8
            # passwords under a lockout of 5.
            place = f"{keys.limits_prefix()}:in-flight:{scope}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"
            mine, now = secrets.token_hex(8), time.time()
            ahead = int(r.eval(_TAKE_PLACE, 1, place, mine, now, now - IN_FLIGHT_SECONDS, IN_FLIGHT_SECONDS)) - 1
            stats = [strategy.get_window_stats(item, *ids) for item in items]
            left = min((s.remaining for s in stats), default=0)
            freed = []

            def free() -> None:
                if not freed:
                    freed.append(True)
                    r.zrem(place, mine)

            if ahead >= left:
                free()
                exhausted = [s.reset_time for s in stats if s.remaining <= 0]
                wait = max(exhausted) - time.time() if exhausted else 1  # else: only the ones in flight
                raise TooManyRequests(retry_after=max(1, int(wait + 0.999)))

            @after_this_request
            def count(response):
                try:
                    if failed(response):
                        for item in items:
                            strategy.hit(item, *ids)
                finally:
                    free()
                return response

            return view(*args, **kwargs)
        return wrapper
    return decorate


def _token_key() -> str:
    """The caller's bearer token as a digest (the limit applies before the token is checked)."""
    import hashlib

    token = request.headers.get("Authorization", "").partition(" ")[2].strip()
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()[:32] if token else client_address()


def _enabled(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off", "")
    return bool(value)
