"""qs-faka (multi-merchant 发卡 platform, Vue 3 + TDesign; rendered DOM inside #app).

Markup: /web/assets/vendor-tdesign-*.js bundles, storefronts /links/{token}, order query
/order?orderId=…; orders as dl/dt/dd pairs, 联系商家 block, 免责声明 with a 24-hour platform window;
storefront contacts shown as TDesign icons (t-icon-mobile, t-icon-logo-qq, t-icon-logo-wechat)
beside the value."""
from __future__ import annotations

import re

from ..regexes import may_match
from . import orders
from .base import SiteExtractor, register

_FINGERPRINT = re.compile(r"vendor-tdesign|/web/assets/index-[0-9a-f]{6,}\.js")


@register
class QsFaka(SiteExtractor):
    system = "qs-faka"
    priority = 30
    single_shop = False

    @classmethod
    def matches(cls, doc) -> bool:
        fp = doc.fingerprint()
        return may_match(_FINGERPRINT, fp) and bool(_FINGERPRINT.search(fp)) and (
            "/links/" in doc.path or "/order" in doc.path or doc.raw.find("t-icon", 0, 400000) >= 0
            or "tdesign" in fp)

    def page_kind(self) -> str:
        # the storefront /links/{token} also confirms and pays an order in place: then it is a checkout
        if re.match(r"^/links/\w+", self.doc.path) and orders.focus(self) is None and not self.is_checkout():
            return "shop"
        return super().page_kind()

    def seller_name(self, kind: str) -> str | None:
        if kind == "shop" and self.doc.title:
            return self.doc.title.split(" - ")[0].strip() or None
        return super().seller_name(kind)
