"""Shop-page detection cost in headless Chromium (prints figures; not a test).

The content script's detector (``extension/src/content/detect.js``, ``detectShop``) runs on the
main thread of every http(s) page at ``DOMContentLoaded`` on hosts not yet known as shops, and
again before each capture. This loads every page the detection tests know (the fixtures, the
scrapers' held-out pages and the pages written for the detection tests), each as the document of
its own URL, and times ``detectShop`` there: the median of ``--repeat`` calls per page (the first
call included), with the page cross-origin isolated so ``performance.now()`` ticks in 5 µs.

Most of the web is not a shop, and real pages are bigger than the labelled ones: the two largest
pages that are not shops are also timed scaled up, their body repeated to about 200 KB (a long
forum thread, a long article), and printed apart.

``--compare REV`` times the detector of a git revision as well, on the same pages in the same
browser, alternating, and says whether any verdict differs.

Run: .venv/bin/python -m tests.bench.bench_detect [--repeat N] [--compare REV]
"""
from __future__ import annotations

import argparse
import re
import statistics
import subprocess

from playwright.sync_api import sync_playwright

from tests.browser.detection_pages import known_pages
from tests.browser.harness import CHROMIUM, CROSS_ORIGIN_ISOLATED, EXTENSION, ROOT, serve_documents

DETECT = EXTENSION / "src" / "content" / "detect.js"
# The detector is loaded under its own name so that two versions can sit in one page.
TIME_JS = """([name, repeat]) => {
  const ns = globalThis[name];
  const times = [];
  let verdict = null;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    verdict = ns.detectShop(document, location, []);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return [times[Math.floor(repeat / 2)], verdict, document.getElementsByTagName("*").length];
}"""


def _as(source: str, name: str) -> str:
    """The detector's source, filling ``globalThis[name]`` instead of ``globalThis.KadunCS``."""
    if "globalThis.KadunCS = globalThis.KadunCS || {}" not in source:
        raise SystemExit("detect.js no longer ends by filling globalThis.KadunCS: update bench_detect._as")
    return source.replace("globalThis.KadunCS = globalThis.KadunCS || {}", f"globalThis.{name} = {{}}")


def _summary(label: str, results: dict[str, tuple[float, dict, int]], pages: dict) -> None:
    med = statistics.median
    results = {name: result for name, result in results.items() if " (body x" not in name}
    shops = [results[name][0] for name in results if pages[name][2]]
    others = [results[name][0] for name in results if not pages[name][2]]
    slowest = max(results, key=lambda name: results[name][0])
    print(f"{label}: shop pages ({len(shops)}) median {med(shops):.2f} ms, max {max(shops):.2f} ms; "
          f"other pages ({len(others)}) median {med(others):.2f} ms, max {max(others):.2f} ms; "
          f"all {len(results)} pages {sum(r[0] for r in results.values()):.1f} ms; "
          f"slowest {slowest} ({results[slowest][2]} elements) {results[slowest][0]:.2f} ms")


def _scaled(pages: dict[str, tuple[str, bytes, bool]], size: int = 200_000) -> dict[str, tuple[str, bytes, bool]]:
    """The two largest pages that are not shops, their body repeated to about ``size`` bytes."""
    others = sorted((name for name in pages if not pages[name][2]), key=lambda name: -len(pages[name][1]))[:2]
    out = {}
    for name in others:
        url, body, shop = pages[name]
        html = body.decode("utf-8")
        found = re.search(r"(<body[^>]*>)(.*)(</body>)", html, re.S | re.I)
        times = max(2, size // max(1, len(found.group(2))))
        out[f"{name} (body x{times})"] = (url, (html[:found.start(2)] + found.group(2) * times
                                                + html[found.end(2):]).encode("utf-8"), shop)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--compare", metavar="REV", help="also time the detector of this git revision")
    args = parser.parse_args()

    versions = {"KadunNow": _as(DETECT.read_text(encoding="utf-8"), "KadunNow")}
    if args.compare:
        old = subprocess.run(["git", "show", f"{args.compare}:extension/src/content/detect.js"], cwd=ROOT,
                             check=True, capture_output=True, text=True).stdout
        versions["KadunThen"] = _as(old, "KadunThen")
    pages = known_pages()
    scaled = _scaled(pages)
    pages.update(scaled)
    results: dict[str, dict] = {name: {} for name in versions}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox"])
        try:
            tab = browser.new_page()
            show = serve_documents(tab, CROSS_ORIGIN_ISOLATED)
            for index, (name, (url, body, _)) in enumerate(pages.items()):
                show(url, body)
                tab.goto("about:blank")
                tab.goto(url, wait_until="domcontentloaded")
                # Alternate which version runs first, so neither always meets the colder page.
                order = list(versions) if index % 2 == 0 else list(reversed(versions))
                for version in order:
                    tab.add_script_tag(content=versions[version])
                    results[version][name] = tab.evaluate(TIME_JS, [version, args.repeat])
        finally:
            browser.close()

    print(f"detectShop over {len(pages) - len(scaled)} known pages, median of {args.repeat} calls per page, Chromium headless=new, 5 us timers")
    _summary("now", results["KadunNow"], pages)
    if args.compare:
        _summary(f"at {args.compare}", results["KadunThen"], pages)
        differ = [name for name in pages if results["KadunNow"][name][1]["shop"] != results["KadunThen"][name][1]["shop"]]
        print(f"verdicts that differ: {len(differ)}" + (f" ({', '.join(differ)})" if differ else ""))
    for name in scaled:
        print(f"scaled, not a shop: {name}, {len(pages[name][1])} bytes, {results['KadunNow'][name][2]} elements: "
              + ", ".join(f"{'now' if version == 'KadunNow' else 'at ' + args.compare} "
                          f"{results[version][name][0]:.2f} ms" for version in versions))
    wrong = [name for name in pages if results["KadunNow"][name][1]["shop"] != pages[name][2]]
    print(f"verdicts against the pages' labels: {len(pages) - len(wrong)}/{len(pages)} right"
          + (f" (wrong: {', '.join(wrong)})" if wrong else ""))


if __name__ == "__main__":
    main()
