"""Quotas per user: limits from the mode and the config, per-user overrides, 429/413 with zh/en
messages, retries of stored captures never refused, counters exact and one user's never spent by
another, and the admin CLI."""
from __future__ import annotations

import io
import json
import threading
import uuid

import pytest
from click.testing import CliRunner

from server import create_app
from server.storage import quotas as quota_store
from tests.conftest import capture_body, pair_user
from tests.ops.helpers import PNG_DATA_URL

ORDER = ("xingchen-km-order.html", "https://www.xingchen-km.com/user/order/detail?order_no=XC20261124100322581")
PRODUCT = ("xingchen-km-product.html", "https://www.xingchen-km.com/goods/detail/773104")


def _app(redis_client, data_dir, **config):
    return create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(data_dir),
                       "RATELIMIT_ENABLED": False, **config})


def _user(app):
    token, user = pair_user(app, new_user=True)
    return {"Authorization": f"Bearer {token}"}, user


def _capture(file_url=ORDER, marker: str | None = None, **extra) -> dict:
    body = capture_body(*file_url, **extra)
    body["html"] = body["html"].replace("</body>", f"<!-- {marker or uuid.uuid4().hex} --></body>", 1)
    return body


def _quota(client, auth, name):
    response = client.get("/v1/quota", headers=auth)
    assert response.status_code == 200, response.get_json()
    return next(q for q in response.get_json()["quotas"] if q["name"] == name)


def test_local_mode_has_no_limits_and_hosted_mode_has_the_defaults(redis_client, data_dir):
    local = _app(redis_client, data_dir)
    auth, _ = _user(local)
    body = local.test_client().get("/v1/quota", headers=auth).get_json()
    assert body["mode"] == "local"
    assert all(q["limit"] is None for q in body["quotas"]), body
    hosted = _app(redis_client, data_dir, MODE="hosted")
    body = hosted.test_client().get("/v1/quota", headers=auth).get_json()
    limits = {q["name"]: q["limit"] for q in body["quotas"]}
    assert body["mode"] == "hosted"
    assert limits == {"captures_per_day": 2000, "bytes_stored": 2 * 1024 ** 3, "disputes_per_day": 20,
                      "attachments_per_dispute": 50, "exports_per_day": 10}
    assert all(q["label"]["zh"] and q["label"]["en"] for q in body["quotas"])


def test_configured_limits_beat_the_mode_and_a_users_own_beat_both(redis_client, data_dir):
    app = _app(redis_client, data_dir, MODE="hosted", QUOTA_CAPTURES_PER_DAY="300",
               QUOTA_BYTES_STORED="5GiB", QUOTA_EXPORTS_PER_DAY="unlimited")
    auth, user = _user(app)
    client = app.test_client()
    assert _quota(client, auth, "captures_per_day")["limit"] == 300
    assert _quota(client, auth, "bytes_stored")["limit"] == 5 * 1024 ** 3
    assert _quota(client, auth, "exports_per_day")["limit"] is None
    quota_store.set_override(app.extensions["kadun"].redis, user, "captures_per_day", 7)
    item = _quota(client, auth, "captures_per_day")
    assert (item["limit"], item["source"]) == (7, "user")


def test_daily_captures_429_with_both_languages_and_the_queue_kept_by_retrying(redis_client, data_dir):
    app = _app(redis_client, data_dir, QUOTA_CAPTURES_PER_DAY=2)
    client = app.test_client()
    auth, _ = _user(app)
    first, second, third = _capture(), _capture(PRODUCT), _capture()
    assert client.post("/v1/snapshots", json=first, headers=auth).status_code == 201
    assert client.post("/v1/snapshots", json=second, headers=auth).status_code == 201
    refused = client.post("/v1/snapshots", json=third, headers=auth)
    assert refused.status_code == 429
    body = refused.get_json()
    assert body["error"] == "rate_limited" and body["quota"]["name"] == "captures_per_day"
    assert body["quota"]["limit"] == 2 and body["quota"]["used"] == 2
    assert "今日存证已达上限" in body["messages"]["zh"] and "2 条" in body["messages"]["zh"]
    assert "Daily limit reached" in body["messages"]["en"]
    wait = int(refused.headers["Retry-After"])
    assert 0 < wait <= 86401 and body["retry_after_seconds"] == wait
    # A retried upload of a capture that was stored is answered, never refused.
    again = client.post("/v1/snapshots", json=first, headers=auth)
    assert again.status_code == 200
    # Refusals do not count: still 2 used, and nothing of the refused capture was stored.
    assert _quota(client, auth, "captures_per_day")["used"] == 2
    listed = client.get("/v1/snapshots", headers=auth).get_json()["items"]
    assert len(listed) == 2
    assert client.get("/v1/chain", headers=auth).get_json()["length"] == 2


