"""The driver interface (driver.py) over Marionette: Firefox ESR with the unpacked extension.

Firefox runs headless with its built-in Marionette (``marionette-driver``; there is no geckodriver
here), in a temporary profile whose preferences keep it from calling anything but our loopback
servers, with the extension installed as a temporary add-on. Shop pages come from a loopback HTTP
proxy that answers each fixture page at its own ``http://`` URL (Marionette cannot route
requests; https would need a CA and TLS interception). Firefox, the proxy and the backend share a
loopback-only network namespace when the tests run as root (netns.py).
"""
from __future__ import annotations

import base64
import json
import shutil
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

from .driver import Badge, Browser, wait_for
from .harness import EXTENSION, FIXTURES, fixture_pages, free_port
from .netns import LoopbackNamespace, stop_process

FIREFOX = "/usr/bin/firefox-esr"
GECKO_ID = "kadun@kadun.app"
# The moz-extension:// host Firefox gives the add-on in this profile (fixed, so tests know it).
EXTENSION_UUID = "6f1b5a2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
SHOT_SIZE = (1280, 800)

# ../shared/FIREFOX.md: with these (and MOZ_REMOTE_SETTINGS_DEVTOOLS=1) Firefox looks up nothing
# but 127.0.0.1.
QUIET_PREFS = {
    "network.proxy.type": 1,
    "network.proxy.no_proxies_on": "localhost,127.0.0.1",
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "network.dns.disablePrefetch": True,
    "network.dns.native_https_query": False,
    "network.prefetch-next": False,
    "network.http.speculative-parallel-limit": 0,
    "network.trr.mode": 5,
    "dom.push.connection.enabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.enabled": False,
    "app.normandy.enabled": False,
    "browser.newtabpage.enabled": False,
    "browser.newtabpage.activity-stream.feeds.topsites": False,
    "browser.newtabpage.activity-stream.feeds.section.topstories": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "extensions.systemAddon.update.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    "geo.provider.network.url": "",
    "browser.region.network.url": "",
    "browser.search.update": False,
}
TEST_PREFS = {
    "xpinstall.signatures.required": False,
    "extensions.webextensions.uuids": json.dumps({GECKO_ID: EXTENSION_UUID}),
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.page": 0,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.aboutwelcome.enabled": False,
    "browser.tabs.warnOnClose": False,
    "browser.sessionstore.resume_from_crash": False,
    "intl.accept_languages": "en-US, en",
    # The dispute page's evidence pack goes to the profile's download folder, no dialog.
    "browser.download.folderList": 2,
    "browser.download.useDownloadDir": True,
    "browser.download.always_ask_before_handling_new_types": False,
    "browser.download.start_downloads_in_tmp_dir": False,
    "browser.download.alwaysOpenPanel": False,
}


