"""Bad input and faults: each gets the contract's JSON error (400/401/404/413/422/503), never a 500."""
from __future__ import annotations

import base64
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.test_captures import ORDER_FILE, ORDER_URL, data_url, png_bytes
from tests.conftest import capture_body

MIB = 1024 * 1024


def assert_error(response, status: int, code: str, field: str | None = None):
    assert response.status_code == status, (response.status_code, response.data[:300])
    body = response.get_json()
    assert body["error"] == code and isinstance(body["message"], str) and body["message"]
    if field is not None:
        assert body.get("field") == field, body
        assert field in body["message"], body
    return body


def raw_post(client, auth, data, content_type="application/json"):
    return client.post("/v1/snapshots", data=data, content_type=content_type, headers=auth)


@pytest.mark.parametrize("data", [b"{", b"{'a': 1}", b"\xff\xfe\x00garbage", b"[" * 100_000, b"{\"a\":1}}"],
                         ids=["truncated", "single-quotes", "not-utf8", "deep-nesting", "trailing"])
def test_malformed_json_is_400(client, auth, data):
    assert_error(raw_post(client, auth, data), 400, "bad_request", "body")


@pytest.mark.parametrize("data", [b"[]", b"[1, 2]", b"\"html\"", b"42", b"null", b"true"])
def test_json_that_is_not_an_object_is_400(client, auth, data):
    assert_error(raw_post(client, auth, data), 400, "bad_request", "body")


def test_empty_body_is_400(client, auth):
    assert_error(raw_post(client, auth, b""), 400, "bad_request", "body")


@pytest.mark.parametrize("field", ["client_id", "url", "html"])
def test_missing_required_field_is_named(client, auth, field):
    body = capture_body(ORDER_FILE, ORDER_URL)
    del body[field]
    assert_error(client.post("/v1/snapshots", json=body, headers=auth), 400, "bad_request", field)


@pytest.mark.parametrize("field,value", [
    ("client_id", 12), ("client_id", "has space"), ("client_id", "x" * 129), ("client_id", ""),
    ("url", ["https://a.cn"]), ("url", "ftp://a.cn/x"), ("url", "not a url"), ("url", "http://[::1/"),
    ("html", 5), ("html", {"a": 1}), ("title", 3), ("captured_at", "yesterday"), ("captured_at", 17),
    ("trigger", "sometimes"), ("extension_version", ["1"]), ("screenshot", 1),
    ("screenshot", "http://example.com/a.png"), ("screenshot", "data:image/png;base64,@@@@"),
])
def test_wrong_field_is_400_naming_it(client, auth, field, value):
    body = capture_body(ORDER_FILE, ORDER_URL)
    body[field] = value
    assert_error(client.post("/v1/snapshots", json=body, headers=auth), 400, "bad_request", field)


@pytest.mark.parametrize("html", ["just some text", "   ", "%PDF-1.7 binary", "\x00<html>\x00"],
                         ids=["plain-text", "blank", "pdf", "nul-bytes"])
def test_html_that_is_not_html_is_422(client, auth, html):
    body = capture_body(ORDER_FILE, ORDER_URL, html=html)
    assert_error(client.post("/v1/snapshots", json=body, headers=auth), 422, "unprocessable", "html")


def test_screenshot_that_is_not_an_image_is_422(client, auth):
    body = capture_body(ORDER_FILE, ORDER_URL, screenshot=data_url(b"GIF89a not a png"))
    assert_error(client.post("/v1/snapshots", json=body, headers=auth), 422, "unprocessable", "screenshot")


def test_html_over_8_mib_is_413(client, auth):
    html = "<html><body>" + "a" * (8 * MIB) + "</body></html>"
    body = capture_body(ORDER_FILE, ORDER_URL, html=html)
    assert_error(client.post("/v1/snapshots", json=body, headers=auth), 413, "too_large", "html")


def test_screenshot_over_8_mib_is_413(client, auth):
    shot = png_bytes() + b"\x00" * (8 * MIB + 16)
    body = capture_body(ORDER_FILE, ORDER_URL, screenshot=data_url(shot))
    assert_error(client.post("/v1/snapshots", json=body, headers=auth), 413, "too_large", "screenshot")


