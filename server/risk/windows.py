"""Time windows of one order: each with what it is (kind), what it counts from (start rule), the
moment it starts, its deadline, the page text it rests on (basis) and what to do before it
closes. Computed once, here, for the badge, the checkout warnings, the dispute plan and its letters.

Kinds:

- ``feedback``, ``verify_now``, ``platform_apply``: a platform's or shop's own time limit, read
  from a clause (``policies`` of kind ``feedback_window``) on any captured page of the site (the
  profile) or of the order. Its words say what it counts from (``clauses.toml``
  ``window_start``): the problem, the reveal of the key, the delivery, the purchase; none named
  counts from the delivery.
- ``promised_delivery``: the order's own delivery promise (秒发, "Delivery within 24 hours") from
  the payment, or the page's "estimated delivery by" time.
- ``account_check``: goods that are an account (the former owner can recover it): log in and
  secure it now, since the recovery risk starts at delivery (a general rule, ``account_check_hours``
  from the delivery; only when the shop states no check-now window of its own).
- ``seller_reply``: the general rule for a seller to answer (a dispute only).
- ``chargeback``: a cross-border order's card network or PayPal time limit (card or PayPal payments).

A window is *open* at an instant when it has a deadline still ahead and is not ``met`` (a delivery
promise is met once the order shows a delivery): only open windows are reminded of.

Start times come from the times the order's pages state (``StatedTimes``); the capture time of a
page is never a start, except that a key shown on a saved page bounds the delivery from above.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .. import rules
from ..clock import CHINA, parse_iso
from . import clauses, profiles
from .gather import Item, OrderEvidence

PAGE_KINDS = ("feedback", "verify_now", "platform_apply")
HOURS_PER_DAY = 24


@dataclass
class Stamp:
    """A time a page of the order states: its role, the moment, the page's own label, the page."""

    role: str
    at: datetime
    label: str
    item: Item

    def evidence(self) -> dict:
        return {"snapshot_id": self.item.id, "label": self.label, "at": self.at.isoformat(), "url": self.item.url}


@dataclass
class StatedTimes:
    """The earliest statement of each role on the order's pages (a later page repeating it changes
    nothing): ``ordered``, ``paid``, ``delivered``, ``revealed``, ``promised_delivery``. A time of
    role ``other`` counts by its label (a page's "Delivered", "Estimated delivery by")."""

    stamps: dict[str, Stamp] = field(default_factory=dict)
    delivered_shown: Item | None = None  # the first order page showing delivered codes or status

    def get(self, *roles: str) -> Stamp | None:
        for role in roles:
            if role in self.stamps:
                return self.stamps[role]
        return None

    def purchase(self) -> Stamp | None:
        return self.get("paid", "ordered")


def stated_times(order_items: list[Item]) -> StatedTimes:
    times = StatedTimes()
    for item in sorted(order_items, key=lambda i: i.when):
        facts = item.facts
        if facts is None:
            continue
        if times.delivered_shown is None and facts.page_kind == "order" and (
                facts.order.card_codes or facts.order.status == "delivered"):
            times.delivered_shown = item
        for stamp in facts.timestamps:
            role = stamp.role
            if role not in ("ordered", "paid", "delivered"):
                role = clauses.time_label(stamp.label) or role
            if role not in ("ordered", "paid", "delivered", "revealed", "promised_delivery"):
                continue
            try:
                moment = parse_iso(stamp.at)
            except (TypeError, ValueError):
                continue
            if role not in times.stamps or moment < times.stamps[role].at:
                times.stamps[role] = Stamp(role, moment, stamp.label, item)
    return times


