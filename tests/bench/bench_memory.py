"""Memory benchmark: does the backend stay flat as captures arrive?

Drives N distinct captures (the fixture pages in turn, each with new bytes, so every one is hashed,
parsed, judged, compressed and stored) through a real ``kadun serve`` (gunicorn workers + embedded
Redis) and prints each gunicorn worker's RSS: warm (after a warm-up of distinct captures, when every
lazy import and table is built), right after the run, and after a quiet period; and Redis'
``used_memory`` per unique capture. The caches that the workers keep report their size and hit rate
in ``/metrics`` (printed at the end).

    .venv/bin/python -m tests.bench.bench_memory [--captures 10000] [--warm 500] [--clients 4]
        [--workers 2] [--screenshot-kb 0] [--vary-url] [--quiet 15]

Targets: each worker within +20 MiB of its warm RSS after 10,000 captures; Redis about 11 KB or
less per unique capture.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import random
import tempfile
import threading
import time
import uuid
import zlib
from pathlib import Path

from tests.api.test_durability import ServeProcess
from tests.bench.bench_ingest import Client, _pages

MIB = 1024 * 1024


def _worker_pids(server: ServeProcess) -> list[int]:
    """gunicorn's workers: the master's children other than the embedded redis-server."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        if int(fields[1]) == server.process.pid and pid != server.redis_pid:
            pids.append(pid)
    return sorted(pids)


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _pss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def memory(server: ServeProcess) -> dict[int, dict]:
    """pid → {rss, pss} in MiB for each worker."""
    out = {}
    for pid in _worker_pids(server):
        try:
            out[pid] = {"rss": _status_kib(pid, "VmRSS") / 1024, "pss": _pss_kib(pid) / 1024}
        except OSError:
            continue
    return out


def redis_used(server: ServeProcess) -> int:
    from server.storage.redis import EmbeddedRedis, connect

    r = connect(EmbeddedRedis(server.data_dir).url)
    try:
        return int(r.info("memory")["used_memory"])
    finally:
        r.close()


def _png(size_kb: int, seed: int) -> str | None:
    """A PNG of about ``size_kb`` KiB (noise compresses badly, as a page screenshot's detail does)."""
    if not size_kb:
        return None
    rng = random.Random(seed)
    width = 256
    height = max(1, size_kb * 1024 // (width * 3))
    rows = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        import struct

        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    import struct

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode()


class Feed:
    """Distinct capture bodies, made on demand (10,000 bodies of up to 156 KB are not kept)."""

    def __init__(self, screenshot_kb: int, vary_url: bool):
        self.pages = _pages()
        self.screenshot_kb = screenshot_kb
        self.vary_url = vary_url
        self._shots = [_png(screenshot_kb, seed) for seed in range(8)] if screenshot_kb else []

    def body(self, i: int) -> bytes:
        html, url = self.pages[i % len(self.pages)]
        # New bytes every time, as a page that changed since its last capture (a counter, a clock).
        mark = f"<!-- bench {i} {uuid.uuid4()} -->"
        html = html.replace("</body>", mark + "</body>", 1) if "</body>" in html else html + mark
        if self.vary_url:
            url += ("&" if "?" in url else "?") + f"bench={i}"
        body = {"client_id": str(uuid.uuid4()), "url": url, "title": "bench", "trigger": "auto",
                "captured_at": "2026-11-24T10:03:30+08:00", "html": html, "extension_version": "0.1.0"}
        if self._shots:
            body["screenshot"] = self._shots[i % len(self._shots)]
        return json.dumps(body, ensure_ascii=False).encode()


def drive(server: ServeProcess, token: str, feed: Feed, start: int, count: int, clients: int,
          fresh: bool = False) -> dict:
    """Post captures start … start+count-1 from ``clients`` connections; {errors, seconds}.
    ``fresh``: a new connection for every capture (so each worker accepts its share)."""
    errors: list[int] = []
    lock = threading.Lock()
    state = {"next": start}

    def loop():
        client = Client(server.port, token)
        while True:
            with lock:
                i = state["next"]
                if i >= start + count:
                    break
                state["next"] = i + 1
            status = client.post(feed.body(i))
            if status != 201:
                errors.append(status)
            if fresh:
                client.close()
                client.conn = None
        client.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"errors": len(errors), "seconds": time.perf_counter() - began}


