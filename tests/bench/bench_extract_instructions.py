"""Benchmark: instructions (valgrind callgrind) of ``scrapers.extract`` and of a bare lxml parse, per page.

    .venv/bin/python -m tests.bench.bench_extract_instructions [--runs 2] [PAGES_DIR]

CPU time on a shared, loaded machine moves by 5-10% between runs; instruction counts do not (a few
parts in ten thousand), so a change of 1% is seen in one run. Each page's extraction and parse are
run ``--runs`` times under callgrind, with a dump between the two (``--dump-before`` on a marker
call), after one warm-up pass over every page; prints instructions per run, their ratio, the median
ratio and the total. Slow (about a minute). Needs ``valgrind`` (not installed by the setup: a
developer's tool, not part of ``make test``).
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PAGES = ROOT / "tests" / "fixtures" / "pages"


def _child(pages_dir: Path, runs: int) -> None:
    """Runs under callgrind: warm up, then each page's extraction and parse between marker calls."""
    sys.path.insert(0, str(ROOT))
    import lxml.html

    import scrapers

    index = json.loads((pages_dir / "index.json").read_text(encoding="utf-8"))
    pages = []
    for entry in index:
        data = (pages_dir / entry["file"]).read_bytes()
        pages.append((data, data.decode("utf-8", errors="replace"), entry["url"]))
    for data, html, url in pages:
        scrapers.extract(html, url)
        lxml.html.fromstring(data)
    for data, html, url in pages:
        zlib.crc32(b"")  # marker: callgrind dumps the counts before each call
        for _ in range(runs):
            scrapers.extract(html, url)
        zlib.crc32(b"")
        for _ in range(runs):
            lxml.html.fromstring(data)
    zlib.crc32(b"")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="?", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.pages, args.runs)
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed", file=sys.stderr)
        return 1
    index = json.loads((args.pages / "index.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cg.out")
        subprocess.run(["valgrind", "--tool=callgrind", "--dump-before=crc32", f"--callgrind-out-file={out}",
                        sys.executable, "-m", "tests.bench.bench_extract_instructions", "--child", "--runs",
                        str(args.runs), str(args.pages)], cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"},
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        totals = []
        for path in sorted(glob.glob(out + ".*"), key=lambda p: int(p.rsplit(".", 1)[1])):
            with open(path, encoding="utf-8", errors="replace") as f:
                totals.append(next(int(line.split()[1]) for line in f if line.startswith(("totals:", "summary:"))))
    segments = totals[1:1 + 2 * len(index)]  # (the first dump is everything before the first marker)
    ratios, total = [], 0
    print(f"{'page':36} {'extract Mi':>11} {'parse Mi':>9} {'ratio':>6}")
    for i, entry in enumerate(index):
        extract, parse = segments[2 * i] / args.runs, segments[2 * i + 1] / args.runs
        ratios.append(extract / parse)
        total += extract
        print(f"{entry['file']:36} {extract / 1e6:11.2f} {parse / 1e6:9.2f} {extract / parse:6.2f}")
    print(f"median instruction ratio {statistics.median(ratios):.3f}; extract total {total / 1e6:.1f} Mi per run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
