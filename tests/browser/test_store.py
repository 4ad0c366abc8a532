"""What the stores get: each browser runs its own kind of background (Chrome the service worker,
Firefox the background page), the store zips load, pair and capture in both browsers, and the
listing screenshots (dist/store/<browser>/, 1280×800, in Chinese) come from the real extension."""
from __future__ import annotations

import io
import sys
import zipfile

import pytest

from .conftest import BROWSERS, OPENERS, close_browser
from .driver import STORE_SHOTS, Badge
from .harness import ROOT

pytestmark = pytest.mark.browser

sys.path.insert(0, str(ROOT / "scripts"))
import build_extension  # noqa: E402  (a script, not a package)


def test_each_browser_runs_its_own_background(browser):
    if browser.name == "chromium":
        workers = [worker.url for worker in browser.context.service_workers]
        assert browser.ext_url("src/background/worker.js") in workers, workers
        assert not browser.context.background_pages, "Chrome uses the service worker, not a page"
    else:
        page = browser.probe.evaluate("chrome.runtime.getBackgroundPage().then((w) => w.location.pathname)")
        assert page == "/_generated_background_page.html"
    status = browser.probe.evaluate("chrome.runtime.sendMessage({type: KadunMessages.UI_TO_BG.STATUS})")
    assert status["paired"] is True and status["auth_state"] == "paired"


@pytest.mark.parametrize("name", BROWSERS)
def test_the_store_zip_loads_pairs_and_captures(name, request, tmp_path_factory):
    written = build_extension.build(tmp_path_factory.mktemp("dist"))
    package = written["chrome" if name == "chromium" else "firefox"]
    if name == "chromium":   # Chromium loads folders: unpack the zip as a user would
        folder = tmp_path_factory.mktemp("unpacked")
        with zipfile.ZipFile(package) as archive:
            archive.extractall(folder)
        package = folder
    session = OPENERS[name](request, tmp_path_factory, extension=package)
    try:
        manifest = session.probe.evaluate("chrome.runtime.getManifest()")
        # The package was loaded, not the source folder: the other browser's keys are gone.
        if name == "chromium":
            assert "browser_specific_settings" not in manifest and "scripts" not in manifest["background"]
        else:
            assert not manifest["background"].get("service_worker")   # (Firefox lists absent keys as null)
        session.pair()
        url = session.pages["dujiaoka-unicorn-order.html"]
        page = session.visit(url)
        items = session.wait(lambda: [i for i in session.captures() if i["url"] == url], message="the capture")
        assert session.api(f"/v1/snapshots/{items[0]['id']}").get_json()["screenshot_sha256"]
        page.close()
    finally:
        close_browser(session)


def _shot_ok(path) -> None:
    from PIL import Image, ImageStat

    image = Image.open(io.BytesIO(path.read_bytes()))
    assert image.format == "PNG" and image.size == (1280, 800), (path, image.size)
    assert ImageStat.Stat(image.convert("L")).stddev[0] > 10, f"{path} is blank"


def test_store_listing_screenshots(browser):
    """The badge (opened), the options page and the popup, in Chinese, as the listings show them."""
    options = browser.new_tab(browser.ext_url("options.html"))
    options.wait_for_selector('#pair-status[data-state="paired"]')
    options.select_option("#language", "zh_CN")
    browser.wait(lambda: _lang(options) == "zh-CN", message="the options page in Chinese")
    options.wait_for_selector('#pair-status[data-state="paired"]')
    url = browser.pages["xingchen-km-shop.html"]
    shop = browser.visit(url)
    browser.wait(lambda: [i for i in browser.captures() if i["url"] == url], message="the shop page's capture")
    browser.wait(lambda: (browser.badge(shop) or Badge()).level not in (None, "unknown"),
                 message="the badge with a judged level")
    shop.click("kadun-badge")
    browser.wait(lambda: "open" in browser.badge(shop).wrap_classes, message="the badge's panel")
    shots = [browser.store_shot(shop, "1-badge"), browser.store_shot(options, "2-options")]
    # The popup as the toolbar opens it over the shop's tab: the site's risk first, then its captures.
    tab_id = browser.probe.evaluate("async (url) => (await chrome.tabs.query({})).find((t) => t.url === url).id", url)
    popup = browser.new_tab(browser.ext_url(f"src/popup/popup.html?tab={tab_id}"))
    popup.wait_for_selector("#site-captures li[data-snapshot-id]")
    popup.wait_for_selector("#site-risk[data-state=judged]")
    shots.append(browser.store_shot(popup, "4-popup"))
    for path in shots:
        assert path.parent == STORE_SHOTS / browser.name
        _shot_ok(path)
    options.select_option("#language", "auto")
    browser.wait(lambda: _lang(options) == "en", message="the options page back in English")
    for tab in (popup, shop, options):
        tab.close()


def _lang(tab) -> str | None:
    try:
        return tab.evaluate("document.readyState === 'complete' && document.documentElement.lang")
    except Exception:  # the page is reloading: ask again
        return None
