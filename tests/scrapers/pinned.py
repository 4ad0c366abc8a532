"""Facts pinned byte for byte: what the engine gave on every labelled page before the speed work
(issue 12's speed bar), so a change made for speed can never move a fact silently.

    .venv/bin/python -m tests.scrapers.pinned --write   # only to pin a deliberate change of output

Each labelled page (the fixture corpus and our own pages) is read three ways: as it is, cut to its
first half (a page truncated mid-tag reaches other branches), and at its site's root URL (page kind
and fingerprints decided without the route). The expected text is ``json.dumps`` of the facts in
the contract's field order, compared as a string: a changed float, list order or quote fails.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from .helpers import FIXTURES, OWN_PAGES, ROOT, labelled_pages

PINNED = Path(__file__).with_name("pinned_facts.json")


def cases() -> list[tuple[str, str, str]]:
    """(case id, html, url) for every labelled page and its two variants."""
    out = []
    for folder, prefix in ((FIXTURES, "fixtures"), (OWN_PAGES, "own")):
        for name, path, url, _ in labelled_pages(folder):
            html = path.read_text(encoding="utf-8")
            parts = urlsplit(url)
            out.append((f"{prefix}/{name}", html, url))
            out.append((f"{prefix}/{name}#half", html[: len(html) // 2], url))
            out.append((f"{prefix}/{name}#root-url", html, f"{parts.scheme}://{parts.netloc}/"))
    return out


def facts_json(html: str, url: str) -> str:
    """The facts of one page as the pinned text (field order kept, non-ASCII as is)."""
    import scrapers

    return json.dumps(scrapers.extract(html, url).as_dict(), ensure_ascii=False)


def load() -> dict[str, str]:
    """Case id → pinned facts text."""
    data = json.loads(PINNED.read_text(encoding="utf-8"))
    return {key: json.dumps(value, ensure_ascii=False) for key, value in data["cases"].items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help=f"write {PINNED.name} from the engine as it is now")
    args = parser.parse_args()
    if not args.write:
        parser.error("nothing to do without --write")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "scrapers"], cwd=ROOT, capture_output=True, text=True).stdout
    lines = [f'{{"generated_from": {json.dumps(commit + (" (scrapers/ modified)" if dirty else ""))},', ' "cases": {']
    items = cases()
    for i, (key, html, url) in enumerate(items):
        comma = "," if i + 1 < len(items) else ""
        lines.append(f"  {json.dumps(key, ensure_ascii=False)}: {facts_json(html, url)}{comma}")
    lines.append(" }}")
    PINNED.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(items)} cases written to {PINNED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
