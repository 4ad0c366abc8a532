"""The account pages: sign up, sign in and out, and the account itself (devices, data, passkeys,
password, a pairing code as the fallback for browsers that cannot sign in).

Forms are checked with the same JSON Schemas as the API's bodies (``api/schemas.py``) and then
by the accounts service; a refusal shows the form again with the reason in the reader's language.
"""
from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for

from ... import clock
from ...accounts.service import AccountRefused, Accounts, UsernameUnavailable
from ...api.common import redis_client, token_cache
from ...api.validation import validate
from ...errors import BadRequest, KadunError, NotFound
from ...storage import accounts as store
from ...storage import captures, devices, signins, users
from ...storage import keys as key_names
from . import bp, passwords
from .confirm import passkey_confirmed, reauthenticated, recently_signed_in
from .limits import note_wrong_password
from .session import current, end_here, safe_next, sign_in, signed_in, t

RECENT = 20


def accounts() -> Accounts:
    return Accounts(redis_client(), passwords())


def form(schema: str) -> dict:
    """The posted form as a dict (first value of each field), checked against ``schema``."""
    data = {k: v for k, v in request.form.to_dict(flat=True).items()}
    validate(schema, data)
    return data


def problem(error: KadunError) -> str:
    """A refusal in the reader's language."""
    reason = getattr(error, "reason", None) or error.details.get("reason")
    if reason == "password_wrong":
        note_wrong_password()  # counted by the re-authentication lockout (limits.py)
    if reason:
        return t(reason)
    return t("bad_form", error.message)


def when(iso: str | None) -> str:
    """A stored time as the reader sees it (China time, to the minute)."""
    if not iso:
        return ""
    try:
        return clock.parse_iso(iso).astimezone(clock.CHINA).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(iso)


# --- signing up ---------------------------------------------------------------------------------
@bp.get("/signup")
def signup():
    if current() is not None:
        return redirect(safe_next(request.args.get("next")))
    return render_template("account/signup.html", next=safe_next(request.args.get("next")), values={})


@bp.post("/signup")
def signup_post():
    target = safe_next(request.form.get("next"))
    values = {"username": request.form.get("username", ""), "email": request.form.get("email", "")}
    try:
        data = form("SignUpForm")
        if data.get("password") != data.get("password2"):
            raise AccountRefused("the two passwords differ", "password2", "password_mismatch")
        account = accounts().sign_up(data["username"], data["password"], data.get("email"))
    except (AccountRefused, UsernameUnavailable, BadRequest) as error:
        status = 409 if isinstance(error, UsernameUnavailable) else 400
        return render_template("account/signup.html", next=target, values=values, error=problem(error),
                               field=error.details.get("field")), status
    sign_in(account.user, "password")
    return redirect(target, 303)


# --- signing in and out ---------------------------------------------------------------------------
@bp.get("/signin")
def signin():
    if current() is not None:
        return redirect(safe_next(request.args.get("next")))
    return render_template("account/signin.html", next=safe_next(request.args.get("next")), values={})


@bp.post("/signin")
def signin_post():
    """One answer for every failure (401, "wrong username or password"), with the same work."""
    target = safe_next(request.form.get("next"))
    username = request.form.get("username", "")
    try:
        data = form("SignInForm")
    except BadRequest:
        data = None
    account = accounts().authenticate(data["username"], data["password"]) if data else None
    if data is None:
        passwords().check(None, "")  # a malformed form costs what a wrong password costs
    if account is None:
        return render_template("account/signin.html", next=target, values={"username": username[:64]},
                               error=t("signin_failed")), 401
    sign_in(account.user, "password")
    return redirect(target, 303)


@bp.post("/signout")
def signout():
    end_here()
    back = safe_next(request.form.get("next"), default="")
    return redirect(url_for("account.signin", next=back) if back else url_for("account.signin"), 303)


@bp.post("/signout-others")
@signed_in
def signout_others():
    me = current()
    ended = signins.end_all_sessions(redis_client(), me.account.user, keep=_session_id())
    return _home(notice=t("signed_out_others", ended))


