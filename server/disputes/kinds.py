"""Problem kinds, phases and the small vocabularies every dispute module shares (zh + en)."""
from __future__ import annotations

PROBLEMS: dict[str, dict[str, str]] = {
    "account_recovered": {"zh": "账号被找回", "en": "the account was recovered by its former owner"},
    "account_banned": {"zh": "账号被封", "en": "the account was banned"},
    "not_as_described": {"zh": "与描述不符", "en": "the goods are not as described"},
    "invalid_code": {"zh": "卡密无效", "en": "the delivered code does not work"},
    "not_delivered": {"zh": "未发货", "en": "the goods were not delivered"},
    "delivery_late": {"zh": "超时未到账", "en": "delivery is later than promised"},
    "seller_unresponsive": {"zh": "商家失联", "en": "the seller does not respond"},
    "platform_stalling": {"zh": "平台推诿", "en": "the platform does not handle the complaint"},
    "shop_vanished": {"zh": "店铺跑路", "en": "the shop disappeared after payment"},
    "other": {"zh": "其他问题", "en": "another problem"},
}

PHASES = ("transaction", "delivery", "problem", "negotiation")
PHASE_NAMES = {"transaction": {"zh": "交易", "en": "Transaction"},
               "delivery": {"zh": "交付", "en": "Delivery"},
               "problem": {"zh": "问题发生", "en": "Problem"},
               "negotiation": {"zh": "协商", "en": "Negotiation"}}

ATTACHMENT_KINDS = ("payment_proof", "chat_log", "error_screenshot", "other")
ATTACHMENT_NAMES = {"payment_proof": {"zh": "付款凭证", "en": "payment proof"},
                    "chat_log": {"zh": "聊天记录", "en": "chat log"},
                    "error_screenshot": {"zh": "问题截图", "en": "screenshot of the problem"},
                    "other": {"zh": "其他材料", "en": "other material"}}

PAGE_NAMES = {"product": {"zh": "商品页", "en": "product page"},
              "checkout": {"zh": "下单/支付页", "en": "checkout page"},
              "order": {"zh": "订单页", "en": "order page"},
              "shop": {"zh": "店铺页", "en": "shop page"},
              "terms": {"zh": "平台规则页", "en": "terms page"},
              "chat": {"zh": "聊天页", "en": "chat page"},
              "other": {"zh": "其他页面", "en": "other page"}}

# Amounts above this (CNY) make the police a step of the plan (LEGAL.md's rule of thumb).
POLICE_THRESHOLD_CNY = 5000


def problem_name(kind: str, lang: str = "zh") -> str:
    return PROBLEMS.get(kind, PROBLEMS["other"])[lang]
