"""独角数卡 dujiaoka (single shop; themes unicorn, luna, hyper).

Markup: assets under /assets/unicorn|luna|hyper/, footer "Powered by @独角数卡", product page
/buy/{id}, bill (checkout) /bill/{orderSN}, order detail /detail-order-sn/{orderSN}; order fields as
``<label>订单名称：</label><span>…</span>`` rows; the order name carries a " x N" quantity suffix;
delivered codes in a textarea."""
from __future__ import annotations

import re

from .base import SiteExtractor, register

_FINGERPRINT = re.compile(r"/assets/(?:unicorn|luna|hyper)/|独角数卡|dujiaoka")
_PATHS = re.compile(r"^/(?:buy/\d+|bill/[A-Za-z0-9]+|detail-order-sn/[A-Za-z0-9]+|order-search|search-order-by)")


@register
class Dujiaoka(SiteExtractor):
    system = "dujiaoka"
    priority = 50
    single_shop = True

    @classmethod
    def matches(cls, doc) -> bool:
        return bool(_FINGERPRINT.search(doc.fingerprint()))

    @property
    def theme(self) -> str | None:
        m = re.search(r"/assets/(unicorn|luna|hyper)/", self.doc.fingerprint())
        return m.group(1) if m else None

    def page_kind(self) -> str:
        path = self.doc.path
        if path.startswith("/bill/"):
            return "checkout"
        if path.startswith("/detail-order-sn/"):
            return "order"
        if re.match(r"^/buy/\d+", path):
            return "product"
        return super().page_kind()

    def status_hint(self) -> str | None:
        return None
