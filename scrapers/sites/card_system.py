"""card-system by Tai7sy (Laravel + Vue; single shop or multi-merchant 店铺 links).

Markup: footers "Powered by card-system" linking github.com/Tai7sy/card-system, bundles under
/dist/ or /js/app.js with a #app root; shop pages /s/{token} and /shop/{id}; order query
/orders?… listing orders with 订单号 / 商品 / 数量 / 金额 / 状态 and delivered cards."""
from __future__ import annotations

import re

from .base import SiteExtractor, register

_FINGERPRINT = re.compile(r"tai7sy|card-system|cardsystem|卡密售卖系统|/plugins/theme_classic/|/s#/record|/s#/report"
                          r"|/dist/js/chunk-vendors\.[0-9a-f]+\.js.*web_shop|fakaxitong")


@register
class CardSystem(SiteExtractor):
    system = "card-system"
    priority = 20
    single_shop = False  # every user of a card-system site runs a shop (店铺) with its own 卖家QQ

    @classmethod
    def matches(cls, doc) -> bool:
        return bool(_FINGERPRINT.search(doc.fingerprint()))

    def page_kind(self) -> str:
        if re.match(r"^/(?:s|shop)/\w+", self.doc.path) and not self.has_buy_button():
            return "shop"
        return super().page_kind()
