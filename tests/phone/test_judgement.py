"""Phone evidence in the order's judgement (server/risk): what OCR read from a screenshot (the
reading is stored as the reader stores it; the reading itself is tested with the real Tesseract in
tests/ocr and test_phone_api.py) decides the checklist's 付款凭证 and 问题证明, the phase and the
stated time of each screenshot, the paid amount; and a page the server fetched itself is gathered
beside the extension's capture of the same page and compared with it."""
from __future__ import annotations

import copy
import uuid

from server.clock import parse_iso
from server.storage import captures, uploads
from tests.conftest import FIXTURES
from tests.disputes.scenario import (
    PNG_1PX,
    fixture_url,
    labelled,
    open_dispute,
    rebuild,
    store,
    store_fixture,
)

USER = "u_phone_judgement"
XC_ORDER = "XC20261124100322581"
OCCURRED = "2026-11-26T11:00:00+08:00"
CREATED = "2026-11-26T14:00:00+08:00"


def _payment(**fields) -> dict:
    reading = {"kind": "payment", "platform": "alipay", "payee": "星辰卡盟", "amount": "188.00", "currency": "CNY",
               "time": "2026-11-24T10:05:40+08:00", "transaction_no": "2026112422001412345678901234",
               "merchant_order_no": None, "item": None, "status": "交易成功", "problem": None, "numbers": [],
               "times": [], "text": ""}
    return {**reading, **fields}


def _upload(app, reading: dict | None, *, kind: str = "other", at: str = "2026-11-26T12:00:00.000+08:00",
            dispute_id: str = "", order_no: str | None = None, match: dict | None = None, state: str = "done"):
    """An uploaded screenshot with what OCR read from it, as the reader stores it."""
    svc = app.extensions["kadun"]
    return uploads.add(svc.redis, USER, data=PNG_1PX + uuid.uuid4().bytes, kind=kind, filename="shot.png",
                       content_type="image/png", now=lambda: at, sign=lambda p: svc.signer.sign(p).as_dict(),
                       dispute_id=dispute_id, order_no=order_no,
                       reading_state={"state": state, "reading": reading, "match": match})


def _dispute(app, problem: str = "account_recovered", now: str = "2026-11-26T15:00:00+08:00") -> dict:
    return open_dispute(app, USER, problem, domain="xingchen-km.com", order_no=XC_ORDER, occurred_at=OCCURRED,
                        created_at=CREATED, now=now)


def _row(dispute: dict, item: str) -> dict:
    return next(r for r in dispute["checklist"] if r["item"] == item)


def _item(dispute: dict, item_id: str) -> dict | None:
    return next((e for e in dispute["evidence"] if e["id"] == item_id), None)


def test_a_payment_record_read_before_the_order_page_was_saved_still_pays_for_the_order(app):
    # Uploaded and read first (the reader found no order to file it under), left as "other".
    shot = _upload(app, _payment(), at="2026-11-24T10:07:00.000+08:00")
    store_fixture(app, USER, "xingchen-km-order", "2026-11-24T10:09:00.000+08:00")
    d = _dispute(app)
    row = _row(d, "payment_proof")
    assert row["state"] == "present" and row["evidence"] == [shot.id]
    item = _item(d, shot.id)
    assert item["kind"] == "payment_proof" and item["uploaded_kind"] == "other" and item["phase"] == "transaction"
    assert item["ocr"]["match"]["by"] == "amount_time" and item["ocr"]["match"]["order_no"] == XC_ORDER
    assert {"item": "payment_proof", "state": "present"} in item["proves"]
    stated = [e for e in d["timeline"] if e["source"] == {"attachment_id": shot.id} and e["stated_at"]]
    assert [(e["phase"], parse_iso(e["at"])) for e in stated] == [
        ("transaction", parse_iso("2026-11-24T10:05:40+08:00"))]
    assert "188.00" in stated[0]["summary"]["zh"] and "支付宝" in stated[0]["summary"]["zh"]
    assert "Alipay" in stated[0]["summary"]["en"]


def test_another_payment_of_the_user_is_not_evidence_of_the_order(app):
    other_amount = _upload(app, _payment(amount="18.80"))
    too_late = _upload(app, _payment(time="2026-11-24T13:30:00+08:00"))
    store_fixture(app, USER, "xingchen-km-order", "2026-11-24T10:09:00.000+08:00")
    d = _dispute(app)
    assert _item(d, other_amount.id) is None and _item(d, too_late.id) is None
    assert _row(d, "payment_proof")["state"] == "partial"  # only the shop's own "paid"


