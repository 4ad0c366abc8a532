"""Ingest benchmark: POST /v1/snapshots against a real ``kadun serve`` (gunicorn + embedded Redis).

Prints captures/s and p50/p99 latency for the fixture pages with 1 client and with 4 concurrent
clients (repeated fixture bytes, as the extension re-captures pages, and unique bytes, where
every capture is new and is parsed, compressed and stored), and the stored bytes per capture
against the raw bytes for 50 repeated captures of one page and for the fixture corpus (Redis
MEMORY USAGE and STRLEN over the user's keys).

    .venv/bin/python -m tests.bench.bench_ingest [--requests 300] [--workers 2]

Targets (2-core machine): >= 50 captures/s with 4 clients; 50 repeated captures of one page
stored in < 10% of their raw size.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from tests.api.test_durability import KADUN, ServeProcess
from tests.conftest import FIXTURES, fixture_index


def _pages() -> list[tuple[str, str]]:
    return [((FIXTURES / p["file"]).read_text(encoding="utf-8"), p["url"]) for p in fixture_index()]


def _body(html: str, url: str, unique: bool) -> bytes:
    if unique:  # new bytes every time: hashed, parsed, compressed and stored as a new blob
        html = html.replace("</body>", f"<!-- {uuid.uuid4()} --></body>", 1)
    return json.dumps({"client_id": str(uuid.uuid4()), "url": url, "title": "bench", "trigger": "auto",
                       "captured_at": "2026-11-24T10:03:30+08:00", "html": html,
                       "extension_version": "0.1.0"}, ensure_ascii=False).encode()


class Client:
    """One keep-alive connection that reconnects when the server closed it (gunicorn closes a
    connection idle for 2 s), as the extension's fetch does."""

    def __init__(self, port: int, token: str):
        self.port, self.conn = port, None
        self.headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}

    def post(self, body: bytes) -> int:
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request("POST", "/v1/snapshots", body=body, headers=self.headers)
                response = self.conn.getresponse()
                response.read()
                return response.status
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def _client_loop(port: int, token: str, jobs: list[bytes], latencies: list[float], errors: list) -> None:
    client = Client(port, token)
    for body in jobs:
        started = time.perf_counter()
        status = client.post(body)
        latencies.append(time.perf_counter() - started)
        if status != 201:
            errors.append(status)
    client.close()


def _server_cpu_seconds(server: ServeProcess) -> float:
    """User + system CPU of kadun serve, its gunicorn workers and its redis-server so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids = {server.process.pid, server.redis_pid}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == server.process.pid:  # ppid: a gunicorn worker
            pids.add(int(stat.parent.name))
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def run_load(server: ServeProcess, token: str, clients: int, total: int, unique: bool) -> dict:
    pages = _pages()
    bodies = [_body(*pages[i % len(pages)], unique=unique) for i in range(total)]
    shares = [bodies[i::clients] for i in range(clients)]
    latencies: list[float] = []
    errors: list = []
    threads = [threading.Thread(target=_client_loop, args=(server.port, token, share, latencies, errors))
               for share in shares]
    cpu_before = _server_cpu_seconds(server)
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu_ms = (_server_cpu_seconds(server) - cpu_before) * 1000 / total
    latencies.sort()
    return {"clients": clients, "captures": total, "unique_bytes": unique, "errors": len(errors),
            "captures_per_s": round(total / elapsed, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, 1),
            # Independent of what else runs on the machine: the server's CPU per capture, and the
            # captures/s that 2 otherwise idle cores could give at that cost.
            "server_cpu_ms": round(cpu_ms, 1), "capacity_2_cores": round(2000 / cpu_ms, 1) if cpu_ms else None}


def _new_user_token(server: ServeProcess) -> tuple[str, str]:
    out = subprocess.run([KADUN, "pair", "--data-dir", str(server.data_dir), "--new-user"],
                         capture_output=True, text=True, check=True)
    return server.pair(out.stdout.splitlines()[-1])


def stored_bytes(server: ServeProcess, user: str) -> dict:
    """MEMORY USAGE (what Redis spends) and STRLEN-style payload bytes over all of the user's keys."""
    from server.storage.redis import EmbeddedRedis, connect

    r = connect(EmbeddedRedis(server.data_dir).url)
    memory = payload = count = 0
    by_kind: dict[str, int] = {}
    for key in r.scan_iter(match=f"kadun:{{u:{user}}}:*", count=1000):
        count += 1
        memory += int(r.memory_usage(key, samples=0) or 0)
        kind = r.type(key)
        if kind == b"string":
            size = r.strlen(key)
        elif kind == b"list":
            size = sum(len(v) for v in r.lrange(key, 0, -1))
        elif kind == b"zset":
            size = sum(len(m) + 8 for m in r.zrange(key, 0, -1))
        elif kind == b"set":
            size = sum(len(m) for m in r.smembers(key))
        elif kind == b"hash":
            size = sum(len(f) + len(v) for f, v in r.hgetall(key).items())
        else:
            size = 0
        payload += size
        part = key.decode().split("}:", 1)[1].split(":", 1)[0]
        by_kind[part] = by_kind.get(part, 0) + size
    r.close()
    return {"keys": count, "memory_usage": memory, "payload": payload, "payload_by_kind": by_kind}


