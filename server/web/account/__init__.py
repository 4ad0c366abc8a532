"""The account pages at ``/account`` (hosted mode only): server-rendered HTML, Chinese first with
English, one small script for passkeys, no third-party anything.

``init_account(app)`` registers them after the rate limiter exists (``server/limits.py``), with:

- every POST checked for a CSRF token, and served over HTTPS only (``session.py``);
- a strict CSP (scripts, styles and form targets from this origin only, no framing), no caching,
  no referrer to other sites, HSTS over HTTPS;
- rate limits on Redis (flask-limiter): sign-in attempts per address (``SIGNIN_RATE_LIMIT``);
  failed password sign-ins per username (``SIGNIN_LOCKOUT``), counted the same whether or not an
  account has that name, so a lockout says nothing about who exists (passkeys still sign in);
  sign-ups per address (``SIGNUP_RATE_LIMIT``), the passkey sign-up's name check included.
"""
from __future__ import annotations

import logging

from flask import Blueprint, Flask, current_app, g, jsonify, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from ...accounts.passwords import Passwords
from ...errors import Forbidden, KadunError

bp = Blueprint("account", __name__, url_prefix="/account", template_folder="templates", static_folder="static",
               static_url_path="/static")

# The calls the page's script makes (JSON answers, errors included); everything else is a page.
JSON_ENDPOINTS = frozenset({"account.passkey_signup_options", "account.passkey_signup",
                            "account.passkey_signin_options", "account.passkey_signin",
                            "account.passkey_add_options", "account.passkey_add",
                            "account.confirm_passkey_options"})
PASSWORD_SIGNIN = "account.signin_post"
PASSKEY_SIGNIN = ("account.passkey_signin_options", "account.passkey_signin")
SIGNUPS = ("account.signup_post", "account.passkey_signup_options")
# They check the current password (or, without one, a passkey check).
REAUTH = ("account.change_password", "account.delete_account", "account.passkey_add_options", "account.pairing_code",
          "account.remove_passkey")
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'{extra}; frame-ancestors 'none'; base-uri 'none'")


def passwords() -> Passwords:
    """The app's password hasher (its Argon2id parameters come from the config)."""
    return current_app.extensions["kadun"].extra["passwords"]


def init_account(app: Flask) -> None:
    """Serve the account pages on ``app`` (call after init_limits)."""
    from . import authorize, confirm, passkey_routes, rights, views  # noqa: F401 - the routes register on bp
    from .session import configure

    configure(app)
    # Accounts made before look-alike names were refused get their look-alike pointer (once; a
    # storage unreachable now is no reason not to start: the first sign-up does it then).
    from ...accounts.service import index_look_alikes

    try:
        index_look_alikes(app.extensions["kadun"].redis)
    except Exception:  # noqa: BLE001 - requests answer 503 until the storage is back
        logging.getLogger("kadun.accounts").warning("look-alike index of older accounts postponed: storage unreachable")
    passwords = app.extensions["kadun"].extra["passwords"] = Passwords.from_config(app.config)
    passwords.dummy()  # made now: the first unknown name must not pay for making it
    app.register_blueprint(bp)
    # An address under /account that no route takes (a typo, a form's address opened again) fails
    # in routing, before any blueprint is known: the app's handler answers it, as a page here.
    app.register_error_handler(NotFound, _routing)
    app.register_error_handler(MethodNotAllowed, _routing)
    _limit(app)


def _routing(error: HTTPException):
    from ...api.errors import http_error

    path = request.path
    if path != bp.url_prefix and not path.startswith(f"{bp.url_prefix}/"):
        return http_error(error)
    form = _form_endpoint()
    if form in JSON_ENDPOINTS:
        return http_error(error)  # a call of the page's script: JSON, as its other answers
    if form is not None and error.code == 405 and request.method in ("GET", "HEAD"):
        # The address of a form's answer (a new pairing code, an export, a deletion), opened again
        # by reloading, a restored tab or the history: the account page, not a refusal.
        return _headers(redirect(url_for("account.home"), 303))
    # (the blueprint's after_request does not run for a request no route took: the pages' headers here)
    return _headers(_http(error))


def _form_endpoint() -> str | None:
    """The account endpoint that takes a POST to the request's path, if any."""
    try:
        endpoint, _ = current_app.create_url_adapter(request).match(request.path, method="POST")
    except HTTPException:
        return None
    return endpoint if endpoint.startswith(f"{bp.name}.") else None


