"""What reminders and the calendar feed keep (reads and writes, no judgement).

- The buyer's word on an order's reminders: ``fine`` (the order turned out fine) or ``muted``
  (reminders switched off for it); no entry means reminders are on.
- The orders that may still have open windows (``windows_due``), scored by their last deadline,
  written with each order view the judgement keeps (``index_order``), plus the domains whose orders'
  windows may have changed since (``windows_stale``: a new capture of the site).
- The calendar feed's secret, per user: stored as its SHA-256 (like tokens), mapped to the user;
  a new secret replaces the old one, which then finds nothing (404).
"""
from __future__ import annotations

import json
import secrets

from . import keys
from .order_index import member, split
from .records import sha256_hex

STATES = ("active", "fine", "muted")
SECRET_PREFIX = "cal_"
MAX_SECRET = 200


# --- the buyer's word on an order ----------------------------------------------------------
def set_state(r, user: str, domain: str, order_no: str, state: str, at: str) -> None:
    """Record ``fine`` or ``muted`` for an order, or clear it (``active``)."""
    field = member(domain, order_no)
    if state == "active":
        r.hdel(keys.reminder_states(user), field)
    else:
        r.hset(keys.reminder_states(user), field, json.dumps({"state": state, "at": at}))


def states(r, user: str) -> dict[tuple[str, str], dict]:
    """(domain, order_no) → ``{"state", "at"}`` for every order the buyer said something about."""
    out = {}
    for field, raw in r.hgetall(keys.reminder_states(user)).items():
        try:
            out[split(field)] = json.loads(raw)
        except ValueError:
            continue
    return out


def state_of(r, user: str, domain: str, order_no: str) -> str:
    raw = r.hget(keys.reminder_states(user), member(domain, order_no))
    try:
        return json.loads(raw)["state"] if raw else "active"
    except (ValueError, KeyError):
        return "active"


# --- which orders may have open windows -----------------------------------------------------
def index_order(pipe, user: str, domain: str, order_no: str, last_deadline: float | None) -> None:
    """Queue the order's place in ``windows_due`` (its last unmet deadline), or its removal."""
    if last_deadline is None:
        pipe.zrem(keys.windows_due(user), member(domain, order_no))
    else:
        pipe.zadd(keys.windows_due(user), {member(domain, order_no): last_deadline})


def due_orders(r, user: str, after: float) -> list[tuple[str, str]]:
    """The orders with a dated, unmet window closing after ``after`` (epoch seconds)."""
    return [split(m) for m in r.zrangebyscore(keys.windows_due(user), f"({after}", "+inf")]


def mark_stale(r, user: str, domain: str) -> None:
    r.sadd(keys.windows_stale(user), domain.lower())


def stale_domains(r, user: str) -> list[str]:
    return sorted(m.decode() for m in r.smembers(keys.windows_stale(user)))


def clear_stale(r, user: str, domains: list[str]) -> None:
    if domains:
        r.srem(keys.windows_stale(user), *domains)


def indexed(r, user: str) -> bool:
    return bool(r.exists(keys.windows_indexed(user)))


def set_indexed(r, user: str) -> None:
    r.set(keys.windows_indexed(user), 1)


# --- the calendar feed's secret ---------------------------------------------------------------
def new_calendar_secret(r, user: str, at: str) -> str:
    """A fresh secret for the user's feed; the one before it stops working."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(24)
    digest = sha256_hex(secret.encode())
    old = calendar_info(r, user)
    # The mapping first, then the user's record (the authority: a lookup checks both), then the
    # old mapping goes: two slots in a cluster, so no MULTI; a crash in between leaves a mapping
    # that the user's record no longer names, which finds nothing.
    r.set(keys.calendar_secret(digest), user)
    r.set(keys.calendar(user), json.dumps({"digest": digest, "created_at": at}))
    if old:
        r.delete(keys.calendar_secret(old["digest"]))
    return secret


def calendar_info(r, user: str) -> dict | None:
    """``{"digest", "created_at"}`` of the user's current feed secret, or None."""
    raw = r.get(keys.calendar(user))
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


def revoke_calendar(r, user: str) -> bool:
    """End the user's feed secret; False when there was none."""
    info = calendar_info(r, user)
    r.delete(keys.calendar(user))
    if info:
        r.delete(keys.calendar_secret(info["digest"]))
    return info is not None


def user_for_calendar_secret(r, secret: str) -> str | None:
    """The user whose current feed secret this is (None: unknown, replaced or revoked)."""
    if not isinstance(secret, str) or not secret.startswith(SECRET_PREFIX) or len(secret) > MAX_SECRET:
        return None
    digest = sha256_hex(secret.encode("utf-8", "surrogatepass"))
    raw = r.get(keys.calendar_secret(digest))
    if not raw:
        return None
    user = raw.decode()
    info = calendar_info(r, user)
    return user if info and secrets.compare_digest(info["digest"], digest) else None