def test_one_users_quota_is_never_spent_by_another(redis_client, data_dir):
    app = _app(redis_client, data_dir, QUOTA_CAPTURES_PER_DAY=3, QUOTA_DISPUTES_PER_DAY=5)
    client = app.test_client()
    alice, alice_id = _user(app)
    bob, bob_id = _user(app)
    for _ in range(3):
        assert client.post("/v1/snapshots", json=_capture(), headers=alice).status_code == 201
    assert client.post("/v1/snapshots", json=_capture(), headers=alice).status_code == 429
    # Bob's day is untouched by Alice's: all three of his go in, and his count is his own.
    assert _quota(client, bob, "captures_per_day")["used"] == 0
    for _ in range(3):
        assert client.post("/v1/snapshots", json=_capture(), headers=bob).status_code == 201
    assert _quota(client, bob, "captures_per_day")["used"] == 3
    assert _quota(client, alice, "captures_per_day")["used"] == 3
    # Bytes: each user's counter holds their own pages only, even for the same page bytes.
    same = _capture(marker="shared-bytes")
    r = app.extensions["kadun"].redis
    before = quota_store.bytes_used(r, alice_id)
    quota_store.set_override(r, bob_id, "captures_per_day", 4)
    assert client.post("/v1/snapshots", json=same, headers=bob).status_code == 201
    assert quota_store.bytes_used(r, alice_id) == before


def test_concurrent_uploads_cannot_pass_the_daily_limit(redis_client, data_dir):
    app = _app(redis_client, data_dir, QUOTA_CAPTURES_PER_DAY=5)
    auth, _ = _user(app)
    statuses: list[int] = []
    lock = threading.Lock()

    def post():
        response = app.test_client().post("/v1/snapshots", json=_capture(), headers=auth)
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=post) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201] * 5 + [429] * 7
    client = app.test_client()
    assert len(client.get("/v1/snapshots", headers=auth).get_json()["items"]) == 5


def test_bytes_quota_413_counts_only_new_bytes(redis_client, data_dir):
    app = _app(redis_client, data_dir)
    client = app.test_client()
    auth, user = _user(app)
    r = app.extensions["kadun"].redis
    first = _capture(marker="bytes-1")
    assert client.post("/v1/snapshots", json=first, headers=auth).status_code == 201
    used = quota_store.bytes_used(r, user)
    assert used == len(first["html"].encode("utf-8"))
    quota_store.set_override(r, user, "bytes_stored", used + 10)
    refused = client.post("/v1/snapshots", json=_capture(marker="bytes-2"), headers=auth)
    assert refused.status_code == 413
    body = refused.get_json()
    assert body["error"] == "too_large" and body["quota"]["name"] == "bytes_stored"
    assert body["quota"]["used"] == used and body["quota"]["needed"] > 10
    assert "存储空间已满" in body["messages"]["zh"] and "Storage is full" in body["messages"]["en"]
    # The same page again (another visit, same bytes) costs no space: accepted at the limit.
    repeat = dict(first, client_id=str(uuid.uuid4()))
    assert client.post("/v1/snapshots", json=repeat, headers=auth).status_code == 201
    assert quota_store.bytes_used(r, user) == used
    assert _quota(client, auth, "captures_per_day")["used"] == 2  # the refused one gave its count back


