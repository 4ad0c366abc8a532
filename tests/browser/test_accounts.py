"""Hosted accounts in real Chromium with the unpacked extension, against a hosted-mode backend on
http://localhost (a secure context: Secure cookies and WebAuthn work there as over HTTPS).

- Sign up on the account page; "登录卡盾" in the extension's options opens the backend's sign-in
  with chrome.identity.launchWebAuthFlow; allow; the extension holds a token bound to the account;
  a shop page is captured and shows on the account page with the device, which can be revoked.
- A passkey sign-up and sign-in with Chromium's virtual authenticator (DevTools protocol
  ``WebAuthn.addVirtualAuthenticator``): real WebAuthn ceremonies, checked by the ``webauthn``
  package, no mock; the same passkey then signs in inside the extension's sign-in window.
- A page on another site cannot use the signed-in session.
- "Export everything" downloads a pack that verifies; "Delete my account" signs the extension and
  the pages out at once and leaves no key of the user.
- The same sign-in from the extension in Firefox ESR (its launchWebAuthFlow window and its
  ``extensions.allizom.org`` redirect URL), against ``kadun serve`` in hosted mode.
"""
from __future__ import annotations

import pytest

from .chromium import ChromiumBrowser, InProcessBackend
from .driver import only_chromium, wait_for
from .harness import EXTENSION, Backend, serve_page

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
ORDER_PAGE = "xingchen-km-order.html"
ATTACKER_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>free gift</title></head><body>
<form id="f" method="post" target="sink"><input name="csrf_token" value="guess"></form>
<iframe name="sink"></iframe>
<script>
window.__probe = {done: false};
(async () => {
  const backend = decodeURIComponent(location.hash.slice("#backend=".length));
  try {
    const answer = await fetch(backend + "/account", {credentials: "include"});
    window.__probe.read = await answer.text();
  } catch (error) {
    window.__probe.read_error = String(error);
  }
  window.__probe.done = true;
})();
</script></body></html>"""


@pytest.fixture(scope="module")
def hosted_backend(redis_url, tmp_path_factory):
    """The hosted-mode app on a real socket, reached as http://localhost:<port>."""
    from server import create_app
    from server.storage.redis import connect

    client = connect(redis_url)
    client.flushall()
    app = create_app({"TESTING": True, "REDIS": client, "DATA_DIR": str(tmp_path_factory.mktemp("hosted-data")),
                      "MODE": "hosted", "RATELIMIT_ENABLED": True, "ARGON2_TIME_COST": 1,
                      "ARGON2_MEMORY_KIB": 8192, "ARGON2_PARALLELISM": 1})
    server = Backend(app)
    server.url = f"http://localhost:{server.port}"
    server.start()
    yield server
    server.stop()
    client.close()


@pytest.fixture(scope="module")
def attacker_site():
    """Another site on this machine (http://127.0.0.1:<port>, where the backend is http://localhost):
    a page there is cross-origin and cross-site to the account pages."""
    server, url = serve_page(ATTACKER_PAGE, "/steal.html")
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(request, hosted_backend, playwright_instance, tmp_path_factory):
    """Chromium with the unpacked extension, not paired, and the shop pages routed."""
    request.param  # noqa: B018 - only_chromium parametrizes "browser" indirectly
    session = ChromiumBrowser(playwright_instance, InProcessBackend(hosted_backend), tmp_path_factory.mktemp("profile"),
                              None, EXTENSION)
    # A buyer's browser in Chinese (headless Chromium asks for en-US by default).
    session.context.set_extra_http_headers({"Accept-Language": "zh-CN,zh;q=0.9"})
    # The unpacked extension's id (made from its folder) is the published one of this test: only
    # the listed extensions may sign in (KADUN_SIGNIN_EXTENSIONS).
    hosted_backend.app.config["SIGNIN_EXTENSIONS"] = [session.ext_origin.removeprefix("chrome-extension://")]
    try:
        session.probe  # noqa: B018 - opened first, so later pages are the active (visible) tabs
        session.probe.evaluate("chrome.storage.local.set({language: 'zh_CN'})")  # and the extension too
        yield session
    finally:
        session.close()


def _account_user(backend, username: str) -> str:
    from server.storage import accounts

    return accounts.find_by_name(backend.redis, username).user


def _sign_up(browser, username: str):
    tab = browser.new_tab(f"{browser.backend.url}/account/signup")
    tab.fill("#username", username)
    tab.fill("#password", PASSWORD)
    tab.fill("#password2", PASSWORD)
    tab.click("#signup")
    tab.wait_for_selector("#signed-in-as")
    return tab


