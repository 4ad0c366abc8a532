"""Page → facts. ``extract(html, url)`` parses once and never raises (see contract/page-facts.md).

Placeholder until the scrapers work lands: the contract's empty shape with the registered domain.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from .facts import PageFacts

__all__ = ["extract", "empty_facts", "PageFacts"]


def registered_domain(url: str) -> str:
    import tldextract

    host = urlsplit(url).hostname or ""
    extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    parts = extractor(host)
    return (parts.top_domain_under_public_suffix if hasattr(parts, "top_domain_under_public_suffix")
            else parts.registered_domain) or host


def empty_facts(url: str) -> PageFacts:
    try:
        domain = registered_domain(url)
    except Exception:
        domain = ""
    return PageFacts(url=url, domain=domain)


def extract(html: str, url: str) -> PageFacts:
    return empty_facts(url)
