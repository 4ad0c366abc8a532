"""Open and read disputes: the order's judgement (``server.risk``) arranged into the Dispute JSON of
contract/api.md (timeline, checklist, plan, letters, evidence list, windows)."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from .. import clock
from ..errors import NotFound, Unprocessable
from ..risk import service as risk_service
from ..risk.gather import OrderEvidence, order_key, seed_orders
from ..risk.model import seller_key
from ..risk.order import UNDELIVERED, OrderJudgement
from ..storage import captures as capture_store
from ..storage import disputes as dispute_store
from ..storage.disputes import DisputeRecord
from .complaints import build_complaints
from .escalation import build_escalation
from .kinds import name
from .letters import build_letters
from .timeline import build_timeline, evidence_list, number_evidence

log = logging.getLogger("kadun.disputes")


@dataclass
class Built:
    dispute: dict
    judgement: OrderJudgement

    @property
    def collection(self) -> OrderEvidence:
        """Every item of evidence (numbered), for the pack."""
        return self.judgement.evidence


def judge(r, record: DisputeRecord) -> OrderJudgement:
    """The order's judgement with this dispute's problem and attachments."""
    return risk_service.judge_order(r, record.user, domain=record.domain, order_no=record.order_no, record=record,
                                    related=True)


def build(r, record: DisputeRecord, now: datetime | None = None) -> Built:
    """Judge the order and arrange the whole dispute; ``now`` decides what is overdue."""
    now = now or clock.now()
    judgement = judge(r, record)
    timeline = build_timeline(judgement)
    items = number_evidence(judgement, timeline)
    evidence = evidence_list(judgement, items)
    checklist = [row.as_dict() for row in judgement.checklist]
    escalation = build_escalation(judgement, evidence, now)
    letters = build_letters(judgement, escalation, evidence, checklist)
    dispute = {
        "id": record.id, "problem": record.problem, "problem_name": name("problems", record.problem),
        "occurred_at": record.occurred_at, "created_at": record.created_at, "description": record.description,
        "computed_at": now.isoformat(timespec="seconds"),
        "order": judgement.order_dict(), "timeline": timeline, "findings": judgement.findings,
        "checklist": checklist, "escalation": escalation, "windows": judgement.windows_dict(now),
        "letters": letters, "evidence": evidence, "complaints": build_complaints(judgement, evidence),
        "cross_checks": judgement.cross_checks,
    }
    return Built(dispute, judgement)


def _order_of_problem(r, record: DisputeRecord) -> str | None:
    """The order a dispute opened from chosen pages is about, when they show several orders (two
    orders from one shop, one delivered, one not): the one whose pages fit the problem (nothing
    delivered for a problem of non-delivery, a delivery for the others). Several that fit, or none,
    is refused with their numbers: one dispute per order."""
    orders = seed_orders(r, record.user, record.snapshot_ids)
    if len(orders) < 2:
        return None
    undelivered = record.problem in UNDELIVERED

    def delivered(pages: list) -> bool:
        return any(f.order.card_codes or f.order.status == "delivered" for f in pages)

    fit = [number for number, pages in orders.items() if delivered(pages) != undelivered]
    if len(fit) == 1:
        return fit[0]
    raise Unprocessable(f"the chosen captures show {len(orders)} orders ({', '.join(orders)}) and "
                        f"{'several' if fit else 'none'} fit this problem: open one dispute per order, giving its order_no",
                        field="snapshot_ids", orders=list(orders))


def open_dispute(r, record: DisputeRecord) -> Built:
    """Store a new dispute after checking it has evidence (404 when no capture matches)."""
    if record.snapshot_ids:
        found = {c.id for c in capture_store.get_many(r, record.user, record.snapshot_ids)}
        missing = [sid for sid in record.snapshot_ids if sid not in found]
        if missing:
            raise NotFound(f"no capture {missing[0]}", snapshot_id=missing[0])
    if record.snapshot_ids and not record.order_no:
        record.order_no = _order_of_problem(r, record)
    # The order as the captures name it, so later reads find the same captures.
    record.domain, record.order_no = order_key(r, record.user, record.domain, record.order_no, record.snapshot_ids)
    judgement = judge(r, record)
    ev = judgement.evidence
    # Terms and shop pages of the site alone are no dispute: a capture of the order itself is
    # needed, or screenshots the buyer filed under the order number (a chat, a payment record: the
    # buyer who only has those, e.g. a deal struck over QQ, can still build a case).
    filed = [i for i in ev.attachments if not i.candidate]
    if not (ev.order if not record.snapshot_ids else ev.captures()) and not (record.order_no and filed):
        raise NotFound(f"no captures of order {record.order_no} on {record.domain}: save the order page first",
                            field="order_no")
    dispute_store.create(r, record)
    if ev.domain:
        subject = next((key for item in ev.order + ev.products + ev.shops if item.facts
                        for key in [seller_key(item.facts)] if key), None)
        risk_service.record_dispute(r, ev.domain, subject, record.id, record.user)
    return build(r, record)


def get_built(r, user: str, dispute_id: str, now: datetime | None = None) -> Built:
    record = dispute_store.get(r, user, dispute_id)
    if record is None:
        raise NotFound(f"no dispute {dispute_id}", dispute_id=dispute_id)
    return build(r, record, now)
