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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from ..storage import scratch


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
    with scratch.directory("kadun-wacz-") as tmp:
        out_path = os.path.join(tmp, "out.wacz")
        build_wacz_file(pages, out_path, title, sign)
        with open(out_path, "rb") as handle:
            return handle.read()


def build_wacz_file(pages: Iterable[ArchivedPage], out_path: str, title: str = "KaDun evidence", sign=None) -> int:
    """Write a WACZ of ``pages`` to ``out_path``, reading the pages once and one at a time (an
    iterator may load each from storage), so memory stays that of one page. Returns the page count."""
    from wacz.main import main as wacz_main

    with scratch.directory("kadun-wacz-") as tmp:
        warc_path = os.path.join(tmp, "captures.warc.gz")
        built_path = os.path.join(tmp, "archive.wacz")
        pages_path = os.path.join(tmp, "pages.jsonl")
        # Our own page list (one entry per capture, titled), so a replay tool lists every version;
        # written in the same pass as the WARC.
        with open(warc_path, "wb") as warc, open(pages_path, "w", encoding="utf-8") as listing:
            listing.write(json.dumps({"format": "json-pages-1.0", "id": "pages", "title": title}) + "\n")

            def listed(items):
                for page in items:
                    listing.write(json.dumps({"url": page.url, "ts": _warc_date(page.received_at),
                                              "title": page.title or page.url}, ensure_ascii=False) + "\n")
                    yield page

            count = write_warc(listed(pages), warc, title)
        # The wacz tool prints its progress; keep our stdout (and the CLI's progress bar) clean.
        with contextlib.redirect_stdout(io.StringIO()):
            status = wacz_main(["create", "-o", built_path, "-p", pages_path, "--title", title, warc_path])
        if status not in (0, None):
            raise RuntimeError(f"wacz create failed with status {status}")
        if sign is None:
            os.replace(built_path, out_path)
        else:
            add_signature_file(built_path, out_path, sign)
    return count


def add_signature(wacz: bytes, sign) -> bytes:
    """The WACZ with ``signedData`` in datapackage-digest.json (see :func:`add_signature_file`)."""
    with scratch.directory("kadun-wacz-") as tmp:
        src, dest = os.path.join(tmp, "in.wacz"), os.path.join(tmp, "out.wacz")
        with open(src, "wb") as handle:
            handle.write(wacz)
        add_signature_file(src, dest, sign)
        with open(dest, "rb") as handle:
            return handle.read()


def add_signature_file(src: str, dest: str, sign) -> None:
    """Copy the WACZ at ``src`` to ``dest`` with ``signedData`` in datapackage-digest.json, signed
    over the hash of datapackage.json with ``created`` equal to the datapackage's own (as ``wacz
    validate`` checks). Members are copied in chunks, never whole."""
    import hashlib
    import shutil
    import zipfile

    with zipfile.ZipFile(src) as zin:
        package = zin.read("datapackage.json")
        digest_doc = json.loads(zin.read("datapackage-digest.json"))
        created = json.loads(package)["created"]
        digest_doc["hash"] = "sha256:" + hashlib.sha256(package).hexdigest()
        digest_doc["signedData"] = sign(digest_doc["hash"], created)
        with zipfile.ZipFile(dest, "w", allowZip64=True) as zout:
            for info in zin.infolist():
                if info.filename == "datapackage-digest.json":
                    zout.writestr(info, json.dumps(digest_doc, indent=2).encode(), compress_type=info.compress_type)
                    continue
                with zin.open(info) as source, \
                        zout.open(info, "w", force_zip64=info.file_size >= zipfile.ZIP64_LIMIT) as target:
                    shutil.copyfileobj(source, target, 1 << 20)


def validate_wacz(data: bytes) -> bool:
    """True when the ``wacz`` package's own validator accepts the archive."""
    from wacz.main import main as wacz_main

    with scratch.directory("kadun-wacz-") as tmp:
        path = os.path.join(tmp, "archive.wacz")
        with open(path, "wb") as handle:
            handle.write(data)
        with contextlib.redirect_stdout(io.StringIO()):
            return wacz_main(["validate", "-f", path]) == 0
