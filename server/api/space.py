"""Writes refused with 507 ``storage_full`` while the embedded Redis's disk has no room for them.

Checked before any view runs (a statvfs, about a microsecond), for every request that carries a
body to store; reads and deletions go through, since they free space or write next to nothing.
With an external Redis (REDIS_URL) its disk is not ours to see: Redis's own refusals (MISCONF,
OOM) become the same 507 in api/errors.py.
"""
from __future__ import annotations

from flask import Flask, request

from ..storage import space

WRITES = frozenset({"POST", "PUT", "PATCH"})


def reserve_of(config) -> int:
    """The configured reserve (bytes), the default when unset or unreadable."""
    try:
        return max(0, int(config.get("DISK_RESERVE_BYTES", space.DEFAULT_RESERVE)))
    except (TypeError, ValueError):
        return space.DEFAULT_RESERVE


def storage_dir(app: Flask):
    """The data directory whose disk the app's Redis writes to: the embedded server's, whether this
    process started it or was handed its socket (``kadun serve``'s workers get KADUN_REDIS_URL);
    None for any other Redis."""
    from pathlib import Path

    from ..storage.redis import EmbeddedRedis

    svc = app.extensions["kadun"]
    if svc.embedded is not None:
        return svc.embedded.data_dir
    url, data_dir = app.config.get("REDIS_URL"), app.config.get("DATA_DIR")
    if app.config.get("REDIS") is not None or not url or not data_dir:
        return None
    embedded = EmbeddedRedis(Path(data_dir))
    return embedded.data_dir if str(url) == embedded.url else None


def init_space(app: Flask) -> None:
    directory = storage_dir(app)
    app.extensions["kadun"].extra["storage_dir"] = directory
    if directory is None:
        return
    reserve = reserve_of(app.config)

    @app.before_request
    def _room_for_the_write():
        if request.method in WRITES:
            space.check_room(directory, request.content_length or 0, reserve)