def test_a_screenshot_the_reader_filed_under_another_shops_order_stays_there(app):
    store_fixture(app, USER, "xingchen-km-order", "2026-11-24T10:09:00.000+08:00")
    elsewhere = {"snapshot_id": "snp_x", "domain": "another-shop.example", "order_no": XC_ORDER, "by": "order_no",
                 "minutes_apart": None}
    shot = _upload(app, _payment(amount="66.00", merchant_order_no=XC_ORDER), order_no=XC_ORDER, match=elsewhere)
    assert _item(_dispute(app), shot.id) is None


def test_payment_proof_read_as_another_payment_is_only_partial(app):
    store_fixture(app, USER, "xingchen-km-order", "2026-11-24T10:09:00.000+08:00")
    d = _dispute(app)
    shot = _upload(app, _payment(amount="18.80"), kind="payment_proof", dispute_id=d["id"])
    again = rebuild(app, USER, d["id"], "2026-11-26T15:00:00+08:00")
    row = _row(again, "payment_proof")
    assert row["state"] == "partial" and shot.id in row["evidence"]
    assert "金额或时间与本订单不符" in row["complete"]["zh"] and "not this order's" in row["complete"]["en"]
    assert _item(again, shot.id)["ocr"]["match"] is None


def test_payment_proof_ocr_could_not_read_counts_on_the_uploaders_word(app):
    store_fixture(app, USER, "xingchen-km-order", "2026-11-24T10:09:00.000+08:00")
    d = _dispute(app)
    shot = _upload(app, None, kind="payment_proof", dispute_id=d["id"], state="failed")
    again = rebuild(app, USER, d["id"], "2026-11-26T15:00:00+08:00")
    assert _row(again, "payment_proof") == {**_row(again, "payment_proof"), "state": "present", "evidence": [shot.id]}


def test_a_record_that_shows_the_order_number_gives_the_paid_amount(app):
    facts = copy.deepcopy(labelled("xingchen-km-order"))
    facts["order"]["amount"] = None  # an order page that does not state what was paid
    facts["timestamps"] = []
    file = "xingchen-km-order.html"
    store(app, USER, (FIXTURES / file).read_text(encoding="utf-8"), fixture_url(file), facts,
          "2026-11-24T10:09:00.000+08:00")
    shot = _upload(app, _payment(amount="188.00", time="2026-11-20T08:00:00+08:00", numbers=[XC_ORDER]))
    d = _dispute(app)
    assert d["order"]["amount"] == {"amount": "188.00", "currency": "CNY"}
    assert d["order"]["amount_source"] == "payment_record"
    assert _item(d, shot.id)["ocr"]["match"]["by"] == "order_no"


def test_an_error_prompt_is_problem_evidence_at_the_time_it_shows(app):
    store_fixture(app, USER, "xingchen-km-order", "2026-11-24T10:09:00.000+08:00")
    d = _dispute(app)
    before = _row(d, "problem_proof")
    assert before["state"] == "missing"
    prompt = {"kind": "error", "problem": {"kind": "account_recovered", "message": "账号已被找回",
                                           "at": "2026-11-26T10:58:00+08:00"}, "numbers": [], "times": [], "text": ""}
    shot = _upload(app, prompt, dispute_id=d["id"], at="2026-11-26T14:30:00.000+08:00")
    again = rebuild(app, USER, d["id"], "2026-11-26T15:00:00+08:00")
    row = _row(again, "problem_proof")
    assert row["state"] == "present" and row["evidence"] == [shot.id]
    item = _item(again, shot.id)
    assert item["kind"] == "error_screenshot" and item["phase"] == "problem"
    events = [e for e in again["timeline"] if e["source"] == {"attachment_id": shot.id}]
    assert {(e["phase"], e["stated_at"]) for e in events} == {("problem", None), ("problem", "2026-11-26T10:58:00+08:00")}
    assert any("账号已被找回" in e["summary"]["zh"] for e in events)


