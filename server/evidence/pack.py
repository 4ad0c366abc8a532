"""The evidence pack: a ZIP that anyone can check offline with ``kadun verify``.

Layout::

    report.html             self-contained, printable, no scripts (report.py)
    dispute.json            the Dispute JSON the report was made from
    captures/<id>.html.txt  the captured bytes exactly as received, under a name no browser runs
                            (opened, it shows the page's source as text; replay it from the WACZ)
    screenshots/<id>.png    the screenshots sent with captures
    attachments/<id>-<name> the buyer's attachments (".txt"/".bin" added unless an image, PDF or text)
    archive.wacz            a signed WACZ of the captured pages and screenshots (wacz.py)
    timestamps/…            RFC 3161 tokens (.tsr) of chain heads and the TSA chains (.pem)
    manifest.json           every other file's SHA-256 and size, the items (with receipts), how many
                            there are, the chain range that holds them, the trusted-time stamps
    manifest.sig            detached Ed25519 signature of manifest.json's exact bytes

The ZIP comment (the pack's header) names the key that signed the manifest. Nothing here reads
Redis: the caller hands over bytes and metadata (server/disputes/export.py).
"""
from __future__ import annotations

import base64
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from .hashing import sha256_hex
from .wacz import ArchivedPage, build_wacz

FORMAT = "kadun-evidence-pack"
VERSION = 2
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
HEADER_PREFIX = "KaDun evidence pack v2; manifest.json signed (manifest.sig) by Ed25519 key "
# Already-compressed content is stored, text is deflated.
_STORED = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".wacz", ".pdf", ".zip", ".tsr", ".bin")
# Attachment names a browser opens as inert content; any other name gets a suffix that is inert.
INERT_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".txt")


def header(key_id: str) -> bytes:
    return (HEADER_PREFIX + key_id).encode("ascii")


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
            return f"captures/{self.id}.html.txt"
        return f"attachments/{self.id}-{inert_name(safe_filename(self.filename or 'file'), self.data)}"

    @property
    def screenshot_path(self) -> str | None:
        if not self.screenshot:
            return None
        ext = "jpg" if self.screenshot.startswith(b"\xff\xd8\xff") else "png"
        return f"screenshots/{self.id}.{ext}"


# Bidirectional controls reorder how a name is shown ("a\u202etxt.exe" reads as "aexe.txt"), and
# zero-width ones hide characters: a file name in evidence shows what it is.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# Bytes (UTF-8) of a name, so that "attachments/<id>-<name>" plus .txt stays well under the 255
# bytes most file systems allow for one path component (80 Chinese characters are 240 bytes).
NAME_BYTES = 120


