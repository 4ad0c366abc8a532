"""The buyer's data rights on the account page (《个人信息保护法》): "Export everything" (a copy of
all they stored, as the signed pack ``kadun verify`` checks) and "Delete my account" (everything,
at once). Both are forms with the page's CSRF token; they call the same service functions as the
API and the CLI (``server.rights``).

Deleting asks for the username typed again and, when the account has a password, the password;
an account without one answers a passkey check made within the last few minutes
(``passkeys.finish_confirmation``): a session cookie left in a shared browser, or copied from
one, cannot delete the account by one click. The same check (or the password) guards what would
let a session get around it: setting a password, adding a passkey (``views.py``,
``passkey_routes.py``).
"""
from __future__ import annotations

from flask import g, render_template, session

from ...accounts.service import AccountRefused
from ...api.common import redis_client
from ...api.export import pack_response
from ...errors import BadRequest, QuotaError
from ...rights import delete_user
from ...storage import accounts as store
from . import bp, passwords
from .confirm import passkey_confirmed
from .session import current, lang, signed_in, t
from .views import _home, form, problem


@bp.post("/export")
@signed_in
def export_everything():
    """The whole account as one signed evidence pack with a WACZ (a download)."""
    try:
        return pack_response(redis_client(), current().account.user)
    except QuotaError as error:
        messages = error.details.get("messages") or {}
        page, status = _home(error=messages.get(lang()) or error.message, status=error.status)
        return page, status, getattr(error, "headers", {})


@bp.post("/delete")
@signed_in
def delete_account():
    """Delete the account and everything of it; this browser is signed out, every device token
    and every other sign-in stops working at once."""
    me = current()
    try:
        data = form("DeleteAccountForm")
        if store.name_key(data.get("confirm") or "") != me.account.name_key:
            raise AccountRefused("type your username to confirm", "confirm", "delete_confirm_wrong")
        if me.account.password is not None and not passwords().check(me.account.password,
                                                                         data.get("current_password") or ""):
            raise AccountRefused("the current password is not right", "current_password", "password_wrong")
        if me.account.password is None:
            passkey_confirmed(me.account.user, data)
    except (AccountRefused, BadRequest) as error:
        return _home(error=problem(error), status=400)
    report = delete_user(redis_client(), me.account.user, must_exist=False)
    session.clear()
    g.signed_in = None
    return render_template("account/message.html", title=t("deleted_title"), message=t("deleted_text"),
                           detail=t("deleted_id", report["deletion_id"]), signed_in=False)