def test_html_of_exactly_8_mib_is_accepted(client, auth):
    head = "<html><body>"
    html = head + "a" * (8 * MIB - len(head))
    response = client.post("/v1/snapshots", json=capture_body(ORDER_FILE, ORDER_URL, html=html), headers=auth)
    assert response.status_code == 201, response.get_json()


class TrapStream(io.RawIOBase):
    """A ``size``-byte request body that fails the test if the server reads any of it."""

    def __init__(self, size: int):
        self.size, self.position, self.read_bytes = size, 0, 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self.position

    def seek(self, offset, whence=0):
        self.position = {0: offset, 1: self.position + offset, 2: self.size + offset}[whence]
        return self.position

    def readinto(self, buffer):
        self.read_bytes += len(buffer)
        raise AssertionError("the server read an oversize body instead of refusing it")


def test_oversize_content_length_is_413_before_reading(app, client, auth):
    stream = TrapStream(app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/v1/snapshots", input_stream=stream, content_type="application/json", headers=auth)
    assert_error(response, 413, "too_large")
    assert stream.read_bytes == 0


def test_bad_or_missing_token_is_401(client, auth):
    body = capture_body(ORDER_FILE, ORDER_URL)
    for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": "Bearer nope"},
                    {"Authorization": auth["Authorization"].replace("Bearer", "Basic")},
                    {"Authorization": auth["Authorization"] + "x"}, {"Authorization": "Bearer " + "a" * 5000}):
        assert_error(client.post("/v1/snapshots", json=body, headers=headers), 401, "unauthorized")
        assert_error(client.get("/v1/snapshots", headers=headers), 401, "unauthorized")
        assert_error(client.get("/v1/chain", headers=headers), 401, "unauthorized")
    # The token check comes before the body is read: a huge body without a token is still a 401.
    stream = TrapStream(100 * MIB)
    response = client.post("/v1/snapshots", input_stream=stream, content_type="application/json")
    assert_error(response, 401, "unauthorized")


@pytest.mark.parametrize("query,field", [
    ("limit=0", "limit"), ("limit=501", "limit"), ("limit=ten", "limit"), ("cursor=abc", "cursor"),
    ("cursor=%C2%B2", "cursor"), ("cursor=-1", "cursor"), ("cursor=" + "9" * 40, "cursor"),
    ("since=last%20week", "since"), ("page_kind=banana", "page_kind"),
])
def test_bad_listing_query_is_400(client, auth, query, field):
    assert_error(client.get(f"/v1/snapshots?{query}", headers=auth), 400, "bad_request", field)


def test_unknown_ids_and_routes_are_404(client, auth):
    for path in ("/v1/snapshots/snp_nope", "/v1/snapshots/snp_nope/html", "/v1/snapshots/snp_nope/screenshot",
                 "/v1/snapshots/" + "x" * 500, "/v1/snapshots/%7Bu:x%7D:snap:y", "/v1/nothing-here"):
        assert_error(client.get(path, headers=auth), 404, "not_found")


def test_wrong_method_is_a_json_error(client, auth):
    response = client.delete("/v1/snapshots", headers=auth)
    assert response.status_code == 405 and response.get_json()["error"] == "method_not_allowed"


def test_storage_outage_is_503_not_500(redis_url, data_dir):
    """Every route answers 503 (JSON) with a Retry-After while Redis is unreachable; /healthz too."""
    from server import create_app
    from server.storage.redis import connect

    dead = connect(f"unix://{data_dir}/no-such.sock")
    app = create_app({"TESTING": True, "REDIS": dead, "DATA_DIR": str(data_dir), "RATELIMIT_ENABLED": False})
    client = app.test_client()
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["ok"] is False
    assert int(health.headers["Retry-After"]) > 0
    auth = {"Authorization": "Bearer kdn_whatever"}
    for response in (client.post("/v1/snapshots", json=capture_body(ORDER_FILE, ORDER_URL), headers=auth),
                     client.get("/v1/snapshots", headers=auth), client.get("/v1/chain", headers=auth),
                     client.post("/v1/pair", json={"code": "ABCDEFGH"})):
        assert_error(response, 503, "unavailable")
        assert int(response.headers["Retry-After"]) > 0


def _storage_nodes(r) -> list:
    """(memory info, config_set) for each node of the storage: one for a single Redis, every node
    of a Redis Cluster (REDIS_URL, as tests/ops/test_cluster.py runs this suite)."""
    from redis.cluster import RedisCluster

    if isinstance(r, RedisCluster):
        return [(lambda n=n: r.info("memory", target_nodes=n), lambda k, v, n=n: r.config_set(k, v, target_nodes=n))
                for n in r.get_nodes()]
    return [(lambda: r.info("memory"), r.config_set)]


