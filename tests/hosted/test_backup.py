"""Backups and restore drills: `kadun backup` copies every key and the signing keys; after the
data is destroyed, `kadun restore` brings it back and every capture, receipt, chain, stamp and
evidence pack verifies with the original key. Runs on one Redis and on Redis Cluster
(test_on_cluster.py), against `kadun serve` with its embedded Redis, across topologies, and with
writes racing the backup."""
from __future__ import annotations

import hashlib
import json
import shutil
import uuid
import zipfile

import pytest
import zstandard
from click.testing import CliRunner

from server import create_app
from server.api.metrics import close_all_buffers
from server.cli import main as kadun
from server.cli.backup import DUMP
from server.evidence.receipts import verify_receipt
from server.evidence.verify import verify_pack
from server.storage import accounts, keys, signins
from server.storage import backup as backup_store

from .test_erasure import _stamp
from .world import Person, act, join


def _app(redis_client, data_dir, **extra):
    return create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(data_dir),
                       "RATELIMIT_ENABLED": False, **extra})


def _everything_verifies(app, person: Person, public_key: str) -> dict:
    """Every capture of ``person`` is there, hashes to its receipt, the receipt verifies with the
    original public key; the chain is valid; each dispute's pack verifies pinned to that key."""
    client = app.test_client()
    listed = client.get("/v1/snapshots?limit=500", headers=person.auth)
    assert listed.status_code == 200, listed.get_json()
    assert sorted(i["id"] for i in listed.get_json()["items"]) == sorted(person.snapshot_ids)
    for snapshot_id in person.snapshot_ids:
        detail = client.get(f"/v1/snapshots/{snapshot_id}", headers=person.auth).get_json()
        assert verify_receipt(detail["receipt"], public_key), snapshot_id
        html = client.get(f"/v1/snapshots/{snapshot_id}/html", headers=person.auth).get_data()
        assert hashlib.sha256(html).hexdigest() == detail["sha256"]
    chain = client.get("/v1/chain", headers=person.auth).get_json()
    assert chain["valid"] and chain["length"] == len(person.snapshot_ids) + len(person.attachment_ids), chain
    packs = {}
    for dispute_id in person.dispute_ids:
        response = client.get(f"/v1/disputes/{dispute_id}/pack", headers=person.auth)
        assert response.status_code == 200
        path = app.config["DATA_DIR"] + f"/{dispute_id}.zip"
        with open(path, "wb") as handle:
            handle.write(response.get_data())
        result = verify_pack(path, public_key)
        assert result.ok, result.problem
        packs[dispute_id] = result.checked
    return packs


def _backup(data_dir, out, env: dict) -> dict:
    result = CliRunner().invoke(kadun, ["backup", "-o", str(out), "--data-dir", str(data_dir)], env=env)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:
        return json.loads(zf.read("backup.json"))


def _restore(backup_file, data_dir, env: dict, *extra: str):
    return CliRunner().invoke(kadun, ["restore", str(backup_file), "--data-dir", str(data_dir), *extra], env=env)


def test_back_up_destroy_restore_and_everything_verifies(tsa_app, redis_client, redis_url, tmp_path):
    app = tsa_app
    people = [act(app, join(app, "mia", account=True)), act(app, join(app, "noah"))]
    for person in people:
        assert _stamp(app, person) is not None
    act(app, people[0], dispute=False)  # captures after the stamp: not stamped yet
    public = app.test_client().get("/v1/keys").get_json()["keys"][0]
    before = {p.user: _everything_verifies(app, p, public["public_key"]) for p in people}
    env = {"KADUN_REDIS_URL": redis_url}
    backup_file = tmp_path / "kadun.backup"
    made = _backup(app.config["DATA_DIR"], backup_file, env)
    assert made["keys"] > 50 and made["signing_key_id"] == public["key_id"] and made["unsettled"] == []
    assert (backup_file.stat().st_mode & 0o777) == 0o600  # it holds the private key

    # Disaster: every key gone, the data directory (signing keys) gone.
    redis_client.flushall()
    shutil.rmtree(app.config["DATA_DIR"])
    restored_dir = tmp_path / "restored"
    result = _restore(backup_file, restored_dir, env)
    assert result.exit_code == 0, result.output
    assert f"restored {made['keys']} keys" in result.output

    again = create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(restored_dir),
                        "RATELIMIT_ENABLED": False, "TSA_URL": app.config["TSA_URL"],
                        "TSA_CA_FILE": app.config["TSA_CA_FILE"], "STAMPER": False})
    assert again.test_client().get("/v1/keys").get_json()["keys"][0] == public  # the same key signs on
    after = {p.user: _everything_verifies(again, p, public["public_key"]) for p in people}
    for user, packs in before.items():  # the same items, stamped at the same times by the same TSA
        for dispute_id, checked in packs.items():
            assert [(t["id"], t["stamped"], t.get("time")) for t in after[user][dispute_id]["times"]] == \
                   [(t["id"], t["stamped"], t.get("time")) for t in checked["times"]]
    # The hosted account is back whole: its name, passkey and signed-in web session.
    username, _, passkey, _, session = people[0].account[:5]
    assert accounts.find_by_name(redis_client, username).user == people[0].user
    assert accounts.passkey_owner(redis_client, passkey)[0].user == people[0].user
    assert signins.session_for(redis_client, session).user == people[0].user
    # The devices' tokens work on; new captures chain on from the restored head.
    person = people[1]
    act(again, person, dispute=False, screenshot=False)
    _everything_verifies(again, person, public["public_key"])


