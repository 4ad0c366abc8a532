"""GET /metrics: Prometheus text format, counted in Redis so every worker and app server agrees.

gunicorn runs several worker processes (and production several app servers); counters kept in one
process would each tell part of the story, so the figures live in one Redis hash. Writing that
hash on every request would cost an fsync per request under ``appendfsync always`` (the setting
that makes captures durable), so each process adds its figures to a small in-memory buffer and
flushes it in one pipelined round trip at most once a second, when it answers /metrics, and at
exit. A scrape may therefore lag other workers by up to a second. Counting never fails a request.
"""
from __future__ import annotations

import atexit
import hmac
import logging
import threading
import time
import weakref

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily

from .. import caches
from ..errors import Forbidden, Unauthorized
from ..storage import keys
from .access import loopback_request

bp = Blueprint("metrics", __name__)
log = logging.getLogger("kadun.metrics")

# Seconds; a capture with parsing is usually 10-100 ms, a screenshot upload can take longer.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
CAPTURE_ENDPOINT = "snapshots.create_snapshot"
_SEP = "|"


def _key() -> str:
    return keys.metrics("http")


def _bucket_for(seconds: float) -> str:
    for bound in BUCKETS:
        if seconds <= bound:
            return repr(bound)
    return "+Inf"


FLUSH_SECONDS = 1.0


class _Buffer:
    """This process's figures not yet added to the shared hash."""

    def __init__(self, r):
        self.lock = threading.Lock()
        self.ints: dict[str, int] = {}
        self.floats: dict[str, float] = {}
        self.last_flush = time.monotonic()
        self.redis = r
        self.flusher: threading.Thread | None = None
        self.closed = threading.Event()
        _BUFFERS.add(self)

    def _ensure_flusher(self) -> None:
        # Started on first use, so it lives in the worker process, not in a pre-fork master;
        # it flushes figures of a worker that goes idle.
        if self.flusher is None or not self.flusher.is_alive():
            self.flusher = threading.Thread(target=self._flush_forever, name="kadun-metrics", daemon=True)
            self.flusher.start()

    def _flush_forever(self) -> None:
        while not self.closed.wait(FLUSH_SECONDS):
            self.flush(quiet=True)

    def close(self) -> None:
        """Flush what is pending and stop the flusher (app shutdown; tests between databases)."""
        self.closed.set()
        self.flush(quiet=True)

    def add(self, ints: dict[str, int], floats: dict[str, float]) -> None:
        with self.lock:
            if not self.closed.is_set():
                self._ensure_flusher()
            for field, value in ints.items():
                self.ints[field] = self.ints.get(field, 0) + value
            for field, value in floats.items():
                self.floats[field] = self.floats.get(field, 0.0) + value
            due = time.monotonic() - self.last_flush >= FLUSH_SECONDS
        if due:
            self.flush()

    def flush(self, quiet: bool = False) -> None:
        cache_counts = caches.deltas()
        with self.lock:
            for name, (hits, misses) in cache_counts.items():
                for kind, count in (("hit", hits), ("miss", misses)):
                    if count:
                        field = f"cache{_SEP}{name}{_SEP}{kind}"
                        self.ints[field] = self.ints.get(field, 0) + count
            ints, floats, r = self.ints, self.floats, self.redis
            self.ints, self.floats, self.last_flush = {}, {}, time.monotonic()
        if r is None or not (ints or floats):
            return
        try:
            pipe = r.pipeline(transaction=False)
            key = _key()
            for field, value in ints.items():
                pipe.hincrby(key, field, value)
            for field, value in floats.items():
                pipe.hincrbyfloat(key, field, value)
            pipe.execute()
        except Exception:  # storage away: keep the figures for the next flush
            if not quiet:
                log.warning("metrics not flushed", exc_info=True)
            with self.lock:
                for field, value in ints.items():
                    self.ints[field] = self.ints.get(field, 0) + value
                for field, value in floats.items():
                    self.floats[field] = self.floats.get(field, 0.0) + value


_BUFFERS: weakref.WeakSet = weakref.WeakSet()


def close_all_buffers() -> None:
    """Flush and stop every buffer of this process (before a test wipes the database)."""
    for buffer in list(_BUFFERS):
        buffer.close()


def _buffer_of(app: Flask) -> _Buffer:
    return app.extensions["kadun"].extra["metrics"]


# The methods counted under their own name. Any other is "OTHER": a client chooses the method, and
# each new name would be new fields in the shared hash for ever (storage filled from outside).
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def method_label(method: str) -> str:
    return method if method in _METHODS else "OTHER"


def record(buffer: _Buffer, endpoint: str, method: str, status: int, seconds: float, error: str | None,
           stored_bytes: int | None) -> None:
    """Count one request (buffered; see the module docstring)."""
    ep = f"{endpoint}{_SEP}{method}"
    ints = {f"bucket{_SEP}{ep}{_SEP}{_bucket_for(seconds)}": 1, f"status{_SEP}{ep}{_SEP}{status}": 1}
    if status >= 400:
        ints[f"error{_SEP}{status}{_SEP}{error or 'error'}"] = 1
    if stored_bytes is not None:
        ints["captures_stored"] = 1
        ints["capture_bytes_stored"] = stored_bytes
    buffer.add(ints, {f"sum{_SEP}{ep}": seconds})