def test_a_chat_read_from_an_upload_moves_the_badges_seller_reply_window(app):
    """The badge keeps the order's view; an upload's reading is something it was computed from."""
    from server.risk import service

    r = app.extensions["kadun"].redis
    store_fixture(app, USER, "xingchen-km-order", "2026-11-24T10:09:00.000+08:00")
    d = _dispute(app)
    url = fixture_url("xingchen-km-order.html")

    def reply_deadline():
        view = service.risk_for_url(r, USER, url, now="2026-11-26T16:00:00+08:00")["order"]
        return parse_iso(next(w for w in view["windows"] if w["kind"] == "seller_reply")["deadline"])

    assert reply_deadline() == parse_iso("2026-11-28T14:00:00+08:00")  # from the dispute
    shot = _upload(app, None, dispute_id=d["id"], at="2026-11-26T12:30:00.000+08:00", state="queued")
    assert reply_deadline() == parse_iso("2026-11-28T14:00:00+08:00")  # not read yet: nothing known
    uploads.set_reading(r, USER, shot.id, {"state": "done", "reading": {"kind": "chat", "numbers": [], "times": [],
                                                                        "text": ""}, "match": None})
    assert reply_deadline() == parse_iso("2026-11-28T12:30:00+08:00")  # from the chat the buyer uploaded


def _server_capture(app, html: str, url: str, facts: dict, at: str) -> captures.Capture:
    """A shared link the backend fetched itself, kept as ingest keeps it (source "server")."""
    svc = app.extensions["kadun"]
    fetch = {"requested_url": url, "final_url": url, "status": 200, "address": "203.0.113.7",
             "hops": [{"url": url, "address": "203.0.113.7", "status": 200}], "body_sha256": "0" * 64,
             "started_at": at}
    capture, created = captures.store(
        svc.redis, USER, client_id=f"share:{uuid.uuid4()}", html=html.encode(), screenshot=None, url=url, title=None,
        captured_at=None, clock_offset_seconds_of=lambda _: None, trigger="share", extension_version=None,
        facts=facts, now=lambda: at, sign=lambda p: svc.signer.sign(p).as_dict(), source="server", fetch=fetch)
    assert created
    return capture


def fetched_after_a_change(app) -> tuple[captures.Capture, captures.Capture, list[str], str]:
    """The order page, the extension's product page, and later the server's fetch of that page
    after the shop renamed the item and dropped two promises (shared as an http link with an
    anchor: the same page, though its title no longer names the order's item)."""
    store_fixture(app, USER, "xingchen-km-order", "2026-11-24T10:09:00.000+08:00")
    extension = store_fixture(app, USER, "xingchen-km-product", "2026-11-24T10:01:00.000+08:00")
    facts = copy.deepcopy(labelled("xingchen-km-product"))
    removed = [p["quote"] for p in facts["promises"]][:2]
    facts["promises"] = facts["promises"][2:]
    facts["product"]["title"] = "已下架商品"
    html = (FIXTURES / "xingchen-km-product.html").read_text(encoding="utf-8")
    for quote in removed:
        html = html.replace(quote, "")
    url = fixture_url("xingchen-km-product.html").replace("https://", "http://") + "#reviews"
    server = _server_capture(app, html, url, facts, "2026-11-26T13:00:00.000+08:00")
    return extension, server, removed, url


def test_a_server_fetch_of_a_changed_product_page_is_gathered_and_cross_checked(app):
    extension, server, removed, url = fetched_after_a_change(app)
    d = _dispute(app)
    [check] = d["cross_checks"]
    assert check["server"]["snapshot_id"] == server.id and check["extension"]["snapshot_id"] == extension.id
    assert check["match"] is False and check["same_bytes"] is False
    assert set(removed) <= set(check["only_extension"]) and check["only_server"] == []
    assert any(line.startswith("-") and removed[0] in line for line in check["diff"])
    assert check["server"]["fetch"]["address"] == "203.0.113.7"
    assert "不同" in check["summary"]["zh"] and "differs" in check["summary"]["en"]
    item = _item(d, server.id)
    assert item["source"] == "server" and item["fetch"]["final_url"] == url
    assert _item(d, extension.id)["source"] == "extension"


def test_the_server_fetching_the_same_bytes_is_one_item_and_a_match(app):
    store_fixture(app, USER, "xingchen-km-order", "2026-11-24T10:09:00.000+08:00")
    extension = store_fixture(app, USER, "xingchen-km-product", "2026-11-24T10:01:00.000+08:00")
    file = "xingchen-km-product.html"
    server = _server_capture(app, (FIXTURES / file).read_text(encoding="utf-8"), fixture_url(file),
                             labelled("xingchen-km-product"), "2026-11-26T13:00:00.000+08:00")
    d = _dispute(app)
    [check] = d["cross_checks"]
    assert check["match"] and check["same_bytes"] and "并非由买家浏览器伪造" in check["summary"]["zh"]
    item = _item(d, extension.id)
    assert item["source"] == "both" and item["ids"] == [extension.id, server.id]
    assert item["fetch"]["address"] == "203.0.113.7"