def test_a_damaged_or_mismatched_restore_writes_nothing(app, redis_client, redis_url, tmp_path):
    person = act(app, join(app, "olga", devices=1), dispute=False)
    env = {"KADUN_REDIS_URL": redis_url}
    good = tmp_path / "good.backup"
    _backup(app.config["DATA_DIR"], good, env)
    # Into storage that already holds data: refused, nothing changed.
    target = tmp_path / "target"
    refused = _restore(good, target, env)
    assert refused.exit_code != 0 and "already holds KaDun data" in refused.output
    assert len(refused.output.strip().splitlines()) == 1
    # A damaged file is found out before a single key is written.
    redis_client.flushall()
    bad = tmp_path / "bad.backup"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "backup.json":
                doc = json.loads(data)
                doc["dump"]["sha256"] = "0" * 64
                data = json.dumps(doc).encode()
            zout.writestr(info, data)
    damaged = _restore(bad, target, env)
    assert damaged.exit_code != 0 and "damaged" in damaged.output
    assert backup_store.existing_keys(redis_client) == [] and not (target / "signing_key.pem").exists()
    # Another server's key already in the target directory: refused unless --force.
    (target / "signing_key.pem").write_bytes(b"-----BEGIN PRIVATE KEY-----\nother\n-----END PRIVATE KEY-----\n")
    clash = _restore(good, target, env)
    assert clash.exit_code != 0 and "already holds another key" in clash.output
    forced = _restore(good, target, env, "--force")
    assert forced.exit_code == 0, forced.output
    again = _app(redis_client, target)
    _everything_verifies(again, person, again.test_client().get("/v1/keys").get_json()["keys"][0]["public_key"])
    assert _restore(tmp_path / "none.backup", target, env).exit_code != 0


def test_writes_racing_the_backup_leave_a_consistent_copy(app, redis_client, redis_url, monkeypatch):
    """A capture lands between the listing of a user's keys and their copy (the worst moment): the
    backup notices the user changed and copies them again, so every chain link in the copy has its
    capture and every capture its bytes."""
    people = [act(app, join(app, f"race{i}", devices=1), dispute=False) for i in range(3)]
    victim = people[1]
    real = backup_store._copy_atomically
    raced = []

    def copy(r, names):
        if not raced and any(keys.user_hash_tag(victim.user).encode() in n for n in names):
            raced.append(act(app, victim, dispute=False, screenshot=False))  # three captures, right now
        return real(r, names)

    monkeypatch.setattr(backup_store, "_copy_atomically", copy)
    chunks: list[bytes] = []
    stats = backup_store.dump(redis_client, chunks.append)
    assert raced and stats.recopied >= 1 and stats.unsettled == []
    # Lose everything, restore the copy, check it.
    import io

    redis_client.flushall()
    stream = io.BytesIO(b"".join(chunks))
    backup_store.restore(redis_client, backup_store.records(stream.read))
    public = app.test_client().get("/v1/keys").get_json()["keys"][0]["public_key"]
    for person in people:
        _everything_verifies(app, person, public)


