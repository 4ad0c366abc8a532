"""A dispute on the phone, end to end against the real backend: find the order by part of its
number, choose the problem, read the timeline, checklist and plan with deadlines, copy each
letter in one tap in the format for WeChat, a platform's chat or the 12315 app, and download the
evidence pack that `kadun verify` accepts. Then the upload queue: offline, a refusal, a forged
acknowledgement, and the offline shell."""
from __future__ import annotations

import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

from .harness import ROOT, fixture_pages
from .phone import wait_for

pytestmark = pytest.mark.browser

PAGES = fixture_pages()
ORDER_NO = "XC20261124100322581"
FILES = ["xingchen-km-product.html", "xingchen-km-order.html", "xingchen-km-chat.html", "xingchen-km-terms.html"]
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
LIMITS = {"wechat": 3000, "chat": 450, "12315": 500}


def paired_phone_page(phone):
    page = phone.page("#/capture")
    page.wait_for_selector("#pair-screen")
    page.fill("#pair-code", phone.backend.pairing_code())
    page.tap("#pair-submit")
    page.wait_for_selector("#capture-screen")
    return page


def capture_order(phone, page) -> None:
    for file in FILES:
        body = {"client_id": str(uuid.uuid4()), "url": PAGES[file], "title": file, "trigger": "auto",
                "captured_at": "2026-11-24T10:03:30+08:00", "html": (FIXTURES / file).read_text(encoding="utf-8")}
        response = phone.api(page, "POST", "/v1/snapshots", json=body)
        assert response.status_code in (200, 201), response.get_json()


def build_dispute(page) -> str:
    page.tap("#tabs a[data-tab=disputes]")
    page.wait_for_selector("#disputes-screen")
    page.tap("#new-dispute")
    page.wait_for_selector("#dispute-new-screen #orders .choice")
    page.fill("#order-search", "100322581")  # part of the number, as typed off a bill
    page.wait_for_selector(f"#orders .choice[data-order-no='{ORDER_NO}']")
    assert page.locator("#orders .choice").count() == 1
    page.fill("#order-search", "no-such-order")
    page.wait_for_selector("#orders-empty")
    assert page.is_disabled("#create-dispute")
    page.fill("#order-search", ORDER_NO.lower())
    page.tap(f"#orders .choice[data-order-no='{ORDER_NO}']")
    page.select_option("#problem", "account_recovered")
    page.fill("#occurred-at", "2026-11-24T18:30")
    page.fill("#description", "账号在购买当天被原号主找回，商家在聊天中承诺找回包赔。")
    page.fill("#amount", "188")
    page.tap("#create-dispute")
    page.wait_for_selector("#dispute-screen #timeline li")
    return page.get_attribute("#dispute-screen", "data-dispute-id")


