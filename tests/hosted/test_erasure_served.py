"""Deleting an account on the production server (``kadun serve``: gunicorn workers that cache
tokens), from another process (``kadun delete-user``): the token is refused at once for writes by
every worker, and for reads as soon as each worker looks at the auth epoch (a condition, waited on)."""
from __future__ import annotations

import hashlib
import http.client
import json
import subprocess
import uuid

from server.storage import keys
from tests.api.test_durability import KADUN
from tests.bench.load import _get, _pair
from tests.browser.driver import wait_for
from tests.conftest import FIXTURES
from tests.ops.stack import Stack

from .world import Person, traces


def _post(port: int, token: str, marker: str) -> int:
    html = (FIXTURES / "xingchen-km-order.html").read_text(encoding="utf-8").replace("</body>", f"<!-- {marker} --></body>")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/v1/snapshots", body=json.dumps({
        "client_id": str(uuid.uuid4()), "url": "https://www.xingchen-km.com/user/order/detail?order_no=XC1",
        "html": html}), headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    return response.status


def test_delete_user_from_the_cli_refuses_the_token_in_every_worker(tmp_path):
    stack = Stack(tmp_path, workers=3)
    try:
        stack.start_redis()
        stack.start_app()
        token = _pair(stack, 1)[0]
        r = stack.client()
        user = json.loads(r.get(keys.token(hashlib.sha256(token.encode()).hexdigest())))["user"]
        marker = f"served-{uuid.uuid4().hex}"
        assert _post(stack.port, token, marker) == 201
        for _ in range(30):  # every worker has the token in its cache now (10 s by default)
            assert _get(stack.port, token, "/v1/snapshots")[0] == 200
        done = subprocess.run([KADUN, "delete-user", user, "--yes", "--data-dir", str(tmp_path)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        assert report["user_keys"] > 5 and user not in done.stdout
        # A write is refused at once, whichever worker takes it.
        assert [_post(stack.port, token, marker + "-late") for _ in range(6)] == [401] * 6
        # Reads: every worker forgets the token as soon as it sees the epoch move.
        wait_for(lambda: all(_get(stack.port, token, "/v1/snapshots")[0] == 401 for _ in range(12)), 30,
                 "every worker to refuse the deleted user's token")
        person = Person(user=user, tokens=[token], marker=marker)
        assert traces(r, person) == []
        again = subprocess.run([KADUN, "delete-user", user, "--yes", "--data-dir", str(tmp_path)],
                               capture_output=True, text=True, timeout=120)
        assert again.returncode != 0 and "no user" in again.stderr
        unsure = subprocess.run([KADUN, "delete-user", user, "--data-dir", str(tmp_path)],
                                capture_output=True, text=True, timeout=120)
        assert unsure.returncode != 0 and "--yes" in unsure.stderr and len(unsure.stderr.strip().splitlines()) == 1
    finally:
        stack.stop()
