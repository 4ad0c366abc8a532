"""Signing in from the extension: an OAuth-style authorization code with PKCE (RFC 7636, S256).

1. The extension opens ``/account/extension/authorize`` with ``chrome.identity.launchWebAuthFlow``
   (Chrome, Edge, Firefox), giving its redirect URL (``https://<id>.chromiumapp.org/…`` or
   ``https://<hash>.extensions.allizom.org/…``, the only ones accepted, so a code is never sent
   to a web page), a ``state`` and the SHA-256 of a secret ``code_verifier``.
2. The person signs in (if they are not) and allows it; the backend redirects to that URL with a
   one-time ``code`` (two minutes) and the ``state``. The browser hands the URL to the extension
   and never loads it.
3. The extension posts the code with its ``code_verifier`` to ``POST /v1/account/token`` and gets
   a device token bound to the account (a device of kind ``account``), like a paired one.

A code is worth nothing without the verifier, which never left the extension; in Chrome the code
is also bound to the extension id in the redirect URL, which must be the id asking for the token.

Only the published extensions get a code (``SIGNIN_EXTENSIONS``, ``KADUN_SIGNIN_EXTENSIONS``:
Chrome ids and Firefox add-on ids; by default KaDun's own Firefox add-on id and the Chrome ids
in ``EXTENSION_IDS``). Any other extension can open the authorize page with its own redirect URL
and its own verifier; without the allow-list, a person clicking "allow" there would hand their
account to it. Firefox's redirect host is the SHA-1 of the add-on id, so it is compared as such.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

from ..config import as_list
from ..errors import BadRequest, NotFound
from ..storage import accounts as store
from ..storage import devices, signins

GRANT_SECONDS = 120
CHROME_REDIRECT = re.compile(r"https://(?P<id>[a-p]{32})\.chromiumapp\.org/(?P<path>[A-Za-z0-9._~/-]{0,200})")
FIREFOX_REDIRECT = re.compile(r"https://(?P<id>[0-9a-f]{40})\.extensions\.allizom\.org/(?P<path>[A-Za-z0-9._~/-]{0,200})")
STATE = re.compile(r"[A-Za-z0-9._~-]{8,200}")
CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")
VERIFIER = re.compile(r"[A-Za-z0-9._~-]{43,128}")
CHROME_ID = re.compile(r"[a-p]{32}")
# A Firefox add-on id: an e-mail-like name or a GUID in braces (browser_specific_settings.gecko.id).
GECKO_ID = re.compile(r"[A-Za-z0-9._+-]{1,80}@[A-Za-z0-9.-]{1,80}|\{[0-9A-Fa-f-]{36}\}")
KADUN_GECKO_ID = "kadun@kadun.app"  # extension/manifest.json


@dataclass(frozen=True)
class Extensions:
    """The extensions that may sign in: Chrome ids, and Firefox redirect hosts (SHA-1 of add-on ids)."""

    chrome: frozenset
    firefox: frozenset


def firefox_redirect_host(addon_id: str) -> str:
    """The host of ``identity.getRedirectURL()`` in Firefox: the hex SHA-1 of the add-on id."""
    return hashlib.sha1(addon_id.encode("utf-8")).hexdigest()  # noqa: S324 - Firefox's own derivation


def allowed_extensions(config) -> Extensions:
    """``SIGNIN_EXTENSIONS`` read from an app's config (ValueError naming an entry that is neither a
    Chrome extension id nor a Firefox add-on id)."""
    listed = config.get("SIGNIN_EXTENSIONS")
    if listed is None:
        listed = [KADUN_GECKO_ID] + [e.removeprefix("chrome-extension://") for e in as_list(config.get("EXTENSION_IDS"))
                                     if CHROME_ID.fullmatch(e.removeprefix("chrome-extension://"))]
    chrome, firefox = set(), set()
    for entry in as_list(listed):
        if CHROME_ID.fullmatch(entry):
            chrome.add(entry)
        elif GECKO_ID.fullmatch(entry):
            firefox.add(firefox_redirect_host(entry))
        else:
            raise ValueError(f"KADUN_SIGNIN_EXTENSIONS: {entry!r} is neither a Chrome extension id (32 letters a-p) "
                             "nor a Firefox add-on id (name@domain or {{GUID}})")
    return Extensions(chrome=frozenset(chrome), firefox=frozenset(firefox))


@dataclass(frozen=True)
class Request:
    """A checked authorization request from an extension."""

    redirect_uri: str
    state: str
    code_challenge: str
    device: str
    browser: str            # "chrome" (Chrome, Edge, Chromium) | "firefox"
    extension_id: str | None  # the Chrome extension id of the redirect URL (Firefox's is a hash)

    def denied_url(self) -> str:
        return f"{self.redirect_uri}?error=access_denied&state={self.state}"


def parse_request(args, allowed: Extensions) -> Request:
    """The query of ``/account/extension/authorize`` checked, or BadRequest naming the field."""
    redirect = str(args.get("redirect_uri") or "")
    chrome = CHROME_REDIRECT.fullmatch(redirect)
    firefox = FIREFOX_REDIRECT.fullmatch(redirect)
    if not (chrome or firefox):
        raise BadRequest("redirect_uri must be the extension's own (chrome.identity.getRedirectURL())",
                         field="redirect_uri")
    if (chrome.group("id") not in allowed.chrome) if chrome else (firefox.group("id") not in allowed.firefox):
        raise BadRequest("redirect_uri belongs to an extension this service does not sign in (not KaDun's "
                         "published extension; see KADUN_SIGNIN_EXTENSIONS)", field="redirect_uri",
                         reason="extension_unknown")
    state = str(args.get("state") or "")
    if not STATE.fullmatch(state):
        raise BadRequest("state must be 8 to 200 letters, digits or . _ ~ -", field="state")
    if (args.get("code_challenge_method") or "S256") != "S256":
        raise BadRequest("code_challenge_method must be S256", field="code_challenge_method")
    challenge = str(args.get("code_challenge") or "")
    if not CHALLENGE.fullmatch(challenge):
        raise BadRequest("code_challenge must be the base64url SHA-256 of the code_verifier", field="code_challenge")
    device = str(args.get("device") or "")[:200]
    return Request(redirect_uri=redirect, state=state, code_challenge=challenge, device=device,
                   browser="chrome" if chrome else "firefox", extension_id=chrome.group("id") if chrome else None)


def grant(r, request: Request, user: str) -> str:
    """The URL to send the browser to: the redirect URL with a fresh one-time code and the state."""
    code = signins.save_grant(r, {"user": user, "challenge": request.code_challenge, "device": request.device,
                                "redirect_uri": request.redirect_uri, "extension_id": request.extension_id},
                            GRANT_SECONDS)
    return f"{request.redirect_uri}?code={code}&state={request.state}"


def pkce_challenge(verifier: str) -> str:
    """base64url(SHA-256(verifier)) without padding (RFC 7636 S256)."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


