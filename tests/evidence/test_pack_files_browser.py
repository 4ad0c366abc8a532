"""Opening any file of an unzipped pack in Chromium (file://) never runs a captured page's script,
never follows its meta refresh and never contacts the shop: the originals keep their exact bytes
under names a browser shows as text (captures/<id>.html.txt, attachments with .txt/.bin added)."""
from __future__ import annotations

import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .conftest import USER, export


@pytest.fixture
def shop():
    """The shop's server on loopback: it counts every request the pack's files make to it."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"seen")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def _hostile(base: str) -> str:
    return (f"<!DOCTYPE html><html><head><meta http-equiv='refresh' content='0;url={base}/refresh'>"
            f"<script>window.__ran = 1; fetch('{base}/fetch'); document.title = 'ran';</script>"
            f"<script src='{base}/app.js'></script><link rel=stylesheet href='{base}/style.css'></head>"
            f"<body onload=\"window.__ran = 2\"><img src='{base}/pixel.png'>"
            f"<iframe src='{base}/frame'></iframe>订单号 XC20261124100322581 已付款 188.00 元</body></html>")


@pytest.mark.browser
def test_no_file_of_an_unzipped_pack_runs_or_calls_the_shop(app, shop, tmp_path):
    from playwright.sync_api import sync_playwright

    from tests.disputes.scenario import attach, labelled, open_dispute, store

    base, hits = shop
    facts = labelled("xingchen-km-order")
    store(app, USER, _hostile(base), f"{base}/user/order/detail?order_no=XC20261124100322581", facts,
          "2026-11-24T10:06:00.000+08:00")
    d = open_dispute(app, USER, "not_delivered", domain="xingchen-km.com", order_no="XC20261124100322581",
                     occurred_at="2026-11-26T11:00:00+08:00", created_at="2026-11-26T14:00:00+08:00",
                     now="2026-11-26T15:00:00+08:00")
    attach(app, USER, d["id"], "chat_log", _hostile(base).encode(), "chat.html", "2026-11-26T14:10:00.000+08:00")
    svg = (f"<svg xmlns='http://www.w3.org/2000/svg' onload=\"window.__ran=3\"><script>fetch('{base}/svg')"
           f"</script><image href='{base}/svg.png'/></svg>").encode()
    attach(app, USER, d["id"], "other", svg, "proof.svg", "2026-11-26T14:11:00.000+08:00")
    pack = tmp_path / "pack.zip"
    export(app, USER, d["id"], pack)
    out = tmp_path / "unzipped"
    with zipfile.ZipFile(pack) as zf:
        zf.extractall(out)
        names = [n for n in zf.namelist() if not n.endswith("/")]
    originals = [n for n in names if n.startswith(("captures/", "attachments/"))]
    assert len(originals) == 3 and all(n.endswith((".txt", ".bin")) for n in originals)
    # The exact bytes are kept.
    assert (out / originals[0]).read_bytes().startswith(b"<!DOCTYPE html>") or any(
        (out / n).read_bytes() == svg for n in originals)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless=new", "--no-sandbox"])
        try:
            for name in names:
                if name.endswith((".wacz", ".tsr", ".sig", ".bin")):
                    continue  # downloads, not documents
                page = browser.new_page()
                requests: list[str] = []
                page.on("request", lambda request, requests=requests: requests.append(request.url))
                uri = (out / name).as_uri()
                page.goto(uri, wait_until="load")
                page.wait_for_load_state("networkidle")
                assert page.url == uri, f"{name}: navigated to {page.url}"
                assert all(u.startswith("file://") or u.startswith("data:") for u in requests), (name, requests)
                assert page.evaluate("typeof window.__ran") == "undefined", name
                assert page.title() != "ran", name
                page.close()
        finally:
            browser.close()
    assert hits == []  # the shop never learnt the pack was opened
