"""One order's judgement (``OrderJudgement``): what its pages show (item, amount, platform, seller,
stated times, cross-border, payment), its time windows, what each piece of evidence documents
(its phase) and proves, the evidence checklist in three states, the findings and the reasons for a
police report; what its phone screenshots show (``screens``: a payment record that pays for this
order, an error prompt and its time) and whether the pages the server fetched itself agree with
the extension's captures of them (``crosscheck``).

Everything that reads this order reads this object: the badge (``GET /v1/risk`` on an order page),
the checkout warnings, the dispute (timeline, plan) and its letters and report. They arrange it and
never derive a fact of their own. ``judge`` is pure: the evidence comes from ``gather``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from scrapers.facts import Money

from .. import rules
from . import claims, clauses, frozen, profiles
from .checklist import CHECKLIST, STATES, UNDELIVERED, ChecklistRow, build_checklist, proves
from .crosscheck import cross_checks
from .findings import build_findings, changed_after, policies, purchase_time
from .gather import Item, OrderEvidence
from .model import SHOP_SELLER, Observation, seller_key, single_shop_system
from .payments import payment_app, paypal_card
from .problem import Problem
from .remedies import platform_compensation_findings
from .scams import fee_scam_findings
from .screens import Screen, read_screens
from .signals import cross_border_page
from .windows import (
    PAGE_KINDS,
    StatedTimes,
    Window,
    account_check_window,
    chargeback_window,
    clause_windows,
    promise_due,
    promised_windows,
    seller_reply_window,
    stated_times,
)

ATTACHMENT_PHASE = {"payment_proof": "transaction", "chat_log": "negotiation", "error_screenshot": "problem",
                    "other": "problem"}


@dataclass
class OrderJudgement:
    evidence: OrderEvidence
    problem: Problem | None
    platform: str | None
    seller: str | None
    seller_id: str | None
    single_shop: bool
    product: str | None
    item: str | None
    amount: Money | None
    amount_source: str | None
    cross_border: bool
    payment_method: str | None
    payment_network: str | None
    times: StatedTimes
    windows: list[Window]
    phases: dict[str, str]
    proves: dict[str, list[dict]]
    checklist: list[ChecklistRow]
    findings: list[dict]
    police_reasons: list[dict]
    screens: dict[str, Screen] = field(default_factory=dict)  # attachment id → what the screenshot shows
    cross_checks: list[dict] = field(default_factory=list)  # server-fetched pages against the extension's
    payment_app: str | None = None  # wechat | alipay: the domestic app the buyer paid through (its bill can be complained of)
    funding_network: str | None = None  # visa | mastercard: the card a PayPal payment was made with, when a page names it

    @property
    def domain(self) -> str | None:
        return self.evidence.domain

    @property
    def order_no(self) -> str | None:
        return self.evidence.order_no

    @property
    def no_reason_return(self) -> bool:
        """Whether the buyer's complaint is only that they no longer want what arrived (a return
        without a reason): the plan then asks the seller and the platform, and sends no one further.
        Not when the shop's own page promised that return (``promised``): then it is a claim on its
        word, with the whole plan."""
        return any(f["code"] == "no_reason_return" and not f.get("promised") for f in self.findings)

    def window(self, window_id: str) -> Window | None:
        return next((w for w in self.windows if w.id == window_id), None)

    def platform_window(self) -> Window | None:
        """The window that bounds asking the platform to step in: its own intervention window when
        it states one (dated first), else the earliest dated reporting window, and only when the
        rules state neither, a check-now window (验号/验货: it bounds checking the goods, which a
        problem found later, e.g. an account recovered weeks on, could not have met)."""
        page = [w for w in self.windows if w.kind in PAGE_KINDS]
        for kinds in (("platform_apply",), ("feedback",), ("verify_now",)):
            chosen = [w for w in page if w.kind in kinds]
            dated = [w for w in chosen if w.deadline]
            if dated:
                return min(dated, key=lambda w: w.deadline)
            if chosen and kinds == ("platform_apply",):
                return chosen[0]
        return None

    def amount_cny(self) -> Decimal | None:
        if not self.amount or self.amount.currency != "CNY":
            return None
        try:
            return Decimal(self.amount.amount)
        except InvalidOperation:
            return None

    def order_dict(self) -> dict:
        """The dispute's ``order`` object."""
        return {"domain": self.domain, "order_no": self.order_no,
                "amount": self.amount.as_dict() if self.amount else None, "amount_source": self.amount_source,
                "platform": self.platform, "seller": self.seller, "seller_id": self.seller_id,
                "single_shop": self.single_shop, "cross_border": self.cross_border, "item": self.item,
                "product": self.product, "payment_method": self.payment_method,
                "payment_network": self.payment_network}

    def windows_dict(self, now: datetime) -> list[dict]:
        return [w.as_dict(now) for w in self.windows]