def _sign_in_from_options(browser, username: str, *, passkey: bool = False, authenticator=None):
    """Click "登录卡盾" in the options page and go through the sign-in window."""
    options = browser.new_tab(browser.ext_url("options.html"))
    options.fill("#backend-url", browser.backend.url)
    options.wait_for_selector("#signin:not([disabled])")
    with browser.context.expect_page() as opened:
        options.click("#signin")
    window = opened.value
    window.wait_for_load_state("load")
    assert "/account/" in window.url
    if authenticator is not None:
        authenticator(window)
    if window.locator("#signin-form").count():  # the window has its own cookies: sign in there
        if passkey:
            window.click("#passkey-signin")
        else:
            window.fill("#username", username)
            window.fill("#password", PASSWORD)
            window.click("#signin")
        window.wait_for_selector("#authorize-text")
    assert username in window.text_content("#authorize-text")
    window.click("#allow")
    options.wait_for_selector('#pair-status[data-state="paired"]', timeout=30)
    return options


@only_chromium  # the hosted backend runs in this process (the Firefox harness serves local mode)
def test_sign_up_sign_in_from_the_extension_capture_and_see_it_on_the_account(browser):
    backend = browser.backend
    account_tab = _sign_up(browser, "买家小王")
    assert account_tab.evaluate("document.documentElement.lang") == "zh-CN"
    assert "已登录：买家小王" in account_tab.text_content("#signed-in-as")

    options = _sign_in_from_options(browser, "买家小王")
    assert "已登录账户 买家小王" in options.text_content("#pair-detail")
    token = browser.token()
    assert token and browser.storage()["username"] == "买家小王"
    user = _account_user(backend, "买家小王")
    listed = backend.get("/v1/devices", token=token).get_json()["items"]
    assert [(d["user"], d["kind"]) for d in listed] == [(user, "account")]
    # The options page lists this device, named in Chinese ("账号登录"), with no raw codes.
    options.wait_for_selector("#devices-section:not([hidden]) #device-list li[data-current=true]")
    assert "账号登录" in options.inner_text("#device-list") and "account" not in options.inner_text("#device-list")
    options.close()

    # A shop page is captured for the account.
    url = browser.pages[ORDER_PAGE]
    browser.visit(url)
    captured = browser.wait(lambda: [c for c in browser.captures() if c["url"] == url], message="the capture")
    browser.wait(lambda: browser.queue_length() == 0, message="an empty queue")

    # …and shows on the account page, with the device that made it.
    account_tab.reload()
    assert "1 份存证" in account_tab.text_content("#data-counts")
    row = account_tab.locator(f'#capture-list li[data-capture-id="{captured[0]["id"]}"]')
    assert "xingchen-km.com" in row.inner_text() and "订单页" in row.inner_text()
    device_row = account_tab.locator("#device-list li[data-kind=account]")
    assert "浏览器扩展（账户登录）" in device_row.inner_text() and "KaDun" in device_row.inner_text()

    # Removing the device on the account page takes the extension's access away at once.
    device_row.locator("button.revoke").click()
    account_tab.wait_for_selector("#notice")
    assert "已移除" in account_tab.text_content("#notice")
    assert backend.get("/v1/snapshots", token=token).status_code == 401
    account_tab.close()


def _virtual_authenticator(browser):
    """A new page for a visitor nobody signed in, with Chromium's virtual authenticator (a passkey
    device that verifies its user and answers at once): (page, DevTools session, authenticator id)."""
    browser.context.clear_cookies()
    page = browser.context.new_page()
    cdp = browser.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})["authenticatorId"]
    return page, cdp, authenticator


