"""Named scenarios: pages landed in order (as POST /v1/snapshots stores them), then the level of
the platform and seller and the EXACT warning codes of the last capture, each quote checked
against the captured page's visible text (read independently with BeautifulSoup)."""
from __future__ import annotations

import pytest

from server.risk import service
from server.storage import blobs
from tests.conftest import capture_body
from tests.risk import pages
from tests.risk.conftest import fixture_url, land, visible_text

X = "xingchen-km-"
NOW = "2026-11-24T12:00:00+08:00"  # the fixtures' time: platform ages are judged as of then

SCENARIOS = [
    pytest.param(
        [{"file": "risky-shop-order.html"}],
        ["young_platform", "no_icp", "off_platform_payment", "shell_shop", "promise_recorded", "evidence_gap"],
        "high", "high", id="shell-shop-opened-3-days-before-the-sale"),
    pytest.param(
        [{"html": pages.UNFAIR_TERMS_HTML, "facts": pages.UNFAIR_TERMS_FACTS, "url": pages.UNFAIR_TERMS_URL}],
        ["no_refund_claim", "unfair_term"], "medium", None, id="terms-final-interpretation-and-no-refund"),
    pytest.param(
        [{"file": X + "terms.html"}, {"file": X + "shop.html"}],
        ["account_recovery_risk", "promise_recorded"], "low", "medium",
        id="deposit-advance-compensation-ten-years"),
    pytest.param(
        [{"file": "g2x-market-order.html"}],
        # The order page shows the item it sells (title, price, promise): no evidence gap.
        ["no_refund_claim", "cross_border", "feedback_deadline", "promise_recorded"],
        "medium", "low", id="cross-border-marketplace-usd"),
    pytest.param(
        [{"file": X + "terms.html"}, {"file": X + "product.html"}, {"file": X + "order.html"}],
        ["account_recovery_risk", "feedback_deadline"], "low", "medium", id="account-sale"),
    pytest.param(
        [{"html": pages.QR_HTML, "facts": pages.QR_FACTS, "url": pages.QR_URL}],
        ["off_platform_payment", "promise_recorded"], "low", "high", id="seller-asks-personal-qr-payment"),
    pytest.param(
        [{"html": pages.BLANK_HTML, "facts": pages.BLANK_FACTS, "url": pages.BLANK_URL}],
        [], "unknown", None, id="no-evidence-at-all"),
    pytest.param(
        [{"file": "news-article-kameng-scams.html"}], [], "unknown", None, id="news-article-quoting-scam-words"),
]


@pytest.mark.parametrize(("landings", "codes", "platform_level", "seller_level"), SCENARIOS)
def test_scenario(r, signer, landings, codes, platform_level, seller_level):
    user = "u-scenario"
    for landing in landings:
        capture, warnings = land(r, signer, user, **landing)
    assert sorted(w["code"] for w in warnings) == sorted(codes)
    pages_by_id = {}
    for warning in warnings:
        assert warning["severity"] in ("info", "caution", "danger")
        assert warning["message"]["zh"] and warning["message"]["en"]
        for evidence in warning["evidence"]:
            sid = evidence["snapshot_id"]
            if sid not in pages_by_id:
                pages_by_id[sid] = visible_text(blobs.get(r, user, _sha(r, user, sid)).decode("utf-8"))
            assert evidence["quote"] and evidence["quote"] in pages_by_id[sid], (warning["code"], evidence)
    risk = service.risk_for_url(r, user, capture.url, now=NOW)
    assert risk["platform"]["level"] == platform_level
    if seller_level is None:
        assert risk["seller"] is None
    else:
        assert risk["seller"]["level"] == seller_level
    for subject in (risk["platform"], risk["seller"]):
        for signal in (subject or {}).get("signals", []):
            for evidence in signal["evidence"]:
                if evidence["snapshot_id"]:
                    text = pages_by_id.get(evidence["snapshot_id"]) or visible_text(
                        blobs.get(r, user, _sha(r, user, evidence["snapshot_id"])).decode("utf-8"))
                    assert evidence["quote"] in text, (signal["code"], evidence)


def _sha(r, user, snapshot_id):
    from server.storage import captures

    return captures.get(r, user, snapshot_id).sha256


@pytest.fixture
def fixtures_time(monkeypatch):
    """The server clock started at the fixtures' time (it still ticks), so platform ages and shop
    ages are judged as they were in November 2026 whatever year the suite runs in."""
    import time
    from datetime import datetime, timedelta

    from server import clock

    start, began = datetime.fromisoformat(NOW), time.monotonic()
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(seconds=time.monotonic() - began))


@pytest.mark.parametrize(("landings", "codes", "platform_level", "seller_level"), SCENARIOS)
def test_scenario_through_the_capture_route(client, auth, fixtures_time, landings, codes, platform_level,
                                            seller_level):
    """The same table end to end: POST /v1/snapshots (the real scrapers read the pages), then
    GET /v1/risk; every quote is in the posted page's visible text."""
    posted = {}
    for landing in landings:
        if "file" in landing:
            url = fixture_url(landing["file"])
            body = capture_body(landing["file"], url)
        else:
            url = landing["url"]
            body = capture_body("risky-shop-order.html", url, html=landing["html"])
        response = client.post("/v1/snapshots", json=body, headers=auth)
        assert response.status_code == 201, response.get_json()
        answer = response.get_json()
        posted[answer["id"]] = visible_text(body["html"])
    assert sorted(w["code"] for w in answer["warnings"]) == sorted(codes)
    for warning in answer["warnings"]:
        for evidence in warning["evidence"]:
            assert evidence["quote"] in posted[evidence["snapshot_id"]], (warning["code"], evidence)
    risk = client.get("/v1/risk", query_string={"url": url}, headers=auth).get_json()
    assert risk["platform"]["level"] == platform_level
    assert (risk["seller"] or {}).get("level") == seller_level
    for subject in (risk["platform"], risk["seller"]):
        for signal in (subject or {}).get("signals", []):
            for evidence in signal["evidence"]:
                if evidence["snapshot_id"]:
                    assert evidence["quote"] in posted[evidence["snapshot_id"]], (signal["code"], evidence)
