"""Attack round d on hosted accounts: writes that race. Each test lands the other write inside the
step under test (a proxy of the Redis client runs it just before the step's first call), so the
race is met every time, not by luck; the outcome must be the one a sequential order would give."""
from __future__ import annotations

import threading

from server.accounts.passwords import Passwords
from server.accounts.service import Accounts
from server.rights.erase import delete_user
from server.storage import accounts as store
from server.storage import erasure, keys, signins

from .conftest import Pages


class _Racing:
    """``r`` that runs ``other()`` once, just before (or with ``after``, just after) the first call
    named in ``on``."""

    def __init__(self, r, on: tuple[str, ...], other, after: bool = False):
        self.r, self.on, self.other, self.after, self.done = r, on, other, after, False

    def __getattr__(self, name):
        attr = getattr(self.r, name)
        if name not in self.on or self.done:
            return attr

        def call(*args, **kwargs):
            if self.done:
                return attr(*args, **kwargs)
            self.done = True
            if not self.after:
                self.other()
                return attr(*args, **kwargs)
            answer = attr(*args, **kwargs)
            self.other()
            return answer
        return call


def _passkey(cid: str) -> store.Passkey:
    return store.Passkey(id=cid, public_key="pQECAyYgASFYIA", sign_count=0, name=cid, created_at="2026-12-01T00:00:00+08:00")


def test_a_sign_in_finishing_as_its_passkey_is_removed_does_not_bring_it_back(hosted_app):
    r = hosted_app.extensions["kadun"].redis
    made = store.create(r, "pk_race", password_hash=None)
    for cid in ("key-one", "key-two"):
        store.add_passkey(r, made.user, _passkey(cid))
    racing = _Racing(r, ("hget", "eval", "evalsha"), lambda: store.remove_passkey(r, made.user, "key-one"), after=True)
    store.passkey_used(racing, made.user, "key-one", 7)
    assert [p.id for p in store.passkeys(r, made.user)] == ["key-two"]


def test_a_sign_in_finishing_as_the_account_is_deleted_leaves_nothing(hosted_app):
    r = hosted_app.extensions["kadun"].redis
    made = store.create(r, "pk_gone", password_hash=None)
    store.add_passkey(r, made.user, _passkey("key-one"))
    racing = _Racing(r, ("hget", "eval", "evalsha"), lambda: delete_user(r, made.user), after=True)
    store.passkey_used(racing, made.user, "key-one", 7)
    assert not erasure.user_exists(r, made.user)
    assert [k for k in r.scan_iter(f"{keys.user_prefix(made.user)}*")] == []


def test_a_rehash_at_sign_in_never_undoes_a_password_change(hosted_app):
    """Signing in with the old password upgrades its hash; the change of password made meanwhile
    (in another browser, perhaps because the old one leaked) must stay."""
    r = hosted_app.extensions["kadun"].redis
    passwords = Passwords(1, 8192, 1)
    service = Accounts(r, passwords)
    user = service.sign_up("rehash_race", "old-password-1234", None).user
    passwords.needs_rehash = lambda stored: True  # parameters grew since the hash was made
    racing = Accounts(_Racing(r, ("set", "eval", "evalsha"),
                              lambda: service.change_password(user, "old-password-1234", "new-password-5678")),
                      passwords)
    assert racing.authenticate("rehash_race", "old-password-1234") is not None
    assert service.authenticate("rehash_race", "new-password-5678") is not None
    assert service.authenticate("rehash_race", "old-password-1234") is None


def test_removing_two_passkeys_at_once_never_leaves_an_account_without_a_way_in(hosted_app, monkeypatch):
    """A passkey-only account with two passkeys, each removed from its own browser at the same
    moment: both saw two and went on; one removal must be refused (409), one passkey stay."""
    r = hosted_app.extensions["kadun"].redis
    made = store.create(r, "pk_two", password_hash=None)
    for cid in ("key-one", "key-two"):
        store.add_passkey(r, made.user, _passkey(cid))
    browsers = []
    for _ in range(2):
        browser = Pages(hosted_app)
        session_id = signins.create_session(r, made.user, "passkey", 600)
        with browser.client.session_transaction(base_url="https://localhost") as cookie:
            cookie["sid"] = session_id
        browsers.append((browser, browser.token("/account")))
    from server.web.account import views

    both_read = threading.Barrier(2, timeout=20)
    real = views.store.passkeys

    def passkeys_then_wait(r_, user):
        found = real(r_, user)
        both_read.wait()
        return found

    monkeypatch.setattr(views.store, "passkeys", passkeys_then_wait)
    answers = [None, None]

    def remove(i: int, cid: str):
        browser, token = browsers[i]
        answers[i] = browser.client.post(f"/account/passkeys/{cid}/remove", data={"csrf_token": token},
                                         base_url="https://localhost").status_code

    threads = [threading.Thread(target=remove, args=(0, "key-one")), threading.Thread(target=remove, args=(1, "key-two"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    monkeypatch.setattr(views.store, "passkeys", real)
    assert sorted(answers) == [200, 409], answers
    assert len(store.passkeys(r, made.user)) == 1
