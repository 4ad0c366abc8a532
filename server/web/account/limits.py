"""What the sign-in lockout counts: failed password sign-ins per username, existing or not."""
from __future__ import annotations

from flask import request

from ...storage import accounts as store


def lockout_key() -> str:
    """The lockout's key for this sign-in: a digest of the username's comparison form (the name
    itself is not kept in the counter's key)."""
    name = request.form.get("username", "")
    return "name:" + store.digest(store.name_key(name[:256]))[:40]


def signin_failed(response) -> bool:
    """A sign-in that failed on its credentials (401) counts towards the lockout."""
    return response.status_code == 401
