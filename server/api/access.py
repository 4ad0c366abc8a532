"""Who may talk to the backend from a browser: the Host check, the Origin gate and CORS.

Checked before routing, in this order, each answering the contract's JSON error:

1. **Host** (DNS rebinding). The backend answers the loopback names ``localhost``, ``127.0.0.1``
   and ``[::1]`` on the port it listens on, plus the names in ``ALLOWED_HOSTS``
   (``KADUN_ALLOWED_HOSTS``: ``kadun.example.org``, ``.example.org`` for its subdomains, an
   optional ``:port`` to admit that port only; ``*`` turns the check off). A loopback name with
   another port (a container published on another host port) must be listed there too. Anything else gets 400 before routing, so a
   page on ``attacker.example`` that re-resolves to 127.0.0.1 reads nothing.
2. **Origin.** A request may come with no Origin (the CLI, curl, a proxy's health check), the
   backend's own origin, an origin in ``CORS_ORIGINS``, or a browser extension's
   (``chrome-extension://<32 letters a-p>``, ``moz-extension://<uuid>``; never an empty id).
   Any other Origin gets 403, so a web page cannot spend anyone's pairing budget.
   An extension reaches the public routes (pairing, keys, health, the spec) from any id, since
   before its first pairing its id is not known yet; the routes that hold data answer only the
   ids it was paired from (pinned at ``POST /v1/pair``, ``server/storage/origins.py``) or listed
   in ``EXTENSION_IDS`` (``KADUN_EXTENSION_IDS``). A backend with no id pinned or configured
   (its data paired before pinning existed) admits any extension id and pins the first one that
   presents a valid token.
3. **Pairing** takes ``application/json`` only (a web page's "simple" ``text/plain`` post is
   refused before it is counted against the per-address budget).

CORS headers themselves come from flask-cors, for the admitted origins only: methods GET, POST,
DELETE, OPTIONS; request headers Authorization, Content-Type, X-Request-ID; exposed Retry-After
and X-Request-ID; no credentials, never ``*``.
"""
from __future__ import annotations

import re
import threading
import time
from urllib.parse import urlsplit

from flask import Flask, current_app, g, request
from flask_cors import CORS
from werkzeug.sansio.utils import host_is_trusted

from ..config import as_list
from ..errors import BadRequest, Forbidden
from ..storage import origins as origin_store
from .common import redis_client