class FixtureProxy:
    """An HTTP proxy on 127.0.0.1 that answers fixture pages at their own URLs, 404 otherwise.

    https (CONNECT) is refused: the pages' CDN and analytics assets are simply not there."""

    def __init__(self, ns: LoopbackNamespace, pages: dict[str, bytes]):
        self.pages = pages
        self.requests: list[str] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                proxy.requests.append(self.path)
                body = proxy.pages.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8" if body is not None else "text/plain")
                self.send_header("Content-Length", str(len(body or b"")))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body or b"")

            def do_CONNECT(self):  # noqa: N802
                proxy.requests.append(f"CONNECT {self.path}")
                self.send_error(403, "offline test proxy")

            do_POST = do_HEAD = do_GET  # noqa: N815

            def log_message(self, *args):
                pass

        self.server = ns.call(ThreadingHTTPServer, ("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self._thread = Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class FirefoxTab:
    """One Firefox tab, driven through Marionette (see driver.py for the interface)."""

    def __init__(self, browser: FirefoxBrowser, handle: str):
        self.browser = browser
        self.handle = handle

    @property
    def _m(self):
        self.browser.switch_to(self.handle)
        return self.browser.marionette

    @property
    def url(self) -> str:
        return self._m.get_url()

    def is_closed(self) -> bool:
        return self.handle not in self.browser.marionette.window_handles

    def goto(self, url: str) -> None:
        self._m.navigate(url)

    def reload(self) -> None:
        self._m.refresh()

    def close(self) -> None:
        self._m.close()
        self.browser.forget(self.handle)

    def evaluate(self, js: str, arg=None):
        # As Playwright does: evaluate the text; when that gives a function, call it with arg.
        script = ("const [arg, done] = arguments;\n"
                  f"Promise.resolve().then(() => {{ const v = ({js}); return typeof v === 'function' ? v(arg) : v; }}).then(\n"
                  "  (value) => done({value: value === undefined ? null : value}),\n"
                  "  (error) => done({error: String(error && error.stack || error)}));")
        # sandbox=None: the page's own global, where an extension page has chrome.*.
        result = self._m.execute_async_script(script, script_args=[arg], sandbox=None, script_timeout=60000)
        if result is None or "error" in result:
            raise RuntimeError(f"evaluate failed in {self.handle}: {result and result['error']}")
        return result["value"]

    def wait_for_selector(self, selector: str, timeout: float = 30) -> None:
        wait_for(lambda: self.evaluate("(s) => document.querySelector(s) !== null", selector), timeout,
                 f"{selector} in {self.handle}")

    def _ready(self, selector: str, timeout: float = 30):
        """The element, once it is there and enabled (Playwright's actionability, briefly)."""
        wait_for(lambda: self.evaluate("(s) => { const e = document.querySelector(s); return !!e && !e.disabled; }",
                                       selector), timeout, f"{selector} to be enabled")
        return self._m.find_element("css selector", selector)

    def click(self, selector: str) -> None:
        self._ready(selector).click()

    def fill(self, selector: str, text: str) -> None:
        self._ready(selector)
        self.evaluate("""([s, text]) => {
            const e = document.querySelector(s);
            e.focus();
            e.value = text;
            e.dispatchEvent(new Event("input", {bubbles: true}));
            e.dispatchEvent(new Event("change", {bubbles: true}));
        }""", [selector, text])

    def _set_checked(self, selector: str, checked: bool) -> None:
        element = self._ready(selector)
        if self.evaluate("(s) => document.querySelector(s).checked", selector) != checked:
            element.click()

    def check(self, selector: str) -> None:
        self._set_checked(selector, True)

    def uncheck(self, selector: str) -> None:
        self._set_checked(selector, False)

    def select_option(self, selector: str, value: str) -> None:
        self._ready(selector)
        self.evaluate("""([s, value]) => {
            const e = document.querySelector(s);
            e.value = value;
            e.dispatchEvent(new Event("input", {bubbles: true}));
            e.dispatchEvent(new Event("change", {bubbles: true}));
        }""", [selector, value])

    def input_value(self, selector: str) -> str:
        return self.evaluate("(s) => document.querySelector(s).value", selector)

    def text_content(self, selector: str) -> str | None:
        return self.evaluate("(s) => { const e = document.querySelector(s); return e && e.textContent; }", selector)

    def inner_text(self, selector: str) -> str | None:
        """The rendered text, as Playwright's ``inner_text`` gives it (CSS-hidden parts left out)."""
        self._ready(selector)
        return self.evaluate("(s) => document.querySelector(s).innerText", selector)

    def get_attribute(self, selector: str, name: str) -> str | None:
        return self.evaluate("([s, n]) => { const e = document.querySelector(s); return e && e.getAttribute(n); }",
                             [selector, name])

    def count(self, selector: str) -> int:
        return self.evaluate("(s) => document.querySelectorAll(s).length", selector)

    def set_input_files(self, selector: str, files: list[dict]) -> None:
        paths = []
        for item in files:
            path = self.browser.upload_dir / item["name"]
            path.write_bytes(item["buffer"])
            paths.append(str(path))
        self._ready(selector).send_keys("\n".join(paths))

    def screenshot(self, path: Path) -> None:
        self.browser.switch_to(self.handle, focus=True)
        path.write_bytes(base64.b64decode(self.browser.marionette.screenshot(full=False)))


class ServedBackend:
    """The real backend, ``kadun serve`` with its embedded Redis, on 127.0.0.1 in the namespace.

    stop() and start() keep the port and the data directory (all captures and the pairing)."""

    def __init__(self, ns: LoopbackNamespace, data_dir: Path, kadun: Path, env: dict | None = None,
                 host: str = "127.0.0.1"):
        self.ns = ns
        self.data_dir = data_dir
        self.kadun = kadun
        self.env = dict(env or {})  # KADUN_* settings for this backend (hosted mode, say)
        self.port = ns.call(free_port)
        self.url = f"http://{host}:{self.port}"
        self.process = None
        self._log = None

    def start(self, timeout: float = 60.0) -> None:
        import os
        import subprocess

        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "KADUN_REDIS_URL")}
        env["KADUN_JSON_LOGS"] = "1"  # one JSON line per request in serve.log (risk_requests reads them)
        env.update(self.env)
        self._log = open(self.data_dir / "serve.log", "ab")  # noqa: SIM115 (closed in stop)
        self.process = self.ns.popen([str(self.kadun), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                                      "--data-dir", str(self.data_dir), "--workers", "1"],
                                     env=env, stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log)

        def healthy():
            if self.process.poll() is not None:
                raise RuntimeError(f"kadun serve exited with {self.process.returncode}; see {self.data_dir}/serve.log")
            try:
                return self.get("/healthz", token=None).status_code == 200
            except OSError:
                return False

        wait_for(healthy, timeout, "kadun serve to answer /healthz")

    def stop(self) -> None:
        stop_process(self.process)
        self.process = None
        if self._log:
            self._log.close()
            self._log = None

    def risk_requests(self) -> int:
        """How many GET /v1/risk the backend has answered so far (its request log lines)."""
        count = 0
        for line in (self.data_dir / "serve.log").read_text(encoding="utf-8", errors="replace").splitlines():
            if '"/v1/risk"' in line:
                try:
                    count += json.loads(line).get("path") == "/v1/risk"
                except ValueError:
                    continue
        return count

    @property
    def redis(self):
        from server.storage.redis import EmbeddedRedis, connect

        return connect(EmbeddedRedis(self.data_dir).url)

    def pairing_code(self, new_user: bool = False) -> str:
        from server.storage import users

        client = self.redis
        try:
            return users.new_pairing_code(client, new_user=new_user)
        finally:
            client.close()

    def get(self, path: str, token: str | None, query_string: dict | None = None):
        import http.client
        from urllib.parse import urlencode

        from .driver import ApiResponse

        target = path + ("?" + urlencode(query_string) if query_string else "")
        headers = {"Authorization": f"Bearer {token}"} if token else {}

        def ask():
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                conn.request("GET", target, headers=headers)
                response = conn.getresponse()
                return ApiResponse(response.status, response.read(), dict(response.getheaders()))
            finally:
                conn.close()

        return self.ns.call(ask)


