"""Shared machinery for the browser tests and the capture benchmark: the real backend served over
HTTP on 127.0.0.1, Chromium with the unpacked extension, fixture pages at their own URLs.
(Firefox's counterparts are in firefox.py; driver.py is the interface the tests use.)"""
from __future__ import annotations

import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
FIXTURES = ROOT / "tests" / "fixtures" / "pages"
CHROMIUM = "/usr/bin/chromium"


def fixture_pages() -> dict[str, str]:
    """file name → the URL the page lives at."""
    index = json.loads((FIXTURES / "index.json").read_text(encoding="utf-8"))
    return {entry["file"]: entry["url"] for entry in index}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_page(html: str, path: str = "/") -> tuple[ThreadingHTTPServer, str]:
    """A plain web server on a free loopback port answering every GET with ``html``: a site of its
    own origin (another site than the backend and the routed shops). Returns the server (shut it
    down when done) and the page's URL (``path`` on it)."""
    class Page(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}{path}"


class Backend:
    """The Flask app on a real socket; stop() and start() keep the port (and all data)."""

    def __init__(self, app, port: int | None = None):
        self.app = app
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = None
        self._thread = None
        self.paths: list[str] = []  # the path of every request the socket served, in order
        served = app.wsgi_app

        def recording(environ, start_response):
            self.paths.append(environ.get("PATH_INFO", ""))
            return served(environ, start_response)

        self._recording = recording

    def risk_requests(self) -> int:
        """How many GET /v1/risk the browser has sent so far."""
        return self.paths.count("/v1/risk")

    def start(self) -> None:
        for _ in range(50):
            try:
                self._server = make_server("127.0.0.1", self.port, self._recording, threaded=True)
                break
            except OSError:  # the old socket is still closing
                time.sleep(0.1)
        else:
            raise RuntimeError(f"cannot bind 127.0.0.1:{self.port}")
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = None

    @property
    def redis(self):
        return self.app.extensions["kadun"].redis

    def pairing_code(self, new_user: bool = False) -> str:
        from server.storage import users

        return users.new_pairing_code(self.redis, new_user=new_user)

    def client(self, token: str):
        test_client = self.app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        return test_client, headers


def launch(playwright, user_data_dir: Path, extension: Path = EXTENSION):
    """Chromium (headless=new) with the unpacked extension loaded."""
    ext = str(extension)
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir), executable_path=CHROMIUM, headless=False, viewport={"width": 1280, "height": 800},
        args=["--headless=new", f"--disable-extensions-except={ext}", f"--load-extension={ext}",
              "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync"])


def extension_worker(context, timeout: float = 15000):
    for worker in context.service_workers:
        if worker.url.startswith("chrome-extension://"):
            return worker
    return context.wait_for_event("serviceworker", timeout=timeout)


def extension_id(context) -> str:
    return urlsplit(extension_worker(context).url).hostname


# Response headers that make a page cross-origin isolated: its performance.now() ticks in 5 µs
# instead of 100 µs (benchmarks timing a millisecond or two of the page's work need them).
CROSS_ORIGIN_ISOLATED = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "credentialless"}


def serve_documents(page, headers: dict[str, str] | None = None):
    """Route ``page``'s navigations to one document at a time and abort every other request.
    Returns ``show(url, body)``: the next navigation to ``url`` gets ``body`` (a request carries no
    fragment, so single-page shops' pages that differ only after "#" are each served as their own)."""
    current: dict = {}

    def handler(route, request):
        if request.is_navigation_request() and request.url == current["url"].split("#", 1)[0]:
            route.fulfill(status=200, body=current["body"], content_type="text/html; charset=utf-8", headers=headers)
        else:
            route.abort()

    page.route("**/*", handler)
    return lambda url, body: current.update(url=url, body=body)


def serve_fixtures(context, extra: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> None:
    """Fulfil each fixture host's requests: the fixture file at its URL, 404 for anything else.

    ``extra`` maps more URLs to HTML text (pages a test writes itself); ``headers`` are added to
    every page's response (the capture benchmark makes its pages cross-origin isolated with them,
    for 5 µs timers instead of 100 µs)."""
    pages: dict[str, bytes] = {}
    for file, url in fixture_pages().items():
        pages[url] = (FIXTURES / file).read_bytes()
    for url, text in (extra or {}).items():
        pages[url.split("#", 1)[0]] = text.encode("utf-8")  # a request carries no fragment

    def handler(route, request):
        body = pages.get(request.url)
        if body is None:
            route.fulfill(status=404, body="", content_type="text/plain")
        else:
            route.fulfill(status=200, body=body, content_type="text/html; charset=utf-8", headers=headers)

    def offline(route, request):
        # The fixture pages name CDNs and analytics hosts; a test machine need not reach them.
        route.abort("internetdisconnected")

    # Registered first, so the fixture routes below take precedence. The backend on the loopback is
    # left out of the pattern (matched in Playwright's driver): its requests, the badge's among
    # them, then never wait for this process to serve a route.
    context.route(re.compile(r"^https?://(?!(?:127\.0\.0\.1|localhost)(?::\d+)?/)"), offline)
    for origin in sorted({"{0.scheme}://{0.netloc}".format(urlsplit(u)) for u in pages}):
        context.route(f"{origin}/**", handler)


def pair(context, ext_id: str, backend: Backend) -> None:
    """Pair through the options page hooks, as a buyer does."""
    page = context.new_page()
    page.goto(f"chrome-extension://{ext_id}/options.html")
    page.fill("#backend-url", backend.url)
    page.fill("#pairing-code", backend.pairing_code())
    page.click("#pair")
    try:
        page.wait_for_selector('#pair-status[data-state="paired"]', timeout=15000)
    except Exception as error:
        status = page.locator("#pair-status")
        raise AssertionError(f"pairing did not succeed: state={status.get_attribute('data-state')!r} "
                             f"text={status.inner_text()!r}") from error
    page.close()


def wait_until(context, predicate, timeout: float = 30.0, message: str = "condition"):
    """Poll ``predicate`` until it returns something truthy: a condition, not a fixed sleep.

    Between polls Playwright's event loop runs (the sync API only serves routes while inside one
    of its calls), so fixture pages keep loading while we wait."""
    deadline = time.monotonic() + timeout
    pump = _pump_page(context)
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        pump.wait_for_timeout(100)


def _pump_page(context):
    for page in context.pages:
        if page.url == "about:blank" and not page.is_closed():
            return page
    return context.new_page()