@dataclass
class Window:
    id: str
    kind: str
    start_rule: str  # delivery | reveal | purchase | problem | negotiation | dispute_opened | transaction
    start: datetime | None
    deadline: datetime | None
    hours: float | None = None
    quote: str | None = None
    clause: dict | None = None  # {snapshot_id, url, seen_at} of the page the clause is on
    start_basis: str | None = None  # which time it starts at (see disputes.toml [start_basis])
    start_evidence: dict | None = None
    network: str | None = None  # chargeback: visa | mastercard | paypal | None (a card, network unknown)
    met: bool = False  # promised_delivery: the order shows the delivery, nothing is awaited any more

    def overdue(self, now: datetime) -> bool:
        return bool(self.deadline and now > self.deadline)

    def is_open(self, now: datetime) -> bool:
        """Still to act on at ``now``: dated, not yet closed, not met."""
        return bool(self.deadline and now < self.deadline and not self.met)

    def length(self) -> timedelta | None:
        """How long the window runs: its stated hours, else from its start to its deadline."""
        if self.hours is not None:
            return timedelta(hours=self.hours)
        if self.start and self.deadline and self.deadline > self.start:
            return self.deadline - self.start
        return None

    def rule(self) -> dict:
        """The rule the window states, in words (交付后24小时内反馈问题 / report problems within…)."""
        return rules.fill(rules.texts("windows", self.kind, "rule"), start=rules.texts("start_rules", self.start_rule),
                          duration=_duration(self.hours), quote=self.quote or "")

    def as_dict(self, now: datetime) -> dict:
        """The window as the badge and the dispute show it."""
        names = rules.texts("windows", self.kind)
        clause = self.clause or {}
        basis = {"quote": self.quote, "snapshot_id": clause.get("snapshot_id"), "url": clause.get("url"),
                 "seen_at": clause.get("seen_at"), "start": self.start_evidence, "rule": self.rule(),
                 "start_basis": rules.texts("start_basis", self.start_basis) if self.start_basis else None}
        return {"id": self.id, "kind": self.kind, "name": {"zh": names["zh"], "en": names["en"]},
                "start_rule": self.start_rule, "start": _iso(self.start), "deadline": _iso(self.deadline),
                "hours": self.hours, "overdue": self.overdue(now), "basis": basis,
                "action": rules.fill(names["action"], quote=self.quote or ""), "network": self.network,
                "met": self.met}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _duration(hours: float | None) -> dict:
    from .messages import duration

    return duration(hours) if hours is not None else {"zh": "", "en": ""}


def _id(kind: str, text: str) -> str:
    return f"{kind}:{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}"


def _sane(hours) -> bool:
    limit = rules.threshold("max_window_days") * HOURS_PER_DAY
    return isinstance(hours, int | float) and not isinstance(hours, bool) and 0 <= hours < limit


def start_of(rule: str, times: StatedTimes, occurred_at: datetime | None) -> tuple[datetime | None, str | None, dict | None]:
    """(moment, basis, evidence) a window of ``rule`` starts at, or (None, why, None)."""
    if rule == "problem":
        return (occurred_at, "problem", None) if occurred_at else (None, "no_problem_yet", None)
    if rule == "purchase":
        stamp = times.purchase()
        return (stamp.at, stamp.role, stamp.evidence()) if stamp else (None, "no_purchase_time", None)
    stamp = times.get("revealed", "delivered") if rule == "reveal" else times.get("delivered")
    if stamp:
        return stamp.at, stamp.role, stamp.evidence()
    if times.delivered_shown is not None:
        # Delivered (a key is shown) at no stated time: it cannot be before the purchase, so the
        # purchase time is the earliest the window can have started (the safe deadline).
        stamp = times.purchase()
        if stamp:
            return stamp.at, "purchase_lower_bound", stamp.evidence()
    return None, "not_delivered_yet", None


def added_after_purchase(ev: OrderEvidence, quote: str, evidence: dict, purchase: datetime | None) -> bool:
    """Whether a rule's clause was first saved after the purchase on a rules page whose version of
    the purchase (the same address, saved at or before it) did not state it: a rule the site wrote
    afterwards (「售后须在24小时内申请」 where it said 7 days), which cannot govern an order made before."""
    url = (evidence.get("url") or "").split("#", 1)[0]
    if purchase is None or not url:
        return False
    seen = next((i for i in ev.terms if i.id == evidence.get("snapshot_id")), None)
    if seen is None or seen.when <= purchase:
        return False
    before = [i for i in ev.terms if (i.url or "").split("#", 1)[0] == url and i.when <= purchase and i.facts]
    return bool(before) and all(quote not in [p.quote for p in i.facts.policies] for i in before)


def page_rules(ev: OrderEvidence, purchase: datetime | None = None) -> list[dict]:
    """Every time-limit clause of the site (the user's profile of it) and of the order's pages,
    once per quote: ``{quote, clause, hours, snapshot_id, url, seen_at}`` (``clause``: the sentence
    the quote stands in on its page, when it was read with the page's text). Given the
    ``purchase`` time, not a clause the site's rules page gained after it (``added_after_purchase``)."""
    seen: dict[str, dict] = {}
    for entry in profiles.items(ev.platform_state, "feedback_window"):
        value, evidence = entry.get("value") or {}, (entry.get("evidence") or [{}])[0]
        quote = value.get("quote")
        if quote and added_after_purchase(ev, quote, evidence, purchase):
            continue
        if quote and quote not in seen and _sane(value.get("hours")):
            seen[quote] = {"quote": quote, "clause": value.get("clause") or quote, "hours": float(value["hours"]),
                           "snapshot_id": evidence.get("snapshot_id"), "url": evidence.get("url"),
                           "seen_at": evidence.get("seen_at")}
    for item in sorted(ev.order, key=lambda i: i.when):
        for policy in item.facts.policies if item.facts else []:
            if policy.kind == "feedback_window" and policy.quote not in seen and _sane(policy.hours):
                seen[policy.quote] = {"quote": policy.quote, "clause": policy.quote, "hours": float(policy.hours),
                                      "snapshot_id": item.id, "url": item.url, "seen_at": item.received_at}
    return sorted(seen.values(), key=lambda w: (w["seen_at"] or "", w["quote"]))


