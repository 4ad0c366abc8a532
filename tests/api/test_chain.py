"""GET /v1/chain: appended atomically under concurrency, re-verified from storage, names the first
bad link when stored data is tampered with, and shows each user only their own chain."""
from __future__ import annotations

import json
import threading

import pytest

from server.evidence.chain import link_hash
from server.storage import blobs, keys
from server.storage.captures import decode_record
from tests.api.test_captures import data_url, png_bytes
from tests.conftest import capture_body, fixture_index, pair_user

URL = "https://vip.jisufa-ka.xyz/order.php?orderid=1"


def _read(raw) -> dict:
    """A stored chain link or record as a dict (they are stored compressed)."""
    return json.loads(blobs.unpack_record(raw))


def post_pages(client, auth, n: int, **extra) -> list[dict]:
    pages = fixture_index()
    outs = []
    for i in range(n):
        page = pages[i % len(pages)]
        response = client.post("/v1/snapshots", json=capture_body(page["file"], page["url"], **extra), headers=auth)
        assert response.status_code == 201
        outs.append(response.get_json())
    return outs


def chain_of(client, auth) -> dict:
    response = client.get("/v1/chain", headers=auth)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_concurrent_posts_from_several_workers_make_one_gapless_chain(app, auth, redis_client, data_dir):
    """Threads across two app instances (as two gunicorn workers would be) append to one chain."""
    from server import create_app

    other = create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(data_dir),
                        "RATELIMIT_ENABLED": False})
    pages = fixture_index()
    results, errors = [], []
    barrier = threading.Barrier(6)

    def worker(n: int):
        client = (app if n % 2 else other).test_client()
        barrier.wait()
        for i in range(8):
            page = pages[(n * 8 + i) % len(pages)]
            response = client.post("/v1/snapshots", json=capture_body(page["file"], page["url"]), headers=auth)
            (results if response.status_code == 201 else errors).append(response.get_json())

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(out["chain_index"] for out in results) == list(range(48))
    chain = chain_of(app.test_client(), auth)
    assert chain["length"] == 48 and chain["valid"] and chain["first_bad_index"] is None
    head = max(results, key=lambda out: out["chain_index"])
    assert chain["head"] == head["chain_hash"]
    # Every response's link is exactly the stored one.
    user = json.loads(head["receipt"]["payload"])["user"]
    stored = [_read(raw) for raw in redis_client.lrange(keys.chain(user), 0, -1)]
    for out in results:
        link = stored[out["chain_index"]]
        assert (link["id"], link["chain_hash"], link["sha256"]) == (out["id"], out["chain_hash"], out["sha256"])


def test_chain_links_follow_the_design_formula(client, auth, redis_client):
    outs = post_pages(client, auth, 3)
    user = json.loads(outs[0]["receipt"]["payload"])["user"]
    prev = "0" * 64
    for out in outs:
        assert out["chain_hash"] == link_hash(prev, out["sha256"], out["received_at"], out["id"])
        prev = out["chain_hash"]
    assert redis_client.llen(keys.chain(user)) == 3


def _user_of(out: dict) -> str:
    return json.loads(out["receipt"]["payload"])["user"]


def _edit_link(r, user, position, **changes):
    link = _read(r.lindex(keys.chain(user), position))
    link.update(changes)
    r.lset(keys.chain(user), position, json.dumps(link))


def _edit_snapshot(r, user, snapshot_id, **changes):
    meta = decode_record(r.get(keys.snapshot(user, snapshot_id)))
    meta.update(changes)
    r.set(keys.snapshot(user, snapshot_id), blobs.pack_record(json.dumps(meta)))


TAMPERS = {
    "link-sha256": lambda r, u, outs: _edit_link(r, u, 2, sha256="f" * 64),
    "link-received-at": lambda r, u, outs: _edit_link(r, u, 2, received_at="2020-01-01T00:00:00.000+08:00"),
    "link-index": lambda r, u, outs: _edit_link(r, u, 2, index=7),
    "link-not-json": lambda r, u, outs: r.lset(keys.chain(u), 2, b"\x00garbage"),
    "link-missing-field": lambda r, u, outs: r.lset(keys.chain(u), 2, json.dumps({"index": 2})),
    "link-removed": lambda r, u, outs: r.lrem(keys.chain(u), 1, r.lindex(keys.chain(u), 2)),
    "blob-changed": lambda r, u, outs: r.set(keys.blob(u, outs[2]["sha256"]), blobs.compress(b"<html>x</html>")),
    "blob-deleted": lambda r, u, outs: r.delete(keys.blob(u, outs[2]["sha256"])),
    "blob-not-zstd": lambda r, u, outs: r.set(keys.blob(u, outs[2]["sha256"]), b"not zstd at all"),
    "screenshot-changed": lambda r, u, outs: r.set(keys.blob(u, _shot_sha(outs[2])), blobs.compress(b"\x89PNG!")),
    "metadata-sha256": lambda r, u, outs: _edit_snapshot(r, u, outs[2]["id"], sha256="e" * 64),
    "metadata-deleted": lambda r, u, outs: r.delete(keys.snapshot(u, outs[2]["id"])),
    "metadata-not-json": lambda r, u, outs: r.set(keys.snapshot(u, outs[2]["id"]), b"{"),
    "metadata-corrupt": lambda r, u, outs: r.setrange(keys.snapshot(u, outs[2]["id"]), 12, b"\xff\xff\xff"),
    "metadata-plain-json-edit": lambda r, u, outs: r.set(keys.snapshot(u, outs[2]["id"]), json.dumps(
        {**decode_record(r.get(keys.snapshot(u, outs[2]["id"]))), "received_at": "2020-01-01T00:00:00+08:00"})),
    # A rewritten link whose own hash is recomputed: the next link no longer follows from it.
    "link-recomputed": lambda r, u, outs: _recompute(r, u, 2),
}


