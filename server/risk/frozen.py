"""The buyer's own balance or account frozen by the platform (冻结余额, 封号不退余额, 账户异常请联系客服
after a deposit): no problem kind names it (risk.md's problem codes are fixed), so the finding
``account_frozen`` says so and maps it to the nearest, 平台推诿 (``platform_stalling``): the platform
holds the buyer's money and does not handle the complaint. What it tells the buyer: ask through the
platform's own complaint channel for the reason, the rule and the date of release, and the balance's
records (电商法第五十九条、第六十二条; a clause giving the platform the right to freeze cannot take away
the buyer's money, 消法第二十六条), then 12315. The police only when someone asks for more money to
unfreeze or withdraw (解冻费, 保证金, 充值激活: a known scam; ``unfreeze_fee``), never for the freeze
alone, whatever its amount.

The words are read on the order's own pages and chats (a buyer's own chat line is their complaint,
not the platform's act, so another line is preferred) and in the buyer's description; a rule that
the platform *may* freeze (平台有权冻结…) and a seller's own shop frozen are no freeze of the buyer's
money. (The patterns live here, not in the scrapers' clauses.toml, which other helpers own this
round; they can move there.)
"""
from __future__ import annotations

import re

from .. import rules
from .gather import Item, OrderEvidence
from .gather import evidence_of as _evidence

NEAREST_PROBLEM = "platform_stalling"
FROZEN = re.compile(
    r"(?:余额|资金|账户|账号|帐户|帐号|提现)[^，。；,;！!]{0,6}?(?:被|已|遭)?(?:冻结|锁定|限制提现|暂停提现)"
    r"|冻结(?:了)?(?:您的|你的|我的)?(?:余额|资金|账户|账号|帐户|帐号|提现)"
    r"|封(?:号|禁账号|禁账户)[^，。；,;]{0,10}(?:余额|钱|资金)[^，。；,;]{0,6}(?:不退|不予退还|清零|作废|没收)"
    r"|账户异常[^。；;]{0,12}(?:联系客服|无法提现|不能提现)"
    r"|(?:balance|account|funds|wallet)[^.;]{0,24}(?:frozen|suspended|locked|on hold)", re.I)
# A rule or condition that the platform may freeze, not a freeze that happened.
RULE = re.compile(r"有权|可以?冻结|可对|如果?|若|一经发现|涉嫌|将被|予以冻结|reserves? the right|may (?:be )?(?:freeze|frozen|suspend)",
                  re.I)
# The seller's own shop or account frozen (it cannot deliver): not the buyer's money.
SELLER_SIDE = re.compile(r"店铺|商家|卖家|商户|店主|seller|merchant|shop", re.I)
# A frozen account is the buyer's money only when money is named (余额, 提现, wallet) or the order is a
# deposit into the platform's balance: a bought game account "冻结" by the game is a ban, not this.
MONEY = re.compile(r"余额|资金|提现|零钱|钱包|balance|funds|wallet|withdraw", re.I)
DEPOSIT = re.compile(r"余额|账户充值|钱包|wallet|deposit|balance", re.I)
# More money asked to unfreeze or withdraw (充值激活才能提现, 解冻需缴纳保证金): a scam.
UNFREEZE_FEE = re.compile(
    r"(?:充值|缴纳|交纳|交|支付|付|转账?|补)[^，。；,;]{0,12}?(?:激活|解冻|验证|保证金|解冻金|解冻费|流水)"
    r"[^。；;]{0,10}?(?:才能|才可以|方可|后|即可)[^。；;]{0,6}?(?:提现|解冻|出金|到账|退回)"
    r"|(?:pay|deposit)[^.;]{0,30}(?:to|before you can) (?:unfreeze|unlock|withdraw)", re.I)
BUYER_LABELS = ("我", "买家", "me", "you", "我方")
# A chat bubble's header: the speaker's name, alone or with the message time (「我2026-12-03 10:00」).
HEADER = re.compile(r"^(?P<who>[^，。,.:：！!？?；;]{0,24}?)\s*(?:\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2})?|\d{1,2}:\d{2})\s*$")


def frozen_words(text: str | None, deposit: bool = False) -> str | None:
    """The words saying the buyer's balance or account was frozen (余额被冻结); None for a rule that the
    platform may freeze, for the seller's own shop, and for an account frozen with no money named
    unless the order was a deposit into the platform's balance (``deposit``)."""
    text = text or ""
    found = FROZEN.search(text)
    if not found or RULE.search(text) or SELLER_SIDE.search(text):
        return None
    if not deposit and not MONEY.search(text):
        return None
    return found.group(0)


def is_deposit(ev: OrderEvidence) -> bool:
    """Whether the order is a deposit into the platform's own balance (余额充值, wallet top-up)."""
    return any(DEPOSIT.search(i.facts.order.item or i.facts.product.title or "") for i in ev.order if i.facts)


def unfreeze_fee(text: str | None) -> str | None:
    """The words asking for money before a frozen balance is released or can be withdrawn; None otherwise."""
    found = UNFREEZE_FEE.search(text or "")
    return found.group(0) if found else None


def own_lines(item: Item) -> list[tuple[str, bool]]:
    """(line, by the buyer) of a page: on a chat, the bubbles after the buyer's own header (「我」, alone
    or with the message time) are the buyer's, until another speaker's header; every other line is
    the page's or the other side's."""
    out, buyer = [], False
    for line in item.lines():
        text = line.strip()
        header = HEADER.match(text)
        if text.lower() in BUYER_LABELS or header:
            buyer = (header.group("who") if header else text).strip().lower() in BUYER_LABELS
            continue
        out.append((text, buyer and item.kind == "chat"))
    return out


def _lines(ev: OrderEvidence):
    for item in sorted([i for i in ev.order + ev.chats if i.kind in ("order", "chat") and i.facts], key=lambda i: i.when):
        for line, by_buyer in own_lines(item):
            yield item, line, by_buyer


def account_frozen_findings(ev: OrderEvidence, told: str, cross_border: bool) -> list[dict]:
    """One ``account_frozen`` finding: the platform's (or its support's) line saying the buyer's balance
    or account is frozen, else the buyer's own chat line, else the buyer's description (no page may
    show a frozen account). Nothing when no one says it was frozen."""
    deposit = is_deposit(ev)
    found = [(item, line, by_buyer) for item, line, by_buyer in _lines(ev) if frozen_words(line, deposit)]
    found.sort(key=lambda f: f[2])  # the other side's words first
    law = "cross_border" if cross_border else "domestic"
    texts = rules.texts("findings", "account_frozen")
    if found:
        item, line, by_buyer = found[0]
        quote, evidence, source = line, [_evidence(item, line)], "buyer_chat" if by_buyer else "page"
    elif frozen_words(told, deposit):
        quote, evidence, source = told.strip(), [], "buyer"
    else:
        return []
    return [{"code": "account_frozen", "quote": quote, "source": source, "evidence": evidence,
             "nearest_problem": NEAREST_PROBLEM,
             "remedy": texts["remedy"], "explanation": rules.fill(texts[law], quote=quote)}]


def unfreeze_fee_line(ev: OrderEvidence, told: str) -> tuple[Item | None, str] | None:
    """(page, line) of a demand for money to unfreeze or withdraw, on the order's pages or chats (not
    the buyer's own line), else the buyer's words (item None); None when nothing asks for it."""
    for item, line, by_buyer in _lines(ev):
        if not by_buyer and unfreeze_fee(line):
            return item, line
    said = unfreeze_fee(told)
    return (None, told.strip()) if said else None
