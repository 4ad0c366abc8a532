"""Attack round f on hosted accounts: usernames that pass for another (look-alike letters of
another script, invisible or blank characters, confusables of a name already taken), and deleting
an account without a password on the strength of its session alone."""
from __future__ import annotations

import json
import threading

import pytest

from server.accounts.passwords import Passwords
from server.accounts.service import AccountRefused, Accounts, UsernameUnavailable, look_key
from server.storage import accounts as store
from server.web.account.session import CSRF_HEADER

from .conftest import Pages, hosted_config
from .softkey import SoftPasskey

PASSWORD = "correct horse battery staple"


@pytest.mark.parametrize(("username", "reason_text"), [
    ("p\u0430ypal", "混用"),                 # Cyrillic а among Latin
    ("\u0440aypal", "混用"),                 # Cyrillic р
    ("admin\u03bf", "混用"),                 # Greek omicron
    ("bob\u3164", "看不见"),                 # Hangul filler (a "letter" to isalnum)
    ("\u115fbob", "看不见"),                 # Hangul choseong filler
    ("\uffa0bob", "看不见"),                 # half-width Hangul filler
    ("bob\u2800", "看不见"),                 # braille blank
    ("bo\u200db", "看不见"),                 # zero-width joiner
    ("bo\u200bb", "看不见"),                 # zero-width space
    ("\u202ebob", "看不见"),                 # right-to-left override
    ("bob\u2066x", "看不见"),                # bidi isolate
    ("bob\ufe0f", "看不见"),                 # variation selector
    ("\u3164\u3164\u3164", "看不见"),        # a name of nothing
], ids=["cyrillic-a", "cyrillic-r", "greek-o", "hangul-filler", "choseong-filler", "halfwidth-filler",
        "braille-blank", "zwj", "zwsp", "rlo", "lri", "vs16", "only-fillers"])
def test_names_that_hide_or_mix_letters_are_refused_with_their_rule(hosted_app, username, reason_text):
    answer = Pages(hosted_app).sign_up(username, PASSWORD)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 400 and reason_text in text
    assert not list(hosted_app.extensions["kadun"].redis.scan_iter(match="kadun:account-name:*"))


@pytest.mark.parametrize(("taken", "look_alike"), [
    ("paypal", "PAYPAI"),          # capital I for l
    ("paypal", "paypa1"),          # digit one for l
    ("bob_0", "BOB_O"),            # zero for O
    ("coco", "\u0441\u043e\u0441\u043e"),   # all Cyrillic: с о с о
    ("abe", "\u0391\u0392\u0395"),          # all Greek capitals: Α Β Ε
    ("mary", "rnary"),             # r n for m
    ("口袋鼠", "ロ袋鼠"),             # katakana ro for Han kou
    ("alice", "ａlice"),           # full-width (NFKC) and the same name
], ids=["I-for-l", "1-for-l", "0-for-O", "cyrillic-word", "greek-word", "rn-for-m", "katakana-for-han", "fullwidth"])
def test_a_look_alike_of_a_taken_name_is_taken(hosted_app, taken, look_alike):
    assert Pages(hosted_app).sign_up(taken, PASSWORD).status_code == 303
    answer = Pages(hosted_app).sign_up(look_alike, PASSWORD + "!")
    assert answer.status_code == 409 and "这个用户名不可用" in answer.get_data(as_text=True)
    pages = Pages(hosted_app)
    options = pages.client.post("/account/signup/passkey/options", json={"username": look_alike},
                                base_url="https://localhost", headers={CSRF_HEADER: pages.token()})
    assert options.status_code == 409 and options.get_json()["reason"] == "username_unavailable", options.get_json()


@pytest.mark.parametrize("username", ["张三abc", "用户_01", "ユーザー名", "Müller", "иван", "Ἀθηνᾶ", "김철수2026",
                                      "Wang.Wei-88"])
def test_ordinary_names_of_every_script_still_sign_up(hosted_app, username):
    pages = Pages(hosted_app)
    assert pages.sign_up(username, PASSWORD).status_code == 303
    assert pages.get("/account").status_code == 200


