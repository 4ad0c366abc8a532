"""Paired devices and their bearer tokens (reads and writes, no judgement).

A device is what holds one token: today a browser extension paired with a one-time code; later a
phone paired by QR code or a hosted-account sign-in (``kind``). Its record is the token's own key,
``kadun:token:<sha256 of the token>`` (the token itself is never stored):

    {"user", "name", "kind", "paired_at", "last_seen", "expires_at"}

and the user's set ``…{u:<user>}:tokens`` lists the digests, so a user's devices can be listed and
one revoked. A device's id is derived from its token digest (``dev_`` + 20 hex digits of a
separate hash), so tokens paired before devices existed are devices too. A token with a lifetime
carries it as the key's TTL: when it ends Redis forgets the token, and listing drops it.
``last_seen`` is written back at most every ``LAST_SEEN_EVERY`` seconds per device, with ``SET XX
KEEPTTL`` so that a write racing a revocation never brings the token back.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from .. import clock
from . import keys
from .records import sha256_hex

KINDS = ("extension", "phone", "account")
LAST_SEEN_EVERY = 300.0
TOKEN_PREFIX = "kdn_"
MAX_TOKEN = 200


@dataclass
class Device:
    """One paired device (its token digest stays inside storage)."""

    id: str
    user: str
    name: str
    kind: str
    paired_at: str | None
    last_seen: str | None
    expires_at: str | None
    digest: str

    def as_dict(self) -> dict:
        return {"id": self.id, "user": self.user, "name": self.name, "kind": self.kind,
                "paired_at": self.paired_at, "last_seen": self.last_seen, "expires_at": self.expires_at}


def device_id(digest: str) -> str:
    """The public id of the device holding the token with this digest."""
    return "dev_" + sha256_hex(f"kadun device\n{digest}".encode())[:20]


def _iso(value) -> str | None:
    """Records made before devices kept ``created_at`` as epoch seconds."""
    if value is None or isinstance(value, str):
        return value
    return datetime.fromtimestamp(float(value), clock.CHINA).isoformat(timespec="milliseconds")


def _device(digest: str, raw) -> Device | None:
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        return None
    if not isinstance(data, dict) or not data.get("user"):
        return None
    return Device(id=device_id(digest), user=data["user"], name=data.get("name", data.get("device")) or "",
                  kind=data.get("kind") or "extension", paired_at=_iso(data.get("paired_at", data.get("created_at"))),
                  last_seen=data.get("last_seen"), expires_at=data.get("expires_at"), digest=digest)


def _record(device: Device) -> str:
    return json.dumps({"user": device.user, "name": device.name, "kind": device.kind,
                       "paired_at": device.paired_at, "last_seen": device.last_seen,
                       "expires_at": device.expires_at}, ensure_ascii=False, separators=(",", ":"))


def create(r, user: str, name: str | None, *, kind: str = "extension",
           lifetime_seconds: int | None = None) -> tuple[str, Device]:
    """A new token for ``user`` and the device record that holds it: (token, device)."""
    if kind not in KINDS:
        raise ValueError(f"unknown device kind {kind!r}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    digest = sha256_hex(token.encode())
    now = clock.now()
    expires = (now + timedelta(seconds=lifetime_seconds)).isoformat(timespec="milliseconds") if lifetime_seconds else None
    device = Device(id=device_id(digest), user=user, name=(name or "")[:200], kind=kind,
                    paired_at=now.isoformat(timespec="milliseconds"), last_seen=None, expires_at=expires,
                    digest=digest)
    # The user's list first: a token that exists is always listed (and so can be revoked).
    r.sadd(keys.user_tokens(user), digest)
    r.set(keys.token(digest), _record(device), ex=lifetime_seconds or None)
    return token, device


def create_if_user_stays(r, user: str, name: str | None, *, kind: str = "extension",
                         lifetime_seconds: int | None = None) -> tuple[str, Device] | None:
    """``create`` for a user who may be deleted meanwhile (a pairing code or a sign-in code taken
    just before the deletion): None, and nothing left behind, when the user is gone afterwards.
    The token is written before the check, so a deletion that starts later finds it in the
    user's list and erases it; one that started earlier may have read the list already, and
    the token is undone here."""
    token, device = create(r, user, name, kind=kind, lifetime_seconds=lifetime_seconds)
    if r.sismember(keys.users(), user):
        return token, device
    r.delete(keys.token(device.digest))
    r.srem(keys.user_tokens(user), device.digest)
    return None


def for_token(r, token: str, touch: bool = True) -> Device | None:
    """The device holding ``token`` (None: unknown, revoked or expired); notes it was seen."""
    if not token or len(token) > MAX_TOKEN:
        return None
    digest = sha256_hex(token.encode("utf-8", "surrogatepass"))
    device = _device(digest, r.get(keys.token(digest)))
    if device is not None and touch:
        _touch(r, device)
    return device


def _touch(r, device: Device) -> None:
    now = clock.now()
    if device.last_seen:
        try:
            if (now - clock.parse_iso(device.last_seen)).total_seconds() < LAST_SEEN_EVERY:
                return
        except ValueError:
            pass
    device.last_seen = now.isoformat(timespec="milliseconds")
    # XX: only while the token exists (a revocation in between wins); KEEPTTL: same expiry.
    r.set(keys.token(device.digest), _record(device), xx=True, keepttl=True)


def list_for_user(r, user: str) -> list[Device]:
    """The user's devices, oldest pairing first; tokens that expired are dropped from the list."""
    digests = sorted(m.decode() if isinstance(m, bytes) else str(m) for m in r.smembers(keys.user_tokens(user)))
    out, gone = [], []
    for digest in digests:
        device = _device(digest, r.get(keys.token(digest)))
        if device is None or device.user != user:
            gone.append(digest)
        else:
            out.append(device)
    if gone:
        r.srem(keys.user_tokens(user), *gone)
    return sorted(out, key=lambda d: (d.paired_at or "", d.id))


