"""The account pages in hosted mode: sign up, sign in and out, the account's devices and data, the
password, the pairing-code fallback; Chinese first, English on request; local mode unchanged."""
from __future__ import annotations

import pytest

from tests.conftest import capture_body

from .conftest import Pages

PASSWORD = "correct horse battery staple"


def test_local_mode_has_no_account_pages(client):
    assert client.get("/account/signin").status_code == 404
    assert client.post("/v1/account/token", json={"code": "x", "code_verifier": "y" * 43}).status_code == 404


def test_a_mode_that_is_neither_is_refused(redis_client, data_dir):
    from server import create_app

    with pytest.raises(ValueError, match="KADUN_MODE"):
        create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(data_dir), "MODE": "cloud"})


def test_sign_up_signs_in_and_shows_the_account_in_chinese(pages):
    assert pages.get("/account").headers["Location"].startswith("/account/signin?next=")
    response = pages.sign_up("小明_01", PASSWORD, "xm@example.cn")
    assert response.status_code == 303 and response.headers["Location"] == "/account"
    home = pages.get("/account")
    text = home.get_data(as_text=True)
    assert home.status_code == 200 and 'lang="zh-CN"' in text
    assert "已登录：小明_01" in text and "0 份存证，0 个纠纷" in text and "还没有设备" in text
    cookie = pages.cookie()
    assert cookie is not None and cookie.secure and cookie.http_only and cookie.same_site == "Lax"
    assert cookie.path == "/" and not cookie.domain.startswith(".")