def _limit(app: Flask) -> None:
    from ...limits import client_address, failure_limit
    from .limits import lockout_key, reauth_failed, reauth_key, signin_failed

    limiter = app.extensions["kadun"].extra.get("limiter")
    if limiter is None:
        return
    per_address = limiter.shared_limit(lambda: app.config.get("SIGNIN_RATE_LIMIT") or "20 per minute",
                                       scope="signin", key_func=client_address)
    lockout = failure_limit(app, limiter, lambda: app.config.get("SIGNIN_LOCKOUT") or "5 per 15 minutes",
                            key_func=lockout_key, scope="signin-name", failed=signin_failed)
    signups = limiter.shared_limit(lambda: app.config.get("SIGNUP_RATE_LIMIT") or "5 per hour", scope="signup",
                                   key_func=client_address)
    views = app.view_functions
    views[PASSWORD_SIGNIN] = per_address(lockout(views[PASSWORD_SIGNIN]))
    # A signed-in session proving it knows the password again: as many guesses as at sign-in.
    reauth = failure_limit(app, limiter, lambda: app.config.get("SIGNIN_LOCKOUT") or "5 per 15 minutes",
                           key_func=reauth_key, scope="reauth", failed=reauth_failed)
    for endpoint in REAUTH:
        views[endpoint] = per_address(reauth(views[endpoint]))
    for endpoint in PASSKEY_SIGNIN:
        views[endpoint] = per_address(views[endpoint])
    for endpoint in SIGNUPS:
        views[endpoint] = signups(views[endpoint])


@bp.before_request
def _gate():
    from .session import check_csrf, insecure, t

    if insecure():
        from flask import redirect

        if request.method == "GET":
            return redirect(request.url.replace("http://", "https://", 1), 308)
        raise KadunError(t("https_needed"), reason="https_needed")
    origin = request.headers.get("Origin", "").strip()
    if origin and origin.rstrip("/").lower() != request.host_url.rstrip("/").lower():
        # The pages answer their own origin only: not another site, not an extension (the access
        # gate lets extensions call the API), not an opaque "null" origin.
        raise Forbidden(t("csrf"), field="Origin", reason="csrf")
    if request.method == "POST":
        check_csrf()
    return None


@bp.after_request
def _headers(response):
    extra = g.get("form_action")
    response.headers["Content-Security-Policy"] = CSP.format(extra=f" {extra}" if extra else "")
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.endpoint != "account.static":
        response.headers["Cache-Control"] = "no-store"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    response.vary.add("Cookie")
    chosen = request.args.get("lang")
    if chosen in ("zh", "en"):  # the reader picked a language: keep it for the next pages
        from .session import LANG_COOKIE

        response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 86400, path="/account", secure=True, httponly=True,
                            samesite="Lax")
    return response


@bp.app_template_global("t")
def _t(key: str, *subs) -> str:
    from .session import t

    return t(key, *subs)


@bp.app_template_global("page_lang")
def _page_lang() -> str:
    from .session import lang

    return lang()


@bp.app_template_global("page_kind_label")
def _page_kind(kind: str) -> str:
    from .session import t
    from .texts import TEXTS

    return t(f"pagekind_{kind}" if f"pagekind_{kind}" in TEXTS else "pagekind_other")


@bp.app_template_global("csrf_token")
def _csrf() -> str:
    from .session import csrf_token

    return csrf_token()


def _message(error: KadunError) -> str:
    from .session import t

    reason = getattr(error, "reason", None) or error.details.get("reason")
    return t(reason) if reason else error.message


def _answer(status: int, code: str, message: str, retry_after: int | None = None, **details):
    """The refusal as JSON (the script's calls) or as a page."""
    if request.endpoint in JSON_ENDPOINTS:
        response = jsonify({"error": code, "message": message, **{k: v for k, v in details.items() if v}})
    else:
        from .session import current

        template = {"account.signin_post": "account/signin.html", "account.signup_post": "account/signup.html"}.get(
            request.endpoint)
        if template and (status == 429 or details.get("reason") == "csrf"):
            # The form again (with a fresh token), so the person can simply send it once more.
            page = render_template(template, next=request.form.get("next") or "/account",
                                   values={"username": request.form.get("username", "")[:64]}, error=message)
        else:
            page = render_template("account/message.html", title=None, message=message,
                                   signed_in=current() is not None if status != 503 else False)
        response = current_app.make_response(page)
    response.status_code = status
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