def get(r, user: str, wanted_id: str) -> Device | None:
    """The user's device ``wanted_id``, or None (another user's device is None too)."""
    if not isinstance(wanted_id, str) or len(wanted_id) > 64:
        return None
    return next((d for d in list_for_user(r, user) if d.id == wanted_id), None)


def revoke(r, user: str, wanted_id: str) -> Device | None:
    """End the device ``wanted_id`` of ``user``: its token stops working. None if there is none."""
    device = get(r, user, wanted_id)
    if device is None:
        return None
    r.delete(keys.token(device.digest))  # first: from here on the token is refused
    r.srem(keys.user_tokens(user), device.digest)
    return device


def all_users(r) -> list[str]:
    return sorted(m.decode() if isinstance(m, bytes) else str(m) for m in r.smembers(keys.users()) or [])


def list_all(r) -> list[Device]:
    """Every user's devices (for the CLI, which has no bearer token)."""
    return [device for user in all_users(r) for device in list_for_user(r, user)]


def find(r, wanted_id: str) -> Device | None:
    """The device ``wanted_id`` of whichever user has it (for the CLI)."""
    return next((d for d in list_all(r) if d.id == wanted_id), None)


def lifetime_seconds(days) -> int | None:
    """``KADUN_TOKEN_DAYS`` as seconds: None (or 0) for tokens that do not expire.

    Raises ValueError for anything but a non-negative number of days."""
    if days is None or (isinstance(days, str) and not days.strip()):
        return None
    if isinstance(days, bool):
        raise ValueError("TOKEN_DAYS must be a number of days")
    try:
        value = float(days)
    except (TypeError, ValueError):
        raise ValueError(f"TOKEN_DAYS must be a number of days, not {days!r}") from None
    if not value >= 0 or value != value or value == float("inf"):
        raise ValueError(f"TOKEN_DAYS must be a non-negative number of days, not {days!r}")
    return int(value * 86400) or None


def seconds_left(device: Device) -> float | None:
    """Seconds until the device's token expires (None: it does not)."""
    if not device.expires_at:
        return None
    try:
        return (clock.parse_iso(device.expires_at) - clock.now()).total_seconds()
    except ValueError:
        return None


__all__ = ["Device", "KINDS", "create", "for_token", "list_for_user", "get", "revoke", "list_all", "find",
           "lifetime_seconds", "seconds_left", "device_id"]
