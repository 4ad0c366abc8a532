"""The server's door to the scrapers: facts for a page, never an exception."""
from __future__ import annotations

import logging
import re

log = logging.getLogger("kadun.facts")


def facts_version() -> str:
    """The scraper code's version: the facts cache is keyed with it."""
    import scrapers

    return scrapers.VERSION


def extract_facts(html: str, url: str) -> dict:
    """``scrapers.extract(html, url)`` as a contract dict; the empty shape if the scrapers fail."""
    return extract_facts_and_tree(html, url)[0]


def extract_facts_and_tree(html: str, url: str) -> tuple[dict, object]:
    """The facts as a contract dict and the parsed tree they came from (None if there is none):
    risk reads the page's text from the same tree instead of parsing the bytes again."""
    import scrapers

    try:
        facts, tree = scrapers.extract_with_tree(html, url)
        return facts.as_dict(), tree
    except Exception:  # the scrapers promise not to raise; a capture must never fail on parsing
        log.exception("scrapers.extract failed for %s", url)
        return scrapers.empty_facts(url).as_dict(), None


_HTML_SIGN = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|div|p|span|table|form|a|main|section|title|meta|ul|li|h[1-6])\b", re.I)


def looks_like_html(data: bytes) -> bool:
    """A cheap gate against binary or plain-text bodies: no NUL bytes and some HTML tag early on."""
    return bool(data.strip()) and b"\x00" not in data[:1 << 20] and bool(_HTML_SIGN.search(data[:65536]))
