"""The browser-extension origins this backend was paired from (``chrome-extension://<id>``,
``moz-extension://<uuid>``): CORS admits these, and the authenticated routes answer only them
(see ``server/api/access.py``). One hash, service-wide, so every worker and app server agrees."""
from __future__ import annotations

import time

from . import keys


def pin(r, origin: str) -> None:
    """Remember ``origin`` (idempotent: the first pinning time is kept)."""
    r.hsetnx(keys.extension_origins(), origin, f"{time.time():.3f}")


def is_pinned(r, origin: str) -> bool:
    return bool(r.hexists(keys.extension_origins(), origin))


def any_pinned(r) -> bool:
    return bool(r.hlen(keys.extension_origins()))


def pinned(r) -> dict[str, float]:
    """Every pinned origin → the Unix time it was first paired from."""
    return {k.decode(): float(v) for k, v in r.hgetall(keys.extension_origins()).items()}
