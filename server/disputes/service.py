"""Open and read disputes: the parts put together into the Dispute JSON of contract/api.md."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from .. import clock
from ..errors import NotFound
from ..storage import captures as capture_store
from ..storage import disputes as dispute_store
from ..storage.disputes import DisputeRecord
from .checklist import build_checklist
from .collect import Collection, collect
from .context import build_context
from .escalation import build_escalation
from .findings import build_findings
from .kinds import problem_name
from .letters import build_letters
from .timeline import build_timeline, evidence_list, number_evidence

log = logging.getLogger("kadun.disputes")


@dataclass
class Built:
    dispute: dict
    collection: Collection


def build(r, record: DisputeRecord, now: datetime | None = None) -> Built:
    """Collect the evidence and compute the whole dispute; ``now`` decides what is overdue."""
    now = now or clock.now()
    coll = collect(r, record)
    ctx = build_context(coll)
    timeline = build_timeline(coll, ctx)
    items = number_evidence(coll, timeline)
    evidence = evidence_list(items)
    findings = build_findings(coll, ctx)
    checklist = build_checklist(coll, ctx)
    escalation = build_escalation(coll, ctx, evidence, now)
    letters = build_letters(coll, ctx, findings, checklist, escalation, evidence)
    order = ctx.as_order()
    order["product"] = ctx.product
    order["seller_id"] = ctx.seller_id
    dispute = {
        "id": record.id, "problem": record.problem,
        "problem_name": {"zh": problem_name(record.problem), "en": problem_name(record.problem, "en")},
        "occurred_at": record.occurred_at, "created_at": record.created_at, "description": record.description,
        "computed_at": now.isoformat(timespec="seconds"),
        "order": order, "timeline": timeline, "findings": findings, "checklist": checklist,
        "escalation": escalation, "letters": letters, "evidence": evidence,
    }
    return Built(dispute, coll)


def open_dispute(r, record: DisputeRecord) -> Built:
    """Store a new dispute after checking it has evidence (404 when no capture matches)."""
    if record.snapshot_ids:
        found = {c.id for c in capture_store.get_many(r, record.user, record.snapshot_ids)}
        missing = [sid for sid in record.snapshot_ids if sid not in found]
        if missing:
            raise NotFound(f"no capture {missing[0]}", snapshot_id=missing[0])
    coll = collect(r, record)
    # Terms and shop pages of the site alone are no dispute: a capture of the order itself is needed.
    if not (coll.order if not record.snapshot_ids else coll.captures()):
        raise NotFound(f"no captures of order {record.order_no} on {record.domain}: save the order page first",
                            field="order_no")
    ctx = build_context(coll)
    # The order as the captures name it, so later reads find the same captures.
    record.domain = record.domain or ctx.domain
    record.order_no = record.order_no or ctx.order_no
    dispute_store.create(r, record)
    _record_crowd_signal(r, ctx.domain, _seller_key(coll) or ctx.seller_id, record.id)
    return build(r, record)


def _seller_key(coll: Collection) -> str | None:
    """The seller as the risk profiles key it (id, else name, else the single shop itself)."""
    try:
        from ..risk.signals import seller_key
    except ImportError:
        return None
    for item in coll.order + coll.products + coll.shops:
        try:
            key = seller_key(item.facts)
        except Exception:  # a judgement helper must not stop a dispute from opening
            return None
        if key:
            return key
    return None


def _record_crowd_signal(r, domain: str | None, seller_id: str | None, dispute_id: str) -> None:
    """Tell the risk engine (crowd_disputes); a dispute must never fail because of it."""
    if not domain:
        return
    try:
        from ..risk import service as risk_service

        record = getattr(risk_service, "record_dispute", None)
        if record is not None:
            record(r, domain, seller_id, dispute_id)
    except Exception:  # the crowd signal is a courtesy to other users, not part of this dispute
        log.exception("risk.record_dispute failed for %s", dispute_id)


def get_built(r, user: str, dispute_id: str, now: datetime | None = None) -> Built:
    record = dispute_store.get(r, user, dispute_id)
    if record is None:
        raise NotFound(f"no dispute {dispute_id}", dispute_id=dispute_id)
    return build(r, record, now)
