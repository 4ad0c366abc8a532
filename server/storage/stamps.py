"""Trusted-time state in Redis (reads and writes, no judgement): which users' chain heads wait for
an RFC 3161 stamp, the stamps themselves and the TSA certificate chains they verify with.

- ``stamp_due`` (one sorted set for the service): user → when their head should be stamped. A
  capture adds the user NX (so a burst of captures waits for one stamp, a few seconds later); a
  new dispute moves the time to now (LT). An entry leaves only after a stamp covering the head
  at that moment is stored, so a crash or a TSA outage leaves it for the next try.
- ``stamps`` (per user): stamp records scored by the chain index of the head they stamp.
- ``stamp_lock`` (per user): the worker stamping that user holds it, so heads are never stamped
  twice by several workers; it expires by itself when its holder dies.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field

from . import keys

LOCK_MS = 60_000
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"


@dataclass
class StampToken:
    """One TSA's token for a stamped head."""

    tsa_url: str
    tsa_name: str
    time: str          # the token's genTime, ISO 8601 UTC
    token: str         # base64 of the TimeStampResp (DER), as the TSA sent it
    chain: str         # fingerprint of the TSA signing certificate (key of tsa_chains)

    def as_dict(self) -> dict:
        return {"tsa_url": self.tsa_url, "tsa_name": self.tsa_name, "time": self.time, "token": self.token,
                "chain": self.chain}


@dataclass
class Stamp:
    """The chain head at ``chain_index`` (hash ``chain_hash``) stamped by one or more TSAs."""

    chain_index: int
    chain_hash: str
    stored_at: str
    tokens: list[StampToken] = field(default_factory=list)

    @property
    def time(self) -> str:
        """The earliest time any TSA vouches for."""
        return min(t.time for t in self.tokens)

    def as_dict(self) -> dict:
        return {"chain_index": self.chain_index, "chain_hash": self.chain_hash, "stored_at": self.stored_at,
                "tokens": [t.as_dict() for t in self.tokens]}

    @classmethod
    def from_dict(cls, data: dict) -> Stamp:
        return cls(int(data["chain_index"]), str(data["chain_hash"]), str(data["stored_at"]),
                   [StampToken(**t) for t in data["tokens"]])


def _decode(raw) -> Stamp:
    return Stamp.from_dict(json.loads(raw))


# --- scheduling ---------------------------------------------------------------------------------
def note_capture(r, user: str, now_ms: int, batch_seconds: float) -> None:
    """A new link was chained: stamp the head within ``batch_seconds`` (earlier entries stand)."""
    r.zadd(keys.stamp_due(), {user: now_ms + int(batch_seconds * 1000)}, nx=True)


def request_now(r, user: str, now_ms: int) -> None:
    """Stamp this user's head as soon as a stamper sees it (a dispute was opened)."""
    r.zadd(keys.stamp_due(), {user: now_ms}, lt=True)


def due_users(r, now_ms: int, limit: int = 32) -> list[str]:
    return [m.decode() for m in r.zrangebyscore(keys.stamp_due(), "-inf", now_ms, start=0, num=limit)]


def next_due_ms(r) -> int | None:
    first = r.zrange(keys.stamp_due(), 0, 0, withscores=True)
    return int(first[0][1]) if first else None


def is_due(r, user: str) -> bool:
    return r.zscore(keys.stamp_due(), user) is not None


def postpone(r, user: str, at_ms: int) -> None:
    r.zadd(keys.stamp_due(), {user: at_ms}, xx=True)


def done(r, user: str) -> None:
    r.zrem(keys.stamp_due(), user)


# --- the lock -----------------------------------------------------------------------------------
def acquire(r, user: str, ms: int = LOCK_MS) -> str | None:
    token = secrets.token_hex(8)
    return token if r.set(keys.stamp_lock(user), token, nx=True, px=ms) else None


def release(r, user: str, token: str) -> None:
    r.eval(_RELEASE, 1, keys.stamp_lock(user), token)


# --- stamps -------------------------------------------------------------------------------------
def save(r, user: str, stamp: Stamp, chains: dict[str, str]) -> None:
    """Store a stamp and the TSA chains its tokens verify with, in one MULTI (one slot)."""
    pipe = r.pipeline(transaction=True)
    if chains:
        pipe.hset(keys.tsa_chains(user), mapping=chains)
    pipe.zadd(keys.stamps(user), {json.dumps(stamp.as_dict(), separators=(",", ":")): stamp.chain_index})
    pipe.delete(keys.stamp_attempts(user))
    pipe.execute()


def failed_attempt(r, user: str) -> int:
    return int(r.incr(keys.stamp_attempts(user)))


def latest(r, user: str) -> Stamp | None:
    found = r.zrevrange(keys.stamps(user), 0, 0)
    return _decode(found[0]) if found else None


def covering(r, user: str, chain_index: int) -> Stamp | None:
    """The first stamp of a head at or after ``chain_index`` (it covers that link), or None."""
    found = r.zrangebyscore(keys.stamps(user), chain_index, "+inf", start=0, num=1)
    return _decode(found[0]) if found else None


def all_from(r, user: str, chain_index: int, limit: int = 10_000) -> list[Stamp]:
    """Stamps of heads at or after ``chain_index``, oldest first."""
    return [_decode(raw) for raw in r.zrangebyscore(keys.stamps(user), chain_index, "+inf", start=0, num=limit)]


def chains(r, user: str, fingerprints: set[str]) -> dict[str, str]:
    """PEM chains of the given TSA certificate fingerprints."""
    if not fingerprints:
        return {}
    wanted = sorted(fingerprints)
    values = r.hmget(keys.tsa_chains(user), wanted)
    return {fp: v.decode() for fp, v in zip(wanted, values, strict=True) if v}


def status(r, user: str, chain_index: int, configured: bool) -> dict:
    """What a receipt shows about trusted time for the link at ``chain_index``:
    ``{"status": "stamped", "time", "tsa", "chain_index"}``, ``{"status": "pending"}`` or
    ``{"status": "not_configured"}`` (times are then the server's own)."""
    stamp = covering(r, user, chain_index)
    if stamp is not None:
        first = min(stamp.tokens, key=lambda t: t.time)
        return {"status": "stamped", "time": first.time, "tsa": first.tsa_name,
                "tsas": sorted({t.tsa_name for t in stamp.tokens}), "chain_index": stamp.chain_index}
    return {"status": "pending" if configured else "not_configured"}
