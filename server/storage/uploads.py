"""Screenshots uploaded from the phone: stored and chained like any attachment, listed per user,
with what OCR read from each (reads and writes, no judgement).

An upload is an :class:`~server.storage.disputes.Attachment` (bytes in the blob store, a link
of the user's hash chain, a signed receipt) that need not belong to a dispute yet: it is filed
under an order when the uploader names one or when its reading is matched to one, and a
dispute of that order then collects it.
"""
from __future__ import annotations

import json
from collections.abc import Callable

from ..evidence.hashing import sha256_hex
from . import blobs, chain, keys
from .captures import new_id
from .disputes import Attachment


def _dump(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def add(r, user: str, *, data: bytes, kind: str, filename: str, content_type: str, now: Callable[[], str],
        sign: Callable[[dict], dict], dispute_id: str = "", order_no: str | None = None,
        reading_state: dict | None = None) -> Attachment:
    """Store, chain and sign one upload. The metadata, its place in the user's list (and the
    dispute's or order's when given), the chain link and the initial OCR state are written in one
    MULTI: an upload is either fully there or not at all."""
    sha = sha256_hex(data)
    if not blobs.exists(r, user, sha):
        pre = r.pipeline(transaction=False)
        blobs.put(pre, user, sha, data)
        pre.execute()
    attachment_id = new_id("att")
    holder: dict = {}

    def write(pipe, link, received_at):
        receipt = sign({"id": attachment_id, "user": user, "sha256": sha, "screenshot_sha256": None,
                        "received_at": received_at, "chain_index": link.index, "chain_hash": link.chain_hash})
        attachment = Attachment(id=attachment_id, dispute_id=dispute_id, kind=kind, filename=filename,
                                content_type=content_type, size=len(data), sha256=sha, received_at=received_at,
                                chain_index=link.index, chain_hash=link.chain_hash, receipt=receipt)
        holder["attachment"] = attachment
        pipe.set(keys.attachment(user, attachment_id), _dump(attachment.as_dict()))
        pipe.zadd(keys.uploads(user), {attachment_id: link.index})
        if dispute_id:
            pipe.rpush(keys.dispute_attachments(user, dispute_id), attachment_id)
        if order_no:
            pipe.sadd(keys.order_uploads(user, order_no), attachment_id)
        if reading_state is not None:
            pipe.set(keys.ocr_reading(user, attachment_id), _dump(reading_state))

    chain.append(r, user, attachment_id, sha, now, write)
    return holder["attachment"]


def get(r, user: str, attachment_id: str) -> Attachment | None:
    if not attachment_id or len(attachment_id) > 64:
        return None
    raw = r.get(keys.attachment(user, attachment_id))
    return Attachment.from_dict(json.loads(raw)) if raw else None


def list_ids(r, user: str, limit: int = 50) -> list[str]:
    """The user's uploads, newest first."""
    return [m.decode() for m in r.zrevrange(keys.uploads(user), 0, max(0, limit - 1))]


def reading(r, user: str, attachment_id: str) -> dict | None:
    raw = r.get(keys.ocr_reading(user, attachment_id))
    return json.loads(raw) if raw else None


def readings(r, user: str, attachment_ids: list[str]) -> dict[str, dict]:
    """Readings of several uploads (those that have one), one round trip."""
    if not attachment_ids:
        return {}
    pipe = r.pipeline(transaction=False)
    for attachment_id in attachment_ids:
        pipe.get(keys.ocr_reading(user, attachment_id))
    return {a: json.loads(raw) for a, raw in zip(attachment_ids, pipe.execute(), strict=True) if raw}


def set_reading(r, user: str, attachment_id: str, state: dict, order_no: str | None = None) -> None:
    """Store a reading (and file the upload under the order it was matched to)."""
    pipe = r.pipeline(transaction=True)
    pipe.set(keys.ocr_reading(user, attachment_id), _dump(state))
    if order_no:
        pipe.sadd(keys.order_uploads(user, order_no), attachment_id)
    pipe.execute()


def for_order(r, user: str, order_no: str) -> list[Attachment]:
    """Uploads filed under ``order_no``, oldest first."""
    ids = sorted(m.decode() for m in r.smembers(keys.order_uploads(user, order_no)))
    found = [get(r, user, attachment_id) for attachment_id in ids]
    return sorted((a for a in found if a), key=lambda a: a.chain_index)
