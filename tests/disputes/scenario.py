"""Scenario captures for dispute tests: fixture pages stored with their labelled facts.

The scrapers are built in parallel, so these tests do not depend on how well they extract: a
fixture page's labelled JSON (the contract's expected facts) is stored as the capture's facts,
through the same storage function POST /v1/snapshots uses, with a chosen server time. Synthetic
pages (small HTML stating the facts plainly) cover what no fixture shows, e.g. a page that changed.
"""
from __future__ import annotations

import copy
import json
import uuid

from server.storage import captures

from ..conftest import FIXTURES, fixture_index
from .contract_checks import assert_contract

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cfc0f01f0005000201e2b2a7c30000000049454e44ae426082")


def fixture_url(file: str) -> str:
    return next(entry["url"] for entry in fixture_index() if entry["file"] == file)


def labelled(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def store(app, user: str, html: str | bytes, url: str, facts: dict, at: str,
          screenshot: bytes | None = None) -> captures.Capture:
    """Store one capture as if the server received it at ``at``, and fold it into the user's
    profiles of the site, as POST /v1/snapshots does."""
    from server.risk import service

    signer = app.extensions["kadun"].signer
    r = app.extensions["kadun"].redis
    data = html.encode("utf-8") if isinstance(html, str) else html
    capture, created = captures.store(
        r, user, client_id=str(uuid.uuid4()), html=data, screenshot=screenshot,
        url=url, title=None, captured_at=at, clock_offset_seconds_of=lambda _: 0.0, trigger="auto",
        extension_version="test", facts=facts, now=lambda: at, sign=lambda p: signer.sign(p).as_dict())
    assert created
    captures.set_warnings(r, user, capture, service.after_capture(r, user, capture, facts, data))
    return capture


def store_fixture(app, user: str, name: str, at: str, facts: dict | None = None,
                  screenshot: bytes | None = None) -> captures.Capture:
    file = f"{name}.html"
    return store(app, user, (FIXTURES / file).read_text(encoding="utf-8"), fixture_url(file),
                 facts if facts is not None else labelled(name), at, screenshot)


def changed_product(name: str, drop_kinds: tuple[str, ...]) -> tuple[str, dict]:
    """The fixture product page after the seller edited it: promises of ``drop_kinds`` removed
    from both the HTML text and the facts."""
    facts = copy.deepcopy(labelled(name))
    html = (FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    for promise in facts["promises"]:
        if promise["kind"] in drop_kinds:
            html = html.replace(promise["quote"], "")
    facts["promises"] = [p for p in facts["promises"] if p["kind"] not in drop_kinds]
    return html, facts


def open_dispute(app, user: str, problem: str, *, occurred_at: str, created_at: str, now: str,
                 domain: str | None = None, order_no: str | None = None, snapshot_ids: list[str] | None = None,
                 amount: dict | None = None, description: str = "") -> dict:
    """Open a dispute through the service (as the route does) and compute it at ``now``."""
    from server.clock import parse_iso
    from server.disputes import service
    from server.storage.disputes import DisputeRecord, new_dispute_id

    r = app.extensions["kadun"].redis
    record = DisputeRecord(id=new_dispute_id(), user=user, problem=problem, occurred_at=occurred_at,
                           created_at=created_at, description=description, domain=domain, order_no=order_no,
                           snapshot_ids=snapshot_ids or [], amount=amount)
    service.open_dispute(r, record)
    dispute = service.build(r, record, parse_iso(now)).dispute
    assert_contract(dispute)
    return dispute


def attach(app, user: str, dispute_id: str, kind: str, data: bytes, filename: str, at: str):
    from server.disputes.attachments import check
    from server.storage import disputes as dispute_store

    signer = app.extensions["kadun"].signer
    name, content_type = check(data, filename, 1 << 24)
    return dispute_store.add_attachment(app.extensions["kadun"].redis, user, dispute_id, data=data, kind=kind,
                                        filename=name, content_type=content_type, now=lambda: at,
                                        sign=lambda p: signer.sign(p).as_dict())


def account_recovered_dispute(app, user: str) -> dict:
    """The packs' standard dispute: 星辰卡盟's terms, product (with a screenshot) and order pages, an
    account recovered two days after the sale, and an Alipay bill attached."""
    store_fixture(app, user, "xingchen-km-terms", "2026-11-20T09:00:00.000+08:00")
    store_fixture(app, user, "xingchen-km-product", "2026-11-24T10:01:00.000+08:00", screenshot=PNG_1PX)
    store_fixture(app, user, "xingchen-km-order", "2026-11-24T10:06:00.000+08:00")
    d = open_dispute(app, user, "account_recovered", domain="xingchen-km.com", order_no="XC20261124100322581",
                     occurred_at="2026-11-26T11:00:00+08:00", created_at="2026-11-26T14:00:00+08:00",
                     now="2026-11-26T15:00:00+08:00")
    attach(app, user, d["id"], "payment_proof", b"alipay bill 188.00\n", "bill.txt", "2026-11-26T14:10:00.000+08:00")
    return d


def rebuild(app, user: str, dispute_id: str, now: str) -> dict:
    from server.clock import parse_iso
    from server.disputes import service

    dispute = service.get_built(app.extensions["kadun"].redis, user, dispute_id, parse_iso(now)).dispute
    assert_contract(dispute)
    return dispute


def assert_invariants(app, user: str, dispute: dict) -> None:
    """What holds for every dispute: phase then time order, sources and hashes that match storage,
    the six checklist items, letters for every step, evidence numbered 1..N."""
    from server.clock import parse_iso
    from server.disputes.kinds import PHASES
    from server.risk.order import CHECKLIST as ITEMS
    from server.storage import disputes as dispute_store

    r = app.extensions["kadun"].redis
    keys = [(PHASES.index(e["phase"]), parse_iso(e["at"])) for e in dispute["timeline"]]
    assert keys == sorted(keys), "timeline is not in phase order, then time order"
    atts = {a.id: a for a in dispute_store.attachments(r, user, dispute["id"])}
    for event in dispute["timeline"]:
        (kind, item_id), = event["source"].items()
        stored = captures.get(r, user, item_id) if kind == "snapshot_id" else atts.get(item_id)
        assert stored is not None and stored.sha256 == event["sha256"]
        assert event["received_at"] == stored.received_at
        assert event["summary"]["zh"] and event["summary"]["en"]
    assert [row["item"] for row in dispute["checklist"]] == list(ITEMS)
    for row in dispute["checklist"]:
        assert row["state"] in ("present", "partial", "missing")
        assert row["present"] == (row["state"] == "present")
        assert bool(row["evidence"]) == (row["state"] != "missing")
        assert row["how"]["zh"] and row["how"]["en"]
        assert (row["complete"] is None) == (row["state"] == "present")
    steps = [s["step"] for s in dispute["escalation"]]
    assert steps[:2] == ["seller", "platform"]
    assert set(dispute["letters"]) == {s["letter"] for s in dispute["escalation"]}
    for letter in dispute["letters"].values():
        assert letter["zh"] and letter["en"] and "SHA-256" in letter["zh"]
    assert [e["no"] for e in dispute["evidence"]] == list(range(1, len(dispute["evidence"]) + 1))
    assert len({e["sha256"] for e in dispute["evidence"]}) == len(dispute["evidence"])  # one item per content
    for step in dispute["escalation"]:
        if step["window"]:
            window = next(w for w in dispute["windows"] if w["id"] == step["window"])
            assert window["deadline"] == step["deadline"]
    from .complaint_checks import assert_complaints

    assert_contract(dispute)
    assert_complaints(dispute)
