"""Real rendered phone screenshots read by the real Tesseract, and the field rules on their own."""
from __future__ import annotations

import random

import pytest

from server.ocr.engine import Line
from server.ocr.fields import clean_number, parse_amount, parse_time, read_fields, split_label
from server.ocr.reader import read_screenshot
from server.risk.payments import OrderSeen, match_payment

from .screens import MAKERS

# (maker, seed, dark): light and dark, each bill layout, prompts and a chat
CASES = [("alipay", 3, False), ("alipay", 4, True), ("wechat", 5, False), ("wechat", 6, True), ("bank", 7, True),
         ("error", 8, False), ("error", 9, True), ("chat", 10, False)]


@pytest.mark.parametrize(("maker", "seed", "dark"), CASES, ids=[f"{m}-{s}{'-dark' if d else ''}" for m, s, d in CASES])
def test_rendered_screenshots_are_read_exactly(renderer, maker, seed, dark):
    screen = MAKERS[maker](random.Random(seed), dark)
    reading, _ms = read_screenshot(renderer.png(screen))
    expected = screen.expected
    if screen.kind == "payment":
        assert reading.kind == "payment"
        assert reading.amount == expected["amount"]
        assert (reading.time or "")[:19] == expected["time"]
        assert reading.transaction_no == expected["transaction_no"]
        assert reading.currency == "CNY"
    elif screen.kind == "error":
        assert reading.kind == "error" and reading.problem["kind"] == expected["problem"]
        assert reading.problem["at"].startswith(expected["time"])
    else:
        assert reading.kind == "chat" and expected["order_no"] in reading.numbers


def test_a_non_image_is_refused_clearly():
    from server.errors import Unprocessable

    with pytest.raises(Unprocessable) as refused:
        read_screenshot(b"%PDF-1.4 not an image")
    assert "image" in refused.value.message


# --- the field rules, by example ----------------------------------------------------------------
TIMES = [("2026-11-24 10:03:30", "2026-11-24T10:03:30+08:00"), ("2026年11月24日 10:03:30", "2026-11-24T10:03:30+08:00"),
         ("2026/11/24 10:03", "2026-11-24T10:03+08:00"), ("2026 年 1 月 4 日 9:05:07", "2026-01-04T09:05:07+08:00"),
         ("2026-11-24", None), ("2026-13-40 10:00", None)]


@pytest.mark.parametrize(("text", "iso"), TIMES, ids=[t for t, _ in TIMES])
def test_times(text, iso):
    assert parse_time(text) == iso


AMOUNTS = [("-188.00", "188.00"), ("¥1,688.50", "1688.50"), ("-1354.00 元", "1354.00"), ("+25.6", "25.60"),
           ("188", "188.00"), ("交易成功", None)]


@pytest.mark.parametrize(("text", "amount"), AMOUNTS, ids=[t for t, _ in AMOUNTS])
def test_amounts(text, amount):
    assert parse_amount(text) == amount


def test_numbers_and_labels():
    assert clean_number("2026 0821 2200 17O6 6907") == "20260821220017066907"
    assert clean_number("T2026082112501336O837") == "T20260821125013360837"
    assert clean_number("交易成功") is None
    assert split_label("文付时间 2026-08-21 12:50:13")[:2] == ("time", "支付时间")  # one misread character
    assert split_label("商家订单号 ”T2026")[0] == "merchant_order_no"  # the longer label wins over 订单号
    assert split_label("商品 王者荣耀")[0] == "item" and split_label("商户 王者")[0] is None


def _line(text: str, top: int, left: int = 38) -> Line:
    """A line as Tesseract gives it: a label at the left edge, its value in the column at 250 px."""
    return Line(text, left, top, 600, 30, 90.0, [(w, left if i == 0 else 250) for i, w in enumerate(text.split())])


def test_a_wrapped_transaction_number_is_joined():
    lines = [_line("杭州星辰网络科技有限公司", 200, 150), _line("-188.00", 280, 230),
             _line("支付时间 2026-11-24 10:03:40", 500), _line("交易单号 20261124220014123456789", 580),
             Line("01234", 250, 625, 100, 30, 90.0, [("01234", 250)]), _line("商家订单号 XC20261124100322581", 700)]
    reading = read_fields(lines)
    assert reading.transaction_no == "2026112422001412345678901234"
    assert reading.merchant_order_no == "XC20261124100322581"
    assert reading.payee == "杭州星辰网络科技有限公司" and reading.amount == "188.00"


ORDERS = [OrderSeen("snp_a", "xingchen-km.com", "XC20261124100322581", "188.00", "CNY",
                    ["2026-11-24T10:03:22+08:00", "2026-11-24T10:03:40+08:00"], "2026-11-24T10:04:00+08:00"),
          OrderSeen("snp_b", "other.cn", "OT1", "188.00", "CNY", [], "2026-11-20T08:00:00+08:00")]


def test_payment_matching_by_number_then_amount_and_time():
    by_number = {"kind": "payment", "amount": "1.00", "merchant_order_no": "XC20261124100322581", "numbers": []}
    assert match_payment(by_number, ORDERS, 30)["by"] == "order_no"
    near = {"kind": "payment", "amount": "188.00", "currency": "CNY", "time": "2026-11-24T10:20:00+08:00"}
    match = match_payment(near, ORDERS, 30)
    assert match["snapshot_id"] == "snp_a" and match["by"] == "amount_time" and match["minutes_apart"] == 16.3
    assert match_payment({**near, "time": "2026-11-24T11:30:00+08:00"}, ORDERS, 30) is None  # outside the window
    assert match_payment({**near, "amount": "18.80"}, ORDERS, 30) is None  # another amount
    assert match_payment({**near, "kind": "chat"}, ORDERS, 30) is None
