"""The dispute's timeline: 交易 → 交付 → 问题发生 → 协商, time order within each phase.

Each piece of evidence is one event (the same bytes saved several times are one item with all its
sightings) in the phase the order's judgement gives it, that is, by what the page documents;
the page's own stated times (order placed, paid, delivered, key revealed) are events of their own,
and so are the times a phone screenshot shows (a payment record's payment time, an error prompt's
time: the judgement's ``screens``).
Every event names its source and SHA-256 and keeps the time the server received the evidence apart
from the time the page states.
"""
from __future__ import annotations

import json
from datetime import datetime

from .. import rules
from ..clock import parse_iso
from ..clock import written as when
from ..risk import clauses
from ..risk.gather import Item, page_key
from ..risk.order import OrderJudgement
from .kinds import PHASES, name

STATED_PHASE = {"ordered": "transaction", "paid": "transaction", "delivered": "delivery", "revealed": "delivery"}


def _quoted(quotes: list[str], words: dict) -> dict:
    if not quotes:
        return words["nothing"]
    return {"zh": "、".join(f"「{q}」" for q in quotes), "en": ", ".join(f"“{q}”" for q in quotes)}


def _change(item: Item, findings: list[dict]) -> dict | None:
    """What a later version of a product page removed and added against the version of the purchase
    (the judgement's description_changed finding), for that later version's event."""
    words = rules.texts("timeline", "capture")
    for finding in findings:
        diff = finding.get("diff") or {}
        if finding["code"] == "description_changed" and diff.get("after") == item.id:
            before = next((f["seen_at"] for f in finding["evidence"] if f["snapshot_id"] == diff.get("before")), "")
            return rules.fill(words["changed"], before=before, removed=_quoted(diff.get("removed") or [], words),
                              added=_quoted(diff.get("added") or [], words))
    return None


def _fold_key(item: Item) -> tuple[str, str] | None:
    """Captures of one page (``page_key``) whose facts are identical are one timeline entry: a page
    saved 36 times while the buyer waited (each copy with other bytes, e.g. a fresh CSRF token or ad)
    documents the same thing 36 times. Attachments are never folded."""
    if item.attachment is not None or item.facts is None or not item.url:
        return None
    facts = {k: v for k, v in item.facts.as_dict().items() if k != "url"}
    return page_key(item.url), json.dumps(facts, sort_keys=True, ensure_ascii=False, default=str)


def _folded_groups(items: list[Item], phases: dict[str, str]) -> list[list[Item]]:
    """The items in time order, each run of captures of one page with identical facts (and phase) in
    one group, first item first. A run ends when that page is seen with other facts: A, B, A is three
    entries, so a change and its reversal both stay visible."""
    groups: list[list[Item]] = []
    runs: dict[str, tuple[tuple, list[Item]]] = {}  # page → (fold key, its current group)
    for item in sorted(items, key=lambda i: i.when):
        key = _fold_key(item)
        if key is None:
            groups.append([item])
            continue
        page, facts = key
        current = runs.get(page)
        if current is not None and current[0] == (facts, phases.get(item.id)):
            current[1].append(item)
            continue
        group = [item]
        groups.append(group)
        runs[page] = ((facts, phases.get(item.id)), group)
    return groups


def _seen(group: list[Item]) -> dict | None:
    """"seen N times between A and B" of a folded group (every sighting of every copy), or None for
    one item."""
    if len(group) < 2:
        return None
    times = sorted((s.get("received_at") for i in group for s in _sightings(i) if s.get("received_at")),
                   key=parse_iso)
    return {"count": len(times), "first": times[0], "last": times[-1]}


def _summary(item: Item, findings: list[dict] = (), seen: dict | None = None) -> dict:
    words = rules.texts("timeline", "capture")
    if item.attachment is not None:
        att = item.attachment
        return rules.fill(words["attachment"], name=name("attachments", item.kind), filename=att.filename)
    facts = item.facts
    parts = [rules.fill(words["saved"], page=name("pages", item.kind))]
    title = facts.product.title or facts.order.item
    if title:
        parts.append(rules.fill(words["title"], title=title))
    if facts.order.card_codes:
        parts.append(rules.fill(words["codes"], count=len(facts.order.card_codes)))
    elif facts.order.status:
        parts.append(rules.fill(words["status"], status=name("order_status", facts.order.status, facts.order.status)))
    quotes = [p.quote for p in facts.promises][:6]
    if quotes:
        parts.append(rules.fill(words["promises"], quotes={"zh": "、".join(f"「{q}」" for q in quotes),
                                                           "en": ", ".join(f"“{q}”" for q in quotes)}))
    change = _change(item, list(findings))
    if change:
        parts.append(change)
    if seen:
        parts.append(rules.fill(words["seen"], count=seen["count"], first=when(seen["first"]),
                                last=when(seen["last"])))
    elif len(item.sightings) > 1:
        parts.append(rules.fill(words["again"], count=len(item.sightings)))
    return {lang: "".join(p[lang] for p in parts) for lang in ("zh", "en")}


