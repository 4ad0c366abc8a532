"""The evidence checklist of an order in a dispute: six items, each present, partial or missing,
with what would complete it (the texts are disputes.toml's [checklist]), and what each piece of
evidence proves. Part of the order's judgement (``server.risk.order``)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import rules
from . import clauses
from .findings import policies
from .gather import Item, OrderEvidence
from .livestream import names_livestream
from .problem import Problem
from .screens import Screen
from .windows import StatedTimes, Window

CHECKLIST = ("order_record", "description", "payment_proof", "delivery_record", "problem_proof",
             "negotiation_record")
STATES = ("present", "partial", "missing")
# Problems where nothing was delivered: the order page's status is the record of the delivery.
UNDELIVERED = ("not_delivered", "delivery_late", "shop_vanished")


@dataclass
class ChecklistRow:
    item: str
    state: str  # present | partial | missing
    evidence: list[str] = field(default_factory=list)
    advice: str | None = None  # another text of the item's [checklist] entry that says what would complete it
    how: str = "how"  # the text of the item's [checklist] entry that says how to get it (by the problem)

    def as_dict(self) -> dict:
        texts = rules.texts("checklist", self.item)
        partial = texts[self.advice] if self.advice else texts["partial"]
        how = texts[self.how]
        complete = how if self.state == "missing" else (partial if self.state == "partial" else None)
        return {"item": self.item, "name": _pair(texts["name"]), "state": self.state,
                "state_name": _pair(rules.texts("checklist_states", self.state)), "present": self.state == "present",
                "evidence": self.evidence, "how": _pair(how), "complete": _pair(complete) if complete else None}


def _pair(value: dict) -> dict:
    return {"zh": value["zh"], "en": value["en"]}


def build_checklist(ev: OrderEvidence, problem: Problem, times: StatedTimes, changed: set[str],
               promised: list[Window], screens: dict[str, Screen], found: frozenset[str] = frozenset()) -> list[ChecklistRow]:
    occurred = problem.occurred_at
    tills = [i for i in ev.order if i.kind in ("order", "checkout")]
    att = {kind: [i for i in ev.attachments if i.kind == kind] for kind in ("payment_proof", "chat_log",
                                                                          "error_screenshot", "other")}
    rows: dict[str, tuple[list[Item], list[Item]]] = {}  # item → (present, partial)
    advice: dict[str, str] = {}

    rows["order_record"] = ([i for i in tills if i.facts.order.order_no],
                            [i for i in ev.order if i not in tills])
    described = [i for i in ev.products if i.facts.promises or i.facts.product.title]
    # A product page saved before the problem describes what was sold, unless it is the later,
    # changed version of the page (that one shows the change, so it is the problem's evidence).
    rows["description"] = ([i for i in described if i.when < occurred and i.id not in changed],
                           [i for i in described if i.when >= occurred or i.id in changed]
                           + [i for i in tills if i.facts.product.title or i.facts.order.item])
    if not described and any(i.facts.product.title or i.facts.order.item for i in tills):
        advice["description"] = "order_item"  # no product page at all: what the order's name already proves
    hows: dict[str, str] = {}
    if names_livestream(problem.description) and "livestream_promise" not in found:
        # The promise was spoken in a livestream and no capture shows it: whatever pages describe
        # the goods, the promise itself is still to be proven, by the replay or a screen recording.
        present, partial = rows["description"]
        rows["description"] = ([], present + partial)
        advice["description"] = hows["description"] = "livestream_note"
    paid = [i for i in tills if i.facts.order.status in ("paid", "delivered", "refunded", "disputed")
            or any(t.role == "paid" for t in i.facts.timestamps)]
    # A payment record pays for this order when OCR read its amount and time (or the order number)
    # and they agree with the order's pages, whatever the uploader called it; one uploaded as payment
    # proof that OCR could not read counts on the uploader's word; one read as a payment of another
    # amount or time is at most partial.
    other_payment = [i for i in att["payment_proof"] if screens[i.id].pays_another]
    rows["payment_proof"] = ([i for i in ev.attachments if screens[i.id].pays]
                             + [i for i in att["payment_proof"] if i not in other_payment], paid + other_payment)
    if other_payment:
        advice["payment_proof"] = "other_payment"
    orders = [i for i in ev.order if i.kind == "order"]
    with_codes = [i for i in orders if i.facts.order.card_codes or (times.get("delivered") and
                                                                   times.get("delivered").item is i)]
    # A chat of the order in which a code was handed over (「卡密：…… 请查收」) records a delivery the
    # order page may not show: the seller's own message, so at least a partial record.
    in_chat = [i for i in ev.order + ev.chats if i.kind == "chat" and any(clauses.sent_in_chat(x) for x in i.lines())]
    if problem.kind in UNDELIVERED and not with_codes:
        rows["delivery_record"] = (orders, [])
    else:
        rows["delivery_record"] = (with_codes, [i for i in orders if i.facts.order.status == "delivered"
                                                 and i not in with_codes] + in_chat)
        if in_chat and not with_codes:
            advice["delivery_record"] = "chat"
    due = [w.deadline for w in promised if w.deadline]
    undelivered_after_due = [i for i in orders if problem.kind in UNDELIVERED and due and i.when > min(due)
                             and i.facts.order.status == "paid" and not i.facts.order.card_codes]
    aftermath = [i for i in orders if i.when >= occurred and i.facts.order.status in ("refunded", "disputed", "closed")]
    rows["problem_proof"] = (att["error_screenshot"] + undelivered_after_due,
                             att["other"] + [i for i in ev.products if i.id in changed] + aftermath)
    if problem.kind == "minor_purchase":
        # What proves a minor's purchase is who bought (an ID, the child's device or account, the
        # guardian's statement), filed as other material; not an error on a screen.
        rows["problem_proof"] = (att["other"] + att["error_screenshot"], [])
        hows["problem_proof"] = "how_minor"
    # What shows the problem depends on what it is: the game's own recharge record for a short
    # top-up; for a buyer who no longer wants the goods, no defect to prove, only that a code is unused.
    for code, how in (("short_top_up", "how_top_up"), ("no_reason_return", "how_no_reason")):
        if code in found:
            hows["problem_proof"] = how
    if _paid_in_crypto(ev, problem):
        hows["payment_proof"] = "how_crypto"  # a wallet's or exchange's transfer record, not a bill
    chats = [i for i in ev.order + ev.chats if i.kind == "chat"]
    rows["negotiation_record"] = (att["chat_log"] + [i for i in chats if i.when >= occurred],
                                  [i for i in chats if i.when < occurred])
    out = []
    for name in CHECKLIST:
        present, partial = rows[name]
        partial = [i for i in partial if i not in present]
        state = "present" if present else "partial" if partial else "missing"
        chosen = present if present else partial
        out.append(ChecklistRow(name, state, list(dict.fromkeys(i.id for i in chosen)),
                                advice.get(name) if state == "partial" else None, hows.get(name, "how")))
    return out


def _paid_in_crypto(ev: OrderEvidence, problem: Problem) -> bool:
    """Whether the money went as a crypto token (USDT): the amount the buyer gave or the order's, or
    the off-platform request that asked for it."""
    mark = clauses.pattern("currency_marks", "USDT")
    amounts = [problem.typed_amount] + [i.facts.order.amount for i in ev.order if i.facts]
    if any(a is not None and a.currency == "USDT" for a in amounts):
        return True
    return any(mark.search(policy.quote or "") for policy, _ in policies(ev, "off_platform"))


def proves(checklist: list[ChecklistRow]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in checklist:
        for item_id in row.evidence:
            out.setdefault(item_id, []).append({"item": row.item, "state": row.state})
    return out
