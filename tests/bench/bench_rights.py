"""Figures for the data-rights and backup operations on a populated store: delete one user among
many (one Redis), export one user's everything (time, size, peak memory of the exporting process),
back up and restore the whole store.

    .venv/bin/python -m tests.bench.bench_rights --users 50 --captures 40
"""
from __future__ import annotations

import argparse
import io
import resource
import tempfile
import time
import uuid
from pathlib import Path

from tests.bench.bench_pack import _screenshot  # a varied PNG per capture


def _populate(app, users: int, captures: int) -> list[str]:
    from server import clock
    from server.storage import captures as capture_store
    from server.storage import users as user_store
    from tests.conftest import FIXTURES

    svc = app.extensions["kadun"]
    page = (FIXTURES / "xingchen-km-order.html").read_text(encoding="utf-8")
    facts = {"domain": "xingchen-km.com", "page_kind": "order", "order": {"order_no": "XC1"}, "seller": {"id": "28517"}}
    made = []
    for u in range(users):
        code = user_store.new_pairing_code(svc.redis, new_user=True)
        token, user = user_store.redeem_code(svc.redis, code, "bench")
        for i in range(captures):
            html = page.replace("</body>", f"<!-- {u} {i} {uuid.uuid4().hex} --></body>").encode()
            capture_store.store(svc.redis, user, client_id=str(uuid.uuid4()), html=html,
                                screenshot=_screenshot(i) if i % 4 == 0 else None, url="https://www.xingchen-km.com/o",
                                title=None, captured_at=None, clock_offset_seconds_of=lambda _: None, trigger="auto",
                                extension_version="bench", facts=facts, now=clock.now_iso,
                                sign=lambda p: svc.signer.sign(p).as_dict())
        made.append(user)
    return made


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--captures", type=int, default=40, help="captures per user")
    args = parser.parse_args(argv)
    from server import create_app
    from server.rights import delete_user, export_user
    from server.storage import backup
    from server.storage.redis import EmbeddedRedis, connect

    with tempfile.TemporaryDirectory(prefix="kadun-rights-") as tmp:
        server = EmbeddedRedis(Path(tmp) / "redis")
        r = connect(server.start())
        try:
            app = create_app({"TESTING": True, "REDIS": r, "DATA_DIR": str(Path(tmp) / "data"),
                              "RATELIMIT_ENABLED": False, "STAMPER": False})
            t0 = time.perf_counter()
            users = _populate(app, args.users, args.captures)
            keys_total = r.dbsize()
            print(f"store: {args.users} users x {args.captures} captures = {keys_total} keys in "
                  f"{time.perf_counter() - t0:.1f} s")
            svc = app.extensions["kadun"]
            out = Path(tmp) / "export.zip"
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            t0 = time.perf_counter()
            with open(out, "wb") as handle:
                manifest = export_user(r, users[0], svc.signer, handle, wacz_signer=svc.wacz_signer)
            spent = time.perf_counter() - t0
            rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(f"export one user ({manifest['item_count']} items): {spent:.2f} s, {out.stat().st_size / 1e6:.1f} MB, "
                  f"peak RSS {rss_after / 1024:.0f} MiB (was {rss_before / 1024:.0f} MiB before)")
            t0 = time.perf_counter()
            report = delete_user(r, users[1])
            print(f"delete one user among {keys_total} keys: {time.perf_counter() - t0:.2f} s "
                  f"({report['user_keys']} user keys, {report['site_keys']} site keys, {report['aggregates']} aggregates)")
            stream = io.BytesIO()
            t0 = time.perf_counter()
            stats = backup.dump(r, stream.write)
            spent = time.perf_counter() - t0
            print(f"backup: {stats.keys} keys, {stream.tell() / 1e6:.1f} MB of records, {spent:.2f} s, "
                  f"{stats.rounds} round(s)")
            r.flushall()
            stream.seek(0)
            t0 = time.perf_counter()
            written = backup.restore(r, backup.records(stream.read))
            print(f"restore: {written} keys in {time.perf_counter() - t0:.2f} s")
        finally:
            r.close()
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
