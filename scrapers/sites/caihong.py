"""彩虹自助下单 / 彩虹发卡 (single site with 分站; PHP).

Markup: routes by ``?mod=`` (?mod=query, ?mod=buy, ?mod=shop), assets under assets/faka/ or
assets/store/, user/regsite.php (网站搭建); forks with their own theme folders (小储云) are not it; the query page lists the buyer's recent orders in a
table (订单ID 名称 数量 金额 状态 日期) and expands the searched one (tr.info) with 订单编号/卡密信息."""
from __future__ import annotations

import re

from .base import SiteExtractor, register

_ROUTES = re.compile(r"[?&]mod=(?:query|buy|shop|cart|faka)|assets/faka/|assets/store/|user/regsite\.php")
# forks that kept the ?mod= routes but render their own themes (小储云商城: assets/template/<theme>/, ?mod=route&p=…)
# are other systems: the shared routes alone do not make them 彩虹
_FORK = re.compile(r"assets/template/|[?&]mod=route\b")
_GENERATOR = re.compile(r"彩虹(?:自助下单|发卡|秒发|代刷|云商城|系统)|powered by\s*彩虹")


@register
class Caihong(SiteExtractor):
    system = "caihong"
    priority = 20
    single_shop = True

    @classmethod
    def matches(cls, doc) -> bool:
        if doc.marked(_GENERATOR, "tail", "meta"):
            return True
        return doc.marked(_ROUTES, "assets", "links", "url") and not doc.marked(_FORK, "assets", "links")

    def page_kind(self) -> str:
        mod = self.doc.query.get("mod", "")
        if mod == "query":
            return "order"
        if mod in ("buy", "shop"):
            return "product"
        return super().page_kind()

    def product_title(self) -> str | None:
        for el in self.doc.with_class("trade-goodinfo", "goodsname", "goods-name"):
            text = self.doc.first_text(el)
            if 2 <= len(text) <= 120:
                return text
        return super().product_title()

    def platform_name(self, holder):
        name = super().platform_name(holder)
        if holder:
            return name
        head = re.split(r"\s+[-|_]\s+", self.doc.title)[0].strip()
        return head or name