def test_bytes_counter_is_exact_and_recounted_from_the_records(redis_client, data_dir):
    app = _app(redis_client, data_dir)
    client = app.test_client()
    auth, user = _user(app)
    r = app.extensions["kadun"].redis
    page = _capture(marker="exact", screenshot=PNG_DATA_URL)
    assert client.post("/v1/snapshots", json=page, headers=auth).status_code == 201
    assert client.post("/v1/snapshots", json=dict(page, client_id=str(uuid.uuid4())), headers=auth).status_code == 201
    dispute = client.post("/v1/disputes", json={"domain": "xingchen-km.com", "order_no": "XC20261124100322581",
                                                "problem": "not_delivered", "occurred_at": "2026-11-24T12:00:00+08:00"},
                          headers=auth)
    assert dispute.status_code == 201, dispute.get_json()
    proof = b"%PDF-1.4 payment proof " + uuid.uuid4().hex.encode()
    attached = client.post(f"/v1/disputes/{dispute.get_json()['id']}/attachments", headers=auth,
                           data={"kind": "payment_proof", "file": (io.BytesIO(proof), "proof.pdf")})
    assert attached.status_code == 201, attached.get_json()
    from tests.ops.helpers import PNG

    expected = len(page["html"].encode("utf-8")) + len(PNG) + len(proof)
    assert quota_store.bytes_used(r, user) == expected
    assert quota_store.reset_bytes(r, user) == expected  # counted again from the records alone
    r.delete(f"kadun:{{u:{user}}}:quota:bytes")
    assert quota_store.bytes_used(r, user) == expected


def test_disputes_a_day_and_attachments_per_dispute(redis_client, data_dir):
    app = _app(redis_client, data_dir, QUOTA_DISPUTES_PER_DAY=1, QUOTA_ATTACHMENTS_PER_DISPUTE=1)
    client = app.test_client()
    auth, _ = _user(app)
    assert client.post("/v1/snapshots", json=_capture(), headers=auth).status_code == 201
    ask = {"domain": "xingchen-km.com", "order_no": "XC20261124100322581", "problem": "not_delivered",
           "occurred_at": "2026-11-24T12:00:00+08:00"}
    opened = client.post("/v1/disputes", json=ask, headers=auth)
    assert opened.status_code == 201
    second = client.post("/v1/disputes", json=ask, headers=auth)
    assert second.status_code == 429 and second.get_json()["quota"]["name"] == "disputes_per_day"
    assert "今日发起维权已达上限" in second.get_json()["messages"]["zh"]
    url = f"/v1/disputes/{opened.get_json()['id']}/attachments"

    def attach(n: int):
        return client.post(url, headers=auth, data={"kind": "chat_log", "file": (io.BytesIO(f"聊天 {n}".encode()), "chat.txt")})

    assert attach(1).status_code == 201
    refused = attach(2)
    assert refused.status_code == 413
    body = refused.get_json()
    assert body["quota"] == {"name": "attachments_per_dispute", "limit": 1, "used": 1}
    assert "补充材料已达上限" in body["messages"]["zh"]


def test_a_dispute_that_fails_gives_its_count_back(redis_client, data_dir):
    app = _app(redis_client, data_dir, QUOTA_DISPUTES_PER_DAY=1)
    client = app.test_client()
    auth, _ = _user(app)
    # No capture of this order: the dispute cannot open (4xx) and must not use the day's one.
    missing = client.post("/v1/disputes", json={"domain": "nowhere.example", "order_no": "X1", "problem": "not_delivered",
                                                "occurred_at": "2026-11-24T12:00:00+08:00"}, headers=auth)
    assert 400 <= missing.status_code < 500 and missing.status_code != 429
    assert _quota(client, auth, "disputes_per_day")["used"] == 0


@pytest.fixture
def cli_env(redis_url, redis_client):
    return {"KADUN_REDIS_URL": redis_url}