def clause_windows(ev: OrderEvidence, times: StatedTimes, occurred_at: datetime | None) -> list[Window]:
    out = []
    stamp = times.purchase()
    for rule in page_rules(ev, stamp.at if stamp else None):
        # The quote's words decide; when they name no start, the words around it on the page do
        # (a quote is the shortest span stating the limit).
        start_rule = clauses.window_start_around(rule["quote"], rule["clause"]) or "delivery"
        start, basis, evidence = start_of(start_rule, times, occurred_at)
        deadline = start + timedelta(hours=rule["hours"]) if start else None
        kind = clauses.window_kind_around(rule["quote"], rule["clause"])
        out.append(Window(id=_id(kind, rule["quote"]), kind=kind, start_rule=start_rule, start=start, deadline=deadline,
                          hours=rule["hours"], quote=rule["quote"],
                          clause={k: rule[k] for k in ("snapshot_id", "url", "seen_at")},
                          start_basis=basis, start_evidence=evidence))
    return out


def promise_due(hours, times: StatedTimes) -> tuple[datetime, Stamp] | None:
    """When a delivery promise of ``hours`` falls due: the payment (else order) time plus hours."""
    stamp = times.purchase()
    if stamp is None or not _sane(hours):
        return None
    from .messages import exact_hours

    return stamp.at + timedelta(hours=exact_hours(hours)), stamp


def promised_windows(ev: OrderEvidence, times: StatedTimes) -> list[Window]:
    """The order's own delivery promises (on its pages and its product's) and a stated "estimated delivery by" time;
    ``met`` once a page of the order shows the delivery (a stated delivery time, delivered codes or
    status): a late delivery is then a problem to dispute, not a time to wait for."""
    out: dict[str, Window] = {}
    met = times.get("delivered") is not None or times.delivered_shown is not None
    # The order's own pages first, then the product page it was bought from (「24小时内发货」 is
    # most often there): a promise there is as much the order's deadline.
    for item in sorted(ev.order, key=lambda i: i.when) + sorted(ev.products, key=lambda i: i.when):
        for promise in item.facts.promises if item.facts else []:
            if promise.kind != "delivery_window" or promise.hours is None or promise.quote in out:
                continue
            due = promise_due(promise.hours, times)
            out[promise.quote] = Window(
                id=_id("promised_delivery", promise.quote), kind="promised_delivery", start_rule="purchase",
                start=due[1].at if due else None, deadline=due[0] if due else None, hours=float(promise.hours),
                quote=promise.quote, clause={"snapshot_id": item.id, "url": item.url, "seen_at": item.received_at},
                start_basis=due[1].role if due else "no_purchase_time", start_evidence=due[1].evidence() if due else None,
                met=met)
    purchase = times.purchase()
    for quote, moment, item, stamp in stated_dates(ev, times):
        out[f"date:{quote}"] = Window(
            id=_id("promised_delivery", quote), kind="promised_delivery", start_rule="purchase",
            start=purchase.at if purchase else None, deadline=moment, quote=quote,
            clause={"snapshot_id": item.id, "url": item.url, "seen_at": item.received_at},
            start_basis="stated_deadline", start_evidence=stamp.evidence() if stamp else None, met=met)
    return list(out.values())


def stated_dates(ev: OrderEvidence, times: StatedTimes) -> list[tuple[str, datetime, Item, Stamp | None]]:
    """The delivery dates the order states: a labelled page time (预计发货时间, "Estimated delivery
    by") and dates promised in the text of its order and product pages (预售：12月15日前统一发货),
    as (quote, moment, page, stamp or None). A date without a year is in the purchase's year (the
    next one when that would fall before the purchase); without a time, it ends at the day's end."""
    out = []
    stamp = times.get("promised_delivery")
    if stamp is not None:
        out.append((stamp.label, stamp.at, stamp.item, stamp))
    purchase = times.purchase()
    seen = {moment for _, moment, _, _ in out}
    for item in sorted(ev.order + ev.products, key=lambda i: i.when):
        for line in item.lines():
            found = clauses.delivery_date(line)
            if not found:
                continue
            words, year, month, day, clock = found
            base = purchase.at if purchase else item.when
            hour, minute, second = (*clock, 0) if clock else (23, 59, 59)
            try:
                moment = datetime(year or base.year, month, day, hour, minute, second, tzinfo=CHINA)
                if year is None and moment < base:
                    moment = moment.replace(year=moment.year + 1)
            except ValueError:
                continue  # 2月30日: no date
            if moment not in seen:
                seen.add(moment)
                out.append((words, moment, item, None))
    return out


