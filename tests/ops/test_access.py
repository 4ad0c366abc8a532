"""Access: tokens on every /v1 route, other users' objects are 404, hashed tokens, single-use and
rate-limited pairing codes (CORS, Host and Origin: test_http_door.py)."""
from __future__ import annotations

from server import create_app
from server.storage import users
from tests.conftest import capture_body, pair_user
from tests.ops.helpers import PNG_DATA_URL, all_redis_bytes, assert_error_shape, fill_rule

# The calendar feed takes no bearer token: calendar apps send its own secret (?key=…), refused
# when missing (400), unknown or revoked (404): tests/reminders/test_calendar*.
PUBLIC = {("POST", "/v1/pair"), ("GET", "/v1/keys"), ("GET", "/v1/reminders.ics")}


def _v1_routes(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/v1"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, rule


def test_every_v1_route_needs_a_token(app, client):
    checked = 0
    for method, rule in _v1_routes(app):
        if (method, rule.rule) in PUBLIC:
            continue
        path = fill_rule(rule, {})
        for headers in ({}, {"Authorization": "Bearer kdn_not-a-real-token"}, {"Authorization": "Basic abc"}):
            response = client.open(path, method=method, headers=headers, json={})
            assert response.status_code == 401, (method, path, headers, response.status_code)
            assert_error_shape(response, "unauthorized")
        checked += 1
    # pairing, snapshots (4 reads + create + list), chain: at least these exist today.
    assert checked >= 6


def _second_user(app):
    token, user = pair_user(app, new_user=True)
    return {"Authorization": f"Bearer {token}"}, user


def test_another_users_objects_are_not_found(app, client, auth):
    body = capture_body("xingchen-km-order.html", "https://www.xingchen-km.com/order/detail?order_no=KM2026112409551",
                        screenshot=PNG_DATA_URL)
    created = client.post("/v1/snapshots", json=body, headers=auth)
    assert created.status_code == 201, created.get_json()
    ids = {"snapshot_id": created.get_json()["id"]}
    dispute = client.post("/v1/disputes", headers=auth, json={
        "snapshot_ids": [ids["snapshot_id"]], "problem": "invalid_code",
        "occurred_at": "2026-11-24T12:00:00+08:00", "description": "卡密无效"})
    if dispute.status_code == 201:
        ids["dispute_id"] = dispute.get_json()["id"]
    other, _ = _second_user(app)
    checked = 0
    for method, rule in _v1_routes(app):
        if method != "GET" or not rule.arguments:
            continue
        path = fill_rule(rule, ids, default=ids["snapshot_id"])
        mine = client.get(path, headers=auth)
        theirs = client.get(path, headers=other)
        if rule.arguments <= set(ids):
            assert mine.status_code == 200, (path, mine.status_code)
        assert theirs.status_code == 404, (path, theirs.status_code)
        assert_error_shape(theirs, "not_found")
        checked += 1
    assert checked >= 3
    # The other user's lists and chain do not show the first user's capture.
    assert client.get("/v1/snapshots", headers=other).get_json()["items"] == []
    assert client.get("/v1/chain", headers=other).get_json()["length"] == 0
    # Nor can they attach evidence to it (POST routes with ids answer 404 too).
    for method, rule in _v1_routes(app):
        if method == "POST" and rule.arguments:
            path = fill_rule(rule, ids, default=ids["snapshot_id"])
            response = client.post(path, headers=other, data={"kind": "other"})
            assert response.status_code == 404, (path, response.status_code)


def test_tokens_and_codes_are_stored_hashed(app, client):
    r = app.extensions["kadun"].redis
    code = users.new_pairing_code(r)
    response = client.post("/v1/pair", json={"code": code, "device": "laptop"})
    token = response.get_json()["token"]
    stored = all_redis_bytes(r)
    assert token.encode() not in stored
    assert code.encode() not in stored
    assert len(stored) > 0
    # The token still works, so what is stored is enough to check it.
    assert client.get("/v1/chain", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_pairing_code_is_single_use(app, client):
    code = users.new_pairing_code(app.extensions["kadun"].redis)
    first = client.post("/v1/pair", json={"code": code, "device": "a"})
    second = client.post("/v1/pair", json={"code": code, "device": "b"})
    assert first.status_code == 201
    assert second.status_code == 404
    assert_error_shape(second, "not_found")
    # Lower case and separators are the same code, still used up.
    spaced = code[:4].lower() + "-" + code[4:].lower()
    assert client.post("/v1/pair", json={"code": spaced}).status_code == 404


def _limited_app(redis_client, data_dir, **config):
    return create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(data_dir),
                       "RATELIMIT_ENABLED": True, **config})


def _guess(client, ip: str, code: str = "AAAAAAAA"):
    return client.post("/v1/pair", json={"code": code}, environ_base={"REMOTE_ADDR": ip})


def test_pairing_is_rate_limited_per_client_across_workers(redis_client, data_dir):
    # Two apps on one Redis stand for two gunicorn workers: the budget is shared.
    one = _limited_app(redis_client, data_dir, PAIR_RATE_LIMIT="4 per minute").test_client()
    two = _limited_app(redis_client, data_dir, PAIR_RATE_LIMIT="4 per minute").test_client()
    statuses = [_guess(c, "10.0.0.7").status_code for c in (one, two, one, two)]
    assert statuses == [404, 404, 404, 404]
    blocked = _guess(one, "10.0.0.7")
    assert blocked.status_code == 429
    assert_error_shape(blocked, "rate_limited")
    assert int(blocked.headers["Retry-After"]) > 0
    # Even a right code is refused while the client is over its budget ...
    code = users.new_pairing_code(redis_client)
    assert _guess(two, "10.0.0.7", code).status_code == 429
    # ... and another client is not affected, and the code was not burnt.
    assert _guess(two, "10.0.0.8", code).status_code == 201
    limit_keys = [k for k in redis_client.keys("*") if b"limiter" in k]
    assert limit_keys, "the limiter's counters live in the storage Redis"


def test_pairing_failures_are_limited_for_the_whole_service(redis_client, data_dir):
    client = _limited_app(redis_client, data_dir, PAIR_RATE_LIMIT="100 per minute",
                          PAIR_RATE_LIMIT_GLOBAL="5 per minute").test_client()
    statuses = [_guess(client, f"10.1.0.{i}").status_code for i in range(1, 8)]
    assert statuses[:5] == [404] * 5
    assert statuses[5:] == [429, 429]


def test_rate_limit_can_be_switched_off(app, client):
    statuses = {_guess(client, "10.2.0.1").status_code for _ in range(25)}
    assert statuses == {404}


def test_behind_a_proxy_the_forwarded_address_is_limited(redis_client, data_dir):
    client = _limited_app(redis_client, data_dir, PAIR_RATE_LIMIT="2 per minute", PROXY_COUNT=1).test_client()

    def via_proxy(ip):
        return client.post("/v1/pair", json={"code": "AAAAAAAA"}, headers={"X-Forwarded-For": ip},
                           environ_base={"REMOTE_ADDR": "127.0.0.1"})

    assert [via_proxy("203.0.113.5").status_code for _ in range(3)] == [404, 404, 429]
    assert via_proxy("203.0.113.6").status_code == 404
