"""Defaults for create_app(); overridden by a test dict or KADUN_* environment variables."""
from __future__ import annotations

import os
from pathlib import Path

MIB = 1024 * 1024


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "kadun"


DEFAULTS = {
    # Where the embedded Redis keeps its append-only file and the signing key lives.
    "DATA_DIR": None,
    # redis://…, unix://…, redis+cluster://host:port; None starts the embedded server.
    "REDIS_URL": None,
    # Web origins (besides the extension's) that may call the API from a browser, e.g. a dashboard.
    "CORS_ORIGINS": [],
    # Extension ids (Chrome ids, Firefox UUIDs or their origins) admitted besides the ones the backend
    # was paired from; comma-separated in KADUN_EXTENSION_IDS. See server/api/access.py.
    "EXTENSION_IDS": [],
    # Hosted mode: the extensions that may sign in to an account (KADUN_SIGNIN_EXTENSIONS,
    # comma-separated): Chrome/Edge extension ids (32 letters a-p, the published store ids) and
    # Firefox add-on ids (browser_specific_settings.gecko.id). The sign-in code goes only to these
    # extensions' redirect URLs. None: KaDun's own Firefox add-on id and the Chrome ids in
    # EXTENSION_IDS. See server/accounts/grants.py.
    "SIGNIN_EXTENSIONS": None,
    # Host names the backend answers besides localhost, 127.0.0.1 and [::1] on its own port
    # (DNS rebinding); ".example.org" admits subdomains, "*" turns the check off.
    "ALLOWED_HOSTS": [],
    # "local" (the default): one person on loopback, pairing codes from `kadun serve` / `kadun pair`.
    # "hosted" (KADUN_MODE=hosted): web accounts at /account (sign up, sign in with a password or a
    # passkey, devices, data) and signing in from the extension, behind a TLS reverse proxy (set
    # PROXY_COUNT and ALLOWED_HOSTS). See server/accounts/ and the README's "Hosted mode".
    "MODE": "local",
    # The address people reach this backend at (https://kadun.example.org behind a TLS proxy):
    # passkeys are bound to its host name and phones' pairing QR codes carry it. None: the address
    # the request came in on.
    "PUBLIC_URL": None,
    # Signs the account pages' session cookie and CSRF tokens (KADUN_SECRET_KEY); None: a secret
    # made once and kept in Redis, shared by every worker and app server.
    "SECRET_KEY": None,
    # Hours a sign-in on the account pages lasts (the cookie and its server-side session).
    "ACCOUNT_SESSION_HOURS": 336,
    # Minutes after a sign-in in which the account pages make a pairing code or remove a passkey
    # without asking again; later, they ask for the password (or a passkey check), so a session
    # cookie copied from a browser cannot pair its own device or strip the owner's passkeys.
    "ACCOUNT_REAUTH_MINUTES": 10,
    # Sign-in attempts per client address (every attempt counts), and failed attempts per username,
    # whether or not an account has that name (then it is locked: passkeys still sign in).
    "SIGNIN_RATE_LIMIT": "20 per minute",
    "SIGNIN_LOCKOUT": "5 per 15 minutes; 20 per day",
    # New accounts per client address.
    "SIGNUP_RATE_LIMIT": "5 per hour",
    # Argon2id cost of password hashes (RFC 9106's second recommended profile: 64 MiB, 3 passes).
    "ARGON2_TIME_COST": 3,
    "ARGON2_MEMORY_KIB": 65536,
    "ARGON2_PARALLELISM": 4,
    # html ≤ 8 MiB and screenshot ≤ 8 MiB decoded are checked per field; the whole JSON body
    # (base64 screenshot, escaping) is capped here and refused with 413 before it is read.
    "MAX_HTML_BYTES": 8 * MIB,
    "MAX_SCREENSHOT_BYTES": 8 * MIB,
    "MAX_CONTENT_LENGTH": 24 * MIB,
    "MAX_ATTACHMENT_BYTES": 16 * MIB,
    # Bytes kept free on the embedded Redis's disk: a write (POST/PUT/PATCH) that would leave less is
    # refused with 507 storage_full before anything is stored (server/storage/space.py).
    "DISK_RESERVE_BYTES": 64 * MIB,
    "PAIRING_CODE_TTL": 600,
    "PAIR_RATE_LIMIT": "10 per minute",
    "RATELIMIT_ENABLED": True,
    # Failed pairing attempts allowed service-wide (across all addresses), see server/limits.py.
    "PAIR_RATE_LIMIT_GLOBAL": "120 per minute",
    # Shared links fetched and screenshots uploaded, per bearer token (see server/limits.py).
    "FETCH_RATE_LIMIT": "30 per minute",
    "SCREENSHOT_RATE_LIMIT": "60 per minute",
    # Proxies in front of the app whose X-Forwarded-For hop to trust (0: use the peer address).
    "PROXY_COUNT": 0,
    # Bearer token that /metrics requires when set (None: served only to loopback callers).
    "METRICS_TOKEN": None,
    # Seconds a worker remembers a token it has already resolved (saves a Redis round trip on
    # every request; 0 = always ask Redis).
    "TOKEN_CACHE_SECONDS": 10,
    # How often a worker asks whether an account was deleted elsewhere (then it forgets every
    # cached token): a deleted account's token is refused by every worker within this time, by the
    # deleting one at once, and for any write at once.
    "AUTH_EPOCH_POLL_SECONDS": 0.2,
    # Days a newly paired device's token lasts (KADUN_TOKEN_DAYS); None or 0: until it is revoked
    # (`kadun revoke`, DELETE /v1/devices/<id>, or "unpair" in the extension's options).
    "TOKEN_DAYS": None,
    "JSON_LOGS": False,
    # Read uploaded screenshots (OCR) in a thread of each app process that serves requests.
    "OCR_WORKER": True,
    # Seconds a reader holds an OCR job before another may take it (a reader that died).
    "OCR_LEASE_SECONDS": 120,
    # RFC 3161 time-stamp authorities (KADUN_TSA_URL: one URL or several, comma- or space-separated).
    # Unset: no trusted time; the times in receipts and packs are the server's own.
    "TSA_URL": None,
    # PEM bundle of the TSAs' CA certificates (roots, intermediates) when their tokens do not
    # carry the whole chain; stored with each stamp so packs verify offline.
    "TSA_CA_FILE": None,
    "TSA_TIMEOUT": 10,
    # A user's head is stamped this long after the first new capture (captures in between share
    # the stamp); a new dispute is stamped at once.
    "STAMP_BATCH_SECONDS": 3,
    "STAMP_POLL_SECONDS": 1,
    # Run the stamping thread in this process (tests drive stamping by hand with False).
    "STAMPER": True,
}


def as_list(value) -> list[str]:
    """A list setting as given: a list, or a comma-separated string (from the environment); blank
    entries dropped."""
    if not value:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [str(v).strip() for v in value if str(v).strip()]


def is_hosted(config) -> bool:
    """Whether ``config`` (an app's) runs the hosted service (``MODE``/``KADUN_MODE`` = hosted)."""
    mode = str(config.get("MODE") or "local").strip().lower()
    if mode not in ("local", "hosted"):
        raise ValueError(f"KADUN_MODE must be local or hosted, not {config.get('MODE')!r}")
    return mode == "hosted"
