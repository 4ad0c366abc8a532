"""Signing in from the extension, over HTTP: the authorize page, the redirect with a one-time
code, and the code + PKCE verifier exchanged for a device token bound to the account."""
from __future__ import annotations

import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from server.accounts.grants import pkce_challenge

from .conftest import BASE, Pages

PASSWORD = "correct horse battery staple"
CHROME_ID = "abcdefghijklmnopabcdefghijklmnop"
CHROME_ORIGIN = f"chrome-extension://{CHROME_ID}"
CHROME_REDIRECT = f"https://{CHROME_ID}.chromiumapp.org/kadun"
# Firefox's getRedirectURL(): the SHA-1 of the add-on id (KaDun's: kadun@kadun.app) as host.
FIREFOX_REDIRECT = "https://" + hashlib.sha1(b"kadun@kadun.app").hexdigest() + ".extensions.allizom.org/"
FIREFOX_ORIGIN = "moz-extension://6f1b5a2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b"


def authorize_path(redirect_uri: str = CHROME_REDIRECT, **extra) -> tuple[str, str, str]:
    """(path, state, verifier) of a sign-in request as the extension makes it."""
    state, verifier = secrets.token_urlsafe(16), secrets.token_urlsafe(48)
    query = {"redirect_uri": redirect_uri, "state": state, "code_challenge": pkce_challenge(verifier),
             "code_challenge_method": "S256", "device": "Chromium (KaDun 0.1.0)", **extra}
    return "/account/extension/authorize?" + urlencode(query), state, verifier


def allow(pages: Pages, path: str, decision: str = "allow"):
    return pages.post(path, {"decision": decision}, form_page=path)


def exchange(app, code: str, verifier: str, origin: str = CHROME_ORIGIN):
    return app.test_client().post("/v1/account/token", json={"code": code, "code_verifier": verifier},
                                  headers={"Origin": origin}, base_url=BASE)


def test_sign_in_then_allow_then_a_token_for_the_account(hosted_app):
    from server.storage import accounts

    Pages(hosted_app).sign_up("alice", PASSWORD)
    browser = Pages(hosted_app)
    path, state, verifier = authorize_path()
    # Not signed in: to the sign-in page, and back here afterwards.
    first = browser.get(path)
    assert first.status_code == 302 and first.headers["Location"].startswith("/account/signin?next=")
    signed = browser.post("/account/signin", {"username": "alice", "password": PASSWORD, "next": path})
    assert signed.headers["Location"] == path
    page = browser.get(path)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Chrome / Edge 上的卡盾扩展请求登录你的账户“alice”" in text
    assert f"https://{CHROME_ID}.chromiumapp.org" in page.headers["Content-Security-Policy"]
    answer = allow(browser, path)
    assert answer.status_code == 303
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CHROME_REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == [state]
    token = exchange(hosted_app, query["code"][0], verifier)
    assert token.status_code == 201, token.get_json()
    body = token.get_json()
    r = hosted_app.extensions["kadun"].redis
    assert body["username"] == "alice" and body["user"] == accounts.find_by_name(r, "alice").user
    assert body["device"]["kind"] == "account" and body["device"]["name"] == "Chromium (KaDun 0.1.0)"
    api = hosted_app.test_client()
    listed = api.get("/v1/devices", headers={"Authorization": f"Bearer {body['token']}", "Origin": CHROME_ORIGIN})
    assert listed.status_code == 200 and [d["kind"] for d in listed.get_json()["items"]] == ["account"]
    # The code was single use.
    assert exchange(hosted_app, query["code"][0], verifier).status_code == 404


def test_a_code_is_worth_nothing_without_its_verifier_or_from_another_extension(hosted_app):
    browser = Pages(hosted_app)
    browser.sign_up("bob_b", PASSWORD)
    for attempt in ("wrong verifier", "other extension"):
        path, _, verifier = authorize_path()
        code = parse_qs(urlsplit(allow(browser, path).headers["Location"]).query)["code"][0]
        if attempt == "wrong verifier":
            answer = exchange(hosted_app, code, secrets.token_urlsafe(48))
        else:
            answer = exchange(hosted_app, code, verifier, origin="chrome-extension://" + "p" * 32)
        assert answer.status_code == 404 and "sign in again" in answer.get_json()["message"], attempt
        # Once refused, the code is gone even for the right caller.
        assert exchange(hosted_app, code, verifier).status_code == 404


def test_firefox_redirect_url(hosted_app):
    browser = Pages(hosted_app)
    browser.sign_up("carol", PASSWORD)
    path, state, verifier = authorize_path(FIREFOX_REDIRECT)
    assert "Firefox 上的卡盾扩展" in browser.get(path).get_data(as_text=True)
    location = allow(browser, path).headers["Location"]
    assert location.startswith(FIREFOX_REDIRECT + "?code=") and location.endswith(f"&state={state}")
    code = parse_qs(urlsplit(location).query)["code"][0]
    assert exchange(hosted_app, code, verifier, origin=FIREFOX_ORIGIN).status_code == 201


def test_denying_tells_the_extension_and_grants_nothing(hosted_app):
    browser = Pages(hosted_app)
    browser.sign_up("dave", PASSWORD)
    path, state, _ = authorize_path()
    answer = allow(browser, path, decision="deny")
    assert answer.headers["Location"] == f"{CHROME_REDIRECT}?error=access_denied&state={state}"


@pytest.mark.parametrize("redirect_uri", [
    "https://evil.example/cb", f"http://{CHROME_ID}.chromiumapp.org/kadun", f"https://{CHROME_ID}.chromiumapp.org.evil/",
    f"https://{CHROME_ID}.chromiumapp.org/kadun?next=https://evil.example", "https://abc.extensions.allizom.org/",
    "javascript:alert(1)", ""], ids=["web", "http", "suffix", "query", "short-hash", "javascript", "none"])
def test_only_an_extension_redirect_url_is_accepted(hosted_app, redirect_uri):
    browser = Pages(hosted_app)
    browser.sign_up("erin", PASSWORD)
    path, _, _ = authorize_path(redirect_uri)
    page = browser.get(path)
    assert page.status_code == 400 and "登录请求不完整或已损坏" in page.get_data(as_text=True)
    # Posting "allow" anyway (with a valid token from the account page) redirects nowhere.
    answer = browser.post(path, {"decision": "allow"}, form_page="/account")
    assert answer.status_code == 400 and "Location" not in answer.headers


def test_allowing_needs_the_pages_csrf_token(hosted_app):
    browser = Pages(hosted_app)
    browser.sign_up("frank", PASSWORD)
    path, _, _ = authorize_path()
    refused = browser.client.post(path, data={"decision": "allow"}, base_url=BASE)
    assert refused.status_code == 403 and "Location" not in refused.headers


def test_the_token_route_takes_json_only_and_checks_its_body(hosted_app):
    client = hosted_app.test_client()
    form = client.post("/v1/account/token", data={"code": "x", "code_verifier": "y" * 43}, base_url=BASE)
    assert form.status_code == 400 and form.get_json()["field"] == "Content-Type"
    short = client.post("/v1/account/token", json={"code": "x", "code_verifier": "short"}, base_url=BASE)
    assert short.status_code == 400 and short.get_json()["field"] == "code_verifier"
    missing = client.post("/v1/account/token", json={"code_verifier": "y" * 43}, base_url=BASE)
    assert missing.status_code == 400 and missing.get_json()["field"] == "code"
