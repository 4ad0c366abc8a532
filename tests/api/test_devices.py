"""Paired devices and their tokens: GET /v1/devices, DELETE /v1/devices/<id>, `kadun devices`,
`kadun revoke`, token lifetimes (KADUN_TOKEN_DAYS), and revocation reaching every worker within
the token cache's time."""
from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from server import create_app
from server.cli import main as kadun
from server.storage import devices, keys, users


def _pair(app, name: str, new_user: bool = False) -> tuple[dict, str]:
    code = users.new_pairing_code(app.extensions["kadun"].redis, new_user=new_user)
    response = app.test_client().post("/v1/pair", json={"code": code, "device": name})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    return {"Authorization": f"Bearer {body['token']}"}, body["user"]


def _devices(client, auth) -> list[dict]:
    response = client.get("/v1/devices", headers=auth)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def _wait_until(predicate, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {message}"
        time.sleep(0.05)


def test_devices_are_listed_with_name_kind_and_times(app, client):
    laptop, user = _pair(app, "Chrome on laptop")
    desk, same_user = _pair(app, "Edge 办公室")
    assert same_user == user
    assert client.get("/v1/chain", headers=laptop).status_code == 200  # laptop was used: last seen
    items = _devices(client, desk)
    assert [d["name"] for d in items] == ["Chrome on laptop", "Edge 办公室"]
    for item in items:
        assert item["id"].startswith("dev_") and item["user"] == user and item["kind"] == "extension"
        assert item["paired_at"].endswith("+08:00") and item["expires_at"] is None
        assert set(item) == {"id", "user", "name", "kind", "paired_at", "last_seen", "expires_at", "current"}
    assert [d["current"] for d in items] == [False, True]
    assert items[0]["last_seen"] is not None
    # The token is nowhere in the answer.
    assert laptop["Authorization"].split()[1] not in json.dumps(items)


def test_delete_ends_a_device_and_its_token(app, client):
    laptop, _ = _pair(app, "laptop")
    phone, _ = _pair(app, "phone")
    assert client.get("/v1/snapshots", headers=phone).status_code == 200  # cached by this worker
    phone_id = next(d["id"] for d in _devices(client, laptop) if d["name"] == "phone")
    response = client.delete(f"/v1/devices/{phone_id}", headers=laptop)
    assert response.status_code == 200 and response.get_json()["revoked"] is True
    assert response.get_json()["id"] == phone_id
    refused = client.get("/v1/snapshots", headers=phone)
    assert refused.status_code == 401 and refused.get_json()["error"] == "unauthorized"
    assert [d["name"] for d in _devices(client, laptop)] == ["laptop"]
    again = client.delete(f"/v1/devices/{phone_id}", headers=laptop)
    assert again.status_code == 404 and again.get_json()["error"] == "not_found"


def test_a_device_can_unpair_itself(app, client):
    me, _ = _pair(app, "me")
    mine = _devices(client, me)[0]
    assert mine["current"]
    assert client.delete(f"/v1/devices/{mine['id']}", headers=me).status_code == 200
    assert client.get("/v1/devices", headers=me).status_code == 401


def test_another_users_device_is_not_found(app, client):
    alice, _ = _pair(app, "alice's")
    bob, _ = _pair(app, "bob's", new_user=True)
    bobs = _devices(client, bob)[0]["id"]
    assert [d["name"] for d in _devices(client, alice)] == ["alice's"]
    for target in (bobs, "dev_00000000000000000000", "x" * 65, "nope"):
        response = client.delete(f"/v1/devices/{target}", headers=alice)
        assert response.status_code == 404 and response.get_json()["error"] == "not_found", target
    assert client.get("/v1/devices", headers=bob).status_code == 200


def test_revoked_token_fails_in_other_workers_within_the_cache_time(redis_client, tmp_path):
    """Two app instances (two gunicorn workers): each caches tokens for TOKEN_CACHE_SECONDS."""
    config = {"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(tmp_path), "RATELIMIT_ENABLED": False,
              "TOKEN_CACHE_SECONDS": 1.0}
    worker_a, worker_b = create_app(dict(config)), create_app(dict(config))
    auth, _ = _pair(worker_a, "laptop")
    assert worker_b.test_client().get("/v1/snapshots", headers=auth).status_code == 200  # now cached in B
    device = _devices(worker_a.test_client(), auth)[0]
    revoked_at = time.monotonic()
    assert worker_a.test_client().delete(f"/v1/devices/{device['id']}", headers=auth).status_code == 200
    assert worker_a.test_client().get("/v1/snapshots", headers=auth).status_code == 401  # at once in A
    _wait_until(lambda: worker_b.test_client().get("/v1/snapshots", headers=auth).status_code == 401,
                timeout=30, message="worker B to refuse the revoked token")
    # Refused once B's cache entry ran out (1 s), not later than that by more than the polling.
    assert time.monotonic() - revoked_at < 1.0 + 10


def test_token_lifetime_from_token_days(redis_client, tmp_path):
    config = {"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(tmp_path), "RATELIMIT_ENABLED": False}
    month = create_app({**config, "TOKEN_DAYS": 30})
    auth, _ = _pair(month, "laptop")
    device = _devices(month.test_client(), auth)[0]
    from server import clock

    left = clock.parse_iso(device["expires_at"]) - clock.parse_iso(device["paired_at"])
    assert left.total_seconds() == 30 * 86400
    digest = users.sha256_hex(auth["Authorization"].split()[1].encode())
    assert 30 * 86400 - 60 <= redis_client.ttl(keys.token(digest)) <= 30 * 86400
    # A short lifetime ends: the token is refused and the device is no longer listed.
    short = create_app({**config, "TOKEN_DAYS": 2 / 86400, "TOKEN_CACHE_SECONDS": 0})
    brief, _ = _pair(short, "brief")
    client = short.test_client()
    assert client.get("/v1/snapshots", headers=brief).status_code == 200
    _wait_until(lambda: client.get("/v1/snapshots", headers=brief).status_code == 401, timeout=30,
                message="the token to expire")
    assert [d["name"] for d in _devices(client, auth)] == ["laptop"]


def test_last_seen_survives_and_keeps_the_expiry(redis_client, tmp_path):
    app = create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(tmp_path),
                      "RATELIMIT_ENABLED": False, "TOKEN_DAYS": 1, "TOKEN_CACHE_SECONDS": 0})
    auth, _ = _pair(app, "laptop")
    digest = users.sha256_hex(auth["Authorization"].split()[1].encode())
    assert app.test_client().get("/v1/chain", headers=auth).status_code == 200
    assert json.loads(redis_client.get(keys.token(digest)))["last_seen"]
    assert redis_client.ttl(keys.token(digest)) > 86000  # the write kept the token's expiry