def test_english_on_request_and_for_browsers_without_chinese(hosted_app):
    english = Pages(hosted_app).get("/account/signin", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Sign in to KaDun" in english.get_data(as_text=True)
    chinese = Pages(hosted_app).get("/account/signin", headers={"Accept-Language": "en-US,zh-TW;q=0.5"})
    assert "登录卡盾" in chinese.get_data(as_text=True)
    assert "登录卡盾" in Pages(hosted_app).get("/account/signin").get_data(as_text=True)  # no preference: Chinese
    # The reader's choice (the link at the top) is kept for the next pages, whatever the browser says.
    chooser = Pages(hosted_app)
    assert 'lang="en"' in chooser.get("/account/signin?lang=en").get_data(as_text=True)
    later = chooser.get("/account/signup", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert 'lang="en"' in later and "Create a KaDun account" in later


def test_sign_in_and_out(hosted_app):
    Pages(hosted_app).sign_up("alice", PASSWORD)
    browser = Pages(hosted_app)
    wrong = browser.sign_in("alice", "not the password at all")
    assert wrong.status_code == 401 and "用户名或密码错误" in wrong.get_data(as_text=True)
    # Names compare NFKC and case-folded: full-width capitals are the same name.
    ok = browser.sign_in("ＡＬＩＣＥ", PASSWORD)
    assert ok.status_code == 303 and ok.headers["Location"] == "/account"
    assert browser.get("/account").status_code == 200
    out = browser.post("/account/signout", {}, form_page="/account")
    assert out.status_code == 303
    assert browser.get("/account").status_code == 302


def test_sign_in_goes_back_to_where_it_was_asked_for_and_nowhere_else(hosted_app):
    Pages(hosted_app).sign_up("bob_1", PASSWORD)
    browser = Pages(hosted_app)
    back = browser.post("/account/signin", {"username": "bob_1", "password": PASSWORD, "next": "/account/?x=1"})
    assert back.headers["Location"] == "/account/?x=1"
    for outside in ("https://evil.example/", "//evil.example/account", "/v1/snapshots", "/account\\@evil"):
        other = Pages(hosted_app)
        answer = other.post("/account/signin", {"username": "bob_1", "password": PASSWORD, "next": outside})
        assert answer.headers["Location"] == "/account", outside


@pytest.mark.parametrize(("username", "password", "reason_text"), [
    ("ab", PASSWORD, "3–32 个字符"),
    ("a" * 33, PASSWORD, "3–32 个字符"),
    ("has space", PASSWORD, "只能包含"),
    ("<script>", PASSWORD, "只能包含"),
    ("carol", "short", "8–128"),
    ("carol", "12345678", "太常见"),
    ("carol", "aaaaaaaaaa", "太常见"),
    ("carol_carol", "Carol_Carol", "不能和用户名相同"),
], ids=["short-name", "long-name", "space", "markup", "short-password", "common", "one-char", "same-as-name"])
def test_sign_up_refusals_name_the_rule(pages, username, password, reason_text):
    response = pages.sign_up(username, password)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert reason_text in text and "<script>" not in text.split("<main>")[1].split("value=")[0]


def test_a_taken_username_and_mismatched_passwords(hosted_app):
    Pages(hosted_app).sign_up("dave", PASSWORD)
    taken = Pages(hosted_app).sign_up("DAVE", PASSWORD + "!")
    assert taken.status_code == 409 and "这个用户名不可用" in taken.get_data(as_text=True)
    pages = Pages(hosted_app)
    mismatch = pages.post("/account/signup", {"username": "erin", "password": PASSWORD, "password2": PASSWORD + "x"})
    assert mismatch.status_code == 400 and "不一致" in mismatch.get_data(as_text=True)
    bad_mail = pages.sign_up("erin", PASSWORD, email="not an address")
    assert bad_mail.status_code == 400 and "电子邮箱" in bad_mail.get_data(as_text=True)


def test_malformed_forms_are_refused_plainly(pages):
    too_long = pages.post("/account/signup", {"username": "x" * 500, "password": PASSWORD, "password2": PASSWORD})
    assert too_long.status_code == 400 and "表单内容有误" in too_long.get_data(as_text=True)
    missing = pages.post("/account/signin", {"username": "someone"})
    assert missing.status_code == 401 and "用户名或密码错误" in missing.get_data(as_text=True)


def test_the_account_lists_devices_and_captures_and_revokes_a_device(hosted_app):
    from server.storage import accounts, devices

    pages = Pages(hosted_app)
    pages.sign_up("frank", PASSWORD)
    r = hosted_app.extensions["kadun"].redis
    user = accounts.find_by_name(r, "frank").user
    token, device = devices.create(r, user, "Chromium (KaDun 0.1.0)", kind="account")
    auth = {"Authorization": f"Bearer {token}"}
    api = hosted_app.test_client()
    stored = api.post("/v1/snapshots", json=capture_body("dujiaoka-unicorn-order.html",
                                                         "https://faka.lanyue.top/detail-order-sn/4KQ8ZP2M7XH3N9TD"),
                      headers=auth)
    assert stored.status_code == 201, stored.get_json()
    text = pages.get("/account").get_data(as_text=True)
    assert "1 份存证，0 个纠纷" in text and "lanyue.top · 订单页" in text
    assert "Chromium (KaDun 0.1.0)" in text and "浏览器扩展（账户登录）" in text
    listed = text.split('id="capture-list"')[1].split("</ul>")[0]
    assert stored.get_json()["id"] in listed and ">order<" not in listed and "account<" not in text

    revoked = pages.post(f"/account/devices/{device.id}/revoke", {}, form_page="/account")
    assert revoked.status_code == 200 and "已移除：Chromium (KaDun 0.1.0)" in revoked.get_data(as_text=True)
    assert api.get("/v1/snapshots", headers=auth).status_code == 401
    # Another account's device is not this account's to remove.
    other_token, other_device = devices.create(r, "usr_someoneelse00", "theirs")
    assert pages.post(f"/account/devices/{other_device.id}/revoke", {}, form_page="/account").status_code == 404
    assert devices.for_token(r, other_token) is not None


def test_a_pairing_code_from_the_account_pairs_to_that_account(hosted_app):
    from server.storage import accounts

    pages = Pages(hosted_app)
    pages.sign_up("grace", PASSWORD)
    page = pages.post("/account/pairing-code", {}, form_page="/account").get_data(as_text=True)
    code = page.split('id="pairing-code">')[1].split("<")[0]
    paired = hosted_app.test_client().post("/v1/pair", json={"code": code, "device": "phone"})
    assert paired.status_code == 201
    r = hosted_app.extensions["kadun"].redis
    assert paired.get_json()["user"] == accounts.find_by_name(r, "grace").user


def test_changing_the_password_signs_other_browsers_out(hosted_app):
    first, second = Pages(hosted_app), Pages(hosted_app)
    first.sign_up("heidi", PASSWORD)
    second.sign_in("heidi", PASSWORD)
    wrong = first.post("/account/password", {"current_password": "nope nope nope", "password": "a new passphrase",
                                             "password2": "a new passphrase"}, form_page="/account")
    assert wrong.status_code == 400 and "当前密码不正确" in wrong.get_data(as_text=True)
    changed = first.post("/account/password", {"current_password": PASSWORD, "password": "a new passphrase",
                                               "password2": "a new passphrase"}, form_page="/account")
    assert changed.status_code == 200 and "密码已修改" in changed.get_data(as_text=True)
    assert first.get("/account").status_code == 200
    assert second.get("/account").status_code == 302
    assert Pages(hosted_app).sign_in("heidi", PASSWORD).status_code == 401
    assert Pages(hosted_app).sign_in("heidi", "a new passphrase").status_code == 303


def test_pages_carry_a_strict_policy(pages):
    response = pages.get("/account/signin")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "form-action 'self'" in policy
    assert response.headers["X-Frame-Options"] == "DENY" and response.headers["Cache-Control"] == "no-store"
    assert pages.get("/account/static/account.js").status_code == 200


def test_plain_http_is_sent_to_https_except_on_loopback(hosted_app):
    from server import create_app

    app = create_app({**hosted_app.config, "ALLOWED_HOSTS": ["kadun.example.org"]})
    client = app.test_client()
    response = client.get("/account/signin", base_url="http://kadun.example.org")
    assert response.status_code == 308 and response.headers["Location"].startswith("https://kadun.example.org/")
    assert client.post("/account/signin", data={}, base_url="http://kadun.example.org").status_code == 400
    assert client.get("/account/signin", base_url="https://kadun.example.org").status_code == 200
    assert client.get("/account/signin", base_url="http://localhost").status_code == 200


def test_proxy_headers_count_only_when_configured(hosted_app):
    from server import create_app

    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "kadun.example.org", "X-Forwarded-For": "203.0.113.9"}
    untrusting = create_app({**hosted_app.config, "ALLOWED_HOSTS": ["kadun.example.org"]}).test_client()
    assert untrusting.get("/account/signin", base_url="http://kadun.example.org",
                          headers=forwarded).status_code == 308
    trusting = create_app({**hosted_app.config, "ALLOWED_HOSTS": ["kadun.example.org"], "PROXY_COUNT": 1})
    response = trusting.test_client().get("/account/signin", base_url="http://10.0.0.5", headers=forwarded)
    assert response.status_code == 200 and response.headers["Strict-Transport-Security"]


@pytest.mark.parametrize("path", ["/account/pairing-code", "/account/export", "/account/delete", "/account/signout",
                                  "/account/password", "/account/devices/dev_x/revoke"])
def test_a_forms_address_opened_again_leads_to_the_account_page(hosted_app, path):
    """A form's answer stays under its address (a new pairing code at /account/pairing-code, a
    deletion at /account/delete): reloaded, restored or opened from the history it is a GET, which
    answered the API's English JSON (`method_not_allowed`) to a reader of the pages."""
    pages = Pages(hosted_app)
    pages.sign_up("olga", PASSWORD)
    again = pages.get(path)
    assert again.status_code == 303 and again.headers["Location"] in ("/account", "/account/")
    assert pages.get(path, follow_redirects=True).status_code == 200


@pytest.mark.parametrize("lang,sentence", [("zh", "没有这个页面"), ("en", "No such page")])
def test_an_unknown_account_address_is_a_page_in_the_readers_language(hosted_app, lang, sentence):
    pages = Pages(hosted_app)
    missing = pages.get(f"/account/no-such-page?lang={lang}")
    text = missing.get_data(as_text=True)
    assert missing.status_code == 404 and missing.mimetype == "text/html"
    assert sentence in text and "no such route" not in text and 'href="/account/"' in text
    assert "frame-ancestors 'none'" in missing.headers["Content-Security-Policy"]  # the pages' own headers
    assert missing.headers["Cache-Control"] == "no-store"
    # A script's call that is not there still answers JSON, and the API keeps its own answers.
    assert pages.get("/account/passkeys/options").get_json()["error"] == "method_not_allowed"
    assert pages.get("/v1/no-such-route").get_json()["error"] == "not_found"


def test_werkzeugs_english_refusals_become_the_readers_sentence(hosted_app):
    pages = Pages(hosted_app)
    refused = pages.client.post("/account", base_url="https://localhost", data={})  # a form to a page address
    text = refused.get_data(as_text=True)
    assert refused.status_code in (400, 405) and "这个请求无法处理" in text and "method" not in text.lower().split("<main")[-1]
