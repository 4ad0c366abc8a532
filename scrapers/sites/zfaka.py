"""ZFAKA (single shop, Yaf + layui; templates such as hyacinth).

Markup: /res/layui/, /templates/{theme}/, "Powered by ZFAKA x.y.z" (github zlkbdotnet/zfaka) or the
default theme's "zlkb.net 出品" footer;
product /product/detail/?pid=N with ``.trade-goodname``, ``.trade-price`` (and a struck-through
``.trade-price-ori``), stock in "(库存:N)"; the default theme shows them in a read-only layui form; order query /product/query with a result table."""
from __future__ import annotations

import re

from .. import labels as L
from ..text import squash
from ..text.money import parse_money
from ..visible import visible_text
from .base import SiteExtractor, register
from .orders import hidden

# patterns of the rules below, compiled once (re's own cache costs a lookup per call)
_PRODUCT_ROUTE = re.compile(r"/product/")


_ROUTES = re.compile(r"/templates/\w+/|/res/layui/.*(?:/product/|zfaka)|zfaka|zlkbdotnet|/product/(?:detail|query)/")
_GENERATOR = re.compile(r"zfaka|zlkb\.net")  # the default theme's footer: "zlkb.net 出品"


@register
class Zfaka(SiteExtractor):
    system = "zfaka"
    priority = 30
    single_shop = True

    @classmethod
    def matches(cls, doc) -> bool:
        return (doc.marked(_GENERATOR, "tail", "meta", "links")
                or doc.marked(_ROUTES, "assets") and doc.marked(_PRODUCT_ROUTE, "links", "url"))

    def _first(self, css_class: str) -> str | None:
        root = self.doc.root
        for el in self.doc.with_class(css_class) if root is not None else ():
            if isinstance(el.tag, str) and css_class in (el.get("class") or "").split() and not hidden(el):
                return squash(visible_text(el))
        return None

    def page_kind(self) -> str:
        if "/product/detail" in self.doc.path:
            return "product"
        if "/product/query" in self.doc.path:
            return "order"
        return super().page_kind()

    def _form_value(self, pattern) -> str | None:
        """The default theme shows the item in a read-only layui form (商品名称 / 商品单价 / 商品库存)."""
        for pair in self.doc.find_all(pattern):
            if pair.el is not None and pair.el.tag == "label" and "layui-form-label" in (pair.el.get("class") or ""):
                return pair.value
        return None

    def product_title(self) -> str | None:
        return self._first("trade-goodname") or self._form_value(L.ITEM_NAME) or super().product_title()

    def product_price(self):
        return (parse_money(self._first("trade-price"), "CNY") or parse_money(self._form_value(L.PRICE), "CNY")
                or super().product_price())

    def platform_name(self, holder):
        name = super().platform_name(holder)
        title = self.doc.title
        if "_" in title:
            return title.rsplit("_", 1)[-1].strip() or name
        return name
