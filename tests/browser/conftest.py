"""Browser fixtures: one real backend (HTTP on 127.0.0.1, the session's Redis) and one Chromium
with the unpacked extension per test module, paired through the options page."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import sync_playwright

from .harness import Backend, extension_id, extension_worker, launch, pair, serve_fixtures, wait_until


@dataclass
class Browser:
    context: object
    ext_id: str
    backend: Backend
    _probe: object = None

    @property
    def probe(self):
        """An extension page (options) to read storage and the queue without waking the worker."""
        if self._probe is None or self._probe.is_closed():
            self._probe = self.context.new_page()
            self._probe.goto(f"chrome-extension://{self.ext_id}/options.html")
        return self._probe

    def storage(self, area: str = "local") -> dict:
        return self.probe.evaluate(f"chrome.storage.{area}.get(null)")

    def token(self) -> str:
        """The bearer token, from the extension's IndexedDB (where the extension keeps it)."""
        return self.probe.evaluate("""new Promise((resolve, reject) => {
            const req = indexedDB.open("kadun");
            req.onsuccess = () => {
              const db = req.result;
              if (!db.objectStoreNames.contains("secrets")) { db.close(); resolve(null); return; }
              const get = db.transaction("secrets").objectStore("secrets").get("token");
              get.onsuccess = () => { db.close(); resolve(get.result ?? null); };
              get.onerror = () => reject(get.error);
            };
            req.onerror = () => reject(req.error);
        })""")

    def api(self, path: str, **kwargs):
        """Ask the backend as the paired extension's user (same data, in-process client)."""
        client = self.backend.app.test_client()
        return client.get(path, headers={"Authorization": f"Bearer {self.token()}"}, **kwargs)

    def captures(self, **query) -> list[dict]:
        response = self.api("/v1/snapshots", query_string={"limit": 500, **query})
        assert response.status_code == 200, response.get_json()
        return response.get_json()["items"]

    def queue_length(self) -> int:
        return self.probe.evaluate("""new Promise((resolve, reject) => {
            const req = indexedDB.open("kadun");
            req.onsuccess = () => {
              const db = req.result;
              if (!db.objectStoreNames.contains("queue")) { db.close(); resolve(0); return; }
              const count = db.transaction("queue").objectStore("queue").count();
              count.onsuccess = () => { db.close(); resolve(count.result); };
              count.onerror = () => reject(count.error);
            };
            req.onerror = () => reject(req.error);
        })""")

    def wait(self, predicate, timeout: float = 30.0, message: str = "condition"):
        return wait_until(self.context, predicate, timeout=timeout, message=message)

    def visit(self, url: str):
        page = self.context.new_page()
        page.goto(url, wait_until="load")
        return page


@pytest.fixture(scope="module")
def backend(redis_url, tmp_path_factory):
    from server import create_app
    from server.storage.redis import connect

    client = connect(redis_url)
    client.flushall()
    app = create_app({"TESTING": True, "REDIS": client, "DATA_DIR": str(tmp_path_factory.mktemp("data")),
                      "RATELIMIT_ENABLED": False})
    server = Backend(app)
    server.start()
    yield server
    server.stop()
    client.close()


@pytest.fixture(scope="module")
def playwright_instance():
    with sync_playwright() as playwright:
        yield playwright


def open_browser(playwright, backend: Backend, profile, extra_pages: dict | None = None) -> Browser:
    context = launch(playwright, profile)
    extension_worker(context)
    serve_fixtures(context, extra_pages)
    return Browser(context=context, ext_id=extension_id(context), backend=backend)


@pytest.fixture(scope="module")
def browser(playwright_instance, backend, tmp_path_factory):
    from .pages import TEST_PAGES

    session = open_browser(playwright_instance, backend, tmp_path_factory.mktemp("profile"), TEST_PAGES)
    pair(session.context, session.ext_id, backend)
    session.probe  # noqa: B018 - opened first, so later pages are the active (visible) tabs
    yield session
    session.context.close()


@pytest.fixture(scope="module")
def phone_browser(playwright_instance):
    """Chromium for the phone (no extension: a phone browser runs none)."""
    from .phone import launch_phone_browser

    browser = launch_phone_browser(playwright_instance)
    yield browser
    browser.close()


@pytest.fixture
def phone(phone_browser, backend):
    """A fresh phone (its own storage and service worker) with mobile emulation."""
    from .phone import Phone

    device = Phone.open(phone_browser, backend)
    yield device
    device.context.close()