@pytest.mark.parametrize("days", ["soon", -1, "nan", True])
def test_bad_token_days_is_refused_at_start(redis_client, tmp_path, days):
    with pytest.raises(ValueError, match="TOKEN_DAYS"):
        create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(tmp_path), "TOKEN_DAYS": days})


def test_tokens_paired_before_devices_existed_are_devices(app, client, redis_client):
    """A token record of the earlier format ({user, device, created_at}) is listed and revocable."""
    auth, user = _pair(app, "new one")
    old_token = "kdn_" + "o" * 43
    digest = users.sha256_hex(old_token.encode())
    redis_client.set(keys.token(digest), json.dumps({"user": user, "device": "旧浏览器", "created_at": 1764000000.5}))
    redis_client.sadd(keys.user_tokens(user), digest)
    old_auth = {"Authorization": f"Bearer {old_token}"}
    assert client.get("/v1/chain", headers=old_auth).status_code == 200
    old = next(d for d in _devices(client, auth) if d["name"] == "旧浏览器")
    assert old["kind"] == "extension" and old["paired_at"].startswith("2025-11-2")
    assert client.delete(f"/v1/devices/{old['id']}", headers=auth).status_code == 200
    assert client.get("/v1/chain", headers=old_auth).status_code == 401


def test_expired_tokens_leave_the_users_list(app, client, redis_client):
    auth, user = _pair(app, "stays")
    gone, _ = _pair(app, "goes")
    digest = users.sha256_hex(gone["Authorization"].split()[1].encode())
    redis_client.delete(keys.token(digest))  # as Redis does when a token's lifetime ends
    assert [d["name"] for d in _devices(client, auth)] == ["stays"]
    assert digest.encode() not in redis_client.smembers(keys.user_tokens(user))


def test_cli_devices_and_revoke(app, client, redis_url, monkeypatch):
    monkeypatch.setenv("KADUN_REDIS_URL", redis_url)
    laptop, _ = _pair(app, "Chrome on laptop")
    phone, _ = _pair(app, "另一台电脑", new_user=True)
    runner = CliRunner()
    listed = runner.invoke(kadun, ["devices", "--data-dir", app.config["DATA_DIR"]])
    assert listed.exit_code == 0, listed.output
    assert "Chrome on laptop" in listed.output and "另一台电脑" in listed.output
    assert "配对于 paired" in listed.output and "最近使用 last seen" in listed.output
    rows = [json.loads(line) for line in runner.invoke(
        kadun, ["devices", "--json", "--data-dir", app.config["DATA_DIR"]]).output.splitlines()]
    assert {row["name"] for row in rows} == {"Chrome on laptop", "另一台电脑"}
    target = next(row for row in rows if row["name"] == "另一台电脑")
    assert target["id"] in listed.output
    revoked = runner.invoke(kadun, ["revoke", target["id"], "--data-dir", app.config["DATA_DIR"]])
    assert revoked.exit_code == 0 and target["id"] in revoked.output, revoked.output
    assert devices.find(app.extensions["kadun"].redis, target["id"]) is None
    # Refused by the running app within its token cache's time (this test's app: at once, since
    # the token was never cached by it).
    assert client.get("/v1/snapshots", headers=phone).status_code == 401
    assert client.get("/v1/snapshots", headers=laptop).status_code == 200
    unknown = runner.invoke(kadun, ["revoke", "dev_nope", "--data-dir", app.config["DATA_DIR"]])
    assert unknown.exit_code == 1
    error = json.loads(unknown.output.strip().splitlines()[-1])
    assert error["error"] == "not_found" and "dev_nope" in error["message"]


def test_devices_routes_are_documented(app):
    spec = app.test_client().get("/openapi.json").get_json()
    assert "get" in spec["paths"]["/v1/devices"] and "delete" in spec["paths"]["/v1/devices/{device_id}"]
    assert spec["components"]["schemas"]["Device"]["properties"]["kind"]["enum"] == list(devices.KINDS)


def test_serve_refuses_a_bad_token_days_with_one_line(tmp_path):
    from tests.api.test_cli import kadun as run_kadun

    result = run_kadun("serve", "--port", "1", "--data-dir", str(tmp_path / "d"), env={"KADUN_TOKEN_DAYS": "soon"})
    assert result.returncode == 2
    error = json.loads(result.stderr.strip())
    assert "KADUN_TOKEN_DAYS" in error["message"] and "Traceback" not in result.stderr
