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

from ..evidence.hashing import sha256_hex
from . import blobs, chain, keys
from .captures import new_id


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
    pipe.execute()
    return record


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


def add_attachment(r, user: str, dispute_id: str, *, data: bytes, kind: str, filename: str,
                   content_type: str, now: Callable[[], str], sign: Callable[[dict], dict]) -> Attachment:
    """Store the bytes, chain them and sign a receipt; metadata, list entry and chain link are
    written in one MULTI, so an attachment is either fully there and chained or not at all."""
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
                                content_type=content_type, size=len(data), sha256=sha,
                                received_at=received_at, chain_index=link.index,
                                chain_hash=link.chain_hash, receipt=receipt)
        holder["attachment"] = attachment
        pipe.set(keys.attachment(user, attachment_id), _dump(attachment.as_dict()))
        pipe.rpush(keys.dispute_attachments(user, dispute_id), attachment_id)

    chain.append(r, user, attachment_id, sha, now, write)
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
