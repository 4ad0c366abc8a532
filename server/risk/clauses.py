"""The clause words judgement reads (scrapers/text/rules/clauses.toml, shared with the scrapers'
rules home), compiled once and checked at start-up (``load``).

One home for: what a time limit counts from (``window_start``) and what it is for
(``window_kind``), blanket vs no-reason-only refund clauses, account goods, currency marks, card
networks, and the labels of page times. The badge, the checkout warnings and the dispute read them
only through these functions.
"""
from __future__ import annotations

import functools
import re
from datetime import datetime

from scrapers.text.normalise import fold
from scrapers.text.rules import RuleTableError, table

LEAP_YEAR = 2000  # checks a date given without its year
_PATTERN_SECTIONS = ("window_start", "window_kind", "no_refund", "account_goods", "currency_marks",
                     "payment_networks", "time_labels", "payment_apps", "refunds", "fee_scam", "bank_transfers", "stolen_goods",
                     "delivery_dates", "change_of_mind", "service_terms", "top_ups", "surcharges", "late_refund", "chat_delivery",
                     "confirm_first", "seller_recovered", "refund_missing", "promise_words", "deposit_use",
                     "compensation_scope", "platform_closing",
                     "paypal_personal", "duplicate_charge", "chat_refund_promise", "fake_multiple", "invalid_count",
                     "refund_to_balance", "surcharge_fees", "service_ended", "resold", "personal_documents",
                     "price_rise_cancel", "review_for_refund")


@functools.cache
def _compiled() -> dict[str, dict[str, re.Pattern]]:
    data = table("clauses")
    out: dict[str, dict[str, re.Pattern]] = {}
    for section in _PATTERN_SECTIONS:
        out[section] = {}
        units = data[section].get("units")
        for key, value in data[section].items():
            if not isinstance(value, str):
                continue
            if isinstance(units, str) and key != "units":
                value = value.replace("{UNITS}", f"(?:{units})")  # one list of unit words for the section
            try:
                out[section][key] = re.compile(value, re.I)
            except re.error as error:
                raise RuleTableError(f"clauses.toml: [{section}] {key} is not a valid pattern: {error}") from None
    order = data["window_start"]["order"]
    unknown = [name for name in order if name not in out["window_start"]]
    if unknown:
        raise RuleTableError(f"clauses.toml: [window_start] order names no pattern {unknown[0]!r}")
    return out


def load() -> None:
    """Compile and check every clause pattern (called once at start-up)."""
    _compiled()


def pattern(section: str, key: str) -> re.Pattern:
    return _compiled()[section][key]


def window_start(quote: str) -> str | None:
    """What a window clause counts from: ``problem``, ``reveal``, ``delivery``, ``purchase``, or None
    when its words name none."""
    for name in table("clauses")["window_start"]["order"]:
        if pattern("window_start", name).search(quote or ""):
            return name
    return None


_PARTS = re.compile(r"[，,、]")
_LIMIT = re.compile(r"\d+\s*(?:个?小时|天|日|分钟|hours?|days?|minutes?|h\b)", re.I)


def window_start_around(quote: str, sentence: str | None) -> str | None:
    """What a window counts from, read from its quote, else from the part of its sentence that
    holds the quote (between commas), else from the part before it when that part states no time
    limit of its own ("问题发生后，须在7天内申请平台介入"); None when none of them names a start.
    Other parts of the sentence, which may belong to other limits, are not read."""
    found = window_start(quote)
    if found or not sentence:
        return found
    at = sentence.find(quote)
    if at < 0:
        return window_start(sentence)
    cuts = [0] + [m.end() for m in _PARTS.finditer(sentence)] + [len(sentence) + 1]
    index = max(i for i, cut in enumerate(cuts) if cut <= at)
    end = next((cut for cut in cuts if cut >= at + len(quote)), len(sentence) + 1)
    found = window_start(sentence[cuts[index]:end])
    if found or index == 0:
        return found
    before = sentence[cuts[index - 1]:cuts[index]]
    return None if _LIMIT.search(before) else window_start(before)


def window_kind(quote: str) -> str:
    """What a window clause is for: ``platform_apply``, ``verify_now`` or ``feedback``."""
    for name in ("platform_apply", "verify_now"):
        if pattern("window_kind", name).search(quote or ""):
            return name
    return "feedback"


