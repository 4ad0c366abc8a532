"""Users and one-time pairing codes; a redeemed code becomes a paired device with a bearer token
(see devices.py: tokens are stored only as SHA-256 digests)."""
from __future__ import annotations

import json
import secrets
import time

from . import devices, keys
from .records import sha256_hex

# No 0/O, 1/I/L: a code is read off a terminal and typed into the extension.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
# What a client may say it is when it pairs: the browser extension, or the mobile web app (/m/)
# on a phone ("account" devices are made by the backend itself, never by a pairing client).
PAIRING_KINDS = ("extension", "phone")


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
    return pairing_code_for(r, user, ttl=ttl)


def pairing_code_for(r, user: str, ttl: int = 600) -> str:
    """A fresh single-use code that pairs a device to ``user`` (an account's, in hosted mode)."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if r.set(keys.pairing_code(sha256_hex(code.encode())), user, nx=True, ex=ttl):
            return code


def redeem_code(r, code: str, device: str | None, *, lifetime_seconds: int | None = None,
                kind: str = "extension") -> tuple[str, str] | None:
    """Consume a code (atomically: GETDEL) and pair a device: (token, user), or None if not valid.

    ``lifetime_seconds`` ends the token after that long (None: it lasts until revoked)."""
    normal = normalise_code(code)
    if len(normal) != CODE_LENGTH:
        return None
    user = r.getdel(keys.pairing_code(sha256_hex(normal.encode())))
    if not user:
        return None
    user = user.decode()
    made = devices.create_if_user_stays(r, user, device, kind=kind, lifetime_seconds=lifetime_seconds)
    if made is None:  # the user was deleted as the code was used
        return None
    return made[0], user


def user_for_token(r, token: str) -> str | None:
    """The user a token belongs to (None: unknown, revoked or expired)."""
    device = devices.for_token(r, token, touch=False)
    return device.user if device else None
