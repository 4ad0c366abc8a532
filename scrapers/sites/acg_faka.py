"""ACG-FAKA (single shop, PHP; themes Cartoon and others).

Markup: assets under /assets/static/, /assets/user/, /assets/common/ with ?v=3.x, item pages
/item/{id} rendered with ``setVar("_var_item", …)``; the order query (/user/index/query) renders
``.order-list > .order-item`` with ``.order-no-text``, ``.status-badge``, ``.card-display``."""
from __future__ import annotations

import re

from ..text import squash
from ..visible import visible_text
from .base import SiteExtractor, register
from .orders import hidden, map_status, order_token

# patterns of the rules below, compiled once (re's own cache costs a lookup per call)
_ITEM_ROUTE = re.compile(r"^/item/\d+")


_ROUTES = re.compile(r"/assets/(?:static|user|common)/|/user/index/query|/user/api/|acg-?faka")
_GENERATOR = re.compile(r"acg-?faka|lizhipay")


@register
class AcgFaka(SiteExtractor):
    system = "acg-faka"
    priority = 40
    single_shop = True

    @classmethod
    def matches(cls, doc) -> bool:
        return (doc.marked(_ROUTES, "assets", "links", "url") or doc.marked(_GENERATOR, "tail", "meta")
                or doc.raw.find("_var_item", 0, 200000) >= 0)

    def _class_text(self, pattern: str) -> list[str]:
        root = self.doc.root
        out = []
        for el in self.doc.with_class("order", "status", "trade") if root is not None else ():
            if isinstance(el.tag, str) and re.search(pattern, el.get("class") or "") and not hidden(el):
                out.append(squash(visible_text(el)))
        return out

    def order_entries(self) -> list[tuple[str, object]]:
        """Each ``.order-item`` of the query result with its ``.order-no-text`` number."""
        out = []
        for item in self.doc.with_class("order-item"):
            if "order-item" not in (item.get("class") or "").split() or hidden(item):
                continue
            numbers = [el for el in item.iter() if "order-no-text" in (el.get("class") or "").split()]
            token = order_token(squash(visible_text(numbers[0]))) if numbers else None
            if token:
                out.append((token, item))
        return out

    def status_hint(self) -> str | None:
        for text in self._class_text(r"\bstatus-badge\b|\border-status\b"):
            status = map_status(text)
            if status:
                return status
        return None

    def page_kind(self) -> str:
        if _ITEM_ROUTE.match(self.doc.path):
            return "product"
        return super().page_kind()