def window_kind_around(quote: str, sentence: str | None) -> str:
    """What a window clause is for, read from its quote, else from the part of its sentence that
    holds the quote (between commas): a quote is the shortest span stating the limit, so
    "须在收货后7天内申请" stands for "售后问题须在收货后7天内申请平台介入". Other parts of the
    sentence, which may belong to other limits, are not read."""
    found = window_kind(quote)
    if found != "feedback" or not sentence:
        return found
    at = sentence.find(quote)
    if at < 0:
        return found
    cuts = [0] + [m.end() for m in _PARTS.finditer(sentence)] + [len(sentence) + 1]
    start = max(cut for cut in cuts if cut <= at)
    end = next((cut for cut in cuts if cut >= at + len(quote)), len(sentence) + 1)
    return window_kind(sentence[start:end])


def blanket_no_refund(quote: str, sentence: str | None = None) -> bool:
    """A clause that refuses every refund, not only refunds without a reason or without a fault
    (非质量问题不退换; 一经售出不予退换，卡密无效的可申请补发): the exception may stand in the clause's
    ``sentence`` outside its short quote."""
    own = fold(quote or "")
    around = fold(" ".join(filter(None, (quote, sentence))))
    return (bool(pattern("no_refund", "blanket").search(own)) and not pattern("no_refund", "no_reason").search(own)
            and not pattern("no_refund", "excepted").search(around))


def account_words() -> str:
    return table("clauses")["account_goods"]["words"]


def is_account(text: str | None) -> bool:
    """Whether an item's name names an account the buyer takes over (帳號 read as 账号: the words are
    simplified); a seat on a shared account (Netflix 共享账号 一人一位) is not one."""
    folded = fold(text or "")
    return bool(pattern("account_goods", "words").search(folded)) and not is_shared_seat(folded)


def is_shared_seat(text: str | None) -> bool:
    """Whether a text names a seat on someone else's account (共享, 合租车位, 一人一位)."""
    return bool(pattern("account_goods", "shared").search(fold(text or "")))


def item_labels() -> str:
    return table("clauses")["account_goods"]["item_labels"]


def currency_mark(currency: str) -> str:
    """How a price in ``currency`` is written (a regex source)."""
    return table("clauses")["currency_marks"].get(currency) or re.escape(currency)


def neutral_currencies() -> frozenset[str]:
    """Currencies that say nothing about where a merchant is (USDT)."""
    return frozenset(table("clauses")["currency_marks"]["neutral"])


def payment_network(text: str) -> str | None:
    """``visa``, ``mastercard`` or ``paypal`` when ``text`` names one (the first named wins)."""
    found = [(m.start(), name) for name, p in _compiled()["payment_networks"].items() if (m := p.search(text or ""))]
    return min(found)[1] if found else None


def payment_app(text: str | None) -> str | None:
    """The domestic payment app (``wechat``, ``alipay``) a text names for a payment, or None."""
    for name, compiled in _compiled()["payment_apps"].items():
        if compiled.search(text or ""):
            return name
    return None


def refunded_amount(line: str | None) -> str | None:
    """The amount a line states was refunded ("退款金额：¥60.00", "Refunded 12.00 EUR"), or None."""
    m = _compiled()["refunds"]["amount"].search(line or "")
    return m.group("amount") if m else None


def time_label(label: str) -> str | None:
    """``delivered``, ``revealed`` or ``promised_delivery`` for a page time's own label, or None."""
    for name in ("promised_delivery", "revealed", "delivered"):
        if pattern("time_labels", name).search((label or "").strip()):
            return name
    return None


def fee_scam(line: str | None) -> str | None:
    """The words of ``line`` that ask the buyer to pay first so that a refund or frozen money is
    released (解冻金, 先交保证金才能退款): a scam, never a platform's rule. None when it asks none."""
    text = line or ""
    found = pattern("fee_scam", "strong").search(text)
    if found:
        return found.group(0)
    found = pattern("fee_scam", "demand").search(text)
    if found and pattern("fee_scam", "merchant_pays").search(text) and not pattern("fee_scam", "to_buyer").search(text):
        return None  # the platform's rule that merchants lodge a deposit, not a demand on the buyer
    return found.group(0) if found else None


def bank_transfer(lines: list[str]) -> str | None:
    """The words naming a bank transfer or a local instant-payment scheme (轉數快 FPS, 銀行轉帳,
    SEPA) on a page's payment line (the line with a payment label, or the one under it): no card
    network or PayPal stands behind such a payment. None when the page names none."""
    words, label = pattern("bank_transfers", "words"), pattern("bank_transfers", "label")
    for i, line in enumerate(lines):
        found = words.search(line or "")
        if found and (label.search(line) or (i and label.search(lines[i - 1] or ""))):
            return found.group(0)
    return None