@bp.errorhandler(KadunError)
def _refused(error: KadunError):
    from ...api.errors import RETRY_AFTER_SECONDS

    return _answer(error.status, error.code, _message(error),
                   RETRY_AFTER_SECONDS if error.status == 503 else None,
                   field=error.details.get("field"), reason=getattr(error, "reason", None) or error.details.get("reason"))


@bp.errorhandler(HTTPException)
def _http(error: HTTPException):
    from .session import t

    status = error.code or 500
    if status == 429:
        seconds = _retry_after(error)
        key = "too_many_signups" if request.endpoint in SIGNUPS else "too_many"
        return _answer(429, "rate_limited", t(key, max(1, -(-seconds // 60))), seconds, reason=key)
    if status == 404:
        return _answer(404, "not_found", t("not_found"), reason="not_found")
    if status == 413:
        return _answer(413, "too_large", t("too_large"))
    # Werkzeug's own descriptions are English whatever the reader's language: a sentence of ours.
    if status >= 500:
        return _answer(status, "internal", t("server_error"))
    return _answer(status, "bad_request", t("bad_request"))


@bp.errorhandler(Exception)
def _unexpected(error: Exception):
    import logging

    import redis
    from redis.exceptions import RedisClusterException

    from .session import t

    if isinstance(error, redis.RedisError | RedisClusterException | ConnectionError | TimeoutError):
        logging.getLogger("kadun.account").warning("storage unavailable: %s", error)
        return _answer(503, "unavailable", t("storage_down"), 2)
    logging.getLogger("kadun.account").exception("unexpected error")
    return _answer(500, "internal", t("server_error"))


def _retry_after(error) -> int:
    """Seconds until the broken limit lets a request through again (flask-limiter's window)."""
    import time

    if isinstance(getattr(error, "retry_after", None), int):  # a failure limit's (server/limits.py)
        return max(1, error.retry_after)
    limiter = current_app.extensions["kadun"].extra.get("limiter")
    breached = limiter.current_limit if limiter is not None else None
    if breached is not None:
        return max(1, int(breached.reset_at - time.time()))
    item = getattr(getattr(error, "limit", None), "limit", None)
    return int(item.get_expiry()) if item is not None else 60


# --- the OpenAPI document (hosted mode): the pages and the script's calls ----------------------------
_ERR = {"$ref": "#/components/responses/Error"}
_HTML = {"content": {"text/html": {"schema": {"type": "string"}}}}
_COOKIE = [{"name": "__Host-kadun", "in": "cookie", "required": False, "schema": {"type": "string"},
            "description": "the signed session cookie of the account pages"}]


def _page(summary: str, *, form: str | None = None, json_in: str | None = None, json_out: bool = False,
          codes: tuple[str, ...] = ("200",), path_param: str | None = None) -> dict:
    """One operation of the account pages: cookie-authenticated, CSRF-checked when it posts."""
    responses: dict = {}
    for code in codes:
        if code in ("302", "303", "308"):
            responses[code] = {"description": "redirect"}
        elif json_out:
            responses[code] = {"description": "answer", "content": {"application/json": {"schema": {"type": "object"}}}}
        else:
            responses[code] = {"description": "page", **_HTML}
    for code in ("401", "403", "409", "429", "503"):
        if form or json_in or code in ("503",):
            responses.setdefault(code, {"description": "refused (a page, or JSON for the script's calls)", **_HTML}
                                 if not json_out else _ERR)
    operation = {"summary": summary, "security": [], "parameters": list(_COOKIE), "responses": responses}
    if path_param:
        operation["parameters"].append({"name": path_param, "in": "path", "required": True,
                                        "schema": {"type": "string", "maxLength": 1400}})
    if form:
        operation["requestBody"] = {"required": True, "content": {"application/x-www-form-urlencoded": {
            "schema": {"$ref": f"#/components/schemas/{form}"}}}}
    elif json_in:
        operation["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{json_in}"}}}}
    return operation


_CSRF_FORM = "CsrfForm"
OPENAPI_SCHEMAS = {_CSRF_FORM: {"type": "object", "required": ["csrf_token"], "properties": {
    "csrf_token": {"type": "string"}, "next": {"type": "string"}, "decision": {"enum": ["allow", "deny"]}}}}
OPENAPI = {
    "/account": {"get": _page("The account: devices, data, passkeys, password (hosted mode)", codes=("200", "302"))},
    "/account/": {"get": _page("The account (same page)", codes=("200", "302"))},
    "/account/static/{filename}": {"get": {"summary": "The pages' stylesheet and passkey script", "security": [],
                                           "parameters": [{"name": "filename", "in": "path", "required": True,
                                                           "schema": {"type": "string"}}],
                                           "responses": {"200": {"description": "a file"}, "404": _ERR}}},
    "/account/signup": {"get": _page("Sign-up page", codes=("200", "302")),
                        "post": _page("Create an account with a password", form="SignUpForm",
                                      codes=("303", "400"))},
    "/account/signin": {"get": _page("Sign-in page", codes=("200", "302")),
                        "post": _page("Sign in with username and password (one answer for every failure)",
                                      form="SignInForm", codes=("303",))},
    "/account/signout": {"post": _page("Sign this browser out", form=_CSRF_FORM, codes=("303",))},
    "/account/signout-others": {"post": _page("Sign every other browser out", form=_CSRF_FORM)},
    "/account/devices/{device_id}/revoke": {"post": _page("Remove a device: its token stops working",
                                                          form=_CSRF_FORM, codes=("200", "404"),
                                                          path_param="device_id")},
    "/account/pairing-code": {"post": _page("A one-time pairing code for this account (a session that signed in longer "
                                            "ago than ACCOUNT_REAUTH_MINUTES gives the password or a passkey check)",
                                            form="ReauthForm", codes=("200", "400"))},
    "/account/password": {"post": _page("Set or change the password", form="PasswordForm", codes=("200", "400"))},
    "/account/export": {"post": {**_page("Export everything: every capture, attachment and dispute as one signed "
                                         "evidence pack with a WACZ (kadun verify checks it)", form=_CSRF_FORM,
                                         codes=("200", "429")),
                                 "responses": {"200": {"description": "the pack", "content": {"application/zip": {
                                     "schema": {"type": "string", "format": "binary"}}}},
                                     "401": _ERR, "403": _ERR,
                                     "429": {"description": "the day's exports are used up (the page again)", **_HTML},
                                     "503": _ERR}}},
    "/account/delete": {"post": _page("Delete the account and everything of it, at once (the username typed again, "
                                      "and the password when the account has one, else a passkey check made "
                                      "within the last few minutes)", form="DeleteAccountForm",
                                      codes=("200", "400"))},
    "/account/confirm/passkey/options": {"post": _page("Start the passkey check an account without a password "
                                                       "answers before it is deleted, gets a password or adds a "
                                                       "passkey (X-CSRF-Token header)", json_out=True,
                                                       codes=("200", "400"))},
    "/account/passkeys/{credential_id}/remove": {"post": _page("Delete a passkey (a session that signed in longer ago "
                                                               "than ACCOUNT_REAUTH_MINUTES gives the password or a "
                                                               "passkey check)", form="ReauthForm",
                                                               codes=("200", "400", "404"), path_param="credential_id")},
    "/account/extension/authorize": {
        "get": _page("The extension's sign-in: who asks, allow or deny", codes=("200", "302", "400")),
        "post": _page("Allow (or deny): redirect to the extension with a one-time code", form=_CSRF_FORM,
                      codes=("303", "400"))},
    "/account/signup/passkey/options": {"post": _page("Start a passkey sign-up (X-CSRF-Token header)",
                                                      json_in="PasskeySignUpIn", json_out=True, codes=("200", "400"))},
    "/account/signup/passkey": {"post": _page("Finish a passkey sign-up", json_in="PasskeyAnswerIn", json_out=True,
                                              codes=("201", "400"))},
    "/account/signin/passkey/options": {"post": _page("Start a passkey sign-in", json_in="PasskeySignInIn",
                                                      json_out=True)},
    "/account/signin/passkey": {"post": _page("Finish a passkey sign-in", json_in="PasskeyAnswerIn", json_out=True,
                                              codes=("200", "400"))},
    "/account/passkeys/options": {"post": _page("Start adding a passkey (the current password, or without one a "
                                                "passkey check)", json_in="PasskeyAddIn", json_out=True,
                                                codes=("200", "400"))},
    "/account/passkeys": {"post": _page("Finish adding a passkey", json_in="PasskeyAnswerIn", json_out=True,
                                        codes=("201", "400"))},
}
