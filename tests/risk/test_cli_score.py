"""kadun score: offline, no Redis, the same JSON as GET /v1/risk."""
from __future__ import annotations

import json

from click.testing import CliRunner

from server.cli import main
from server.risk import service
from tests.conftest import FIXTURES
from tests.risk.conftest import fixture_url, land

FILES = ["xingchen-km-terms.html", "xingchen-km-shop.html"]


def _run(*args):
    return CliRunner().invoke(main, ["score", *args])


def _args(files):
    out = [str(FIXTURES / f) for f in files]
    for f in files:
        out += ["--url", fixture_url(f)]
    for f in files:
        out += ["--facts", str(FIXTURES / f.replace(".html", ".json"))]
    return out


def _summary(body):
    def one(risk):
        if risk is None:
            return None
        return (risk["level"], risk["score"], [(s["code"], s["value"], s["effect"], s["weight"],
                                                [e["quote"] for e in s["evidence"]]) for s in risk["signals"]],
                [w["code"] for w in risk["warnings"]])
    return one(body["platform"]), one(body["seller"])


def test_offline_score_matches_the_backend(r, signer, monkeypatch):
    result = _run(*_args(FILES), "--at", "2026-11-24T10:10:00+08:00")
    assert result.exit_code == 0, result.output
    offline = json.loads(result.output)
    user = "u-cli"
    for f in FILES:
        land(r, signer, user, file=f, at="2026-11-24T10:10:00+08:00")
    online = service.risk_for_url(r, user, fixture_url(FILES[-1]))
    assert _summary(offline) == _summary(online)
    assert offline["seller"]["id"] == "28517"
    assert all(e["snapshot_id"].startswith("file:") for s in offline["platform"]["signals"] for e in s["evidence"])


def test_url_once_for_all_pages(tmp_path):
    result = _run(str(FIXTURES / "risky-shop-order.html"), str(FIXTURES / "risky-shop-order.html"),
                  "--url", fixture_url("risky-shop-order.html"),
                  "--facts", str(FIXTURES / "risky-shop-order.json"), "--facts", str(FIXTURES / "risky-shop-order.json"))
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["seller"]["level"] == "high"
    assert body["platform"]["domain"] == "jisufa-ka.xyz"


def test_url_count_must_match(tmp_path):
    pages = [str(FIXTURES / f) for f in ("risky-shop-order.html", "g2x-market-order.html", "acg-faka-item.html")]
    result = _run(*pages, "--url", "https://a.example.com/", "--url", "https://b.example.com/")
    assert result.exit_code == 2
    assert json.loads(result.output.strip().splitlines()[-1])["field"] == "url"


def test_pages_of_one_site_only():
    result = _run(str(FIXTURES / "risky-shop-order.html"), str(FIXTURES / "g2x-market-order.html"),
                  "--url", fixture_url("risky-shop-order.html"), "--url", fixture_url("g2x-market-order.html"))
    assert result.exit_code == 2


def test_unreadable_and_non_html(tmp_path):
    missing = _run(str(tmp_path / "nope.html"), "--url", "https://a.example.com/")
    assert missing.exit_code == 2
    text = tmp_path / "plain.html"
    text.write_bytes(b"just text, no tags")
    assert _run(str(text), "--url", "https://a.example.com/").exit_code == 2
    page = tmp_path / "p.html"
    page.write_text("<html><body><p>x</p></body></html>", encoding="utf-8")
    assert _run(str(page), "--url", "notaurl").exit_code == 2
    ok = _run(str(page), "--url", "https://a.example.com/")
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["platform"]["level"] == "unknown"
