"""A session cookie copied from a browser must not leave its thief a way in that outlives it: a
paired device keeps its token after the session ends, and removing the owner's passkeys locks the
owner out of a passkey-only account. So a session that signed in longer ago than
ACCOUNT_REAUTH_MINUTES proves it is the owner again (the current password, or for an account
without one a fresh passkey check) before it makes a pairing code or removes a passkey; a fresh
sign-in goes on without asking."""
from __future__ import annotations

import json
from datetime import timedelta

from server import clock
from server.storage import accounts as store
from server.storage import keys

from . import test_hostile_f as hostile_f
from .conftest import BASE, Pages
from .softkey import SoftPasskey

PASSWORD = "correct horse battery staple"


def _session_id(browser: Pages) -> str:
    with browser.client.session_transaction(base_url=BASE) as cookie:
        return cookie["sid"]


def _age(r, session_id: str, minutes: int) -> None:
    """Make the session's sign-in ``minutes`` old (what a stolen cookie used later looks like)."""
    key = keys.web_session(store.digest(session_id))
    data = json.loads(r.get(key))
    data["created_at"] = (clock.now() - timedelta(minutes=minutes)).isoformat(timespec="milliseconds")
    r.set(key, json.dumps(data), keepttl=True)


def _codes(r) -> int:
    return sum(1 for _ in r.scan_iter(match=f"{keys.PREFIX}:pair:*"))


def _member(app, name: str) -> tuple[Pages, store.Account]:
    browser = Pages(app)
    assert browser.sign_up(name, PASSWORD).status_code == 303
    return browser, store.find_by_name(app.extensions["kadun"].redis, name)


def test_a_fresh_sign_in_pairs_without_asking_again(hosted_app):
    browser, _ = _member(hosted_app, "fresh_pair")
    page = browser.get("/account").get_data(as_text=True)
    assert "reauth-hint" not in page and 'id="reauth_pairing"' not in page
    made = browser.post("/account/pairing-code", {}, form_page="/account")
    assert made.status_code == 200 and 'id="pairing-code"' in made.get_data(as_text=True)


def test_an_old_session_pairs_only_with_the_password(hosted_app):
    r = hosted_app.extensions["kadun"].redis
    browser, _ = _member(hosted_app, "old_pair")
    _age(r, _session_id(browser), 11)
    page = browser.get("/account").get_data(as_text=True)
    assert "reauth-hint" in page and 'id="reauth_pairing"' in page and "为了安全" in page
    before = _codes(r)
    bare = browser.post("/account/pairing-code", {}, form_page="/account")
    assert bare.status_code == 400 and "请先输入当前密码" in bare.get_data(as_text=True)
    assert 'id="pairing-code"' not in bare.get_data(as_text=True) and _codes(r) == before
    wrong = browser.post("/account/pairing-code", {"current_password": "not the password"}, form_page="/account")
    assert wrong.status_code == 400 and "当前密码不正确" in wrong.get_data(as_text=True) and _codes(r) == before
    right = browser.post("/account/pairing-code", {"current_password": PASSWORD}, form_page="/account")
    assert right.status_code == 200 and 'id="pairing-code"' in right.get_data(as_text=True)
    assert _codes(r) == before + 1
    english = browser.post("/account/pairing-code?lang=en", {}, form_page="/account?lang=en")
    assert english.status_code == 400 and "enter your current password" in english.get_data(as_text=True)


def test_an_old_session_removes_a_passkey_only_with_the_password(hosted_app):
    r = hosted_app.extensions["kadun"].redis
    browser, made = _member(hosted_app, "old_keys")
    key = SoftPasskey()
    store.add_passkey(r, made.user, key.stored())
    _age(r, _session_id(browser), 60)
    path = f"/account/passkeys/{key.id}/remove"
    assert browser.post(path, {}, form_page="/account").status_code == 400
    assert browser.post(path, {"current_password": "guess"}, form_page="/account").status_code == 400
    assert [p.id for p in store.passkeys(r, made.user)] == [key.id]
    assert browser.post(path, {"current_password": PASSWORD}, form_page="/account").status_code == 200
    assert store.passkeys(r, made.user) == []


def _passkey_member(app, name: str) -> tuple[Pages, store.Account, list[SoftPasskey]]:
    """test_hostile_f's passkey-only member, with a second passkey of its own."""
    browser, made, key = hostile_f._passkey_member(app, name)
    other = SoftPasskey()
    store.add_passkey(app.extensions["kadun"].redis, made.user, other.stored())
    return browser, made, [key, other]


def _check(browser: Pages, key: SoftPasskey) -> dict:
    """A passkey check by ``key``, as the form's hidden fields carry it."""
    made = hostile_f._check(browser)
    return {"ceremony": made["ceremony"], "credential": json.dumps(key.answer(made["options"]))}


def test_an_old_session_of_a_passkey_only_account_answers_a_passkey_check(hosted_app):
    r = hosted_app.extensions["kadun"].redis
    browser, made, (mine, other) = _passkey_member(hosted_app, "old_nopw")
    _age(r, _session_id(browser), 30)
    page = browser.get("/account").get_data(as_text=True)
    assert 'id="pairing-form" data-passkey="1"' in page  # the page's script makes the check on the button
    before = _codes(r)
    refused = browser.post("/account/pairing-code", {}, form_page="/account")
    assert refused.status_code == 400 and "通行密钥确认" in refused.get_data(as_text=True) and _codes(r) == before
    stranger = SoftPasskey()
    assert browser.post("/account/pairing-code", _check(browser, stranger), form_page="/account").status_code == 400
    assert _codes(r) == before
    paired = browser.post("/account/pairing-code", _check(browser, mine), form_page="/account")
    assert paired.status_code == 200 and _codes(r) == before + 1
    # Stripping the owner's other passkey: the same check.
    path = f"/account/passkeys/{other.id}/remove"
    assert browser.post(path, {}, form_page="/account").status_code == 400
    assert len(store.passkeys(r, made.user)) == 2
    assert browser.post(path, _check(browser, mine), form_page="/account").status_code == 200
    assert [p.id for p in store.passkeys(r, made.user)] == [mine.id]
