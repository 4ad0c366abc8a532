"""The production server (``kadun serve``: gunicorn workers, embedded redis-server) under a small
load, under kill -9 of the app and of Redis, and stopped with SIGTERM mid-request."""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import time
import uuid

from tests.bench import load
from tests.conftest import FIXTURES


def _assert_nothing_lost(result: dict) -> None:
    v = result["verify"]
    assert result["acknowledged"] == result["sent"], result
    assert result["rejected_count"] == 0, result["rejected"]
    assert not [r for r in result["retry_reasons"] if r.startswith("500")], result["retry_reasons"]
    assert (v["lost"], v["duplicates"], v["unexpected"], v["corrupt"], v["bad_receipts"]) == (0, 0, 0, 0, 0), v
    assert v["chains_valid"], v["problems"]
    assert v["stored"] == result["sent"]


def test_small_load_against_gunicorn(tmp_path):
    result = load.run(clients=4, captures=8, users=2, workers=2, resend_rate=0.2, data_dir=str(tmp_path),
                      budget=120)
    _assert_nothing_lost(result)
    assert result["resent_after_ack"] > 0  # lost answers were simulated and answered with the same id
    assert result["p50_ms"] > 0 and result["throughput_per_s"] > 0
    # The server wrote one JSON line per request, each with its request id.
    lines = [json.loads(line) for line in (tmp_path / "app.log").read_text().splitlines()
             if line.startswith("{")]
    posts = [x for x in lines if x.get("logger") == "kadun.request" and x.get("path") == "/v1/snapshots"
             and x.get("method") == "POST"]
    assert len(posts) >= result["sent"]
    assert all(len(x["request_id"]) == 32 and x["status"] in (200, 201) for x in posts)


def test_kill_app_and_redis_during_load(tmp_path):
    result = load.run(clients=4, captures=15, users=2, workers=2, faults=True, data_dir=str(tmp_path),
                      budget=180)
    _assert_nothing_lost(result)
    assert [f["killed"] for f in result["faults"]] == ["app", "redis", "redis+app"]
    assert result["retries"] > 0  # the faults were felt by the clients, and ridden out


def _trickle_post(port: int, token: str, body: bytes, first: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    head = (f"POST /v1/snapshots HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    sock.sendall(head.encode() + body[:first])
    return sock


def test_sigterm_finishes_the_request_in_flight(tmp_path):
    # Two workers: the idle one exits at once, and must not take Redis down with it.
    stack = load.Stack(tmp_path, workers=2)
    try:
        stack.start_redis()
        stack.start_app()
        token = load._pair(stack, 1)[0]
        html = (FIXTURES / "xingchen-km-order.html").read_text(encoding="utf-8")
        client_id = str(uuid.uuid4())
        body = json.dumps({"client_id": client_id, "url": "https://www.xingchen-km.com/order/1",
                           "html": html}).encode()
        sock = _trickle_post(stack.port, token, body, len(body) // 2)
        time.sleep(0.5)  # the worker has the request and is reading its body
        os.kill(stack.app.pid, signal.SIGTERM)
        time.sleep(1.0)
        # Shutting down: new connections are no longer served ...
        try:
            probe = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=2)
            probe.request("GET", "/healthz")
            probe.getresponse()
            refused = False
        except OSError:
            refused = True
        assert refused
        # ... but the request in flight is finished and answered.
        sock.sendall(body[len(body) // 2:])
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        sock.close()
        status_line, _, rest = answer.partition(b"\r\n")
        assert b" 201 " in status_line, answer[:300]
        acked = json.loads(rest.partition(b"\r\n\r\n")[2])
        assert stack.app.wait(30) == 0
        stack.app = None
        # It is stored, on disk: restart everything on the same directory and find it.
        stack.redis.stop()
        stack.start_redis()
        stack.start_app()
        status, raw = load._get(stack.port, token, f"/v1/snapshots/{acked['id']}")
        assert status == 200 and json.loads(raw)["client_id"] == client_id
        status, raw = load._get(stack.port, token, "/v1/chain")
        assert json.loads(raw) == {"length": 1, "head": acked["chain_hash"], "valid": True, "first_bad_index": None}
    finally:
        stack.stop()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def test_a_killed_master_leaves_redis_running_for_the_next_start(tmp_path):
    stack = load.Stack(tmp_path, workers=2)
    try:
        stack.start_redis()
        stack.start_app()
        token = load._pair(stack, 1)[0]
        conn = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=30)
        conn.request("POST", "/v1/snapshots", headers={"Authorization": f"Bearer {token}",
                                                       "Content-Type": "application/json"},
                     body=json.dumps({"client_id": "orphan-1", "url": "https://www.xingchen-km.com/order/1",
                                      "html": (FIXTURES / "xingchen-km-order.html").read_text(encoding="utf-8")}))
        acked = json.loads(conn.getresponse().read())
        pgid = stack.app.pid
        os.kill(pgid, signal.SIGKILL)  # the master only: its workers are orphaned and leave by themselves
        stack.app.wait()
        stack.app = None
        deadline = time.monotonic() + 60
        while _group_alive(pgid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _group_alive(pgid), "orphaned workers did not exit"
        assert stack.redis.ping(), "an exiting worker shut the embedded Redis down"
        stack.start_app()
        status, raw = load._get(stack.port, token, f"/v1/snapshots/{acked['id']}")
        assert status == 200 and json.loads(raw)["client_id"] == "orphan-1"
    finally:
        stack.stop()
