"""Risk signals: how each one is read from a page's facts (rules as data, contract/risk.md).

A capture becomes an :class:`Observation` (its facts, where and when it was seen, and the page's
visible text lines for quoting). :func:`read_observation` applies every reader in ``READERS`` and
returns :class:`Reading` rows: one statement a page made about the platform or a seller, with the
verbatim quote that shows it. Readings are folded into profiles (``server.risk.profiles``) and
judged (``server.risk.score``); none of that needs Redis.

Pure entry points (no Redis, no Flask), for ``kadun score`` and the disputes work:

- ``read_signals(facts_list) -> {"platform": [Signal], "sellers": {seller_key: [Signal]}}``:
  the signals a set of pages shows (items are facts dicts or :class:`Observation`).
- ``read_observation(obs) -> list[Reading]``: the readings of one page.
- ``unfair_clauses(facts)`` / ``feedback_windows(facts)``: the unfair-term and feedback-window
  policies of one page, as the warnings read them.

Only ``read_*`` functions decide what a page *says*; what a statement is *worth* lives in the
weights table of ``server.risk.score``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from scrapers.text.rules import mechanism

from .pagetext import find_literal, find_quote, is_chinese

PLATFORM, SELLER = "platform", "seller"
# Pages that show a shop's frame (footer with ICP and copyright) rather than an article or chat.
SHOP_KINDS = frozenset({"product", "checkout", "order", "shop", "terms"})
# A shop system without separate merchants: its seller subject is the shop itself.
SHOP_SELLER = "_shop"

_ACCOUNT_WORDS = r"(?:账号|帐号|成品号|Apple ?ID|[Ss]team账户|[Aa]ccount)"
_BLANKET_NO_REFUND = re.compile(r"概不|不退不换|一经售出|售出不退|不退换|不予退|all sales are final|no refunds?|non-refundable"
                                r"|non-returnable|no returns|(?:cannot|can ?not|can't) be (?:returned|refunded)", re.I)
_NO_REASON = re.compile(r"无理由")
_FROM_PURCHASE = re.compile(r"下单|购买|付款|订单|purchase|order", re.I)
_FROM_DELIVERY = re.compile(r"交付|发货|收货|到货|发卡|收到|deliver", re.I)
_CURRENCY_MARK = {"USD": r"US\$|USD|\$\s?\d", "EUR": r"EUR|€", "GBP": r"GBP|£", "JPY": r"JPY|JP¥|円",
                  "HKD": r"HK\$|HKD", "TWD": r"NT\$|TWD", "RUB": r"RUB|₽", "USDT": r"USDT"}


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
    """One captured page as risk reads it."""

    facts: dict
    snapshot_id: str | None = None
    url: str | None = None
    seen_at: str | None = None
    lines: list[str] = field(default_factory=list)

    def evidence(self, quote: str | None) -> dict:
        return Evidence(self.snapshot_id, quote, self.url or self.facts.get("url"), self.seen_at).as_dict()

    def quote(self, *, literal: str | None = None, pattern: str | tuple | None = None) -> str | None:
        """A verbatim quote: the facts' own text when on the page, else the first pattern match.
        With no page text (facts only), the facts' text is trusted as the contract says."""
        if not self.lines:
            return literal
        return find_literal(self.lines, literal) or (find_quote(self.lines, pattern) if pattern else None)

    @property
    def chinese(self) -> bool:
        platform = self.facts.get("platform") or {}
        if self.lines:
            return is_chinese(self.lines, platform.get("name"))
        return bool(re.search(r"[\u4e00-\u9fff]", platform.get("name") or ""))


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


def seller_key(facts: dict) -> str | None:
    """The seller a page speaks of: its id, else its name, else the shop itself when the page shows
    seller facts without naming a merchant (single-shop systems); None when no seller is in view."""
    seller = facts.get("seller") or {}
    if seller.get("id"):
        return str(seller["id"])
    if seller.get("name"):
        return f"name:{seller['name']}"
    has_seller_facts = (seller.get("opened_on") or seller.get("deposit") or seller.get("contacts")
                        or seller.get("sales") is not None)
    off_platform = any(p.get("kind") == "off_platform" for p in facts.get("policies") or [])
    return SHOP_SELLER if (has_seller_facts or off_platform) else None


