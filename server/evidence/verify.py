"""Offline check of an evidence pack (format 2). Needs no server, no Redis, no network; names the
first thing that does not match.

In order: the ZIP's directory is sane (entry count, directory size, names: no duplicates, no two
names equal but for case, no paths that climb out); manifest.json is signed by the key (the pinned
one with ``--key``, else the one the manifest names) and the header names that key; the entries
are exactly the manifest's files plus the manifest and its signature; each file, read in bounded
streaming memory, has the manifest's size and SHA-256; the items are as many as the manifest says,
each with a valid receipt over its own fields (URL included); the chain range is contiguous and
every link follows; each item's link names it; a capture the server fetched itself (a shared link)
carries a fetch record that names the URL its receipt signs, reached by its last hop; each RFC 3161
token stamps the chain hash of its link and verifies with the stored TSA certificate chain. Memory stays bounded whatever the pack
declares: no member is read whole except the manifest and its signature, which are capped.
"""
from __future__ import annotations

import base64
import hashlib
import os
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime

from .. import jsonsafe
from .chain import ChainLink, first_bad_index
from .pack import FORMAT, HEADER_PREFIX, MANIFEST, SIGNATURE, VERSION
from .pack_shapes import shape_problem
from .receipts import RECEIPT_FIELDS, RECEIPT_FIELDS_V1, key_id_of, verify_detached, verify_receipt

MAX_ENTRIES = 100_000
MAX_CENTRAL_DIRECTORY = 64 * 1024 * 1024
MAX_MANIFEST = 32 * 1024 * 1024
MAX_SIGNATURE = 64 * 1024
CHUNK = 1 << 20
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]*(/[A-Za-z0-9_\u0080-\uffff][^/\\\x00-\x1f:*?\"<>|]*)*")


@dataclass
class Result:
    ok: bool
    problem: str | None = None  # the first thing that does not match, in words
    where: str | None = None    # the file, item or link it concerns
    checked: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"ok": self.ok, "problem": self.problem, "where": self.where, "checked": self.checked}


class _Mismatch(Exception):
    def __init__(self, where: str, problem: str):
        super().__init__(problem)
        self.where, self.problem = where, problem


def verify_pack(path, public_key: str | None = None, tsa_roots: list | None = None) -> Result:
    """Check the pack at ``path``. ``public_key`` (base64) pins the server's key, as published at
    /v1/keys; without it the key inside the pack is used (and its key_id is reported).
    ``tsa_roots`` (certificates) pins the TSAs' roots; without it each token is checked against
    the TSA chain stored in the pack, whose root is reported."""
    counts: dict = {"files": 0, "items": 0, "receipts": 0, "links": 0}
    try:
        if not os.path.isfile(path):  # a FIFO or device would block or never end
            return Result(False, f"{path} is not a regular file", str(path), counts)
        _check_directory(path)
        with zipfile.ZipFile(path) as zf:
            _check_layout(zf, path)
            _verify(zf, public_key, tsa_roots, counts)
    except _Mismatch as bad:
        return Result(False, bad.problem, bad.where, counts)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        return Result(False, f"not a readable ZIP file: {error}", str(path), counts)
    return Result(True, None, None, counts)


def _check_directory(path) -> None:
    """Read the end-of-central-directory record before zipfile parses every entry: refuse a
    directory so large that merely listing it would cost the memory we promise not to use."""
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 65_557))
        tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise _Mismatch(str(path), "not a ZIP file (no end of central directory)")
    entries, cd_size = struct.unpack("<HI", tail[at + 10:at + 16])
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:  # ZIP64: the real figures are in its record
        loc = tail.rfind(b"PK\x06\x06")
        if loc >= 0 and len(tail) - loc >= 56:
            entries, cd_size = struct.unpack("<QQ", tail[loc + 32:loc + 48])
    if entries > MAX_ENTRIES or cd_size > MAX_CENTRAL_DIRECTORY:
        raise _Mismatch(str(path), f"the pack declares {entries} entries in a {cd_size}-byte directory: "
                                   "more than an evidence pack holds")


