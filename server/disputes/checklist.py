"""The evidence a complaint needs, each item present (with its evidence ids) or missing (with how
to get it). One row per item: a test over the collection and the zh/en "how" text."""
from __future__ import annotations

from collections.abc import Callable

from .collect import Collection, Evidence
from .context import OrderContext

ITEMS = ("order_record", "description", "payment_proof", "delivery_record", "problem_proof", "negotiation_record")

HOW = {
    "order_record": {
        "zh": "在平台的“我的订单”中打开该订单的详情页，让卡盾自动保存（或点击扩展的“保存本页”），并截图订单号、金额和时间。",
        "en": "Open the order's detail page under “My orders” so KaDun saves it (or press “Save this page” in the "
              "extension), and take a screenshot showing the order number, amount and times."},
    "description": {
        "zh": "打开所购商品的详情页并保存；若商品已下架，请在浏览器历史记录或商家店铺中找到该商品，保存含承诺文字的页面。",
        "en": "Open the bought item's product page and save it; if it was removed, find it in your browser history or "
              "the seller's shop and save the page with the promise text."},
    "payment_proof": {
        "zh": "在支付宝/微信/银行App的账单中找到这笔付款，截图收款方、金额、时间和交易单号，作为“付款凭证”上传。",
        "en": "Find the payment in your Alipay / WeChat / bank app, take a screenshot with the payee, amount, time and "
              "transaction number, and upload it as “payment_proof”."},
    "delivery_record": {
        "zh": "在订单页点击“查看卡密/发货信息”后保存页面并截图，记录交付的卡密或账号和发货时间；未发货的，保存显示订单状态的页面。",
        "en": "On the order page click “view codes / delivery details”, then save and screenshot it with the delivered "
              "codes or account and the delivery time; if nothing was delivered, save the page showing the status."},
    "problem_proof": {
        "zh": "截图问题本身：登录失败或账号被找回/封禁的提示、卡密无效的报错、商品页已下架等，作为“问题截图”上传。",
        "en": "Take screenshots of the problem itself: the login failure or recovery / ban notice, the “invalid code” "
              "error, the removed shop page; upload them as “error_screenshot”."},
    "negotiation_record": {
        "zh": "通过平台内置聊天工具联系商家并保留记录（保存聊天页面或导出聊天记录作为“聊天记录”上传）；不要只在QQ/微信私下沟通。",
        "en": "Contact the seller through the platform's own chat and keep the record (save the chat page or upload an "
              "export as “chat_log”); do not talk only over QQ / WeChat."},
}


def _ids(items: list[Evidence]) -> list[str]:
    return [item.id for item in items]


# What an OCR reading shows → the attachment kind it counts as.
READING_KINDS = {"payment": "payment_proof", "error": "error_screenshot", "chat": "chat_log"}


def _atts(coll: Collection, *kinds: str) -> list[Evidence]:
    """Attachments of these kinds: as uploaded, or as their screenshot was read (a payment record
    read by OCR and matched to this order is payment proof whatever the uploader chose)."""
    return [item for item in coll.attachments
            if item.attachment.kind in kinds or READING_KINDS.get(item.reading.get("kind")) in kinds]


def _order_record(coll: Collection, ctx: OrderContext) -> list[Evidence]:
    return [e for e in coll.order if e.kind in ("order", "checkout")]


def _description(coll: Collection, ctx: OrderContext) -> list[Evidence]:
    return [e for e in coll.products if (e.facts.get("promises") or (e.facts.get("product") or {}).get("title"))]


def _payment(coll: Collection, ctx: OrderContext) -> list[Evidence]:
    paid = [e for e in coll.order if e.kind in ("order", "checkout") and (
        (e.facts.get("order") or {}).get("status") in ("paid", "delivered", "refunded", "disputed")
        or any(s.get("role") == "paid" for s in e.facts.get("timestamps") or []))]
    return _atts(coll, "payment_proof") + paid


def _delivery(coll: Collection, ctx: OrderContext) -> list[Evidence]:
    delivered = [e for e in coll.order if e.kind == "order" and (
        (e.facts.get("order") or {}).get("card_codes")
        or any(s.get("role") == "delivered" for s in e.facts.get("timestamps") or []))]
    if not delivered and coll.record.problem in ("not_delivered", "delivery_late", "shop_vanished"):
        # Nothing was delivered: the order page showing its status is the delivery record.
        delivered = [e for e in coll.order if e.kind == "order"]
    return delivered


def _problem(coll: Collection, ctx: OrderContext) -> list[Evidence]:
    after = [e for e in coll.order + coll.products + coll.shops
             if e.kind in ("order", "product", "shop", "other") and e.when >= ctx.occurred_at]
    return _atts(coll, "error_screenshot", "other") + after


def _negotiation(coll: Collection, ctx: OrderContext) -> list[Evidence]:
    return _atts(coll, "chat_log") + [e for e in coll.order if e.kind == "chat"]


RULES: dict[str, Callable[[Collection, OrderContext], list[Evidence]]] = {
    "order_record": _order_record, "description": _description, "payment_proof": _payment,
    "delivery_record": _delivery, "problem_proof": _problem, "negotiation_record": _negotiation,
}

NAMES = {"order_record": {"zh": "订单记录", "en": "order record"},
         "description": {"zh": "商品描述（含承诺）", "en": "item description with the promise"},
         "payment_proof": {"zh": "付款凭证", "en": "payment proof"},
         "delivery_record": {"zh": "交付记录（卡密、时间）", "en": "delivery record (codes, time)"},
         "problem_proof": {"zh": "问题证明", "en": "proof of the problem"},
         "negotiation_record": {"zh": "协商记录", "en": "negotiation record"}}


def build_checklist(coll: Collection, ctx: OrderContext) -> list[dict]:
    out = []
    for item in ITEMS:
        evidence = RULES[item](coll, ctx)
        present = bool(evidence)
        out.append({"item": item, "name": NAMES[item], "present": present, "evidence": _ids(evidence),
                    "how": HOW[item]})
    return out
