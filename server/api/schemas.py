"""The JSON Schemas of what clients send: ``/openapi.json`` publishes them, and the routes validate
every request body (and the badge's ``url``) with the same objects (``validation.py``).

Each schema says exactly what the server accepts, so that a value the schema admits is stored and
a value it refuses is refused: formats are written as patterns the server's own parsing is known to
accept (``tests/api/test_request_schemas.py`` checks them against that parsing). ``ERRORS`` gives the
few refusals that are not a plain 400: an oversize page is 413, a body that is no HTML page 422.
"""
from __future__ import annotations

from .. import sizes
from ..config import DEFAULTS
from ..disputes.kinds import ATTACHMENT_KINDS, PROBLEMS
from ..storage.users import PAIRING_KINDS

# White space spelt out: JSON Schema patterns are ECMA-262, where \s is not Python's (Python's also
# takes U+001C-U+001F and U+0085), so no pattern here uses \s, \S, \w or \b; this class is the union.
WS = "\\t\\n\\u000b\\f\\r \\u001c-\\u001f\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"

# --- URLs -------------------------------------------------------------------------------------
# Characters that Unicode NFKC folds into one of / ? # @ : ; Python's urlsplit refuses a host made
# with them (its NFKC check), so the schema does too. tests/api/test_request_schemas.py recomputes
# this list from the running Python's Unicode tables.
NFKC_DELIMITERS = "\u2047\u2048\u2049\u2100\u2101\u2105\u2106\u2a74\ufe13\ufe16\ufe55\ufe56\ufe5f\ufe6b" \
                  "\uff03\uff0f\uff1a\uff1f\uff20"
_NOT_HOST = WS + r"\u0000-\u001f\u007f/?#@:\[\]\\" + "".join(f"\\u{ord(c):04x}" for c in NFKC_DELIMITERS)
_NOT_USERINFO = _NOT_HOST.replace(":", "")  # user:password@
_H4 = "[0-9A-Fa-f]{1,4}"
# RFC 4291 text forms without an embedded IPv4 address or a zone (what ipaddress and urlsplit take).
IPV6 = ("(?:" + "|".join([
    f"(?:{_H4}:){{7}}{_H4}",
    f"(?:{_H4}:){{1,7}}:",
    f"(?:{_H4}:){{1,6}}:{_H4}",
    f"(?:{_H4}:){{1,5}}(?::{_H4}){{1,2}}",
    f"(?:{_H4}:){{1,4}}(?::{_H4}){{1,3}}",
    f"(?:{_H4}:){{1,3}}(?::{_H4}){{1,4}}",
    f"(?:{_H4}:){{1,2}}(?::{_H4}){{1,5}}",
    f"{_H4}:(?::{_H4}){{1,6}}",
    f":(?:(?::{_H4}){{1,7}}|:)",
]) + ")")
_SCHEME = "[Hh][Tt][Tt][Pp][Ss]?://"
_PORT = "(?::[0-9]{0,5})?"


def _authority(host_chars: str, userinfo: str) -> str:
    return f"(?:{userinfo}@)?(?:[^{_NOT_HOST}]{host_chars}|\\[{IPV6}\\]){_PORT}"


# A capture's URL: any absolute http(s) URL whose host the server can read (a registered name,
# IDN included, or an IPv6 literal), up to 8192 characters; the rest is kept as the page had it.
CAPTURE_URL = f"^{_SCHEME}{_authority('+', f'[^{_NOT_USERINFO}]*')}(?:[/?#][\\s\\S]*)?$"
# The badge's URL travels in a query string, percent-encoded (up to 12 bytes a character): it is
# bounded so that any URL it admits fits in the 8190-byte request line the server reads (gunicorn),
# while a browser's location.href (ASCII, up to 1500 characters after the host) always does.
PAGE_URL = (f"^{_SCHEME}{_authority('{1,253}', '[A-Za-z0-9._~%!$&()*+,;=:-]{0,64}')}"
            r"(?:[/?#](?:[\x21-\x7e]{0,1500}|[^" + WS + r"]{0,300}))?$")
URL_DESCRIPTION = "an absolute http(s) URL such as https://卡盟.cn/order/1 or http://[::1]:8080/x"