def _check_layout(zf: zipfile.ZipFile, path) -> None:
    """The entries, the central directory and its end record tile the file from its first byte to
    its last, as the server wrote them: no bytes in front (a script or program made into a
    polyglot), between entries, or after the header. Every file is checked against the manifest
    later; this makes the rest of the pack's bytes accounted for too. (Entries may come in any
    order and compression: the same files, re-zipped.)"""
    handle = zf.fp
    handle.seek(0, 2)
    size = handle.tell()

    def read(at: int, count: int) -> bytes:
        handle.seek(at)
        return handle.read(count)

    def refuse(at: int, what: str) -> None:
        raise _Mismatch(str(path), f"the pack has {what} at byte {at}: it is not the ZIP the server wrote")

    eocd = size - 22 - len(zf.comment)
    record = read(eocd, 22) if eocd >= 0 else b""
    if len(record) != 22 or record[:4] != b"PK\x05\x06" or struct.unpack("<H", record[20:22])[0] != len(zf.comment):
        refuse(max(eocd, 0), "bytes after the end of its directory")
    entries, cd_size, cd_offset = struct.unpack("<HII", record[10:20])
    cd_end = eocd
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
        locator = read(eocd - 20, 20) if eocd >= 20 else b""
        if len(locator) != 20 or locator[:4] != b"PK\x06\x07":
            refuse(max(eocd - 20, 0), "a damaged ZIP64 locator")
        (z64,) = struct.unpack("<Q", locator[8:16])
        head = read(z64, 56)
        if len(head) != 56 or head[:4] != b"PK\x06\x06" or z64 + 12 + struct.unpack("<Q", head[4:12])[0] != eocd - 20:
            refuse(z64, "a damaged ZIP64 directory end")
        cd_size, cd_offset = struct.unpack("<QQ", head[40:56])
        cd_end = z64
    if cd_offset + cd_size != cd_end:
        refuse(min(cd_offset + cd_size, cd_end), "bytes between its directory and the directory's end")
    cursor = 0
    for info in sorted(zf.infolist(), key=lambda i: i.header_offset):
        if info.header_offset != cursor:
            refuse(min(cursor, info.header_offset), "bytes outside its entries")
        local = read(cursor, 30)
        if len(local) != 30 or local[:4] != b"PK\x03\x04":
            refuse(cursor, "a damaged entry header")
        flags, method, crc, csize, usize, name_len, extra_len = struct.unpack("<HH4xIIIHH", local[6:30])
        extra = read(cursor + 30 + name_len, extra_len)
        for where, field_ids in (("header", _extra_ids(extra)), ("directory entry", _extra_ids(info.extra))):
            unknown = next((i for i in field_ids if i not in _PLAIN_EXTRA_FIELDS), None)
            if unknown is not None:
                what = "a malformed extra field" if unknown < 0 else f"extra field 0x{unknown:04x}"
                raise _Mismatch(info.filename, f"entry {info.filename}: its {where} carries {what}, which other "
                                               "unzippers may read differently (a Unicode path field renames the "
                                               "file when unzipped): not a field a pack has")
        zip64 = _extra_field(extra, 1)
        cursor += 30 + name_len + extra_len + info.compress_size
        if flags & 0x08:  # a data descriptor follows the data (a ZIP written to a pipe) with the figures
            cursor += 4 if read(cursor, 4) == b"PK\x07\x08" else 0
            wide = zip64 is not None
            figures = read(cursor, 20 if wide else 12)
            if len(figures) != (20 if wide else 12):
                refuse(cursor, "a damaged data descriptor")
            crc, csize, usize = struct.unpack("<IQQ" if wide else "<III", figures)
            cursor += len(figures)
        elif zip64 is not None and 0xFFFFFFFF in (usize, csize):  # the real sizes are in the ZIP64 field
            values = list(struct.unpack(f"<{len(zip64) // 8}Q", zip64[:len(zip64) // 8 * 8]))
            usize = values.pop(0) if usize == 0xFFFFFFFF and values else usize
            csize = values.pop(0) if csize == 0xFFFFFFFF and values else csize
        # A streaming unzipper reads these headers, zipfile (and every check here) the directory:
        # both must describe the same bytes.
        if (method, crc, csize, usize, flags & 0x01) != (info.compress_type, info.CRC, info.compress_size,
                                                         info.file_size, 0):
            raise _Mismatch(info.filename, f"entry {info.filename}: its own header describes other data than "
                                           "the ZIP's directory (method, CRC or size): an unzipper reading the "
                                           "headers would take out something else")
    if cursor != cd_offset:
        refuse(min(cursor, cd_offset), "bytes outside its entries")


# Extra fields that only carry sizes (ZIP64) or times and owners (NTFS, extended timestamp, Info-ZIP
# Unix), as ZIP writers add them; any other (0x7075 Unicode Path names the file differently for
# Info-ZIP's unzip than for Python's zipfile) would let an unzipper see another pack than the checks.
_PLAIN_EXTRA_FIELDS = frozenset({0x0001, 0x000A, 0x5455, 0x7875})


def _extra_ids(extra: bytes) -> list[int]:
    """The record ids of a ZIP extra field; a record running past its end is an unknown one (-1)."""
    ids, at = [], 0
    while at < len(extra):
        if at + 4 > len(extra):
            return [*ids, -1]
        header, length = struct.unpack("<HH", extra[at:at + 4])
        if at + 4 + length > len(extra):
            return [*ids, -1]
        ids.append(header)
        at += 4 + length
    return ids


def _extra_field(extra: bytes, wanted: int) -> bytes | None:
    """The data of record ``wanted`` (1: ZIP64 sizes) in a ZIP extra field, or None."""
    at = 0
    while at + 4 <= len(extra):
        header, length = struct.unpack("<HH", extra[at:at + 4])
        if header == wanted:
            return extra[at + 4:at + 4 + length]
        at += 4 + length
    return None


def _check_names(infos: list[zipfile.ZipInfo]) -> None:
    seen: dict[str, str] = {}
    exact: set[str] = set()
    for info in infos:
        name = info.filename
        if name in exact:
            raise _Mismatch(name, f"entry {name} appears twice in the pack (a second copy could be forged)")
        exact.add(name)
        # (the server writes no directory entries: one is a name _NAME refuses, whatever it holds)
        if (not _NAME.fullmatch(name) or ".." in name.split("/") or name.startswith("/")
                or "\\" in name or len(name) > 255):
            raise _Mismatch(name, f"entry name {name!r} is not a plain relative file name")
        hazard = _mode_hazard(info)
        if hazard:
            raise _Mismatch(name, f"entry {name} is marked as {hazard}, not a plain file: the signature covers its "
                                  "bytes, not this mark, and unzipping it would make it one (the server writes plain "
                                  "files only); do not unzip this pack")
        folded = unicodedata.normalize("NFC", name).casefold()
        if folded in seen:
            raise _Mismatch(name, f"entries {seen[folded]} and {name} differ only in case: "
                                  "they would overwrite each other when unzipped")
        seen[folded] = name
    files = set(seen)
    for folded, name in seen.items():
        parts = folded.split("/")
        for depth in range(1, len(parts)):
            if "/".join(parts[:depth]) in files:
                raise _Mismatch(name, f"entry {name} lies under {seen['/'.join(parts[:depth])]}, which is a file: "
                                      "unzipping them would clash")


# What an entry's attributes can make of it when unzipped. The upper 16 bits are a Unix mode, which
# unzippers read for entries from Unix and from other systems alike (Info-ZIP's unzip for Atari,
# BeOS, VMS and, when it looks consistent, MS-DOS entries, as PKZip for Unix writes them; others for
# macOS): so they are checked whatever system the entry claims. The low byte is MS-DOS attributes:
# bsdtar makes an entry with the directory bit a folder.
_KINDS = {stat.S_IFLNK: "a symbolic link", stat.S_IFDIR: "a folder", stat.S_IFCHR: "a device (character)",
          stat.S_IFBLK: "a device (block)", stat.S_IFIFO: "a named pipe", stat.S_IFSOCK: "a socket"}
_DOS_DIRECTORY, _DOS_VOLUME_LABEL = 0x10, 0x08


def _mode_hazard(info: zipfile.ZipInfo) -> str | None:
    """What the entry's mode bits would make of it other than a plain file, in words, or None."""
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind not in (0, stat.S_IFREG):
        return _KINDS.get(kind, f"an unknown file type (mode {mode:o})")
    special = [word for bit, word in ((stat.S_ISUID, "set-user-id"), (stat.S_ISGID, "set-group-id"),
                                      (stat.S_ISVTX, "sticky")) if mode & bit]
    if special:
        return " and ".join(special) + f" (mode {mode:o})"
    if info.external_attr & _DOS_DIRECTORY:
        return "a folder (MS-DOS directory attribute)"
    if info.external_attr & _DOS_VOLUME_LABEL:
        return "a volume label (MS-DOS attribute)"
    return None


def _executable(infos: list[zipfile.ZipInfo]) -> list[str]:
    """Entries marked executable (a re-zip from a FAT or NTFS disk marks every file so)."""
    return sorted(i.filename for i in infos if (i.external_attr >> 16) & 0o111)


def _read_capped(zf: zipfile.ZipFile, name: str, cap: int) -> bytes:
    info = zf.getinfo(name)
    if info.file_size > cap:
        raise _Mismatch(name, f"{name} declares {info.file_size} bytes, more than the {cap} allowed")
    out = bytearray()
    try:
        with zf.open(info) as handle:
            while chunk := handle.read(CHUNK):
                out += chunk
                if len(out) > cap:
                    raise _Mismatch(name, f"{name} inflates to more than {cap} bytes")
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as error:
        raise _Mismatch(name, f"file {name} is damaged and cannot be read ({error})") from None
    return bytes(out)


def _hash_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, expected_size: int) -> str:
    """SHA-256 of a member read in chunks; never more than ``expected_size`` bytes are inflated."""
    name = info.filename
    if info.file_size != expected_size:
        raise _Mismatch(name, f"file {name}: the ZIP says it inflates to {info.file_size} bytes, the manifest "
                              f"says {expected_size}")
    digest = hashlib.sha256()
    total = 0
    try:
        with zf.open(info) as handle:
            while chunk := handle.read(CHUNK):
                total += len(chunk)
                if total > expected_size:
                    raise _Mismatch(name, f"file {name} inflates to more than the manifest's {expected_size} bytes")
                digest.update(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as error:
        raise _Mismatch(name, f"file {name} is damaged and cannot be read ({error})") from None
    if total != expected_size:
        raise _Mismatch(name, f"file {name} is {total} bytes, the manifest says {expected_size}")
    return digest.hexdigest()


def _read_manifest(zf: zipfile.ZipFile, names: set[str], pinned_key: str | None) -> tuple[dict, str]:
    """The manifest, once its detached signature is checked; and the key it was checked with."""
    if MANIFEST not in names:
        raise _Mismatch(MANIFEST, "manifest.json is missing")
    if SIGNATURE not in names:
        raise _Mismatch(SIGNATURE, "manifest.sig is missing: the manifest is not signed (not a format 2 pack)")
    body = _read_capped(zf, MANIFEST, MAX_MANIFEST)
    parsed = {}
    for name, raw in ((SIGNATURE, _read_capped(zf, SIGNATURE, MAX_SIGNATURE)), (MANIFEST, body)):
        try:
            parsed[name] = jsonsafe.loads(raw)
        except ValueError as error:
            raise _Mismatch(name, f"{name} is not valid JSON ({error})") from None
    signature, manifest = parsed[SIGNATURE], parsed[MANIFEST]
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(signature, dict):
        raise _Mismatch(MANIFEST, "manifest.json is not a KaDun evidence pack manifest")
    key = manifest.get("public_key") if isinstance(manifest.get("public_key"), dict) else {}
    public = pinned_key if pinned_key is not None else key.get("public_key")  # "" pins nothing: refused
    if not isinstance(public, str) or not public.strip():
        raise _Mismatch(MANIFEST, "the key given with --key is empty" if pinned_key is not None
                        else "manifest.json has no public key")
    try:
        key_id = key_id_of(base64.b64decode(public, validate=True))
    except ValueError:
        raise _Mismatch(MANIFEST, "the public key is not valid base64") from None
    if signature.get("algorithm") != "Ed25519" or signature.get("key_id") != key_id:
        raise _Mismatch(SIGNATURE, f"manifest.sig was made with key {signature.get('key_id')}, not {key_id}")
    if not verify_detached(body, str(signature.get("signature")), public):
        raise _Mismatch(SIGNATURE, "manifest.sig: the signature of manifest.json is not valid for key " + key_id)
    comment = zf.comment.decode("ascii", "replace")
    if comment != HEADER_PREFIX + key_id:
        raise _Mismatch("pack header", f"the pack header names {comment!r}, not the signing key {key_id}")
    if manifest.get("version") != VERSION or manifest.get("key_id") != key_id:
        raise _Mismatch(MANIFEST, "manifest.json: unknown version or key id")
    for name in ("files", "items", "chain", "item_count", "chain_range", "timestamps"):
        if name not in manifest:
            raise _Mismatch(MANIFEST, f"manifest.json has no {name}")
    problem = shape_problem("manifest", manifest)  # signed, but perhaps by whoever forged the pack
    if problem:
        raise _Mismatch(MANIFEST, f"manifest.json: {problem}")
    return manifest, public


def _verify(zf: zipfile.ZipFile, pinned_key: str | None, tsa_roots, counts: dict) -> None:
    infos = zf.infolist()
    _check_names(infos)
    if _executable(infos):
        counts["executable"] = _executable(infos)
    by_name = {i.filename: i for i in infos}
    manifest, public = _read_manifest(zf, set(by_name), pinned_key)
    listed: dict[str, dict] = {}
    for entry in manifest["files"]:
        path = entry.get("path")
        if path in listed or path in (MANIFEST, SIGNATURE):
            raise _Mismatch(str(path), f"file {path} is listed twice in the manifest")
        listed[path] = entry
    for name in sorted(by_name):
        if name not in listed and name not in (MANIFEST, SIGNATURE):
            raise _Mismatch(name, f"file {name} is in the pack but not in the manifest")
    digests: dict[str, str] = {}
    for path, entry in listed.items():
        if path not in by_name:
            raise _Mismatch(str(path), f"file {path} listed in the manifest is missing from the pack")
        digest = _hash_member(zf, by_name[path], int(entry.get("size", -1)))
        if digest != entry.get("sha256"):
            raise _Mismatch(path, f"file {path}: SHA-256 {digest} does not match the manifest ({entry.get('sha256')})")
        digests[path] = digest
        counts["files"] += 1
    counts["key_id"] = manifest["key_id"]

    items = manifest["items"]
    if len(items) != manifest["item_count"]:
        raise _Mismatch(MANIFEST, f"the manifest lists {len(items)} items but says the dispute holds "
                                  f"{manifest['item_count']}")
    if len({i.get("id") for i in items}) != len(items):
        raise _Mismatch(MANIFEST, "an item appears twice in the manifest")
    for item in items:
        _verify_item(item, digests, public, manifest["key_id"], manifest.get("user"), counts)
        counts["items"] += 1
        counts["receipts"] += 1
        for entry in [item, *(s for s in _sightings(item) if s.get("snapshot_id") != item.get("id"))]:
            if _verify_fetch(entry, item):
                counts["server_fetches"] = counts.get("server_fetches", 0) + 1
    by_index = _verify_chain(manifest, items, counts)
    for item in items:
        counts["receipts"] += _verify_sightings(item, by_index, public, manifest["key_id"], manifest.get("user"))
    if manifest.get("kind") == "account":
        counts["disputes"] = _verify_account(zf, by_name, manifest, items)
    else:
        _verify_dispute(zf, by_name, manifest, items)
    counts["times"] = _verify_times(zf, by_name, manifest, items, by_index, tsa_roots)


def _verify_item(item: dict, digests: dict, public: str, key_id: str, user: str | None, counts: dict) -> None:
    item_id = item.get("id")
    path = item.get("path")
    if path not in digests:
        raise _Mismatch(str(path), f"item {item_id}: its file {path} is not listed in the manifest")
    if digests[path] != item.get("sha256"):
        raise _Mismatch(path, f"file {path}: SHA-256 {digests[path]} is not the hash of item {item_id} "
                              f"({item.get('sha256')})")
    shot = item.get("screenshot_path")
    if shot and digests.get(shot) != item.get("screenshot_sha256"):
        raise _Mismatch(shot, f"file {shot}: not the screenshot of item {item_id}")
    receipt = item.get("receipt") or {}
    where = f"receipt of {item_id}"
    if receipt.get("key_id") != key_id:
        raise _Mismatch(where, f"receipt of {item_id} was signed with key {receipt.get('key_id')}, not {key_id}")
    if not verify_receipt(receipt, public):
        raise _Mismatch(where, f"receipt of {item_id}: the signature is not valid")
    try:
        payload = jsonsafe.loads(receipt["payload"])
    except (KeyError, TypeError, ValueError):
        raise _Mismatch(where, f"receipt of {item_id}: the payload is not JSON") from None
    if not isinstance(payload, dict) or set(payload) not in (set(RECEIPT_FIELDS), set(RECEIPT_FIELDS_V1)):
        raise _Mismatch(where, f"receipt of {item_id}: the payload does not have the receipt fields")
    if payload.get("user") != user:
        raise _Mismatch(where, f"receipt of {item_id}: signed for user {payload.get('user')!r}, not {user!r}")
    for name in RECEIPT_FIELDS:
        if name in payload and name != "user" and payload.get(name) != item.get(name):
            raise _Mismatch(where, f"receipt of {item_id}: signed {name} {payload.get(name)!r} does not match "
                                   f"the pack ({item.get(name)!r})")
    if "url" not in payload and item.get("type") == "capture":
        counts.setdefault("urls_not_signed", []).append(item_id)


def _verify_fetch(entry: dict, item: dict) -> bool:
    """A capture the server fetched itself (``source`` "server"): its fetch record (signed with the
    manifest) must name the URL the receipt signs as the page it kept, and its last hop must be that
    URL. True when ``entry`` (an item or one of its sightings) is such a capture."""
    if entry.get("source") != "server":
        return False
    sid = entry.get("snapshot_id") or entry.get("id")
    where = f"fetch record of {sid}"
    fetch = entry.get("fetch")
    if not isinstance(fetch, dict):
        raise _Mismatch(where, f"{sid} of item {item.get('id')} was fetched by the server but has no fetch record")
    hops = fetch.get("hops") if isinstance(fetch.get("hops"), list) else []
    last = hops[-1] if hops and isinstance(hops[-1], dict) else {}
    if fetch.get("final_url") != entry.get("url") or last.get("url") != fetch.get("final_url"):
        raise _Mismatch(where, f"{where}: the fetched page {fetch.get('final_url')!r} is not the captured URL "
                               f"{entry.get('url')!r}")
    return True


def _verify_chain(manifest: dict, items: list[dict], counts: dict) -> dict[int, ChainLink]:
    try:
        links = [ChainLink.from_dict(raw) for raw in manifest["chain"]]
    except (KeyError, TypeError, ValueError):
        raise _Mismatch(MANIFEST, "manifest.json: a chain link is malformed") from None
    span = manifest["chain_range"] or {}
    if not links:
        if items:
            raise _Mismatch(MANIFEST, "the manifest has items but no chain links")
        return {}
    first, last = links[0].index, links[-1].index
    if (span.get("first"), span.get("last"), span.get("count")) != (first, last, len(links)) \
            or last - first + 1 != len(links):
        raise _Mismatch("chain", f"the chain range {span} is not the {len(links)} contiguous links "
                                 f"{first}–{last} in the pack")
    bad = first_bad_index(links, start_prev=links[0].prev_hash, start_index=first)
    if bad is not None:
        raise _Mismatch(f"chain link {bad}", f"chain link {bad} does not follow from the link before it")
    counts["links"] = len(links)
    by_index = {link.index: link for link in links}
    for item in items:
        link = by_index.get(item.get("chain_index"))
        where = f"chain link {item.get('chain_index')}"
        if link is None:
            raise _Mismatch(where, f"item {item.get('id')}: its chain link {item.get('chain_index')} is not in the pack")
        if (link.id, link.sha256, link.received_at, link.chain_hash) != (
                item.get("id"), item.get("sha256"), item.get("received_at"), item.get("chain_hash")):
            raise _Mismatch(where, f"chain link {link.index} does not match item {item.get('id')}")
    # (an item's earlier sightings, the same bytes saved before, may open the segment)
    indexes = [i["chain_index"] for i in items] + [s.get("chain_index") for i in items for s in _sightings(i)]
    indexes = [i for i in indexes if isinstance(i, int)]
    ends = {min(indexes), max(indexes)} if indexes else set()
    if items and first not in ends:
        raise _Mismatch("chain", f"the chain segment starts at {first}, before the first item")
    return by_index


def _sightings(item: dict) -> list[dict]:
    found = item.get("sightings") or []
    return [s for s in found if isinstance(s, dict)] if isinstance(found, list) else []


def _verify_sightings(item: dict, by_index: dict[int, ChainLink], public: str, key_id: str,
                      user: str | None) -> int:
    """Every other capture of an item's bytes (its sightings): each receipt signed by the key for
    these bytes, its URL, time and place on the chain, and that place a link of the pack. Returns
    how many receipts were checked."""
    checked = 0
    for sighting in _sightings(item):
        sid = sighting.get("snapshot_id")
        if sid == item.get("id"):
            continue  # the item itself, checked above
        where = f"receipt of {sid} (a sighting of item {item.get('id')})"
        receipt = sighting.get("receipt") or {}
        if receipt.get("key_id") != key_id or not verify_receipt(receipt, public):
            raise _Mismatch(where, f"{where}: the signature is not valid for key {key_id}")
        try:
            payload = jsonsafe.loads(receipt["payload"])
        except (KeyError, TypeError, ValueError):
            raise _Mismatch(where, f"{where}: the payload is not JSON") from None
        if not isinstance(payload, dict):
            raise _Mismatch(where, f"{where}: the payload is not a JSON object")
        expected = {"id": sid, "user": user, "sha256": item.get("sha256"), "url": sighting.get("url"),
                    "received_at": sighting.get("received_at"), "chain_index": sighting.get("chain_index"),
                    "chain_hash": sighting.get("chain_hash")}
        for name, value in expected.items():
            if (name in payload or name != "url") and payload.get(name) != value:
                raise _Mismatch(where, f"{where}: signed {name} {payload.get(name)!r} does not match the pack "
                                       f"({value!r})")
        link = by_index.get(sighting.get("chain_index"))
        if link is None or (link.id, link.sha256, link.received_at, link.chain_hash) != (
                sid, item.get("sha256"), sighting.get("received_at"), sighting.get("chain_hash")):
            raise _Mismatch(f"chain link {sighting.get('chain_index')}",
                            f"{where}: its chain link is not in the pack or does not match it")
        checked += 1
    return checked


def _json_object(zf: zipfile.ZipFile, by_name: dict, path: str, shape: str, missing: str | None = None) -> dict:
    """The pack's JSON file ``path`` as an object of ``shape`` (see pack_shapes), or a mismatch
    naming what is wrong with it."""
    if path not in by_name:
        raise _Mismatch(path, missing or f"{path} is missing")
    try:
        data = jsonsafe.loads(_read_capped(zf, path, MAX_MANIFEST))
    except ValueError:
        raise _Mismatch(path, f"{path} is not valid JSON") from None
    if not isinstance(data, dict):
        raise _Mismatch(path, f"{path} is not a JSON object")
    problem = shape_problem(shape, data)
    if problem:
        raise _Mismatch(path, f"{path}: {problem}")
    return data


def _verify_dispute(zf: zipfile.ZipFile, by_name: dict, manifest: dict, items: list[dict]) -> None:
    """dispute.json (already hashed against the signed manifest) lists the same evidence."""
    dispute = _json_object(zf, by_name, "dispute.json", "dispute")
    if dispute.get("id") != manifest.get("dispute_id"):
        raise _Mismatch("dispute.json", "dispute.json is another dispute than the manifest's")
    evidence = sorted(e.get("id") for e in dispute.get("evidence") or [])
    if evidence != sorted(i["id"] for i in items):
        raise _Mismatch("dispute.json", "dispute.json's evidence list is not the manifest's items")


def _verify_account(zf: zipfile.ZipFile, by_name: dict, manifest: dict, items: list[dict]) -> int:
    """An account export: account.json indexes exactly the manifest's items, and every dispute it
    lists is in the pack (hashed like every file) and names only evidence the pack holds."""
    account = _json_object(zf, by_name, "account.json", "account")
    if account.get("id") != manifest.get("export_id") \
            or account.get("user") != manifest.get("user"):
        raise _Mismatch("account.json", "account.json is another export than the manifest's")
    held = {i["id"] for i in items}
    if sorted(e.get("id") for e in account.get("evidence") or []) != sorted(held):
        raise _Mismatch("account.json", "account.json's evidence list is not the manifest's items")
    disputes = account.get("disputes") or []
    for entry in disputes:
        path = entry.get("path") if isinstance(entry, dict) else None
        if not str(path).startswith("disputes/"):
            raise _Mismatch(str(path), f"dispute {entry!r} listed in account.json is not in the pack")
        dispute = _json_object(zf, by_name, path, "dispute", missing=f"dispute {entry!r} listed in account.json is not in the pack")
        if dispute.get("id") != entry.get("id"):
            raise _Mismatch(path, f"{path} is another dispute than account.json says")
        missing = sorted({e.get("id") for e in dispute.get("evidence") or []} - held)
        if missing:
            raise _Mismatch(path, f"dispute {entry.get('id')} names evidence the pack does not hold: {missing[0]}")
    return len(disputes)


def _verify_times(zf: zipfile.ZipFile, by_name: dict, manifest: dict, items: list[dict],
                  by_index: dict[int, ChainLink], tsa_roots) -> list[dict]:
    """Check every token; per item, the earliest stamped head at or after it."""
    from . import timestamp

    section = manifest["timestamps"] or {}
    verified: list[tuple[int, str, str, str]] = []  # (chain index, time, TSA name, root fingerprint)
    for stamp in section.get("stamps") or []:
        index = stamp.get("chain_index")
        link = by_index.get(index)
        where = f"time stamp of chain link {index}"
        if link is None or link.chain_hash != stamp.get("chain_hash"):
            raise _Mismatch(where, f"{where}: the stamped head is not a link of the pack's chain")
        for token in stamp.get("tokens") or []:
            path, chain_path = token.get("path"), token.get("chain_path")
            if path not in by_name or chain_path not in by_name:
                raise _Mismatch(str(path), f"{where}: token {path} or its TSA chain {chain_path} is missing")
            reply = _read_capped(zf, path, 1 << 20)
            try:
                chain = timestamp.load_pem_chain(_read_capped(zf, chain_path, 1 << 20))
                checked = timestamp.verify_token(reply, bytes.fromhex(link.chain_hash), chain, tsa_roots)
            except (timestamp.TimestampError, ValueError) as error:
                raise _Mismatch(path, f"{where}: token {path} does not verify: {error}") from None
            verified.append((index, checked.gen_time_iso, checked.tsa_name, timestamp.fingerprint(chain[-1])))
    out = []
    for item in sorted(items, key=lambda i: i["chain_index"]):
        covering = [v for v in verified if v[0] >= item["chain_index"]]
        if covering:
            best = min(covering, key=lambda v: (v[0], v[1]))
            same = [v for v in covering if v[0] == best[0]]
            first = min(same, key=lambda v: v[1])
            out.append({"id": item["id"], "no": item.get("no"), "received_at": item.get("received_at"),
                        "stamped": True, "time": first[1], "tsa": first[2], "tsa_root": first[3],
                        "chain_index": first[0]})
        else:
            out.append({"id": item["id"], "no": item.get("no"), "received_at": item.get("received_at"),
                        "stamped": False, "configured": bool(section.get("configured"))})
    unstamped = {i["id"] for i in out if not i["stamped"]}
    if set(section.get("unstamped") or []) != unstamped:
        raise _Mismatch(MANIFEST, "the manifest's list of captures not yet stamped is wrong")
    return out


def describe_time(entry: dict) -> str:
    """One line per capture for ``kadun verify``."""
    if entry["stamped"]:
        moment = datetime.fromisoformat(entry["time"].replace("Z", "+00:00"))
        return (f"{entry['id']}: existed no later than {moment.isoformat()}, per TSA {entry['tsa']} "
                f"(root SHA-256 {entry['tsa_root'][:16]}…)")
    if entry.get("configured"):
        return f"{entry['id']}: not yet stamped; received {entry['received_at']} by the server's own clock"
    return f"{entry['id']}: received {entry['received_at']} (the server's own time: no TSA configured)"
