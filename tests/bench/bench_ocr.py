"""OCR field accuracy and read time on generated phone screenshots.

    .venv/bin/python -m tests.bench.bench_ocr [--count 60] [--seed 17] [--keep DIR]

Renders bill details (支付宝, 微信, bank), error prompts and chats in Chromium with phone
emulation (half of them in dark mode), reads each with the real Tesseract through
``server.ocr.reader.read_screenshot`` and prints, per field, how many were read exactly right,
then the read time per page (p50 / p95 / max). The issue's bars: amounts ≥ 95 %, times and
transaction numbers ≥ 90 %, a page in < 5 s on this machine's 2 cores.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
from pathlib import Path

from server.ocr.reader import read_screenshot
from tests.ocr.screens import Renderer, generate


def _time(value: str | None) -> str | None:
    return value[:19] if value else None  # "2026-08-21T12:50:13+08:00" → local time as shown


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60, help="payment screens (plus a third as many prompts/chats)")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--keep", type=Path, help="keep the screenshots in this folder")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    out = args.keep or Path(tempfile.mkdtemp(prefix="kadun-ocr-"))
    payments = generate(args.seed, args.count)
    others = generate(args.seed + 1, max(2, args.count // 3), kinds=("error", "chat"))
    renderer = Renderer()
    try:
        paths = renderer.render_all(payments + others, out)
    finally:
        renderer.close()
    fields = ("amount", "time", "transaction_no", "merchant_order_no", "payee")
    right = dict.fromkeys(fields, 0)
    total = dict.fromkeys(fields, 0)
    prompt_right = prompt_total = chat_right = chat_total = 0
    times: list[int] = []
    cpu: list[float] = []
    misses = []
    for screen, path in zip(payments + others, paths, strict=True):
        before = _cpu()
        reading, ms = read_screenshot(path.read_bytes())
        times.append(ms)
        cpu.append(_cpu() - before)
        expected = screen.expected
        if screen.kind == "payment":
            got = {"amount": reading.amount, "time": _time(reading.time), "transaction_no": reading.transaction_no,
                   "merchant_order_no": reading.merchant_order_no, "payee": reading.payee}
            for name in fields:
                if expected.get(name) is None:
                    continue
                total[name] += 1
                if got[name] == expected[name]:
                    right[name] += 1
                else:
                    misses.append((screen.name, name, expected[name], got[name]))
        elif screen.kind == "error":
            prompt_total += 1
            problem = reading.problem or {}
            ok = (reading.kind == "error" and problem.get("kind") == expected["problem"]
                  and (problem.get("at") or "")[:len(expected["time"])] == expected["time"])
            prompt_right += ok
            if not ok:
                misses.append((screen.name, "problem", (expected["problem"], expected["time"]),
                               (problem.get("kind"), problem.get("at"))))
        else:
            chat_total += 1
            ok = reading.kind == "chat" and expected["order_no"] in reading.numbers
            chat_right += ok
            if not ok:
                misses.append((screen.name, "chat", expected["order_no"], (reading.kind, reading.numbers)))
    print(f"screens: {len(paths)} in {out} (payments {len(payments)}, prompts {prompt_total}, chats {chat_total})")
    for name in fields:
        share = right[name] / total[name] if total[name] else 0
        print(f"  {name:18s} {right[name]:4d} / {total[name]:<4d} {share:7.1%}")
    if prompt_total:
        print(f"  {'error prompt':18s} {prompt_right:4d} / {prompt_total:<4d} {prompt_right / prompt_total:7.1%}"
              "  (problem kind and its time)")
    if chat_total:
        print(f"  {'chat order no':18s} {chat_right:4d} / {chat_total:<4d} {chat_right / chat_total:7.1%}")
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(f"read time per page: p50 {statistics.median(ordered) / 1000:.2f} s, p95 {p95 / 1000:.2f} s, "
          f"max {ordered[-1] / 1000:.2f} s")
    print(f"CPU per page (this process and Tesseract): p50 {statistics.median(cpu):.2f} s, max {max(cpu):.2f} s; "
          f"load average at the end {os.getloadavg()[0]:.1f}")
    if args.show_misses:
        for miss in misses:
            print("  miss:", *miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