def _reference_time(obs: Observation) -> datetime | None:
    """When the buyer acted: the order time on the page, else when the page was captured."""
    for stamp in obs.facts.get("timestamps") or []:
        if stamp.get("role") in ("ordered", "paid"):
            try:
                return datetime.fromisoformat(stamp["at"])
            except (KeyError, TypeError, ValueError):
                continue
    try:
        return datetime.fromisoformat(obs.seen_at) if obs.seen_at else None
    except ValueError:
        return None


def _date_pattern(day: date) -> str:
    y, m, d = day.year, day.month, day.day
    return (rf"{y}\s*[-/.年]\s*0?{m}\s*[-/.月]\s*0?{d}(?!\d)|"
            rf"{day.strftime('%b')}[a-z]* 0?{d}, {y}")


def _number_pattern(n: int) -> str:
    plain = str(n)
    grouped = f"{n:,}"
    return rf"(?<![\d,]){re.escape(grouped)}(?![\d,])|(?<![\d,]){plain}(?![\d,])"


# --- readers: one per signal code ------------------------------------------------------------
def _platform_bool(code: str, fact: str, pattern_true: tuple, pattern_false: tuple):
    def read(obs: Observation) -> list[Reading]:
        value = (obs.facts.get("platform") or {}).get(fact)
        if value is None or obs.facts.get("page_kind") == "other":
            return []
        quote = obs.quote(pattern=pattern_true if value else pattern_false)
        if quote is None and obs.lines:
            return []
        return [Reading(code, PLATFORM, "v", bool(value), obs.evidence(quote))]

    return read


def read_icp(obs: Observation) -> list[Reading]:
    platform = obs.facts.get("platform") or {}
    if obs.facts.get("page_kind") == "other":  # an article or forum describes itself, not a shop
        return []
    if platform.get("icp"):
        quote = obs.quote(literal=platform["icp"], pattern=r"ICP[备证]")
        return [Reading("icp_filing", PLATFORM, "v", True, obs.evidence(quote))] if quote else []
    if obs.facts.get("page_kind") not in SHOP_KINDS or not obs.chinese or not obs.lines:
        return []
    # Absence cannot be quoted; quote the footer where a filing number would stand.
    quote = obs.quote(pattern=r"©|Copyright|版权所有") or obs.quote(literal=platform.get("name"))
    return [Reading("icp_filing", PLATFORM, "v", False, obs.evidence(quote))] if quote else []


def read_platform_age(obs: Observation) -> list[Reading]:
    years = (obs.facts.get("platform") or {}).get("copyright_years")
    if not years or obs.facts.get("page_kind") == "other":
        return []
    start = int(years[0])
    quote = obs.quote(pattern=rf"(?:©|Copyright|\([cC]\)|版权)[^©]{{0,24}}?{start}|{start}[^©]{{0,40}}?(?:©|版权所有)")
    if quote is None and obs.lines:
        return []
    return [Reading("platform_age", PLATFORM, "copyright", start, obs.evidence(quote))]


def unfair_clauses(facts: dict) -> list[dict]:
    """Policies that limit the buyer unfairly: final interpretation, blanket disclaimers, and
    blanket no-refund clauses (a no-*reason*-refund exclusion alone is lawful, 消法第二十五条)."""
    out = []
    for policy in facts.get("policies") or []:
        kind, quote = policy.get("kind"), policy.get("quote") or ""
        if kind in ("final_interpretation", "liability_disclaimer"):
            out.append({"kind": kind, "quote": quote})
        elif kind == "no_refund" and _BLANKET_NO_REFUND.search(quote) and not _NO_REASON.search(quote):
            out.append({"kind": kind, "quote": quote})
    return out


