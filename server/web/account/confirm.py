"""The fresh passkey check an account without a password answers before it is deleted, gets a
password or adds a passkey (``rights.py``, ``views.py``, ``passkey_routes.py``): a WebAuthn
assertion by one of its own passkeys, with user verification, on a challenge made for it within
``passkeys.CEREMONY_SECONDS``. Its options are a JSON call of the page's script."""
from __future__ import annotations

from flask import current_app, jsonify, request

from ...accounts import passkeys
from ...accounts.service import AccountRefused
from ...api.common import redis_client
from ...storage import accounts as store
from . import bp
from .session import current, signed_in


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
