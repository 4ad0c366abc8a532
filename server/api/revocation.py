"""Taking access away at once: deleted accounts (and whatever else bumps the auth epoch).

- Every worker caches tokens for a few seconds (common.TokenCache). An erasure in this process
  empties that cache at once; in the other processes, the cache notices within
  ``AUTH_EPOCH_POLL_SECONDS`` that ``keys.auth_epoch`` moved and empties itself too.
- A write (any method but GET/HEAD/OPTIONS) is refused with 401 when its user is no longer in the
  users set, whatever the cache says; and after a write, if the user was deleted while it ran,
  what it wrote is erased again (storage.erasure.purge_if_gone), so a request racing a deletion
  cannot bring any of the user's data back.
"""
from __future__ import annotations

import logging
import threading
import time

from flask import Flask, g, request

from ..errors import Unauthorized
from ..storage import erasure, keys

log = logging.getLogger("kadun.revocation")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_NEVER = object()


class AuthEpoch:
    """Whether cached tokens must be forgotten: this process erased someone, or the service-wide
    epoch moved (checked at most every ``poll`` seconds, one GET shared by all threads)."""

    def __init__(self, poll: float):
        self.poll = poll
        self.lock = threading.Lock()
        self.checked_at = 0.0
        self.value: object = _NEVER
        self.local = erasure.LOCAL_ERASURES[0]

    def moved(self, r) -> bool:
        if erasure.LOCAL_ERASURES[0] != self.local:
            self.local = erasure.LOCAL_ERASURES[0]
            return True
        now = time.monotonic()
        if now - self.checked_at < self.poll:
            return False
        with self.lock:
            if now - self.checked_at < self.poll:
                return False
            self.checked_at = now
            value = r.get(keys.auth_epoch())
            moved = self.value is not _NEVER and value != self.value
            self.value = value
            return moved


def check_write(r, user: str) -> None:
    """Before a write: 401 for a user who was deleted (a token still cached somewhere)."""
    if request.method in SAFE_METHODS:
        return
    if not erasure.user_exists(r, user):
        raise Unauthorized("this account has been deleted")
    g.user_existed = True


def init_revocation(app: Flask) -> None:
    @app.after_request
    def _purge_after_write(response):
        user = getattr(g, "user", None)
        if user and getattr(g, "user_existed", False) and request.method not in SAFE_METHODS:
            try:
                if erasure.purge_if_gone(app.extensions["kadun"].redis, user):
                    log.warning("a write raced an account deletion; what it left was erased")
            except Exception:  # the deletion itself ran; the next one (or this check) repeats it
                log.exception("purge after a write racing a deletion failed")
        return response
