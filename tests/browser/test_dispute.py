"""The popup and the dispute page, end to end in Chromium and Firefox: captures → dispute →
attachment → pack that `kadun verify` accepts. The pages are photographed for the store listings
(dist/store/<browser>/)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .harness import ROOT

pytestmark = pytest.mark.browser

ORDER_NO = "XC20261124100322581"
FILES = ["xingchen-km-product.html", "xingchen-km-order.html", "xingchen-km-chat.html", "xingchen-km-terms.html"]


def _capture_pages(browser) -> None:
    for file in FILES:
        url = browser.pages[file]
        page = browser.visit(url)
        browser.wait(lambda url=url: [i for i in browser.captures() if i["url"] == url],
                     message=f"the capture of {file}")
        page.close()


def test_popup_and_dispute_page_produce_a_verifiable_pack(browser, tmp_path):
    _capture_pages(browser)

    popup = browser.new_tab(browser.ext_url("src/popup/popup.html?host=www.xingchen-km.com"))
    popup.wait_for_selector("#site-captures li[data-snapshot-id]")
    assert popup.text_content("#queue-length") == "0"
    assert popup.get_attribute("#paired-state", "data-state") == "paired"
    assert popup.count("#site-captures li[data-snapshot-id]") == len(FILES)
    page = browser.expect_new_tab(lambda: popup.click("#open-dispute"))
    page.wait_for_selector("body[data-ready=true]")
    assert "host=www.xingchen-km.com" in page.url

    page.check(f"input[name=order][data-order-no='{ORDER_NO}']")
    page.select_option("#problem", "account_recovered")
    page.fill("#occurred-at", "2026-11-24T18:30")
    page.fill("#description", "账号在购买当天被原号主找回，商家在聊天中承诺找回包赔。")
    page.fill("#amount", "25")
    page.select_option("#amount-currency", "EUR")  # the form no longer forces CNY
    page.click("#create-dispute")
    page.wait_for_selector("#dispute-view:not([hidden]) #timeline li")
    dispute_id = page.get_attribute("#dispute-view", "data-dispute-id")
    # No TSA in this backend: the page says the times are the server's own, per item too.
    assert page.inner_text("#trusted-time") in ("存证时间由卡盾服务器记录（这个卡盾没有接入第三方时间戳机构的证明）",
                                                 "Capture times are recorded by the KaDun server (this KaDun has no "
                                                 "third-party time-stamp authority to vouch for them)")
    assert page.count("#timeline .stamp-not_configured") > 0
    dispute = browser.api(f"/v1/disputes/{dispute_id}").get_json()
    assert dispute["problem"] == "account_recovered"
    assert dispute["order"]["order_no"] == ORDER_NO
    assert page.count("#timeline li") == len(dispute["timeline"])
    assert page.count("#escalation .step") == len(dispute["escalation"])
    assert page.count("#letters .letter-box .copy") == len(dispute["letters"]) > 0
    for step in dispute["escalation"]:
        if step.get("deadline"):
            assert page.count(f"#escalation .step[data-step='{step['step']}'] .deadline") == 1
    # Paid through Alipay: its bill's complaint is shown inside the platform step, in words, naming its form.
    lang = "zh" if page.evaluate("document.documentElement.lang") == "zh-CN" else "en"
    pay = next(s for s in dispute["escalation"] if s["step"] == "platform")["payment_channel"]
    assert pay["app"] == "alipay" and page.count("#escalation .payment-channel") == 1
    beside = page.text_content("#escalation .step[data-step='platform'] .payment-channel[data-app='alipay']")
    form = next(c for c in dispute["complaints"] if c["form"] == pay["form"])
    assert pay["app_name"][lang] in beside and pay["basis"][lang] in beside and form["name"][lang] in beside
    assert (pay["channel"] if lang == "zh" else pay["channel_en"]) in beside
    assert "alipay" not in beside and "payment_channel" not in page.text_content("#dispute-view")

    # The buyer's typed amount keeps its currency (the order page's own amount is what letters use).
    from server.storage import disputes as dispute_store
    from server.storage import users

    user = users.user_for_token(browser.backend.redis, browser.token())
    assert dispute_store.get(browser.backend.redis, user, dispute_id).amount == {"amount": "25.00", "currency": "EUR"}
    assert dispute["order"]["amount"] == {"amount": "188.00", "currency": "CNY"}
    assert dispute["order"]["item"] in page.text_content("#order-summary")

    # The checklist reads by name, in three states, never by code (no "✓ 已有 · order_record").
    assert page.count("#checklist li") == len(dispute["checklist"])
    for row in dispute["checklist"]:
        selector = f"#checklist li[data-item='{row['item']}']"
        text = page.text_content(selector)
        assert f"· {row['item']}" not in text  # a name, not the code ("✓ 已有 · order_record")
        assert row["name"][lang] in text and row["state_name"][lang] in text
        assert page.get_attribute(selector, "data-state") == row["state"]
    assert page.count("#checklist li[data-item='payment_proof'][data-state='partial']") == 1
    assert page.count("#windows li") == len(dispute["windows"]) > 0

    # An attachment: the buyer's chat log as text.
    page.select_option("#attachment-kind", "chat_log")
    page.set_input_files("#attachment-file", files=[{"name": "chat.txt", "mimeType": "text/plain",
                                                     "buffer": "商家：找回包赔，放心。\n".encode()}])
    page.click("#attach")
    page.wait_for_selector("#attachments li")
    assert not page.text_content("#error")

    pack = browser.download(page, "#download-pack", tmp_path / "pack.zip")
    kadun = Path(sys.executable).with_name("kadun")
    result = subprocess.run([str(kadun), "verify", str(pack)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK")
    popup.close()
    _store_shot_in_chinese(browser, page, dispute_id)
    page.close()


def _store_shot_in_chinese(browser, page, dispute_id: str) -> None:
    """The dispute page for the store listings (dist/store/<browser>/3-dispute.png), in Chinese."""
    _set_language(browser, "zh_CN")
    page.reload()
    page.wait_for_selector(f"#dispute-list a[data-dispute-id='{dispute_id}']")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    page.click(f"#dispute-list a[data-dispute-id='{dispute_id}']")
    page.wait_for_selector("#dispute-view:not([hidden]) #escalation .step")
    page.evaluate("document.getElementById('dispute-heading').scrollIntoView()")
    browser.store_shot(page, "3-dispute")
    _set_language(browser, "auto")


def _set_language(browser, language: str) -> None:
    """Choose the UI language on the options page, in a tab of its own that is closed while it is
    still the front tab (Chromium under --headless=new once never finished closing a background
    extension page)."""
    options = browser.new_tab(browser.ext_url("options.html"))
    options.wait_for_selector('#pair-status[data-state="paired"]')
    options.evaluate("window.kadunBeforeChange = true")
    options.select_option("#language", language)
    browser.wait(lambda: browser.storage().get("language") == language, message="the language setting")
    # The options page reloads itself in the new language: closing it mid-reload can leave
    # Chromium never reporting the tab closed, so wait for the new document first.
    browser.wait(lambda: _reloaded(options), message="the options page in its new language")
    options.close()


def _reloaded(tab) -> bool:
    try:
        return bool(tab.evaluate("!window.kadunBeforeChange && document.readyState === 'complete' && "
                                 "!!document.querySelector('#pair-status[data-state=\"paired\"]')"))
    except Exception:  # the old document went away mid-call: not there yet
        return False


def test_the_dispute_page_shows_the_servers_cross_check(browser):
    """A shared link of the product page that the server fetched itself, after the shop dropped a
    promise: the dispute page shows the comparison with the extension's capture, and its diff."""
    from server.clock import now_iso, parse_iso
    from server.disputes import service
    from server.evidence.receipts import Signer
    from server.storage import captures, users
    from server.storage.disputes import DisputeRecord, new_dispute_id

    _capture_pages(browser)
    r = browser.backend.redis
    user = users.user_for_token(r, browser.token())
    url = browser.pages["xingchen-km-product.html"]
    extension = next(i for i in browser.captures() if i["url"] == url)
    html = (ROOT / "tests" / "fixtures" / "pages" / "xingchen-km-product.html").read_text(encoding="utf-8")
    facts = json.loads((ROOT / "tests" / "fixtures" / "pages" / "xingchen-km-product.json").read_text(encoding="utf-8"))
    dropped = facts["promises"].pop(0)["quote"]
    backend = browser.backend  # in-process (Chromium) or `kadun serve` (Firefox): the server's own key
    if hasattr(backend, "app"):
        signer = backend.app.extensions["kadun"].signer
    else:
        assert (backend.data_dir / "signing_key.pem").exists()
        signer = Signer.load_or_create(backend.data_dir / "signing_key.pem")
    fetch = {"requested_url": url, "final_url": url, "status": 200, "address": "203.0.113.7",
             "hops": [{"url": url, "address": "203.0.113.7", "status": 200}]}
    server, _ = captures.store(
        r, user, client_id="share:cross-check", html=html.replace(dropped, "").encode(), screenshot=None, url=url,
        title=None, captured_at=None, clock_offset_seconds_of=lambda _: None, trigger="share", extension_version=None,
        facts=facts, now=now_iso, sign=lambda p: signer.sign(p).as_dict(), source="server", fetch=fetch)
    record = DisputeRecord(id=new_dispute_id(), user=user, problem="account_recovered",
                           occurred_at="2026-11-24T18:30:00+08:00", created_at=now_iso(), description="",
                           domain="xingchen-km.com", order_no=ORDER_NO)
    service.open_dispute(r, record)
    checks = service.build(r, record, parse_iso(now_iso())).dispute["cross_checks"]
    [check] = [c for c in checks if c["server"]["snapshot_id"] == server.id]
    assert check["extension"]["snapshot_id"] == extension["id"] and check["match"] is False

    page = browser.new_tab(browser.ext_url("src/dispute/dispute.html?host=www.xingchen-km.com"))
    page.wait_for_selector(f"#dispute-list a[data-dispute-id='{record.id}']")
    page.click(f"#dispute-list a[data-dispute-id='{record.id}']")
    page.wait_for_selector("#dispute-view:not([hidden]) #cross-checks li")
    lang = "zh" if page.evaluate("document.documentElement.lang") == "zh-CN" else "en"
    assert page.count("#cross-checks li") == len(checks)
    # The summary as the backend wrote it, but its ISO times read as local times (never "2026-…T…+08:00").
    shown = page.text_content("#cross-checks")
    parts = re.split(r"\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?", check["summary"][lang])
    assert len(parts) > 1 and re.search(".+".join(map(re.escape, parts)), shown), shown
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", shown.split("---")[0])
    assert dropped in page.text_content("#cross-checks pre.diff")
    assert page.evaluate("document.getElementById('cross-checks-heading').hidden") is False
    page.close()