def test_admin_cli_shows_and_changes_a_users_quota(app, cli_env, monkeypatch):
    from server.cli import main

    for name, value in cli_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("KADUN_MODE", "hosted")
    _, user = pair_user(app, new_user=True)
    runner = CliRunner()
    shown = runner.invoke(main, ["quota", user])
    assert shown.exit_code == 0, shown.output
    assert "captures_per_day" in shown.output and "2000" in shown.output and "default" in shown.output
    changed = runner.invoke(main, ["quota", user, "--set", "captures_per_day=5", "--set", "bytes_stored=500MiB",
                                   "--set", "exports_per_day=unlimited", "--json"])
    assert changed.exit_code == 0, changed.output
    limits = {q["name"]: (q["limit"], q["source"]) for q in json.loads(changed.output)["quotas"]}
    assert limits["captures_per_day"] == (5, "user")
    assert limits["bytes_stored"] == (500 * 1024 * 1024, "user")
    assert limits["exports_per_day"] == (None, "user")
    reset = runner.invoke(main, ["quota", user, "--reset", "captures_per_day", "--json"])
    limits = {q["name"]: (q["limit"], q["source"]) for q in json.loads(reset.output)["quotas"]}
    assert limits["captures_per_day"] == (2000, "default")
    listed = runner.invoke(main, ["quota", "--json"])
    assert listed.exit_code == 0 and user in {row["user"] for row in json.loads(listed.output)}


@pytest.mark.parametrize("args, words", [
    (["--set", "captures_per_day=lots"], "captures_per_day"),
    (["--set", "speed=5"], "unknown quota"),
    (["--set", "captures_per_day"], "NAME=VALUE"),
    (["--set", "captures_per_day=5MiB"], "captures_per_day"),
    (["--reset", "speed"], "unknown quota"),
])
def test_admin_cli_refuses_bad_changes_with_one_line(app, cli_env, monkeypatch, args, words):
    from server.cli import main

    for name, value in cli_env.items():
        monkeypatch.setenv(name, value)
    _, user = pair_user(app, new_user=True)
    result = CliRunner().invoke(main, ["quota", user, *args])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and words in lines[0], result.output
    assert json.loads(lines[0])["error"] == "bad_request"


def test_admin_cli_names_an_unknown_user(app, cli_env, monkeypatch):
    from server.cli import main

    for name, value in cli_env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(main, ["quota", "usr_nobody", "--set", "captures_per_day=1"])
    assert result.exit_code != 0 and "no user usr_nobody" in result.output


def test_a_limit_set_with_the_cli_is_enforced_by_the_server(app, client, cli_env, monkeypatch):
    from server.cli import main

    for name, value in cli_env.items():
        monkeypatch.setenv(name, value)
    token, user = pair_user(app, new_user=True)
    auth = {"Authorization": f"Bearer {token}"}
    assert CliRunner().invoke(main, ["quota", user, "--set", "captures_per_day=1"]).exit_code == 0
    assert client.post("/v1/snapshots", json=_capture(), headers=auth).status_code == 201
    assert client.post("/v1/snapshots", json=_capture(), headers=auth).status_code == 429
    assert CliRunner().invoke(main, ["quota", user, "--set", "captures_per_day=2"]).exit_code == 0
    assert client.post("/v1/snapshots", json=_capture(), headers=auth).status_code == 201


def _race(count: int, send) -> list[int]:
    """``send(n)`` from ``count`` threads released at once; their statuses."""
    barrier = threading.Barrier(count)
    statuses: list[int] = []
    lock = threading.Lock()

    def run(n: int):
        barrier.wait()
        status = send(n)
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