def init_metrics(app: Flask) -> None:
    """Count every request of ``app`` once its answer is made."""
    buffer = _Buffer(app.extensions["kadun"].redis)
    app.extensions["kadun"].extra["metrics"] = buffer
    atexit.register(buffer.close)

    @app.after_request
    def _count(response):
        endpoint = request.endpoint or "unmatched"
        if endpoint == "metrics.metrics":
            return response
        seconds = getattr(g, "request_seconds", None)
        if seconds is None:
            return response
        error = None
        if response.status_code >= 400 and response.is_json:
            body = response.get_json(silent=True)
            error = body.get("error") if isinstance(body, dict) else None
        try:
            stored = g.get("stored_bytes") if endpoint == CAPTURE_ENDPOINT and response.status_code == 201 else None
            record(buffer, endpoint, method_label(request.method), response.status_code, seconds, error, stored)
        except Exception:  # counting must never cost a capture (the answer is already made)
            log.warning("metrics not recorded", exc_info=True)
        return response


class _RedisCollector:
    def __init__(self, raw: dict[bytes, bytes]):
        self.raw = {k.decode(): v.decode() for k, v in raw.items()}

    def collect(self):
        captures = CounterMetricFamily("kadun_captures_stored", "Captures stored (new, not repeats)")
        captures.add_metric([], float(self.raw.get("captures_stored", 0)))
        yield captures
        size = CounterMetricFamily("kadun_capture_bytes_stored", "Bytes of html and screenshots received in new captures")
        size.add_metric([], float(self.raw.get("capture_bytes_stored", 0)))
        yield size
        requests = CounterMetricFamily("kadun_http_requests", "HTTP requests by route and status",
                                       labels=["endpoint", "method", "status"])
        errors = CounterMetricFamily("kadun_http_errors", "Error answers by status and error code",
                                     labels=["status", "code"])
        buckets: dict[tuple[str, str], dict[str, float]] = {}
        sums: dict[tuple[str, str], float] = {}
        cache_counts: dict[str, dict[str, float]] = {}
        for field, value in sorted(self.raw.items()):
            parts = field.split(_SEP)
            if parts[0] == "cache" and len(parts) == 3:
                cache_counts.setdefault(parts[1], {})[parts[2]] = float(value)
            elif parts[0] == "status" and len(parts) == 4:
                requests.add_metric(parts[1:4], float(value))
            elif parts[0] == "error" and len(parts) == 3:
                errors.add_metric(parts[1:3], float(value))
            elif parts[0] == "bucket" and len(parts) == 4:
                buckets.setdefault((parts[1], parts[2]), {})[parts[3]] = float(value)
            elif parts[0] == "sum" and len(parts) == 3:
                sums[(parts[1], parts[2])] = float(value)
        yield requests
        yield errors
        latency = HistogramMetricFamily("kadun_http_request_duration_seconds",
                                        "Time to answer a request, by route", labels=["endpoint", "method"])
        for labels, counts in sorted(buckets.items()):
            cumulative, rows = 0.0, []
            for bound in (*map(repr, BUCKETS), "+Inf"):
                cumulative += counts.get(bound, 0.0)
                rows.append((bound, cumulative))
            latency.add_metric(list(labels), rows, sum_value=sums.get(labels, 0.0))
        yield latency
        yield from _cache_metrics(cache_counts)


def _cache_metrics(counts: dict[str, dict[str, float]]):
    """Each registered cache's hits and misses (all workers), its limit and the entries it holds in
    the process that answers, and the hit rate so far."""
    registered = {cache.name: cache for cache in caches.snapshot()}
    hits = CounterMetricFamily("kadun_cache_hits", "Answers a cache had (all workers)", labels=["cache"])
    misses = CounterMetricFamily("kadun_cache_misses", "Answers a cache did not have (all workers)", labels=["cache"])
    rate = GaugeMetricFamily("kadun_cache_hit_ratio", "Hits over hits and misses so far (all workers)",
                             labels=["cache"])
    limit = GaugeMetricFamily("kadun_cache_limit", "Most entries a cache keeps per process", labels=["cache"])
    entries = GaugeMetricFamily("kadun_cache_entries", "Entries a cache holds in the answering process",
                                labels=["cache"])
    for name in sorted(set(registered) | set(counts)):
        got = counts.get(name, {})
        hit, miss = got.get("hit", 0.0), got.get("miss", 0.0)
        hits.add_metric([name], hit)
        misses.add_metric([name], miss)
        if hit + miss:
            rate.add_metric([name], hit / (hit + miss))
        cache = registered.get(name)
        if cache is not None and cache.limit is not None:
            limit.add_metric([name], float(cache.limit))
        if cache is not None and cache.entries is not None:
            entries.add_metric([name], float(cache.entries()))
    yield from (hits, misses, rate, limit, entries)


def render(r, buffer: _Buffer | None = None) -> bytes:
    if buffer is not None:
        buffer.flush()
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_RedisCollector(r.hgetall(_key())))
    return generate_latest(registry)


@bp.get("/metrics")
def metrics():
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode("utf-8", "replace"),
                                                                 str(token).encode("utf-8")):
            raise Unauthorized("metrics need the METRICS_TOKEN bearer token")
    elif not loopback_request():
        # No token configured: served on loopback only (peer address and Host both loopback).
        raise Forbidden("metrics are served only on loopback unless KADUN_METRICS_TOKEN is set")
    body = render(current_app.extensions["kadun"].redis, _buffer_of(current_app))
    return Response(body, headers={"Cache-Control": "no-store"},
                    content_type="text/plain; version=0.0.4; charset=utf-8")


OPENAPI = {
    "/metrics": {"get": {
        "summary": "Prometheus metrics: captures and bytes stored, latency histograms, errors by code, "
                   "each cache's hits, misses, hit ratio, limit and entries",
        "security": [],
        "responses": {
            "200": {"description": "Prometheus text exposition format", "content": {
                "text/plain": {"schema": {"type": "string"}}}},
            "401": {"$ref": "#/components/responses/Error"},
            "403": {"$ref": "#/components/responses/Error"}}}},
}
