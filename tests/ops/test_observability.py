"""Operations: request ids in and out, one JSON log line per request, /metrics from Redis."""
from __future__ import annotations

import io
import json
import logging
import time

from prometheus_client.parser import text_string_to_metric_families

from server import create_app
from server.observability import JsonFormatter, RequestIdFilter, configure_json_logging
from tests.conftest import capture_body
from tests.ops.helpers import PNG, PNG_DATA_URL

URL = "https://vip.jisufa-ka.xyz/order.php?orderid=2026112409124563"


def test_request_id_is_kept_or_made_and_sent_back(client):
    given = client.get("/healthz", headers={"X-Request-ID": "ext-7f3a.42"})
    assert given.headers["X-Request-ID"] == "ext-7f3a.42"
    made = client.get("/healthz")
    made_again = client.get("/healthz")
    assert len(made.headers["X-Request-ID"]) == 32
    assert made.headers["X-Request-ID"] != made_again.headers["X-Request-ID"]
    # A hostile id (log injection, oversize) is replaced, never echoed.
    for bad in ("a\r\nX-Evil: 1", "x" * 500, "id with spaces", "{\"json\":1}"):
        response = client.get("/healthz", headers={"X-Request-ID": bad.replace("\r\n", " ")})
        assert response.headers["X-Request-ID"] != bad
        assert len(response.headers["X-Request-ID"]) == 32


def test_one_log_line_per_request_with_its_id(client, auth, caplog):
    caplog.set_level(logging.INFO, logger="kadun.request")
    client.post("/v1/snapshots", json=capture_body("risky-shop-order.html", URL), headers=auth)
    client.post("/v1/snapshots", data="{not json", headers={**auth, "X-Request-ID": "req-bad-1"},
                content_type="application/json")
    client.get("/no/such/route", headers={"X-Request-ID": "req-404"})
    records = [r for r in caplog.records if r.name == "kadun.request"]
    assert len(records) == 3
    stored, bad, missing = records
    assert stored.status == 201 and stored.endpoint == "snapshots.create_snapshot" and stored.user
    assert stored.duration_ms > 0 and len(stored.request_id) == 32
    assert (bad.status, bad.error, bad.request_id) == (400, "bad_request", "req-bad-1")
    assert (missing.status, missing.error, missing.request_id) == (404, "not_found", "req-404")


def test_json_formatter_writes_one_parseable_line():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("kadun.test-json")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        logger.info("stored %s", "snp_1", extra={"request_id": "r1", "status": 201, "user": "usr_x"})
        try:
            raise ValueError("boom\nsecond line")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["msg"] == "stored snp_1" and first["request_id"] == "r1" and first["status"] == 201
    assert first["level"] == "info" and first["ts"].endswith("+00:00")
    assert "boom" in second["exc"] and second["level"] == "error"


def test_json_logs_config_sends_request_lines_as_json(redis_client, data_dir):
    stream = io.StringIO()
    root = logging.getLogger("kadun")
    saved = (list(root.handlers), root.level, root.propagate)
    try:
        handler = configure_json_logging(stream)
        app = create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(data_dir),
                          "RATELIMIT_ENABLED": False, "JSON_LOGS": True})
        assert configure_json_logging(stream) is handler  # idempotent: one handler per process
        app.test_client().get("/healthz", headers={"X-Request-ID": "probe-1"})
    finally:
        root.handlers[:], root.level, root.propagate = saved[0], saved[1], saved[2]
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(x["logger"], x["request_id"], x["status"], x["path"]) for x in lines] == [
        ("kadun.request", "probe-1", 200, "/healthz")]


def _metrics(client) -> dict:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def test_metrics_count_captures_bytes_latency_and_errors(app, client, auth):
    body = capture_body("risky-shop-order.html", URL, screenshot=PNG_DATA_URL)
    assert client.post("/v1/snapshots", json=body, headers=auth).status_code == 201
    assert client.post("/v1/snapshots", json=body, headers=auth).status_code == 200  # repeat
    assert client.post("/v1/snapshots", json={"url": URL}, headers=auth).status_code == 400
    assert client.get("/v1/chain").status_code == 401
    # A second app on the same Redis stands for another gunicorn worker: one shared count.
    other = create_app({"TESTING": True, "REDIS": app.extensions["kadun"].redis,
                        "DATA_DIR": app.config["DATA_DIR"], "RATELIMIT_ENABLED": False}).test_client()
    assert other.post("/v1/snapshots", json=capture_body("acg-faka-order.html", URL), headers=auth).status_code == 201
    # Each worker flushes its figures within a second (the metrics module's FLUSH_SECONDS), so a
    # scrape served by one worker sees the other's capture once that has happened.
    deadline = time.monotonic() + 10
    m = _metrics(client)
    while m.get(("kadun_captures_stored_total", ())) != 2 and time.monotonic() < deadline:
        m = _metrics(client)
    html_bytes = len(body["html"].encode()) + len(capture_body("acg-faka-order.html", URL)["html"].encode())
    assert m[("kadun_captures_stored_total", ())] == 2
    assert m[("kadun_capture_bytes_stored_total", ())] == html_bytes + len(PNG)
    create = (("endpoint", "snapshots.create_snapshot"), ("method", "POST"))
    assert m[("kadun_http_request_duration_seconds_count", create)] == 4
    assert m[("kadun_http_request_duration_seconds_bucket", (*create[:1], ("le", "+Inf"), *create[1:]))] == 4
    assert m[("kadun_http_request_duration_seconds_sum", create)] > 0
    assert m[("kadun_http_requests_total", (*create, ("status", "201")))] == 2
    assert m[("kadun_http_requests_total", (*create, ("status", "200")))] == 1
    assert m[("kadun_http_errors_total", (("code", "bad_request"), ("status", "400")))] == 1
    assert m[("kadun_http_errors_total", (("code", "unauthorized"), ("status", "401")))] == 1
    # /metrics does not count itself.
    assert not any(dict(labels).get("endpoint") == "metrics.metrics" for _, labels in m)


def test_metrics_token_when_configured(redis_client, data_dir):
    app = create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(data_dir),
                      "RATELIMIT_ENABLED": False, "METRICS_TOKEN": "s3cret"})
    client = app.test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_metrics_show_each_cache_with_its_limit_and_hit_rate(app, client, auth):
    # The same page captured twice (two client ids): the second capture's facts are the first's.
    first = capture_body("risky-shop-order.html", URL)
    again = {**first, "client_id": "metrics-cache-again"}
    assert client.post("/v1/snapshots", json=first, headers=auth).status_code == 201
    assert client.post("/v1/snapshots", json=again, headers=auth).status_code == 201
    deadline = time.monotonic() + 10
    m = _metrics(client)
    while m.get(("kadun_cache_hits_total", (("cache", "facts"),)), 0) < 1 and time.monotonic() < deadline:
        m = _metrics(client)
    facts = (("cache", "facts"),)
    assert m[("kadun_cache_hits_total", facts)] >= 1
    assert m[("kadun_cache_misses_total", facts)] >= 1
    assert 0 < m[("kadun_cache_hit_ratio", facts)] < 1
    # The in-process caches show their bound and what they hold in the answering process.
    token = (("cache", "token"),)
    assert m[("kadun_cache_limit", token)] > 0
    assert 0 <= m[("kadun_cache_entries", token)] <= m[("kadun_cache_limit", token)]
    domains = (("cache", "registered_domain"),)
    assert m[("kadun_cache_limit", domains)] > 0
