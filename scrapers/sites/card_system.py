"""card-system by Tai7sy (Laravel + Vue; single shop or multi-merchant 店铺 links).

Markup: footers "Powered by card-system" linking github.com/Tai7sy/card-system, bundles under
/dist/ or /js/app.js with a #app root; shop pages /s/{token} and /shop/{id}; item pages /p/{id} (Classic theme: the item chosen in a
``select#products``, bought with 确认支付 on the same page); order query
/orders?… listing orders with 订单号 / 商品 / 数量 / 金额 / 状态 and delivered cards."""
from __future__ import annotations

import re

from ..text import squash
from ..visible import visible_text
from . import orders
from .base import SiteExtractor, register

_ROUTES = re.compile(r"/plugins/theme_classic/|/s#/record|/s#/report|tai7sy|fakaxitong"
                     r"|/dist/js/chunk-vendors\.[0-9a-f]+\.js.*web_shop")
_GENERATOR = re.compile(r"tai7sy|powered by\s*card-?system|card-system|卡密售卖系统")


@register
class CardSystem(SiteExtractor):
    system = "card-system"
    priority = 20
    single_shop = False  # every user of a card-system site runs a shop (店铺) with its own 卖家QQ

    @classmethod
    def matches(cls, doc) -> bool:
        return doc.marked(_ROUTES, "assets", "links", "url") or doc.marked(_GENERATOR, "tail", "meta")

    def page_kind(self) -> str:
        if re.match(r"^/(?:s|shop)/\w+", self.doc.path) and not self.has_buy_button():
            return "shop"
        if re.match(r"^/p/\w+", self.doc.path) and orders.focus(self) is None:
            return "product"  # /p/{product}: the item with its own order form (its button says 确认支付)
        return super().page_kind()

    def product_title(self) -> str | None:
        # Classic theme: the item is the chosen entry of the shop's goods menu
        root = self.doc.root
        if root is not None:
            for select in root.iter("select"):
                what = " ".join(filter(None, (select.get("id"), select.get("name"), select.get("title")))).lower()
                if (re.search(r"product|goods|商品", what) and not re.search(r"categor|分类|类别|type", what)
                        and not orders.hidden(select)):
                    for option in select.iter("option"):
                        text = squash(visible_text(option))
                        if option.get("selected") is not None and option.get("value") not in (None, "", "-1", "0") and text:
                            return text
        return super().product_title()