def safe_filename(name: str, max_len: int = 80) -> str:
    """A file name safe inside a ZIP and on any disk: no directories, no dots in front or behind,
    no control, reserved, bidirectional or invisible characters, at most ``max_len`` characters and
    ``NAME_BYTES`` bytes of UTF-8 (the extension kept when it is short)."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _INVISIBLE.sub("", name)
    name = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "_", name).strip().strip(".").strip()
    name = re.sub(r"\s+", "_", name)
    if not name:
        name = "file"
    if len(name) > max_len or len(name.encode("utf-8")) > NAME_BYTES:
        stem, dot, ext = name.rpartition(".")
        if not (dot and stem and len(ext) <= 10):
            stem, ext = name, ""
        tail = "." + ext if ext else ""
        room_chars, room_bytes = max_len - len(tail), NAME_BYTES - len(tail.encode("utf-8"))
        cut = stem[:room_chars]
        while len(cut.encode("utf-8")) > room_bytes:
            cut = cut[:-1]
        name = cut + tail
    return name


def inert_name(name: str, data: bytes) -> str:
    """``name`` when a browser shows such a file as an image, a PDF or text; else with ``.txt``
    (text such as an HTML or SVG export, which would otherwise run) or ``.bin`` added. The
    extension must also match the bytes, or a page saved as x.png could be sniffed as HTML."""
    lower = name.lower()
    magic = {".png": (b"\x89PNG",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
             ".gif": (b"GIF8",), ".webp": (b"RIFF",), ".pdf": (b"%PDF-",)}
    for suffix, starts in magic.items():
        if lower.endswith(suffix):
            return name if data.startswith(starts) else name + ".bin"
    if lower.endswith(".txt"):
        return name
    try:
        data.decode("utf-8")
        return name + ".txt"
    except UnicodeDecodeError:
        return name + (".txt" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ".bin")


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


def _write_stream(zf: zipfile.ZipFile, files: list[dict], path: str, handle, stamp: tuple) -> None:
    """Copy a (possibly large) file into the pack in chunks, hashing it on the way."""
    import hashlib

    info = zipfile.ZipInfo(path, date_time=stamp)
    info.compress_type = zipfile.ZIP_STORED if path.lower().endswith(_STORED) else zipfile.ZIP_DEFLATED
    digest, size = hashlib.sha256(), 0
    with zf.open(info, "w", force_zip64=True) as dest:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            dest.write(chunk)
    files.append({"path": path, "sha256": digest.hexdigest(), "size": size})


def item_entry(item: PackItem) -> dict:
    """An item as the manifest lists it."""
    return {"no": item.no, "id": item.id, "type": item.type, "path": item.path, "sha256": item.sha256,
            "size": len(item.data), "url": item.url, "filename": item.filename,
            "screenshot_path": item.screenshot_path, "screenshot_sha256": item.screenshot_sha256,
            "received_at": item.received_at, "chain_index": item.chain_index, "chain_hash": item.chain_hash,
            "receipt": item.receipt, **item.extra}


def _timestamp_files(zf, files: list[dict], timestamps: dict | None, stamp: tuple, items: list[dict]) -> dict:
    """Write each token (.tsr) and TSA chain (.pem); the manifest's ``timestamps`` section.
    ``items``: the manifest's item entries (id, chain_index)."""
    timestamps = timestamps or {}
    section = {"configured": bool(timestamps.get("configured")), "imprint": "the chain_hash of the stamped link "
               "(SHA-256, its 32 bytes as the message imprint)", "stamps": [], "unstamped": []}
    chain_paths: dict[str, str] = {}
    for fp, pem in sorted((timestamps.get("chains") or {}).items()):
        path = f"timestamps/tsa-{fp[:16]}.pem"
        _write(zf, files, path, pem.encode("ascii"), stamp)
        chain_paths[fp] = path
    for stamp_record in timestamps.get("stamps") or []:
        tokens = []
        for number, token in enumerate(stamp_record["tokens"], start=1):
            path = f"timestamps/{stamp_record['chain_index']:08d}-{number}.tsr"
            _write(zf, files, path, base64.b64decode(token["token"]), stamp)
            tokens.append({"path": path, "tsa_url": token["tsa_url"], "tsa_name": token["tsa_name"],
                           "time": token["time"], "chain_path": chain_paths.get(token["chain"])})
        section["stamps"].append({"chain_index": stamp_record["chain_index"], "chain_hash": stamp_record["chain_hash"],
                                  "tokens": tokens})
    last = max((s["chain_index"] for s in section["stamps"]), default=-1)
    section["unstamped"] = [i["id"] for i in items if i["chain_index"] > last]
    return section


def trust_summary(manifest: dict) -> dict:
    """What report.html says about who signed and who stamped (from the manifest being written)."""
    stamps = manifest["timestamps"]["stamps"]
    by_item = {}
    for item in manifest["items"]:
        covering = next((s for s in stamps if s["chain_index"] >= item["chain_index"]), None)
        by_item[item["id"]] = ({"time": min(t["time"] for t in covering["tokens"]),
                                "tsa": sorted({t["tsa_name"] for t in covering["tokens"]}),
                                "chain_index": covering["chain_index"], "paths": [t["path"] for t in covering["tokens"]],
                                "chain_hash": covering["chain_hash"], "chain_paths": [t["chain_path"] for t in covering["tokens"]]}
                               if covering else None)
    return {"public_key": manifest["public_key"], "timestamps": manifest["timestamps"], "items": by_item,
            "chain_range": manifest["chain_range"], "wacz": manifest.get("wacz")}