def _first(items: list[Item], getter):
    for item in items:
        if item.facts is None:
            continue
        value = getter(item.facts)
        if value:
            return value
    return None


def _obs(item: Item, lines: bool = False) -> Observation:
    return Observation(facts=item.facts, snapshot_id=item.id, url=item.url, seen_at=item.received_at,
                       lines=item.lines() if lines else [])


def _cross_border(ev: OrderEvidence) -> bool:
    """The site's reading (profiles.cross_border over every capture of it) or the order's own pages
    (a foreign price, no ICP); an ICP filing shown anywhere makes it domestic."""
    verdicts = [cross_border_page(_obs(i)) for i in ev.order if i.facts]
    if any(v is not None and v[0] is False for v in verdicts):
        return False
    if any(i["value"] is True for i in profiles.items(ev.platform_state, "icp_filing")):
        return False
    return profiles.cross_border(ev.platform_state) or any(v is not None and v[0] for v in verdicts)


def _payment(ev: OrderEvidence, cross_border: bool) -> tuple[str | None, str | None]:
    method = _first(ev.order, lambda f: f.order.payment_method)
    if method == "paypal":
        return method, "paypal"
    if not cross_border or method not in (None, "card", "other"):
        return method, None
    for item in ev.order:
        if item.kind in ("order", "checkout"):
            network = clauses.payment_network("\n".join(item.lines()))
            if network:
                return method, network
    if method in (None, "other") and any(clauses.bank_transfer(i.lines()) for i in ev.order
                                         if i.kind in ("order", "checkout")):
        # A bank transfer or a local instant payment (轉數快 FPS, SEPA): no card network behind it.
        return "bank_transfer", None
    return method, None


def _amount(ev: OrderEvidence, problem: Problem | None, screens: dict[str, Screen]) -> tuple[Money | None, str | None]:
    tills = [i for i in ev.order if i.kind in ("order", "checkout")] or ev.order
    # An order the page shows unpaid was not paid there (the buyer may have paid outside the
    # platform, another amount): its amount is the price asked, used only when nothing says what was paid.
    paid = _first([i for i in tills if i.facts and i.facts.order.status != "unpaid"], lambda f: f.order.amount)
    if paid:
        return paid, "page"
    asked = _first(tills, lambda f: f.order.amount)
    # The order's payment record (matched by its order number or amount and time), or, with no
    # order page to compare with, the payment record the buyer filed under this order.
    record = next((s.reading for s in screens.values() if (s.pays or s.payment_unchecked) and s.reading.get("amount")),
                  None)
    if record:  # the order's payment record (matched by its order number) states what was paid
        return Money(str(record["amount"]), str(record.get("currency") or "CNY")), "payment_record"
    if problem and problem.typed_amount:
        return problem.typed_amount, "buyer"
    if asked:
        return asked, "page"
    price = _first(ev.products, lambda f: f.product.price)
    return (price, "product_price") if price else (None, None)


