"""Load and fault run against the production server: nothing acknowledged is ever lost.

Starts the embedded redis-server in a temporary data directory and ``kadun serve`` (gunicorn,
several workers) on a loopback port, then N client threads post M captures each (fixture pages
with varied bytes, some byte-identical repeats, some deliberate re-sends of an acknowledged
capture), retrying timeouts, dropped connections and 5xx with the same ``client_id`` like the
extension's queue does. With ``--faults`` a controller kills -9 the app server (its whole process
group) and restarts it, then kills -9 the redis-server (which ``kadun serve`` restarts by itself on
the same data directory), then both, while the clients keep posting.

Afterwards it checks, per user: every acknowledged capture is listed exactly once with the id,
sha256 and chain index it was acknowledged with, its bytes still hash to that sha256, its receipt
verifies with the published key, nothing unacknowledged or duplicated was stored, and
GET /v1/chain says valid with the right length. Prints p50/p99 latency and throughput.

    .venv/bin/python -m tests.bench.load --clients 16 --captures 50 --users 4 --workers 4 [--faults] [--hosted]

``--hosted`` runs it in hosted mode with several accounts, one over its quota and one deleted
mid-run (tests/bench/load_hosted.py).
"""
from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import random
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from tests.ops.stack import ROOT, Stack

FIXTURES = ROOT / "tests" / "fixtures" / "pages"
RETRY_STATUSES = {409, 429, 500, 502, 503, 504}


def _pages() -> list[tuple[str, str]]:
    index = json.loads((FIXTURES / "index.json").read_text(encoding="utf-8"))
    return [((FIXTURES / e["file"]).read_text(encoding="utf-8"), e["url"]) for e in index]


@dataclass
class Capture:
    user: int
    client_id: str
    body: bytes
    sha256: str
    acked: dict | None = None
    attempts: int = 0


@dataclass
class Tally:
    latencies: list = field(default_factory=list)
    retries: int = 0
    retry_reasons: dict = field(default_factory=dict)
    resent_after_ack: int = 0
    rejected: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _make_captures(clients: int, per_client: int, users: int, seed: int) -> list[list[Capture]]:
    rng = random.Random(seed)
    pages = _pages()
    plan = []
    for c in range(clients):
        mine, previous = [], None
        for i in range(per_client):
            if previous is not None and rng.random() < 0.15:
                html, url = previous  # same bytes again: one blob, two sightings, two captures
            else:
                html, url = rng.choice(pages)
                marker = f"<!-- kadun-load c{c} i{i} {uuid.uuid4().hex} -->"
                html = html.replace("</body>", marker + "</body>", 1) if "</body>" in html else html + marker
                previous = (html, url)
            client_id = str(uuid.uuid4())
            body = json.dumps({"client_id": client_id, "url": url, "title": f"load {c}/{i}",
                               "captured_at": "2026-11-24T10:03:30+08:00", "trigger": "auto", "html": html,
                               "extension_version": "load"}, ensure_ascii=False).encode("utf-8")
            mine.append(Capture(c % users, client_id, body, hashlib.sha256(html.encode("utf-8")).hexdigest()))
        plan.append(mine)
    return plan