@only_chromium  # Chromium's virtual authenticator is driven through the DevTools protocol
def test_passkey_sign_up_and_sign_in_with_the_virtual_authenticator(browser):
    backend = browser.backend
    page, cdp, authenticator = _virtual_authenticator(browser)  # a new visitor: nobody signed in

    # Sign up with a passkey: no password at all.
    page.goto(f"{backend.url}/account/signup?lang=en", wait_until="load")
    page.fill("#username", "passkey_pat")
    page.click("#passkey-signup")
    page.wait_for_selector("#signed-in-as")
    assert "Signed in as passkey_pat" in page.text_content("#signed-in-as")
    assert page.locator("#passkey-list li").count() == 1 and page.locator("#no-password").count() == 1
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(credentials) == 1 and credentials[0]["rpId"] == "localhost" and credentials[0]["isResidentCredential"]
    from server.storage import accounts

    user = _account_user(backend, "passkey_pat")
    stored = accounts.passkeys(backend.redis, user)
    assert [p.id for p in stored] == [credentials[0]["credentialId"].replace("+", "-").replace("/", "_").rstrip("=")]
    assert accounts.get(backend.redis, user).password is None

    # Sign out, then sign in with the passkey alone (no username typed).
    page.click("#signout")
    page.wait_for_selector("#passkey-signin")
    page.click("#passkey-signin")
    page.wait_for_selector("#signed-in-as")
    assert "passkey_pat" in page.text_content("#signed-in-as")
    after = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"][0]
    assert after["signCount"] > credentials[0]["signCount"]
    assert accounts.passkeys(backend.redis, user)[0].sign_count == after["signCount"]
    assert accounts.passkeys(backend.redis, user)[0].last_used_at

    # A wrong-password lockout of the name does not stop the passkey (limits are on for this backend).
    from tests.accounts.conftest import Pages

    guesses = [Pages(backend.app).sign_in("passkey_pat", f"guess {n}").status_code for n in range(6)]
    assert guesses == [401] * 5 + [429]
    page.click("#signout")
    page.wait_for_selector("#passkey-signin")
    page.click("#passkey-signin")
    page.wait_for_selector("#signed-in-as")

    # The same passkey signs in inside the extension's sign-in window (a browser window of its own,
    # given its own virtual authenticator holding a copy of the credential).
    credential = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"][0]
    page.click("#signout")
    page.wait_for_selector("#passkey-signin")
    page.close()

    def with_passkey(window):
        session = browser.context.new_cdp_session(window)
        session.send("WebAuthn.enable")
        other = session.send("WebAuthn.addVirtualAuthenticator", {"options": {
            "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
            "isUserVerified": True, "automaticPresenceSimulation": True}})["authenticatorId"]
        session.send("WebAuthn.addCredential", {"authenticatorId": other, "credential": credential})

    options = _sign_in_from_options(browser, "passkey_pat", passkey=True, authenticator=with_passkey)
    assert "passkey_pat" in options.text_content("#pair-detail")
    assert backend.get("/v1/snapshots", token=browser.token()).status_code == 200
    options.close()


@only_chromium  # reads the backend's own records through the in-process app
def test_a_page_on_another_site_cannot_use_the_signed_in_session(browser, attacker_site):
    backend = browser.backend
    browser.context.clear_cookies()
    account_tab = _sign_up(browser, "careful_cat")
    from server.storage import devices

    token, device = devices.create(backend.redis, _account_user(backend, "careful_cat"), "laptop", kind="account")
    attacker = browser.visit(f"{attacker_site}#backend={backend.url}")
    wait_for(lambda: attacker.evaluate("window.__probe.done"), 30, "the attacker's read")
    probe = attacker.evaluate("window.__probe")
    assert "read" not in probe and "Failed to fetch" in probe["read_error"]
    # A form the attacker's page posts to the backend is refused and changes nothing.
    with attacker.page.expect_response(lambda r: "/revoke" in r.url) as answered:
        attacker.evaluate("""([backend, id]) => { const f = document.getElementById("f");
            f.action = backend + "/account/devices/" + id + "/revoke"; f.submit(); }""", [backend.url, device.id])
    assert answered.value.status == 403
    # The browser did not even send the session cookie with another site's post (SameSite=Lax).
    assert "__Host-kadun" not in answered.value.request.all_headers().get("cookie", "")
    assert devices.for_token(backend.redis, token) is not None
    with account_tab.page.expect_response(lambda r: r.url.endswith("/account")) as own:
        account_tab.reload()
    assert "__Host-kadun=" in own.value.request.all_headers().get("cookie", "")  # its own pages do send it
    assert "careful_cat" in account_tab.text_content("#signed-in-as")
    attacker.close()
    account_tab.close()


@only_chromium  # the hosted backend runs in this process (the Firefox harness serves local mode)
def test_export_everything_then_delete_the_account_from_the_account_page(browser, tmp_path):
    from server.evidence.verify import verify_pack
    from server.storage import erasure

    backend = browser.backend
    browser.context.clear_cookies()
    account_tab = _sign_up(browser, "买家小李")
    options = _sign_in_from_options(browser, "买家小李")
    token = browser.token()
    user = _account_user(backend, "买家小李")
    url = browser.pages["xingchen-km-product.html"]
    browser.visit(url)
    captured = browser.wait(lambda: [c for c in browser.captures() if c["url"] == url], message="the capture")
    browser.wait(lambda: browser.queue_length() == 0, message="an empty queue")

    # Export everything: a download that kadun's verifier accepts, holding this capture.
    account_tab.reload()
    pack = browser.download(account_tab, "#export-everything", tmp_path / "export.zip")
    result = verify_pack(pack)
    assert result.ok, result.problem
    assert result.checked["items"] == 1 and captured[0]["id"].encode() in pack.read_bytes()

    # Delete my account: the username typed again and the password; then everything stops at once.
    account_tab.fill("#delete_confirm", "买家小李")
    account_tab.fill("#delete_password", PASSWORD)
    account_tab.click("#delete-account")
    account_tab.wait_for_selector("#message")
    assert "账户已删除" in account_tab.text_content("h1")
    assert backend.get("/v1/snapshots", token=token).status_code == 401
    options.reload()
    options.wait_for_selector('#pair-status[data-state="not_paired"]')
    account_tab.goto(f"{backend.url}/account")
    account_tab.wait_for_selector("#signin-form")
    assert not erasure.user_exists(backend.redis, user)
    assert not [k for k in backend.redis.scan_iter() if user.encode() in k]
    options.close()
    account_tab.close()