def read_unfair_terms(obs: Observation) -> list[Reading]:
    if obs.facts.get("page_kind") == "other":
        return []
    out = []
    for clause in unfair_clauses(obs.facts):
        quote = obs.quote(literal=clause["quote"]) or clause["quote"]
        out.append(Reading("unfair_terms", PLATFORM, clause["quote"], clause, obs.evidence(quote)))
    return out


def feedback_windows(facts: dict) -> list[dict]:
    """Reporting windows: hours, the quote, and what the clock starts from (delivery or purchase)."""
    out = []
    for policy in facts.get("policies") or []:
        if policy.get("kind") != "feedback_window" or policy.get("hours") is None:
            continue
        quote = policy.get("quote") or ""
        base = "delivered" if _FROM_DELIVERY.search(quote) or not _FROM_PURCHASE.search(quote) else "ordered"
        out.append({"hours": float(policy["hours"]), "quote": quote, "from": base})
    return out


def read_feedback_window(obs: Observation) -> list[Reading]:
    if obs.facts.get("page_kind") == "other":
        return []
    return [Reading("feedback_window", PLATFORM, w["quote"], w, obs.evidence(obs.quote(literal=w["quote"]) or w["quote"]))
            for w in feedback_windows(obs.facts)]


def _money_fields(facts: dict) -> list[dict]:
    order, product, seller = facts.get("order") or {}, facts.get("product") or {}, facts.get("seller") or {}
    return [m for m in (order.get("amount"), product.get("price"), seller.get("deposit")) if m]


def read_cross_border(obs: Observation) -> list[Reading]:
    for money in _money_fields(obs.facts):
        currency = money.get("currency")
        if currency and currency != "CNY":
            mark, amount = _CURRENCY_MARK.get(currency, re.escape(currency)), re.escape(money.get("amount") or "")
            quote = obs.quote(pattern=(rf"(?:{mark})[^。]{{0,6}}?{amount}(?:\s?{currency})?|{amount}\s?{currency}",
                                       mark))
            if quote or not obs.lines:
                return [Reading("cross_border", PLATFORM, "v", True, obs.evidence(quote))]
    platform = obs.facts.get("platform") or {}
    if (obs.lines and obs.facts.get("page_kind") in SHOP_KINDS and not platform.get("icp")
            and not obs.chinese):
        quote = obs.quote(pattern=r"©|Copyright|All rights reserved")
        if quote:
            return [Reading("cross_border", PLATFORM, "v", True, obs.evidence(quote))]
    return []


def read_seller_deposit(obs: Observation) -> list[Reading]:
    deposit = (obs.facts.get("seller") or {}).get("deposit")
    key = seller_key(obs.facts)
    if not deposit or key is None:
        return []
    whole = int(float(deposit["amount"]))
    quote = obs.quote(pattern=rf"(?:保证金|[Dd]eposit)[^。]{{0,12}}?(?:{_number_pattern(whole)})")
    if quote is None and obs.lines:
        return []
    value = {"amount": deposit["amount"], "currency": deposit["currency"]}
    return [Reading("seller_deposit", SELLER, "v", value, obs.evidence(quote))]


def read_off_platform(obs: Observation) -> list[Reading]:
    key = seller_key(obs.facts)
    if key is None:
        return []
    return [Reading("off_platform_payment", SELLER, p["quote"], True,
                    obs.evidence(obs.quote(literal=p["quote"]) or p["quote"]))
            for p in obs.facts.get("policies") or [] if p.get("kind") == "off_platform" and p.get("quote")]


