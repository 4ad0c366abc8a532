"""The dispute's timeline: 交易 → 交付 → 问题发生 → 协商, time order within each phase.

Every event names its source (a capture or an attachment) and that source's SHA-256, and carries
both the time the server received the evidence and the time the page itself states (if any).
"""
from __future__ import annotations

from datetime import datetime

from ..clock import parse_iso
from .collect import Collection, Evidence
from .context import OrderContext
from .kinds import ATTACHMENT_NAMES, PAGE_NAMES, PHASES

# Page-stated times that become events of their own: role → (phase, zh, en).
STATED = {
    "ordered": ("transaction", "下单（页面显示{label}：{at}）", "order placed (the page states {label}: {at})"),
    "paid": ("transaction", "付款（页面显示{label}：{at}）", "payment made (the page states {label}: {at})"),
    "delivered": ("delivery", "发货/交付（页面显示{label}：{at}）", "goods delivered (the page states {label}: {at})"),
}

ATTACHMENT_PHASE = {"payment_proof": "transaction", "chat_log": "negotiation",
                    "error_screenshot": "problem", "other": "problem"}


def _capture_phase(item: Evidence, occurred: datetime) -> str:
    after_problem = item.when >= occurred
    if item.kind == "chat":
        return "negotiation"
    if item.kind in ("terms", "shop", "checkout"):
        return "transaction"
    if item.kind == "order":
        if after_problem:
            return "problem"
        order = item.facts.get("order") or {}
        return "delivery" if (order.get("card_codes") or order.get("status") == "delivered") else "transaction"
    return "problem" if after_problem else "transaction"


def _capture_summary(item: Evidence) -> dict:
    page = PAGE_NAMES.get(item.kind, PAGE_NAMES["other"])
    facts = item.facts
    title = (facts.get("product") or {}).get("title")
    order = facts.get("order") or {}
    zh, en = f"保存{page['zh']}", f"saved the {page['en']}"
    if title:
        zh, en = f"{zh}：{title}", f"{en}: {title}"
    if order.get("card_codes"):
        n = len(order["card_codes"])
        zh, en = f"{zh}（显示已交付 {n} 条卡密/账号）", f"{en} (shows {n} delivered code(s))"
    elif order.get("status"):
        zh, en = f"{zh}（订单状态：{order['status']}）", f"{en} (order status: {order['status']})"
    quotes = [p.get("quote") for p in facts.get("promises") or [] if p.get("quote")]
    if quotes:
        zh += "；页面承诺：" + "、".join(f"「{q}」" for q in quotes[:6])
        en += "; promises on the page: " + ", ".join(f"“{q}”" for q in quotes[:6])
    return {"zh": zh, "en": en}


def _event(phase: str, at: str, item: Evidence, summary: dict, stated_at: str | None) -> dict:
    return {"phase": phase, "at": at, "received_at": item.received_at, "stated_at": stated_at,
            "source": item.source(), "sha256": item.sha256, "url": item.url, "summary": summary}


def build_timeline(coll: Collection, ctx: OrderContext) -> list[dict]:
    """Events sorted by phase, then time."""
    occurred = ctx.occurred_at
    events: list[tuple[datetime, dict]] = []
    seen_stated: set[tuple[str, str]] = set()
    for item in coll.captures():
        events.append((item.when, _event(_capture_phase(item, occurred), item.received_at, item,
                                         _capture_summary(item), None)))
        for stamp in item.facts.get("timestamps") or []:
            role = stamp.get("role")
            if role not in STATED or item not in coll.order:
                continue
            try:
                moment = parse_iso(stamp.get("at"))
            except (ValueError, TypeError):
                continue
            if (role, moment.isoformat()) in seen_stated:
                continue  # the same statement seen on another page of the order
            seen_stated.add((role, moment.isoformat()))
            phase, zh, en = STATED[role]
            label = stamp.get("label") or role
            text = {"zh": zh.format(label=label, at=stamp.get("at")), "en": en.format(label=label, at=stamp.get("at"))}
            events.append((moment, _event(phase, moment.isoformat(), item, text, stamp.get("at"))))
    for item in coll.attachments:
        att = item.attachment
        kind = _read_kind(item)
        name = ATTACHMENT_NAMES.get(kind, ATTACHMENT_NAMES["other"])
        text = {"zh": f"买家补充{name['zh']}：{att.filename}", "en": f"buyer added {name['en']}: {att.filename}"}
        events.append((item.when, _event(ATTACHMENT_PHASE.get(kind, "problem"), item.received_at, item, text, None)))
        stated = reading_event(item)
        if stated is not None:
            events.append(stated)
    order = {phase: i for i, phase in enumerate(PHASES)}
    events.sort(key=lambda pair: (order[pair[1]["phase"]], pair[0]))
    return [event for _, event in events]


