"""The value objects risk reads and gives: a captured page as an Observation, one statement a page
makes (Reading), and a judged Signal with the evidence behind it (contract/risk.md).

No judgement here and no imports from the other risk modules, so readers (``signals``), profiles
(``profiles``) and weights (``score``) all depend on this module and never on each other in a
circle.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..facts import PageFacts, typed
from .pagetext import find_literal, find_quote, fold_lines, is_chinese, is_traditional

PLATFORM, SELLER = "platform", "seller"
# Pages that show a shop's frame (footer with ICP and copyright) rather than an article or chat.
SHOP_KINDS = frozenset({"product", "checkout", "order", "shop", "terms"})
# A shop system without separate merchants: its seller subject is the shop itself.
SHOP_SELLER = "_shop"
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Evidence:
    snapshot_id: str | None
    quote: str | None
    url: str | None
    seen_at: str | None

    def as_dict(self) -> dict:
        return {"snapshot_id": self.snapshot_id, "quote": self.quote, "url": self.url, "seen_at": self.seen_at}


@dataclass
class Signal:
    """A contract Signal: code, subject, value, effect, weight and the evidence behind it."""

    code: str
    subject: str
    value: object
    effect: str = "neutral"
    weight: int = 0
    evidence: list[dict] = field(default_factory=list)
    critical: bool = False
    detail: dict = field(default_factory=dict)  # for warnings (e.g. each clause's kind); not sent

    def as_dict(self) -> dict:
        out = {"code": self.code, "subject": self.subject, "value": self.value, "effect": self.effect,
               "weight": self.weight, "evidence": self.evidence}
        if self.critical:
            out["critical"] = True
        return out


@dataclass
class Observation:
    """One captured page as risk reads it: typed facts, where and when it was seen, its text."""

    facts: PageFacts
    snapshot_id: str | None = None
    url: str | None = None
    seen_at: str | None = None
    lines: list[str] = field(default_factory=list)
    _folded: list[str] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.facts = typed(self.facts)

    @property
    def folded(self) -> list[str]:
        """The lines as the rules read them (traditional → simplified, full-width → ASCII), once."""
        if self._folded is None or len(self._folded) != len(self.lines):
            self._folded = fold_lines(self.lines)
        return self._folded

    def evidence(self, quote: str | None) -> dict:
        return Evidence(self.snapshot_id, quote, self.url or self.facts.url, self.seen_at).as_dict()

    def quote(self, *, literal: str | None = None, pattern: str | tuple | re.Pattern | None = None,
              statement: bool = False) -> str | None:
        """A verbatim quote: the facts' own text when on the page, else the first pattern match
        (``statement``: a line stating something before a heading naming it). With no page text
        (facts only), the facts' text is trusted as the contract says."""
        if not self.lines:
            return literal
        return find_literal(self.lines, literal) or (
            find_quote(self.lines, pattern, statement=statement, folded=self.folded) if pattern else None)

    @property
    def traditional(self) -> bool:
        """Written in traditional characters: a Taiwan, Hong Kong or Macao site, not a mainland one."""
        return is_traditional(self.lines)

    @property
    def chinese(self) -> bool:
        name = self.facts.platform.name
        if self.lines:
            return is_chinese(self.lines, name)
        return bool(_CJK.search(name or ""))


@dataclass
class Reading:
    """One statement a page makes: ``key`` tells statements of the same code apart (one per clause)."""

    code: str
    subject: str
    key: str
    value: object
    evidence: dict

    def as_dict(self) -> dict:
        return {"code": self.code, "subject": self.subject, "key": self.key, "value": self.value,
                "evidence": self.evidence}


def seller_key(facts: PageFacts) -> str | None:
    """The seller a page speaks of: its id, else its name, else the shop itself when the page shows
    seller facts without naming a merchant (single-shop systems); None when no seller is in view."""
    seller = typed(facts).seller
    if seller.id:
        return str(seller.id)
    if seller.name:
        return f"name:{seller.name}"
    has_seller_facts = seller.opened_on or seller.deposit or seller.contacts or seller.sales is not None
    off_platform = any(p.kind == "off_platform" for p in typed(facts).policies)
    return SHOP_SELLER if (has_seller_facts or off_platform) else None


def as_observation(item) -> Observation:
    """Facts (typed or a dict) as an Observation without page text (quotes come from the facts)."""
    if isinstance(item, Observation):
        return item
    facts = typed(item)
    return Observation(facts=facts, snapshot_id=None, url=facts.url, seen_at=None)


def single_shop_system(system: str | None) -> bool:
    """Whether the shop software a page was recognised as runs one shop only (独角数卡, ZFAKA,
    ACG-FAKA, 彩虹: its owner is the seller; no platform stands above it), as its scraper module
    declares (``single_shop``)."""
    from scrapers.sites import REGISTRY

    return bool(system) and any(cls.system == system and cls.single_shop is True for cls in REGISTRY)