class PackWriter:
    """Writes a pack file by file (each hashed into the manifest's file list), then the signed
    manifest. Items are written one at a time, so a pack of many captures never holds more than
    one capture's bytes in memory."""

    def __init__(self, out, *, key_id: str, generated_at: str):
        self.zf = zipfile.ZipFile(out, "w", allowZip64=True)
        self.zf.comment = header(key_id)
        self.key_id = key_id
        self.stamp = _stamp(generated_at)
        self.files: list[dict] = []
        self.items: list[dict] = []

    def add(self, path: str, data: bytes) -> None:
        _write(self.zf, self.files, path, data, self.stamp)

    def add_stream(self, path: str, handle) -> None:
        _write_stream(self.zf, self.files, path, handle, self.stamp)

    def add_item(self, item: PackItem) -> dict:
        """Write an item's bytes (and screenshot); its manifest entry."""
        self.add(item.path, item.data)
        if item.screenshot:
            self.add(item.screenshot_path, item.screenshot)
        entry = item_entry(item)
        self.items.append(entry)
        return entry

    def add_timestamps(self, timestamps: dict | None) -> dict:
        return _timestamp_files(self.zf, self.files, timestamps, self.stamp, self.items)

    def finish(self, manifest: dict, sign_manifest: Callable[[bytes], str]) -> dict:
        """Write manifest.json (``manifest`` plus the file list) and its signature; close the ZIP."""
        manifest["files"] = self.files
        body = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
        self.zf.writestr(zipfile.ZipInfo(MANIFEST, date_time=self.stamp), body, compress_type=zipfile.ZIP_DEFLATED)
        signature = {"algorithm": "Ed25519", "key_id": self.key_id, "signed_file": MANIFEST,
                     "manifest_sha256": sha256_hex(body), "signature": sign_manifest(body)}
        self.zf.writestr(zipfile.ZipInfo(SIGNATURE, date_time=self.stamp),
                         json.dumps(signature, indent=1).encode("ascii"), compress_type=zipfile.ZIP_DEFLATED)
        self.zf.close()
        return manifest


def manifest_head(*, key: dict, user: str, generated_at: str, items: list[dict], chain_links: list[dict],
                  timestamps: dict, wacz: dict | None) -> dict:
    """The fields every manifest has (a dispute's pack adds ``dispute_id``, an account's ``kind``)."""
    first = chain_links[0]["index"] if chain_links else None
    last = chain_links[-1]["index"] if chain_links else None
    return {
        "format": FORMAT, "version": VERSION, "user": user, "generated_at": generated_at,
        "key_id": key["key_id"], "public_key": key, "hash_algorithm": "sha256",
        "chain_rule": "chain_hash = sha256(prev_hash || sha256 || received_at || id), UTF-8, hex",
        "item_count": len(items), "chain_range": {"first": first, "last": last, "count": len(chain_links)},
        "files": [], "items": items, "chain": chain_links, "timestamps": timestamps, "wacz": wacz,
    }


def write_pack(out, *, dispute: dict, items: list[PackItem], chain_links: list[dict], public_key: dict,
               user: str, generated_at: str, render_report: Callable[[dict, list[PackItem], dict], str],
               sign_manifest: Callable[[bytes], str], timestamps: dict | None = None,
               wacz_sign: Callable[[str, str], dict] | None = None, wacz_info: dict | None = None,
               progress: Callable[[int], None] | None = None) -> dict:
    """Write a dispute's pack to the binary stream ``out``; returns the manifest.

    ``sign_manifest(bytes)`` returns the base64 Ed25519 signature of the manifest's bytes;
    ``timestamps`` is ``{"configured", "stamps": [stamp dicts], "chains": {fingerprint: pem}}``;
    ``wacz_sign(hash, created)`` makes the WACZ's signedData. ``progress(n)`` is called as work
    is done (one unit per item, plus one each for the WACZ, the report and the manifest).
    """
    tick = progress or (lambda n: None)
    writer = PackWriter(out, key_id=public_key["key_id"], generated_at=generated_at)
    for item in items:
        writer.add_item(item)
        tick(1)
    pages = [ArchivedPage(i.url, i.received_at, i.data, i.title, i.screenshot, i.id)
             for i in items if i.type == "capture" and i.url]
    wacz_section = None
    if pages:
        wacz = build_wacz(pages, title=f"KaDun {dispute.get('id')}", sign=wacz_sign)
        writer.add("archive.wacz", wacz)
        wacz_section = {"path": "archive.wacz", "signed": wacz_sign is not None, "signer": wacz_info}
    tick(1)
    time_section = writer.add_timestamps(timestamps)
    manifest = manifest_head(key=public_key, user=user, generated_at=generated_at, items=writer.items,
                             chain_links=chain_links, timestamps=time_section, wacz=wacz_section)
    manifest = {"format": manifest.pop("format"), "version": manifest.pop("version"), "dispute_id": dispute.get("id"),
                **manifest}
    manifest["files"] = writer.files
    writer.add("dispute.json", json.dumps(dispute, ensure_ascii=False, indent=1).encode("utf-8"))
    writer.add("report.html", render_report(dispute, items, trust_summary(manifest)).encode("utf-8"))
    tick(1)
    manifest = writer.finish(manifest, sign_manifest)
    tick(1)
    return manifest
