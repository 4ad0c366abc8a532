"""The load and fault run in hosted mode (``load.py --hosted``): ``kadun serve`` with
``KADUN_MODE=hosted`` behind what a TLS proxy sends (``Host: kadun.example.org``, ``X-Forwarded-For``,
``X-Forwarded-Proto: https``; ``KADUN_PROXY_COUNT=1``, ``KADUN_ALLOWED_HOSTS``), several accounts
posting at once, and beside them:

- an account whose daily capture quota is small: its uploads get 429 with the quota, it keeps them
  queued (as the extension does) until an administrator raises the quota (``kadun quota``), then
  every one goes in; meanwhile the other accounts' uploads are never refused;
- an account deleted in the middle of the run (``kadun delete-user``): its client is refused from
  then on, nothing of it is left in Redis, and no other account loses anything;
- with ``--faults``, the same kill -9 of the app, of Redis and of both as the plain run.

Nothing acknowledged to a remaining account may be lost, duplicated or altered.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from tests.bench.load import (
    Capture,
    Client,
    Tally,
    _fault_controller,
    _get,
    _make_captures,
    _pair,
    _pct,
    verify,
)
from tests.ops.stack import Stack

HOST = "kadun.example.org"
KADUN = [sys.executable, "-c", "from server.cli import main; main()"]
ENV = {"KADUN_MODE": "hosted", "KADUN_PROXY_COUNT": "1", "KADUN_ALLOWED_HOSTS": HOST}


def proxy_headers(n: int) -> dict:
    """What the TLS proxy in front adds for the n-th client."""
    return {"Host": HOST, "X-Forwarded-For": f"203.0.113.{n % 250 + 1}", "X-Forwarded-Proto": "https"}


class QuotaClient(Client):
    """An account over its daily quota: a 429 with the quota keeps the capture queued until the
    quota is raised (``raised``), then it is sent again with the same client_id."""

    def __init__(self, *args, raised: threading.Event, refused: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.raised, self.refused = raised, refused

    def _refused(self, capture: Capture, status: int, body: dict) -> bool:
        if status == 429 and body.get("quota"):
            self.refused.append(body["quota"])
            self.raised.wait(max(0.0, self.deadline - time.monotonic()))
            return False
        return super()._refused(capture, status, body)


class LeavingClient(Client):
    """An account that is deleted during the run: after its deletion the backend answers 401 and
    the client stops (nothing of it is kept)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.refused_after_deletion = 0

    def _refused(self, capture: Capture, status: int, body: dict) -> bool:
        if status == 401:
            self.refused_after_deletion += 1
            raise TimeoutError("deleted")  # ends the run of this client
        self._retry(f"{status} {body.get('error', '')}".strip())
        return False


def _user_of(stack: Stack, token: str) -> str:
    from server.storage import keys

    return json.loads(stack.client().get(keys.token(hashlib.sha256(token.encode()).hexdigest())))["user"]


def _traces(stack: Stack, user: str, token: str, snapshot_ids: list[str]) -> list[str]:
    from tests.hosted.world import Person, traces

    return traces(stack.client(), Person(user=user, tokens=[token], marker=f"no-marker-{uuid.uuid4().hex}",
                                         snapshot_ids=snapshot_ids))


