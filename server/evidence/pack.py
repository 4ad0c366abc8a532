"""The evidence pack: a ZIP that anyone can check offline with ``kadun verify``.

Layout::

    report.html            self-contained, printable, no scripts (report.py)
    dispute.json           the Dispute JSON the report was made from
    captures/<id>.html     the captured bytes exactly as received
    screenshots/<id>.png   the screenshots sent with captures
    attachments/<id>-<name> the buyer's attachments
    archive.wacz           a standard WACZ of the captured pages (wacz.py)
    manifest.json          every file's SHA-256 and size, each item's receipt, the chain segment
                           that holds the items, and the public key of the receipts

Nothing here reads Redis: the caller hands over bytes and metadata (server/disputes/export.py).
"""
from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from .hashing import sha256_hex
from .wacz import ArchivedPage, build_wacz

FORMAT = "kadun-evidence-pack"
VERSION = 1
MANIFEST = "manifest.json"
# Already-compressed content is stored, text is deflated.
_STORED = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".wacz", ".pdf", ".zip")


@dataclass
class PackItem:
    """One capture or attachment going into the pack."""

    no: int
    id: str
    type: str  # "capture" | "attachment"
    data: bytes
    sha256: str
    received_at: str
    chain_index: int
    chain_hash: str
    receipt: dict
    url: str | None = None
    filename: str | None = None
    screenshot: bytes | None = None
    screenshot_sha256: str | None = None
    title: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def path(self) -> str:
        if self.type == "capture":
            return f"captures/{self.id}.html"
        return f"attachments/{self.id}-{safe_filename(self.filename or 'file')}"

    @property
    def screenshot_path(self) -> str | None:
        if not self.screenshot:
            return None
        ext = "jpg" if self.screenshot.startswith(b"\xff\xd8\xff") else "png"
        return f"screenshots/{self.id}.{ext}"


def safe_filename(name: str, max_len: int = 80) -> str:
    """A file name safe inside a ZIP and on any disk: no directories, no dots in front, no
    control or reserved characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "_", name).strip().lstrip(".")
    name = re.sub(r"\s+", "_", name)
    if not name:
        name = "file"
    if len(name) > max_len:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: max_len - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else name[:max_len]
    return name


def _stamp(generated_at: str) -> tuple:
    """The ZIP entries' date: the pack's generation time (ZIP stores local time, no zone)."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(generated_at)
    except ValueError:
        return (1980, 1, 1, 0, 0, 0)
    return (max(1980, moment.year), moment.month, moment.day, moment.hour, moment.minute, moment.second)


def _write(zf: zipfile.ZipFile, files: list[dict], path: str, data: bytes, stamp: tuple) -> None:
    compress = zipfile.ZIP_STORED if path.lower().endswith(_STORED) else zipfile.ZIP_DEFLATED
    zf.writestr(zipfile.ZipInfo(path, date_time=stamp), data, compress_type=compress,
                compresslevel=6 if compress == zipfile.ZIP_DEFLATED else None)
    files.append({"path": path, "sha256": sha256_hex(data), "size": len(data)})


def write_pack(out, *, dispute: dict, items: list[PackItem], chain_links: list[dict], public_key: dict,
               user: str, generated_at: str, render_report: Callable[[dict, list[PackItem]], str],
               progress: Callable[[int], None] | None = None) -> dict:
    """Write the pack to the binary stream ``out``; returns the manifest.

    ``progress(n)`` is called as work is done (one unit per item, plus one each for the WACZ,
    the report and the manifest), so a caller can drive a progress bar.
    """
    tick = progress or (lambda n: None)
    stamp = _stamp(generated_at)
    files: list[dict] = []
    manifest_items = []
    with zipfile.ZipFile(out, "w") as zf:
        for item in items:
            _write(zf, files, item.path, item.data, stamp)
            if item.screenshot:
                _write(zf, files, item.screenshot_path, item.screenshot, stamp)
            manifest_items.append({
                "no": item.no, "id": item.id, "type": item.type, "path": item.path, "sha256": item.sha256,
                "size": len(item.data), "url": item.url, "filename": item.filename,
                "screenshot_path": item.screenshot_path, "screenshot_sha256": item.screenshot_sha256,
                "received_at": item.received_at, "chain_index": item.chain_index, "chain_hash": item.chain_hash,
                "receipt": item.receipt, **item.extra})
            tick(1)
        pages = [ArchivedPage(i.url, i.received_at, i.data, i.title) for i in items if i.type == "capture" and i.url]
        if pages:
            _write(zf, files, "archive.wacz", build_wacz(pages, title=f"KaDun {dispute.get('id')}"), stamp)
        tick(1)
        _write(zf, files, "dispute.json", json.dumps(dispute, ensure_ascii=False, indent=1).encode("utf-8"), stamp)
        _write(zf, files, "report.html", render_report(dispute, items).encode("utf-8"), stamp)
        tick(1)
        manifest = {
            "format": FORMAT, "version": VERSION, "dispute_id": dispute.get("id"), "user": user,
            "generated_at": generated_at, "public_key": public_key,
            "hash_algorithm": "sha256",
            "chain_rule": "chain_hash = sha256(prev_hash || sha256 || received_at || id), UTF-8, hex",
            "files": files, "items": manifest_items, "chain": chain_links,
        }
        zf.writestr(zipfile.ZipInfo(MANIFEST, date_time=stamp),
                    json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"),
                    compress_type=zipfile.ZIP_DEFLATED)
        tick(1)
    return manifest
