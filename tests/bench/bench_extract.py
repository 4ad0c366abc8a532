"""Benchmark: scrapers.extract against a bare lxml parse of the same bytes, per fixture page.

    .venv/bin/python tests/bench/bench_extract.py [--runs 30] [PAGES_DIR]

Prints, per page, the median extraction time over repeated runs, the median time of a bare
``lxml.html.fromstring`` of the same bytes and their ratio; then the median ratio and the time of
the largest page. Targets (issue 3): median ratio <= 3x, largest page < 50 ms.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import lxml.html  # noqa: E402

import scrapers  # noqa: E402

DEFAULT_PAGES = ROOT.parent / "shared" / "fixtures" / "pages"


def paired_median_ms(fn, bare, runs: int) -> tuple[float, float]:
    """Median times of ``fn`` and ``bare``, run alternately so both see the same machine load."""
    times, bare_times = [], []
    for _ in range(runs):
        start = time.perf_counter()
        bare()
        middle = time.perf_counter()
        fn()
        times.append(time.perf_counter() - middle)
        bare_times.append(middle - start)
    return statistics.median(times) * 1000, statistics.median(bare_times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="?", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    index = json.loads((args.pages / "index.json").read_text(encoding="utf-8"))
    scrapers.extract("<p>warm-up</p>", "https://example.com/")  # tldextract's snapshot loads once
    rows = []
    for entry in index:
        path = args.pages / entry["file"]
        data = path.read_bytes()
        html = data.decode("utf-8", errors="replace")
        url = entry["url"]
        extract_ms, bare_ms = paired_median_ms(lambda h=html, u=url: scrapers.extract(h, u),
                                               lambda d=data: lxml.html.fromstring(d), args.runs)
        rows.append((entry["file"], len(data), extract_ms, bare_ms, extract_ms / bare_ms))
    print(f"{'page':36} {'bytes':>8} {'extract ms':>11} {'lxml ms':>9} {'ratio':>6}")
    for name, size, extract_ms, bare_ms, ratio in rows:
        print(f"{name:36} {size:8} {extract_ms:11.2f} {bare_ms:9.2f} {ratio:6.2f}")
    ratios = [r[4] for r in rows]
    largest = max(rows, key=lambda r: r[1])
    print(f"median ratio {statistics.median(ratios):.2f}x (target <= 3x)   "
          f"largest page {largest[0]} {largest[2]:.2f} ms (target < 50 ms)   runs {args.runs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
