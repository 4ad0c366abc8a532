"""report.html opens in headless Chromium with no script execution and no network request, even
when the captured pages carry hostile text; it shows the inlined screenshot and prints to PDF."""
from __future__ import annotations

import copy
import zipfile

import pytest

from server.evidence.report import CSP

from .scenario import PNG_1PX, fixture_url, labelled, open_dispute, store, store_fixture

USER = "u_report"
HOSTILE = ("<script>window.__pwned = 1</script><img src=\"http://127.0.0.1:9/x.png\" "
           "onerror=\"window.__pwned = 2\"><link rel=stylesheet href=\"https://example.com/x.css\">")


@pytest.fixture
def report(app, tmp_path):
    from server.disputes.export import export_pack

    facts = copy.deepcopy(labelled("xingchen-km-product"))
    facts["product"]["title"] = facts["product"]["title"] + HOSTILE
    facts["promises"].append({"kind": "as_described", "quote": "正品" + HOSTILE, "hours": None})
    html = (b"<html><head><script src='https://evil.example/x.js'></script></head><body>"
            + facts["product"]["title"].encode() + b"</body></html>")
    store(app, USER, html, fixture_url("xingchen-km-product.html"), facts, "2026-11-24T10:01:00.000+08:00",
          screenshot=PNG_1PX)
    store_fixture(app, USER, "xingchen-km-order", "2026-11-24T10:06:00.000+08:00")
    d = open_dispute(app, USER, "not_as_described", domain="xingchen-km.com", order_no="XC20261124100322581",
                     occurred_at="2026-11-25T11:00:00+08:00", created_at="2026-11-25T12:00:00+08:00",
                     now="2026-11-25T12:00:00+08:00", description=HOSTILE)
    pack = tmp_path / "pack.zip"
    with open(pack, "wb") as handle:
        export_pack(app.extensions["kadun"].redis, USER, d["id"], app.extensions["kadun"].signer, handle)
    out = tmp_path / "unpacked"
    with zipfile.ZipFile(pack) as zf:
        zf.extractall(out)
    return out / "report.html"


def test_report_is_inert_markup(report):
    from bs4 import BeautifulSoup

    text = report.read_text(encoding="utf-8")
    soup = BeautifulSoup(text, "html.parser")
    assert soup.find_all(["script", "link", "iframe", "object", "embed", "base", "form"]) == []
    assert [a for tag in soup.find_all(True) for a in tag.attrs if a.lower().startswith("on")] == []
    assert all(img["src"].startswith("data:image/") for img in soup.find_all("img"))
    assert soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"] == CSP
    assert "default-src 'none'" in CSP
    assert "http://127.0.0.1:9" in soup.get_text()  # shown as text, never as a URL to load


@pytest.mark.browser
def test_report_opens_in_chromium_without_scripts_or_requests(report, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless=new", "--no-sandbox"])
        try:
            page = browser.new_page()
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.goto(report.as_uri(), wait_until="load")
            assert requests == [report.as_uri()]
            assert page.evaluate("document.scripts.length") == 0
            assert page.evaluate("typeof window.__pwned") == "undefined"
            assert page.title().startswith("卡盾证据报告")
            headings = page.locator("h2").all_inner_texts()
            assert headings[:7] == ["订单 Order", "证据清单 Evidence", "时间线 Timeline", "发现 Findings",
                                    "证据检查 Checklist", "维权步骤 Escalation plan", "投诉信 Letters"]
            assert page.locator("figure img").evaluate("img => img.naturalWidth") == 1
            assert "window.__pwned = 1" in page.locator("body").inner_text()  # shown as text
            pdf = page.pdf(format="A4")
            assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
            assert requests == [report.as_uri()]
        finally:
            browser.close()


def test_report_reads_the_judgement_by_name(report):
    """The report shows checklist states by name (已有 / 部分 / 缺少, never a code), the ordered item
    with the amount's source, and the order's windows."""
    from bs4 import BeautifulSoup

    from server.risk.order import CHECKLIST

    soup = BeautifulSoup(report.read_text(encoding="utf-8"), "html.parser")
    sections = {s.find("h2").get_text(): s for s in soup.find_all("section")}
    rows = [[td.get_text(" ").strip() for td in tr.find_all("td")] for tr in sections["证据检查 Checklist"].find_all("tr")[1:]]
    assert len(rows) == len(CHECKLIST)
    raw = [cell for row in rows for cell in row[:2] for code in CHECKLIST
           if cell == code or ("_" in code and code in cell) or cell.endswith(" " + code)]
    assert raw == []
    states = [row[1] for row in rows]
    assert any("部分" in s for s in states) and any("缺少" in s for s in states)  # paid status; no screenshot
    order = sections["订单 Order"].get_text(" ")
    assert "和平精英 安卓QQ区 成品号" in order and "188.00 CNY" in order and "页面显示" in order
    windows = sections["期限 Windows"]
    assert "商家答复期限" in windows.get_text(" ")
    deadline = windows.find("time", attrs={"datetime": "2026-11-27T12:00:00+08:00"})  # the exact value kept
    assert " ".join(deadline.get_text(" ").split()) == "2026年11月27日 12:00:00 (UTC+8) 27 Nov 2026, 12:00:00 (UTC+8)"


@pytest.mark.browser
@pytest.mark.parametrize(("media", "width"), [("screen", 390), ("print", 718)], ids=["phone-390px", "print-a4"])
def test_report_fits_a_phone_and_a4_without_scrolling_sideways(report, media, width):
    """At 390 px (a phone) and at A4's printable width (718 px at 96 dpi) nothing is wider than the
    page: long hashes, URLs and paths wrap, and tables of many columns become labelled cards on the
    phone. (Was 596 px wide at 390.)"""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless=new", "--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.emulate_media(media=media)
            page.goto(report.as_uri(), wait_until="load")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            wider = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
                .map(e => e.tagName + ' ' + (e.textContent || '').slice(0, 40))""")
            assert wider == []
            if media == "screen":  # each cell says which column it is in
                label = page.locator("table.rows td[data-label='文件与 SHA-256 File and SHA-256']").first
                before = label.evaluate("td => getComputedStyle(td, '::before').content")
                assert "SHA-256" in before
                assert page.locator("time").first.get_attribute("datetime")
        finally:
            browser.close()
