"""The OCR job queue in Redis: one sorted set of jobs scored by when each may run.

- ``enqueue`` adds a job due now (idempotent: a job already there keeps its place);
- ``claim`` takes the oldest due job and, in the same Lua step, moves its score to the end of
  its lease, so two workers never read the same job at once;
- ``finish`` removes it. A worker that dies mid-read leaves its job in the set: when the lease
  ends it is due again and another worker (or the restarted one) reads it. The set lives in
  Redis with the evidence (append-only file), so queued jobs survive restarts of everything.
"""
from __future__ import annotations

import time

from ..storage import keys

_CLAIM = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
if #due == 0 then return false end
redis.call('ZADD', KEYS[1], ARGV[2], due[1])
return due[1]
"""


def _member(user: str, attachment_id: str) -> str:
    return keys.ocr_job(user, attachment_id)


def enqueue(r, user: str, attachment_id: str, at: float | None = None) -> None:
    r.zadd(keys.ocr_queue(), {_member(user, attachment_id): at if at is not None else time.time()}, nx=True)


def claim(r, lease_seconds: float, now: float | None = None) -> tuple[str, str] | None:
    """(user, attachment id) of a due job, now leased to the caller; None when nothing is due."""
    now = time.time() if now is None else now
    member = r.eval(_CLAIM, 1, keys.ocr_queue(), repr(now), repr(now + lease_seconds))
    if not member:
        return None
    user, _, attachment_id = (member.decode() if isinstance(member, bytes) else str(member)).partition("\t")
    return user, attachment_id


def retry_later(r, user: str, attachment_id: str, delay: float) -> None:
    r.zadd(keys.ocr_queue(), {_member(user, attachment_id): time.time() + delay}, xx=True)


def finish(r, user: str, attachment_id: str) -> None:
    r.zrem(keys.ocr_queue(), _member(user, attachment_id))


def queued(r, user: str, attachment_id: str) -> bool:
    return r.zscore(keys.ocr_queue(), _member(user, attachment_id)) is not None


def length(r) -> int:
    return int(r.zcard(keys.ocr_queue()))