def test_redis_refusing_writes_is_507_storage_full(client, auth, redis_client):
    """A Redis that cannot keep a write (maxmemory reached: OOM; a failed save: MISCONF) refuses
    it: the answer is 507 storage_full with the buyer's text, not a 503 with a traceback logged,
    nothing is stored, reads still work, and the same capture goes in once there is room."""
    stored = client.post("/v1/snapshots", json=capture_body(ORDER_FILE, ORDER_URL), headers=auth)
    assert stored.status_code == 201
    body = capture_body(ORDER_FILE, ORDER_URL.replace("order", "order2"))
    nodes = _storage_nodes(redis_client)
    for info, config_set in nodes:  # (every node of a Cluster: the write goes to its user's slot)
        config_set("maxmemory-policy", "noeviction")
        config_set("maxmemory", max(1, int(info()["used_memory"]) // 2))
    try:
        refused = assert_error(client.post("/v1/snapshots", json=body, headers=auth), 507, "storage_full")
        assert refused["messages"]["zh"] and refused["messages"]["en"]
        listing = client.get("/v1/snapshots", headers=auth)
        assert listing.status_code == 200 and [i["id"] for i in listing.get_json()["items"]] == [stored.get_json()["id"]]
    finally:
        for _, config_set in nodes:
            config_set("maxmemory", 0)
    again = client.post("/v1/snapshots", json=body, headers=auth)
    assert again.status_code == 201, again.get_json()
    assert client.get("/v1/chain", headers=auth).get_json()["length"] == 2


def test_readyz_says_when_the_storage_would_lose_what_it_acknowledges(client, redis_client, tmp_path):
    """A Redis that evicts any key (allkeys-*) or appends nothing to a file loses acknowledged
    captures silently; /readyz said ready all the same."""
    from server.storage.redis import EmbeddedRedis, connect, durability_problems

    assert client.get("/readyz").get_json() == {"ok": True, "storage": True, "durable": True, "key": True}
    redis_client.config_set("maxmemory-policy", "allkeys-lru")
    try:
        answer = client.get("/readyz")
        assert answer.status_code == 503 and answer.get_json()["durable"] is False
        assert "noeviction" in answer.get_json()["message"]
    finally:
        redis_client.config_set("maxmemory-policy", "noeviction")
    assert client.get("/readyz").status_code == 200
    scratch = EmbeddedRedis(tmp_path / "scratch redis")
    other = connect(scratch.start())
    try:
        assert durability_problems(other) == []
        other.config_set("appendonly", "no")
        assert [p.split(":")[0] for p in durability_problems(other)] == ["appendonly no"]
    finally:
        other.close()
        scratch.stop()


def test_healthz_is_ok_with_storage(client):
    assert client.get("/healthz").get_json() == {"ok": True}


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(overrides=st.dictionaries(
    st.sampled_from(["client_id", "url", "title", "captured_at", "trigger", "html", "screenshot",
                     "extension_version", "other"]), _json_values, max_size=4))
def test_hostile_capture_fields_never_give_500(client, auth, overrides):
    body = {**capture_body(ORDER_FILE, ORDER_URL), **overrides}
    response = client.post("/v1/snapshots", json=body, headers=auth)
    assert response.status_code in (200, 201, 400, 413, 422), (overrides, response.get_json())
    assert set(response.get_json()) >= ({"id", "receipt"} if response.status_code < 300 else {"error", "message"})


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_hostile_bodies_never_give_500(client, auth, raw):
    for path in ("/v1/snapshots", "/v1/pair"):
        response = client.post(path, data=raw, content_type="application/json", headers=auth)
        assert response.status_code in (400, 404, 422), (path, raw, response.get_json())


def test_base64_screenshot_with_whitespace_is_400(client, auth):
    encoded = base64.b64encode(png_bytes()).decode()
    body = capture_body(ORDER_FILE, ORDER_URL, screenshot="data:image/png;base64," + encoded[:8] + "\n" + encoded[8:])
    assert_error(client.post("/v1/snapshots", json=body, headers=auth), 400, "bad_request", "screenshot")