def names_stolen_goods(text: str | None) -> bool:
    """Whether the buyer's words say the goods were stolen (被盗, 盗号, 黑卡, stolen)."""
    return bool(pattern("stolen_goods", "words").search(text or ""))


def delivery_date(line: str | None) -> tuple[str, int | None, int, int, tuple[int, int] | None] | None:
    """A delivery date the line promises (预售：12月15日前统一发货): (the words, year or None,
    month, day, (hour, minute) or None); None when it promises none or the date is no date."""
    found = pattern("delivery_dates", "date").search(line or "")
    if not found:
        return None
    groups = found.groupdict()
    year, month, day = (groups["y"] or groups["y2"]), (groups["m"] or groups["m2"]), (groups["d"] or groups["d2"])
    clock = (int(groups["h"]), int(groups["mi"])) if groups.get("h") else None
    try:  # a real date and time of day (a leap year, so that 2月29日 passes here)
        datetime(int(year) if year else LEAP_YEAR, int(month), int(day), *(clock or ()))
    except ValueError:
        return None
    return found.group(0), int(year) if year else None, int(month), int(day), clock


def change_of_mind(text: str | None) -> str | None:
    """The buyer's words saying they no longer want the goods (买错了, 不想要了, changed my mind): a
    return without a reason. None when the words say no such thing."""
    found = pattern("change_of_mind", "words").search(text or "")
    return found.group(0) if found else None


