"""The hosted service's account pages as a first-time buyer uses them on a phone (390 × 844) and a
computer (1280 × 800), in Chinese and in English: every control named, no overflow, no console
commands or text of the other language (the language switch marked as the other language), a
refused form keeping what was typed, and the pairing code leading the phone straight into the
phone app, paired to this account."""
from __future__ import annotations

import pytest

from .harness import CHROMIUM, Backend
from .screens import audit

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def hosted(redis_url, tmp_path_factory):
    from server import create_app
    from server.storage.redis import connect

    client = connect(redis_url)
    client.flushall()
    app = create_app({"TESTING": True, "REDIS": client, "DATA_DIR": str(tmp_path_factory.mktemp("hosted")),
                      "MODE": "hosted", "RATELIMIT_ENABLED": False,
                      "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 8192, "ARGON2_PARALLELISM": 1})
    server = Backend(app)
    server.start()
    yield server
    server.stop()
    client.close()


@pytest.fixture(scope="module")
def chromium(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=False,
                                                  args=["--headless=new", "--no-sandbox", "--disable-gpu"])
    yield browser
    browser.close()


def clean(page, where: str) -> None:
    found = audit(page)
    assert not found, f"{where}: {found}"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [390, 1280])
def test_account_pages_read_right_and_pair_the_phone(hosted, chromium, lang, width):
    phone = width < 600
    context = chromium.new_context(viewport={"width": width, "height": 844 if phone else 800}, is_mobile=phone,
                                   has_touch=phone, locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        page = context.new_page()
        username = f"买家{lang}{width}"
        page.goto(f"{hosted.url}/account/signup?lang={lang}")
        clean(page, "sign-up")
        other = page.locator("#lang-switch")
        assert other.get_attribute("lang") == ("en" if lang == "zh" else "zh-CN")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.fill("#password2", "something else")
        page.click("#signup")
        page.wait_for_selector("#form-error:not([hidden])")
        assert page.input_value("#username") == username  # kept, to be corrected, not typed again
        clean(page, "sign-up refused")
        page.fill("#password", PASSWORD)
        page.fill("#password2", PASSWORD)
        page.click("#signup")
        page.wait_for_selector("#signed-in-as")
        clean(page, "account")
        page.click("#make-pairing-code")
        page.wait_for_selector("#pairing-code")
        code = page.text_content("#pairing-code").strip()
        clean(page, "account with a pairing code")
        # On the phone, the code is one tap from a paired phone app (of this very account).
        page.click("#pairing-phone-link")
        page.wait_for_selector("#capture-screen")
        assert code not in page.url  # the app takes the code out of the address bar
        page.goto(f"{hosted.url}/account?lang={lang}")
        page.wait_for_selector("#device-list li[data-kind='phone']")
    finally:
        context.close()