REPEATED_PAGE = "risky-shop-order.html"  # a small (12 KB) order page: the hardest case for the ratio


def storage_figures(server: ServeProcess) -> dict:
    page = next(p for p in fixture_index() if p["file"] == REPEATED_PAGE)
    html, url = (FIXTURES / page["file"]).read_text(encoding="utf-8"), page["url"]
    token, user = _new_user_token(server)
    client = Client(server.port, token)
    for _ in range(50):
        assert client.post(_body(html, url, unique=False)) == 201
    client.close()
    raw = 50 * len(html.encode())
    repeated = stored_bytes(server, user)

    token_c, user_c = _new_user_token(server)
    client = Client(server.port, token_c)
    corpus_raw = 0
    for page_html, page_url in _pages():
        assert client.post(_body(page_html, page_url, unique=False)) == 201
        corpus_raw += len(page_html.encode())
    client.close()
    corpus = stored_bytes(server, user_c)
    n = len(_pages())
    return {
        "repeated_50": {"page": REPEATED_PAGE, "raw_bytes": raw, **repeated,
                        "memory_ratio": round(repeated["memory_usage"] / raw, 4),
                        "payload_ratio": round(repeated["payload"] / raw, 4),
                        "memory_per_capture": repeated["memory_usage"] // 50},
        "corpus": {"pages": n, "raw_bytes": corpus_raw, **corpus,
                   "memory_ratio": round(corpus["memory_usage"] / corpus_raw, 4),
                   "payload_ratio": round(corpus["payload"] / corpus_raw, 4),
                   "memory_per_capture": corpus["memory_usage"] // n},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="captures per load run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of kadun serve")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="kadun-bench-") as tmp:
        server = ServeProcess(Path(tmp) / "data", workers=args.workers).start()
        try:
            token, _ = server.pair()
            run_load(server, token, 1, 20, unique=False)  # warm-up: imports, connections
            results = [run_load(server, token, clients, args.requests, unique)
                       for unique in (False, True) for clients in (1, 4)]
            storage = storage_figures(server)
        finally:
            server.stop()
    print(f"kadun serve: {args.workers} gunicorn workers x 4 threads, embedded redis (appendfsync always)")
    print(f"machine load average before the run: {load_before}")
    print(f"{'clients':>7} {'bytes':>9} {'captures':>8} {'captures/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} "
          f"{'server CPU ms/capture':>21} {'2-core capacity/s':>17}")
    for row in results:
        print(f"{row['clients']:>7} {'unique' if row['unique_bytes'] else 'repeated':>9} {row['captures']:>8} "
              f"{row['captures_per_s']:>10} {row['p50_ms']:>8} {row['p99_ms']:>8} {row['errors']:>6} "
              f"{row['server_cpu_ms']:>21} {row['capacity_2_cores']:>17}")
    for name, figures in storage.items():
        print(f"storage {name}: raw {figures['raw_bytes']} B, Redis MEMORY USAGE {figures['memory_usage']} B "
              f"({figures['memory_ratio']:.1%}), payload {figures['payload']} B ({figures['payload_ratio']:.1%}), "
              f"{figures['memory_per_capture']} B per capture; payload by kind {figures['payload_by_kind']}")
    four = [row for row in results if row["clients"] == 4]
    ok_speed = all(row["captures_per_s"] >= 50 for row in four)
    ok_size = storage["repeated_50"]["memory_ratio"] < 0.10
    print(f"target >= 50 captures/s with 4 clients: {'met' if ok_speed else 'MISSED'}; "
          f"repeated captures < 10% of raw: {'met' if ok_size else 'MISSED'}")
    print(json.dumps({"load": results, "storage": storage}, ensure_ascii=False))
    return 0 if ok_speed and ok_size and not any(row["errors"] for row in results) else 1


if __name__ == "__main__":
    sys.exit(main())