@pytest.fixture
def quiet_env(monkeypatch):
    for name in ("REDIS_URL", "KADUN_REDIS_URL", "KADUN_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)


def test_restore_drill_with_kadun_serve_and_its_embedded_redis(tmp_path, quiet_env):
    """The way a small deployment runs: `kadun serve` on a data directory; back up while it serves,
    lose the machine, restore on a new directory, serve again."""
    from tests.bench.load import _get, _pair
    from tests.ops.stack import Stack

    from .test_erasure_served import _post

    (tmp_path / "old").mkdir()
    first = Stack(tmp_path / "old", workers=2)
    first.start_redis()
    first.start_app()
    try:
        token = _pair(first, 1)[0]
        for i in range(4):
            assert _post(first.port, token, f"drill-{i}-{uuid.uuid4().hex}") == 201
        status, raw = _get(first.port, token, "/v1/keys")
        key = json.loads(raw)["keys"][0]
        status, raw = _get(first.port, token, "/v1/snapshots?limit=50")
        ids = sorted(i["id"] for i in json.loads(raw)["items"])
        backup_file = tmp_path / "serve.backup"
        result = CliRunner().invoke(kadun, ["backup", "-o", str(backup_file), "--data-dir", str(tmp_path / "old")])
        assert result.exit_code == 0, result.output
    finally:
        first.stop()
    shutil.rmtree(tmp_path / "old")
    restored = CliRunner().invoke(kadun, ["restore", str(backup_file), "--data-dir", str(tmp_path / "new")])
    assert restored.exit_code == 0, restored.output
    second = Stack(tmp_path / "new", workers=2)
    second.start_redis()
    second.start_app()
    try:
        status, raw = _get(second.port, token, "/v1/keys")
        assert json.loads(raw)["keys"][0] == key
        status, raw = _get(second.port, token, "/v1/snapshots?limit=50")
        assert status == 200 and sorted(i["id"] for i in json.loads(raw)["items"]) == ids
        for snapshot_id in ids:
            status, raw = _get(second.port, token, f"/v1/snapshots/{snapshot_id}")
            assert verify_receipt(json.loads(raw)["receipt"], key["public_key"])
        status, raw = _get(second.port, token, "/v1/chain")
        assert json.loads(raw)["valid"] and json.loads(raw)["length"] == 4
        assert _post(second.port, token, "after-restore") == 201
    finally:
        second.stop()


def test_a_backup_of_one_redis_restores_into_a_redis_cluster(app, redis_url, tmp_path, quiet_env):
    from server.storage.redis import connect
    from tests.ops.cluster import LocalCluster

    person = act(app, join(app, "pia", devices=1))
    public = app.test_client().get("/v1/keys").get_json()["keys"][0]["public_key"]
    backup_file = tmp_path / "one.backup"
    _backup(app.config["DATA_DIR"], backup_file, {"KADUN_REDIS_URL": redis_url})
    with LocalCluster(tmp_path / "cluster") as cluster:
        result = _restore(backup_file, tmp_path / "clustered", {"KADUN_REDIS_URL": cluster.url})
        assert result.exit_code == 0, result.output
        client = connect(cluster.url)
        clustered = _app(client, tmp_path / "clustered")
        _everything_verifies(clustered, person, public)
        # And back again: a backup of the cluster restores into one server.
        back = tmp_path / "cluster.backup"
        made = _backup(tmp_path / "clustered", back, {"KADUN_REDIS_URL": cluster.url})
        assert made["source"]["cluster"] is True
        client.close()


def test_a_server_left_running_on_the_emptied_storage_does_not_block_the_restore(app, redis_client, redis_url,
                                                                               tmp_path):
    """After a disaster the server is often still up: its request figures and /readyz probe land
    in the emptied storage within a second. They are not anybody's data: the restore goes ahead
    without --force, and a backup does not carry them."""
    person = act(app, join(app, "pia", devices=1), dispute=False)
    assert app.test_client().get("/readyz").status_code == 200
    close_all_buffers()
    env = {"KADUN_REDIS_URL": redis_url}
    backup_file = tmp_path / "kadun.backup"
    assert redis_client.exists("kadun:readyz") and redis_client.exists("kadun:metrics:http")  # there when backed up
    _backup(app.config["DATA_DIR"], backup_file, env)
    with zipfile.ZipFile(backup_file) as zf:
        reader = zstandard.ZstdDecompressor().stream_reader(zf.open(DUMP))
        names = [key.decode() for key, _, _ in backup_store.records(reader.read)]
    assert names and not [n for n in names if n.startswith("kadun:metrics:") or n == "kadun:readyz"]

    redis_client.flushall()
    client = app.test_client()
    assert client.get("/readyz").status_code == 200
    close_all_buffers()  # what the flusher thread does within a second
    left = sorted(k.decode() for k in redis_client.scan_iter(match=b"kadun:*"))
    assert left and all(k.startswith("kadun:metrics:") or k == "kadun:readyz" for k in left), left
    assert backup_store.existing_keys(redis_client) == []

    result = _restore(backup_file, tmp_path / "restored", env)
    assert result.exit_code == 0, result.output
    listed = app.test_client().get("/v1/snapshots?limit=500", headers=person.auth)
    assert sorted(i["id"] for i in listed.get_json()["items"]) == sorted(person.snapshot_ids)
    # Real data in the way still stops it.
    refused = _restore(backup_file, tmp_path / "again", env)
    assert refused.exit_code != 0 and "already holds KaDun data" in refused.output
