"""Risk signals: how each one is read from a page's facts (rules as data, contract/risk.md).

A capture becomes an :class:`~server.risk.model.Observation` (its typed facts, where and when it
was seen, and the page's visible text lines for quoting). :func:`read_observation` applies every
reader in ``READERS`` and returns :class:`~server.risk.model.Reading` rows: one statement a page
made about the platform or a seller, with the verbatim quote that shows it. Readings are folded
into profiles (``server.risk.profiles``) and judged (``server.risk.score``); none of that needs
Redis.

The words behind the readers are data: the platform mechanisms' words in
``scrapers/text/rules/platform.toml`` (shared with the scrapers) and the clause words in
``clauses.toml`` (``server.risk.clauses``). Only ``read_*`` functions decide what a page *says*;
what a statement is *worth* lives in ``server/rules/weights.toml``.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from scrapers.text.normalise import fold
from scrapers.text.rules import mechanism

from ..facts import PageFacts, typed
from . import clauses
from .model import PLATFORM, SELLER, SHOP_KINDS, Observation, Reading, seller_key
from .pagetext import STATEMENT_EXTRA, find_quote, matching_sentences, sentence_of


def _reference_time(obs: Observation) -> tuple[datetime | None, str]:
    """When the buyer acted and what that moment is: the order time on the page (``order``), else
    when the page was captured (``capture``)."""
    for stamp in obs.facts.timestamps:
        if stamp.role in ("ordered", "paid"):
            try:
                return datetime.fromisoformat(stamp.at), "order"
            except (TypeError, ValueError):
                continue
    try:
        return (datetime.fromisoformat(obs.seen_at) if obs.seen_at else None), "capture"
    except ValueError:
        return None, "capture"


# Month names in the genitive, as Russian dates write them ("14 ноября 2026").
_RU_MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
              "ноября", "декабря")


def _date_pattern(day: date) -> str:
    """A known date as pages write it: 2026-11-21, 2026年11月21日, 2026/11/21; day first as Europe and
    Russia write it (21.11.2026, 21/11/2026, 21 Nov 2026, 21 ноября 2026); month first as the US does
    (11/21/2026, Nov 21, 2026)."""
    y, m, d = day.year, day.month, day.day
    mon = day.strftime("%b")
    return (rf"{y}\s*[-/.年]\s*0?{m}\s*[-/.月]\s*0?{d}(?!\d)|"
            rf"(?<![\d.])0?{d}\s*[./-]\s*0?{m}\s*[./-]\s*{y}(?!\d)|(?<![\d/])0?{m}/0?{d}/{y}(?!\d)|"
            rf"(?<!\d)0?{d}\.? (?:{mon}[a-z]*\.?|{_RU_MONTHS[m - 1]}) {y}(?!\d)|"
            rf"{mon}[a-z]*\.? 0?{d},? {y}(?!\d)")


# Thousands separators as pages write them: 12,345 (zh, en), 12 345 with a space, no-break or narrow
# no-break space (ru, fr), 12.345 (de, es), 12'345 (ch).
_GROUP_SEPARATORS = (",", " ", "\u00a0", "\u202f", ".", "'")


# A number followed by one of these is a multiple of it (1万 is 10,000, 3.2w is 32,000, 5k is 5,000):
# not the number itself.
_MULTIPLIER = r"\s*[万萬千亿億]|[wWkK](?![A-Za-z])"


def _wan_pattern(n: int) -> str | None:
    """``n`` written in 万 as Chinese pages write large counts and amounts (1万, 3.2万, 1.25w)."""
    if n < 10000 or n % 100:
        return None
    whole, rest = divmod(n, 10000)
    digits = f"{whole}" + (f".{rest:04d}".rstrip("0") if rest else "")
    return rf"(?<![\d.,]){re.escape(digits)}\s*(?:[万萬]|[wW](?![A-Za-z]))"


def _number_pattern(n: int) -> str:
    plain = str(n)
    forms = list(dict.fromkeys(f"{n:,}".replace(",", sep) for sep in _GROUP_SEPARATORS))
    groups = "|".join(re.escape(form) for form in forms if form != plain)
    out = rf"(?<![\d,.]){plain}(?![\d,]|(?:\.\d+)?(?:{_MULTIPLIER}))"
    if groups:  # not followed by another group of three (12 345 678 is not 12 345)
        out = (rf"(?<![\d,.])(?<!\d[ \u00a0\u202f'])(?:{groups})(?![\d,]|[ \u00a0\u202f.']\d{{3}}(?!\d)|(?:\.\d+)?(?:{_MULTIPLIER}))|"
               + out)
    wan = _wan_pattern(n)
    return f"{wan}|{out}" if wan else out


# --- readers: one per signal code ------------------------------------------------------------
def _platform_bool(code: str, fact: str, pattern_true: tuple, pattern_false: tuple):
    def read(obs: Observation) -> list[Reading]:
        value = getattr(obs.facts.platform, fact)
        if value is None or obs.facts.page_kind == "other":
            return []
        quote = obs.quote(pattern=pattern_true if value else pattern_false, statement=True)
        if quote is None and obs.lines:
            return []
        return [Reading(code, PLATFORM, "v", bool(value), obs.evidence(quote))]

    return read


def read_deposit_system(obs: Observation) -> list[Reading]:
    """The platform's merchant deposit. Stated, it is ``True`` when a sentence stating it ties it to
    buyers (赔付, 纠纷 …) or names no use, and ``"not_for_buyers"`` when the sentences stating it name
    only another use (a fee for opening a payment channel, refunded to the merchant when the shop
    closes): such a deposit is nothing a buyer is paid from, and counts neither way. A page whose
    every 保证金 is one the buyer is asked to pay (买家需缴纳保证金; 请先缴纳保证金才能解冻退款, a
    scam) states no deposit system at all."""
    found = _read_deposit_flag(obs)
    if not found or found[0].value is not True or not obs.lines:
        return found
    stated = matching_sentences(obs.lines, mechanism("deposit_system")[0], folded=obs.folded)
    uses = [(clauses.deposit_for_buyers(sentence), quote) for sentence, quote in stated
            if clauses.merchant_deposit(sentence)]
    if stated and not uses:
        return []  # only a buyer asked to pay a 保证金 (a scam's demand): no deposit system stated
    for_buyers = next((quote for use, quote in uses if use is True), None)
    if for_buyers:
        return [Reading("deposit_system", PLATFORM, "v", True, obs.evidence(for_buyers))]
    elsewhere = next((quote for use, quote in uses if use is False), None)
    if elsewhere:
        return [Reading("deposit_system", PLATFORM, "v", "not_for_buyers", obs.evidence(elsewhere))]
    return found


def read_advance_compensation(obs: Observation) -> list[Reading]:
    """The platform paying buyers first. Stated, it is ``True`` unless every sentence stating it
    limits it away from the buyer: ``False`` when one excludes virtual goods (先行赔付不适用于虚拟商品,
    on a site that sells nothing else: no buyer is paid first), else ``"paid_add_on"`` when each is
    a guarantee the buyer must buy (an optional add-on), which counts neither way."""
    found = _read_advance_flag(obs)
    if not found or found[0].value is not True or not obs.lines:
        return found
    words = mechanism("advance_compensation")[0]
    # A heading or tab that only names the topic ("先行赔付说明", "Money-back guarantee") states nothing
    # about whom it covers: only statements are read.
    stated = [(sentence, quote) for sentence, quote in matching_sentences(obs.lines, words, folded=obs.folded)
              if len(sentence) - len((words.search(fold(sentence)) or re.match("", "")).group(0)) >= STATEMENT_EXTRA]
    scopes = [(clauses.compensation_scope(sentence), quote) for sentence, quote in stated]
    if not scopes or any(scope is None for scope, _ in scopes):
        return found
    excluded = next((quote for scope, quote in scopes if scope == "not_virtual"), None)
    if excluded:
        return [Reading("advance_compensation", PLATFORM, "v", False, obs.evidence(excluded))]
    return [Reading("advance_compensation", PLATFORM, "v", "paid_add_on", obs.evidence(scopes[0][1]))]


def read_platform_closing(obs: Observation) -> list[Reading]:
    """The site announcing that it closes (本站将于2026年12月15日起停止运营): after-sales, disputes
    and balances end with it. Quoted from the sentence that announces it; an article or forum page
    (``other``) describes, it does not announce."""
    if obs.facts.page_kind not in SHOP_KINDS or not obs.lines:
        return []
    regex = clauses.pattern("platform_closing", "closing")
    for sentence, quote in matching_sentences(obs.lines, regex, folded=obs.folded):
        if clauses.closing_notice(sentence):
            return [Reading("platform_closing", PLATFORM, "v", True, obs.evidence(quote))]
    return []


def read_icp(obs: Observation) -> list[Reading]:
    platform = obs.facts.platform
    if obs.facts.page_kind == "other":  # an article or forum describes itself, not a shop
        return []
    if platform.icp:
        quote = obs.quote(literal=platform.icp, pattern=r"ICP[备证]")
        return [Reading("icp_filing", PLATFORM, "v", True, obs.evidence(quote))] if quote else []
    if obs.facts.page_kind not in SHOP_KINDS or not obs.chinese or not obs.lines:
        return []
    # An ICP filing is expected of a site serving mainland China: not of one written in traditional
    # characters (Taiwan, Hong Kong, Macao) nor of a foreign marketplace pricing only in its currency.
    if obs.traditional or (cross_border_page(obs) or (False,))[0]:
        return []
    # Absence cannot be quoted; quote the footer where a filing number would stand.
    quote = obs.quote(pattern=r"©|Copyright|版权所有") or obs.quote(literal=platform.name)
    return [Reading("icp_filing", PLATFORM, "v", False, obs.evidence(quote))] if quote else []


def read_platform_age(obs: Observation) -> list[Reading]:
    years = obs.facts.platform.copyright_years
    if not years or obs.facts.page_kind == "other":
        return []
    start = int(years[0])
    quote = obs.quote(pattern=rf"(?:©|Copyright|\([cC]\)|版权)[^©]{{0,24}}?{start}|{start}[^©]{{0,40}}?(?:©|版权所有)")
    if quote is None and obs.lines:
        return []
    return [Reading("platform_age", PLATFORM, "copyright", start, obs.evidence(quote))]


def unfair_clauses(facts: PageFacts | dict, lines: list[str] | None = None) -> list[dict]:
    """Policies that limit the buyer unfairly: final interpretation, blanket disclaimers, and
    blanket no-refund clauses (a no-*reason* or no-*fault* refund exclusion alone is lawful,
    消法第二十五条; ``lines``: the page text, whose sentence around a quote may state the exception)."""
    out = []
    for policy in typed(facts).policies:
        if policy.kind in ("final_interpretation", "liability_disclaimer"):
            out.append({"kind": policy.kind, "quote": policy.quote})
        elif policy.kind == "no_refund" and clauses.blanket_no_refund(policy.quote, sentence_of(lines or [], policy.quote)):
            out.append({"kind": policy.kind, "quote": policy.quote})
    return out


def read_unfair_terms(obs: Observation) -> list[Reading]:
    if obs.facts.page_kind == "other":
        return []
    out = []
    for clause in unfair_clauses(obs.facts, obs.lines):
        quote = obs.quote(literal=clause["quote"]) or clause["quote"]
        out.append(Reading("unfair_terms", PLATFORM, clause["quote"], clause, obs.evidence(quote)))
    return out


def feedback_windows(facts: PageFacts | dict) -> list[dict]:
    """A page's time-limit clauses: hours, the quote, what the clock starts from (``problem``,
    ``reveal``, ``delivery``, ``purchase``, or ``delivery`` when the words name none) and what the
    window is for (``feedback``, ``verify_now``, ``platform_apply``)."""
    out = []
    for policy in typed(facts).policies:
        if policy.kind != "feedback_window" or policy.hours is None:
            continue
        out.append({"hours": float(policy.hours), "quote": policy.quote,
                    "from": clauses.window_start(policy.quote) or "delivery", "kind": clauses.window_kind(policy.quote)})
    return out


def read_feedback_window(obs: Observation) -> list[Reading]:
    """A time limit with its quote and the whole sentence it stands in on the page (``clause``):
    what the window counts from and what it is for are read from the sentence, which a short quote
    ("Contact us within 48 hours") may leave out ("… of revealing the key")."""
    if obs.facts.page_kind == "other":
        return []
    return [Reading("feedback_window", PLATFORM, w["quote"],
                    {"hours": w["hours"], "quote": w["quote"], "clause": sentence_of(obs.lines, w["quote"]) or w["quote"]},
                    obs.evidence(obs.quote(literal=w["quote"]) or w["quote"]))
            for w in feedback_windows(obs.facts)]


def _money_fields(facts: PageFacts) -> list:
    return [m for m in (facts.order.amount, facts.product.price, facts.seller.deposit) if m]


def cross_border_page(obs: Observation) -> tuple[bool, str | None] | None:
    """The one rule of a foreign marketplace, on one page: (True, quote) when it prices in a foreign
    currency and shows no CNY price and no ICP filing, or is a non-Chinese shop page without an ICP
    filing; (False, quote) when it shows an ICP filing (a domestic operator); None when silent."""
    facts = obs.facts
    if facts.page_kind == "other":
        return None
    if facts.platform.icp:
        return False, obs.quote(literal=facts.platform.icp)
    money = _money_fields(facts)
    currencies = {m.currency for m in money}
    foreign = [m for m in money if m.currency != "CNY" and m.currency not in clauses.neutral_currencies()]
    if foreign and "CNY" not in currencies:
        m = foreign[0]
        mark, amount = clauses.currency_mark(m.currency), re.escape(m.amount or "")
        quote = obs.quote(pattern=(rf"(?:{mark})[^。]{{0,6}}?{amount}(?:\s?{m.currency})?|{amount}\s?{m.currency}", mark))
        if quote or not obs.lines:
            return True, quote
    if obs.lines and facts.page_kind in SHOP_KINDS and not obs.chinese:
        quote = obs.quote(pattern=r"©|Copyright|All rights reserved")
        if quote:
            return True, quote
    return None


def read_cross_border(obs: Observation) -> list[Reading]:
    found = cross_border_page(obs)
    if not found or not found[0]:
        return []
    return [Reading("cross_border", PLATFORM, "v", True, obs.evidence(found[1]))]


def read_seller_deposit(obs: Observation) -> list[Reading]:
    deposit = obs.facts.seller.deposit
    if not deposit or seller_key(obs.facts) is None:
        return []
    try:
        whole = int(float(deposit.amount))
    except ValueError:
        return []
    # 保障金 (消费者保障金): the deposit a seller lodges for buyers, as Taobao-style pages name it.
    quote = obs.quote(pattern=rf"(?:保证金|保障金|[Dd]eposit)[^。]{{0,12}}?(?:{_number_pattern(whole)})")
    if quote is None and obs.lines:
        return []
    return [Reading("seller_deposit", SELLER, "v", deposit.as_dict(), obs.evidence(quote))]


def read_off_platform(obs: Observation) -> list[Reading]:
    if seller_key(obs.facts) is None:
        return []
    return [Reading("off_platform_payment", SELLER, p.quote, True, obs.evidence(obs.quote(literal=p.quote) or p.quote))
            for p in obs.facts.policies if p.kind == "off_platform" and p.quote]


def read_shell_shop(obs: Observation) -> list[Reading]:
    seller = obs.facts.seller
    if seller_key(obs.facts) is None:
        return []
    out = []
    if seller.opened_on:
        try:
            opened = date.fromisoformat(seller.opened_on)
        except ValueError:
            opened = None
        reference, counted_to = _reference_time(obs)
        if opened and reference:
            quote = obs.quote(pattern=_date_pattern(opened))
            if quote or not obs.lines:
                days = (reference.date() - opened).days
                out.append(Reading("shell_shop", SELLER, "opened",
                                   {"opened_on": seller.opened_on, "days_open": days, "counted_to": counted_to},
                                   obs.evidence(quote)))
    if seller.sales is not None:
        quote = obs.quote(pattern=_number_pattern(seller.sales))
        if quote or not obs.lines:
            out.append(Reading("shell_shop", SELLER, "sales", {"sales": seller.sales}, obs.evidence(quote)))
    return out


def read_account_goods(obs: Observation) -> list[Reading]:
    facts = obs.facts
    if seller_key(facts) is None and facts.page_kind not in ("product", "order", "checkout"):
        return []
    if any(p.kind == "shared_account" for p in facts.policies) or clauses.is_shared_seat(
            facts.order.item or facts.product.title):
        return []  # a seat on a shared account: nothing the buyer owns for a former owner to recover
    quote = None
    for name in (facts.product.title, facts.order.item):
        if clauses.is_account(name):
            quote = obs.quote(literal=name)
            if quote:
                break
    if quote is None and facts.page_kind in ("order", "checkout", "product") and obs.lines:
        quote = find_quote(obs.lines, rf"(?:{clauses.item_labels()})[：:]?\s*\S[^。]*?(?:{clauses.account_words()})",
                           folded=obs.folded)
    if quote is None:
        for promise in facts.promises:
            if promise.kind == "original_owner":
                quote = obs.quote(literal=promise.quote) or promise.quote
                break
    return [Reading("account_goods", SELLER, "v", True, obs.evidence(quote))] if quote else []


def _mechanism_quotes(name: str) -> tuple[tuple, tuple]:
    """Quote patterns for a platform mechanism, from the scrapers' own table of its words
    (scrapers/text/rules/platform.toml): when stated, its statement then its words; when denied,
    the denial then its words."""
    yes, no, _, _, words = mechanism(name)
    return (yes, words), (no, words)


_read_deposit_flag = _platform_bool("deposit_system", "deposit_system", *_mechanism_quotes("deposit_system"))
_read_advance_flag = _platform_bool("advance_compensation", "advance_compensation",
                                    *_mechanism_quotes("advance_compensation"))

READERS = (
    read_deposit_system,
    read_advance_compensation,
    _platform_bool("dispute_channel", "dispute_channel", *_mechanism_quotes("dispute_channel")),
    read_icp,
    read_platform_age,
    read_platform_closing,
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
    if not obs.facts.domain:
        return []
    out: list[Reading] = []
    for reader in READERS:
        out.extend(reader(obs))
    return out
