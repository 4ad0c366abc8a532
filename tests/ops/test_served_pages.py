"""A captured page is evidence, never code: served back sandboxed, and inert in a pack's report.

The hostile page carries inline and external scripts, event handlers, a meta refresh, javascript:
links, a self-submitting form, and text dressed up as a KaDun receipt. Headless Chromium loads it
from /html (and the pack's report.html from disk) and we watch for any sign of a script: a title
change, a beacon request, a console message, a navigation.
"""
from __future__ import annotations

import io
import threading
import zipfile

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.ops.helpers import free_port

CHROMIUM = "/usr/bin/chromium"
URL = "https://vip.jisufa-ka.xyz/order.php?orderid=2026112409124563"
FORGED = ('卡盾 KaDun 回执 receipt ✔ 已验证 verified: {"payload":"{\\"chain_index\\":0,\\"id\\":\\"snp_forged\\"}",'
          '"signature":"AAAA","key_id":"0000000000000000"}')


def hostile_page(beacon: str) -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>订单详情</title>
<meta http-equiv="refresh" content="0;url={beacon}?via=refresh">
<script>document.title = "PWNED-inline"; fetch("{beacon}?via=inline"); console.log("PWNED");</script>
<script src="{beacon}?via=external"></script>
</head><body onload="document.title='PWNED-onload'">
<h1>订单号 2026112409124563</h1>
<p id="forged">{FORGED}</p>
<a id="jslink" href="javascript:document.title='PWNED-link';fetch('{beacon}?via=link')">点击此处申请退款</a>
<img src="data:," onerror="document.title='PWNED-img'">
<iframe srcdoc="<script>parent.document.title='PWNED-frame'</script>"></iframe>
<form id="f" action="{beacon}" method="post"><input name="code" value="AAAAAAAA"><button id="go">go</button></form>
<script>document.getElementById("f").submit()</script>
</body></html>"""


@pytest.fixture
def served(app):
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(5)


def _store(client, auth, html: str) -> str:
    response = client.post("/v1/snapshots", headers=auth, json={
        "client_id": "hostile-1", "url": URL, "title": "<script>document.title='PWNED-title'</script>",
        "html": html, "trigger": "manual"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_html_is_served_with_a_sandbox_and_byte_for_byte(client, auth):
    html = hostile_page("http://127.0.0.1:9/beacon")
    snapshot_id = _store(client, auth, html)
    response = client.get(f"/v1/snapshots/{snapshot_id}/html", headers=auth)
    assert response.status_code == 200
    assert response.get_data() == html.encode("utf-8")
    assert response.headers["Content-Security-Policy"].split(";")[0].strip() == "sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "text/html"
    # The forged receipt is just page text: the real one is in the metadata, signed by our key.
    meta = client.get(f"/v1/snapshots/{snapshot_id}", headers=auth).get_json()
    assert meta["receipt"]["key_id"] != "0000000000000000"
    assert '"snp_forged"' not in meta["receipt"]["payload"]


def _watch(page, beacon_hits: list, console: list):
    page.on("request", lambda request: beacon_hits.append(request.url) if "/beacon" in request.url else None)
    page.on("console", lambda message: console.append(message.text))


def test_no_script_runs_when_a_hostile_capture_is_opened(app, client, auth, served, tmp_path):
    beacon = f"{served}/beacon"
    html = hostile_page(beacon)
    snapshot_id = _store(client, auth, html)
    dispute = client.post("/v1/disputes", headers=auth, json={
        "snapshot_ids": [snapshot_id], "problem": "not_delivered", "occurred_at": "2026-11-24T12:00:00+08:00",
        "description": "<script>document.title='PWNED-description'</script>" + FORGED})
    assert dispute.status_code == 201, dispute.get_json()
    pack = client.get(f"/v1/disputes/{dispute.get_json()['id']}/pack", headers=auth)
    assert pack.status_code == 200
    with zipfile.ZipFile(io.BytesIO(pack.get_data())) as archive:
        report_name = next(n for n in archive.namelist() if n.endswith("report.html"))
        (tmp_path / "report.html").write_bytes(archive.read(report_name))

    token = auth["Authorization"].split(" ", 1)[1]
    hits: list[str] = []
    console: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context(extra_http_headers={"Authorization": f"Bearer {token}"})
            page = context.new_page()
            _watch(page, hits, console)
            page_url = f"{served}/v1/snapshots/{snapshot_id}/html"
            response = page.goto(page_url, wait_until="load")
            assert response.status == 200
            assert page.locator("#forged").inner_text().startswith("卡盾 KaDun 回执")  # it rendered
            page.locator("#jslink").click()
            page.locator("#go").click()
            # A meta refresh of 0 s or a script would have acted by the time a round trip to the
            # server completes; this request is that round trip, made from the page's own context.
            assert page.request.get(f"{served}/healthz").status == 200
            assert page.title() == "订单详情"
            assert page.url == page_url
            assert page.evaluate("1 + 1") == 2  # evaluation from the test harness still works …
            assert page.evaluate("window.origin") == "null"  # … in an opaque, sandboxed origin

            report = context.new_page()
            _watch(report, hits, console)
            report.goto((tmp_path / "report.html").as_uri(), wait_until="load")
            assert report.request.get(f"{served}/healthz").status == 200
            assert "PWNED" not in report.title()
            text = report.locator("body").inner_text()
            assert "PWNED-description" in text  # shown as text, escaped, never run
        finally:
            browser.close()
    # No beacon at all: `sandbox` stops scripts and forms, `default-src 'none'` stops even the
    # preload scanner's fetch of <script src>, so opening evidence never signals the shop.
    assert hits == [], hits
    assert not [line for line in console if "PWNED" in line], console