class Client(threading.Thread):
    """One extension: posts its queue in order, retrying each capture until it has a receipt."""

    def __init__(self, port: int, token: str, queue: list[Capture], tally: Tally, timeout: float, deadline: float,
                 resend_rate: float, seed: int, headers: dict | None = None):
        super().__init__(daemon=True)
        self.headers = dict(headers or {})  # e.g. what a TLS proxy in front adds (hosted mode)
        self.port, self.token, self.queue, self.tally = port, token, queue, tally
        self.timeout, self.deadline, self.resend_rate = timeout, deadline, resend_rate
        self.rng = random.Random(seed)
        self.conn: http.client.HTTPConnection | None = None

    def _post(self, body: bytes) -> tuple[int, dict]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        self.conn.request("POST", "/v1/snapshots", body=body, headers={
            "Authorization": f"Bearer {self.token}", "Content-Type": "application/json", **self.headers})
        response = self.conn.getresponse()
        data = response.read()
        return response.status, (json.loads(data) if data else {})

    def _send(self, capture: Capture) -> dict:
        while time.monotonic() < self.deadline:
            capture.attempts += 1
            started = time.perf_counter()
            try:
                status, body = self._post(capture.body)
            except (OSError, http.client.HTTPException, ValueError):
                # Timeout, refused, reset, half a response: the server may or may not have it.
                self._reconnect()
                self._retry("connection")
                continue
            if status in (200, 201):
                with self.tally.lock:
                    self.tally.latencies.append(time.perf_counter() - started)
                return body
            if self._refused(capture, status, body):
                return {}
        raise TimeoutError("run deadline passed with captures still unacknowledged")

    def _refused(self, capture: Capture, status: int, body: dict) -> bool:
        """A non-2xx answer: True when the capture is given up (counted as rejected), False to send
        it again. Subclasses add the answers their accounts expect."""
        if status in RETRY_STATUSES:
            self._retry(f"{status} {body.get('error', '')}".strip())
            return False
        with self.tally.lock:
            self.tally.rejected.append((capture.client_id, status, body))
        return True

    def _reconnect(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = None

    def _retry(self, reason: str) -> None:
        with self.tally.lock:
            self.tally.retries += 1
            self.tally.retry_reasons[reason] = self.tally.retry_reasons.get(reason, 0) + 1
        time.sleep(0.05 + self.rng.random() * 0.2)

    def run(self) -> None:
        try:
            for capture in self.queue:
                capture.acked = self._send(capture) or None
                if capture.acked and self.rng.random() < self.resend_rate:
                    # The answer was "lost": the extension sends the same capture again.
                    again = self._send(capture)
                    with self.tally.lock:
                        self.tally.resent_after_ack += 1
                        if again.get("id") != capture.acked["id"]:
                            self.tally.rejected.append((capture.client_id, "resend-new-id", again))
        except TimeoutError:
            pass
        finally:
            self._reconnect()


def _pair(stack: Stack, users: int) -> list[str]:
    from server.storage import users as user_store

    r = stack.client()
    tokens = []
    for _ in range(users):
        code = user_store.new_pairing_code(r, new_user=True)
        conn = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=10)
        conn.request("POST", "/v1/pair", body=json.dumps({"code": code, "device": "load"}),
                     headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        tokens.append(json.loads(response.read())["token"])
    return tokens


def _get(port: int, token: str, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}", **(headers or {})})
    response = conn.getresponse()
    return response.status, response.read()


def _fault_controller(stack: Stack, plan: list[list[Capture]], total: int, faults: list, stop: threading.Event):
    """Kill -9 the app server at ~25% acknowledged, the redis-server at ~55%, both at ~80%."""

    def acked() -> int:
        return sum(1 for queue in plan for c in queue if c.acked)

    def wait_for(fraction: float) -> bool:
        while not stop.is_set():
            if acked() >= fraction * total:
                return True
            time.sleep(0.01)
        return False

    steps = [(0.25, ("app",)), (0.55, ("redis",)), (0.80, ("redis", "app"))]
    for fraction, victims in steps:
        if not wait_for(fraction):
            return
        started = time.monotonic()
        if "app" in victims:
            stack.kill_app()
        if "redis" in victims:
            stack.kill_redis()
        if "app" in victims:
            stack.start_app()  # kadun serve starts the redis-server too when none runs
        else:
            stack.wait_healthy()  # kadun serve restarts its redis-server by itself
        faults.append({"killed": "+".join(victims), "at_acked": acked(),
                       "down_seconds": round(time.monotonic() - started, 2)})


def verify(stack: Stack, tokens: list[str], plan: list[list[Capture]], headers: dict | None = None) -> dict:
    """Every acknowledged capture present once, intact, signed; chains valid; nothing extra."""
    from functools import partial

    from server.evidence.receipts import verify_receipt

    get = partial(_get, headers=headers)
    status, raw = get(stack.port, tokens[0], "/v1/keys")
    keys = {k["key_id"]: k["public_key"] for k in json.loads(raw)["keys"]}
    report = {"acknowledged": 0, "stored": 0, "lost": 0, "duplicates": 0, "unexpected": 0, "corrupt": 0,
              "bad_receipts": 0, "chains_valid": True, "problems": []}
    by_user: dict[int, list[Capture]] = {}
    for queue in plan:
        for capture in queue:
            by_user.setdefault(capture.user, []).append(capture)
    for user, captures in by_user.items():
        token = tokens[user]
        listed, cursor = [], None
        while True:
            status, raw = get(stack.port, token, "/v1/snapshots?limit=500" + (f"&cursor={cursor}" if cursor else ""))
            page = json.loads(raw)
            listed.extend(page["items"])
            cursor = page["next"]
            if not cursor:
                break
        ids = [item["id"] for item in listed]
        report["stored"] += len(ids)
        report["duplicates"] += len(ids) - len(set(ids))
        acked = {c.acked["id"]: c for c in captures if c.acked}
        report["acknowledged"] += len(acked)
        missing = set(acked) - set(ids)
        report["lost"] += len(missing)
        report["unexpected"] += len(set(ids) - set(acked))
        report["problems"].extend(f"user {user}: lost {sid}" for sid in sorted(missing))
        for sid, capture in acked.items():
            if sid in missing:
                continue
            status, raw = get(stack.port, token, f"/v1/snapshots/{sid}")
            meta = json.loads(raw)
            ok = (status == 200 and meta["client_id"] == capture.client_id and meta["sha256"] == capture.sha256
                  and meta["chain_index"] == capture.acked["chain_index"]
                  and meta["chain_hash"] == capture.acked["chain_hash"])
            status, html = get(stack.port, token, f"/v1/snapshots/{sid}/html")
            ok = ok and status == 200 and hashlib.sha256(html).hexdigest() == capture.sha256
            if not ok:
                report["corrupt"] += 1
                report["problems"].append(f"user {user}: {sid} does not match its receipt")
            receipt = capture.acked["receipt"]
            if not verify_receipt(receipt, keys.get(receipt["key_id"], "")):
                report["bad_receipts"] += 1
        status, raw = get(stack.port, token, "/v1/chain")
        chain = json.loads(raw)
        indexes = sorted(c.acked["chain_index"] for c in acked.values())
        if not chain["valid"] or chain["length"] != len(ids) or indexes != list(range(len(indexes))):
            report["chains_valid"] = False
            report["problems"].append(f"user {user}: chain {chain} for {len(ids)} captures")
    return report


def run(clients: int = 8, captures: int = 25, users: int = 2, workers: int = 4, faults: bool = False,
        timeout: float = 10.0, budget: float = 600.0, resend_rate: float = 0.05, seed: int = 7,
        data_dir: str | None = None) -> dict:
    """One run; returns the figures and the verification report (nothing printed)."""
    owned = tempfile.TemporaryDirectory(prefix="kadun-load-") if data_dir is None else None
    base = Path(data_dir or owned.name)
    stack = Stack(base, workers)
    try:
        stack.start_app()  # and with it the embedded redis-server, which kadun serve watches
        tokens = _pair(stack, users)
        plan = _make_captures(clients, captures, users, seed)
        tally = Tally()
        deadline = time.monotonic() + budget
        threads = [Client(stack.port, tokens[i % users], plan[i], tally, timeout, deadline, resend_rate, seed + i)
                   for i in range(clients)]
        stop, fault_log = threading.Event(), []
        controller = threading.Thread(target=_fault_controller, daemon=True,
                                      args=(stack, plan, clients * captures, fault_log, stop)) if faults else None
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        if controller:
            controller.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        stop.set()
        if controller:
            controller.join()
        if stack.app is None or stack.app.poll() is not None:
            stack.start_app()
        report = verify(stack, tokens, plan)
        lat = sorted(tally.latencies)
        acked = sum(1 for queue in plan for c in queue if c.acked)
        return {
            "clients": clients, "captures_per_client": captures, "users": users, "workers": workers,
            "sent": clients * captures, "acknowledged": acked, "elapsed_s": round(elapsed, 3),
            "throughput_per_s": round(acked / elapsed, 1) if elapsed else 0.0,
            "p50_ms": round(_pct(lat, 0.50) * 1000, 1), "p99_ms": round(_pct(lat, 0.99) * 1000, 1),
            "retries": tally.retries, "retry_reasons": dict(tally.retry_reasons), "resent_after_ack": tally.resent_after_ack,
            "rejected": tally.rejected[:5], "rejected_count": len(tally.rejected),
            "faults": fault_log, "faults_survived": len(fault_log) if report["lost"] == 0 else 0,
            "verify": report,
        }
    finally:
        stack.stop()
        if owned is not None:
            owned.cleanup()


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--captures", type=int, default=50, help="captures per client")
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--faults", action="store_true", help="kill -9 the app and redis during the run")
    parser.add_argument("--timeout", type=float, default=10.0, help="client timeout per request, seconds")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--hosted", action="store_true",
                        help="KADUN_MODE=hosted behind a proxy, plus an account over its quota and one deleted "
                             "mid-run (tests/bench/load_hosted.py)")
    args = parser.parse_args(argv)
    hosted = None
    if args.hosted:
        from tests.bench import load_hosted as hosted

        result = hosted.run_hosted(clients=args.clients, captures=args.captures, users=args.users,
                                   workers=args.workers, faults=args.faults, timeout=args.timeout, seed=args.seed)
    else:
        result = run(clients=args.clients, captures=args.captures, users=args.users, workers=args.workers,
                     faults=args.faults, timeout=args.timeout, seed=args.seed)
    v = result["verify"]
    print(f"load: {result['clients']} clients x {result['captures_per_client']} captures, {result['users']} users, "
          f"{result['workers']} gunicorn workers")
    print(f"  acknowledged {result['acknowledged']}/{result['sent']} in {result['elapsed_s']} s "
          f"= {result['throughput_per_s']} captures/s; p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms")
    print(f"  retries {result['retries']} {result['retry_reasons']}, deliberate re-sends after ack {result['resent_after_ack']}, "
          f"rejected {result['rejected_count']}")
    for fault in result["faults"]:
        print(f"  fault survived: kill -9 {fault['killed']} at {fault['at_acked']} acked, "
              f"down {fault['down_seconds']} s")
    print(f"  verify: stored {v['stored']}, lost {v['lost']}, duplicates {v['duplicates']}, "
          f"unexpected {v['unexpected']}, corrupt {v['corrupt']}, bad receipts {v['bad_receipts']}, "
          f"chains valid {v['chains_valid']}")
    for problem in v["problems"][:20]:
        print("  PROBLEM", problem)
    if hosted is not None:
        for line in hosted.describe(result):
            print(line)
        good = hosted.good(result)
        print("  RESULT", "ok: nothing acknowledged was lost" if good else "FAILED")
        return 0 if good else 1
    good = (v["lost"] == 0 and v["duplicates"] == 0 and v["unexpected"] == 0 and v["corrupt"] == 0
            and v["bad_receipts"] == 0 and v["chains_valid"] and result["acknowledged"] == result["sent"]
            and result["rejected_count"] == 0
            and not any(reason.startswith("500") for reason in result["retry_reasons"]))
    print("  RESULT", "ok: nothing acknowledged was lost" if good else "FAILED")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
