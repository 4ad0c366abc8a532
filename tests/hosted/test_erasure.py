"""Deleting an account: every key of the user goes, on one Redis and on Redis Cluster (the same
tests run there, tests/hosted/test_on_cluster.py); the shared aggregates end as if the user had
never contributed; the deletion is logged without personal data; the user's tokens stop working at
once; a request or a stamping round racing the deletion leaves nothing behind."""
from __future__ import annotations

import json
import logging
import threading
import uuid

import pytest

from server import clock
from server.evidence.stamping import stamp_user
from server.rights import delete_user
from server.storage import accounts, erasure, keys
from server.storage import quotas as quota_store
from server.storage import users as user_store

from .world import PAGES, Person, act, code_for, fixture_url, join, keyspace, traces

TIME_FIELDS = {b"first_seen", b"updated_at", b"last_at"}


def _stamp(app, person: Person):
    svc = app.extensions["kadun"]
    return stamp_user(svc.redis, person.user, svc.stamp_config, clock.now_iso)


def _shared(r) -> dict:
    """The shared aggregates of every site, comparable across two runs: counts and set sizes, no
    times (they differ between runs) and no ids (random per run)."""
    out = {}
    marker = b"}:u:"
    for key, parts in keyspace(r).items():
        if not key.startswith(b"kadun:{p:") or marker in key:
            continue
        kind = r.type(key)
        if kind == b"hash":
            fields = r.hgetall(key)
            if key.endswith(b":disputes:counted"):
                out[key] = sorted(fields.values())  # dispute id → seller: the sellers counted
            else:
                out[key] = {k: v for k, v in fields.items() if k not in TIME_FIELDS}
        elif kind == b"set":
            out[key] = len(parts)
        else:
            out[key] = (kind, len(parts))
    return out


def _everything_of(app, person: Person, *, stamp: bool = True) -> Person:
    r = app.extensions["kadun"].redis
    act(app, person)
    if stamp:
        assert _stamp(app, person) is not None
    quota_store.set_override(r, person.user, "captures_per_day", 999)
    person.pairing_code = code_for(r, person.user)  # a code made for one more device, never used
    return person


def test_nothing_of_a_deleted_user_remains_and_the_aggregates_forget_them(tsa_app, redis_client, caplog):
    app, r = tsa_app, redis_client
    # The world without Alice: what the shared aggregates hold when only Bob acted.
    bob = _everything_of(app, join(app, "bob"))
    alone = _shared(r)
    assert alone, "the world has shared aggregates to compare"
    r.flushall()

    # The same world with Alice in it too (before and after Bob), then Alice deletes her account.
    alice = _everything_of(app, join(app, "alice", account=True))
    bob = _everything_of(app, join(app, "bob", account=True))
    act(app, alice, dispute=False, screenshot=False)  # more of Alice after Bob, on the same sites
    assert traces(r, alice), "the test can see Alice while she exists"
    assert _shared(r) != alone, "Alice counts in the aggregates while she exists"
    before = {k for k in keyspace(r)}
    with caplog.at_level(logging.INFO, logger="kadun.audit"):
        report = delete_user(r, alice.user)

    assert traces(r, alice) == []
    assert _shared(r) == alone, "the aggregates are as if Alice never contributed"
    assert not any(alice.user.encode() in key for key in keyspace(r))
    assert report["user_keys"] > 20 and report["site_keys"] >= 2 and report["aggregates"] > 0
    assert len(before) - len(keyspace(r)) >= report["user_keys"] + report["site_keys"] - 1
    # Logged and recorded with counts and a random id only.
    logged = [rec.getMessage() for rec in caplog.records if rec.name == "kadun.audit"]
    assert len(logged) == 1 and report["deletion_id"] in logged[0]
    assert all(secret.decode() not in logged[0] for secret in alice.secrets())
    entries = erasure.deletions(r)
    assert [e["deletion_id"] for e in entries] == [report["deletion_id"]]
    assert set(entries[0]) == {"deletion_id", "at", "user_keys", "site_keys", "service_keys", "aggregates"}

    # Her tokens are refused at once; Bob is untouched.
    client = app.test_client()
    for token in alice.tokens:
        auth = {"Authorization": f"Bearer {token}"}
        assert client.get("/v1/snapshots", headers=auth).status_code == 401
        assert client.post("/v1/snapshots", headers=auth, json={"client_id": "x", "url": "https://a.cn/",
                                                                 "html": "<html></html>"}).status_code == 401
    listed = client.get("/v1/snapshots?limit=500", headers=bob.auth).get_json()["items"]
    assert sorted(i["id"] for i in listed) == sorted(bob.snapshot_ids)
    chain = client.get("/v1/chain", headers=bob.auth).get_json()
    assert chain["valid"] and chain["length"] == len(bob.snapshot_ids) + len(bob.attachment_ids)
    assert client.get(f"/v1/disputes/{bob.dispute_ids[0]}", headers=bob.auth).status_code == 200
    assert erasure.user_exists(r, bob.user) and not erasure.user_exists(r, alice.user)
    assert accounts.find_by_name(r, bob.account[0]).user == bob.user
    assert accounts.find_by_name(r, alice.account[0]) is None