def test_concurrent_uploads_cannot_pass_the_bytes_quota(redis_client, data_dir):
    """Twelve new pages at once with room for three: three are stored, nine get 413, and the
    counter never passes the limit. (The room was checked, then each blob added: parallel
    uploads all saw room and all went in.)"""
    app = _app(redis_client, data_dir)
    auth, user = _user(app)
    r = app.extensions["kadun"].redis
    assert app.test_client().post("/v1/snapshots", json=_capture(marker="first"), headers=auth).status_code == 201
    size = len(_capture(marker=uuid.uuid4().hex)["html"].encode("utf-8"))
    limit = quota_store.bytes_used(r, user) + 3 * size
    quota_store.set_override(r, user, "bytes_stored", limit)
    bodies = [_capture(marker=uuid.uuid4().hex) for _ in range(12)]
    statuses = _race(12, lambda n: app.test_client().post("/v1/snapshots", json=bodies[n], headers=auth).status_code)
    assert statuses == [201] * 3 + [413] * 9
    assert quota_store.bytes_used(r, user) <= limit
    assert quota_store.reset_bytes(r, user) <= limit
    assert len(app.test_client().get("/v1/snapshots", headers=auth).get_json()["items"]) == 4


def test_concurrent_attachments_cannot_pass_the_per_dispute_limit(redis_client, data_dir):
    app = _app(redis_client, data_dir, QUOTA_ATTACHMENTS_PER_DISPUTE=2)
    client = app.test_client()
    auth, user = _user(app)
    assert client.post("/v1/snapshots", json=_capture(), headers=auth).status_code == 201
    opened = client.post("/v1/disputes", headers=auth, json={
        "domain": "xingchen-km.com", "order_no": "XC20261124100322581", "problem": "not_delivered",
        "occurred_at": "2026-11-24T12:00:00+08:00"})
    assert opened.status_code == 201
    url = f"/v1/disputes/{opened.get_json()['id']}/attachments"

    def attach(n: int) -> int:
        return app.test_client().post(url, headers=auth, data={
            "kind": "chat_log", "file": (io.BytesIO(f"聊天记录 {n} {uuid.uuid4().hex}".encode()), "chat.txt")}).status_code

    assert _race(8, attach) == [201] * 2 + [413] * 6
    from server.storage import disputes as dispute_store

    r = app.extensions["kadun"].redis
    assert len(dispute_store.attachment_ids(r, user, opened.get_json()["id"])) == 2
    assert client.get("/v1/chain", headers=auth).get_json()["length"] == 3  # one capture, two attachments


def test_phone_screenshots_count_against_the_space_and_the_disputes_attachments(redis_client, data_dir):
    """POST /v1/screenshots stored whatever came: past the bytes_stored quota, and onto a dispute
    past attachments_per_dispute, while POST /v1/disputes/<id>/attachments refused the same."""
    from tests.ops.helpers import PNG

    app = _app(redis_client, data_dir, QUOTA_ATTACHMENTS_PER_DISPUTE=1)
    client = app.test_client()
    auth, user = _user(app)
    r = app.extensions["kadun"].redis
    assert client.post("/v1/snapshots", json=_capture(), headers=auth).status_code == 201
    opened = client.post("/v1/disputes", headers=auth, json={
        "domain": "xingchen-km.com", "order_no": "XC20261124100322581", "problem": "not_delivered",
        "occurred_at": "2026-11-24T12:00:00+08:00"}).get_json()

    def shot(marker: bytes, **form):
        # (a PNG with text after its end: distinct bytes each time, the same image)
        return client.post("/v1/screenshots", headers=auth,
                           data={"kind": "payment_proof", "file": (io.BytesIO(PNG + marker), "pay.png"), **form})

    assert shot(b"one", dispute_id=opened["id"]).status_code == 202
    refused = shot(b"two", dispute_id=opened["id"])
    assert refused.status_code == 413 and refused.get_json()["quota"]["name"] == "attachments_per_dispute"
    from server.storage import disputes as dispute_store

    assert len(dispute_store.attachment_ids(r, user, opened["id"])) == 1

    used = quota_store.bytes_used(r, user)
    quota_store.set_override(r, user, "bytes_stored", used + len(PNG) + 5)
    assert shot(b"three").status_code == 202
    refused = shot(b"four")
    assert refused.status_code == 413 and refused.get_json()["quota"]["name"] == "bytes_stored"
    assert "存储空间已满" in refused.get_json()["messages"]["zh"]
    assert quota_store.bytes_used(r, user) <= used + len(PNG) + 5