def test_the_english_page_names_the_rule(hosted_app):
    pages = Pages(hosted_app)
    answer = pages.post(
        "/account/signup", {"username": "bob\u3164", "password": PASSWORD, "password2": PASSWORD},
        headers={"Accept-Language": "en"})
    assert answer.status_code == 400 and "invisible or blank" in answer.get_data(as_text=True)


def test_accounts_made_before_the_rule_keep_signing_in_and_hold_their_look(redis_client, data_dir):
    """Accounts from before: a mixed-script name still signs in, and once the app has started on
    the storage, a look-alike of an old name is taken."""
    from server import create_app

    config = hosted_config(redis_client, data_dir)
    hashed = Passwords.from_config(config).hash(PASSWORD)
    old_mixed = store.create(redis_client, "p\u0430ypal", password_hash=hashed)   # made before the rule
    old_plain = store.create(redis_client, "PayPal1", password_hash=hashed)
    assert old_plain.look_key is None
    app = create_app(config)
    assert store.get(redis_client, old_plain.user).look_key == look_key("PayPal1")
    for name, made in (("p\u0430ypal", old_mixed), ("paypal1", old_plain)):
        pages = Pages(app)
        assert pages.sign_in(name, PASSWORD).status_code == 303, name
        assert made.username in pages.get("/account").get_data(as_text=True)
    answer = Pages(app).sign_up("PAYPALl", PASSWORD)   # looks like PayPal1
    assert answer.status_code == 409
    # The index runs once: a second start does no work.
    assert store.index_look_keys(redis_client, "v1", look_key) == 0


def test_two_look_alike_sign_ups_at_once_make_one_account(redis_client):
    service = Accounts(redis_client, Passwords(time_cost=1, memory_kib=8192, parallelism=1))
    for round_ in range(6):
        names = [f"coco{round_}", "\u0441\u043e\u0441\u043e" + str(round_) if round_ % 2 else f"COCO{round_}".replace("O", "0")]
        start, results = threading.Barrier(2), []

        def sign_up(name, start=start, results=results):
            start.wait()
            try:
                results.append(service.sign_up(name, None))
            except (UsernameUnavailable, AccountRefused) as error:
                results.append(error)
        threads = [threading.Thread(target=sign_up, args=(n,)) for n in names]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        made = [x for x in results if isinstance(x, store.Account)]
        assert len(made) == 1 and isinstance([x for x in results if x not in made][0], UsernameUnavailable), results
        assert len(list(redis_client.scan_iter(match="kadun:account-name:*"))) == round_ + 1


def test_deleting_an_account_frees_its_look_and_leaves_no_pointer(hosted_app):
    from server.rights import delete_user

    r = hosted_app.extensions["kadun"].redis
    assert Pages(hosted_app).sign_up("coco", PASSWORD).status_code == 303
    made = store.find_by_name(r, "coco")
    assert list(r.scan_iter(match="kadun:account-look:*"))
    delete_user(r, made.user)
    assert not list(r.scan_iter(match="kadun:account-look:*"))
    assert Pages(hosted_app).sign_up("\u0441\u043e\u0441\u043e", PASSWORD).status_code == 303


# --- deleting an account without a password needs a fresh passkey check ----------------------------
def _passkey_member(app, name: str) -> tuple[Pages, store.Account, SoftPasskey]:
    from server.storage import signins

    r = app.extensions["kadun"].redis
    made = store.create(r, name, password_hash=None)
    key = SoftPasskey()
    store.add_passkey(r, made.user, key.stored())
    browser = Pages(app)
    session_id = signins.create_session(r, made.user, "passkey", 600)
    with browser.client.session_transaction(base_url="https://localhost") as cookie:
        cookie["sid"] = session_id
    return browser, made, key


def _check(browser: Pages) -> dict:
    answer = browser.client.post("/account/confirm/passkey/options", json={}, base_url="https://localhost",
                                 headers={CSRF_HEADER: browser.token("/account")})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def _delete(browser: Pages, name: str, ceremony: str = "", credential: dict | None = None):
    form = {"confirm": name}
    if ceremony:
        form["ceremony"] = ceremony
    if credential is not None:
        form["credential"] = json.dumps(credential)
    return browser.post("/account/delete", form, form_page="/account")