def test_deleting_twice_or_an_unknown_user(app, redis_client):
    from server.errors import NotFound

    person = act(app, join(app, "carol"), dispute=False)
    delete_user(redis_client, person.user)
    with pytest.raises(NotFound):
        delete_user(redis_client, person.user)
    # An erasure of whatever is left of a user the service no longer knows is harmless.
    assert delete_user(redis_client, person.user, must_exist=False)["user_keys"] == 0
    assert traces(redis_client, person) == []


def test_deleting_the_local_default_user_lets_the_next_pairing_start_afresh(app, redis_client):
    owner = act(app, join(app, "owner", devices=1, default=True), dispute=False)
    assert user_store.default_user(redis_client) == owner.user
    delete_user(redis_client, owner.user)
    assert traces(redis_client, owner) == []
    assert redis_client.get(keys.default_user()) is None
    fresh = join(app, "next", devices=1, default=True)
    assert fresh.user != owner.user
    listed = app.test_client().get("/v1/snapshots", headers=fresh.auth).get_json()["items"]
    assert listed == []


def test_a_capture_racing_the_deletion_leaves_nothing(app, redis_client, monkeypatch):
    """The deletion lands while a capture is being stored (after its token and existence were
    checked): the request's own writes are erased again when it ends."""
    from server.risk import service as risk_service

    dave = act(app, join(app, "dave", devices=1), dispute=False)
    real = risk_service.after_capture

    def deleted_midway(r, user, capture, facts, html=None, tree=None):
        delete_user(r, user)  # the account goes between the chain write and the risk views
        return real(r, user, capture, facts, html, tree=tree)

    monkeypatch.setattr(risk_service, "after_capture", deleted_midway)
    html = (PAGES[1], fixture_url(PAGES[1]))
    from tests.conftest import FIXTURES

    body = {"client_id": str(uuid.uuid4()), "url": html[1], "html": (FIXTURES / html[0]).read_text(encoding="utf-8")
            .replace("</body>", f"<!-- {dave.marker} race --></body>")}
    answer = app.test_client().post("/v1/snapshots", json=body, headers=dave.auth)
    assert answer.status_code in (201, 401), answer.get_json()
    if answer.status_code == 201:
        dave.snapshot_ids.append(answer.get_json()["id"])
    assert traces(redis_client, dave) == []


def test_an_orders_listing_racing_the_deletion_leaves_nothing(app, redis_client, monkeypatch):
    """A read that writes: the first orders listing indexes the captures made before the indexes
    existed. The deletion lands between reading those captures and writing their index entries;
    the entries (and the "indexed" mark) must not outlive the account."""
    from server.storage import orders

    fay = act(app, join(app, "fay", devices=1), dispute=False)
    redis_client.delete(keys.search_indexed(fay.user), keys.orders(fay.user), keys.user_domains(fay.user))
    real = orders.captures.get_many
    deleted = []

    def deleted_midway(r, user, ids):
        found = real(r, user, ids)
        if not deleted:
            delete_user(r, user)  # the account goes after its captures were read
            deleted.append(user)
        return found

    monkeypatch.setattr(orders.captures, "get_many", deleted_midway)
    answer = app.test_client().get("/v1/orders", headers=fay.auth)
    assert deleted == [fay.user], "the listing read the captures to index them"
    assert answer.status_code in (200, 401), answer.get_json()
    assert traces(redis_client, fay) == []


