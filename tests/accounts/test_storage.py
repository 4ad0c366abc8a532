"""The accounts storage model (server/storage/accounts.py) on the real Redis, and what deleting a
user means for it: the deletion is ``server.rights.delete_user`` (the user leaves ``kadun:users``
first, ``accounts.erase_account`` removes the account's service-wide pointers, the user's
``{u:<user>}`` keys go last); these tests hold the account side of it."""
from __future__ import annotations

import pytest

from server.accounts import grants
from server.rights import delete_user
from server.storage import accounts, devices, keys, signins

from ..hosted.world import keyspace
from .conftest import Pages

PASSWORD = "correct horse battery staple"


def test_key_names_carry_the_users_hash_tag_or_a_digest():
    user = "usr_0123456789abcdef"
    for name in (keys.account(user), keys.account_passkeys(user), keys.account_sessions(user)):
        assert name.startswith("kadun:{u:usr_0123456789abcdef}:")
    # Values from outside (a name, a credential id) never appear raw in a service-wide key.
    assert keys.account_name("a:b") == "kadun:account-name:~" + keys.account_name("a:b").split("~")[1]
    assert ":" not in keys.passkey_owner("x" * 64).removeprefix("kadun:passkey:")


def test_usernames_are_unique_by_their_comparison_form(redis_client):
    first = accounts.create(redis_client, "Ａlice", password_hash=None)
    assert first.username == "Alice" and first.name_key == "alice"
    with pytest.raises(accounts.NameTaken):
        accounts.create(redis_client, "ALICE", password_hash=None)
    assert accounts.find_by_name(redis_client, "alice").user == first.user
    # A sign-up that lost its name leaves no user behind.
    assert redis_client.scard(keys.users()) == 1


def test_a_deleted_users_name_is_free_again_and_their_pointers_name_no_one(redis_client):
    account = accounts.create(redis_client, "bob", password_hash=None)
    accounts.add_passkey(redis_client, account.user, accounts.Passkey(id="Y3JlZA", public_key="cGs", sign_count=0,
                                                                       created_at="2026-12-06T00:00:00+08:00"))
    session = signins.create_session(redis_client, account.user, "passkey", 600)
    redis_client.srem(keys.users(), account.user)  # the deletion's first step alone
    assert signins.session_for(redis_client, session) is None
    assert accounts.find_by_name(redis_client, "bob") is None
    assert accounts.passkey_owner(redis_client, "Y3JlZA") is None
    # Even a pointer left behind does not stop someone else from taking the name.
    again = accounts.create(redis_client, "BOB", password_hash=None)
    assert accounts.find_by_name(redis_client, "bob").user == again.user != account.user


def test_erasing_an_account_leaves_no_key_that_names_it(redis_client):
    account = accounts.create(redis_client, "carol", password_hash="$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA",
                              email="carol@example.cn")
    accounts.add_passkey(redis_client, account.user, accounts.Passkey(id="Y2Fyb2w", public_key="cGs", sign_count=3,
                                                                       created_at="2026-12-06T00:00:00+08:00"))
    for _ in range(2):
        signins.create_session(redis_client, account.user, "password", 600)
    devices.create(redis_client, account.user, "laptop", kind="account")
    # Still pending when the account goes: a passkey being added and an extension sign-in's code.
    signins.save_ceremony(redis_client, {"purpose": "add", "user": account.user, "username": "carol"}, 600)
    request = grants.Request(redirect_uri="https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/",
                             state="state-123", code_challenge="x" * 43, device="laptop", browser="chrome",
                             extension_id="abcdefghijklmnopabcdefghijklmnop")
    grants.grant(redis_client, request, account.user)
    other = accounts.create(redis_client, "dave", password_hash=None)
    others_code = grants.grant(redis_client, request, other.user)
    delete_user(redis_client, account.user)
    left = keyspace(redis_client)
    assert not [k for k in left if account.user.encode() in k or b"carol" in k]
    assert not [k for k, parts in left.items() if any(account.user.encode() in p or b"carol" in p for p in parts)]
    # Someone else's account and pending sign-in are untouched.
    assert accounts.find_by_name(redis_client, "dave").user == other.user
    code = others_code.split("code=")[1].split("&")[0]
    assert signins.take_grant(redis_client, code)["user"] == other.user


def test_a_deleted_user_is_signed_out_everywhere_at_once(hosted_app):
    """The account pages' session, a password sign-in, a passkey and the extension's device token."""
    r = hosted_app.extensions["kadun"].redis
    browser = Pages(hosted_app)
    browser.sign_up("erin", PASSWORD)
    user = accounts.find_by_name(r, "erin").user
    token, _ = devices.create(r, user, "Chromium", kind="account")
    assert browser.get("/account").status_code == 200
    delete_user(r, user)
    assert browser.get("/account").status_code == 302
    assert Pages(hosted_app).sign_in("erin", PASSWORD).status_code == 401
    api = hosted_app.test_client()
    assert api.get("/v1/snapshots", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    # The name can be had again, by someone else.
    assert Pages(hosted_app).sign_up("erin", PASSWORD + " 2").status_code == 303


def test_single_use_secrets_are_single_use(redis_client):
    ceremony = signins.save_ceremony(redis_client, {"challenge": "abc"}, 60)
    assert signins.take_ceremony(redis_client, ceremony) == {"challenge": "abc"}
    assert signins.take_ceremony(redis_client, ceremony) is None
    user = accounts.create(redis_client, "single-" + accounts.new_user_id()[4:12], password_hash=None).user  # a live user
    code = signins.save_grant(redis_client, {"user": user}, 60)
    assert signins.take_grant(redis_client, code) == {"user": user}
    assert signins.take_grant(redis_client, code) is None
    # Only digests are stored: the secret itself appears in no key.
    assert not [k for k in redis_client.scan_iter() if code.encode() in k or ceremony.encode() in k]