def test_a_passkey_only_account_is_not_deleted_by_its_session_and_username_alone(hosted_app):
    r = hosted_app.extensions["kadun"].redis
    browser, made, _ = _passkey_member(hosted_app, "nopw_f")
    page = browser.get("/account").get_data(as_text=True)
    assert 'data-passkey="1"' in page and 'id="delete_credential"' in page
    answer = _delete(browser, "nopw_f")
    assert answer.status_code == 400 and "通行密钥确认" in answer.get_data(as_text=True)
    assert store.get(r, made.user) is not None


def test_a_fresh_passkey_check_deletes_it_and_leaves_nothing(hosted_app):
    r = hosted_app.extensions["kadun"].redis
    browser, made, key = _passkey_member(hosted_app, "nopw_ok")
    started = _check(browser)
    assert [c["id"] for c in started["options"]["allowCredentials"]] == [key.id]
    answer = _delete(browser, "nopw_ok", started["ceremony"], key.answer(started["options"]))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert store.get(r, made.user) is None
    assert not [k for k in r.scan_iter() if made.user.encode() in k]


def test_a_stale_check_a_sign_in_ceremony_or_a_check_without_user_verification_deletes_nothing(hosted_app):
    r = hosted_app.extensions["kadun"].redis
    browser, made, key = _passkey_member(hosted_app, "nopw_stale")
    stale = _check(browser)
    for pending in r.scan_iter(match="kadun:webauthn:*"):   # five minutes later: the challenge is gone
        r.delete(pending)
    answer = _delete(browser, "nopw_stale", stale["ceremony"], key.answer(stale["options"]))
    assert answer.status_code == 400 and "已过期" in answer.get_data(as_text=True)
    signin = browser.client.post("/account/signin/passkey/options", json={}, base_url="https://localhost",
                                 headers={CSRF_HEADER: browser.token("/account")}).get_json()
    answer = _delete(browser, "nopw_stale", signin["ceremony"], key.answer(signin["options"]))
    assert answer.status_code == 400 and "已过期" in answer.get_data(as_text=True)
    unverified = _check(browser)
    answer = _delete(browser, "nopw_stale", unverified["ceremony"], key.answer(unverified["options"], user_verified=False))
    assert answer.status_code == 400 and "通行密钥验证没有通过" in answer.get_data(as_text=True)
    broken = _check(browser)
    answer = _delete(browser, "nopw_stale", broken["ceremony"], {"id": key.id})
    assert answer.status_code == 400
    garbage = _check(browser)
    answer = browser.post("/account/delete", {"confirm": "nopw_stale", "ceremony": garbage["ceremony"],
                                              "credential": "{not json"}, form_page="/account")
    assert answer.status_code == 400
    assert store.get(r, made.user) is not None


def test_another_accounts_passkey_or_check_does_not_delete_this_one(hosted_app):
    r = hosted_app.extensions["kadun"].redis
    mine, me, my_key = _passkey_member(hosted_app, "nopw_me")
    theirs, them, their_key = _passkey_member(hosted_app, "nopw_them")
    # Their passkey answering a check made for me.
    started = _check(mine)
    answer = _delete(mine, "nopw_me", started["ceremony"], their_key.answer(started["options"]))
    assert answer.status_code == 400 and "不属于这个账户" in answer.get_data(as_text=True)
    # A check made for them, answered with their passkey (an attacker's own), sent with my session.
    made_for_them = _check(theirs)
    answer = _delete(mine, "nopw_me", made_for_them["ceremony"], their_key.answer(made_for_them["options"]))
    assert answer.status_code == 400
    assert store.get(r, me.user) is not None and store.get(r, them.user) is not None


def test_the_check_needs_a_sign_in_and_the_token(hosted_app):
    browser, _, _ = _passkey_member(hosted_app, "nopw_csrf")
    no_token = browser.client.post("/account/confirm/passkey/options", json={}, base_url="https://localhost")
    assert no_token.status_code == 403 and no_token.get_json()["reason"] == "csrf"
    stranger = Pages(hosted_app)
    signed_out = stranger.client.post("/account/confirm/passkey/options", json={}, base_url="https://localhost",
                                      headers={CSRF_HEADER: stranger.token()})
    assert signed_out.status_code == 401 and signed_out.get_json()["reason"] == "signin_needed"


