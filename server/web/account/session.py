"""Who is signed in on the account pages, in what language, and the checks every form passes.

- **The cookie.** Flask's signed session cookie ``__Host-kadun`` (Secure, HttpOnly,
  SameSite=Lax, Path=/, no Domain) carries two random values: the CSRF secret (flask-wtf) and,
  once signed in, a session id. The session itself lives in Redis
  (``storage.signins.create_session``) and is looked up on every request, so signing out, a
  password change or deleting the account ends it at once; the id in the cookie is replaced at
  every sign-in (no session fixation).
- **CSRF.** Every POST carries a flask-wtf token (a form field, or the ``X-CSRF-Token`` header for
  the passkey calls), signed and tied to the cookie, valid for an hour; besides, the access gate
  refuses any POST whose Origin is another site's (``api/access.py``).
- **HTTPS.** In hosted mode the pages answer over HTTPS only (``PROXY_COUNT`` makes the proxy's
  ``X-Forwarded-Proto`` count), except on a loopback name (a development machine, the tests).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from urllib.parse import unquote, urlsplit

from flask import current_app, g, redirect, request, session, url_for
from flask_wtf.csrf import CSRFError, ValidationError, generate_csrf, validate_csrf

from ...api.access import LOOPBACK_NAMES, parse_host
from ...api.common import redis_client
from ...errors import Forbidden, Unauthorized
from ...storage import accounts as store
from ...storage import signins
from .texts import text

COOKIE = "__Host-kadun"
LANG_COOKIE = "kadun-lang"
CSRF_HEADER = "X-CSRF-Token"


def configure(app) -> None:
    """The session cookie's settings and signing secret (hosted mode only)."""
    secret = app.config.get("SECRET_KEY") or signins.web_secret(app.extensions["kadun"].redis)
    app.secret_key = secret
    hours = float(app.config.get("ACCOUNT_SESSION_HOURS") or 336)
    app.config.update(SESSION_COOKIE_NAME=COOKIE, SESSION_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_PATH="/", SESSION_COOKIE_DOMAIN=None,
                      PERMANENT_SESSION_LIFETIME=timedelta(hours=hours), WTF_CSRF_TIME_LIMIT=3600,
                      WTF_CSRF_FIELD_NAME="csrf_token")


# --- language ----------------------------------------------------------------------------------
def lang() -> str:
    """ "zh" or "en": ``?lang=``, then the reader's choice (cookie), then Chinese whenever the
    browser lists any Chinese, English when it lists languages but no Chinese, else Chinese."""
    if "lang" not in g:
        chosen = request.args.get("lang") or request.cookies.get(LANG_COOKIE)
        if chosen in ("zh", "en"):
            g.lang = chosen
        else:
            listed = [value.lower() for value, _ in request.accept_languages]
            g.lang = "en" if listed and not any(v.startswith("zh") for v in listed) else "zh"
    return g.lang


def t(key: str, *subs) -> str:
    return text(key, lang(), *subs)


# --- who is signed in --------------------------------------------------------------------------
@dataclass
class SignedIn:
    account: store.Account
    session: signins.WebSession


def current() -> SignedIn | None:
    """The signed-in account of this request, or None (looked up once per request)."""
    if "signed_in" not in g:
        g.signed_in = None
        session_id = session.get("sid")
        if isinstance(session_id, str):
            r = redis_client()
            found = signins.session_for(r, session_id)
            account = store.get(r, found.user) if found else None
            if found and account:
                g.signed_in = SignedIn(account=account, session=found)
    return g.signed_in


def sign_in(user: str, method: str) -> None:
    """Start a signed-in session for ``user``: a new cookie (new id, new CSRF secret)."""
    end_here()
    hours = float(current_app.config.get("ACCOUNT_SESSION_HOURS") or 336)
    session.clear()
    session["sid"] = signins.create_session(redis_client(), user, method, int(hours * 3600))
    session.permanent = True
    g.pop("signed_in", None)


def end_here() -> None:
    """Sign this browser out (its server-side session too)."""
    session_id = session.get("sid")
    if isinstance(session_id, str):
        signins.end_session(redis_client(), session_id)
    session.clear()
    g.signed_in = None


def safe_next(value: str | None, default: str = "/account") -> str:
    """A place to go after signing in: a path on the account pages, nothing else (no open redirect)."""
    if not value or not isinstance(value, str) or len(value) > 2000:
        return default
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. "http://[::1": an unclosed IPv6 bracket
        return default
    if parts.scheme or parts.netloc or "\\" in value or value.startswith("//"):
        return default
    # No control character (a line break made the Location header a 500; browsers drop tabs and
    # line breaks from URLs, so what is checked must be what they follow) and no ".." segment: the
    # path stays on the account pages after the browser resolves it (%2e%2e is ".." to it too).
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value) \
            or any(segment in (".", "..") for segment in unquote(parts.path).split("/")):
        return default
    if not (parts.path == "/account" or parts.path.startswith("/account/")):
        return default
    return value


def signed_in(view):
    """Pages for signed-in people only: others go to sign in (and come back), or get 401."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current() is None:
            if request.method == "GET":
                return redirect(url_for("account.signin", next=request.full_path.rstrip("?")))
            raise Unauthorized(t("signin_needed"), reason="signin_needed")
        return view(*args, **kwargs)

    return wrapper


# --- the checks before every request of the account pages ---------------------------------------
def insecure() -> bool:
    """Plain HTTP on a name other than a loopback one."""
    if request.is_secure:
        return False
    parsed = parse_host(request.host)
    return not (parsed and parsed[0] in LOOPBACK_NAMES)


def check_csrf() -> None:
    """Forbidden (reason ``csrf``) unless the POST carries a valid token for this cookie."""
    token = request.headers.get(CSRF_HEADER) or request.form.get("csrf_token")
    try:
        validate_csrf(token)
    except (ValidationError, CSRFError):
        raise Forbidden(t("csrf"), field="csrf_token", reason="csrf") from None


def csrf_token() -> str:
    return generate_csrf()
