"""A phone for the browser tests: Debian's Chromium with mobile emulation (a 360 × 740 viewport
at 3× density, touch, ``isMobile``, an Android Chrome user agent, zh-CN), talking to the real
backend on 127.0.0.1, where the app is a secure context and its service worker runs."""
from __future__ import annotations

import time
from dataclasses import dataclass

from .driver import idb_get_js
from .harness import CHROMIUM, Backend

PHONE = {
    "viewport": {"width": 360, "height": 740},
    "screen": {"width": 360, "height": 740},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                   "Chrome/137.0.0.0 Mobile Safari/537.36"),
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
}


def launch_phone_browser(playwright):
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=False,
        args=["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync"])


@dataclass
class Phone:
    context: object
    backend: Backend

    @classmethod
    def open(cls, browser, backend: Backend) -> Phone:
        context = browser.new_context(**PHONE, accept_downloads=True)
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=backend.url)
        return cls(context, backend)

    def page(self, fragment: str = "#/capture"):
        page = self.context.new_page()
        page.goto(f"{self.backend.url}/m/{fragment}")
        page.wait_for_selector("body[data-ready=true]")
        return page

    def token(self, page) -> str | None:
        return page.evaluate(idb_get_js("kadun-m", "kv", "token"))

    def queue(self, page) -> list[dict]:
        """The upload queue as stored (blobs left out)."""
        return self._store(page, "queue")

    def inbox(self, page) -> list[dict]:
        """The shares held for their confirm screen (files left out)."""
        return self._store(page, "inbox")

    @staticmethod
    def _store(page, name: str) -> list[dict]:
        return page.evaluate("""(name) => new Promise((resolve, reject) => {
            const req = indexedDB.open("kadun-m");
            req.onsuccess = () => {
              const db = req.result;
              const all = db.transaction(name).objectStore(name).getAll();
              all.onsuccess = () => { db.close(); resolve(all.result.map(({blob, files, ...rest}) => rest)); };
              all.onerror = () => reject(all.error);
            };
            req.onerror = () => reject(req.error);
        })""", name)

    def api(self, page, method: str, path: str, **kwargs):
        client = self.backend.app.test_client()
        return client.open(path, method=method, headers={"Authorization": f"Bearer {self.token(page)}"}, **kwargs)

    def wait_for_worker(self, page, timeout: float = 30.0) -> None:
        """Until the service worker controls the page (installed, shell cached, claimed)."""
        # Polled from here: wait_for_function re-evaluates its text with eval, which the app's CSP
        # (script-src 'self') refuses once the first check has not passed.
        wait_for(lambda: page.evaluate("!!(navigator.serviceWorker && navigator.serviceWorker.controller)"),
                 timeout=timeout, message="the service worker to control the page", page=page)


def wait_for(predicate, timeout: float = 30.0, message: str = "condition", page=None):
    """Poll a condition (letting the page's event loop run between polls), never a fixed sleep."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        if page is not None:
            page.wait_for_timeout(100)
        else:
            time.sleep(0.1)


SHOP_HOST = "www.xingchen-km.com"


class ShopOnLoopback:
    """Shop pages served on 127.0.0.1 under their own host name, and the backend's share-a-link
    fetcher told, through the fetcher's explicit test-only allowance, that it may fetch exactly
    this server (a resolver that answers 127.0.0.1 for the shop's name). Production builds its
    fetcher without either."""

    def __init__(self, backend: Backend, pages: dict[str, bytes]):
        from server.capture.fetch import Fetcher, LoopbackForTests
        from tests.capture.servers import ShopServer

        self.backend = backend
        self.server = ShopServer()
        for path, body in pages.items():
            self.server.page(path, body)
        allowance = LoopbackForTests(frozenset({(self.server.host, self.server.port)}))
        resolver = lambda host, port: [self.server.host] if host == SHOP_HOST else []  # noqa: E731
        self._extra = backend.app.extensions["kadun"].extra
        self._before = self._extra.get("fetcher")
        self._extra["fetcher"] = Fetcher(resolver=resolver, loopback_for_tests=allowance)

    def url(self, path: str) -> str:
        return f"http://{SHOP_HOST}:{self.server.port}{path}"

    def close(self) -> None:
        if self._before is None:
            self._extra.pop("fetcher", None)
        else:
            self._extra["fetcher"] = self._before
        self.server.close()
