"""What holds for the ready-to-file complaint fields of every dispute (``dispute["complaints"]``),
checked on every dispute scenario through ``scenario.assert_invariants``: each field within its
form's length limit, in zh and in en, filled, with no raw code and no unfilled placeholder."""
from __future__ import annotations

import re

from server import rules
from server.disputes.kinds import ATTACHMENT_KINDS, PROBLEMS
from server.risk.order import CHECKLIST
from server.rules.schema import WINDOW_KINDS

# Words of the API's vocabularies that a reader must never see as such.
CODES = {*PROBLEMS, *CHECKLIST, *ATTACHMENT_KINDS, *WINDOW_KINDS, "alipay", "wechat", "qqpay", "usdt",
         "not_received", "not_as_described", "no_after_sales", "order_record", "page_kind", "payment_method",
         # order statuses and page kinds (contract/page-facts.md)
         "unpaid", "paid", "delivered", "refunded", "closed", "disputed", "product", "checkout", "order", "shop",
         "terms", "chat", "card", "balance", "paypal", "other", "refund", "replace", "compensation"}
SNAKE = re.compile(r"(?<![A-Za-z0-9/._-])[a-z]+(?:_[a-z]+)+(?![A-Za-z0-9_])")
ASCII_WORD = re.compile(r"(?<![A-Za-z0-9/._-])[a-z]{3,}(?![A-Za-z0-9_])")


def raw_codes(text: str, lang: str) -> list[str]:
    """Codes in ``text``: snake_case words, any vocabulary word in a Chinese text, wallet codes in English."""
    found = SNAKE.findall(text)
    words = ASCII_WORD.findall(text)
    if lang == "zh":
        found += [w for w in words if w in CODES]
    else:
        found += [w for w in words if w in {"alipay", "wechat", "qqpay", "usdt"}]
    return found


def assert_complaints(dispute: dict) -> None:
    complaints = dispute["complaints"]
    forms = rules.entry("complaints", "forms")
    assert [c["form"] for c in complaints] == [f for f in forms if f in {c["form"] for c in complaints}]
    order = dispute["order"]
    names = {c["form"] for c in complaints}
    # Every plan that goes past the seller and the platform has its forms; a buyer who only no longer
    # wants what arrived (a return without a reason) has nothing to complain of.
    beyond = any(s["step"] not in ("seller", "platform") for s in dispute["escalation"])
    assert ("heimao" in names) == beyond
    assert ("regulator" in names) == (not order["cross_border"] and beyond)
    # A payment app's form goes with the payment-app complaint on the plan's platform step: the app the
    # order was paid through (its payment method, a matched payment record, or the app an off-platform
    # request named); the step names the form, whose description asks the app for the remedy.
    platform = next(s for s in dispute["escalation"] if s["step"] == "platform")
    pay = platform.get("payment_channel")
    app = pay["app"] if pay else None
    assert ("alipay" in names) == (app == "alipay")
    assert ("wechat_pay" in names) == (app == "wechat")
    if order.get("payment_method") in ("alipay", "wechat") and not order["cross_border"] and beyond:
        assert app == order["payment_method"]
    if pay:
        form = next(c for c in complaints if c["form"] == pay["form"])
        app_name = pay["app_name"]
        assert app_name["zh"] in pay["channel"] and app_name["en"] in pay["channel_en"]
        assert app_name["zh"] in pay["basis"]["zh"] and app_name["en"] in pay["basis"]["en"]
        assert app_name["zh"] in form["name"]["zh"]
        values = {f["key"]: f["value"] for f in form["fields"]}
        # The description opens with what the app is asked to get from the payee; the Chinese one (the
        # one filed) is whole.
        assert values["pay_facts"]["zh"].startswith("请") and "收款方" in values["pay_facts"]["zh"][:12]
        assert not values["pay_facts"]["zh"].endswith("…"), values["pay_facts"]["zh"]
        assert values["pay_facts"]["en"].startswith("Please") and "payee" in values["pay_facts"]["en"][:40]
    for complaint in complaints:
        assert complaint["name"]["zh"] and complaint["how"]["zh"] and complaint["how"]["en"]
        keys = [f["key"] for f in complaint["fields"]]
        assert keys == forms[complaint["form"]]["fields"]
        for field in complaint["fields"]:
            spec = rules.entry("complaints", "fields", field["key"])
            assert field["max_length"] == spec["max"]
            for lang in ("zh", "en"):
                value = field["value"][lang]
                where = f"{complaint['form']}.{field['key']}.{lang}"
                assert value.strip(), f"{where} is empty"
                assert len(value) <= spec["max"], f"{where}: {len(value)} > {spec['max']}"
                ours = value.replace(dispute.get("description") or "\0", "")  # the buyer's own words are theirs
                assert not raw_codes(ours, lang), f"{where} shows codes {raw_codes(ours, lang)}: {value!r}"
                assert "{" not in value and "}" not in value, f"{where} has a placeholder: {value!r}"
                if spec.get("one_line"):
                    assert "\n" not in value, where
            if field["key"] == "order_no" and order.get("order_no"):
                assert field["value"]["zh"] == order["order_no"]
            if field["key"] in ("evidence", "evidence_short"):
                first = dispute["evidence"][0]
                sha = first["sha256"] if field["key"] == "evidence" else first["sha256"][:12]
                assert sha in field["value"]["zh"] and sha in field["value"]["en"]
            if field["key"] == "demand":
                words = rules.entry("complaints", "demands", "words")
                wanted = rules.entry("complaints", "demands", "kinds")[dispute["problem"]]
                assert field["value"]["zh"] == "、".join(words[k]["zh"] for k in wanted)


def payment_complaint(dispute: dict) -> tuple[dict, dict]:
    """The platform step's payment-app complaint and its ready-to-file form's values by field key
    (``{key: {zh, en}}``)."""
    platform = next(s for s in dispute["escalation"] if s["step"] == "platform")
    pay = platform["payment_channel"]
    form = next(c for c in dispute["complaints"] if c["form"] == pay["form"])
    return pay, {f["key"]: f["value"] for f in form["fields"]}
