"""Buyers' real situations, round 6: first the three gaps round 5 left (a platform that freezes the
buyer's own balance, a promise made only in a livestream, a page saved dozens of times that filled
the timeline), then situations rounds 1-5 did not cover, built the same way: pages a buyer saw
(buyer_pages.py), read by the scrapers as POST /v1/snapshots reads them, stored at the moments the
buyer saved them, then the dispute as KaDun builds it. Each docstring says what a consumer-rights
advisor would tell this buyer, as far as docs/LEGAL.md supports it; the test checks KaDun says that
(and nothing it should not) in zh-CN and en. Where round 6 changed the engine, a counter-example
test beside the scenario shows where the new rule stops."""
from __future__ import annotations

import re

from . import buyer_pages as P
from .scenario import assert_invariants, open_dispute
from .test_buyer_scenarios import JINYU, JINYU_ICP, _codes, _states, _step, _steps, assert_readable, capture
from .test_buyer_scenarios_b import _all_texts
from .test_buyer_scenarios_d import KM, USER, _body, _chat, _order, _product, _terms

RAW6 = re.compile(r"\b(?:account_frozen|livestream_promise|refund_fee_scam|platform_stalling|refund_to_balance|"
                  r"snp_[0-9a-f]+|att_[0-9a-f]+)\b")


def _readable(d: dict) -> None:
    """assert_readable, and no finding code (nor a raw evidence id) in any text a user reads."""
    assert_readable(d)
    for text in _all_texts(d):
        assert not RAW6.search(text), text


def _open(app, problem, no, occurred, now, description, domain="jinyu-km.com"):
    d = open_dispute(app, USER, problem, domain=domain, order_no=no, occurred_at=occurred, created_at=now, now=now,
                     description=description)
    assert_invariants(app, USER, d)
    _readable(d)
    return d


def _seller(d: dict, lang: str = "zh") -> str:
    return _body(d["letters"]["seller"][lang])


# === gap 3: one order page saved 36 times ============================================================

def _order_html(no: str, token: int, status: str = "已付款") -> str:
    html = P.kameng_order(JINYU, order_no=no, item="原神 创世结晶 6480 UID直充", seller="星辰游戏店", amount="648.00",
                          status=status, created="2026-12-01 10:00:00", paid="2026-12-01 10:00:20", delivered=None,
                          payment="支付宝", codes=[], icp=JINYU_ICP)
    # Each load of the page carries a fresh form token: other bytes, the same page and facts.
    return html.replace("</body>", f'<form><input type="hidden" name="_token" value="tk{token:06d}x"></form></body>')


def test_g3_a_page_saved_36_times_is_one_timeline_entry(app):
    """The buyer refreshed the undelivered order page for hours; the extension saved it 36 times (each
    load with a new form token, so 36 different hashes). The timeline gave 40 entries (36 + the
    page's stated times) for one page that said the same thing: now one entry, "seen 36
    times between A and B", with every capture's id still reachable in the entry and in the
    evidence list (and so in the pack)."""
    no = "JY202612011000601"
    ids = []
    for i in range(36):
        at = f"2026-12-01T{10 + i // 6:02d}:{(i % 6) * 10 + 2:02d}:00.000+08:00"
        ids.append(capture(app, _order_html(no, i), f"{KM}/user/order/{no}", at).id)
    d = _open(app, "not_delivered", no, "2026-12-01T12:00:00+08:00", "2026-12-01T16:30:00+08:00", "付款后一直没有发货")
    saved = [e for e in d["timeline"] if "stated_at" in e and e["stated_at"] is None]
    assert len(saved) == 1, [e["summary"]["zh"] for e in d["timeline"]]
    entry, = saved
    assert entry["source"] == {"snapshot_id": ids[0]}
    assert [f["snapshot_id"] for f in entry["folded"]] == ids[1:]
    assert {s["snapshot_id"] for s in entry["sightings"]} == set(ids)
    assert entry["seen"] == {"count": 36, "first": "2026-12-01T10:02:00.000+08:00",
                             "last": "2026-12-01T15:52:00.000+08:00"}
    assert "共保存36次（2026-12-01 10:02:00 (UTC+08:00) 至 2026-12-01 15:52:00 (UTC+08:00)）" in entry["summary"]["zh"]
    assert ("seen 36 times between 2026-12-01 10:02:00 (UTC+08:00) and 2026-12-01 15:52:00 (UTC+08:00)"
            in entry["summary"]["en"])
    assert len(d["timeline"]) == 3  # the entry and the page's stated order and payment times
    assert {i for e in d["evidence"] for i in e["ids"]} == set(ids)  # the pack still lists every capture
    assert entry["evidence_no"] == 1 and [e["no"] for e in d["evidence"]] == list(range(1, 37))


def test_g3b_a_page_whose_facts_changed_is_not_folded_into_its_earlier_version(app):
    """Counter-example: the same order page saved while 已付款, then 已退款, then 已付款 again (the
    shop reversed its refund): three entries, the change and its reversal both visible; and two
    different pages with the same facts are never one entry."""
    no = "JY202612011000602"
    for i, (status, at) in enumerate([("已付款", "10:02"), ("已付款", "10:12"), ("已退款", "11:02"),
                                      ("已付款", "12:02")]):
        capture(app, _order_html(no, 100 + i, status), f"{KM}/user/order/{no}", f"2026-12-01T{at}:00.000+08:00")
    d = _open(app, "not_delivered", no, "2026-12-01T12:00:00+08:00", "2026-12-01T13:00:00+08:00", "退款又被撤回了，一直没有发货")
    saved = [e for e in d["timeline"] if e["stated_at"] is None]
    assert [len(e.get("folded", [])) for e in sorted(saved, key=lambda e: e["received_at"])] == [1, 0, 0]
    assert len(d["evidence"]) == 4
