"""A standard WACZ web archive of captured pages (warcio writes the WARC, ``wacz`` packages it),
signed as Webrecorder's "WACZ Signing and Verification" recommendation specifies.

The WARC opens with a ``warcinfo`` record; each capture becomes one ``response`` record at its URL,
dated with the server's received time, with the captured bytes as the body (so ReplayWeb.page
shows every version of a page at the moment it was seen); a screenshot is a ``resource`` record
at ``urn:screenshot:<url>`` tied to its page by ``WARC-Concurrent-To``; pages.jsonl gives each
page its title. ``datapackage-digest.json`` carries ``signedData`` (see :mod:`.wacz_signing`).
Pure: bytes in, bytes out, no Redis.
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
    screenshot: bytes | None = None
    capture_id: str | None = None


def _warc_date(received_at: str) -> str:
    moment = datetime.fromisoformat(received_at.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def write_warc(pages: Iterable[ArchivedPage], out, title: str = "KaDun evidence") -> int:
    """Write a warcinfo record, then per page a response record (and its screenshot as a resource
    record) to the binary stream ``out``, gzipped record by record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    writer = WARCWriter(out, gzip=True)
    writer.write_record(writer.create_warcinfo_record("captures.warc.gz", {
        "software": "KaDun evidence pack (warcio)", "format": "WARC File Format 1.1",
        "description": title,
        "isPartOf": "kadun-evidence",
        "note": "Captured by the KaDun browser extension; dated with the server's received time."}))
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
        if page.screenshot:
            mime = "image/jpeg" if page.screenshot.startswith(b"\xff\xd8\xff") else "image/png"
            shot = writer.create_warc_record(
                f"urn:screenshot:{page.url}", "resource", payload=io.BytesIO(page.screenshot),
                warc_content_type=mime,
                warc_headers_dict={"WARC-Date": _warc_date(page.received_at),
                                   "WARC-Concurrent-To": record.rec_headers.get_header("WARC-Record-ID")})
            writer.write_record(shot)
        count += 1
    return count


def build_wacz(pages: list[ArchivedPage], title: str = "KaDun evidence", sign=None) -> bytes:
    """The bytes of a WACZ holding ``pages`` (our own pages.jsonl, titled). ``sign(hash, created)``
    returns the ``signedData`` for datapackage-digest.json (wacz_signing.py); None leaves it unsigned."""
    from wacz.main import main as wacz_main

    with tempfile.TemporaryDirectory(prefix="kadun-wacz-") as tmp:
        warc_path = os.path.join(tmp, "captures.warc.gz")
        out_path = os.path.join(tmp, "archive.wacz")
        pages_path = os.path.join(tmp, "pages.jsonl")
        with open(warc_path, "wb") as handle:
            write_warc(pages, handle, title)
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
            data = handle.read()
    return add_signature(data, sign) if sign is not None else data


def add_signature(wacz: bytes, sign) -> bytes:
    """The WACZ with ``signedData`` in datapackage-digest.json, signed over the hash of
    datapackage.json with ``created`` equal to the datapackage's own (as ``wacz validate`` checks)."""
    import hashlib
    import zipfile

    with zipfile.ZipFile(io.BytesIO(wacz)) as zin:
        package = zin.read("datapackage.json")
        digest_doc = json.loads(zin.read("datapackage-digest.json"))
        created = json.loads(package)["created"]
        digest_doc["hash"] = "sha256:" + hashlib.sha256(package).hexdigest()
        digest_doc["signedData"] = sign(digest_doc["hash"], created)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zout:
            for info in zin.infolist():
                body = (json.dumps(digest_doc, indent=2).encode() if info.filename == "datapackage-digest.json"
                        else zin.read(info.filename))
                zout.writestr(info, body, compress_type=info.compress_type)
    return out.getvalue()


def validate_wacz(data: bytes) -> bool:
    """True when the ``wacz`` package's own validator accepts the archive."""
    from wacz.main import main as wacz_main

    with tempfile.TemporaryDirectory(prefix="kadun-wacz-") as tmp:
        path = os.path.join(tmp, "archive.wacz")
        with open(path, "wb") as handle:
            handle.write(data)
        with contextlib.redirect_stdout(io.StringIO()):
            return wacz_main(["validate", "-f", path]) == 0