@only_chromium  # Chromium's virtual authenticator is driven through the DevTools protocol
def test_an_account_without_a_password_is_deleted_after_a_passkey_check(browser):
    """The delete button of a passkey-only account runs a passkey check first (the page's script),
    then the form goes with the answer; without the authenticator's answer nothing is deleted."""
    from server.storage import erasure

    backend = browser.backend
    page, cdp, authenticator = _virtual_authenticator(browser)
    page.goto(f"{backend.url}/account/signup", wait_until="load")
    page.fill("#username", "passkey_del_f")
    page.click("#passkey-signup")
    page.wait_for_selector("#signed-in-as")
    user = _account_user(backend, "passkey_del_f")
    assert page.locator("#delete_password").count() == 0 and page.locator("#delete-passkey-hint").count() == 1

    # The person at the keyboard does not pass the check (user verification fails): nothing goes.
    cdp.send("WebAuthn.setUserVerified", {"authenticatorId": authenticator, "isUserVerified": False})
    page.fill("#delete_confirm", "passkey_del_f")
    page.click("#delete-account")
    page.wait_for_selector("#form-error:not([hidden])")
    assert erasure.user_exists(backend.redis, user)

    cdp.send("WebAuthn.setUserVerified", {"authenticatorId": authenticator, "isUserVerified": True})
    page.click("#delete-account")
    page.wait_for_selector("#message")
    assert "账户已删除" in page.text_content("h1")
    assert not erasure.user_exists(backend.redis, user)
    assert not [k for k in backend.redis.scan_iter() if user.encode() in k]
    page.close()


@pytest.fixture(scope="module")
def hosted_firefox(loopback_ns, tmp_path_factory):
    """Firefox ESR with the extension, and ``kadun serve`` in hosted mode, reached as localhost."""
    from .firefox import firefox_session

    session = firefox_session(loopback_ns, tmp_path_factory.mktemp("firefox-hosted"), None, EXTENSION,
                              backend_env={"KADUN_MODE": "hosted", "KADUN_ARGON2_TIME_COST": "1",
                                           "KADUN_ARGON2_MEMORY_KIB": "8192", "KADUN_ARGON2_PARALLELISM": "1"},
                              backend_host="localhost")
    try:
        yield session
    finally:
        session.close()
        session.backend.stop()


def test_firefox_signs_in_from_the_extension_and_captures(hosted_firefox):
    """The same sign-in in Firefox: its launchWebAuthFlow window, its extension redirect URL."""
    from .firefox import FirefoxTab

    browser = hosted_firefox
    backend = browser.backend
    page = browser.new_tab(f"{backend.url}/account/signup?lang=zh")
    page.fill("#username", "火狐用户")
    page.fill("#password", PASSWORD)
    page.fill("#password2", PASSWORD)
    page.click("#signup")
    page.wait_for_selector("#signed-in-as")

    options = browser.new_tab(browser.ext_url("options.html"))
    options.fill("#backend-url", backend.url)
    before = set(browser.marionette.window_handles)
    options.click("#signin")
    handle = browser.wait(lambda: (set(browser.marionette.window_handles) - before or {None}).pop(),
                          message="the sign-in window")
    window = FirefoxTab(browser, handle)
    browser.wait(lambda: "/account/" in (window.url or "") and window.evaluate("document.readyState") == "complete",
                 message="the sign-in page")
    if window.count("#signin-form"):  # the window keeps its own cookies: sign in there
        window.fill("#username", "火狐用户")
        window.fill("#password", PASSWORD)
        window.click("#signin")
    window.wait_for_selector("#authorize-text")
    assert "Firefox" in window.text_content("#authorize-text") and "火狐用户" in window.text_content("#authorize-text")
    window.click("#allow")
    options.wait_for_selector('#pair-status[data-state="paired"]', timeout=30)
    token = browser.token()
    items = backend.get("/v1/devices", token=token).get_json()["items"]
    assert [d["kind"] for d in items] == ["account"]

    url = browser.pages[ORDER_PAGE]
    browser.visit(url)
    browser.wait(lambda: [c for c in browser.captures() if c["url"] == url], timeout=60, message="the capture")
    account = browser.new_tab(f"{backend.url}/account")
    assert "1 份存证" in account.text_content("#data-counts")
