"""What the lockouts count: failed password sign-ins per username, existing or not; and wrong
current passwords given by a signed-in session (changing the password, deleting the account), per
account, so a session left open cannot be used to guess the password it does not know."""
from __future__ import annotations

from flask import g, request

from ...storage import accounts as store


def lockout_key() -> str:
    """The lockout's key for this sign-in: a digest of the username's comparison form (the name
    itself is not kept in the counter's key)."""
    name = request.form.get("username", "")
    return "name:" + store.digest(store.name_key(name[:256]))[:40]


def signin_failed(response) -> bool:
    """A sign-in that failed on its credentials (401) counts towards the lockout."""
    return response.status_code == 401


def reauth_key() -> str:
    """The re-authentication lockout's key: a digest of the signed-in account (of the address when
    nobody is signed in; the view then refuses anyway)."""
    from ...limits import client_address
    from .session import current

    me = current()
    return "user:" + store.digest(me.account.user)[:40] if me is not None else "addr:" + client_address()


def note_wrong_password() -> None:
    """Mark this request as one that gave a wrong current password (counted by ``reauth_failed``)."""
    g.current_password_wrong = True


def reauth_failed(response) -> bool:
    return bool(g.get("current_password_wrong"))
