"""Trusted time beside ingest: captures are never held up by the TSA; heads are stamped in batches,
at once when a dispute opens, retried after an outage, and never twice by competing workers."""
from __future__ import annotations

import threading
import time

from server.storage import keys
from server.storage import stamps as stamp_store
from tests.conftest import capture_body, pair_user

from .conftest import stamp

ORDER = ("xingchen-km-order.html", "https://www.xingchen-km.com/user/order/detail?order_no=XC20261124100322581")


def _post(client, token, **extra):
    response = client.post("/v1/snapshots", json=capture_body(*ORDER, **extra),
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_capture_is_answered_pending_then_stamped(tsa_app, tsa):
    token, user = pair_user(tsa_app)
    client = tsa_app.test_client()
    before = tsa.requests
    tsa.delay = 2.0  # a slow TSA must not slow the capture: nothing calls it on the request path
    out = _post(client, token)
    assert out["timestamp"] == {"status": "pending"} and tsa.requests == before
    assert stamp_store.is_due(tsa_app.extensions["kadun"].redis, user)
    tsa.delay = 0.0
    made = stamp(tsa_app, user)
    assert made is not None and made.chain_index == out["chain_index"]
    got = client.get(f"/v1/snapshots/{out['id']}", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert got["timestamp"]["status"] == "stamped" and got["timestamp"]["tsa"] == "CN=KaDun Test TSA,O=KaDun test"
    assert got["timestamp"]["chain_index"] == out["chain_index"]
    assert not stamp_store.is_due(tsa_app.extensions["kadun"].redis, user)


def test_a_burst_of_captures_shares_one_stamp(tsa_app, tsa):
    from server import clock
    from server.evidence.stamping import run_due

    token, user = pair_user(tsa_app)
    client = tsa_app.test_client()
    outs = [_post(client, token) for _ in range(5)]
    before = tsa.requests
    svc = tsa_app.extensions["kadun"]
    assert run_due(svc.redis, svc.stamp_config, clock.now_iso) == 1
    assert tsa.requests == before + 1
    assert run_due(svc.redis, svc.stamp_config, clock.now_iso) == 0  # nothing new: no second stamp
    latest = stamp_store.latest(svc.redis, user)
    assert latest.chain_index == outs[-1]["chain_index"]
    assert all(stamp_store.covering(svc.redis, user, o["chain_index"]).chain_index == latest.chain_index
               for o in outs)


def test_new_captures_wait_a_few_seconds_for_their_batch(app):
    """With the default batch delay a new head is due a few seconds later, not at once."""
    from server.storage import stamps

    r = app.extensions["kadun"].redis
    now = int(time.time() * 1000)
    stamps.note_capture(r, "u_batch", now, 3)
    stamps.note_capture(r, "u_batch", now + 1000, 3)  # a later capture does not push it back
    assert stamps.next_due_ms(r) == now + 3000 and stamps.due_users(r, now) == []
    stamps.request_now(r, "u_batch", now + 10)  # a dispute: at once
    assert stamps.due_users(r, now + 10) == ["u_batch"]


def test_opening_a_dispute_stamps_at_once(tsa_app, tsa):
    token, user = pair_user(tsa_app)
    client = tsa_app.test_client()
    svc = tsa_app.extensions["kadun"]
    tsa_app.config["STAMP_BATCH_SECONDS"] = 600
    svc.stamp_config.batch_seconds = 600
    _post(client, token)
    assert stamp_store.due_users(svc.redis, int(time.time() * 1000)) == []  # batched for later
    response = client.post("/v1/disputes", headers={"Authorization": f"Bearer {token}"}, json={
        "domain": "xingchen-km.com", "order_no": "XC20261124100322581", "problem": "not_delivered",
        "occurred_at": "2026-11-26T11:00:00+08:00"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["trusted_time"]["configured"] and body["trusted_time"]["pending"] == 1
    assert stamp_store.due_users(svc.redis, int(time.time() * 1000)) == [user]
    assert stamp(tsa_app, user) is not None
    again = client.get(f"/v1/disputes/{body['id']}", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert again["trusted_time"]["stamped"] == 1 and again["trusted_time"]["pending"] == 0


def test_tsa_down_never_blocks_or_loses_a_capture_and_is_retried(tsa_app, tsa):
    token, user = pair_user(tsa_app)
    client = tsa_app.test_client()
    svc = tsa_app.extensions["kadun"]
    tsa.down = True
    out = _post(client, token)
    assert stamp(tsa_app, user) is None
    due = svc.redis.zscore(keys.stamp_due(), user)
    assert due is not None and due > time.time() * 1000  # kept, retried later with backoff
    assert int(svc.redis.get(keys.stamp_attempts(user))) == 1
    assert stamp(tsa_app, user) is None and int(svc.redis.get(keys.stamp_attempts(user))) == 2
    tsa.down = False
    made = stamp(tsa_app, user)
    assert made is not None and made.chain_index == out["chain_index"]
    assert svc.redis.get(keys.stamp_attempts(user)) is None


def test_two_workers_never_stamp_one_head_twice(tsa_app, tsa):
    token, user = pair_user(tsa_app)
    _post(tsa_app.test_client(), token)
    tsa.delay = 0.5
    before = tsa.requests
    results = []
    threads = [threading.Thread(target=lambda: results.append(stamp(tsa_app, user))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len([r for r in results if r is not None]) == 1 and tsa.requests == before + 1
    assert tsa_app.extensions["kadun"].redis.zcard(keys.stamps(user)) == 1


def test_the_stamper_thread_stamps_by_itself(redis_client, data_dir, tsa):
    from server import create_app

    app = create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(data_dir), "RATELIMIT_ENABLED": False,
                      "TSA_URL": f"{tsa.url}, {tsa.url}", "TSA_CA_FILE": str(tsa.ca["root"]),
                      "STAMP_BATCH_SECONDS": 0, "STAMP_POLL_SECONDS": 0.05})
    try:
        tsa.down, tsa.delay = False, 0.0
        token, user = pair_user(app)
        out = _post(app.test_client(), token)
        deadline = time.monotonic() + 30
        while stamp_store.covering(redis_client, user, out["chain_index"]) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        stamped = stamp_store.covering(redis_client, user, out["chain_index"])
        assert stamped is not None and len(stamped.tokens) == 2  # one token per configured TSA
    finally:
        app.extensions["kadun"].stamper.stop()