def _add_options(browser: Pages, body: dict):
    return browser.client.post("/account/passkeys/options", data=json.dumps(body), content_type="application/json",
                               base_url="https://localhost", headers={CSRF_HEADER: browser.token("/account")})


def test_a_session_alone_cannot_give_a_passkey_only_account_a_password_or_a_passkey(hosted_app):
    """The ways around the deletion's check: a stolen session sets a password (then deletes with it,
    or signs in with it for good), or plants its own passkey (then answers the check with it).
    Both now need the check themselves."""
    r = hosted_app.extensions["kadun"].redis
    browser, made, key = _passkey_member(hosted_app, "nopw_ways")
    new = {"password": "a thief's passphrase 1", "password2": "a thief's passphrase 1"}
    refused = browser.post("/account/password", new, form_page="/account")
    assert refused.status_code == 400 and "通行密钥确认" in refused.get_data(as_text=True)
    assert store.get(r, made.user).password is None
    planted = _add_options(browser, {})
    assert planted.status_code == 400 and planted.get_json()["reason"] == "passkey_confirm_needed"
    foreign = SoftPasskey()
    check = _check(browser)
    assert _add_options(browser, {"ceremony": check["ceremony"],
                                  "credential": foreign.answer(check["options"])}).status_code == 400
    # With a check by the account's own passkey, both go.
    check = _check(browser)
    assert _add_options(browser, {"ceremony": check["ceremony"],
                                  "credential": key.answer(check["options"])}).status_code == 200
    check = _check(browser)
    answer = browser.post("/account/password", {**new, "ceremony": check["ceremony"],
                                                 "credential": json.dumps(key.answer(check["options"]))},
                          form_page="/account")
    assert answer.status_code == 200 and store.get(r, made.user).password is not None


def test_adding_a_passkey_to_an_account_with_a_password_asks_for_it(hosted_app):
    pages = Pages(hosted_app)
    assert pages.sign_up("pw_add_f", PASSWORD).status_code == 303
    page = pages.get("/account").get_data(as_text=True)
    assert 'id="passkey_add_password"' in page
    assert _add_options(pages, {}).get_json()["reason"] == "password_wrong"
    assert _add_options(pages, {"current_password": "not it at all"}).status_code == 400
    fine = _add_options(pages, {"current_password": PASSWORD})
    assert fine.status_code == 200 and fine.get_json()["options"]["challenge"]


@pytest.mark.parametrize("guess", ["\ud800", "\udfff\ud800", PASSWORD + "\udc80"])
def test_a_password_with_a_lone_surrogate_is_a_wrong_password_not_a_crash(hosted_app, guess):
    """JSON can carry "\\ud800", which no UTF-8 encoder takes (found by the route walk)."""
    pages = Pages(hosted_app)
    assert pages.sign_up("surrogate_f", PASSWORD).status_code == 303
    answer = _add_options(pages, {"current_password": guess})
    assert answer.status_code == 400 and answer.get_json()["reason"] == "password_wrong"


def test_the_older_accounts_index_waits_for_the_storage_and_runs_at_the_first_sign_up(redis_client, data_dir):
    """A start with the storage unreachable still starts (requests answer 503 until it is back);
    the index of older accounts then runs at the first sign-up."""
    from server import create_app
    from server.storage.redis import connect

    down = connect("redis://127.0.0.1:9/0")   # the discard port: nothing answers
    create_app(hosted_config(down, data_dir, SECRET_KEY="x" * 48))
    app = create_app(hosted_config(redis_client, data_dir))
    redis_client.delete("kadun:account-look-indexed:v1")   # as if this start had found the storage down
    made = store.create(redis_client, "PayPal1", password_hash=None)   # an older account
    assert made.look_key is None and not list(redis_client.scan_iter(match="kadun:account-look:*"))
    answer = Pages(app).sign_up("PAYPALl", PASSWORD)
    assert answer.status_code == 409
