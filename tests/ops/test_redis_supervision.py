"""The embedded Redis comes back by itself: ``kadun serve`` restarts the redis-server it runs when
it is killed (-9) under load, on the same data directory; nothing acknowledged is lost, the chains
verify, and new captures are stored again within seconds. A server that keeps failing to start
is retried with backoff."""
from __future__ import annotations

import http.client
import json
import os
import signal
import threading
import time
import uuid

from server.storage.redis import EmbeddedRedis, process_running
from server.storage.supervisor import RedisSupervisor, backoff
from tests.bench import load
from tests.conftest import FIXTURES

RECOVERY_SECONDS = 10  # the promise: new captures succeed within 10 s of the kill


def _post(port: int, token: str, client_id: str) -> tuple[int, dict, dict]:
    html = (FIXTURES / "xingchen-km-order.html").read_text(encoding="utf-8")
    html = html.replace("</body>", f"<!-- {client_id} --></body>")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", "/v1/snapshots", headers={"Authorization": f"Bearer {token}",
                                                       "Content-Type": "application/json"},
                     body=json.dumps({"client_id": client_id, "url": "https://www.xingchen-km.com/order/9",
                                      "html": html}))
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}"), dict(response.getheaders())
    finally:
        conn.close()


def _kill_redis(stack) -> int:
    pid = stack.redis.server_pid()
    assert pid, "no redis-server runs on the data directory"
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while process_running(pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not process_running(pid)
    return pid


def _store_until_ok(stack, token: str, deadline: float) -> tuple[dict, list]:
    """Post one new capture as the extension would (same client_id until a receipt)."""
    client_id = f"after-kill-{uuid.uuid4()}"
    answers = []
    while True:
        try:
            status, body, headers = _post(stack.port, token, client_id)
        except OSError as error:
            status, body, headers = 0, {"error": str(error)}, {}
        answers.append((status, body.get("error"), headers.get("Retry-After")))
        if status in (200, 201):
            return body, answers
        assert status in (0, 503), (status, body)
        assert time.monotonic() < deadline, f"no capture stored within {RECOVERY_SECONDS} s: {answers[-5:]}"
        time.sleep(0.1)


def test_killed_redis_is_restarted_under_load_and_nothing_is_lost(tmp_path):
    stack = load.Stack(tmp_path, workers=2)
    try:
        stack.start_app()  # kadun serve starts the redis-server itself: it is the master's child
        first_pid = stack.redis.server_pid()
        tokens = load._pair(stack, 2)
        plan = load._make_captures(4, 12, 2, seed=11)
        tally = load.Tally()
        deadline = time.monotonic() + 240
        clients = [load.Client(stack.port, tokens[i % 2], plan[i], tally, 10.0, deadline, 0.1, 11 + i)
                   for i in range(4)]
        for client in clients:
            client.start()
        total = sum(len(queue) for queue in plan)

        def acked() -> int:
            return sum(1 for queue in plan for capture in queue if capture.acked)

        while acked() < total // 3:
            assert any(client.is_alive() for client in clients), "clients stopped early"
            time.sleep(0.01)
        killed = _kill_redis(stack)
        killed_at = time.monotonic()
        stored, answers = _store_until_ok(stack, tokens[0], killed_at + RECOVERY_SECONDS)
        # A second kill soon after the first: restarted again (after a short backoff).
        _kill_redis(stack)
        again, _ = _store_until_ok(stack, tokens[1], time.monotonic() + RECOVERY_SECONDS)
        for client in clients:
            client.join()

        new_pid = stack.redis.server_pid()
        assert new_pid and new_pid not in (first_pid, killed)
        status, body = load._get(stack.port, tokens[0], "/healthz")
        assert status == 200, body
        # Answers during the gap were 503 with Retry-After (or a refused connection), never a 500.
        assert all(s in (0, 503, 200, 201) for s, _, _ in answers)
        assert all(retry for s, _, retry in answers if s == 503)
        assert tally.rejected == [] and not [r for r in tally.retry_reasons if r.startswith("500")]
        assert acked() == total, "a client gave up"
        report = load.verify(stack, tokens, plan)
        # "unexpected": the two captures this test stored itself after the kills, besides the plan.
        assert (report["lost"], report["duplicates"], report["unexpected"], report["corrupt"],
                report["bad_receipts"]) == (0, 0, 2, 0, 0), report
        assert report["stored"] == total + 2
        for user, token in enumerate(tokens):  # (verify's own chain check counts the plan only)
            chain = json.loads(load._get(stack.port, token, "/v1/chain")[1])
            planned = sum(1 for queue in plan for capture in queue if capture.user == user)
            assert chain["valid"] and chain["length"] == planned + 1, chain
        for token, out in ((tokens[0], stored), (tokens[1], again)):
            status, raw = load._get(stack.port, token, f"/v1/snapshots/{out['id']}")
            assert status == 200 and json.loads(raw)["chain_hash"] == out["chain_hash"]
        log = (tmp_path / "app.log").read_text(errors="replace")
        assert log.count("restarted (pid") >= 2, log[-3000:]
    finally:
        stack.stop()
    assert not process_running(new_pid), "kadun serve left the restarted redis-server running"


class Clock:
    """A clock the test moves by hand (the supervisor's backoff is in seconds of it)."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Log:
    def __init__(self):
        self.lines: list[str] = []

    def warning(self, message, *args):
        self.lines.append(message % args)

    error = warning


def test_backoff_grows_and_is_capped():
    assert [backoff(n) for n in range(1, 9)] == [0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0]
    assert backoff(50) == 30.0


def test_supervisor_restarts_a_dead_server_and_backs_off_while_it_cannot_start(tmp_path):
    server = EmbeddedRedis(tmp_path / "data")
    server.start()
    clock, log = Clock(), Log()
    supervisor = RedisSupervisor(server, log=log, clock=clock)
    try:
        assert supervisor.check() and supervisor.restarts == 0
        server.kill()
        # Storage that cannot be opened: the append-only file's name is taken by a directory.
        (tmp_path / "data" / "kadun.aof").rename(tmp_path / "kadun.aof.saved")
        (tmp_path / "data" / "kadun.aof").mkdir()
        assert not supervisor.check()  # tried at once, failed
        assert any("did not start" in line for line in log.lines), log.lines
        attempts = len([line for line in log.lines if "did not start" in line])
        assert not supervisor.check()  # within the backoff: no new attempt
        assert len([line for line in log.lines if "did not start" in line]) == attempts
        clock.now += backoff(supervisor.failures)
        assert not supervisor.check()  # the next attempt, failed again, waits longer
        assert len([line for line in log.lines if "did not start" in line]) == attempts + 1
        assert backoff(supervisor.failures) > backoff(supervisor.failures - 1)
        # The storage is repaired: the next attempt after the backoff brings the server back,
        # with its data.
        (tmp_path / "data" / "kadun.aof").rmdir()
        (tmp_path / "kadun.aof.saved").rename(tmp_path / "data" / "kadun.aof")
        clock.now += backoff(supervisor.failures)
        assert supervisor.check() and supervisor.restarts == 1 and server.ping()
        assert any("restarted (pid" in line for line in log.lines)
        assert supervisor.check() and supervisor.restarts == 1  # running: nothing to do
    finally:
        server.stop()


def test_supervisor_never_starts_a_second_server_beside_a_live_one(tmp_path):
    """A server that is alive but slow to answer is waited for, never replaced (two servers on
    one append-only file would each write their own version of it)."""
    data = tmp_path / "data"
    owner = EmbeddedRedis(data)
    owner.start()
    pid = owner.server_pid()
    os.kill(pid, signal.SIGSTOP)  # alive, answering nothing
    try:
        watcher = RedisSupervisor(EmbeddedRedis(data), log=Log())
        assert watcher.check()  # alive: nothing to do
        stopped = threading.Event()

        def resume():
            stopped.wait(1.0)
            os.kill(pid, signal.SIGCONT)

        threading.Thread(target=resume, daemon=True).start()
        # start() waits for the live server to answer instead of starting another one.
        starter = EmbeddedRedis(data)
        assert starter.start() == owner.url
        assert starter.process is None and starter.pid() == pid
    finally:
        os.kill(pid, signal.SIGCONT)
        owner.stop()
