"""A web page cannot spend the user's pairing budget (issue 15): in real Chromium, pages on other
origins fire 15 "simple" text/plain posts at POST /v1/pair (no preflight needed); each reaches the
backend and gets 403 before the per-address limit counts it, so the user's real code still pairs."""
from __future__ import annotations

from playwright.sync_api import sync_playwright
from prometheus_client.parser import text_string_to_metric_families

from server import create_app
from server.storage import users

from .harness import CHROMIUM, Backend, serve_page

ATTACK = """<!DOCTYPE html><html><body><p>cute cats</p><script>
window.fired = (async () => {
  const sent = [];
  for (let i = 0; i < 15; i++) {
    sent.push(fetch("%(backend)s/v1/pair", {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"},
                                             body: JSON.stringify({code: "AAAAAAAA"})}).then(() => "sent", e => String(e)));
  }
  return Promise.all(sent);
})();
</script></body></html>"""


def _forbidden_pairings(backend: Backend) -> float:
    response = backend.app.test_client().get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            labels = sample.labels
            if sample.name == "kadun_http_requests_total" and labels.get("endpoint") == "pairing.pair" \
                    and labels.get("status") == "403":
                return sample.value
    return 0.0


def test_a_web_page_cannot_jam_pairing(redis_client, tmp_path):
    app = create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(tmp_path / "data"),
                      "RATELIMIT_ENABLED": True, "PAIR_RATE_LIMIT": "10 per minute"})
    backend = Backend(app)
    backend.start()
    page_server, local_page = serve_page(ATTACK % {"backend": backend.url})
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=False,
                                                 args=["--headless=new", "--no-sandbox", "--disable-gpu"])
            try:
                page = browser.new_page()
                # A page of another origin on this machine (same address space: nothing stops the posts) …
                page.goto(local_page)
                assert page.evaluate("window.fired") == ["sent"] * 15
                # … and a public one, served at its own URL by routing.
                page.route("https://cats.example/**", lambda route: route.fulfill(
                    status=200, content_type="text/html", body=ATTACK % {"backend": backend.url}))
                page.goto("https://cats.example/")
                page.evaluate("window.fired")
            finally:
                browser.close()
        # Every post of the local page reached the backend and was refused before it was counted.
        assert _forbidden_pairings(backend) >= 15
        # The user's real code still pairs from their own address.
        code = users.new_pairing_code(redis_client)
        paired = app.test_client().post("/v1/pair", json={"code": code, "device": "laptop"},
                                        environ_base={"REMOTE_ADDR": "127.0.0.1"})
        assert paired.status_code == 201, paired.get_json()
    finally:
        page_server.shutdown()
        backend.stop()
