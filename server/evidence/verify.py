"""Offline check of an evidence pack: every file hash, every item against its signed receipt,
and the chain links. Needs no server, no Redis, no network. The first mismatch is named."""
from __future__ import annotations

import json
import zipfile
import zlib
from dataclasses import dataclass, field

from .chain import ChainLink, first_bad_index
from .hashing import sha256_hex
from .pack import FORMAT, MANIFEST
from .receipts import RECEIPT_FIELDS, key_id_of, verify_receipt


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


def verify_pack(path, public_key: str | None = None) -> Result:
    """Check the pack at ``path``. ``public_key`` (base64) pins the server's key, as published at
    /v1/keys; without it the key inside the pack is used (and its key_id is reported)."""
    counts = {"files": 0, "items": 0, "receipts": 0, "links": 0}
    try:
        with zipfile.ZipFile(path) as zf:
            _verify(zf, public_key, counts)
    except _Mismatch as bad:
        return Result(False, bad.problem, bad.where, counts)
    except (zipfile.BadZipFile, OSError) as error:
        return Result(False, f"not a readable ZIP file: {error}", str(path), counts)
    return Result(True, None, None, counts)


def _read(zf: zipfile.ZipFile, path: str) -> bytes:
    """A member's bytes; a damaged member (bad CRC, broken compression) is a mismatch, not a crash."""
    try:
        return zf.read(path)
    except KeyError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as error:
        raise _Mismatch(path, f"file {path} is damaged and cannot be read ({error})") from None


def _read_manifest(zf: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(_read(zf, MANIFEST))
    except KeyError:
        raise _Mismatch(MANIFEST, "manifest.json is missing") from None
    except ValueError:
        raise _Mismatch(MANIFEST, "manifest.json is not valid JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _Mismatch(MANIFEST, "manifest.json is not a KaDun evidence pack manifest")
    for name in ("files", "items", "chain", "public_key"):
        if name not in manifest:
            raise _Mismatch(MANIFEST, f"manifest.json has no {name}")
    return manifest


def _verify(zf: zipfile.ZipFile, pinned_key: str | None, counts: dict) -> None:
    manifest = _read_manifest(zf)
    names = set(zf.namelist())
    digests: dict[str, str] = {}
    for entry in manifest["files"]:
        path = entry.get("path")
        if path not in names:
            raise _Mismatch(str(path), f"file {path} listed in the manifest is missing from the pack")
        digest = sha256_hex(_read(zf, path))
        if digest != entry.get("sha256"):
            raise _Mismatch(path, f"file {path}: SHA-256 {digest} does not match the manifest ({entry.get('sha256')})")
        digests[path] = digest
        counts["files"] += 1
    for extra in sorted(names - set(digests) - {MANIFEST}):
        if not extra.endswith("/"):
            raise _Mismatch(extra, f"file {extra} is in the pack but not in the manifest")

    key = manifest["public_key"] or {}
    public = pinned_key or key.get("public_key")
    if not public:
        raise _Mismatch(MANIFEST, "manifest.json has no public key")
    import base64

    try:
        expected_key_id = key_id_of(base64.b64decode(public))
    except ValueError:
        raise _Mismatch(MANIFEST, "the public key is not valid base64") from None

    for item in manifest["items"]:
        _verify_item(item, digests, public, expected_key_id, manifest.get("user"))
        counts["items"] += 1
        counts["receipts"] += 1

    links = [ChainLink.from_dict(raw) for raw in manifest["chain"]]
    if links:
        bad = first_bad_index(links, start_prev=links[0].prev_hash, start_index=links[0].index)
        if bad is not None:
            raise _Mismatch(f"chain link {bad}", f"chain link {bad} does not follow from the link before it")
    counts["links"] = len(links)
    counts["key_id"] = expected_key_id
    by_index = {link.index: link for link in links}
    for item in manifest["items"]:
        link = by_index.get(item.get("chain_index"))
        where = f"chain link {item.get('chain_index')}"
        if link is None:
            raise _Mismatch(where, f"item {item.get('id')}: its chain link {item.get('chain_index')} is not in the pack")
        if (link.id, link.sha256, link.received_at, link.chain_hash) != (
                item.get("id"), item.get("sha256"), item.get("received_at"), item.get("chain_hash")):
            raise _Mismatch(where, f"chain link {link.index} does not match item {item.get('id')}")


def _verify_item(item: dict, digests: dict, public: str, expected_key_id: str, user: str | None) -> None:
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
    if receipt.get("key_id") != expected_key_id:
        raise _Mismatch(where, f"receipt of {item_id} was signed with key {receipt.get('key_id')}, "
                               f"not {expected_key_id}")
    if not verify_receipt(receipt, public):
        raise _Mismatch(where, f"receipt of {item_id}: the signature is not valid")
    try:
        payload = json.loads(receipt["payload"])
    except (KeyError, TypeError, ValueError):
        raise _Mismatch(where, f"receipt of {item_id}: the payload is not JSON") from None
    if payload.get("user") != user:
        raise _Mismatch(where, f"receipt of {item_id}: signed for user {payload.get('user')!r}, not {user!r}")
    for name in RECEIPT_FIELDS:
        if name != "user" and payload.get(name) != item.get(name):
            raise _Mismatch(where, f"receipt of {item_id}: signed {name} {payload.get(name)!r} does not match "
                                   f"the pack ({item.get(name)!r})")