def _open_two_disputes(browser) -> list[str]:
    """Two disputes on the captured order, made through the service (the form is tested above)."""
    from server.clock import now_iso
    from server.disputes import service
    from server.storage import users
    from server.storage.disputes import DisputeRecord, new_dispute_id

    url = browser.pages["xingchen-km-order.html"]
    if not [i for i in browser.captures() if i["url"] == url]:
        browser.visit(url)
        browser.wait(lambda: [i for i in browser.captures() if i["url"] == url], message="the order's capture")
    r = browser.backend.redis
    user = users.user_for_token(r, browser.token())
    ids = []
    for problem in ("account_recovered", "seller_unresponsive"):
        record = DisputeRecord(id=new_dispute_id(), user=user, problem=problem,
                               occurred_at="2026-11-24T18:30:00+08:00", created_at=now_iso(), description="",
                               domain="xingchen-km.com", order_no=ORDER_NO)
        service.open_dispute(r, record)
        ids.append(record.id)
    return ids


def _shown(page) -> str | None:
    """The id of the dispute the page shows (None: the form alone)."""
    return page.evaluate("(() => { const v = document.getElementById('dispute-view');"
                         " return v.hidden ? null : (v.dataset.disputeId || null); })()")


def test_the_open_dispute_lives_in_the_address(browser):
    """Which dispute the buyer is on survives a reload, a bookmark and the back and forward buttons,
    and keyboard focus moves to the dispute that opened; an address of a dispute that is gone says
    so in words and leaves the form usable (never a blank page, never a raw code)."""
    first, second = _open_two_disputes(browser)
    page = browser.new_tab(browser.ext_url("src/dispute/dispute.html"))
    page.wait_for_selector("body[data-ready=true]")
    assert _shown(page) is None and "dispute=" not in page.url

    page.click(f"#dispute-list a[data-dispute-id='{first}']")
    browser.wait(lambda: _shown(page) == first, message="the first dispute")
    assert f"dispute={first}" in page.url
    assert page.evaluate("document.activeElement.id") == "dispute-heading"
    # The page says once that the times are the server's; each entry does not repeat the sentence.
    page.wait_for_selector("#timeline .stamp")
    assert page.inner_text("#trusted-time") not in page.inner_text("#timeline")
    # The link itself is the dispute's address (open in a new tab, copy, bookmark).
    href = page.get_attribute(f"#dispute-list a[data-dispute-id='{second}']", "href")
    assert f"dispute={second}" in href

    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    browser.wait(lambda: _shown(page) == first, message="the first dispute after a reload")

    page.click(f"#dispute-list a[data-dispute-id='{second}']")
    browser.wait(lambda: _shown(page) == second, message="the second dispute")
    page.evaluate("history.back()")
    browser.wait(lambda: _shown(page) == first and f"dispute={first}" in page.url, message="back to the first")
    page.evaluate("history.back()")
    browser.wait(lambda: _shown(page) is None and "dispute=" not in page.url, message="back to the form")
    page.evaluate("history.forward()")
    browser.wait(lambda: _shown(page) == first, message="forward to the first")

    # A bookmark of a dispute that no longer exists (or another account's).
    page.goto(browser.ext_url("src/dispute/dispute.html?dispute=dsp_gone000000000"))
    page.wait_for_selector("body[data-ready=true]")
    browser.wait(lambda: page.text_content("#error"), message="the gone dispute's message")
    lang = "zh_CN" if page.evaluate("document.documentElement.lang") == "zh-CN" else "en"
    messages = json.loads((ROOT / "extension" / "_locales" / lang / "messages.json").read_text(encoding="utf-8"))
    assert page.text_content("#error") == messages["disputeGone"]["message"]
    assert _shown(page) is None and "dispute=" not in page.url
    assert page.evaluate("document.getElementById('dispute-form').hidden") is False
    page.close()


