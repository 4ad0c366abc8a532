"""Page → facts. ``extract(html, url)`` parses once and never raises (see contract/page-facts.md).

Design notes:
- Parser: lxml's C tree (``etree.HTMLParser``), chosen by measurement (tests/bench/bench_extract.py).
  selectolax/lexbor parses 2-3x faster, but extraction time is spent in the Python walk, not the
  parse, and libxml2 builds the same tree as the labelling tool (BeautifulSoup over lxml), so every
  quote taken from a line is verbatim in the tool's visible text. ``lxml.html``'s element classes are
  avoided: their Python-level lookup cost more than the parse itself.
- One walk builds the visible lines; label/value pairs, header-row tables and class lookups are
  derived from it once and cached on the :class:`~scrapers.document.Document`.
- Site modules register themselves (``@register``) and override only what their markup does
  differently; the generic rules live on the base class.
- Phrases are rows of a table (scrapers/text/phrases.py), each with a cheap keyword pre-check: the
  hint words of every line are found by plain substring search over the folded, joined lines at once,
  and a line runs only the rules one of whose hints it holds.
- Hot paths scan one joined string instead of calling a regex per item: class/id lookups
  (``Document.with_class``), label lookups (``scrapers.joined``), the platform flags (keyword
  pre-check); XPaths are compiled at import and use ``descendant-or-self::`` (half the cost of ``//``).
- Case: the page is lower-cased once (``Document.low``, same offsets as its text; ``Document.starts``
  gives each line's span of it), and patterns whose letters are all lower case run there without
  ``re.I`` (``regexes.without_case``: the same spans; ``re.I`` folds case at every character tried).
- Patterns that start with optional groups are gated by the characters a match can start with
  (``regexes.gated``, applied to every case-free copy): ``re`` then tests one class per position
  instead of every branch (the same matches; a hinted line's phrase scan about halves).
- Page-wide patterns let ``re`` skip in C: a literal alternation as a trie (``regexes.literal_trie``),
  an alternation whose branches start with character classes written to start with one class.
  Each such fast path has a test against its plain rule (tests/scrapers/test_fast_paths.py).
"""
from __future__ import annotations

import functools
from urllib.parse import urlsplit

from .facts import PageFacts

__all__ = ["extract", "extract_with_tree", "empty_facts", "registered_domain", "PageFacts", "VERSION"]

MAX_HTML = 12 * 1024 * 1024  # characters; larger captures are cut, not refused


def _source_version() -> str:
    """A digest of this package's own source and rules tables: facts that other scraper code or
    other rules parsed are not reused (the backend keys its facts cache with it, so an upgrade
    re-reads pages captured again)."""
    import hashlib
    from pathlib import Path

    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*root.rglob("*.py"), *root.rglob("*.toml")]):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:8]  # (kept in every capture record: short)


VERSION = _source_version()


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
    """The facts on one page. Never raises for any page (a page that cannot be read gives the
    empty shape); only a broken installation (ImportError) is raised."""
    return extract_with_tree(html, url)[0]


# Bidirectional formatting characters (embeddings, overrides, isolates, marks): invisible, they only
# reorder what follows them. A seller's name or item name carrying an unterminated U+202E would
# reverse whatever a letter, report or popup puts after it on the same line ("商品：X‮ 金额：¥98.00"
# shows the amount backwards), so names and values drop them; quotes stay verbatim (their readers
# isolate them).
DIRECTION_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"))


def _plain(value):
    if isinstance(value, str) and any(0x200e <= ord(c) <= 0x2069 or c == "\u061c" for c in value):
        return " ".join(value.translate(DIRECTION_CONTROLS).split()) or None
    return value


def _without_direction_controls(facts: PageFacts) -> PageFacts:
    """``facts`` with the names and values a person reads elsewhere cleared of direction controls."""
    facts.platform.name = _plain(facts.platform.name)
    facts.seller.name = _plain(facts.seller.name)
    facts.product.title = _plain(facts.product.title)
    facts.order.item = _plain(facts.order.item)
    facts.order.order_no = _plain(facts.order.order_no)
    for contact in facts.seller.contacts:
        contact.value = _plain(contact.value) or contact.value
    return facts


def extract_with_tree(html: str, url: str):
    """``(facts, tree)``: the facts as ``extract`` gives them and the libxml2 tree they were read
    from (None when the page could not be parsed), so a caller that reads the page again (the
    backend's risk text) need not parse it a second time. Never raises for any page; only a missing
    library (ImportError: the installation is broken) is raised."""
    facts = empty_facts(url)
    try:
        from .document import Document
        from .sites import pick

        if isinstance(html, bytes):
            html = html.decode("utf-8", errors="replace")
        if not isinstance(html, str) or not html.strip():
            return facts, None
        doc = Document(html[:MAX_HTML], facts.url)
        if doc.root is None:
            return facts, None
        return _without_direction_controls(pick(doc).extract(facts)), doc.root
    except ImportError:
        # A missing library is a broken installation, not a page we could not read: empty facts
        # here would look like a shop page with nothing on it (every badge "unknown", no letter).
        raise
    except Exception:
        return empty_facts(url), None
    finally:
        from .visible import forget

        forget()  # the page is read: this thread keeps nothing of it (the caller holds the tree)
