"""Users, one-time pairing codes and bearer tokens (stored only as SHA-256 digests)."""
from __future__ import annotations

import json
import secrets
import time

from ..evidence.hashing import sha256_hex
from . import keys

# No 0/O, 1/I/L: a code is read off a terminal and typed into the extension.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
# What a paired device is: the browser extension, or the mobile web app (/m/) on a phone.
DEVICE_KINDS = ("extension", "phone")


def normalise_code(code: str) -> str:
    return "".join(ch for ch in str(code).upper() if ch.isalnum())


def _new_user(r) -> str:
    user = "usr_" + secrets.token_hex(8)
    r.sadd(keys.users(), user)
    r.set(keys.user_meta(user), json.dumps({"created_at": time.time()}))
    return user


def default_user(r) -> str:
    """The backend's one user, created on first use (several devices pair to the same user)."""
    existing = r.get(keys.default_user())
    if existing:
        return existing.decode()
    candidate = "usr_" + secrets.token_hex(8)
    if r.set(keys.default_user(), candidate, nx=True):
        r.sadd(keys.users(), candidate)
        r.set(keys.user_meta(candidate), json.dumps({"created_at": time.time(), "default": True}))
        return candidate
    return r.get(keys.default_user()).decode()


def new_pairing_code(r, new_user: bool = False, ttl: int = 600, user: str | None = None) -> str:
    """A fresh single-use code; for ``new_user`` it pairs to a new, separate user, for ``user``
    to that user (a paired device adding another device of its own, e.g. the phone)."""
    if user is None:
        user = _new_user(r) if new_user else default_user(r)
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if r.set(keys.pairing_code(sha256_hex(code.encode())), user, nx=True, ex=ttl):
            return code


def redeem_code(r, code: str, device: str | None, *, kind: str = "extension") -> tuple[str, str] | None:
    """Consume a code (atomically: GETDEL) and return (token, user), or None if not valid.

    ``kind`` (one of DEVICE_KINDS) is what the device said it is, kept with its token."""
    normal = normalise_code(code)
    if len(normal) != CODE_LENGTH:
        return None
    user = r.getdel(keys.pairing_code(sha256_hex(normal.encode())))
    if not user:
        return None
    user = user.decode()
    token = "kdn_" + secrets.token_urlsafe(32)
    digest = sha256_hex(token.encode())
    record = {"user": user, "device": (device or "")[:200], "kind": kind if kind in DEVICE_KINDS else "extension",
              "created_at": time.time()}
    r.set(keys.token(digest), json.dumps(record, ensure_ascii=False))
    r.sadd(keys.user_tokens(user), digest)
    return token, user


def user_for_token(r, token: str) -> str | None:
    if not token or len(token) > 200:
        return None
    raw = r.get(keys.token(sha256_hex(token.encode())))
    return json.loads(raw)["user"] if raw else None
