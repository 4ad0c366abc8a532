"""The passkey calls of the account pages' script (JSON in and out, CSRF token in a header):
options for the browser, then its answer, for signing up, signing in and adding a passkey."""
from __future__ import annotations

from flask import jsonify

from ...accounts import passkeys
from ...accounts.service import AccountRefused, check_email, look_key
from ...api.common import json_body, redis_client
from ...api.validation import validate
from ...errors import Conflict
from ...storage import accounts as store
from . import bp, passwords
from .confirm import passkey_confirmed, relying_party
from .limits import note_wrong_password
from .session import current, safe_next, sign_in, signed_in, t
from .views import accounts


def _body(schema: str) -> dict:
    data = json_body()
    validate(schema, data)
    return data


@bp.post("/signup/passkey/options")
def passkey_signup_options():
    data = _body("PasskeySignUpIn")
    service = accounts()
    service.name_available(data["username"])
    email = check_email(data.get("email"))
    name = store.normal_name(data["username"])
    ceremony, options = passkeys.registration_options(
        redis_client(), relying_party(), user=store.new_user_id(), username=name, purpose="signup",
        extra={"email": email, "next": safe_next(data.get("next"))})
    return jsonify({"ceremony": ceremony, "options": options})


@bp.post("/signup/passkey")
def passkey_signup():
    data = _body("PasskeyAnswerIn")
    r = redis_client()
    state, passkey = passkeys.finish_registration(r, relying_party(), data["ceremony"], data["credential"], "signup")
    try:
        account = store.create(r, state["username"], password_hash=None, email=state.get("email"), user=state["user"],
                               look_key=look_key(state["username"]))
    except store.NameTaken:
        raise Conflict(t("username_unavailable"), field="username", reason="username_unavailable") from None
    store.add_passkey(r, account.user, passkey)
    sign_in(account.user, "passkey")
    return jsonify({"next": safe_next(state.get("next")), "username": account.username}), 201


@bp.post("/signin/passkey/options")
def passkey_signin_options():
    data = _body("PasskeySignInIn")
    ceremony, options = passkeys.authentication_options(redis_client(), relying_party(),
                                                        extra={"next": safe_next(data.get("next"))})
    return jsonify({"ceremony": ceremony, "options": options})


@bp.post("/signin/passkey")
def passkey_signin():
    data = _body("PasskeyAnswerIn")
    state, account = passkeys.finish_authentication(redis_client(), relying_party(), data["ceremony"],
                                                    data["credential"])
    sign_in(account.user, "passkey")
    return jsonify({"next": safe_next(state.get("next")), "username": account.username})


@bp.post("/passkeys/options")
@signed_in
def passkey_add_options():
    """A new passkey is a new way in: the current password, or for an account without one a fresh
    check with a passkey it has, so a session alone cannot plant its own passkey."""
    data = _body("PasskeyAddIn")
    me = current().account
    r = redis_client()
    if me.password is not None:
        if not passwords().check(me.password, data.get("current_password") or ""):
            note_wrong_password()  # counted by the re-authentication lockout
            raise AccountRefused(t("password_wrong"), "current_password", "password_wrong")
    else:
        passkey_confirmed(me.user, {"ceremony": data.get("ceremony"), "credential": data.get("credential")})
    ceremony, options = passkeys.registration_options(r, relying_party(), user=me.user, username=me.username,
                                                      purpose="add", exclude=store.passkeys(r, me.user))
    return jsonify({"ceremony": ceremony, "options": options})


@bp.post("/passkeys")
@signed_in
def passkey_add():
    data = _body("PasskeyAnswerIn")
    me = current().account
    r = redis_client()
    state, passkey = passkeys.finish_registration(r, relying_party(), data["ceremony"], data["credential"], "add")
    if state.get("user") != me.user:
        raise AccountRefused("this passkey request was made for another account", "credential", "passkey_expired")
    store.add_passkey(r, me.user, passkey)
    return jsonify({"passkey": passkey.as_dict()}), 201
