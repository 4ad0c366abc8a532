"""Export everything a user stored as one signed evidence pack (format 2, ``kind: account``).

The pack holds every capture (its bytes as received, its screenshot), every attachment, each
dispute computed now (``disputes/<id>.json``), a signed WACZ of every captured page, the user's
whole hash chain, every RFC 3161 stamp of it, ``account.json`` (the index, and the account's
profile: username, e-mail, passkeys and devices, no secrets) and ``report.html``;
``manifest.json`` lists and hashes all of it and is signed with the server's key, exactly as a
dispute's pack, so ``kadun verify`` checks it the same way.

It is written in one pass over the user's records with one capture's bytes in memory at a time
(the pages are read a second time for the WACZ); what the pack covers is fixed first: the
disputes are computed, then the chain's length is read, and only items and links before that
length go in (a capture arriving meanwhile waits for the next export).
"""
from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Iterator

from .. import clock
from ..errors import KadunError
from ..evidence.account_report import render_account_report
from ..evidence.pack import PackItem, PackWriter, manifest_head, trust_summary
from ..evidence.wacz import ArchivedPage, build_wacz_file
from ..storage import accounts as account_store
from ..storage import blobs, keys, scratch
from ..storage import captures as capture_store
from ..storage import chain as chain_store
from ..storage import devices as device_store
from ..storage import disputes as dispute_store
from ..storage import stamps as stamp_store

KIND = "account"
BATCH = 500


def _captures(r, user: str, below: int) -> list[capture_store.Capture]:
    """The user's captures in chain order, those before chain index ``below`` only."""
    rows = r.zrangebyscore(keys.snapshots_all(user), "-inf", f"({below}", withscores=True)
    ids = [member.decode() for member, _ in sorted(rows, key=lambda row: row[1])]
    out: list[capture_store.Capture] = []
    for start in range(0, len(ids), BATCH):
        out.extend(capture_store.get_many(r, user, ids[start:start + BATCH]))
    return out


def _attachments(r, user: str, dispute_ids: list[str], below: int) -> list[dispute_store.Attachment]:
    found = []
    for dispute_id in dispute_ids:
        found.extend(a for a in dispute_store.attachments(r, user, dispute_id) if a.chain_index < below)
    return found


def _disputes(r, user: str) -> list[dict]:
    """Each dispute computed now (its stored record when it can no longer be computed)."""
    from ..disputes.service import get_built

    out = []
    for dispute_id in reversed(dispute_store.list_ids(r, user, limit=1_000_000)):  # oldest first
        try:
            out.append(get_built(r, user, dispute_id).dispute)
        except KadunError as error:
            record = dispute_store.get(r, user, dispute_id)
            if record is not None:
                out.append({**record.as_dict(), "evidence": [], "note": error.message})
    return out


def _profile(r, user: str) -> dict:
    """What the service keeps about the user besides their evidence: the hosted account (username,
    e-mail, when made; never the password hash), its passkeys (never their keys) and the devices
    (never their tokens)."""
    record = account_store.get(r, user)
    return {"account": {k: v for k, v in record.as_dict().items() if k != "user"} if record else None,
            "passkeys": [p.as_dict() for p in account_store.passkeys(r, user)] if record else [],
            "devices": [{k: v for k, v in d.as_dict().items() if k != "user"} for d in device_store.list_for_user(r, user)]}


def _load(r, user: str, sha256: str | None, what: str) -> bytes | None:
    if not sha256:
        return None
    data = blobs.get(r, user, sha256)
    if data is None:
        raise KadunError(f"the bytes of {what} are missing from storage")
    return data


