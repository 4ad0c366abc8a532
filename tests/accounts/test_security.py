"""Security of the account pages: CSRF refused, the session cookie useless to another origin,
sign-in brute force limited and locked out per username (on the real Redis, shared by every
worker), and failed sign-ins that answer alike whether or not the username exists."""
from __future__ import annotations

import re

import pytest

from .conftest import BASE, Pages, hosted_config

PASSWORD = "correct horse battery staple"


@pytest.fixture
def limited_app(redis_client, data_dir):
    """Hosted, with the rate limits on (small numbers, so a test reaches them quickly)."""
    from server import create_app

    return create_app(hosted_config(redis_client, data_dir, RATELIMIT_ENABLED=True,
                                    SIGNIN_LOCKOUT="3 per 15 minutes", SIGNIN_RATE_LIMIT="12 per minute",
                                    SIGNUP_RATE_LIMIT="4 per hour"))


# --- CSRF -----------------------------------------------------------------------------------------
def test_a_form_without_its_token_is_refused(hosted_app):
    Pages(hosted_app).sign_up("alice", PASSWORD)
    browser = Pages(hosted_app)
    refused = browser.post("/account/signin", {"username": "alice", "password": PASSWORD}, csrf=False)
    assert refused.status_code == 403 and "页面已过期或不是从本站提交的" in refused.get_data(as_text=True)
    assert browser.get("/account").status_code == 302  # not signed in
    # The refusal shows the form again with a fresh token: sending it once more works.
    again = re.search(r'name="csrf_token" value="([^"]+)"', refused.get_data(as_text=True)).group(1)
    resent = browser.client.post("/account/signin", base_url=BASE,
                                 data={"username": "alice", "password": PASSWORD, "csrf_token": again})
    assert resent.status_code == 303
    browser = Pages(hosted_app)
    forged = browser.post("/account/signin", {"username": "alice", "password": PASSWORD, "csrf_token": "forged"})
    assert forged.status_code == 403


def test_a_token_from_another_browser_is_refused(hosted_app):
    from server.storage import accounts, devices

    victim, attacker = Pages(hosted_app), Pages(hosted_app)
    victim.sign_up("bob_b", PASSWORD)
    r = hosted_app.extensions["kadun"].redis
    token, device = devices.create(r, accounts.find_by_name(r, "bob_b").user, "laptop", kind="account")
    # The attacker's page has a valid token for the attacker's own cookie, not for the victim's.
    their_token = attacker.token("/account/signin")
    answer = victim.client.post(f"/account/devices/{device.id}/revoke", data={"csrf_token": their_token},
                                base_url=BASE)
    assert answer.status_code == 403
    assert devices.for_token(r, token) is not None
    for path in ("/account/signout", "/account/pairing-code", "/account/password", "/account/signout-others"):
        assert victim.client.post(path, data={}, base_url=BASE).status_code == 403, path
    assert victim.get("/account").status_code == 200  # still signed in: the sign-out was refused


def test_passkey_calls_need_the_token_in_their_header(pages):
    refused = pages.client.post("/account/signin/passkey/options", json={}, base_url=BASE)
    assert refused.status_code == 403 and refused.get_json()["error"] == "forbidden"
    token = pages.token("/account/signin")
    allowed = pages.client.post("/account/signin/passkey/options", json={}, base_url=BASE,
                                headers={"X-CSRF-Token": token})
    assert allowed.status_code == 200 and allowed.get_json()["options"]["userVerification"] == "required"


# --- the cookie and other origins -----------------------------------------------------------------
def test_another_origin_cannot_use_the_session_cookie(hosted_app):
    from server.storage import accounts, devices

    victim = Pages(hosted_app)
    victim.sign_up("carol", PASSWORD)
    r = hosted_app.extensions["kadun"].redis
    token, device = devices.create(r, accounts.find_by_name(r, "carol").user, "laptop", kind="account")
    # Even with a valid token (read somehow), a request from another site's page is refused before
    # anything runs, and no CORS header lets that page read an answer.
    form_token = victim.token("/account")
    for origin in ("https://evil.example", "http://localhost:9999", "null"):
        answer = victim.client.post(f"/account/devices/{device.id}/revoke", data={"csrf_token": form_token},
                                    base_url=BASE, headers={"Origin": origin})
        assert answer.status_code == 403, origin
        assert not any(h.lower().startswith("access-control-") for h in answer.headers.keys())
        read = victim.client.get("/account", base_url=BASE, headers={"Origin": origin})
        assert read.status_code == 403 and "access-control-allow-origin" not in {h.lower() for h in read.headers.keys()}
    assert devices.for_token(r, token) is not None
    # The cookie is never sent with another site's requests (SameSite), nor readable by scripts.
    cookie = victim.cookie()
    assert cookie.same_site == "Lax" and cookie.http_only and cookie.secure and cookie.key.startswith("__Host-")
    # An extension origin (which may call the API) cannot use the pages' cookie either.
    from_extension = victim.client.get("/account", base_url=BASE, headers={"Origin": "chrome-extension://" + "a" * 32})
    assert from_extension.status_code == 403


def test_signing_in_replaces_the_session_id(hosted_app):
    """No session fixation: the id a browser had before signing in is not the one it has after."""
    Pages(hosted_app).sign_up("dave", PASSWORD)
    browser = Pages(hosted_app)
    browser.get("/account/signin")
    before = browser.cookie().value
    browser.sign_in("dave", PASSWORD)
    after = browser.cookie().value
    assert before != after
    # The old cookie (before signing in) does not carry the sign-in.
    stale = Pages(hosted_app)
    stale.client.set_cookie("__Host-kadun", before, domain="localhost", secure=True)
    assert stale.get("/account").status_code == 302