_ZH_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _zh_number(text: str) -> int | None:
    """7 / 七 / 十五 / 三十 as an int (up to 99); None for anything else."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        value = (_ZH_DIGITS.get(tens, 0) if tens else 1) * 10 + (_ZH_DIGITS.get(ones, 0) if ones else 0)
        return value if (not tens or tens in _ZH_DIGITS) and (not ones or ones in _ZH_DIGITS) else None
    return _ZH_DIGITS.get(text) if len(text) == 1 else None


def promised_return(text: str | None) -> tuple[int, str] | None:
    """(days, words) of a no-reason return the shop's own text offers (支持7天无理由退款, 七天无理由退换,
    "14-day no-questions-asked refund"); None when the text offers none."""
    text = text or ""
    for found in pattern("change_of_mind", "promised").finditer(text):
        before, after = text[max(0, found.start() - 6):found.start()], text[found.end():found.end() + 4]
        if NOT_OFFERED.search(before) or NOT_OFFERED_AFTER.match(after):
            continue  # 「不支持7天无理由退货」, 「7天无理由退货不适用」: the shop excludes it
        days = _zh_number(found.group("n"))
        if days:
            return days, found.group(0).strip()
    return None


NOT_OFFERED = re.compile(r"不|无法|非|概不|not|no\s*$", re.I)
NOT_OFFERED_AFTER = re.compile(r"\s*(?:不|除外|not|does not|excluded)", re.I)


TERM_DAYS = {"week": 7, "month": 30, "quarter": 90, "half_year": 182, "year": 365}
_UNIT_DAYS = {"天": 1, "日": 1, "day": 1, "days": 1, "周": 7, "个月": 30, "月": 30, "month": 30, "months": 30, "年": 365}


def service_term(item: str | None) -> tuple[int, str] | None:
    """(days, words) of the period a service is sold for, by the ordered item's name (月卡, 合租车位
    30天, 90 days); None when the name states none (a code, an account, game currency)."""
    text = item or ""
    found = pattern("service_terms", "days").search(text)
    if found:
        days = int(found.group("n")) * _UNIT_DAYS.get(found.group("u").lower(), 0)
        if days > 0:
            return days, found.group(0)
    for name, days in TERM_DAYS.items():
        named = pattern("service_terms", name).search(text)
        if named:
            return days, named.group(0)
    return None


def top_up(item: str | None) -> tuple[int, str, str] | None:
    """(number, unit, words) of the game currency or points an item sells (648点券): None when its
    name sells no counted units."""
    found = pattern("top_ups", "ordered").search(item or "")
    return (int(found.group("n")), found.group("u"), found.group(0)) if found else None


def arrived_units(text: str | None, unit: str) -> tuple[int, str] | None:
    """(number, words) of the units of ``unit`` the buyer says arrived (只到账328点券); None when
    the words give no such number."""
    for found in pattern("top_ups", "arrived").finditer(text or ""):
        number, words = found.group("n") or found.group("n2"), found.group("u") or found.group("u2")
        if "退" in text[max(0, found.start() - 4):found.start() + 2]:
            continue  # 收到退款50元: money back, not what arrived
        if number and words and words.lower() == unit.lower():
            return int(number), found.group(0).strip()
    return None


def surcharge(line: str | None) -> str | None:
    """The words of ``line`` asking the buyer to pay more after the payment (补差价, 涨价了再付20元
    才能发货); None when it asks nothing more."""
    found = pattern("surcharges", "demand").search(line or "") or pattern("surcharge_fees", "fee").search(line or "")
    return found.group(0) if found else None


_UNIT_HOURS = {"小时": 1, "hour": 1, "hours": 1, "天": 24, "日": 24, "day": 24, "days": 24, "个月": 720, "月": 720,
               "month": 720, "months": 720, "年": 8760}


def promise_term_hours(line: str | None, quote: str | None) -> float | None:
    """The period, in hours, that a promise states around its own words on ``line`` (「90天内找回
    包赔」: 2160): a number and a unit right before the quote, or right after it; None when the
    line states none (then the promise has no term of its own)."""
    text, words = line or "", quote or ""
    at = text.find(words) if words else -1
    if at < 0:
        return None
    for key, part in (("promise_before", text[:at]), ("promise_after", text[at + len(words):])):
        found = pattern("service_terms", key).search(part)
        if found:
            hours = int(found.group("n")) * _UNIT_HOURS.get(found.group("u").lower(), 0)
            if hours > 0:
                return float(hours)
    return None


def refund_if_late(line: str | None) -> bool:
    """Whether a line holding a refund promise ties it to a late or missing delivery (超时全额退款)."""
    return bool(pattern("late_refund", "words").search(line or ""))


def deposit_for_buyers(sentence: str | None) -> bool | None:
    """What a sentence stating a merchant deposit says it is for: True when it names buyers,
    compensation or disputes, False when it names only another use (opening a payment channel, a
    fee refunded to the merchant when the shop closes), None when it names no use."""
    text = fold(sentence or "")
    if pattern("deposit_use", "for_buyers").search(text):
        return True
    return False if pattern("deposit_use", "elsewhere").search(text) else None


def compensation_scope(sentence: str | None) -> str | None:
    """What a sentence stating buyer compensation (先行赔付, money-back guarantee) says about whom it
    covers: ``"not_virtual"`` when it excludes virtual goods, ``"paid_add_on"`` when the buyer must
    buy it, None when it says neither (it covers buyers)."""
    text = fold(sentence or "")
    for scope in ("not_virtual", "paid_add_on"):
        if pattern("compensation_scope", scope).search(text):
            return scope
    return None


def closing_notice(sentence: str | None) -> bool:
    """Whether a sentence announces that the site itself closes (本站将于…停止运营), naming when; not a
    condition or a right to close (如本站停止运营…, 平台有权停止服务), nor a pause (春节期间停止营业)."""
    text = fold(sentence or "")
    return (bool(pattern("platform_closing", "closing").search(text)) and bool(pattern("platform_closing", "when").search(text))
            and not pattern("platform_closing", "not_closing").search(text))


def merchant_deposit(sentence: str | None) -> bool:
    """Whether a sentence naming a 保证金 speaks of a deposit merchants lodge: not when, naming no
    merchant, the buyer is the one to pay it (买家需缴纳保证金) or it is a demand to pay before a
    refund is released (请先缴纳保证金，解冻后退款: a scam, ``fee_scam``)."""
    text = fold(sentence or "")
    if pattern("deposit_use", "merchant").search(text):
        return True
    return not (pattern("deposit_use", "buyer_pays").search(text) or fee_scam(text))


def sent_in_chat(line: str | None) -> str | None:
    """The words of a chat line that hand over a code or key (「卡密：STEAM-7781-AAQ2-PP91」); None
    when the line hands over none."""
    found = pattern("chat_delivery", "sent").search(line or "")
    return found.group(0) if found else None


def confirm_first(line: str | None) -> str | None:
    """The words of a line asking the buyer to confirm receipt before the delivery (先确认收货, 确认
    收货后马上发卡); None when it asks no such thing."""
    found = pattern("confirm_first", "demand").search(line or "")
    return found.group(0) if found else None


def seller_recovered(text: str | None) -> str | None:
    """The buyer's words saying the seller itself took the sold account back (卖家自己改密找回);
    None when they say no such thing (a former owner's recovery, 被原号主找回)."""
    found = pattern("seller_recovered", "words").search(text or "")
    return found.group(0) if found else None


def refund_missing(text: str | None) -> str | None:
    """The buyer's words saying a refund never reached them (没收到退款, 退款一直没到账); None when
    they say no such thing."""
    found = pattern("refund_missing", "words").search(text or "")
    return found.group(0) if found else None


def named_promise_kinds(text: str | None) -> set[str]:
    """The promise kinds the buyer's words name (终身 → lifetime, 独享 → exclusive, 首邮 → original_owner)."""
    return {kind for kind, words in _compiled()["promise_words"].items() if words.search(text or "")}


def paypal_personal(text: str | None) -> str | None:
    """The words of a payment line saying a PayPal payment was sent as Friends and Family (好友付款),
    which PayPal's buyer protection does not cover; None otherwise."""
    found = pattern("paypal_personal", "words").search(text or "")
    return found.group(0) if found else None


def duplicate_charge(text: str | None) -> str | None:
    """The buyer's words saying one order was paid twice (扣了两次, 重复扣款); None otherwise."""
    found = pattern("duplicate_charge", "words").search(text or "")
    return found.group(0) if found else None


def chat_refund_promise(line: str | None) -> str | None:
    """The words of a chat line in which the seller undertakes to refund the buyer (给你原路退款); None
    when the line promises no refund or refuses one."""
    text = line or ""
    if pattern("chat_refund_promise", "refused").search(text) or pattern("chat_refund_promise", "conditional").search(text):
        return None
    found = pattern("chat_refund_promise", "agreed").search(text)
    return found.group(0) if found else None


def fake_multiple(line: str | None) -> tuple[int, str] | None:
    """(multiple, words) of a promise to pay a multiple of the price for a fake (假一赔十 → 10); None
    when the line makes none."""
    found = pattern("fake_multiple", "promise").search(line or "")
    if not found:
        return None
    raw = found.group("n") or found.group("m") or ""
    number = int(raw) if raw.isdigit() else _zh_number(raw)
    return (number, found.group(0)) if number and number > 1 else None


def names_fake(text: str | None) -> str | None:
    """The buyer's words saying what arrived is a fake (假卡, 不存在, counterfeit); None otherwise."""
    found = pattern("fake_multiple", "fake").search(text or "")
    return found.group(0) if found else None


def invalid_count(text: str | None) -> tuple[int, str] | None:
    """(how many, words) of the buyer's count of delivered codes that do not work (5个码里有2个无效 → 2);
    None when their words count none."""
    found = pattern("invalid_count", "words").search(text or "")
    if not found:
        return None
    number = _zh_number(found.group("n") or found.group("m") or "")
    return (number, found.group(0)) if number else None


def refund_to_balance(line: str | None) -> str | None:
    """The words of a line refunding, or offering to refund, into a shop's or platform's balance (退到
    平台余额, store credit) rather than the way it was paid; None otherwise."""
    text = line or ""
    found = pattern("refund_to_balance", "words").search(text)
    if not found or pattern("refund_to_balance", "not_offer").search(text):
        return None
    return found.group(0)


def service_ended(text: str | None) -> str | None:
    """The buyer's words saying a period service ended (到期了, 会员没了); None otherwise."""
    found = pattern("service_ended", "words").search(text or "")
    return found.group(0) if found else None


def resold(text: str | None) -> str | None:
    """The words saying the seller sold the same code or account to several buyers (一码多卖); None otherwise."""
    found = pattern("resold", "words").search(text or "")
    return found.group(0) if found else None


def personal_documents(line: str | None) -> str | None:
    """The words of a line asking for identity documents or biometrics (手持身份证照片); None otherwise."""
    found = pattern("personal_documents", "demand").search(line or "")
    return found.group(0) if found else None


def price_rise_cancel(line: str | None) -> tuple[str, str | None] | None:
    """(words, new price) of a line cancelling or refusing a paid order because the price or cost rose
    (进货价涨了，这单不发了); the new price asked, when the line states one; None otherwise."""
    text = line or ""
    found = pattern("price_rise_cancel", "words").search(text)
    if not found:
        return None
    price = pattern("price_rise_cancel", "new_price").search(text[found.end():])
    return found.group(0), (price.group("p") if price else None)


def review_for_refund(line: str | None) -> str | None:
    """The words of a line making a refund or after-sales depend on the buyer's review (删差评再退款);
    None otherwise."""
    found = pattern("review_for_refund", "demand").search(line or "")
    return found.group(0) if found else None