def test_indexing_the_orders_of_a_local_user_outside_the_users_set_erases_nothing(app, redis_client):
    """The purge after indexing is for users deleted meanwhile, not for one who never was a member."""
    from server.storage import orders

    gus = act(app, join(app, "gus", devices=1), dispute=False)
    redis_client.srem(keys.users(), gus.user)
    redis_client.delete(keys.search_indexed(gus.user), keys.orders(gus.user))
    orders.ensure_indexed(redis_client, gus.user)
    assert redis_client.exists(keys.search_indexed(gus.user))
    assert redis_client.zcard(keys.orders(gus.user)) > 0
    assert redis_client.zcard(keys.snapshots_all(gus.user)) == len(gus.snapshot_ids)


def test_a_stamping_round_racing_the_deletion_leaves_nothing(tsa_app, redis_client, tsa):
    erin = act(tsa_app, join(tsa_app, "erin", devices=1), dispute=False)
    tsa.delay = 1.5  # the TSA answers slowly: the deletion happens while the stamper waits for it
    made, started = [], threading.Event()
    svc = tsa_app.extensions["kadun"]

    def stamper():
        started.set()
        made.append(stamp_user(svc.redis, erin.user, svc.stamp_config, clock.now_iso))

    worker = threading.Thread(target=stamper)
    worker.start()
    started.wait(10)
    from tests.browser.driver import wait_for

    wait_for(lambda: redis_client.exists(keys.stamp_lock(erin.user)), 10, "the stamper to take its lock")
    delete_user(redis_client, erin.user)
    worker.join(30)
    tsa.delay = 0.0
    assert made and made[0] is not None, "the stamp was made (then erased with the account)"
    assert traces(redis_client, erin) == []


def test_the_deletion_log_keeps_counts_only(app, redis_client):
    people = [act(app, join(app, f"p{i}", devices=1), dispute=False) for i in range(3)]
    ids = [delete_user(redis_client, p.user)["deletion_id"] for p in people]
    entries = erasure.deletions(redis_client)
    assert [e["deletion_id"] for e in entries] == ids[::-1]
    raw = b"".join(redis_client.lrange(keys.deletions_log(), 0, -1))
    for person in people:
        assert all(secret not in raw for secret in person.secrets())
    assert all(json.loads(x)["user_keys"] > 0 for x in redis_client.lrange(keys.deletions_log(), 0, -1))


def test_a_calendar_feed_and_a_screenshot_waiting_for_ocr_leave_nothing(app, redis_client):
    """The calendar feed's secret → user mapping and the OCR queue's (user, upload) entries are
    service-wide keys: a deleted user's stayed behind (the mapping for good), naming the user."""
    import hashlib
    import io

    from tests.ops.helpers import PNG

    r = redis_client
    alice = act(app, join(app, "alice"), dispute=False, screenshot=False)
    bob = act(app, join(app, "bob"), dispute=False, screenshot=False)
    client = app.test_client()
    feeds = {}
    for person in (alice, bob):
        made = client.post("/v1/calendar", headers=person.auth)
        assert made.status_code == 201, made.get_json()
        feeds[person.user] = "/" + made.get_json()["url"].split("://", 1)[1].split("/", 1)[1]
        shot = client.post("/v1/screenshots", headers=person.auth,
                           data={"kind": "payment_proof", "file": (io.BytesIO(PNG), "pay.png")})
        assert shot.status_code == 202, shot.get_json()  # stored; read off the request path
        person.attachment_ids.append(shot.get_json()["id"])
    secret = feeds[alice.user].split("key=", 1)[1]
    alice.hashes.add(hashlib.sha256(secret.encode()).hexdigest())
    assert traces(r, alice)

    delete_user(r, alice.user)
    assert traces(r, alice) == []
    assert client.get(feeds[alice.user]).status_code == 404
    # Bob's feed and his queued reading are his still.
    assert client.get(feeds[bob.user]).status_code == 200
    from server.ocr import jobs

    assert jobs.queued(r, bob.user, bob.attachment_ids[-1])