class FirefoxBrowser(Browser):
    """Firefox ESR, headless, driven by Marionette, with the extension installed temporarily."""

    name = "firefox"
    ext_origin = f"moz-extension://{EXTENSION_UUID}"

    def __init__(self, ns: LoopbackNamespace, backend: ServedBackend, workdir: Path,
                 extra_pages: dict[str, str] | None = None, addon: Path = EXTENSION):
        from marionette_driver.addons import Addons
        from marionette_driver.marionette import Marionette

        super().__init__(backend)
        self.ns = ns
        pages = {self.pages[file]: (FIXTURES / file).read_bytes() for file in fixture_pages()}
        # (a request carries no fragment: a single-page shop's "#/…" route is the browser's own)
        pages.update({self.shop_url(url).split("#", 1)[0]: text.encode("utf-8")
                      for url, text in (extra_pages or {}).items()})
        self.proxy = FixtureProxy(ns, pages)
        self.profile = workdir / "profile"
        self.download_dir = workdir / "downloads"
        self.upload_dir = workdir / "uploads"
        for folder in (self.profile, self.download_dir, self.upload_dir):
            folder.mkdir(parents=True, exist_ok=True)
        marionette_port = ns.call(free_port)
        prefs = {**QUIET_PREFS, **TEST_PREFS, "marionette.port": marionette_port,
                 "network.proxy.http": "127.0.0.1", "network.proxy.http_port": self.proxy.port,
                 "network.proxy.ssl": "127.0.0.1", "network.proxy.ssl_port": self.proxy.port,
                 # Nothing listens there: the settings server Firefox would otherwise call.
                 "services.settings.server": f"http://127.0.0.1:{ns.call(free_port)}/v1",
                 "browser.download.dir": str(self.download_dir)}
        (self.profile / "user.js").write_text(
            "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in prefs.items()), encoding="utf-8")
        import os
        import subprocess

        env = {**os.environ, "MOZ_REMOTE_SETTINGS_DEVTOOLS": "1", "MOZ_CRASHREPORTER_DISABLE": "1"}
        self._log = open(workdir / "firefox.log", "ab")  # noqa: SIM115 (closed in close)
        self.process = ns.popen([FIREFOX, "-headless", "-marionette", "-remote-allow-system-access", "-no-remote",
                                 "-profile", str(self.profile)], env=env, stdin=subprocess.DEVNULL,
                                stdout=self._log, stderr=self._log)
        self.marionette = Marionette(host="127.0.0.1", port=marionette_port, socket_timeout=120)

        def connect():
            if self.process.poll() is not None:
                raise RuntimeError(f"firefox exited with {self.process.returncode}; see {workdir}/firefox.log")
            try:
                ns.call(self.marionette.start_session)
                return True
            except Exception:  # not listening yet
                return False

        wait_for(connect, 60, "Firefox's Marionette to answer")
        self._current = self.marionette.current_window_handle
        self.addon_id = Addons(self.marionette).install(str(addon), temp=True)
        self._size_window()
        first = FirefoxTab(self, self._current)
        first.goto(self.ext_url("options.html"))
        self._probe = first

    def _size_window(self) -> None:
        """Make the page area 1280×800 (store screenshots, and the size Chromium tests use)."""
        m = self.marionette
        m.set_window_rect(width=SHOT_SIZE[0], height=SHOT_SIZE[1])
        inner = m.execute_script("return [window.innerWidth, window.innerHeight]")
        m.set_window_rect(width=2 * SHOT_SIZE[0] - inner[0], height=2 * SHOT_SIZE[1] - inner[1])

    def shop_url(self, url: str) -> str:
        return "http://" + url[len("https://"):] if url.startswith("https://") else url

    def switch_to(self, handle: str, focus: bool = False) -> None:
        if handle != self._current or focus:
            self.marionette.switch_to_window(handle, focus=focus)
            self._current = handle

    def forget(self, handle: str) -> None:
        if self._current == handle:
            self._current = None
            remaining = self.marionette.window_handles
            if remaining:
                self.switch_to(remaining[-1])

    def new_tab(self, url: str | None = None) -> FirefoxTab:
        handle = self.marionette.open(type="tab", focus=True)["handle"]
        self.switch_to(handle, focus=True)
        tab = FirefoxTab(self, handle)
        if url:
            tab.goto(url)
        return tab

    def badge(self, tab: FirefoxTab) -> Badge | None:
        from marionette_driver.errors import NoSuchElementException, NoSuchShadowRootException

        m = tab._m
        try:
            host = m.find_element("css selector", "kadun-badge")
        except NoSuchElementException:
            return None
        light = m.execute_script("return arguments[0].childNodes.length", script_args=[host], sandbox=None)
        try:
            root = host.shadow_root  # WebDriver reaches closed shadow roots too
        except NoSuchShadowRootException:
            return Badge(mode=None, texts=[], light_children=light, wrap_classes=[])
        found = m.execute_script("""
            const [root, host] = arguments;
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            const texts = [];
            while (walker.nextNode()) texts.push(walker.currentNode.nodeValue);
            const wrap = [...root.children].find((child) => child.localName === "div");
            const classes = wrap ? [...wrap.classList] : [];
            const shot = [...root.children].some((child) => child.localName === "style" && child.classList.contains("shot"));
            const attrs = Object.fromEntries([...host.attributes].map((a) => [a.name, a.value]));
            return {texts, classes, visible: host.shadowRoot !== null, level: wrap ? wrap.getAttribute("data-level") : null,
                    levels: wrap ? (wrap.getAttribute("data-levels") || "").split(" ").filter(Boolean) : [], attrs, shot};""",
                                 script_args=[root, host], sandbox=None)
        return Badge(mode="open" if found["visible"] else "closed", texts=found["texts"], light_children=light,
                     wrap_classes=found["classes"], level=found["level"], levels=found["levels"],
                     host_attributes=found["attrs"], hidden_for_shot=found["shot"])

    def expect_new_tab(self, action: Callable[[], None]) -> FirefoxTab:
        before = set(self.marionette.window_handles)
        action()
        handle = self.wait(lambda: (set(self.marionette.window_handles) - before or {None}).pop(),
                           message="a new tab")
        tab = FirefoxTab(self, handle)
        from marionette_driver.errors import MarionetteException

        def loaded() -> bool:
            # A new tab is about:blank (and "complete") until its own address starts loading: wait
            # for the address it was opened with, then for that document to finish loading.
            try:
                return tab.url not in ("", "about:blank") and tab.evaluate("document.readyState") == "complete"
            except (MarionetteException, RuntimeError):  # between two documents: asked again
                return False

        self.wait(loaded, message="the new tab to load its address")
        return tab

    def download(self, tab: FirefoxTab, selector: str, dest: Path) -> Path:
        before = set(self.download_dir.iterdir())

        def finished():
            new = [p for p in set(self.download_dir.iterdir()) - before if not p.name.endswith(".part")]
            done = [p for p in new if not p.with_name(p.name + ".part").exists() and p.stat().st_size > 0]
            return done[0] if done else None

        tab.click(selector)
        shutil.copyfile(self.wait(finished, timeout=120, message="the download"), dest)
        return dest

    def close(self) -> None:
        try:
            self.marionette.delete_session()
        except Exception:  # Firefox already gone: nothing to end
            pass
        stop_process(self.process, timeout=15)
        self._log.close()
        self.proxy.close()


def firefox_session(ns: LoopbackNamespace, workdir: Path, extra_pages: dict[str, str] | None = None,
                    addon: Path = EXTENSION, backend_env: dict | None = None,
                    backend_host: str = "127.0.0.1") -> FirefoxBrowser:
    """A backend and a Firefox on it, in ``ns``; the caller pairs and closes both. ``backend_env``:
    settings for ``kadun serve`` (``{"KADUN_MODE": "hosted"}``); ``backend_host``: the name the
    browser reaches it by."""
    import sys

    data = workdir / "data"
    data.mkdir(parents=True, exist_ok=True)
    backend = ServedBackend(ns, data, Path(sys.executable).with_name("kadun"), backend_env, backend_host)
    backend.start()
    started = time.monotonic()
    try:
        browser = FirefoxBrowser(ns, backend, workdir, extra_pages, addon)
    except BaseException:
        backend.stop()
        raise
    browser.startup_seconds = time.monotonic() - started
    return browser
