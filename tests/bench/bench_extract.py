"""Benchmark: scrapers.extract against a bare lxml parse of the same bytes, per fixture page.

    .venv/bin/python tests/bench/bench_extract.py [--runs 30] [--cpu] [PAGES_DIR]

Prints, per page, the median extraction time over repeated runs, the median time of a bare
``lxml.html.fromstring`` of the same bytes and their ratio (and the same from the fastest runs,
which a busy machine disturbs less); then the median ratio and the time of the largest page.
``--cpu`` times with the process's CPU clock instead of the wall clock: on a machine shared with
other work it measures this process only. Targets (issue 12): median ratio <= 8x, largest page < 50 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import lxml.html  # noqa: E402

import scrapers  # noqa: E402
from scrapers.document import Document  # noqa: E402

DEFAULT_PAGES = ROOT / "tests" / "fixtures" / "pages"


CLOCK = time.perf_counter


def timings(fn, bare, runs: int) -> tuple[list[float], list[float]]:
    """Milliseconds of ``fn`` and ``bare``, run alternately so both see the same machine load."""
    times, bare_times = [], []
    for _ in range(runs):
        start = CLOCK()
        bare()
        middle = CLOCK()
        fn()
        times.append((CLOCK() - middle) * 1000)
        bare_times.append((middle - start) * 1000)
    return times, bare_times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="?", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--cpu", action="store_true", help="time with the process CPU clock (a shared, busy machine)")
    args = parser.parse_args()
    global CLOCK
    if args.cpu:
        CLOCK = time.process_time
    index = json.loads((args.pages / "index.json").read_text(encoding="utf-8"))
    scrapers.extract("<p>warm-up</p>", "https://example.com/")  # tldextract's snapshot loads once
    rows, floors = [], []
    for entry in index:
        path = args.pages / entry["file"]
        data = path.read_bytes()
        html = data.decode("utf-8", errors="replace")
        times, bare = timings(lambda h=html, u=entry["url"]: scrapers.extract(h, u),
                              lambda d=data: lxml.html.fromstring(d), args.runs)
        rows.append((entry["file"], len(data), statistics.median(times), statistics.median(bare), min(times), min(bare)))
        # The floor of this design: the parse, the visible lines and the label/value pairs that every
        # field rule reads, before any rule runs (timed against the bare parse the same way).
        floor, floor_bare = timings(lambda h=html, u=entry["url"]: Document(h, u), lambda d=data: lxml.html.fromstring(d),
                                    args.runs)
        floors.append(statistics.median(floor) / statistics.median(floor_bare))
    print(f"{'page':36} {'bytes':>8} {'extract ms':>11} {'lxml ms':>8} {'ratio':>6} {'min ext':>8} {'min lxml':>8} {'ratio':>6}")
    for name, size, ext, bare, ext_min, bare_min in rows:
        print(f"{name:36} {size:8} {ext:11.2f} {bare:8.2f} {ext / bare:6.2f} {ext_min:8.2f} {bare_min:8.2f} "
              f"{ext_min / bare_min:6.2f}")
    largest = max(rows, key=lambda r: r[1])
    print(f"median ratio {statistics.median(r[2] / r[3] for r in rows):.2f}x (target <= 8x); "
          f"from fastest runs {statistics.median(r[4] / r[5] for r in rows):.2f}x")
    print(f"of which parse + visible lines + label pairs, before any field rule: median {statistics.median(floors):.2f}x")
    print(f"largest page {largest[0]}: median {largest[2]:.2f} ms, fastest {largest[4]:.2f} ms (target < 50 ms)")
    print(f"runs {args.runs}, {'CPU' if args.cpu else 'wall'} clock, load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