def account_named(ev: OrderEvidence) -> tuple[str, Item] | None:
    """(the words, the page) by which the order's own pages say the goods are an account: the
    ordered item's or product's name (成品号, 账号, Apple ID …), else an original-owner promise."""
    for item in sorted(ev.order, key=lambda i: i.when):
        facts = item.facts
        if facts is None:
            continue
        for name in (facts.order.item, facts.product.title):
            if clauses.is_account(name):
                return name, item
    for item in sorted(ev.order, key=lambda i: i.when):
        for promise in item.facts.promises if item.facts else []:
            if promise.kind == "original_owner" and promise.quote:
                return promise.quote, item
    return None


def account_check_window(ev: OrderEvidence, times: StatedTimes, stated: list[Window]) -> Window | None:
    """Check-now for account goods: log in and secure the account within ``account_check_hours``
    of the delivery, since the former owner can recover it from then on. None when the goods are
    no account or the shop states a check-now window of its own (that one is the rule then)."""
    if any(w.kind == "verify_now" for w in stated):
        return None
    named = account_named(ev)
    if named is None:
        return None
    words, item = named
    hours = float(rules.threshold("account_check_hours"))
    start, basis, evidence = start_of("delivery", times, None)
    return Window(id="account_check", kind="account_check", start_rule="delivery", start=start,
                  deadline=start + timedelta(hours=hours) if start else None, hours=hours, quote=words,
                  clause={"snapshot_id": item.id, "url": item.url, "seen_at": item.received_at},
                  start_basis=basis, start_evidence=evidence)


def seller_reply_window(ev: OrderEvidence, occurred_at: datetime, created_at: datetime) -> Window:
    """The general rule for the seller's answer: from the first negotiation record made at or after
    the problem (a chat page of the order, a chat log the buyer attached), else from the dispute."""
    records = [i for i in ev.order if i.kind == "chat"] + [i for i in ev.attachments if i.kind == "chat_log"]
    after = [i for i in records if i.when >= occurred_at]
    hours = rules.threshold("seller_reply_hours")
    if after:
        first = min(after, key=lambda i: i.when)
        start, rule, basis = first.when, "negotiation", "negotiation_record"
        evidence = {"snapshot_id": first.id if first.type == "capture" else None,
                    "attachment_id": first.id if first.type == "attachment" else None,
                    "label": None, "at": first.received_at, "url": first.url}
    else:
        start, rule, basis, evidence = created_at, "dispute_opened", "dispute_opened", {"at": created_at.isoformat()}
    return Window(id="seller_reply", kind="seller_reply", start_rule=rule, start=start,
                  deadline=start + timedelta(hours=hours), hours=float(hours), start_basis=basis, start_evidence=evidence)


def chargeback_window(ev: OrderEvidence, times: StatedTimes, network: str | None,
                      promised: list[Window]) -> Window:
    """A cross-border order's dispute limit at the card network (or PayPal): from the transaction,
    or from the promised delivery date when that is later (docs/LEGAL.md)."""
    key = network or "visa"  # an unnamed card: Visa and Mastercard have the same limit
    days = rules.threshold(rules.network(key)["days"])
    stamp = times.purchase()
    if stamp:
        start, basis, evidence = stamp.at, stamp.role, stamp.evidence()
    else:
        tills = [i for i in ev.order if i.kind in ("order", "checkout")] or ev.order
        first = min(tills, key=lambda i: i.when) if tills else None
        start = first.when if first else None
        basis, evidence = "first_capture", ({"snapshot_id": first.id, "at": first.received_at} if first else None)
    if network != "paypal":
        later = [w for w in promised if w.deadline and start and w.deadline > start]
        if later:
            last = max(later, key=lambda w: w.deadline)
            start, basis, evidence = last.deadline, "promised_delivery", {"snapshot_id": last.clause["snapshot_id"],
                                                                          "at": last.deadline.isoformat()}
    deadline = start + timedelta(days=days) if start else None
    return Window(id="chargeback", kind="chargeback", start_rule="transaction", start=start, deadline=deadline,
                  hours=float(days * HOURS_PER_DAY), start_basis=basis, start_evidence=evidence, network=network)