def plain_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_dispute_on_the_phone_gives_letters_to_copy_and_a_verifiable_pack(phone, tmp_path):
    page = paired_phone_page(phone)
    capture_order(phone, page)
    dispute_id = build_dispute(page)
    dispute = phone.api(page, "GET", f"/v1/disputes/{dispute_id}").get_json()
    assert dispute["order"]["order_no"] == ORDER_NO and dispute["problem"] == "account_recovered"
    assert page.locator("#timeline li").count() == len(dispute["timeline"])
    assert page.locator("#checklist li").count() == len(dispute["checklist"])
    for item in dispute["checklist"]:
        state = item.get("state") or ("present" if item["present"] else "missing")
        assert page.get_attribute(f"#checklist li[data-item='{item['item']}']", "data-state") == state
    assert page.locator("#plan .step").count() == len(dispute["escalation"]) > 0
    for step in dispute["escalation"]:
        deadlines = page.locator(f"#plan .step[data-step='{step['step']}'] .deadline").count()
        assert deadlines == (1 if step.get("deadline") else 0), step["step"]
    assert "账号被找回" in page.inner_text("#dispute-screen")
    # Paid through Alipay: its bill's complaint inside the platform step, in Chinese, naming its form.
    pay = next(s for s in dispute["escalation"] if s["step"] == "platform")["payment_channel"]
    assert pay["app"] == "alipay" and page.locator("#plan .payment-channel").count() == 1
    beside = page.text_content("#plan .step[data-step='platform'] .payment-channel[data-app='alipay']")
    form = next(c for c in dispute["complaints"] if c["form"] == pay["form"])
    assert "支付宝" in beside and pay["channel"] in beside and pay["basis"]["zh"] in beside
    assert form["name"]["zh"] in beside and "alipay" not in beside
    # Ready-to-file complaints: every form and field of the dispute, each value with a copy button.
    assert dispute["complaints"]
    for form in dispute["complaints"]:
        box = f"#complaint-forms .complaint-form[data-form='{form['form']}']"
        assert page.text_content(f"{box} h3") == form["name"]["zh"]
        for field in form["fields"]:
            row = f"{box} .field[data-field='{field['key']}']"
            assert page.text_content(f"{row} .value") == field["value"]["zh"]
            assert page.locator(f"{row} button.copy").count() == (1 if field["value"]["zh"] else 0)
    screen = page.inner_text("main")
    assert not re.search(r"\b(order_record|payment_proof|account_recovered|transaction|payment_channel|alipay)\b",
                         screen), "raw code shown"

    # Letters: one per step, copied in one tap, split to fit where they are pasted.
    assert page.locator("#letters .letter-box").count() == len(dispute["letters"]) > 0
    key, letter = next(iter(dispute["letters"].items()))
    box = f"#letters .letter-box[data-letter='{key}']"
    page.tap(f"{box} .part[data-part='1'] button.copy")
    page.wait_for_selector(f"{box} .part[data-part='1'] button.copy[data-copied=true]")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.inner_text(f"{box} .part[data-part='1'] pre")
    for target, limit in LIMITS.items():
        page.tap(f"{box} .formats button[data-target='{target}']")
        page.wait_for_selector(f"{box} .parts[data-target='{target}']")
        parts = page.locator(f"{box} .part pre").all_inner_texts()
        assert all(len(part) <= limit for part in parts), (target, [len(p) for p in parts])
        joined = "\n".join(re.sub(r"^（\d+/\d+）", "", part) for part in parts)
        # Nothing of the letter is lost: every line is there, in order.
        assert "".join(plain_lines(joined)).replace(" ", "") == "".join(plain_lines(letter["zh"])).replace(" ", "")
    assert len(page.locator(f"{box} .part").all()) > 1, "the 12315 format splits a long letter into parts"
    last = page.locator(f"{box} .part button.copy").last
    last.tap()
    assert page.evaluate("navigator.clipboard.readText()") == page.locator(f"{box} .part pre").last.inner_text()

    # The evidence pack: downloaded on the phone, verified offline.
    for button in ("#pack-download", "#pack-share"):
        with page.expect_download() as download_info:
            page.tap(button)
        pack = tmp_path / f"pack{button[6:]}.zip"
        download_info.value.save_as(pack)
        kadun = Path(sys.executable).with_name("kadun")
        result = subprocess.run([str(kadun), "verify", str(pack)], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0 and result.stdout.startswith("OK"), result.stdout + result.stderr


def _attachments(phone, page, dispute_id) -> list[dict]:
    dispute = phone.api(page, "GET", f"/v1/disputes/{dispute_id}").get_json()
    return [e for e in dispute.get("evidence", []) if str(e.get("id", "")).startswith("att_")]


def _attach(page, name: str, data: bytes) -> None:
    page.select_option("#attach-kind", "payment_proof")
    page.set_input_files("#attach-files", files=[{"name": name, "mimeType": "image/png", "buffer": data}])
    page.tap("#attach-submit")


def test_uploads_wait_offline_survive_a_restart_and_leave_only_when_acknowledged(phone):
    page = paired_phone_page(phone)
    phone.wait_for_worker(page)
    capture_order(phone, page)
    dispute_id = build_dispute(page)
    assert _attachments(phone, page, dispute_id) == []

    # Offline: the upload waits in IndexedDB.
    phone.context.set_offline(True)
    _attach(page, "bill.png", PNG)
    wait_for(lambda: len(phone.queue(page)) == 1, page=page, message="the queued upload")
    item = phone.queue(page)[0]
    assert item["type"] == "file" and item["dispute_id"] == dispute_id and item["state"] == "pending"

    # The app restarts offline: the shell comes from the service worker, the item is still there.
    page.close()
    page = phone.context.new_page()
    page.goto(f"{phone.backend.url}/m/#/capture")
    page.wait_for_selector("#capture-screen #queue-list li[data-queue-id]")
    assert page.is_visible("#net-state")

    # Back online: sent once, acknowledged, gone from the queue, stored on the backend.
    phone.context.set_offline(False)
    wait_for(lambda: phone.queue(page) == [], page=page, message="the queue to drain when online")
    stored = wait_for(lambda: _attachments(phone, page, dispute_id), page=page, message="the attachment")
    assert len(stored) == 1
    page.wait_for_selector(f"#result-list li[data-result-id='{item['id']}']")

    # The backend fails (503): the item stays and is retried; a refusal (4xx) stays with its reason.
    page.goto(f"{phone.backend.url}/m/#/dispute/{dispute_id}")
    page.wait_for_selector("#attach-form")
    route = f"{phone.backend.url}/v1/screenshots"  # (an image for a dispute is read as a screenshot too)
    phone.context.route(route, lambda r: r.fulfill(status=503, content_type="application/json",
                                                   body='{"error":"unavailable","message":"down"}'))
    _attach(page, "chat.png", PNG + b"1")
    wait_for(lambda: [q for q in phone.queue(page) if q.get("attempts", 0) >= 1], page=page, message="a failed try")
    assert phone.queue(page)[0]["state"] == "pending"

    # A forged acknowledgement (another file's hash) does not take the item off the queue.
    phone.context.unroute(route)
    phone.context.route(route, lambda r: r.fulfill(status=201, content_type="application/json",
                                                   body='{"id":"att_forged","sha256":"' + "0" * 64 + '"}'))
    page.goto(f"{phone.backend.url}/m/#/capture")
    page.wait_for_selector("#queue-list li[data-queue-id]")
    attempts = phone.queue(page)[0]["attempts"]
    page.tap("#queue-retry")
    wait_for(lambda: phone.queue(page) and phone.queue(page)[0]["attempts"] > attempts, page=page,
             message="the forged answer to be refused")
    assert len(phone.queue(page)) == 1

    phone.context.unroute(route)
    page.tap("#queue-retry")
    wait_for(lambda: phone.queue(page) == [], page=page, message="the real acknowledgement")
    assert len(_attachments(phone, page, dispute_id)) == 2, "stored once each"