CHROME_ORIGIN = re.compile(r"chrome-extension://[a-p]{32}\Z")
MOZ_ORIGIN = re.compile(r"moz-extension://[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
LOOPBACK_ADDRESSES = re.compile(r"127(?:\.\d{1,3}){3}|::1|::ffff:127(?:\.\d{1,3}){3}")
# Routes anyone may call (no token): an extension reaches them before it is paired.
PUBLIC_ENDPOINTS = frozenset({"pairing.pair", "snapshots.get_keys", "health.healthz", "health.readyz",
                              "health.openapi", "metrics.metrics", "account_api.token"})
PAIR_ENDPOINT = "pairing.pair"
# Routes that trade a secret for a token: JSON bodies only (hosted mode adds the sign-in code's).
TOKEN_ENDPOINTS = frozenset({PAIR_ENDPOINT, "account_api.token"})
CORS_METHODS = ["GET", "POST", "DELETE", "OPTIONS"]
CORS_REQUEST_HEADERS = ["Authorization", "Content-Type", "X-Request-ID"]
CORS_EXPOSED_HEADERS = ["Retry-After", "X-Request-ID"]
_HOST = re.compile(r"(?P<name>\[[0-9A-Fa-f:.]+\]|[^\s:\[\]/@]+)(?::(?P<port>[0-9]{1,5}))?")


def is_extension_origin(origin: str) -> bool:
    """A well-formed Chrome/Edge or Firefox extension origin (an id is never empty)."""
    return bool(CHROME_ORIGIN.fullmatch(origin) or MOZ_ORIGIN.fullmatch(origin))


def is_loopback_address(address: str | None) -> bool:
    return bool(address and LOOPBACK_ADDRESSES.fullmatch(address))


def configured_extension_origins(value) -> set[str]:
    """``KADUN_EXTENSION_IDS``: Chrome ids, Firefox UUIDs or whole origins, comma-separated.
    Raises ValueError naming an entry that is none of these (an empty id never passes)."""
    found = set()
    for entry in as_list(value):
        candidates = (entry, f"chrome-extension://{entry}", f"moz-extension://{entry.lower()}")
        origin = next((c for c in candidates if is_extension_origin(c)), None)
        if origin is None:
            raise ValueError(f"KADUN_EXTENSION_IDS: {entry!r} is not a Chrome extension id (32 letters a-p), "
                             "a Firefox extension UUID, nor such an origin")
        found.add(origin)
    return found


def parse_host(host: str) -> tuple[str, int | None] | None:
    """``Host`` → (name without brackets, lower case; port or None), or None if malformed."""
    match = _HOST.fullmatch(host or "")
    if not match:
        return None
    port = int(match.group("port")) if match.group("port") else None
    if port is not None and not 0 < port < 65536:
        return None
    return match.group("name").strip("[]").lower(), port


class _Policy:
    """One app's access rules, read once from its config; pinned origins cached briefly."""

    def __init__(self, app: Flask):
        self.allowed_hosts = as_list(app.config.get("ALLOWED_HOSTS"))
        self.any_host = "*" in self.allowed_hosts
        self.web_origins = {o.rstrip("/") for o in as_list(app.config.get("CORS_ORIGINS"))}
        self.extension_ids = configured_extension_origins(app.config.get("EXTENSION_IDS"))
        self.cache_seconds = float(app.config.get("TOKEN_CACHE_SECONDS") or 0)
        self.lock = threading.Lock()
        self.known: dict[str, float] = {}  # origin → until when it is known to be pinned
        self.anything_pinned_until = 0.0

    # Host ------------------------------------------------------------------------------------
    def host_allowed(self) -> bool:
        if self.any_host:
            return True
        parsed = parse_host(request.host)
        if parsed is None:
            return False
        name, port = parsed
        if name in LOOPBACK_NAMES:
            served = request.environ.get("SERVER_PORT") or ""
            if port is None or not served.isdigit() or int(served) == port:
                return True
        for entry in self.allowed_hosts:
            wanted = parse_host(entry.lstrip("."))
            if wanted is None or (wanted[1] is not None and wanted[1] != port):
                continue
            if name == wanted[0] and not entry.startswith("."):
                return True
            if host_is_trusted(name, ["." + wanted[0] if entry.startswith(".") else wanted[0]]):
                return True
        return False

    # Origins ---------------------------------------------------------------------------------
    def own_origin(self, origin: str) -> bool:
        try:
            parts = urlsplit(origin)
        except ValueError:
            return False
        return parts.scheme in ("http", "https") and bool(parts.netloc) and \
            parts.netloc.lower() == request.host.lower()

    def extension_admitted(self, r, origin: str) -> tuple[bool, bool]:
        """(admitted, pin it if the request authenticates) for an extension origin."""
        if origin in self.extension_ids:
            return True, False
        now = time.monotonic()
        if self.known.get(origin, 0) > now:
            return True, False
        if origin_store.is_pinned(r, origin):
            with self.lock:
                self.known[origin] = now + self.cache_seconds
            return True, False
        if self.extension_ids:
            return False, False
        if self.anything_pinned_until > now:
            return False, False
        if origin_store.any_pinned(r):
            self.anything_pinned_until = now + self.cache_seconds
            return False, False
        return True, True  # nothing pinned yet: a backend paired before pinning existed


def _policy() -> _Policy:
    return current_app.extensions["kadun"].extra["access"]


def _check() -> None:
    """The before-request gate (see the module docstring)."""
    policy = _policy()
    if not policy.host_allowed():
        raise BadRequest(f"this backend does not answer for host {request.host!r}: use http://127.0.0.1 "
                         "or a name listed in KADUN_ALLOWED_HOSTS", field="Host")
    origin = request.headers.get("Origin", "").strip()
    if origin:
        g.cors_origin = origin
        if is_extension_origin(origin):
            if request.endpoint not in PUBLIC_ENDPOINTS:
                admitted, pin_on_use = policy.extension_admitted(redis_client(), origin)
                if not admitted:
                    g.cors_refused = True
                    raise Forbidden(f"extension {origin} is not paired with this backend: pair it in its options "
                                    "page, or list its id in KADUN_EXTENSION_IDS", field="Origin")
                g.pin_origin_on_use = pin_on_use
        elif origin.rstrip("/") not in policy.web_origins and not policy.own_origin(origin):
            g.cors_refused = True
            raise Forbidden(f"requests from {origin} are not accepted: only the KaDun extension, this backend's "
                            "own pages and command-line clients may call it", field="Origin")
    if request.endpoint in TOKEN_ENDPOINTS and request.method == "POST" and request.mimetype != "application/json":
        raise BadRequest(f"POST {request.path} takes a JSON body (Content-Type: application/json)",
                         field="Content-Type")


def init_access(app: Flask) -> None:
    """Install the gate and flask-cors on ``app`` (after the blueprints, before the rate limits)."""
    policy = _Policy(app)
    app.extensions["kadun"].extra["access"] = policy

    @app.before_request
    def _gate():
        _check()

    @app.after_request
    def _after(response):
        # Registered before CORS(app), so it runs after flask-cors's hook (after_request hooks run
        # last-registered first): a refused origin never gets Access-Control-* headers.
        if g.get("cors_refused"):
            for header in [h for h in response.headers.keys() if h.lower().startswith("access-control-")]:
                del response.headers[header]
        elif g.get("pin_origin_on_use") and g.get("user") and response.status_code < 400:
            try:
                origin_store.pin(redis_client(), g.cors_origin)
            except Exception:  # pinning later is fine; the answer is already made
                pass
        response.vary.add("Origin")
        return response

    CORS(app, resources={r"/*": {}}, origins=[CHROME_ORIGIN, MOZ_ORIGIN, *sorted(policy.web_origins)],
         methods=CORS_METHODS, allow_headers=CORS_REQUEST_HEADERS, expose_headers=CORS_EXPOSED_HEADERS,
         supports_credentials=False, max_age=600, send_wildcard=False, vary_header=True)


def pin_pairing_origin(r) -> None:
    """After a successful ``POST /v1/pair``: remember the extension origin it came from."""
    origin = request.headers.get("Origin", "").strip()
    if is_extension_origin(origin):
        origin_store.pin(r, origin)
        policy = _policy()
        with policy.lock:
            policy.known[origin] = time.monotonic() + policy.cache_seconds


def loopback_request() -> bool:
    """The caller is on this machine and asked for a loopback name (for /metrics without a token)."""
    parsed = parse_host(request.host)
    return is_loopback_address(request.remote_addr) and parsed is not None and parsed[0] in LOOPBACK_NAMES
