"""Signing in on the account pages: web sessions, and the single-use secrets of a sign-in (a
passkey ceremony's challenge, an extension sign-in's authorization code). Reads and writes only;
the keys are described with the accounts model in ``accounts.py``.

Secrets the browser holds (a session id, a ceremony id, a code) are stored only as their SHA-256.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from .. import clock
from . import keys
from .accounts import AccountGone, _text, digest, user_active


# --- web sessions ------------------------------------------------------------------------------
@dataclass
class WebSession:
    """A signed-in browser session of the account pages."""

    digest: str
    user: str
    created_at: str
    method: str  # "password" | "passkey"

    def as_dict(self) -> dict:
        return {"created_at": self.created_at, "method": self.method}


def create_session(r, user: str, method: str, ttl_seconds: int) -> str:
    """A new session id for ``user`` (kept only by the browser; stored as its digest)."""
    session_id = secrets.token_urlsafe(32)
    hashed = digest(session_id)
    r.sadd(keys.account_sessions(user), hashed)
    r.set(keys.web_session(hashed), json.dumps({"user": user, "created_at": clock.now_iso(), "method": method}),
          ex=max(1, int(ttl_seconds)))
    if not user_active(r, user):  # deleted meanwhile: its erasure may have read the set already
        r.delete(keys.web_session(hashed))
        r.srem(keys.account_sessions(user), hashed)
        raise AccountGone(user)
    return session_id


def session_for(r, session_id: str) -> WebSession | None:
    """The signed-in session ``session_id`` names, while it and its account exist."""
    if not isinstance(session_id, str) or not session_id or len(session_id) > 100:
        return None
    hashed = digest(session_id)
    raw = r.get(keys.web_session(hashed))
    if not raw:
        return None
    try:
        data = json.loads(raw)
        user = data["user"]
    except (ValueError, KeyError, TypeError):
        return None
    if not user_active(r, user) or not r.exists(keys.account(user)) \
            or not r.sismember(keys.account_sessions(user), hashed):
        return None
    return WebSession(digest=hashed, user=user, created_at=data.get("created_at") or "",
                      method=data.get("method") or "password")


def end_session(r, session_id: str) -> None:
    """Sign one session out."""
    if not isinstance(session_id, str) or not session_id:
        return
    hashed = digest(session_id)
    raw = r.getdel(keys.web_session(hashed))
    if raw:
        try:
            r.srem(keys.account_sessions(json.loads(raw)["user"]), hashed)
        except (ValueError, KeyError, TypeError):
            pass


def end_all_sessions(r, user: str, keep: str | None = None) -> int:
    """Sign every session of ``user`` out (but ``keep``, a session id); how many ended."""
    kept = digest(keep) if keep else None
    ended = 0
    for hashed in [_text(m) for m in r.smembers(keys.account_sessions(user)) or []]:
        if hashed == kept:
            continue
        r.delete(keys.web_session(hashed))
        r.srem(keys.account_sessions(user), hashed)
        ended += 1
    return ended


def session_count(r, user: str) -> int:
    """Signed-in sessions of the user (dropping those that expired)."""
    live = 0
    for hashed in [_text(m) for m in r.smembers(keys.account_sessions(user)) or []]:
        if r.exists(keys.web_session(hashed)):
            live += 1
        else:
            r.srem(keys.account_sessions(user), hashed)
    return live


# --- single-use secrets: passkey ceremonies, extension sign-in codes ---------------------------
def _put_once(r, key_of, state: dict, ttl_seconds: int, existing_user: str | None = None) -> str:
    """Keep ``state`` under a fresh single-use token. ``existing_user``: the secret names that
    (existing) user; a deletion finds it by a scan after the user left ``kadun:users``, so one
    kept just after that scan is taken back here (AccountGone) rather than outliving the user."""
    while True:
        token = secrets.token_urlsafe(32)
        key = key_of(digest(token))
        if r.set(key, json.dumps(state, ensure_ascii=False), nx=True, ex=max(1, ttl_seconds)):
            if existing_user is not None and not user_active(r, existing_user):
                r.delete(key)
                raise AccountGone(existing_user)
            return token


def _take_once(r, key_of, token: str) -> dict | None:
    if not isinstance(token, str) or not token or len(token) > 100:
        return None
    raw = r.getdel(key_of(digest(token)))
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def save_ceremony(r, state: dict, ttl_seconds: int) -> str:
    """Keep a passkey ceremony's state (its challenge) until it is taken; its id."""
    # An added passkey's ceremony names an existing user; a sign-up's names the id it will take.
    return _put_once(r, keys.webauthn_ceremony, state, ttl_seconds,
                     existing_user=state.get("user") if state.get("purpose") == "add" else None)


def take_ceremony(r, ceremony_id: str) -> dict | None:
    """The ceremony's state, once (GETDEL): a challenge is answered at most once."""
    return _take_once(r, keys.webauthn_ceremony, ceremony_id)


def save_grant(r, grant: dict, ttl_seconds: int) -> str:
    """Keep an extension sign-in's grant (user, PKCE challenge, redirect) under a one-time code."""
    return _put_once(r, keys.account_grant, grant, ttl_seconds, existing_user=grant.get("user"))


def take_grant(r, code: str) -> dict | None:
    """The grant a code stands for, once (GETDEL)."""
    return _take_once(r, keys.account_grant, code)


# --- the pages' signing secret -----------------------------------------------------------------
def web_secret(r) -> str:
    """The secret that signs session cookies and CSRF tokens, made once and shared by every worker
    and app server of this Redis (``KADUN_SECRET_KEY`` takes its place when set)."""
    made = secrets.token_urlsafe(48)
    r.set(keys.web_secret(), made, nx=True)
    return _text(r.get(keys.web_secret())) or made


__all__ = ["WebSession", "create_session", "end_all_sessions", "end_session", "save_ceremony", "save_grant",
           "session_count", "session_for", "take_ceremony", "take_grant", "web_secret"]
