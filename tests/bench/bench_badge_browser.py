"""Load → badge time in headless Chromium with the unpacked extension and the real backend
(``kadun serve``: gunicorn workers and the embedded Redis), seen from the page itself.

A script in the page's own world (added before any page script runs) notes, on the page's clock,
when the badge's host element enters the document (a MutationObserver on the document); the level
it shows lives inside its closed shadow root, out of the page's reach, so the bench polls it through
the DevTools protocol and notes each new level at the page's clock of that poll (a few ms late at
most); the navigation timing gives DOMContentLoaded and load. Scenarios, each over ``--loads`` page loads (default 20):

- known: a product page of a platform whose pages were captured before (the badge's answer is
  asked for at document_start);
- unknown: the same page at a new platform for every load (no host known, no data on the
  backend): the badge shows "unknown" when the page reads as a shop page at DOMContentLoaded, and its
  level once the page's own capture is stored;
- reload: the known page reloaded.

Prints median, p90 and max of badge − DOMContentLoaded (and − load), and for the unknown platform
the time to its judged level. ``--extension DIR`` measures another build of the extension (an
older one, for a before/after comparison).

    .venv/bin/python -m tests.bench.bench_badge_browser [--loads 20] [--extension DIR]

Targets: badge ≤ 100 ms after DOMContentLoaded (p90) on a known platform, ≤ 150 ms on an unknown one.
"""
from __future__ import annotations

import argparse
import re
import statistics
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.api.test_durability import ServeProcess
from tests.browser.harness import (
    EXTENSION,
    FIXTURES,
    extension_id,
    extension_worker,
    fixture_pages,
    launch,
    serve_fixtures,
    wait_until,
)

PAGE = "xingchen-km-product.html"
WARM = ["xingchen-km-terms.html", "xingchen-km-shop.html", "xingchen-km-order.html"]
UNKNOWN_HOST = "https://www.ceshi-{n}-kashop.cn"

OBSERVER = """(() => {
  const mark = {badge: null};
  Object.defineProperty(window, "__kadunBench", {value: mark});
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeName === "KADUN-BADGE" && mark.badge === null) mark.badge = performance.now();
      }
    }
  }).observe(document, {childList: true, subtree: true});
})();"""
READ = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  return {dcl: nav.domContentLoadedEventStart, load: nav.loadEventStart, badge: window.__kadunBench.badge,
          now: performance.now()};
}"""


class Backend:
    """``kadun serve`` with the two things the extension's pairing needs from a test backend."""

    def __init__(self, server: ServeProcess):
        self.server = server
        self.url = server.base

    def pairing_code(self) -> str:
        import subprocess

        from tests.api.test_durability import KADUN

        out = subprocess.run([KADUN, "pair", "--data-dir", str(self.server.data_dir)], capture_output=True,
                             text=True, check=True)
        return out.stdout.splitlines()[-1].strip()


def _pair(context, ext_id: str, backend: Backend) -> None:
    page = context.new_page()
    page.goto(f"chrome-extension://{ext_id}/options.html")
    page.fill("#backend-url", backend.url)
    page.fill("#pairing-code", backend.pairing_code())
    page.click("#pair")
    page.wait_for_selector('#pair-status[data-state="paired"]', timeout=30000)
    page.close()


def _load(context, page, url: str, reload: bool = False, until_level: bool = False) -> dict:
    if reload:
        page.reload(wait_until="load")
    else:
        page.goto("about:blank")
        page.goto(url, wait_until="load")
    levels: list = []

    def poll():
        mark = page.evaluate(READ)
        level = _shown_level(page)
        if level and (not levels or levels[-1][0] != level):
            levels.append((level, mark["now"]))
        return mark if mark["badge"] is not None and level else None

    got = wait_until(context, poll, message=f"the badge on {url}")
    if until_level:
        wait_until(context, lambda: poll() and levels[-1][0] != "unknown", timeout=60, message="the judged level")
    return {**got, "levels": levels}


def _shown_level(page) -> str | None:
    """The level the badge shows (data-level of the wrapper inside its closed shadow root)."""
    from tests.browser.chromium import _badge_node

    node = _badge_node(page)
    for shadow in (node or {}).get("shadowRoots", []):
        for child in shadow.get("children", []):
            attrs = child.get("attributes", [])
            found = dict(zip(attrs[::2], attrs[1::2], strict=False)).get("data-level")
            if found:
                return found
    return None


def _uploaded(context, url: str) -> bool:
    """Has the extension uploaded a capture of ``url`` (its last upload, in storage.local)?"""
    last = extension_worker(context).evaluate(
        "async () => (await chrome.storage.local.get('lastUpload')).lastUpload")
    return bool(last) and last.get("url") == url


def _figures(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return f"median {statistics.median(ordered):6.1f} ms, p90 {p90:6.1f} ms, max {ordered[-1]:6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=20)
    parser.add_argument("--extension", type=Path, default=EXTENSION)
    args = parser.parse_args()

    pages = fixture_pages()
    html = (FIXTURES / PAGE).read_text(encoding="utf-8")
    path = re.sub(r"^https?://[^/]+", "", pages[PAGE])
    unknown = [UNKNOWN_HOST.format(n=n) + path for n in range(args.loads)]
    tmp = Path(tempfile.mkdtemp(prefix="kadun-bench-badge-"))
    server = ServeProcess(tmp / "data").start()
    results: dict[str, list[dict]] = {"known": [], "unknown": [], "reload": []}
    try:
        with sync_playwright() as playwright:
            context = launch(playwright, tmp / "profile", args.extension)
            extension_worker(context)
            ext_id = extension_id(context)
            # (bytes of their own: the extension queues the same bytes once per session)
            serve_fixtures(context, {url: html.replace("</body>", f"<!-- {url} --></body>") for url in unknown})
            context.add_init_script(OBSERVER)
            _pair(context, ext_id, Backend(server))
            page = context.new_page()
            # The platform's pages captured once: the backend knows it, the extension knows its host.
            # (Each is kept open until its capture is uploaded: the badge comes long before.)
            for file in [*WARM, PAGE]:
                _load(context, page, pages[file], until_level=True)
                wait_until(context, lambda url=pages[file]: _uploaded(context, url), timeout=60,
                           message=f"the capture of {file}")
            for _ in range(args.loads):
                results["known"].append(_load(context, page, pages[PAGE]))
            for url in unknown:
                results["unknown"].append(_load(context, page, url, until_level=True))
            page.goto(pages[PAGE], wait_until="load")
            for _ in range(args.loads):
                results["reload"].append(_load(context, page, pages[PAGE], reload=True))
            context.close()
    finally:
        server.stop()

    print(f"Chromium headless=new, extension {args.extension}, kadun serve (2 workers), page {PAGE} "
          f"({(FIXTURES / PAGE).stat().st_size} bytes), {args.loads} loads each")
    for name, runs in results.items():
        print(f"{name:>8}: badge − DOMContentLoaded {_figures([r['badge'] - r['dcl'] for r in runs])}"
              f" | badge − load {_figures([r['badge'] - r['load'] for r in runs])}")
        shown = sorted({" → ".join(lv for lv, _ in r["levels"]) for r in runs if r["levels"]})
        print(f"{'':>10}levels shown, in order: {' | '.join(shown)}")
    judged = [next(t for lv, t in r["levels"] if lv not in ("unknown", None)) - r["dcl"] for r in results["unknown"]]
    print(f" unknown: judged level (after the page's own capture) − DOMContentLoaded {_figures(judged)}")


if __name__ == "__main__":
    main()