def cache_metrics(server: ServeProcess) -> list[str]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET", "/metrics")
    text = conn.getresponse().read().decode()
    conn.close()
    return [line for line in text.splitlines() if line.startswith("kadun_cache_")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--captures", type=int, default=10000)
    parser.add_argument("--warm", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--screenshot-kb", type=int, default=0, help="a PNG screenshot of about this size with each")
    parser.add_argument("--vary-url", action="store_true", help="every capture at a URL of its own")
    parser.add_argument("--quiet", type=float, default=15.0, help="seconds to wait before the last reading")
    parser.add_argument("--every", type=int, default=2000, help="print the workers' RSS every N captures")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kadun-bench-memory-") as tmp:
        server = ServeProcess(Path(tmp) / "data", workers=args.workers).start()
        try:
            token, _ = server.pair()
            feed = Feed(args.screenshot_kb, args.vary_url)
            idle = memory(server)
            # Warm-up on a new connection per capture, so that every worker reads pages (loads the
            # scrapers, builds its tables) before its warm size is taken.
            drive(server, token, feed, 0, args.warm, args.clients, fresh=True)
            time.sleep(2)
            warm = memory(server)
            redis_warm = redis_used(server)
            print(f"kadun serve: {args.workers} workers × 4 threads, {args.clients} clients, "
                  f"screenshot {args.screenshot_kb} KiB, vary url {args.vary_url}")
            print("idle: " + ", ".join(f"pid {pid} RSS {m['rss']:.1f} MiB" for pid, m in idle.items()))
            print(f"warm (after {args.warm} captures): " + ", ".join(
                f"pid {pid} RSS {m['rss']:.1f} MiB (PSS {m['pss']:.1f})" for pid, m in warm.items()))
            done = 0
            total_seconds = 0.0
            errors = 0
            while done < args.captures:
                step = min(args.every, args.captures - done)
                result = drive(server, token, feed, args.warm + done, step, args.clients)
                done += step
                errors += result["errors"]
                total_seconds += result["seconds"]
                now = memory(server)
                print(f"  after {done:>6} captures ({done / total_seconds:.0f}/s): " + ", ".join(
                    f"pid {pid} {m['rss']:.1f} MiB ({m['rss'] - warm.get(pid, m)['rss']:+.1f})"
                    for pid, m in now.items()), flush=True)
            after = memory(server)
            time.sleep(args.quiet)
            later = memory(server)
            redis_after = redis_used(server)
            print(f"\n{'worker':>8} {'warm MiB':>9} {'after':>8} {'after ' + str(int(args.quiet)) + ' s':>11} "
                  f"{'growth':>8} {'PSS warm':>9} {'PSS later':>10}")
            for pid in sorted(set(warm) | set(later)):
                w, a, lt = warm.get(pid), after.get(pid), later.get(pid)
                if not (w and a and lt):
                    print(f"{pid:>8} (restarted or new during the run)")
                    continue
                print(f"{pid:>8} {w['rss']:>9.1f} {a['rss']:>8.1f} {lt['rss']:>11.1f} {lt['rss'] - w['rss']:>+8.1f}"
                      f" {w['pss']:>9.1f} {lt['pss']:>10.1f}")
            per = (redis_after - redis_warm) / args.captures
            print(f"\nRedis used_memory: {redis_warm / MIB:.1f} MiB warm → {redis_after / MIB:.1f} MiB "
                  f"after {args.captures} more captures: {per / 1000:.2f} KB per unique capture")
            print(f"errors: {errors}; {args.captures / total_seconds:.1f} captures/s")
            for line in cache_metrics(server):
                print(line)
        finally:
            server.stop()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