def _read_kind(item: Evidence) -> str:
    from .checklist import READING_KINDS

    kind = item.attachment.kind
    return READING_KINDS.get(item.reading.get("kind"), kind) if kind == "other" else kind


def reading_event(item: Evidence) -> tuple[datetime, dict] | None:
    """The moment a screenshot itself shows, as an event: a payment at its payment time, an error
    prompt at the time it shows (OCR readings; none when the screenshot shows no time)."""
    reading = item.reading
    if reading.get("kind") == "payment" and reading.get("time"):
        platform = {"alipay": ("支付宝", "Alipay"), "wechat": ("微信支付", "WeChat Pay"),
                    "bank": ("银行", "bank")}.get(reading.get("platform") or "", ("", "payment"))
        money = f"¥{reading['amount']}" if reading.get("amount") else ""
        number = reading.get("transaction_no") or reading.get("merchant_order_no") or ""
        zh = f"{platform[0]}付款记录：{money} 付给「{reading.get('payee') or '未识别'}」" + (f"，交易单号 {number}" if number else "")
        en = (f"{platform[1]} payment record: {money} to “{reading.get('payee') or 'unknown'}”"
              + (f", transaction {number}" if number else ""))
        phase, at = "transaction", reading["time"]
    elif (reading.get("problem") or {}).get("at"):
        problem = reading["problem"]
        zh, en = f"报错截图显示「{problem['message']}」", f"the error screenshot shows “{problem['message']}”"
        phase, at = "problem", problem["at"]
    else:
        return None
    try:
        moment = parse_iso(at)
    except (ValueError, TypeError):
        return None
    return moment, _event(phase, moment.isoformat(), item, {"zh": zh, "en": en}, at)


def number_evidence(coll: Collection, timeline: list[dict]) -> list[Evidence]:
    """Give every item the number letters and the report cite: first appearance in the timeline."""
    ordered: list[Evidence] = []
    seen: set[str] = set()
    for event in timeline:
        item_id = next(iter(event["source"].values()))
        if item_id not in seen:
            seen.add(item_id)
            item = coll.by_id(item_id)
            if item is not None:
                ordered.append(item)
    for item in sorted(coll.all(), key=lambda e: e.when):
        if item.id not in seen:
            seen.add(item.id)
            ordered.append(item)
    for number, item in enumerate(ordered, start=1):
        item.no = number
    for event in timeline:
        item = coll.by_id(next(iter(event["source"].values())))
        event["evidence_no"] = item.no if item else None
    return ordered


def evidence_list(items: list[Evidence]) -> list[dict]:
    """The numbered evidence list of the Dispute JSON (and of 12315's 证据清单)."""
    out = []
    for item in items:
        if item.attachment:
            att = item.attachment
            name = ATTACHMENT_NAMES.get(att.kind, ATTACHMENT_NAMES["other"])
            out.append({"no": item.no, "id": item.id, "type": "attachment", "kind": att.kind,
                        "title": {"zh": f"{name['zh']}（{att.filename}）", "en": f"{name['en']} ({att.filename})"},
                        "url": None, "filename": att.filename, "received_at": item.received_at,
                        "sha256": item.sha256,
                        "ocr": ({"state": item.ocr.get("state"), "reading": item.ocr.get("reading"),
                                 "match": item.ocr.get("match")} if item.ocr else None)})
        else:
            page = PAGE_NAMES.get(item.kind, PAGE_NAMES["other"])
            out.append({"no": item.no, "id": item.id, "type": "capture", "kind": item.kind,
                        "title": {"zh": page["zh"], "en": page["en"]}, "url": item.url, "filename": None,
                        "received_at": item.received_at, "sha256": item.sha256,
                        "screenshot_sha256": item.capture.screenshot_sha256,
                        "sightings": [s.get("received_at") for s in item.sightings]})
    return out
