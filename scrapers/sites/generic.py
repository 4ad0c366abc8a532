"""Everything no shop system claims: multi-merchant 卡盟 platforms, single shops of unknown software,
English digital-goods marketplaces (G2G / Z2U / Kinguin style). The base class's rules are the
generic extractor; this module only gives it a name and the lowest priority."""
from __future__ import annotations

from .base import SiteExtractor, register


@register
class Generic(SiteExtractor):
    system = "generic"
    priority = -1000

    @classmethod
    def matches(cls, doc) -> bool:
        return True