def read_shell_shop(obs: Observation) -> list[Reading]:
    seller = obs.facts.get("seller") or {}
    if seller_key(obs.facts) is None:
        return []
    out = []
    if seller.get("opened_on"):
        try:
            opened = date.fromisoformat(seller["opened_on"])
        except ValueError:
            opened = None
        reference = _reference_time(obs)
        if opened and reference:
            quote = obs.quote(pattern=_date_pattern(opened))
            if quote or not obs.lines:
                days = (reference.date() - opened).days
                out.append(Reading("shell_shop", SELLER, "opened",
                                   {"opened_on": seller["opened_on"], "days_open": days}, obs.evidence(quote)))
    if seller.get("sales") is not None:
        sales = int(seller["sales"])
        quote = obs.quote(pattern=_number_pattern(sales))
        if quote or not obs.lines:
            out.append(Reading("shell_shop", SELLER, "sales", {"sales": sales}, obs.evidence(quote)))
    return out


def read_account_goods(obs: Observation) -> list[Reading]:
    if seller_key(obs.facts) is None and obs.facts.get("page_kind") not in ("product", "order", "checkout"):
        return []
    title = (obs.facts.get("product") or {}).get("title") or ""
    quote = None
    if re.search(_ACCOUNT_WORDS, title):
        quote = obs.quote(literal=title)
    if quote is None and obs.facts.get("page_kind") in ("order", "checkout", "product") and obs.lines:
        quote = find_quote(obs.lines, rf"(?:订单名称|商品名称|商品标题)[：:]?\s*\S[^。]*?{_ACCOUNT_WORDS}")
    if quote is None:
        for promise in obs.facts.get("promises") or []:
            if promise.get("kind") == "original_owner":
                quote = obs.quote(literal=promise["quote"]) or promise["quote"]
                break
    return [Reading("account_goods", SELLER, "v", True, obs.evidence(quote))] if quote else []


def _mechanism_quotes(name: str) -> tuple[tuple, tuple]:
    """Quote patterns for a platform mechanism, from the scrapers' own table of its words
    (scrapers/text/rules/platform.toml): when stated, its statement then its words; when denied,
    the denial then its words."""
    yes, no, _, _, words = mechanism(name)
    return (yes, words), (no, words)


READERS = (
    _platform_bool("deposit_system", "deposit_system", *_mechanism_quotes("deposit_system")),
    _platform_bool("advance_compensation", "advance_compensation", *_mechanism_quotes("advance_compensation")),
    _platform_bool("dispute_channel", "dispute_channel", *_mechanism_quotes("dispute_channel")),
    read_icp,
    read_platform_age,
    read_unfair_terms,
    read_feedback_window,
    read_cross_border,
    read_seller_deposit,
    read_off_platform,
    read_shell_shop,
    read_account_goods,
)


def read_observation(obs: Observation) -> list[Reading]:
    """Every reading one page gives (platform ones and, with a seller in view, seller ones)."""
    if not obs.facts.get("domain"):
        return []
    out: list[Reading] = []
    for reader in READERS:
        out.extend(reader(obs))
    return out


def as_observation(item) -> Observation:
    """A facts dict as an Observation without page text (quotes then come from the facts)."""
    if isinstance(item, Observation):
        return item
    return Observation(facts=item, snapshot_id=None, url=item.get("url"), seen_at=None)


def read_signals(facts_list, *, now: str | None = None) -> dict:
    """The signals a set of pages shows, judged (pure: no Redis). Items are facts dicts (quotes
    then come from the facts alone) or Observations (quotes located in the page text).

    Returns ``{"platform": [Signal dict], "sellers": {seller_key: [Signal dict]}}``.
    """
    from . import profiles, score

    platform_state = profiles.new_state()
    seller_states: dict[str, dict] = {}
    for item in facts_list:
        obs = as_observation(item)
        readings = read_observation(obs)
        profiles.fold(platform_state, [r for r in readings if r.subject == PLATFORM], obs)
        key = seller_key(obs.facts)
        if key:
            profiles.fold(seller_states.setdefault(key, profiles.new_state()),
                          [r for r in readings if r.subject == SELLER], obs)
    return {
        "platform": [s.as_dict() for s in score.judge_state(platform_state, PLATFORM, now=now)],
        "sellers": {k: [s.as_dict() for s in score.judge_state(v, SELLER, now=now)] for k, v in seller_states.items()},
    }