def _messages(lang: str) -> dict:
    return json.loads((ROOT / "extension" / "_locales" / lang / "messages.json").read_text(encoding="utf-8"))


def test_switching_the_language_mid_task_keeps_what_was_typed(browser):
    """The buyer changes the language on the options page while writing on the dispute page: the
    page redraws in the new language in place (no reload), the description being typed, the
    chosen problem and the open dispute stay; every copy button says what it copies."""
    first, _ = _open_two_disputes(browser)
    page = browser.new_tab(browser.ext_url(f"src/dispute/dispute.html?dispute={first}"))
    page.wait_for_selector("body[data-ready=true]")
    browser.wait(lambda: _shown(page) == first, message="the dispute from the address")
    page.wait_for_selector("#letters .letter-box .copy")
    start = "zh_CN" if page.evaluate("document.documentElement.lang") == "zh-CN" else "en"
    other = "en" if start == "zh_CN" else "zh_CN"
    page.fill("#description", "卖家说包赔，今天却不回消息 🙂 مرحبا")
    page.select_option("#problem", "seller_unresponsive")
    page.evaluate("window.kadunSameDocument = true")

    try:
        page.evaluate(f"chrome.storage.local.set({{language: '{other}'}})")
        want = "zh-CN" if other == "zh_CN" else "en"
        browser.wait(lambda: page.evaluate("document.documentElement.lang") == want, message="the new language")
        texts = _messages(other)
        browser.wait(lambda: page.text_content("#dispute-form h2") == texts["disputeOrder"]["message"],
                     message="the form's words in the new language")
        browser.wait(lambda: texts["problem_account_recovered"]["message"] in page.text_content("#dispute-heading"),
                     message="the open dispute redrawn in the new language")
        assert page.evaluate("window.kadunSameDocument") is True  # redrawn in place, not reloaded
        assert page.input_value("#description") == "卖家说包赔，今天却不回消息 🙂 مرحبا"
        assert page.input_value("#problem") == "seller_unresponsive"
        assert page.text_content("#problem option[value=seller_unresponsive]") == texts["problem_seller_unresponsive"]["message"]
        assert _shown(page) == first

        # Each copy button's accessible name names what it copies, in the new language.
        names = page.evaluate("[...document.querySelectorAll('#dispute-view button.copy')]"
                              ".map((b) => b.getAttribute('aria-label') || '')")
        copy = texts["disputeCopyWhat"]["message"].replace("$1", "")
        assert names and all(n.startswith(copy) and len(n) > len(copy) for n in names), names
        assert len(set(names)) == len(names), names  # none alike: each tells its field or letter
    finally:
        page.evaluate("chrome.storage.local.set({language: 'auto'})")
    page.close()
