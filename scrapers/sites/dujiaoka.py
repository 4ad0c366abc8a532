"""独角数卡 dujiaoka (single shop; themes unicorn, luna, hyper and the forks' morpho, neon, avatar …).

Recognised by what every theme keeps, not by a theme's look: the routes of routes/common/web.php
(product /buy/{id}, ``form action=create-order``, bill (checkout) /bill/{orderSN}, order detail
/detail-order-sn/{orderSN}, /order-search, /search-order-by-sn|email|browser, the bill page's
check-order-status poll), theme assets under /assets/{theme}/, and the "Powered by 独角数卡" footer.
A page that only mentions dujiaoka (a blog post about installing it) is not one. Order fields as
``<label>订单名称：</label><span>…</span>`` rows; the order name carries a " x N" quantity suffix;
delivered codes in a textarea."""
from __future__ import annotations

import re

from .base import SiteExtractor, register

# patterns of the rules below, compiled once (re's own cache costs a lookup per call)
_BUY_ROUTE = re.compile(r"^/buy/\d+")
_THEME = re.compile(r"/assets/([a-z][\w-]*)/")


# (fingerprint parts, marker, weight): a page is dujiaoka's at a total of 3. Routes and assets count
# where the page links or loads them, the generator mark in the footer's text; a page whose text
# only names them (a blog post about installing dujiaoka) is not one.
_MARKERS = [
    (("assets",), re.compile(r"/assets/(?:unicorn|luna|hyper|morpho|neon|avatar|riniba|xiaoyu)/"), 3),
    (("links", "assets", "url"),
     re.compile(r"/order-search\b|/search-order-by-(?:sn|email|browser)\b|/create-order\b|/detail-order-sn/|/check-order-status"), 2),
    (("tail",), re.compile(r"powered by\s*@?\s*(?:独角数卡|dujiaoka)|(?:由|基于)\s*(?:独角数卡|dujiaoka)\s*(?:驱动|提供|搭建)"), 2),
    (("links", "url"), re.compile(r"/buy/\d+"), 1),
    (("assets",), re.compile(r"/assets/[a-z][\w-]*/(?:css|js|images?|img|layui|bootstrap)/"), 1),
]
_PATHS = re.compile(r"^/(?:bill|detail-order-sn)/[A-Za-z0-9]{8,}$")


@register
class Dujiaoka(SiteExtractor):
    system = "dujiaoka"
    priority = 50
    single_shop = True

    @classmethod
    def matches(cls, doc) -> bool:
        score = sum(weight for where, marker, weight in _MARKERS if doc.marked(marker, *where))
        if _PATHS.match(doc.path):
            score += 2
        if doc.raw.find("check-order-status", 0, 400000) >= 0:
            score += 2  # the bill page polls its order's status
        return score >= 3

    @property
    def theme(self) -> str | None:
        m = _THEME.search(self.doc.fingerprint())
        return m.group(1) if m else None

    def page_kind(self) -> str:
        path = self.doc.path
        if path.startswith("/bill/"):
            return "checkout"
        if path.startswith("/detail-order-sn/"):
            return "order"
        if _BUY_ROUTE.match(path):
            return "product"
        return super().page_kind()

    def status_hint(self) -> str | None:
        return None
