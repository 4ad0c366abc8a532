"""One small driver interface for the browser tests, over Playwright (Chromium) and Marionette
(Firefox), so that a behaviour test is written once and runs in both browsers.

A test gets a ``Browser`` (the ``browser`` fixture) and works with ``Tab`` objects. A ``Tab`` has
the subset of Playwright's ``Page`` that the tests use, with the same meaning:

    goto(url)  url  evaluate(js, arg=None)  reload()  close()  wait_for_selector(selector)
    click(selector)  fill(selector, text)  check(selector)  uncheck(selector)
    select_option(selector, value)  input_value(selector)  text_content(selector)  inner_text(selector)
    get_attribute(selector, name)  count(selector)  set_input_files(selector, files)
    screenshot(path)

``evaluate`` takes a JavaScript expression, or a function (source text) called with ``arg``; a
promise is awaited. On extension pages it runs in the page's own global (``chrome.*`` in reach).

The ``Browser`` adds what only the whole browser can do: open tabs (``visit``, ``new_tab``,
``expect_new_tab``), read the extension's storage and queue, ask the backend as the paired user,
read the badge inside its closed shadow root (``badge``), download a file, and wait on a
condition. ``browser.name`` is "chromium" or "firefox"; ``browser.pages`` maps each fixture file to
the URL it is served at in that browser (Firefox gets shop pages over plain http).

A test that needs Chromium-only machinery (CDP) keeps using ``browser.context`` and ``tab.page``
and is marked ``@only_chromium``.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .harness import fixture_pages

ROOT = Path(__file__).resolve().parents[2]
STORE_SHOTS = ROOT / "dist" / "store"

def idb_get_js(database: str, store: str, key: str) -> str:
    """A page expression for the value under ``key`` in IndexedDB ``database``'s ``store``
    (null when the store does not exist yet)."""
    return f"""new Promise((resolve, reject) => {{
    const req = indexedDB.open({database!r});
    req.onsuccess = () => {{
      const db = req.result;
      if (!db.objectStoreNames.contains({store!r})) {{ db.close(); resolve(null); return; }}
      const get = db.transaction({store!r}).objectStore({store!r}).get({key!r});
      get.onsuccess = () => {{ db.close(); resolve(get.result ?? null); }};
      get.onerror = () => reject(get.error);
    }};
    req.onerror = () => reject(req.error);
}})"""


_TOKEN_JS = idb_get_js("kadun", "secrets", "token")
_QUEUE_LENGTH_JS = """new Promise((resolve, reject) => {
    const req = indexedDB.open("kadun");
    req.onsuccess = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains("queue")) { db.close(); resolve(0); return; }
      const count = db.transaction("queue").objectStore("queue").count();
      count.onsuccess = () => { db.close(); resolve(count.result); };
      count.onerror = () => reject(count.error);
    };
    req.onerror = () => reject(req.error);
})"""
QUEUE_ITEMS_JS = """new Promise((resolve) => {
    const req = indexedDB.open("kadun");
    req.onsuccess = () => {
      const all = req.result.transaction("queue").objectStore("queue").getAll();
      all.onsuccess = () => { req.result.close(); resolve(all.result.map((i) => ({
        client_id: i.client_id, attempts: i.attempts, last_error: i.last_error, url: i.url,
        screenshot: i.screenshot ? i.screenshot.length : 0}))); };
    };
})"""


@dataclass
class ApiResponse:
    """A backend answer with the part of Flask's test response the tests read."""

    status_code: int
    data: bytes
    headers: dict = field(default_factory=dict)

    def get_json(self):
        import json

        return json.loads(self.data)

    def get_data(self, as_text: bool = False):
        return self.data.decode("utf-8") if as_text else self.data


@dataclass
class Badge:
    """The badge as the browser's own inspector sees it (closed shadow root included)."""

    mode: str | None          # "closed" / "open": the shadow root's mode
    texts: list[str]          # every text node inside the shadow root
    light_children: int       # nodes in the page's own DOM under the host (should be 0)
    wrap_classes: list[str]   # classes of the panel wrapper ("open" once clicked)
    level: str | None = None  # the level shown (data-level of the wrapper, inside the shadow root)
    levels: list[str] = field(default_factory=list)  # every level this page's badge showed, in order
    host_attributes: dict = field(default_factory=dict)  # what the page can read of the host
    hidden_for_shot: bool = False  # the shadow root's rule hiding it while the tab is photographed

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