def _sightings(item: Item) -> list[dict]:
    if item.attachment is not None:
        return [{"attachment_id": item.id, "received_at": item.received_at}]
    return [{"snapshot_id": s.get("snapshot_id"), "received_at": s.get("received_at"), "url": s.get("url")}
            for s in item.sightings] or [{"snapshot_id": item.id, "received_at": item.received_at, "url": item.url}]


def _event(phase: str, at: str, item: Item, summary: dict, stated_at: str | None,
           folded: list[Item] = ()) -> dict:
    event = {"phase": phase, "at": at, "received_at": item.received_at, "stated_at": stated_at,
             "source": item.source(), "sha256": item.sha256, "url": item.url, "summary": summary,
             "sightings": _sightings(item)}
    if folded:
        # Later captures of the same page with the same facts: one entry, every capture still named
        # (its id, hash and times), and each stays in the evidence list and the pack.
        event["folded"] = [{"snapshot_id": other.id, "sha256": other.sha256, "received_at": other.received_at,
                            "sightings": _sightings(other)} for other in folded]
        event["sightings"] = [s for other in (item, *folded) for s in _sightings(other)]
        event["seen"] = _seen([item, *folded])
    return event


def build_timeline(judgement: OrderJudgement) -> list[dict]:
    """Events sorted by phase, then time."""
    ev = judgement.evidence
    events: list[tuple[datetime, dict]] = []
    for group in _folded_groups(ev.all(), judgement.phases):
        item, folded = group[0], group[1:]
        events.append((item.when, _event(judgement.phases[item.id], item.received_at, item,
                                         _summary(item, judgement.findings, _seen(group)), None, folded)))
    seen: set[tuple[str, str]] = set()
    for item in ev.order:
        for stamp in item.facts.timestamps if item.facts else []:
            role = stamp.role if stamp.role in STATED_PHASE else clauses.time_label(stamp.label)
            if role not in STATED_PHASE:
                continue
            try:
                moment = parse_iso(stamp.at)
            except (TypeError, ValueError):
                continue
            if (role, moment.isoformat()) in seen:
                continue  # the same statement seen on another page of the order
            seen.add((role, moment.isoformat()))
            text = rules.text("timeline", "stated", role, label=stamp.label or role, at=stamp.at)
            events.append((moment, _event(STATED_PHASE[role], moment.isoformat(), item, text, stamp.at)))
    for item in ev.attachments:
        screen = judgement.screens.get(item.id)
        if screen is not None and screen.stated_at is not None and screen.phase:
            at = screen.stated_at.isoformat()
            events.append((screen.stated_at, _event(screen.phase, at, item, screen.summary, at)))
    order = {phase: i for i, phase in enumerate(PHASES)}
    events.sort(key=lambda pair: (order[pair[1]["phase"]], pair[0]))
    return [event for _, event in events]


def number_evidence(judgement: OrderJudgement, timeline: list[dict]) -> list[Item]:
    """Give every item the number letters and the report cite: first appearance in the timeline."""
    ev = judgement.evidence
    ordered: list[Item] = []
    seen: set[str] = set()
    for event in timeline:
        # A folded entry's copies are numbered right after its first capture.
        for item_id in [next(iter(event["source"].values()))] + [f["snapshot_id"] for f in event.get("folded", [])]:
            item = ev.by_id(item_id)
            if item is not None and item.id not in seen:
                seen.add(item.id)
                ordered.append(item)
    for item in sorted(ev.all(), key=lambda i: i.when):
        if item.id not in seen:
            seen.add(item.id)
            ordered.append(item)
    for number, item in enumerate(ordered, start=1):
        item.no = number
    for event in timeline:
        item = ev.by_id(next(iter(event["source"].values())))
        event["evidence_no"] = item.no if item else None
    return ordered


def evidence_list(judgement: OrderJudgement, items: list[Item]) -> list[dict]:
    """The numbered evidence list of the Dispute JSON (and of 12315's 证据清单): one entry per
    content hash, with every time it was saved, its phase and what it proves."""
    out = []
    for item in items:
        common = {"no": item.no, "id": item.id, "received_at": item.received_at, "sha256": item.sha256,
                  "sightings": _sightings(item), "phase": judgement.phases.get(item.id),
                  "proves": judgement.proves.get(item.id, [])}
        if item.attachment is not None:
            att = item.attachment
            label = name("attachments", item.kind)
            screen = judgement.screens.get(item.id)
            # kind: what the item is as evidence (an "other" upload that OCR read as a payment
            # record is payment proof); uploaded_kind: what the buyer chose.
            out.append({**common, "ids": [item.id], "type": "attachment", "kind": item.kind, "uploaded_kind": att.kind,
                        "title": {"zh": f"{label['zh']}（{att.filename}）", "en": f"{label['en']} ({att.filename})"},
                        "url": None, "filename": att.filename,
                        "ocr": screen.as_dict() if screen is not None and screen.state else None})
        else:
            servers = item.servers
            out.append({**common, "ids": item.ids, "type": "capture", "kind": item.kind,
                        "title": name("pages", item.kind), "url": item.url, "filename": None,
                        "screenshot_sha256": item.capture.screenshot_sha256,
                        # a shared link the server fetched itself: how it was fetched
                        "source": "server" if servers and len(servers) == len(item.captures) else (
                            "both" if servers else "extension"),
                        "fetch": servers[0].fetch if servers else None})
    return out
