"""Disputes and their attachments in Redis (reads and writes, no judgement).

A dispute record keeps what the buyer said (order, problem, time, description, amount); the
timeline, findings and plan are computed from the captures each time they are read, so a capture
taken after the dispute was opened still counts. Attachments are evidence: their bytes go to the
user's blob store and each one is a link of the user's hash chain, with a signed receipt, exactly
like a capture.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields

from . import blobs, chain, keys
from .captures import new_id
from .records import sha256_hex


class _Record:
    """from_dict (unknown keys ignored, so older or newer records still load) and as_dict."""

    @classmethod
    def from_dict(cls, data: dict):
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class DisputeRecord(_Record):
    id: str
    user: str
    problem: str
    occurred_at: str
    created_at: str
    description: str
    domain: str | None = None
    order_no: str | None = None
    snapshot_ids: list[str] = field(default_factory=list)
    amount: dict | None = None


@dataclass
class Attachment(_Record):
    id: str
    dispute_id: str
    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str
    received_at: str
    chain_index: int
    chain_hash: str
    receipt: dict


def _dump(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def create(r, record: DisputeRecord) -> DisputeRecord:
    """Store a new dispute and index it (newest first by creation)."""
    pipe = r.pipeline(transaction=True)
    pipe.set(keys.dispute(record.user, record.id), _dump(record.as_dict()))
    pipe.zadd(keys.disputes_all(record.user), {record.id: _score(record.id)})
    if record.domain and record.order_no:
        pipe.hset(keys.disputes_by_order(record.user), _order_field(record.domain, record.order_no), record.id)
    pipe.execute()
    return record


def _order_field(domain: str, order_no: str) -> str:
    return f"{domain.lower()} {order_no}"


def for_order(r, user: str, domain: str, order_no: str) -> DisputeRecord | None:
    """The newest dispute the user opened about this order, if any."""
    raw = r.hget(keys.disputes_by_order(user), _order_field(domain, order_no))
    return get(r, user, raw.decode()) if raw else None


def _score(dispute_id: str) -> int:
    # ids are "dsp_" + ms timestamp in hex + random: the timestamp orders them.
    try:
        return int(dispute_id.split("_", 1)[1][:11], 16)
    except (IndexError, ValueError):
        return 0


def new_dispute_id() -> str:
    return new_id("dsp")


def get(r, user: str, dispute_id: str) -> DisputeRecord | None:
    if not dispute_id or len(dispute_id) > 64:
        return None
    raw = r.get(keys.dispute(user, dispute_id))
    return DisputeRecord.from_dict(json.loads(raw)) if raw else None


def list_ids(r, user: str, limit: int = 100) -> list[str]:
    return [m.decode() for m in r.zrevrange(keys.disputes_all(user), 0, max(0, limit - 1))]


def find_owner(r, dispute_id: str) -> str | None:
    """The user who owns ``dispute_id`` (for the CLI, which has no bearer token)."""
    for member in r.smembers(keys.users()) or []:
        user = member.decode() if isinstance(member, bytes) else str(member)
        if r.exists(keys.dispute(user, dispute_id)):
            return user
    return None


class AttachmentsFull(Exception):
    """The dispute already holds as many attachments as it may (``args[0]``: how many)."""


def add_attachment(r, user: str, dispute_id: str, *, data: bytes, kind: str, filename: str,
                   content_type: str, now: Callable[[], str], sign: Callable[[dict], dict],
                   max_attachments: int | None = None, bytes_limit: int | None = None) -> Attachment:
    """Store the bytes, chain them and sign a receipt; metadata, list entry and chain link are
    written in one MULTI, so an attachment is either fully there and chained or not at all.
    ``max_attachments`` is checked under the chain's WATCH (AttachmentsFull), ``bytes_limit``
    where the bytes are written (blobs.OverQuota): parallel uploads cannot pass either."""
    def filed(pipe, attachment: Attachment, link) -> None:
        pipe.rpush(keys.dispute_attachments(user, dispute_id), attachment.id)
        pipe.hincrby(keys.dispute_versions(user), dispute_id, 1)

    return store_attachment(r, user, data=data, kind=kind, filename=filename, content_type=content_type,
                            now=now, sign=sign, dispute_id=dispute_id, also=filed,
                            check=room_for_attachment(user, dispute_id, max_attachments), bytes_limit=bytes_limit)


def room_for_attachment(user: str, dispute_id: str, max_attachments: int | None) -> Callable | None:
    """A ``chain.append`` check that the dispute holds fewer than ``max_attachments`` attachments
    (raises AttachmentsFull); None when there is no limit or no dispute."""
    if max_attachments is None or not dispute_id:
        return None

    def room(pipe) -> None:
        held = int(pipe.llen(keys.dispute_attachments(user, dispute_id)))
        if held >= max_attachments:
            pipe.unwatch()
            raise AttachmentsFull(held)

    return room


def store_attachment(r, user: str, *, data: bytes, kind: str, filename: str, content_type: str,
                     now: Callable[[], str], sign: Callable[[dict], dict], dispute_id: str = "",
                     also: Callable | None = None, check: Callable | None = None,
                     bytes_limit: int | None = None) -> Attachment:
    """Store one attachment's bytes, chain them and sign its receipt. ``also(pipe, attachment,
    link)`` adds the caller's own writes (the lists it is filed in) to the same MULTI as the
    metadata and the chain link: the attachment is either fully there or not at all."""
    sha = sha256_hex(data)
    if not blobs.exists(r, user, sha):
        pre = r.pipeline(transaction=False)
        blobs.put(pre, user, sha, data, bytes_limit)
        if pre.execute()[0] == blobs.REFUSED:
            raise blobs.OverQuota(user)
    attachment_id = new_id("att")
    holder: dict = {}

    def write(pipe, link, received_at):
        receipt = sign({"id": attachment_id, "user": user, "sha256": sha, "screenshot_sha256": None,
                        "received_at": received_at, "chain_index": link.index, "chain_hash": link.chain_hash})
        attachment = Attachment(id=attachment_id, dispute_id=dispute_id, kind=kind, filename=filename,
                                content_type=content_type, size=len(data), sha256=sha,
                                received_at=received_at, chain_index=link.index,
                                chain_hash=link.chain_hash, receipt=receipt)
        holder["attachment"] = attachment
        pipe.set(keys.attachment(user, attachment_id), _dump(attachment.as_dict()))
        if also is not None:
            also(pipe, attachment, link)

    chain.append(r, user, attachment_id, sha, now, write, check=check)
    return holder["attachment"]


def attachment_ids(r, user: str, dispute_id: str) -> list[str]:
    return [m.decode() for m in r.lrange(keys.dispute_attachments(user, dispute_id), 0, -1)]


def attachments(r, user: str, dispute_id: str) -> list[Attachment]:
    ids = [m.decode() for m in r.lrange(keys.dispute_attachments(user, dispute_id), 0, -1)]
    out = []
    for attachment_id in ids:
        raw = r.get(keys.attachment(user, attachment_id))
        if raw:
            out.append(Attachment.from_dict(json.loads(raw)))
    return out


# One round trip for the badge's order view: the cached view and what it must still agree with
# (the order's captures, the order's newest dispute and its attachments), all in the user's slot.
_ORDER_VIEW_SCRIPT = """
local view = redis.call('GET', KEYS[1])
local captures = redis.call('ZCARD', KEYS[2])
local dispute = redis.call('HGET', KEYS[3], ARGV[1])
local version = false
if dispute then version = redis.call('HGET', KEYS[4], dispute) end
local uploads = redis.call('GET', KEYS[5])
return {view or false, captures, dispute or false, version or false, uploads or false}
"""


def order_view(r, user: str, domain: str, order_no: str) -> tuple[bytes | None, list]:
    """(the cached order view or None, what the order's judgement depends on in the user's data:
    [captures of the order, newest dispute id, its attachments count, the phone uploads' version])."""
    script = getattr(r, "_kadun_order_view_script", None)
    if script is None:
        script = r.register_script(_ORDER_VIEW_SCRIPT)
        try:
            r._kadun_order_view_script = script
        except AttributeError:
            pass
    view, count, dispute, version, uploads = script(
        keys=[keys.order_view(user, domain, order_no), keys.snapshots_by_order(user, order_no),
              keys.disputes_by_order(user), keys.dispute_versions(user), keys.uploads_version(user)],
        args=[_order_field(domain, order_no)])
    return (view or None), [int(count), dispute.decode() if dispute else None, int(version) if version else 0,
                            int(uploads) if uploads else 0]


def save_order_view(r, user: str, domain: str, order_no: str, blob: bytes,
                    last_deadline: float | None = None) -> None:
    """Keep the order view, and the order's place among the orders that may have open windows
    (``last_deadline``: its last unmet deadline, epoch seconds; None: none dated)."""
    from .reminders import index_order

    pipe = r.pipeline(transaction=True)
    pipe.set(keys.order_view(user, domain, order_no), blob)
    index_order(pipe, user, domain, order_no, last_deadline)
    pipe.execute()