def wait_for(predicate: Callable[[], Any], timeout: float, message: str,
             pause: Callable[[], None] = lambda: time.sleep(0.1)):
    """Poll ``predicate`` until it returns something truthy: a condition, never a fixed sleep."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        pause()


class Browser:
    """What the two browsers share; subclasses open tabs and read the badge their own way."""

    name = "?"
    ext_origin = ""

    def __init__(self, backend):
        self.backend = backend
        self.pages = {file: self.shop_url(url) for file, url in fixture_pages().items()}
        self._probe = None

    # Subclass hooks ---------------------------------------------------------------------------
    def new_tab(self, url: str | None = None):
        raise NotImplementedError

    def badge(self, tab) -> Badge | None:
        raise NotImplementedError

    def expect_new_tab(self, action: Callable[[], None]):
        raise NotImplementedError

    def download(self, tab, selector: str, dest: Path) -> Path:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def shop_url(self, url: str) -> str:
        """The URL a shop page is served at in this browser."""
        return url

    def _pause(self) -> None:
        time.sleep(0.1)

    # Shared ------------------------------------------------------------------------------------
    @property
    def ext_id(self) -> str:
        return self.ext_origin.split("://", 1)[1]

    def ext_url(self, path: str) -> str:
        return f"{self.ext_origin}/{path.lstrip('/')}"

    @property
    def probe(self):
        """An extension page (options) to read storage and the queue without waking the worker."""
        if self._probe is None or self._probe.is_closed():
            self._probe = self.new_tab(self.ext_url("options.html"))
        return self._probe

    def visit(self, url: str):
        """A new foreground tab at ``url``, loaded."""
        return self.new_tab(url)

    def storage(self, area: str = "local") -> dict:
        return self.probe.evaluate(f"chrome.storage.{area}.get(null)")

    def token(self) -> str | None:
        """The bearer token, from the extension's IndexedDB (where the extension keeps it)."""
        return self.probe.evaluate(_TOKEN_JS)

    def queue_length(self) -> int:
        return self.probe.evaluate(_QUEUE_LENGTH_JS)

    def queue_items(self) -> list[dict]:
        return self.probe.evaluate(QUEUE_ITEMS_JS)

    def api(self, path: str, query_string: dict | None = None) -> ApiResponse:
        """GET from the backend as the paired extension's user."""
        return self.backend.get(path, token=self.token(), query_string=query_string)

    def captures(self, **query) -> list[dict]:
        response = self.api("/v1/snapshots", query_string={"limit": 500, **query})
        assert response.status_code == 200, response.get_json()
        return response.get_json()["items"]

    def wait(self, predicate, timeout: float = 30.0, message: str = "condition"):
        return wait_for(predicate, timeout, message, self._pause)

    def pair(self) -> None:
        """Pair through the options page, as a buyer does."""
        tab = self.new_tab(self.ext_url("options.html"))
        tab.fill("#backend-url", self.backend.url)
        tab.fill("#pairing-code", self.backend.pairing_code())
        tab.click("#pair")
        try:
            tab.wait_for_selector('#pair-status[data-state="paired"]', timeout=15)
        except Exception as error:
            raise AssertionError(f"pairing did not succeed: state={tab.get_attribute('#pair-status', 'data-state')!r} "
                                 f"text={tab.text_content('#pair-status')!r}") from error
        tab.close()

    def store_shot(self, tab, name: str) -> Path:
        """A store-listing screenshot of ``tab`` (1280×800) in dist/store/<browser>/<name>.png."""
        path = STORE_SHOTS / self.name / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path)
        return path


def only_chromium(test):
    """Run a test in Chromium only (it drives Chromium-only machinery: CDP, service workers)."""
    import pytest

    return pytest.mark.parametrize("browser", ["chromium"], indirect=True)(test)