def export_user(r, user: str, signer, out, *, wacz_signer=None, stamp_config=None, tsa_configured: bool = False,
                progress: Callable[[int], None] | None = None,
                on_total: Callable[[int], None] | None = None) -> dict:
    """Write the pack of everything ``user`` stored to the binary stream ``out``; the manifest."""
    tick = progress or (lambda n: None)
    generated_at = clock.now_iso()
    export_id = f"exp_{secrets.token_hex(8)}"
    disputes = _disputes(r, user)
    length, _ = chain_store.head(r, user)
    captures = _captures(r, user, length)
    attachments = _attachments(r, user, [d["id"] for d in disputes], length)
    ordered = sorted([(c.chain_index, "capture", c) for c in captures]
                     + [(a.chain_index, "attachment", a) for a in attachments], key=lambda row: row[0])
    if on_total:
        on_total(len(ordered) + 3)
    key = signer.key_info()
    writer = PackWriter(out, key_id=key["key_id"], generated_at=generated_at)
    evidence = []
    for number, (_, kind, record) in enumerate(ordered, start=1):
        item = _item(r, user, number, kind, record)
        entry = writer.add_item(item)
        evidence.append({k: entry.get(k) for k in ("no", "id", "type", "path", "sha256", "url", "filename",
                                                   "screenshot_path", "received_at", "chain_index")}
                        | _describe(kind, record))
        tick(1)
    wacz_section = _write_wacz(r, user, writer, captures, export_id, wacz_signer, stamp_config)
    tick(1)
    stamps = [s for s in stamp_store.all_from(r, user, 0, limit=1_000_000) if s.chain_index < length]
    chains = stamp_store.chains(r, user, {t.chain for s in stamps for t in s.tokens})
    time_section = writer.add_timestamps({"configured": tsa_configured or bool(stamps),
                                          "stamps": [s.as_dict() for s in stamps], "chains": chains})
    links = [link.as_dict() for link in chain_store.links(r, user, 0, length - 1)] if length else []
    manifest = manifest_head(key=key, user=user, generated_at=generated_at, items=writer.items, chain_links=links,
                             timestamps=time_section, wacz=wacz_section)
    manifest = {"format": manifest.pop("format"), "version": manifest.pop("version"), "kind": KIND,
                "export_id": export_id, "dispute_id": None, **manifest}
    listed = []
    for dispute in disputes:
        path = f"disputes/{dispute['id']}.json"
        writer.add(path, json.dumps(dispute, ensure_ascii=False, indent=1).encode("utf-8"))
        listed.append({"id": dispute["id"], "path": path, "problem": dispute.get("problem"),
                       "problem_name": dispute.get("problem_name"), "created_at": dispute.get("created_at"),
                       "order": {k: (dispute.get("order") or {}).get(k) for k in ("domain", "order_no")}})
    account = {"id": export_id, "kind": KIND, "user": user, "generated_at": generated_at,
               "chain_length": length, "evidence": evidence, "disputes": listed, "profile": _profile(r, user)}
    manifest["files"] = writer.files
    writer.add("account.json", json.dumps(account, ensure_ascii=False, indent=1).encode("utf-8"))
    writer.add("report.html", render_account_report(account, listed, trust_summary(manifest)).encode("utf-8"))
    tick(1)
    manifest = writer.finish(manifest, signer.sign_bytes)
    tick(1)
    return manifest


def _item(r, user: str, number: int, kind: str, record) -> PackItem:
    if kind == "capture":
        data = _load(r, user, record.sha256, record.id)
        shot = _load(r, user, record.screenshot_sha256, f"the screenshot of {record.id}")
        return PackItem(no=number, id=record.id, type="capture", data=data, sha256=record.sha256,
                        received_at=record.received_at, chain_index=record.chain_index,
                        chain_hash=record.chain_hash, receipt=record.receipt, url=record.url, screenshot=shot,
                        screenshot_sha256=record.screenshot_sha256 if shot else None, title=record.title,
                        extra={"page_kind": record.page_kind})
    return PackItem(no=number, id=record.id, type="attachment", data=_load(r, user, record.sha256, record.id),
                    sha256=record.sha256, received_at=record.received_at, chain_index=record.chain_index,
                    chain_hash=record.chain_hash, receipt=record.receipt, filename=record.filename,
                    extra={"kind": record.kind, "content_type": record.content_type, "dispute_id": record.dispute_id})


def _describe(kind: str, record) -> dict:
    if kind == "capture":
        return {"title": record.title, "page_kind": record.page_kind, "domain": record.domain,
                "order_no": record.order_no}
    return {"kind": record.kind, "dispute_id": record.dispute_id}


def _write_wacz(r, user: str, writer: PackWriter, captures: list, export_id: str, wacz_signer,
                stamp_config) -> dict | None:
    """archive.wacz of every captured page, built in a temporary file and copied in, never whole
    in memory."""
    if not captures:
        return None
    from ..disputes.export import _wacz_tsa

    sign = None
    if wacz_signer is not None:
        tsa = _wacz_tsa(stamp_config)
        sign = lambda digest, created: wacz_signer.sign(digest, created, tsa)  # noqa: E731

    def pages() -> Iterator[ArchivedPage]:
        for capture in captures:
            html = _load(r, user, capture.sha256, capture.id)
            shot = _load(r, user, capture.screenshot_sha256, f"the screenshot of {capture.id}")
            yield ArchivedPage(capture.url, capture.received_at, html, capture.title, shot, capture.id)

    with scratch.directory("kadun-export-") as tmp:
        path = os.path.join(tmp, "archive.wacz")
        build_wacz_file(pages(), path, title=f"KaDun {export_id}", sign=sign)
        with open(path, "rb") as handle:
            writer.add_stream("archive.wacz", handle)
    return {"path": "archive.wacz", "signed": sign is not None,
            "signer": wacz_signer.info() if wacz_signer is not None else None}
