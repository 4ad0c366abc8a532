"""Scams on top of a dispute: someone (often a fake 客服 posing as the platform's support) asks the
buyer to pay first so that a refund or frozen money is released (解冻金, 先交保证金才能退款). No
genuine platform or seller does: the plan must say stop paying and go to the police, whatever the
order's own problem is. Read on the order's pages and chats and on the text OCR read from the
buyer's screenshots, with the words of clauses.toml ``[fee_scam]``.
"""
from __future__ import annotations

from .. import rules
from . import clauses
from .gather import Item, OrderEvidence

SCANNED_PAGES = ("order", "chat")


def _screenshot_lines(item: Item) -> list[str]:
    reading = (item.ocr or {}).get("reading") or {}
    text = reading.get("text") if isinstance(reading, dict) else None
    return text.splitlines() if isinstance(text, str) else []


def fee_scam_findings(ev: OrderEvidence) -> list[dict]:
    """One ``refund_fee_scam`` finding per distinct demand, oldest first, quoting the line that asks."""
    seen, out = set(), []
    pages = [i for i in ev.order + ev.chats if i.kind in SCANNED_PAGES]
    shots = [i for i in ev.attachments if not i.candidate]
    for item in sorted(pages + shots, key=lambda i: i.when):
        lines = _screenshot_lines(item) if item.type == "attachment" else item.lines()
        for line in lines:
            words = clauses.fee_scam(line)
            if not words or words in seen:
                continue
            seen.add(words)
            quote = line.strip()
            evidence = {"snapshot_id": item.id, "quote": quote, "url": item.url, "seen_at": item.received_at,
                        "sha256": item.sha256}
            out.append({"code": "refund_fee_scam", "quote": quote, "words": words, "evidence": [evidence],
                        "explanation": rules.text("findings", "refund_fee_scam", quote=quote)})
    return out
