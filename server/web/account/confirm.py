"""The fresh passkey check an account without a password answers before it is deleted, gets a
password or adds a passkey (``rights.py``, ``views.py``, ``passkey_routes.py``): a WebAuthn
assertion by one of its own passkeys, with user verification, on a challenge made for it within
``passkeys.CEREMONY_SECONDS``. Its options are a JSON call of the page's script. And the
re-authentication a session older than ``ACCOUNT_REAUTH_MINUTES`` answers before it makes a
pairing code or removes a passkey (the password, or that passkey check)."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, jsonify, request

from ... import clock
from ...accounts import passkeys
from ...accounts.service import AccountRefused
from ...api.common import redis_client
from ...storage import accounts as store
from . import bp, passwords
from .limits import note_wrong_password
from .session import SignedIn, current, signed_in


def relying_party() -> passkeys.RelyingParty:
    """Passkeys belong to ``PUBLIC_URL``'s host, else to the host this page was asked for."""
    return passkeys.RelyingParty.for_origin(current_app.config.get("PUBLIC_URL") or request.host_url)


def passkey_confirmed(user: str, data: dict) -> None:
    """A passkey-only account's deletion, new password or new passkey carries a fresh check with
    one of its passkeys (the page's script makes it when the button is pressed); AccountRefused
    when it is missing or stale."""
    ceremony, answer = data.get("ceremony") or "", data.get("credential") or ""
    if not ceremony or not answer:
        raise AccountRefused("this account has no password: confirm with your passkey first", "credential",
                             "passkey_confirm_needed")
    passkeys.finish_confirmation(redis_client(), relying_party(), ceremony, answer, user)


def recently_signed_in(me: SignedIn) -> bool:
    """This session signed in within ``ACCOUNT_REAUTH_MINUTES`` (a pairing code or a passkey's
    removal goes without asking again)."""
    minutes = float(current_app.config.get("ACCOUNT_REAUTH_MINUTES") or 0)
    try:
        started = clock.parse_iso(me.session.created_at)
    except (TypeError, ValueError):
        return False
    return clock.now() - started <= timedelta(minutes=minutes)


def reauthenticated(me: SignedIn, data: dict) -> None:
    """A session that signed in longer ago than ``ACCOUNT_REAUTH_MINUTES`` proves it is the owner
    again before it pairs a device or removes a passkey: the current password (wrong ones count
    towards the re-authentication lockout), or for an account without one a fresh passkey check.
    AccountRefused when it does not."""
    if recently_signed_in(me):
        return
    if me.account.password is None:
        passkey_confirmed(me.account.user, data)
        return
    given = data.get("current_password") or ""
    if not given:
        raise AccountRefused("confirm with your current password first", "current_password", "reauth_needed")
    if not passwords().check(me.account.password, given):
        note_wrong_password()
        raise AccountRefused("the current password is not right", "current_password", "password_wrong")


@bp.post("/confirm/passkey/options")
@signed_in
def confirm_passkey_options():
    """Start the passkey check an account without a password answers before it is deleted, gets a
    password or adds a passkey (JSON, X-CSRF-Token)."""
    me = current().account
    r = redis_client()
    mine = store.passkeys(r, me.user)
    if not mine:
        raise AccountRefused("this account has no passkey", "credential", "passkey_unknown")
    ceremony, options = passkeys.confirmation_options(r, relying_party(), me.user, mine)
    return jsonify({"ceremony": ceremony, "options": options})
