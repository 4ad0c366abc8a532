"""The backend's caches, each with a size limit, and how often they answer (for /metrics).

A cache that a worker keeps in memory earns its place by its hit rate, and a worker that runs for
months must not grow with it: every in-process cache has a limit, and each registers here so that
``/metrics`` shows its hits, misses, limit and current entries. Hits and misses are added to the
shared metrics hash by each worker (so they add up across workers); entries are the answering
process's own. The facts reuse (a repeat capture of the same bytes at the same URL skips parsing)
lives in Redis with the captures it belongs to, so it has no limit here, only its hit rate.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field


class Tally:
    """Hits and misses of a cache that counts its own answers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def hit(self) -> None:
        with self._lock:
            self.hits += 1

    def miss(self) -> None:
        with self._lock:
            self.misses += 1

    def totals(self) -> tuple[int, int]:
        return self.hits, self.misses


@dataclass
class Cache:
    """One registered cache: its limit (None: kept elsewhere, unbounded here), how many entries it
    holds now, and its running (hits, misses)."""

    name: str
    description: str
    limit: int | None
    entries: Callable[[], int] | None
    totals: Callable[[], tuple[int, int]]
    reported: tuple[int, int] = field(default=(0, 0))


_LOCK = threading.Lock()
REGISTRY: dict[str, Cache] = {}


def register(name: str, description: str, *, limit: int | None, entries: Callable[[], int] | None,
             totals: Callable[[], tuple[int, int]]) -> Cache:
    """Add (or replace) the cache called ``name``."""
    cache = Cache(name, description, limit, entries, totals)
    with _LOCK:
        REGISTRY[name] = cache
    return cache


class Lru:
    """A least-recently-used map of at most ``limit`` entries that counts its hits and misses,
    registered as ``name`` (for values a worker can rebuild: what it drops is only work again)."""

    def __init__(self, name: str, description: str, limit: int):
        self.limit = limit
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._tally = Tally()
        register(name, description, limit=limit, entries=lambda: len(self._entries), totals=self._tally.totals)

    def get(self, key: Hashable, build: Callable[[], object]) -> object:
        """The value of ``key``, built (outside the lock) and kept when it is not here (a build that
        gives None keeps nothing: the thing was not there to read)."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self._tally.hit()
                return self._entries[key]
        self._tally.miss()
        value = build()
        if value is not None:
            self.put(key, value)
        return value

    def put(self, key: Hashable, value: object) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.limit:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def register_lru(name: str, description: str, function) -> Cache:
    """Register a ``functools.lru_cache``-wrapped ``function`` (its own limit and counts)."""
    def totals() -> tuple[int, int]:
        info = function.cache_info()
        return info.hits, info.misses

    return register(name, description, limit=function.cache_info().maxsize,
                    entries=lambda: function.cache_info().currsize, totals=totals)


def deltas() -> dict[str, tuple[int, int]]:
    """name → (hits, misses) since the last call in this process (what to add to the shared hash)."""
    out = {}
    with _LOCK:
        for cache in REGISTRY.values():
            hits, misses = cache.totals()
            seen_hits, seen_misses = cache.reported
            if hits != seen_hits or misses != seen_misses:
                out[cache.name] = (max(0, hits - seen_hits), max(0, misses - seen_misses))
                cache.reported = (hits, misses)
    return out


def snapshot() -> list[Cache]:
    with _LOCK:
        return list(REGISTRY.values())