def exchange(r, *, code: str, verifier: str, origin: str, device: str | None,
             lifetime_seconds: int | None) -> tuple[str, store.Account, devices.Device]:
    """A device token for the code's account: (token, account, device). 404 for a code that is
    unknown, used, expired, or not this extension's; 400 for a malformed verifier."""
    if not isinstance(verifier, str) or not VERIFIER.fullmatch(verifier):
        raise BadRequest("code_verifier must be 43 to 128 letters, digits or . _ ~ -", field="code_verifier")
    found = signins.take_grant(r, code)
    refused = NotFound("sign-in code not valid: it is wrong, used or expired; sign in again")
    if found is None or not hmac.compare_digest(pkce_challenge(verifier), str(found.get("challenge"))):
        raise refused
    wanted = found.get("extension_id")
    if wanted and origin != f"chrome-extension://{wanted}":
        raise refused
    if not wanted and not str(origin or "").startswith("moz-extension://"):
        raise refused  # a Firefox code is for a Firefox extension, never a page or a script
    account = store.get(r, str(found.get("user")))
    if account is None:
        raise refused
    made = devices.create_if_user_stays(r, account.user, device or found.get("device") or "", kind="account",
                                        lifetime_seconds=lifetime_seconds)
    if made is None:  # the account was deleted as the code was used
        raise refused
    return made[0], account, made[1]
