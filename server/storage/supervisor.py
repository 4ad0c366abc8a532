"""Keeping the embedded redis-server alive: ``kadun serve`` restarts it when it dies.

A killed or crashed redis-server would leave the backend answering 503 until someone restarted
``kadun serve`` by hand, while the extension's queue waits and the browser may be closed. The
supervisor is asked often (by the gunicorn master, every second and whenever a child exits) and
restarts the server on the same data directory and config. The append-only file is fsynced
before every acknowledgement, so the new server has every acknowledged capture.

A server that keeps dying is restarted with backoff (0.5 s, 1 s, 2 s … up to 30 s between
attempts), and the count starts again once it has stayed up for a minute. Each death and each
restart is logged.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable

from ..errors import StorageUnavailable
from .redis import EmbeddedRedis

FIRST_DELAY = 0.5
MAX_DELAY = 30.0
STABLE_AFTER = 60.0


def backoff(failures: int) -> float:
    """Seconds to wait before the next start after ``failures`` deaths in a row (0 for the first)."""
    if failures <= 1:
        return 0.0
    return min(MAX_DELAY, FIRST_DELAY * 2 ** (failures - 2))


class RedisSupervisor:
    """Restarts the embedded redis-server of one data directory when it is no longer running."""

    def __init__(self, server: EmbeddedRedis, log=None, clock: Callable[[], float] = time.monotonic):
        self.server = server
        self.log = log or logging.getLogger("kadun.redis")
        self.clock = clock
        self.failures = 0  # deaths since the server last stayed up for STABLE_AFTER seconds
        self.restarts = 0
        self.up_since = clock()
        self.next_attempt = 0.0
        self.down_since: float | None = None

    def check(self) -> bool:
        """Restart the server if it died (and its backoff has passed); whether it is running."""
        now = self.clock()
        if self.down_since is None and self.server.running():
            if self.failures and now - self.up_since >= STABLE_AFTER:
                self.failures = 0
            return True
        if self.down_since is None:
            self.down_since = now
            self.failures += 1
            self.next_attempt = now + backoff(self.failures)
            self.log.warning("embedded redis-server of %s is gone; restarting it%s", self.server.data_dir,
                             f" in {self.next_attempt - now:.1f} s" if self.next_attempt > now else "")
        if now < self.next_attempt:
            return False
        return self._restart(now)

    def _restart(self, now: float) -> bool:
        try:
            self.server.start()
        except (StorageUnavailable, OSError) as error:
            self.failures += 1
            delay = backoff(self.failures)
            self.next_attempt = self.clock() + delay
            self.log.error("embedded redis-server of %s did not start (%s); next attempt in %.1f s",
                           self.server.data_dir, error, delay)
            return False
        self.restarts += 1
        self.up_since = self.clock()
        self.log.warning("embedded redis-server of %s restarted (pid %s) %.1f s after it went away",
                         self.server.data_dir, self.server.pid(), self.up_since - (self.down_since or now))
        self.down_since = None
        return True
