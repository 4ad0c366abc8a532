"""kill -9 during stamping: the app (gunicorn, two workers, each with its stamper thread) killed
while a stamp is in flight at a slow TSA, then Redis killed while another is pending. No
acknowledged capture is lost, no stamp that was stored is lost, and every capture ends up covered
by a stamped head once things are back."""
from __future__ import annotations

import http.client
import json
import time
import uuid

import pytest

from server.storage import keys
from server.storage import stamps as stamp_store
from tests.bench import load
from tests.conftest import FIXTURES


def _post(port: int, token: str) -> dict:
    html = (FIXTURES / "xingchen-km-order.html").read_text(encoding="utf-8") + f"<!-- {uuid.uuid4()} -->"
    body = json.dumps({"client_id": str(uuid.uuid4()), "url": "https://www.xingchen-km.com/order/1", "html": html})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", "/v1/snapshots", body=body, headers={"Authorization": f"Bearer {token}",
                                                              "Content-Type": "application/json"})
    response = conn.getresponse()
    assert response.status == 201, response.read()
    return json.loads(response.read())


def _wait(condition, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except Exception:  # Redis or the app still coming back
            pass
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.slow
def test_kill_app_and_redis_while_stamps_are_pending(tmp_path, tsa, monkeypatch):
    monkeypatch.setenv("KADUN_TSA_URL", tsa.url)
    monkeypatch.setenv("KADUN_TSA_CA_FILE", str(tsa.ca["root"]))
    monkeypatch.setenv("KADUN_STAMP_BATCH_SECONDS", "0")
    monkeypatch.setenv("KADUN_STAMP_POLL_SECONDS", "0.05")
    tsa.down, tsa.delay = False, 3.0
    stack = load.Stack(tmp_path, workers=2)
    try:
        stack.start_redis()
        stack.start_app()
        token = load._pair(stack, 1)[0]
        # 1. The app dies while its stamper waits for the TSA.
        started = tsa.started
        acked = [_post(stack.port, token) for _ in range(4)]
        user = json.loads(acked[0]["receipt"]["payload"])["user"]
        _wait(lambda: tsa.started > started, "a stamp request at the TSA")
        stack.kill_app()
        r = stack.client()
        assert stamp_store.is_due(r, user)  # the due entry survived the stamper's death
        tsa.delay = 0.0
        stack.start_app()
        last = max(a["chain_index"] for a in acked)
        _wait(lambda: stamp_store.covering(stack.client(), user, last) is not None, "the head stamped after restart")
        stored = stack.client().zrange(keys.stamps(user), 0, -1)
        assert stored
        # 2. Redis dies while the next stamp is pending.
        tsa.delay = 2.0
        started = tsa.started
        acked += [_post(stack.port, token) for _ in range(3)]
        _wait(lambda: tsa.started > started, "a second stamp request at the TSA")
        stack.kill_redis()
        tsa.delay = 0.0
        stack.start_redis()
        last = max(a["chain_index"] for a in acked)
        _wait(lambda: stamp_store.covering(stack.client(), user, last) is not None, "the new head stamped")
        r = stack.client()
        after = set(r.zrange(keys.stamps(user), 0, -1))
        assert set(stored) <= after  # no stored stamp was lost
        for capture in acked:  # no acknowledged capture was lost, and each is covered by a stamp
            assert r.exists(keys.snapshot(user, capture["id"]))
            assert stamp_store.covering(r, user, capture["chain_index"]) is not None
        status, body = load._get(stack.port, token, "/v1/chain")
        assert status == 200 and json.loads(body)["valid"] and json.loads(body)["length"] == len(acked)
        stamps = [stamp_store.Stamp.from_dict(json.loads(raw)) for raw in after]
        assert len({s.chain_index for s in stamps}) == len(stamps)  # never two stamps of one head
    finally:
        stack.stop()