def run_hosted(clients: int = 8, captures: int = 25, users: int = 4, workers: int = 4, faults: bool = False,
               timeout: float = 10.0, budget: float = 900.0, resend_rate: float = 0.05, seed: int = 7,
               quota: int = 5, data_dir: str | None = None) -> dict:
    owned = tempfile.TemporaryDirectory(prefix="kadun-hosted-") if data_dir is None else None
    base = Path(data_dir or owned.name)
    stack = Stack(base, workers, env=ENV)
    try:
        stack.start_app()
        tokens = _pair(stack, users)
        quota_token, leaving_token = _pair(stack, 2)
        quota_user, leaving_user = _user_of(stack, quota_token), _user_of(stack, leaving_token)
        set_quota = [*KADUN, "quota", quota_user, "--data-dir", str(base), "--set"]
        done = subprocess.run([*set_quota, f"captures_per_day={quota}"], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        plan = _make_captures(clients, captures, users, seed)
        extra = _make_captures(2, captures, 2, seed + 1000)
        tally, deadline = Tally(), time.monotonic() + budget
        threads = [Client(stack.port, tokens[i % users], plan[i], tally, timeout, deadline, resend_rate, seed + i,
                          headers=proxy_headers(i)) for i in range(clients)]
        raised, refused = threading.Event(), []
        quota_client = QuotaClient(stack.port, quota_token, extra[0], Tally(), timeout, deadline, 0.0, seed,
                                   headers=proxy_headers(clients), raised=raised, refused=refused)
        leaving = LeavingClient(stack.port, leaving_token, extra[1], Tally(), timeout, deadline, 0.0, seed,
                                headers=proxy_headers(clients + 1))
        stop, fault_log, events = threading.Event(), [], {}
        total = clients * captures

        def acked() -> int:
            return sum(1 for queue in plan for c in queue if c.acked)

        def admin() -> None:
            """At 40% the leaving account is deleted; at 60%, once the quota account was refused, the quota is raised."""
            while not stop.is_set() and acked() < 0.4 * total:
                time.sleep(0.02)
            deleted = subprocess.run([*KADUN, "delete-user", leaving_user, "--yes",
                                      "--data-dir", str(base)], capture_output=True, text=True, timeout=300)
            events["deleted"] = {"at_acked": acked(), "ok": deleted.returncode == 0,
                                 "report": deleted.stdout.strip() or deleted.stderr.strip()}
            # ... and not before the quota account has met its limit (on a loaded machine it may
            # lag behind the others: raising earlier would leave nothing refused to show).
            while not stop.is_set() and (acked() < 0.6 * total or not refused) and time.monotonic() < deadline:
                time.sleep(0.02)
            stored = [c for c in extra[0] if c.acked]
            events["quota"] = {"stored_before_raise": len(stored), "refusals": len(refused)}
            done = subprocess.run([*set_quota, f"captures_per_day={10 * captures}"], capture_output=True,
                                  text=True, timeout=120)
            events["quota"]["raised"] = done.returncode == 0
            raised.set()

        helpers = [threading.Thread(target=admin, daemon=True)]
        if faults:
            helpers.append(threading.Thread(target=_fault_controller, daemon=True,
                                            args=(stack, plan, total, fault_log, stop)))
        started = time.perf_counter()
        for thread in [*threads, quota_client, leaving, *helpers]:
            thread.start()
        for thread in [*threads, quota_client, leaving]:
            thread.join()
        elapsed = time.perf_counter() - started
        stop.set()
        raised.set()
        for thread in helpers:
            thread.join()
        if stack.app is None or stack.app.poll() is not None:
            stack.start_app()
        report = _verify_all(stack, tokens, plan, quota_token, extra[0])
        status, _ = _get(stack.port, leaving_token, "/v1/snapshots", proxy_headers(0))
        leaving_ids = [c.acked["id"] for c in extra[1] if c.acked]
        left = _traces(stack, leaving_user, leaving_token, leaving_ids)
        lat = sorted(tally.latencies)
        acked_total = acked()
        return {
            "mode": "hosted", "clients": clients, "captures_per_client": captures, "users": users,
            "workers": workers, "sent": total, "acknowledged": acked_total, "elapsed_s": round(elapsed, 3),
            "throughput_per_s": round(acked_total / elapsed, 1) if elapsed else 0.0,
            "p50_ms": round(_pct(lat, 0.50) * 1000, 1), "p99_ms": round(_pct(lat, 0.99) * 1000, 1),
            "retries": tally.retries, "retry_reasons": dict(tally.retry_reasons),
            "resent_after_ack": tally.resent_after_ack, "rejected": tally.rejected[:5],
            "rejected_count": len(tally.rejected), "faults": fault_log,
            "quota": {**events.get("quota", {}), "limit": quota, "sent": len(extra[0]),
                      "acknowledged": sum(1 for c in extra[0] if c.acked)},
            "deletion": {**events.get("deleted", {}), "acknowledged_before": len(leaving_ids),
                         "token_after": status, "traces_left": left[:5]},
            "verify": report,
        }
    finally:
        stack.stop()
        if owned is not None:
            owned.cleanup()


def _verify_all(stack: Stack, tokens: list[str], plan: list, quota_token: str, quota_plan: list) -> dict:
    """load.verify over the ordinary accounts and the quota account (its captures after the raise)."""
    users = len(tokens)
    for capture in quota_plan:
        capture.user = users
    return verify(stack, tokens + [quota_token], plan + [quota_plan], headers=proxy_headers(0))


def good(result: dict) -> bool:
    v, q, d = result["verify"], result["quota"], result["deletion"]
    return (v["lost"] == 0 and v["duplicates"] == 0 and v["unexpected"] == 0 and v["corrupt"] == 0
            and v["bad_receipts"] == 0 and v["chains_valid"] and result["acknowledged"] == result["sent"]
            and result["rejected_count"] == 0 and not any(r.startswith("500") for r in result["retry_reasons"])
            and q.get("refusals", 0) > 0 and 0 < q.get("stored_before_raise", 0) <= q["limit"]
            and q["acknowledged"] == q["sent"] and d.get("ok") and d["token_after"] == 401
            and d["traces_left"] == [])


def describe(result: dict) -> list[str]:
    q, d = result["quota"], result["deletion"]
    return [f"  hosted mode behind a proxy (Host {HOST}, X-Forwarded-For, KADUN_PROXY_COUNT=1)",
            f"  quota account: limit {q['limit']} a day, {q.get('refusals', 0)} uploads refused with 429 and kept "
            f"queued, {q.get('stored_before_raise')} stored before the quota was raised, "
            f"{q['acknowledged']}/{q['sent']} acknowledged in the end",
            f"  deleted account: {d['acknowledged_before']} captures stored, deleted at {d.get('at_acked')} "
            f"acknowledged ({d.get('report')}); its token then answered {d['token_after']}; "
            f"traces left in Redis: {len(d['traces_left'])}"]
