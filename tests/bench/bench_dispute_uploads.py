"""What the phone's screenshots cost a dispute: the median time to judge and arrange one dispute
(gather, judge, timeline, plan, letters) with no screenshots, then with N of the user's screenshots
read as payment records of other orders (each gathered as a candidate and matched against the
order), then with one that pays for the order.

Run: .venv/bin/python tests/bench/bench_dispute_uploads.py [--uploads 200] [--runs 30]
Prints the figures; it is a script, not a test. Uses a throwaway embedded Redis.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cfc0f01f0005000201e2b2a7c30000000049454e44ae426082")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uploads", type=int, default=200)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    from server.clock import parse_iso
    from server.disputes import service
    from server.storage import disputes as dispute_store
    from server.storage import uploads
    from tests.bench.backend import bench_backend
    from tests.disputes.scenario import open_dispute, store_fixture

    with bench_backend(OCR_WORKER=False) as (app, r, tmp):
        signer = app.extensions["kadun"].signer
        user = "bench"
        store_fixture(app, user, "xingchen-km-product", "2026-11-24T10:01:00.000+08:00")
        store_fixture(app, user, "xingchen-km-order", "2026-11-24T10:09:00.000+08:00")
        dispute = open_dispute(app, user, "account_recovered", domain="xingchen-km.com", order_no="XC20261124100322581",
                               occurred_at="2026-11-26T11:00:00+08:00", created_at="2026-11-26T14:00:00+08:00",
                               now="2026-11-26T15:00:00+08:00")
        record = dispute_store.get(r, user, dispute["id"])
        now = parse_iso("2026-11-26T15:00:00+08:00")

        def upload(reading: dict) -> None:
            uploads.add(r, user, data=PNG_1PX + uuid.uuid4().bytes, kind="other", filename="shot.png",
                        content_type="image/png", now=lambda: "2026-11-26T12:00:00.000+08:00",
                        sign=lambda p: signer.sign(p).as_dict(),
                        reading_state={"state": "done", "reading": reading, "match": None})

        def median_ms() -> tuple[float, dict]:
            times, built = [], None
            for _ in range(args.runs):
                started = time.perf_counter()
                built = service.build(r, record, now).dispute
                times.append((time.perf_counter() - started) * 1000)
            return statistics.median(times), built

        base, _ = median_ms()
        for i in range(args.uploads):
            upload({"kind": "payment", "amount": f"{10 + i}.00", "currency": "CNY",
                    "time": "2026-10-01T10:00:00+08:00", "numbers": [], "times": [], "text": ""})
        crowded, _ = median_ms()
        upload({"kind": "payment", "amount": "188.00", "currency": "CNY", "time": "2026-11-24T10:05:40+08:00",
                "numbers": [], "times": [], "text": ""})
        matched, built = median_ms()
        row = next(r for r in built["checklist"] if r["item"] == "payment_proof")
        print(f"dispute build, median of {args.runs} (in-process, embedded Redis):")
        print(f"  no screenshots:                               {base:7.1f} ms")
        print(f"  {args.uploads} screenshots of other payments:          {crowded:7.1f} ms")
        print(f"  and one that pays for the order:              {matched:7.1f} ms  (付款凭证 {row['state']})")


if __name__ == "__main__":
    main()
