"""Time and size of the evidence pack for a dispute with 200 captures (target: under 5 s).

Run: .venv/bin/python tests/bench/bench_pack.py [--captures 200]
Prints the figures; it is a script, not a test. Uses a throwaway embedded Redis.
"""
from __future__ import annotations

import argparse
import copy
import io
import json
import os
import sys
import time
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "tests" / "fixtures" / "pages"


def _screenshot(seed: int) -> bytes:
    """A real 320×200 PNG of noisy pixels (about 190 KB: noise does not compress away)."""
    import struct
    import zlib

    width, height = 320, 200
    rows = b"".join(b"\x00" + os.urandom(width * 3) for _ in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--captures", type=int, default=200)
    parser.add_argument("--screenshot-every", type=int, default=4, help="one capture in N carries a screenshot")
    args = parser.parse_args()

    from server.clock import CHINA
    from server.disputes import service
    from server.disputes.export import export_pack
    from server.evidence.verify import verify_pack
    from server.evidence.wacz import validate_wacz
    from server.storage import captures
    from server.storage.disputes import DisputeRecord, new_dispute_id
    from tests.bench.backend import bench_backend
    with bench_backend() as (app, r, tmp):
        signer = app.extensions["kadun"].signer
        user = "bench"
        pages = [("xingchen-km-order", "https://www.xingchen-km.com/user/order/detail?order_no=XC20261124100322581"),
                 ("xingchen-km-product", "https://www.xingchen-km.com/goods/detail/773104"),
                 ("xingchen-km-chat", "https://www.xingchen-km.com/service/chat?order_no=XC20261124100322581&shop=28517"),
                 ("xingchen-km-terms", "https://www.xingchen-km.com/help/agreement.html")]
        loaded = [((FIXTURES / f"{n}.html").read_text(encoding="utf-8"),
                   json.loads((FIXTURES / f"{n}.json").read_text(encoding="utf-8")), url) for n, url in pages]
        from datetime import datetime, timedelta

        start = datetime(2026, 11, 24, 10, 0, tzinfo=CHINA)
        t0 = time.perf_counter()
        for i in range(args.captures):
            html, facts, url = loaded[i % len(loaded)]
            facts = copy.deepcopy(facts)
            facts["order"]["order_no"] = "XC20261124100322581"  # every capture belongs to the order
            at = (start + timedelta(minutes=i)).isoformat(timespec="milliseconds")
            body = f"{html}<!-- capture {i} -->".encode()
            shot = _screenshot(i) if i % args.screenshot_every == 0 else None
            captures.store(r, user, client_id=str(uuid.uuid4()), html=body, screenshot=shot, url=url, title=None,
                           captured_at=at, clock_offset_seconds_of=lambda _: 0.0, trigger="auto",
                           extension_version="bench", facts=facts, now=lambda at=at: at,
                           sign=lambda p: signer.sign(p).as_dict())
        stored = time.perf_counter() - t0
        record = DisputeRecord(id=new_dispute_id(), user=user, problem="account_recovered",
                               occurred_at="2026-11-24T15:00:00+08:00", created_at="2026-11-24T16:00:00+08:00",
                               description="bench", domain="xingchen-km.com", order_no="XC20261124100322581")
        service.open_dispute(r, record)

        t1 = time.perf_counter()
        dispute = service.get_built(r, user, record.id).dispute
        computed = time.perf_counter() - t1

        t2 = time.perf_counter()
        buffer = io.BytesIO()
        manifest = export_pack(r, user, record.id, signer, buffer, wacz_signer=app.extensions["kadun"].wacz_signer)
        packed = time.perf_counter() - t2
        data = buffer.getvalue()
        path = tmp / "pack.zip"
        path.write_bytes(data)

        t3 = time.perf_counter()
        result = verify_pack(path)
        verified = time.perf_counter() - t3
        with zipfile.ZipFile(path) as zf:
            shots = [zf.getinfo(i["screenshot_path"]).file_size for i in manifest["items"] if i["screenshot_path"]]
            sizes = {n: zf.getinfo(n).compress_size for n in ("report.html", "archive.wacz", "manifest.json")}
            wacz_ok = validate_wacz(zf.read("archive.wacz"))
        print(f"captures stored:       {args.captures} in {stored:.2f} s "
              f"({len(shots)} with a screenshot, {sum(shots) / max(1, len(shots)) / 1e3:.0f} KB each on average)")
        print(f"dispute computed:      {computed:.3f} s ({len(dispute['timeline'])} timeline events, "
              f"{len(dispute['evidence'])} evidence items)")
        print(f"pack written:          {packed:.2f} s  (target < 5 s)")
        print(f"pack size:             {len(data) / 1e6:.2f} MB ({len(manifest['files'])} files; report.html "
              f"{sizes['report.html'] / 1e6:.2f} MB, archive.wacz {sizes['archive.wacz'] / 1e6:.2f} MB, "
              f"manifest.json {sizes['manifest.json'] / 1e3:.0f} KB zipped)")
        print(f"pack verified offline: {verified:.2f} s  (target < 2 s), ok={result.ok}; WACZ valid={wacz_ok}")


if __name__ == "__main__":
    main()