def test_a_signed_out_cookie_no_longer_signs_in(hosted_app):
    browser = Pages(hosted_app)
    browser.sign_up("erin", PASSWORD)
    saved = browser.cookie().value
    browser.post("/account/signout", {}, form_page="/account")
    replay = Pages(hosted_app)
    replay.client.set_cookie("__Host-kadun", saved, domain="localhost", secure=True)
    assert replay.get("/account").status_code == 302


# --- brute force ---------------------------------------------------------------------------------
def _strip(text: str, *names: str) -> str:
    """A page without what differs between two requests by nature (tokens, the typed name)."""
    text = re.sub(r'(name="csrf_token" value="|name="csrf-token" content=")[^"]+', r"\1…", text)
    for name in names:
        text = text.replace(name, "NAME")
    return text


def test_failed_sign_ins_lock_the_username_whether_or_not_it_exists(limited_app):
    from server import create_app

    Pages(limited_app).sign_up("frank", PASSWORD)
    # A second app on the same Redis: another gunicorn worker or app server shares the counters.
    other_worker = create_app(dict(limited_app.config))
    answers = {}
    for name in ("frank", "nobody_here"):
        seen = []
        for attempt in range(3):
            app = limited_app if attempt % 2 == 0 else other_worker
            seen.append(Pages(app).sign_in(name, "wrong password " + str(attempt)).status_code)
        locked = Pages(limited_app).sign_in(name, PASSWORD)
        seen.append(locked.status_code)
        answers[name] = (seen, _strip(locked.get_data(as_text=True), name), int(locked.headers["Retry-After"]))
    assert answers["frank"][0] == answers["nobody_here"][0] == [401, 401, 401, 429]
    assert answers["frank"][1] == answers["nobody_here"][1]
    assert "尝试次数过多" in answers["frank"][1] and "通行密钥" in answers["frank"][1]
    assert 0 < answers["frank"][2] <= 15 * 60
    # The lockout is the name's, not the address's: another account signs in from the same place.
    Pages(limited_app).sign_up("grace", PASSWORD)
    assert Pages(limited_app).sign_in("grace", PASSWORD).status_code == 303


def test_sign_in_attempts_per_address_are_limited(limited_app):
    codes = [Pages(limited_app).sign_in(f"user{n}", "wrong password").status_code for n in range(13)]
    assert codes[:12] == [401] * 12 and codes[12] == 429


def test_sign_ups_per_address_are_limited(limited_app):
    codes = [Pages(limited_app).sign_up(f"new_user_{n}", PASSWORD).status_code for n in range(5)]
    assert codes == [303, 303, 303, 303, 429]


# --- enumeration by response ------------------------------------------------------------------------
def test_a_wrong_password_and_an_unknown_name_answer_alike(hosted_app):
    Pages(hosted_app).sign_up("heidi", PASSWORD)
    known = Pages(hosted_app).sign_in("heidi", "not her password")
    unknown = Pages(hosted_app).sign_in("ivan_nobody", "not her password")
    passkey_only = Pages(hosted_app)
    assert known.status_code == unknown.status_code == 401
    assert _strip(known.get_data(as_text=True), "heidi") == _strip(unknown.get_data(as_text=True), "ivan_nobody")
    assert sorted(known.headers.keys()) == sorted(unknown.headers.keys())
    assert known.headers.get("Set-Cookie") is None and unknown.headers.get("Set-Cookie") is None
    # An account without a password (passkeys only) answers a password the same way too.
    from server.storage import accounts

    accounts.create(hosted_app.extensions["kadun"].redis, "judy_pk", password_hash=None)
    no_password = passkey_only.sign_in("judy_pk", "not her password")
    assert _strip(no_password.get_data(as_text=True), "judy_pk") == _strip(unknown.get_data(as_text=True),
                                                                           "ivan_nobody")


# --- a signed-in session guessing the password it does not know -----------------------------------
@pytest.mark.parametrize("path,fields", [
    ("/account/password", {"password": "a brand new passphrase 9", "password2": "a brand new passphrase 9"}),
    ("/account/delete", {"confirm": "dora_d"}),
], ids=["change-password", "delete-account"])
def test_wrong_current_passwords_from_a_session_are_locked_out(limited_app, path, fields):
    """Someone at a browser left signed in does not know the password: changing it or deleting the
    account asks for it, and wrong guesses are locked out like sign-ins (3 here), per account, so
    the right password then waits too; a mistake elsewhere in the form is not counted."""
    from server.storage import accounts

    owner = Pages(limited_app)
    owner.sign_up("dora_d", PASSWORD)
    if path == "/account/password":  # a mismatch of the two new passwords is not a guess
        for _ in range(4):
            typo = owner.post(path, {**fields, "password2": "something else 123", "current_password": "x"},
                              form_page="/account")
            assert typo.status_code == 400
    for guess in range(3):
        wrong = owner.post(path, {**fields, "current_password": f"guess number {guess}"}, form_page="/account")
        assert wrong.status_code == 400, wrong.status_code
    locked = owner.post(path, {**fields, "current_password": PASSWORD}, form_page="/account")
    assert locked.status_code == 429 and locked.headers.get("Retry-After")
    r = limited_app.extensions["kadun"].redis
    account = accounts.find_by_name(r, "dora_d")
    assert account is not None and owner.get("/account").status_code == 200  # nothing changed
    # Another account's session is not locked by dora's guesses.
    other = Pages(limited_app)
    other.sign_up("emil_e", PASSWORD)
    fine = other.post("/account/password", {"password": "another new phrase 77", "password2": "another new phrase 77",
                                            "current_password": PASSWORD}, form_page="/account")
    assert fine.status_code == 200, fine.status_code