# --- times -------------------------------------------------------------------------------------
def _date_time_pattern(years: str, leap_years: str) -> str:
    """RFC 3339 date-time (T or t, Z or z, 1-9 fraction digits) whose date exists: every value
    it admits is a real instant the server parses (server.clock.parse_iso)."""
    month_day = ("(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)"
                 "|(?:0[13578]|1[02])-31)")
    date = f"(?:{years}-{month_day}|{leap_years}-02-29)"
    time = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,9})?"
    offset = "(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
    return f"^{date}[Tt]{time}{offset}$"


_LEAP_2DIGIT = "(?:0[48]|[2468][048]|[13579][26])"
ANY_DATE_TIME = _date_time_pattern(
    "(?!0000)[0-9]{4}", f"(?:[0-9]{{2}}{_LEAP_2DIGIT}|{_LEAP_2DIGIT}00)")
# Dispute times: deadlines are computed from them, so they stay in 2000-2100.
DISPUTE_DATE_TIME = _date_time_pattern("(?:20[0-9]{2}|2100)", f"(?:20{_LEAP_2DIGIT}|2000)")
TIME_DESCRIPTION = "an RFC 3339 time with its offset, such as 2026-11-24T10:03:30+08:00"

# --- page bodies -------------------------------------------------------------------------------
_TAGS = ("!doctype html", "html", "head", "body", "div", "p", "span", "table", "form", "a", "main",
         "section", "title", "meta", "ul", "li", "h[1-6]")


def _caseless(word: str) -> str:
    """``word`` as a case-insensitive pattern (JSON Schema patterns have no flags)."""
    if word == "h[1-6]":
        return "[Hh][1-6]"
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else r"[ \t\n\r\f]+" if c == " " else c
                   for c in word)


# An HTML tag among the first 65,536 characters and no NUL before it: binary and plain text are no
# page. (Case-insensitive by construction: JSON Schema patterns have no flags.)
HTML_SIGN = ("^[^\\u0000]{0,65535}?<[ \\t\\n\\r\\f]*(?:"
             + "|".join(_caseless(t) for t in _TAGS)
             + ")(?![A-Za-z0-9_])")


def _base64_of(prefix: str) -> str:
    one = "[A-Za-z0-9+/]"
    # Four classes spelt out, not {4}: Python's re runs this group 7x faster on a large screenshot.
    return f"{prefix}(?:{one}{one}{one}{one})*(?:{one}{one}==|{one}{one}{one}=)?"


# A PNG starts with the bytes 89 50 4E 47 0D 0A 1A 0A (base64 iVBORw0KGg + o..r), a JPEG with FF D8 FF (/9j/).
SCREENSHOT = ("^(?:data:image/(?:png|jpeg);base64,(?:iVBORw0KGgo=|iVBORw0KGg[o-r][A-Za-z0-9+/]"
              + _base64_of("") + "|" + _base64_of("/9j/") + "))?$")
