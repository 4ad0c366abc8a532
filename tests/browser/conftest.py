"""Browser fixtures: per test module one real backend and one browser with the unpacked extension,
paired through the options page, in Chromium and in Firefox (driver.py is the interface both
share; a test that takes ``browser`` runs once in each).

- Chromium: Playwright drives /usr/bin/chromium; the backend is the Flask app on a real socket
  on 127.0.0.1 with the session's Redis; shop pages are served by request routing.
- Firefox: Marionette drives Firefox ESR; the backend is ``kadun serve`` with its embedded Redis;
  shop pages come from a loopback proxy; all three share a loopback-only network namespace when
  the tests run as root.
"""
from __future__ import annotations

import time

import pytest
from playwright.sync_api import sync_playwright

from .chromium import ChromiumBrowser, InProcessBackend
from .harness import EXTENSION, Backend

BROWSERS = ["chromium", "firefox"]
# Wall-clock seconds spent in each browser's tests (set-up included), printed at the end.
SPENT: dict[str, float] = {}


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
    from server.ocr import worker_of

    worker_of(app).stop()  # its OCR reader (started by the first request) goes with the backend
    client.close()


@pytest.fixture(scope="module")
def playwright_instance():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def loopback_ns():
    from .netns import LoopbackNamespace

    ns = LoopbackNamespace()
    yield ns
    ns.close()


def open_chromium(request, tmp_path_factory, extra_pages: dict | None = None, extension=None) -> ChromiumBrowser:
    """Chromium on the module's in-process backend, with ``extension`` (a folder) or the source."""
    backend = InProcessBackend(request.getfixturevalue("backend"))
    return ChromiumBrowser(request.getfixturevalue("playwright_instance"), backend,
                           tmp_path_factory.mktemp("profile"), extra_pages, extension or EXTENSION)


def open_firefox(request, tmp_path_factory, extra_pages: dict | None = None, extension=None):
    """Firefox and its own ``kadun serve``, with ``extension`` (a folder or a zip) or the source."""
    from .firefox import firefox_session

    return firefox_session(request.getfixturevalue("loopback_ns"), tmp_path_factory.mktemp("firefox"),
                           extra_pages, extension or EXTENSION)


OPENERS = {"chromium": open_chromium, "firefox": open_firefox}


def close_browser(session) -> None:
    session.close()
    if session.name == "firefox":
        session.backend.stop()


@pytest.fixture(scope="module", params=BROWSERS)
def browser(request, tmp_path_factory):
    """A paired browser (Chromium, then Firefox) with the test pages served at their URLs."""
    from .pages import TEST_PAGES

    started = time.monotonic()
    session = OPENERS[request.param](request, tmp_path_factory, TEST_PAGES)
    try:
        session.pair()
        session.probe  # noqa: B018 - opened first, so later pages are the active (visible) tabs
        yield session
    finally:
        close_browser(session)
        SPENT[request.param] = SPENT.get(request.param, 0.0) + time.monotonic() - started


def pytest_terminal_summary(terminalreporter):
    if SPENT:
        figures = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in sorted(SPENT.items()))
        terminalreporter.write_line(f"browser tests, wall clock with set-up: {figures}")


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
