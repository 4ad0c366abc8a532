"""Page → facts. ``extract(html, url)`` parses once and never raises (see contract/page-facts.md)."""
from __future__ import annotations

import functools
from urllib.parse import urlsplit

from .facts import PageFacts

__all__ = ["extract", "empty_facts", "registered_domain", "PageFacts"]

MAX_HTML = 12 * 1024 * 1024  # characters; larger captures are cut, not refused


@functools.lru_cache(maxsize=1)
def _extractor():
    import tldextract

    # bundled public-suffix snapshot only: no network, no cache directory
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registered_domain(url: str) -> str:
    """``https://shop.example-km.com/x`` → ``example-km.com`` (offline suffix list)."""
    try:
        host = urlsplit(url or "").hostname or ""
    except ValueError:
        return ""
    if not host:
        return ""
    parts = _extractor()(host)
    if hasattr(parts, "top_domain_under_public_suffix"):
        domain = parts.top_domain_under_public_suffix
    else:  # tldextract < 5.3
        domain = parts.registered_domain
    return domain or host


def empty_facts(url: str) -> PageFacts:
    """The contract's empty shape for ``url``: page_kind ``other``, every fact unknown."""
    try:
        domain = registered_domain(url)
    except Exception:
        domain = ""
    return PageFacts(url=url if isinstance(url, str) else "", domain=domain)


def extract(html: str, url: str) -> PageFacts:
    """The facts on one page. Never raises: on any failure the empty shape comes back."""
    facts = empty_facts(url)
    try:
        from .document import Document
        from .sites import pick

        if isinstance(html, bytes):
            html = html.decode("utf-8", errors="replace")
        if not isinstance(html, str) or not html.strip():
            return facts
        doc = Document(html[:MAX_HTML], facts.url)
        if doc.root is None:
            return facts
        return pick(doc).extract(facts)
    except Exception:
        return empty_facts(url)