def _shot_sha(out: dict) -> str:
    return json.loads(out["receipt"]["payload"])["screenshot_sha256"]


def _recompute(r, user, index):
    link = _read(r.lindex(keys.chain(user), index))
    link["received_at"] = "2020-01-01T00:00:00.000+08:00"
    prev = _read(r.lindex(keys.chain(user), index - 1))["chain_hash"]
    link["chain_hash"] = link_hash(prev, link["sha256"], link["received_at"], link["id"])
    r.lset(keys.chain(user), index, json.dumps(link))
    _edit_snapshot(r, user, link["id"], received_at=link["received_at"], chain_hash=link["chain_hash"])


@pytest.mark.parametrize("tamper", sorted(TAMPERS))
def test_tampering_names_the_first_bad_link(client, auth, redis_client, tamper):
    # Distinct pages, each with its own screenshot, so every blob is named by one link only.
    pages = fixture_index()
    outs = []
    for i in range(5):
        body = capture_body(pages[i]["file"], pages[i]["url"], screenshot=data_url(png_bytes(seed=i)))
        outs.append(client.post("/v1/snapshots", json=body, headers=auth).get_json())
    assert chain_of(client, auth)["valid"]
    user = _user_of(outs[0])
    TAMPERS[tamper](redis_client, user, outs)
    chain = chain_of(client, auth)
    expected = 3 if tamper == "link-recomputed" else 2
    assert chain["valid"] is False and chain["first_bad_index"] == expected, chain
    assert chain["length"] == (4 if tamper == "link-removed" else 5)
    if tamper not in ("link-removed",):
        assert chain["head"] == outs[-1]["chain_hash"]


def test_tampering_the_first_and_last_links(client, auth, redis_client):
    outs = post_pages(client, auth, 3)
    user = _user_of(outs[0])
    _edit_link(redis_client, user, 2, prev_hash="1" * 64)
    assert chain_of(client, auth)["first_bad_index"] == 2
    _edit_link(redis_client, user, 0, prev_hash="1" * 64)
    assert chain_of(client, auth)["first_bad_index"] == 0


def test_empty_chain_is_valid(client, auth):
    assert chain_of(client, auth) == {"length": 0, "head": "0" * 64, "valid": True, "first_bad_index": None}


def test_user_b_cannot_see_or_verify_user_a_captures(app, client, auth):
    outs = post_pages(client, auth, 2, screenshot=data_url(png_bytes()))
    token_b, user_b = pair_user(app, new_user=True)
    assert user_b != _user_of(outs[0])
    auth_b = {"Authorization": f"Bearer {token_b}"}
    for out in outs:
        for suffix in ("", "/html", "/screenshot"):
            response = client.get(f"/v1/snapshots/{out['id']}{suffix}", headers=auth_b)
            assert response.status_code == 404 and response.get_json()["error"] == "not_found"
            assert client.get(f"/v1/snapshots/{out['id']}{suffix}", headers=auth).status_code == 200
    assert chain_of(client, auth_b) == {"length": 0, "head": "0" * 64, "valid": True, "first_bad_index": None}
    assert client.get("/v1/snapshots", headers=auth_b).get_json() == {"items": [], "next": None}
    # B's own captures start B's own chain at index 0.
    mine = client.post("/v1/snapshots", json=capture_body("risky-shop-order.html", URL), headers=auth_b).get_json()
    assert mine["chain_index"] == 0 and _user_of(mine) == user_b
    assert chain_of(client, auth)["length"] == 2


def test_devices_of_the_default_user_share_one_chain(app, client):
    token_1, user_1 = pair_user(app)
    token_2, user_2 = pair_user(app)
    assert user_1 == user_2 and token_1 != token_2
    first = client.post("/v1/snapshots", json=capture_body("risky-shop-order.html", URL),
                        headers={"Authorization": f"Bearer {token_1}"}).get_json()
    second = client.post("/v1/snapshots", json=capture_body("risky-shop-order.html", URL),
                         headers={"Authorization": f"Bearer {token_2}"}).get_json()
    assert (first["chain_index"], second["chain_index"]) == (0, 1)
    assert client.get(f"/v1/snapshots/{first['id']}", headers={"Authorization": f"Bearer {token_2}"}).status_code == 200