def _session_id() -> str | None:
    from flask import session

    value = session.get("sid")
    return value if isinstance(value, str) else None


# --- the account ----------------------------------------------------------------------------------
@bp.get("")
@bp.get("/")
@signed_in
def home():
    return _home()


def _home(notice: str | None = None, error: str | None = None, pairing_code: str | None = None, status: int = 200):
    r = redis_client()
    me = current()
    user = me.account.user
    recent, _ = captures.list_captures(r, user, limit=RECENT)
    device_list = [{**d.as_dict(), "current": False} for d in devices.list_for_user(r, user)]
    page = render_template(
        "account/home.html", account=me.account, devices=device_list, passkeys=store.passkeys(r, user),
        captures=recent, capture_count=captures.count(r, user), dispute_count=int(r.zcard(key_names.disputes_all(user))),
        sessions=signins.session_count(r, user), notice=notice, error=error, pairing_code=pairing_code,
        reauth=not recently_signed_in(me), reauth_minutes=int(current_app.config.get("ACCOUNT_REAUTH_MINUTES") or 0),
        pairing_minutes=max(1, int(current_app.config.get("PAIRING_CODE_TTL") or 600) // 60), when=when)
    return page, status


@bp.post("/devices/<device_id>/revoke")
@signed_in
def revoke_device(device_id: str):
    me = current()
    device = devices.revoke(redis_client(), me.account.user, device_id) if len(device_id) <= 64 else None
    if device is None:
        raise NotFound(t("not_found"), reason="not_found")
    token_cache().forget(device.id)
    return _home(notice=t("device_revoked", device.name or t("device_unnamed")))


@bp.post("/pairing-code")
@signed_in
def pairing_code():
    """A one-time pairing code for this account, for a browser or phone that cannot sign in. A
    paired device keeps its token after the session ends, so a session older than
    ACCOUNT_REAUTH_MINUTES proves it is the owner again first."""
    try:
        reauthenticated(current(), form("ReauthForm"))
    except (AccountRefused, BadRequest) as error:
        return _home(error=problem(error), status=400)
    ttl = int(current_app.config.get("PAIRING_CODE_TTL") or 600)
    code = users.pairing_code_for(redis_client(), current().account.user, ttl=ttl)
    return _home(pairing_code=code)


@bp.post("/password")
@signed_in
def change_password():
    me = current()
    try:
        data = form("PasswordForm")
        if data.get("password") != data.get("password2"):
            raise AccountRefused("the two passwords differ", "password2", "password_mismatch")
        if me.account.password is None:  # a first password: a way in, as strong as a passkey check
            passkey_confirmed(me.account.user, data)
        accounts().change_password(me.account.user, data.get("current_password"), data["password"])
    except (AccountRefused, BadRequest) as error:
        return _home(error=problem(error), status=400)
    # Other sign-ins of the pages end with the old password; this one goes on (with a new id).
    signins.end_all_sessions(redis_client(), me.account.user, keep=_session_id())
    sign_in(me.account.user, "password")
    return _home(notice=t("password_changed"))


@bp.post("/passkeys/<path:credential_id>/remove")
@signed_in
def remove_passkey(credential_id: str):
    me = current()
    r = redis_client()
    try:  # a session older than ACCOUNT_REAUTH_MINUTES proves it is the owner again first
        reauthenticated(me, form("ReauthForm"))
    except (AccountRefused, BadRequest) as error:
        return _home(error=problem(error), status=400)
    keys_left = store.passkeys(r, me.account.user)
    if me.account.password is None and len(keys_left) <= 1:
        return _home(error=t("passkey_last"), status=409)
    try:
        removed = store.remove_passkey(r, me.account.user, credential_id)
    except store.LastPasskey:  # the other passkey went meanwhile (removed from another browser)
        return _home(error=t("passkey_last"), status=409)
    if not removed:
        raise NotFound(t("not_found"), reason="not_found")
    return _home(notice=t("passkey_removed"))
