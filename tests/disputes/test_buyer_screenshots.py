"""A buyer who has no page of the order at all, only phone screenshots (a chat with the seller and
the WeChat Pay bill), read by the real OCR reader (Tesseract) after POST /v1/screenshots, then the
dispute through the API."""
from __future__ import annotations

import html
import io
import random
from datetime import datetime

import pytest

from server.clock import CHINA
from server.ocr.worker import OcrWorker
from tests.ocr.screens import Renderer, Screen, _page, _status_bar, wechat

from .complaint_checks import payment_complaint
from .contract_checks import assert_contract

ORDER_NO = "3789216655102938471"


@pytest.fixture(scope="module")
def renderer():
    rendering = Renderer()
    yield rendering
    rendering.close()


def _chat(lines: list[tuple[str, str]], when: datetime) -> Screen:
    css = (".msg { margin: 10px 14px; display: flex; } .me { justify-content: flex-end; }"
           " .bubble { max-width: 72%; padding: 8px 12px; border-radius: 8px; background: #fff; }"
           " .me .bubble { background: #95ec69; color: #111; } .time { text-align: center; font-size: 12px; }")
    bubbles = "".join(f'<div class="msg {"me" if who == "me" else ""}"><div class="bubble">{html.escape(t)}</div></div>'
                      for who, t in lines)
    body = (_status_bar(when.strftime("%H:%M")) + '<div class="nav"><span class="back">&lt;</span>小鱼代充</div>'
            f'<div class="time sub">{when.strftime("%Y-%m-%d %H:%M")}</div>' + bubbles)
    return Screen("chat", "chat", _page(body, False, 16, css), False, (390, 844, 3), {})


def _upload(client, auth, data: bytes, **form) -> dict:
    response = client.post("/v1/screenshots", headers=auth, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(data), "shot.png"), **form})
    assert response.status_code == 202, response.get_json()
    return response.get_json()


def test_only_a_chat_screenshot_and_a_wechat_bill_no_order_page(client, auth, app, renderer):
    """Advisor: with no order page, the chat and the WeChat Pay bill are the case: the bill's own
    complaint entry reaches the payee (the only channel that surely reaches them), the seller's
    words asking for a transfer are a fraud sign for the police; the order page, the description
    and proof of the problem are what is still missing. KaDun must open the dispute (not answer
    "save the order page first") and say so."""
    r = app.extensions["kadun"].redis
    when = datetime(2026, 12, 5, 20, 6, tzinfo=CHINA)
    chat = _chat([("them", f"订单 {ORDER_NO} 拍下后不要在平台付款"), ("them", "加我微信直接转账25元，马上发卡"),
                  ("me", "已经微信转账25元了"), ("me", "怎么还没发货？")], when)
    bill = wechat(random.Random(3), dark=False, payee="小鱼代充", amount="25.00",
                  when=datetime(2026, 12, 5, 20, 8, 12, tzinfo=CHINA))
    chat_up = _upload(client, auth, renderer.png(chat), kind="chat_log", order_no=ORDER_NO)
    bill_up = _upload(client, auth, renderer.png(bill), kind="payment_proof", order_no=ORDER_NO)
    worker = OcrWorker(r)
    assert worker.run_once() and worker.run_once()
    reading = client.get(f"/v1/screenshots/{bill_up['id']}", headers=auth).get_json()["ocr"]["reading"]
    assert reading["platform"] == "wechat" and reading["amount"] == "25.00"

    response = client.post("/v1/disputes", headers=auth, json={
        "domain": "goofish.com", "order_no": ORDER_NO, "problem": "not_delivered",
        "occurred_at": "2026-12-05T21:00:00+08:00", "description": "卖家让微信转账后不发货"})
    assert response.status_code == 201, response.get_json()
    d = response.get_json()
    # The timeline: the bill at its own stated time (transaction), the chat (negotiation).
    phases = [e["phase"] for e in d["timeline"]]
    assert phases[0] == "transaction" and phases[-1] == "negotiation"
    assert {e["source"].get("attachment_id") for e in d["timeline"]} == {chat_up["id"], bill_up["id"]}
    assert set(d["letters"]) == {s["letter"] for s in d["escalation"]}
    states = {row["item"]: row["state"] for row in d["checklist"]}
    assert states["negotiation_record"] == "present" and states["payment_proof"] == "present"
    assert states["order_record"] == "missing" and states["description"] == "missing"
    assert {e["id"] for e in d["evidence"]} == {chat_up["id"], bill_up["id"]}
    assert d["order"]["amount"] == {"amount": "25.00", "currency": "CNY"}
    assert d["order"]["amount_source"] == "payment_record"
    steps = [s["step"] for s in d["escalation"]]
    assert steps[:3] == ["seller", "platform", "regulator"]
    assert_contract(d)
    # The WeChat Pay bill's complaint rides on the platform step; its form carries the order.
    pay, form = payment_complaint(d)
    assert pay["app"] == "wechat" and pay["form"] == "wechat_pay" and "微信支付" in pay["channel"]
    assert form["order_no"]["zh"] == ORDER_NO and form["amount"]["zh"] == "¥25.00"
    assert ORDER_NO in form["pay_facts"]["zh"] and "¥25.00" in form["pay_facts"]["zh"]
    assert "平台之外" in pay["basis"]["zh"] and "平台之外" in form["pay_facts"]["zh"]
    assert "payment_channel" not in d["letters"]
    # The seller's words read on the chat screenshot: a request to pay outside the platform.
    off = [f for f in d["findings"] if f["code"] == "off_platform_payment"]
    assert off and "转账" in off[0]["quote"] and off[0]["evidence"][0]["snapshot_id"] == chat_up["id"]
    assert steps[-1] == "police"
    assert next(s for s in d["escalation"] if s["step"] == "police")["reasons"] == ["off_platform"]
    for letter in d["letters"].values():
        assert bill_up["id"] not in letter["zh"]  # cited by number and hash, never by id
