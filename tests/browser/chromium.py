"""The driver interface (driver.py) over Playwright: Chromium with the unpacked extension."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .driver import ApiResponse, Badge, Browser
from .harness import EXTENSION, extension_id, extension_worker, launch, serve_fixtures


class ChromiumTab:
    """A Playwright page, with the few additions of the common Tab interface."""

    def __init__(self, page):
        self.page = page

    def __getattr__(self, name):
        # goto, url, evaluate, reload, click, fill, check, uncheck, select_option, input_value,
        # text_content, get_attribute, wait_for_selector, is_closed: Playwright's own.
        return getattr(self.page, name)

    def wait_for_selector(self, selector: str, timeout: float = 30):
        return self.page.wait_for_selector(selector, timeout=timeout * 1000)

    def goto(self, url: str):
        return self.page.goto(url, wait_until="load")

    def reload(self):
        return self.page.reload(wait_until="load")

    def count(self, selector: str) -> int:
        return self.page.locator(selector).count()

    def set_input_files(self, selector: str, files: list[dict]) -> None:
        self.page.set_input_files(selector, files=files)

    def screenshot(self, path: Path) -> None:
        # A background tab under --headless=new commits no compositor frame, so a screenshot of it
        # waits forever (puppeteer#12712): bring it to the front first, as the Firefox tab does.
        self.page.bring_to_front()
        self.page.screenshot(path=str(path))

    def close(self) -> None:
        # Closed as the front tab: under --headless=new a background extension page once never
        # reported itself closed (the dispute test waited for it until its timeout).
        if not self.page.is_closed():
            self.page.bring_to_front()
        self.page.close()


def _badge_node(page) -> dict | None:
    """The badge host as Chromium's DOM agent sees it, closed shadow root included."""
    session = page.context.new_cdp_session(page)
    try:
        root = session.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
    finally:
        session.detach()
    stack = [root]
    while stack:
        node = stack.pop()
        if node.get("localName") == "kadun-badge":
            return node
        stack.extend(node.get("children", []))
    return None


def _texts(node: dict) -> list[str]:
    out, stack = [], [node]
    while stack:
        item = stack.pop()
        if item.get("nodeType") == 3:
            out.append(item.get("nodeValue", ""))
        stack.extend(item.get("children", []))
        stack.extend(item.get("shadowRoots", []))
    return out


class ChromiumBrowser(Browser):
    name = "chromium"

    def __init__(self, playwright, backend, profile: Path, extra_pages: dict[str, str] | None = None,
                 extension: Path = EXTENSION):
        super().__init__(backend)
        self.context = launch(playwright, profile, extension)
        extension_worker(self.context)
        serve_fixtures(self.context, extra_pages)
        self.ext_origin = f"chrome-extension://{extension_id(self.context)}"

    def new_tab(self, url: str | None = None) -> ChromiumTab:
        page = self.context.new_page()
        if url:
            page.goto(url, wait_until="load")
        return ChromiumTab(page)

    def _pause(self) -> None:
        # Playwright's sync API serves routes only while inside one of its calls: keep it busy.
        for page in self.context.pages:
            if page.url == "about:blank" and not page.is_closed():
                page.wait_for_timeout(100)
                return
        self.context.new_page().wait_for_timeout(100)

    def badge(self, tab) -> Badge | None:
        node = _badge_node(tab.page)
        if node is None:
            return None
        shadows = node.get("shadowRoots") or []
        wrap_classes: list[str] = []
        level, levels, shot = None, [], False
        for child in (shadows[0].get("children", []) if shadows else []):
            attrs = dict(zip(child.get("attributes", [])[::2], child.get("attributes", [])[1::2], strict=False))
            if child.get("localName") == "style" and "shot" in attrs.get("class", "").split():
                shot = True
            if child.get("localName") != "div":
                continue
            wrap_classes += attrs.get("class", "").split()
            level, levels = attrs.get("data-level"), attrs.get("data-levels", "").split()
        host = node.get("attributes", [])
        return Badge(mode=shadows[0]["shadowRootType"] if shadows else None,
                     texts=[t for s in shadows for t in _texts(s)],
                     light_children=len(node.get("children") or []), wrap_classes=wrap_classes, level=level,
                     levels=levels, host_attributes=dict(zip(host[::2], host[1::2], strict=False)), hidden_for_shot=shot)

    def expect_new_tab(self, action: Callable[[], None]) -> ChromiumTab:
        with self.context.expect_page() as opened:
            action()
        page = opened.value
        page.wait_for_load_state("load")
        return ChromiumTab(page)

    def download(self, tab, selector: str, dest: Path) -> Path:
        with tab.page.expect_download() as info:
            tab.page.click(selector)
        info.value.save_as(dest)
        return dest

    def close(self) -> None:
        self.context.close()


class InProcessBackend:
    """The Flask app of harness.Backend, asked through its test client (same data)."""

    def __init__(self, backend):
        self._backend = backend

    def __getattr__(self, name):
        return getattr(self._backend, name)

    def get(self, path: str, token: str | None, query_string: dict | None = None) -> ApiResponse:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = self._backend.app.test_client().get(path, headers=headers, query_string=query_string)
        return ApiResponse(response.status_code, response.get_data(), dict(response.headers))