def _phase(item: Item, problem: Problem | None, changed: set[str]) -> str:
    """What a piece of evidence documents: a payment or purchase (transaction), a delivery, the
    problem, or the negotiation. It is the page's content that decides, not when it was saved; only
    pages that say nothing about the order fall back on that."""
    if item.type == "attachment":
        return ATTACHMENT_PHASE.get(item.kind, "problem")
    facts = item.facts
    if item.kind == "chat":
        return "negotiation"
    if item.kind == "order":
        if facts.order.status in ("refunded", "disputed"):
            return "negotiation"
        delivered = facts.order.card_codes or facts.order.status == "delivered" or any(
            (t.role == "delivered" or clauses.time_label(t.label) == "delivered") for t in facts.timestamps)
        return "delivery" if delivered else "transaction"
    if item.kind == "product":
        return "problem" if item.id in changed else "transaction"
    if item.kind in ("checkout", "shop", "terms"):
        return "transaction"
    return "problem" if problem and item.when >= problem.occurred_at else "transaction"


# Problems in which a code or account sold to several buyers shows (already used, taken back, banned).
RESOLD_PROBLEMS = ("invalid_code", "account_recovered", "account_banned")
# Problems in which a sold account was lost again (the seller may be the one who took it).
SOLD_ACCOUNT_LOST = ("account_recovered", "account_banned")


def _police_reasons(ev: OrderEvidence, problem: Problem, amount_cny: Decimal | None,
                    findings: list[dict]) -> list[dict]:
    out = [{"code": "refund_fee_scam", **rules.text("police_reasons", "refund_fee_scam", quote=f["quote"])}
           for f in findings if f["code"] == "refund_fee_scam"]
    fee = frozen.unfreeze_fee_line(ev, problem.description) if any(
        f["code"] == "account_frozen" for f in findings) else None
    if fee and not out:
        # More money asked to release a frozen balance (充值激活才能提现): the scam, not the freeze.
        out.append({"code": "unfreeze_fee", **rules.text("police_reasons", "unfreeze_fee", quote=fee[1])})
    limit = rules.threshold("police_threshold_cny")
    # A frozen balance is no theft by its size: the police only for a demand to pay more (above).
    frozen_only = any(f["code"] == "account_frozen" for f in findings)
    if amount_cny is not None and amount_cny > limit and not frozen_only:
        out.append({"code": "amount", **rules.text("police_reasons", "amount", amount=f"{amount_cny}")})
    if problem.kind == "shop_vanished":
        out.append({"code": "shop_vanished", **rules.text("police_reasons", "shop_vanished")})
    took_back = clauses.seller_recovered(problem.description) if problem.kind in SOLD_ACCOUNT_LOST else None
    if took_back:
        # The seller took back the account it sold: its own fraud (消法第五十五条), whatever the amount.
        out.append({"code": "seller_recovered", **rules.text("police_reasons", "seller_recovered", quote=took_back)})
    resold = claims.resold(ev, problem.description) if problem.kind in RESOLD_PROBLEMS else None
    if resold:
        # The seller sold what it had already sold (一码多卖): its own fraud (消法第五十五条), whatever the amount.
        out.append({"code": "resold", **rules.text("police_reasons", "resold", quote=resold)})
    for finding in findings:
        if finding["code"] == "paypal_personal":
            out.append({"code": "paypal_personal", **rules.text("police_reasons", "paypal_personal", quote=finding["quote"])})
    for policy, item in policies(ev, "off_platform"):
        # {item} is filled with the evidence number when the plan is arranged (never the raw id).
        out.append({"code": "off_platform", "item_id": item.id,
                    **rules.text("police_reasons", "off_platform", quote=policy.quote, item="{item}")})
    return out