MIB = 1024 * 1024
_SCREENSHOT_MAX = len("data:image/jpeg;base64,") + 4 * -(-DEFAULTS["MAX_SCREENSHOT_BYTES"] // 3)


def _text(max_length: int, nullable: bool = True, **extra) -> dict:
    return {"type": ["string", "null"] if nullable else "string", "maxLength": max_length, **extra}


_REQUIRED_TEXT = {"type": "string", "minLength": 1, "pattern": f"[^{WS}]"}
_KIND = {"type": "string", "enum": list(PAIRING_KINDS),
         "description": "what is pairing: the browser extension (the default) or the phone app at /m/"}
_DECIMAL = {"type": "string", "pattern": r"^[0-9]{1,12}(?:\.[0-9]{1,8})?$",
            "description": "a non-negative decimal such as 188.00"}
_AMOUNT_NUMBER = {"type": "number", "minimum": 0, "maximum": 1e12}

REQUEST_SCHEMAS: dict[str, dict] = {
    "HttpUrl": {"type": "string", "maxLength": sizes.URL, "pattern": CAPTURE_URL, "description": URL_DESCRIPTION},
    "PageUrl": {"type": "string", "maxLength": 2048, "pattern": PAGE_URL,
                "description": URL_DESCRIPTION + " (a page's location.href; the host, then up to 1500 "
                                                 "ASCII or 300 other characters)"},
    "PairIn": {
        "type": "object", "required": ["code"],
        "properties": {
            "code": {**_REQUIRED_TEXT, "maxLength": sizes.PAIRING_CODE, "description": "the 8-character pairing code"},
            "device": _text(sizes.DEVICE_NAME, description="a name for this browser, such as Chrome on laptop"),
            "kind": _KIND}},
    "PairCodeIn": {
        "type": "object",
        "properties": {"kind": _KIND}},
    "SnapshotIn": {
        "type": "object", "required": ["client_id", "url", "html"],
        "properties": {
            "client_id": {"type": "string", "pattern": f"^[A-Za-z0-9._:-]{{1,{sizes.CLIENT_ID}}}$",
                          "description": f"the extension's idempotency key: 1-{sizes.CLIENT_ID} letters, digits or . _ : -"},
            "url": {"$ref": "#/components/schemas/HttpUrl"},
            "title": _text(sizes.TITLE),
            "captured_at": {"type": ["string", "null"], "pattern": ANY_DATE_TIME, "description": TIME_DESCRIPTION},
            "trigger": {"enum": ["auto", "manual", None]},
            "html": {"type": "string", "minLength": 1, "maxLength": DEFAULTS["MAX_HTML_BYTES"], "pattern": HTML_SIGN,
                     "description": "the page's HTML, at most 8 MiB as UTF-8, with an HTML tag in its first "
                                    "65,536 characters"},
            "screenshot": {"type": ["string", "null"], "maxLength": _SCREENSHOT_MAX, "pattern": SCREENSHOT,
                           "description": "a data:image/png;base64,… (or image/jpeg) URL of a PNG or JPEG image, "
                                          "at most 8 MiB decoded; empty for none"},
            "extension_version": _text(sizes.EXTENSION_VERSION)}},
    "MoneyIn": {
        "type": "object", "required": ["amount"],
        "properties": {"amount": {"anyOf": [_DECIMAL, _AMOUNT_NUMBER]},
                       "currency": {"type": "string", "pattern": "^[A-Z]{3}$",
                                    "description": "an ISO 4217 code such as CNY (the default)"}}},
    "DisputeIn": {
        "type": "object", "required": ["problem", "occurred_at"],
        "anyOf": [{"required": ["snapshot_ids"]}, {"required": ["domain", "order_no"]}],
        "properties": {
            "domain": {"type": "string", "pattern": f"^[^{WS}\\u0000-\\u001f\\u007f/?#@:]{{1,{sizes.DOMAIN}}}$",
                       "description": "the shop's host name, such as shop.example.com"},
            "order_no": {**_REQUIRED_TEXT, "maxLength": sizes.ORDER_NO},
            "snapshot_ids": {"type": "array", "minItems": 1, "maxItems": sizes.SNAPSHOT_IDS,
                             "items": {"type": "string", "pattern": "^snp_[0-9a-f]{8,40}$"},
                             "description": f"1 to {sizes.SNAPSHOT_IDS} capture ids (snp_…)"},
            "problem": {"type": "string", "enum": list(PROBLEMS)},
            "occurred_at": {"type": "string", "pattern": DISPUTE_DATE_TIME,
                            "description": TIME_DESCRIPTION + ", between 2000 and 2100"},
            "description": _text(sizes.DESCRIPTION),
            "amount": {"anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/MoneyIn"}, _DECIMAL,
                                 _AMOUNT_NUMBER],
                       "description": '{"amount": "188.00", "currency": "CNY"}, or the amount alone'}}},
    "OrderRemindersIn": {
        "type": "object", "required": ["domain", "order_no", "state"],
        "properties": {
            "domain": {"type": "string", "pattern": f"^[^{WS}\\u0000-\\u001f\\u007f/?#@:]{{1,{sizes.DOMAIN}}}$",
                       "description": "the shop's host name, such as shop.example.com"},
            "order_no": {**_REQUIRED_TEXT, "maxLength": sizes.ORDER_NO},
            "state": {"type": "string", "enum": ["active", "fine", "muted"],
                      "description": "fine: the order turned out fine (its reminders stop); muted: no reminders "
                                     "for it; active: reminders on again"}}},
    "AttachmentIn": {
        "type": "object", "required": ["file", "kind"],
        "properties": {"file": {"type": "string", "format": "binary"},
                       "kind": {"type": "string", "enum": list(ATTACHMENT_KINDS)}}},
    # Share a link (POST /v1/fetches): any http(s) URL the capture schema admits; whether the server
    # may fetch it (public address, size, time) is decided by server/capture/fetch.py (422 with a reason).
    "FetchIn": {
        "type": "object", "required": ["url"], "properties": {
            "url": {"$ref": "#/components/schemas/HttpUrl"},
            "client_id": {"type": "string", "pattern": "^[A-Za-z0-9._:-]{1,128}$",
                          "description": "idempotency key: a retry with the same one answers the capture already kept"}}},
    # A phone screenshot (POST /v1/screenshots, multipart): the image, and optionally what it is and
    # which dispute or order it belongs to.
    "ScreenshotIn": {
        "type": "object", "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary"},
                       "kind": {"type": "string", "enum": list(ATTACHMENT_KINDS)},
                       "dispute_id": {"type": "string", "maxLength": sizes.OBJECT_ID},
                       "order_no": {"type": "string", "pattern": f"^[^{WS}]{{1,{sizes.ORDER_NO}}}$",
                                    "description": "an order number: no white space, at most 128 characters"}}},
}

