"""Rate limits (flask-limiter) kept in the same Redis as the evidence.

Pairing is the one route a stranger can call with a guess, so it is limited twice: per client
address (``PAIR_RATE_LIMIT``, every attempt counts) and for the whole service
(``PAIR_RATE_LIMIT_GLOBAL``, only failed attempts count), so neither one address nor many can
walk the 31^8 code space within a code's 10-minute life. The counters live in Redis, so every
gunicorn worker and every app server behind the proxy shares them. A breach answers 429 in the
contract's error shape (api/errors.py maps werkzeug's 429) with a ``Retry-After`` header.
"""
from __future__ import annotations

from flask import Flask, request
from flask_limiter import Limiter
from werkzeug.middleware.proxy_fix import ProxyFix

from .storage import keys

PAIR_ENDPOINT = "pairing.pair"
# The hosted sign-in's code-for-token exchange is limited the same way (its own counters).
TOKEN_ENDPOINTS = (PAIR_ENDPOINT, "account_api.token")
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
        failures = limiter.limit(
            lambda: app.config.get("PAIR_RATE_LIMIT_GLOBAL") or DEFAULT_GLOBAL_PAIR_LIMIT,
            key_func=lambda: "all-clients", scope="pair-failures" if endpoint == PAIR_ENDPOINT else "token-failures",
            deduct_when=lambda response: response.status_code >= 400)
        app.view_functions[endpoint] = failures(per_client(view))
    app.extensions["kadun"].extra["limiter"] = limiter
    return limiter


def _enabled(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off", "")
    return bool(value)
