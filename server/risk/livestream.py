"""A promise made in a livestream (直播间承诺, 主播说包赔, 买12送6 said aloud): spoken, it is on no page
unless a capture shows it. Two things follow (docs/LEGAL.md: the seller must deliver what it stated,
消法第二十三、二十四条; what it agreed with the buyer binds it, 第十六条):

- the buyer who says the promise was made in a livestream is asked for the replay or a screen
  recording, with the stream's date and the moment it was said (the checklist's description row:
  ``livestream``), since nothing else proves spoken words;
- a saved page or the other side's chat line that states it (「直播间承诺：买12送6」, 「主播12月1日直播
  说的包赔」) is a finding, ``livestream_promise``, and the letters quote it as said in the livestream,
  on the date the line states, else as the page saved on its date records it. The buyer's own chat
  line is not the seller's promise.
"""
from __future__ import annotations

import re
from datetime import date

from .. import rules
from ..clock import parse_iso
from .frozen import own_lines
from .gather import Item, OrderEvidence
from .gather import evidence_of as _evidence

LIVE = re.compile(r"直播间?|主播|口播|开播|livestream|live stream|live broadcast|streamer", re.I)
PROMISE = re.compile(r"送|赠|包赔|赔付|包退|退款|保证|承诺|终身|永久|不封|包售后|guarantee|promise|free|refund|bonus", re.I)
# The buyer asking, or a line only naming the stream (直播间专享 price, 下次开播时间), is no promise.
NOT_PROMISE = re.compile(r"开播时间|直播预告|关注直播间|直播间专享价?$", re.I)
STATED_DAY = re.compile(r"(?:(?P<y>\d{4})[年/-])?(?P<m>\d{1,2})[月/-](?P<d>\d{1,2})(?:日|号)?")


def names_livestream(text: str | None) -> str | None:
    """The buyer's words saying a promise was made in a livestream (直播间主播说的); None otherwise."""
    found = LIVE.search(text or "")
    return found.group(0) if found else None


def livestream_line(line: str | None) -> str | None:
    """The words of a line that states a promise made in a livestream; None otherwise."""
    text = line or ""
    live = LIVE.search(text)
    if not live or not PROMISE.search(text) or NOT_PROMISE.search(text.strip()):
        return None
    return live.group(0)


def stated_day(line: str, saved: str) -> date | None:
    """The day a line states (12月1日, 2026-12-01), its year from the capture's when the line gives
    none (a month after the capture's is last year's); None when it states none or an impossible day."""
    found = STATED_DAY.search(line)
    if not found:
        return None
    at = parse_iso(saved)
    month, day = int(found.group("m")), int(found.group("d"))
    year = int(found.group("y")) if found.group("y") else (at.year if month <= at.month else at.year - 1)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _pages(ev: OrderEvidence) -> list[Item]:
    return sorted([i for i in ev.products + ev.order + ev.shops + ev.chats if i.facts], key=lambda i: i.when)


def livestream_findings(ev: OrderEvidence, cross_border: bool) -> list[dict]:
    """The first line of the order's pages (or the other side's chat) stating a livestream promise."""
    for item in _pages(ev):
        for line, by_buyer in own_lines(item):
            if by_buyer or not livestream_line(line):
                continue
            said = stated_day(line, item.received_at)
            saved = parse_iso(item.received_at).date().isoformat()
            key = "said_on" if said else "saved_on"
            values = {"quote": line, "day": said.isoformat() if said else saved}
            law = "cross_border" if cross_border else "domestic"
            return [{"code": "livestream_promise", "quote": line, "said_on": said.isoformat() if said else None,
                     "evidence": [_evidence(item, line)],
                     "letter": rules.text("findings", "livestream_promise", f"letter_{key}", **values),
                     "explanation": rules.text("findings", "livestream_promise", f"{law}_{key}", **values)}]
    return []


def spoken_only(ev: OrderEvidence, told: str, found: list[dict]) -> bool:
    """The buyer says the promise was made in a livestream and no capture shows it."""
    return bool(names_livestream(told)) and not any(f["code"] == "livestream_promise" for f in found)