# --- hosted accounts (the account pages' forms and calls, and the extension's sign-in) ------------
_FORM_TEXT = {"type": "string", "maxLength": 4 * sizes.USERNAME}
_NEXT = {"type": ["string", "null"], "maxLength": 2000, "description": "a path on /account to go to afterwards"}
_PASSWORD = {"type": "string", "maxLength": sizes.PASSWORD,
             "description": f"{sizes.PASSWORD_MIN} to {sizes.PASSWORD} characters"}
REQUEST_SCHEMAS.update({
    "SignUpForm": {
        "type": "object", "required": ["username", "password"],
        "properties": {
            "username": {**_FORM_TEXT, "description": f"{sizes.USERNAME_MIN} to {sizes.USERNAME} letters (any "
                                                      "script), digits or _ . - once NFKC-normalised"},
            "password": _PASSWORD, "password2": _PASSWORD,
            "email": {"type": "string", "maxLength": sizes.EMAIL, "description": "optional; never verified or written to"},
            "next": _NEXT, "csrf_token": {"type": "string", "maxLength": sizes.FORM_TOKEN}}},
    "SignInForm": {
        "type": "object", "required": ["username", "password"],
        "properties": {"username": {**_FORM_TEXT, "minLength": 1}, "password": {**_PASSWORD, "minLength": 1},
                       "next": _NEXT, "csrf_token": {"type": "string", "maxLength": sizes.FORM_TOKEN}}},
    "DeleteAccountForm": {
        "type": "object", "required": ["confirm"],
        "properties": {"confirm": {**_FORM_TEXT, "description": "the account's username, typed again"},
                       "current_password": {"type": "string", "maxLength": sizes.PASSWORD,
                                            "description": "required when the account has a password"},
                       "ceremony": {"type": "string", "maxLength": sizes.FORM_TOKEN,
                                    "description": "without a password: the passkey check's ceremony id "
                                                   "(POST /account/confirm/passkey/options)"},
                       "credential": {"type": "string", "maxLength": sizes.PASSKEY_ANSWER,
                                      "description": "without a password: the passkey's answer, "
                                                     "PublicKeyCredential.toJSON() as JSON text"},
                       "csrf_token": {"type": "string", "maxLength": sizes.FORM_TOKEN}}},
    "ReauthForm": {
        "type": "object",
        "properties": {"current_password": {"type": "string", "maxLength": sizes.PASSWORD,
                                            "description": "when the session signed in longer ago than "
                                                           "ACCOUNT_REAUTH_MINUTES and the account has a password"},
                       "ceremony": {"type": "string", "maxLength": sizes.FORM_TOKEN,
                                    "description": "the same, without a password: the passkey check's ceremony id"},
                       "credential": {"type": "string", "maxLength": sizes.PASSKEY_ANSWER,
                                      "description": "the same, without a password: the passkey's answer (JSON text)"},
                       "csrf_token": {"type": "string", "maxLength": sizes.FORM_TOKEN}}},
    "PasswordForm": {
        "type": "object", "required": ["password"],
        "properties": {"current_password": {"type": "string", "maxLength": sizes.PASSWORD},
                       "ceremony": {"type": "string", "maxLength": sizes.FORM_TOKEN,
                                    "description": "without a password yet: the passkey check's ceremony id"},
                       "credential": {"type": "string", "maxLength": sizes.PASSKEY_ANSWER,
                                      "description": "without a password yet: the passkey's answer (JSON text)"},
                       "password": _PASSWORD, "password2": _PASSWORD, "username": _FORM_TEXT,
                       "csrf_token": {"type": "string", "maxLength": sizes.FORM_TOKEN}}},
    "PasskeySignUpIn": {
        "type": "object", "required": ["username"],
        "properties": {"username": _FORM_TEXT, "email": {"type": ["string", "null"], "maxLength": sizes.EMAIL},
                       "next": _NEXT}},
    "PasskeySignInIn": {"type": "object", "properties": {"next": _NEXT}},
    "PasskeyAddIn": {
        "type": "object",
        "properties": {"current_password": {"type": "string", "maxLength": sizes.PASSWORD,
                                            "description": "required when the account has a password"},
                       "ceremony": {"type": "string", "maxLength": sizes.FORM_TOKEN,
                                    "description": "without a password: the passkey check's ceremony id "
                                                   "(POST /account/confirm/passkey/options)"},
                       "credential": {"type": "object", "description": "without a password: the check's "
                                                                       "answer, PublicKeyCredential.toJSON()"}}},
    "PasskeyAnswerIn": {
        "type": "object", "required": ["ceremony", "credential"],
        "properties": {"ceremony": {"type": "string", "minLength": 1, "maxLength": sizes.FORM_TOKEN},
                       "credential": {"type": "object", "required": ["id", "response"],
                                      "description": "PublicKeyCredential.toJSON() of the browser's answer"}}},
    "AccountTokenIn": {
        "type": "object", "required": ["code", "code_verifier"],
        "properties": {
            "code": {**_REQUIRED_TEXT, "maxLength": sizes.FORM_TOKEN, "description": "the code the sign-in page "
                                                                                     "redirected with"},
            "code_verifier": {"type": "string", "pattern": "^[A-Za-z0-9._~-]{43,128}$",
                              "description": "the PKCE verifier whose SHA-256 the sign-in began with"},
            "device": _text(sizes.DEVICE_NAME, description="a name for this browser")}},
})


