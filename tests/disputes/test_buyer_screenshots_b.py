"""A fake 客服 on QQ asks for a 解冻金 before a refund: the buyer has the order page (saved by the
extension) and a phone screenshot of that chat, read by the real OCR reader (Tesseract) after
POST /v1/screenshots; the dispute is opened through the API."""
from __future__ import annotations

import io
from datetime import datetime

from server.clock import CHINA
from server.ocr.worker import OcrWorker

from . import buyer_pages as P
from .test_buyer_screenshots import _chat, renderer  # noqa: F401  (the module's renderer fixture)

ORDER_NO = "2612061930125561"


def test_a_fake_support_chat_screenshot_asking_for_an_unfreeze_fee(client, auth, app, renderer):  # noqa: F811
    """Advisor: the order (¥88, WeChat Pay) was not delivered; a "客服" on QQ says the refund is
    frozen and asks for a 解冻金 first. KaDun must read it on the screenshot and say: a scam, stop
    paying, police; the refund is still the shop's to make."""
    import uuid

    html = P.shop_order("星河发卡", order_no=ORDER_NO, item="网易云音乐黑胶VIP 年卡", quantity=1,
                        created="2026-12-06 19:30:12", amount="88.00", status="已付款", payment="微信支付", codes=[])
    body = {"client_id": str(uuid.uuid4()), "url": f"https://xinghe-fk.com/detail-order-sn/{ORDER_NO}", "title": "",
            "captured_at": "2026-12-06T21:00:00+08:00", "trigger": "auto", "html": html, "extension_version": "0.1.0"}
    assert client.post("/v1/snapshots", json=body, headers=auth).status_code == 201
    when = datetime(2026, 12, 6, 21, 30, tzinfo=CHINA)
    chat = _chat([("them", "您好，我是星河发卡售后客服"), ("them", "您的退款被系统冻结，需先缴纳解冻金200元"),
                  ("them", "解冻后连同货款原路退回"), ("me", "退款为什么要我先付钱？")], when)
    response = client.post("/v1/screenshots", headers=auth, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(renderer.png(chat)), "qq.png"), "kind": "chat_log",
                                 "order_no": ORDER_NO})
    assert response.status_code == 202, response.get_json()
    assert OcrWorker(app.extensions["kadun"].redis).run_once()
    response = client.post("/v1/disputes", headers=auth, json={
        "domain": "xinghe-fk.com", "order_no": ORDER_NO, "problem": "not_delivered",
        "occurred_at": "2026-12-06T21:00:00+08:00", "description": "没发货，QQ客服说退款要先交解冻金"})
    assert response.status_code == 201, response.get_json()
    d = response.get_json()
    scam = [f for f in d["findings"] if f["code"] == "refund_fee_scam"]
    assert scam and "解冻金" in scam[0]["quote"], [f["code"] for f in d["findings"]]
    assert "停止付款" in scam[0]["explanation"]["zh"]
    police = next(s for s in d["escalation"] if s["step"] == "police")
    assert police["reasons"] == ["refund_fee_scam"] and "停止付款" in police["basis"]["zh"]
