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

from . import keys
from .disputes import Attachment, room_for_attachment, store_attachment


def _dump(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def add(r, user: str, *, data: bytes, kind: str, filename: str, content_type: str, now: Callable[[], str],
        sign: Callable[[dict], dict], dispute_id: str = "", order_no: str | None = None,
        reading_state: dict | None = None, max_attachments: int | None = None,
        bytes_limit: int | None = None) -> Attachment:
    """Store, chain and sign one upload. The metadata, its place in the user's list (and the
    dispute's or order's when given), the chain link and the initial OCR state are written in one
    MULTI: an upload is either fully there or not at all. The limits are those of
    ``disputes.add_attachment`` (AttachmentsFull, blobs.OverQuota)."""
    def filed(pipe, attachment: Attachment, link) -> None:
        pipe.zadd(keys.uploads(user), {attachment.id: link.index})
        if dispute_id:
            pipe.rpush(keys.dispute_attachments(user, dispute_id), attachment.id)
        if order_no:
            pipe.sadd(keys.order_uploads(user, order_no), attachment.id)
        if reading_state is not None:
            pipe.set(keys.ocr_reading(user, attachment.id), _dump(reading_state))
        pipe.incr(keys.uploads_version(user))
        if dispute_id:
            pipe.hincrby(keys.dispute_versions(user), dispute_id, 1)

    return store_attachment(r, user, data=data, kind=kind, filename=filename, content_type=content_type,
                            now=now, sign=sign, dispute_id=dispute_id, also=filed, bytes_limit=bytes_limit,
                            check=room_for_attachment(user, dispute_id, max_attachments))


def get(r, user: str, attachment_id: str) -> Attachment | None:
    if not attachment_id or len(attachment_id) > 64:
        return None
    raw = r.get(keys.attachment(user, attachment_id))
    return Attachment.from_dict(json.loads(raw)) if raw else None


def get_many(r, user: str, attachment_ids: list[str]) -> list[Attachment]:
    """The uploads of ``attachment_ids`` that exist, in that order (one round trip)."""
    if not attachment_ids:
        return []
    pipe = r.pipeline(transaction=False)  # (a pipeline, not MGET: the same in Redis Cluster)
    for attachment_id in attachment_ids:
        pipe.get(keys.attachment(user, attachment_id))
    return [Attachment.from_dict(json.loads(raw)) for raw in pipe.execute() if raw]


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
    pipe.incr(keys.uploads_version(user))
    pipe.execute()


def for_order(r, user: str, order_no: str) -> list[Attachment]:
    """Uploads filed under ``order_no``, oldest first."""
    ids = sorted(m.decode() for m in r.smembers(keys.order_uploads(user, order_no)))
    return sorted(get_many(r, user, ids), key=lambda a: a.chain_index)