def _screenshot_refusal(value) -> tuple[int, str]:
    """A data URL whose bytes are no PNG/JPEG is unusable (422); anything else is malformed (400)."""
    import base64
    import binascii
    import re

    match = re.fullmatch(r"data:image/(?:png|jpeg);base64,(.*)", value if isinstance(value, str) else "", re.S)
    if match:
        try:
            base64.b64decode(match.group(1), validate=True)
            return 422, "screenshot is not a PNG or JPEG image"
        except (binascii.Error, ValueError):
            return 400, "field screenshot is not valid base64"
    return 400, "field screenshot must be a data:image/png;base64,… URL (or image/jpeg)"


# (schema, field, keyword) → (status, message[, field named]), or a function of the value giving them, where a
# refusal is not the plain 400 that validation.py words from the schema.
ERRORS: dict[tuple[str, str, str], object] = {
    ("SnapshotIn", "screenshot", "pattern"): _screenshot_refusal,
    ("SnapshotIn", "html", "pattern"): (422, "html does not look like an HTML document (no HTML tag in its first "
                                             "65,536 characters)"),
    ("SnapshotIn", "html", "minLength"): (422, "html is empty"),
    ("SnapshotIn", "html", "maxLength"): (413, "html is larger than 8 MiB"),
    ("SnapshotIn", "screenshot", "maxLength"): (413, "screenshot is larger than 8 MiB"),
    ("DisputeIn", "", "anyOf"): (400, "give domain and order_no, or snapshot_ids", "order_no"),
}
