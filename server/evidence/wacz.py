"""A standard WACZ web archive of captured pages (warcio writes the WARC, ``wacz`` packages it).

Each capture becomes one WARC ``response`` record at its URL, dated with the server's received
time, with the captured bytes as the body, so ReplayWeb.page shows every version of a page at the
moment it was seen. Pure: bytes in, bytes out, no Redis.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class ArchivedPage:
    url: str
    received_at: str  # ISO 8601 with offset
    html: bytes
    title: str | None = None


def _warc_date(received_at: str) -> str:
    moment = datetime.fromisoformat(received_at.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def write_warc(pages: Iterable[ArchivedPage], out) -> int:
    """Write one gzipped WARC response record per page to the binary stream ``out``."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    writer = WARCWriter(out, gzip=True)
    count = 0
    for page in pages:
        http_headers = StatusAndHeaders("200 OK", [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(page.html))),
        ], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            page.url, "response", payload=io.BytesIO(page.html), http_headers=http_headers,
            warc_headers_dict={"WARC-Date": _warc_date(page.received_at)})
        writer.write_record(record)
        count += 1
    return count


def build_wacz(pages: list[ArchivedPage], title: str = "KaDun evidence") -> bytes:
    """The bytes of a WACZ holding ``pages`` (with pages.jsonl detected from the records)."""
    from wacz.main import main as wacz_main

    with tempfile.TemporaryDirectory(prefix="kadun-wacz-") as tmp:
        warc_path = os.path.join(tmp, "captures.warc.gz")
        out_path = os.path.join(tmp, "archive.wacz")
        pages_path = os.path.join(tmp, "pages.jsonl")
        with open(warc_path, "wb") as handle:
            write_warc(pages, handle)
        # Our own page list (one entry per capture, titled), so a replay tool lists every version.
        with open(pages_path, "w", encoding="utf-8") as handle:
            handle.write(json.dumps({"format": "json-pages-1.0", "id": "pages", "title": title}) + "\n")
            for page in pages:
                handle.write(json.dumps({"url": page.url, "ts": _warc_date(page.received_at),
                                         "title": page.title or page.url}, ensure_ascii=False) + "\n")
        # The wacz tool prints its progress; keep our stdout (and the CLI's progress bar) clean.
        with contextlib.redirect_stdout(io.StringIO()):
            status = wacz_main(["create", "-o", out_path, "-p", pages_path, "--title", title, warc_path])
        if status not in (0, None):
            raise RuntimeError(f"wacz create failed with status {status}")
        with open(out_path, "rb") as handle:
            return handle.read()


def validate_wacz(data: bytes) -> bool:
    """True when the ``wacz`` package's own validator accepts the archive."""
    from wacz.main import main as wacz_main

    with tempfile.TemporaryDirectory(prefix="kadun-wacz-") as tmp:
        path = os.path.join(tmp, "archive.wacz")
        with open(path, "wb") as handle:
            handle.write(data)
        with contextlib.redirect_stdout(io.StringIO()):
            return wacz_main(["validate", "-f", path]) == 0
