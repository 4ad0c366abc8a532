"""GET /metrics: Prometheus text format, counted in Redis so every worker and app server agrees.

gunicorn runs several worker processes (and production several app servers); counters kept in one
process would each tell part of the story. Each request adds its figures to one Redis hash with a
single pipelined round trip once its answer is made (after the capture is stored), and a scrape
reads that hash and renders it through prometheus-client's exposition code. A failure to count
never fails a request.
"""
from __future__ import annotations

import logging

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily

from ..errors import Unauthorized
from ..storage import captures, keys

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


def _stored_bytes(r, response) -> int:
    """Bytes of html and screenshot of the capture just stored, as its metadata records them."""
    body = response.get_json(silent=True) or {}
    user = getattr(g, "user", None)
    capture = captures.get(r, user, str(body.get("id"))) if user and body.get("id") else None
    if capture is None:
        return 0
    return int(capture.html_size or 0) + int(capture.screenshot_size or 0)


def record(r, endpoint: str, method: str, status: int, seconds: float, error: str | None,
           stored_bytes: int | None) -> None:
    """Add one request's figures to the shared hash (one round trip)."""
    ep = f"{endpoint}{_SEP}{method}"
    pipe = r.pipeline(transaction=False)
    key = _key()
    pipe.hincrby(key, f"bucket{_SEP}{ep}{_SEP}{_bucket_for(seconds)}", 1)
    pipe.hincrbyfloat(key, f"sum{_SEP}{ep}", seconds)
    pipe.hincrby(key, f"status{_SEP}{ep}{_SEP}{status}", 1)
    if status >= 400:
        pipe.hincrby(key, f"error{_SEP}{status}{_SEP}{error or 'error'}", 1)
    if stored_bytes is not None:
        pipe.hincrby(key, "captures_stored", 1)
        pipe.hincrby(key, "capture_bytes_stored", stored_bytes)
    pipe.execute()


def init_metrics(app: Flask) -> None:
    """Count every request of ``app`` once its answer is made."""

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
        r = app.extensions["kadun"].redis
        try:
            stored = _stored_bytes(r, response) if endpoint == CAPTURE_ENDPOINT and response.status_code == 201 else None
            record(r, endpoint, request.method, response.status_code, seconds, error, stored)
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
        for field, value in sorted(self.raw.items()):
            parts = field.split(_SEP)
            if parts[0] == "status" and len(parts) == 4:
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


def render(r) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_RedisCollector(r.hgetall(_key())))
    return generate_latest(registry)


@bp.get("/metrics")
def metrics():
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or given.strip() != token:
            raise Unauthorized("metrics need the METRICS_TOKEN bearer token")
    body = render(current_app.extensions["kadun"].redis)
    return Response(body, headers={"Cache-Control": "no-store"},
                    content_type="text/plain; version=0.0.4; charset=utf-8")


OPENAPI = {
    "/metrics": {"get": {
        "summary": "Prometheus metrics: captures and bytes stored, latency histograms, errors by code",
        "security": [],
        "responses": {
            "200": {"description": "Prometheus text exposition format", "content": {
                "text/plain": {"schema": {"type": "string"}}}},
            "401": {"$ref": "#/components/responses/Error"}}}},
}