def judge(ev: OrderEvidence, problem: Problem | None = None) -> OrderJudgement:
    """The judgement of one order from its evidence (and, in a dispute, the buyer's problem)."""
    screens = read_screens(ev)
    # The user's other screenshots were gathered as candidates: those that do not pay for this
    # order are not its evidence.
    ev.attachments = [i for i in ev.attachments if not i.candidate or screens[i.id].pays]
    screens = {i.id: screens[i.id] for i in ev.attachments}
    tills = [i for i in ev.order if i.kind in ("order", "checkout")] or ev.order
    ranked = tills + ev.order + ev.products + ev.shops + ev.terms
    seller = _first(ranked, lambda f: f.seller.name)
    seller_id = _first(ranked, lambda f: f.seller.id)
    keys = {seller_key(i.facts) for i in ranked if i.facts} - {None}
    # A site whose pages have named sellers of its own is a platform: a chat of this order that names
    # none (an off-platform request makes it look like "the shop itself") is still one seller's.
    named = [k for k in (ev.platform_state or {}).get("sellers") or [] if k != SHOP_SELLER]
    single_shop = not seller and not seller_id and not named and (
        SHOP_SELLER in keys or any(single_shop_system(i.facts.system) for i in ranked if i.facts))
    platform = _first(ranked, lambda f: f.platform.name) or (ev.platform_state or {}).get("name") or ev.domain
    cross = _cross_border(ev)
    method, network = _payment(ev, cross)
    funding = paypal_card(ev) if network == "paypal" else None
    amount, source = _amount(ev, problem, screens)
    times = stated_times(ev.order)
    occurred = problem.occurred_at if problem else None
    promised = promised_windows(ev, times)
    windows = clause_windows(ev, times, occurred) + promised
    account = account_check_window(ev, times, windows)
    if account:
        windows.append(account)
    if problem:
        windows.append(seller_reply_window(ev, problem.occurred_at, problem.created_at))
    # A PayPal payment sent as Friends and Family (好友付款) has no PayPal buyer protection: no dispute window.
    personal = claims.paypal_personal(ev) if network == "paypal" else None
    if cross and rules.charged_back(method) and not personal:
        windows.append(chargeback_window(ev, times, network, promised))
    # A chat's title ("与 某某 的对话") names the conversation, not what was bought.
    item = _first(tills, lambda f: f.order.item) or _first([i for i in tills if i.kind != "chat"] + ev.products,
                                                           lambda f: f.product.title)
    findings = (build_findings(ev, problem.kind, times, cross, amount, problem.occurred_at, problem.description, item)
                + fee_scam_findings(ev) + claims.paypal_personal_findings(ev, network)
                if problem else [])
    if problem and not any(f["code"] == "no_reason_return" for f in findings):
        findings += platform_compensation_findings(ev, problem.kind, single_shop, cross)
    elif problem:
        # A change of mind is no card dispute reason: no chargeback window to count down to.
        windows = [w for w in windows if w.kind != "chargeback"]
    changed = changed_after(findings)
    phases = {i.id: _phase(i, problem, changed) for i in ev.all()}
    checklist = (build_checklist(ev, problem, times, changed, promised, screens, frozenset(f["code"] for f in findings))
                 if problem else [])
    judgement = OrderJudgement(
        evidence=ev, problem=problem, platform=platform, seller=None if single_shop else (seller or (
            f"#{seller_id}" if seller_id else None)),
        seller_id=seller_id, single_shop=single_shop,
        product=_first([i for i in tills if i.kind != "chat"] + ev.products, lambda f: f.product.title),
        item=item,
        amount=amount, amount_source=source, cross_border=cross, payment_method=method, payment_network=network,
        times=times, windows=windows, phases=phases, proves=proves(checklist), checklist=checklist,
        findings=findings, police_reasons=[], screens=screens, cross_checks=cross_checks(ev) if problem else [],
        payment_app=payment_app(ev, method, screens, cross), funding_network=funding)
    if problem:
        judgement.police_reasons = _police_reasons(ev, problem, judgement.amount_cny(), findings)
    return judgement


__all__ = ["CHECKLIST", "STATES", "UNDELIVERED", "ChecklistRow", "OrderJudgement", "Problem", "judge", "promise_due",
           "purchase_time"]
