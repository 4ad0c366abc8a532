"""Everything no shop system claims: multi-merchant 卡盟 platforms, single shops of unknown software,
English digital-goods marketplaces (G2G / Z2U / Kinguin style). The base class's rules are the
generic extractor; this module only gives it a name and the lowest priority."""
from __future__ import annotations

import re

from .base import SiteExtractor, register
from .orders import map_status


@register
class Generic(SiteExtractor):
    system = "generic"
    priority = -1000

    @classmethod
    def matches(cls, doc) -> bool:
        return True

    def status_hint(self) -> str | None:
        """An unlabelled status badge (``data-testid="order-status"``, ``.order-status``)."""
        root = self.doc.root
        if root is None:
            return None
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            hint = ((el.get("class") or "") + " " + (el.get("id") or "") + " " + (el.get("data-testid") or "")).lower()
            if re.search(r"(?:order|trade|pay)[-_]?status|status[-_]?(?:badge|tag|label|text)", hint):
                text = " ".join(el.itertext()).strip()
                status = map_status(text) if len(text) <= 20 else None
                if status:
                    return status
        return None
