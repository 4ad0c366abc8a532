"""One way in for every capture: parse (or reuse cached facts), store and chain, judge.

``POST /v1/snapshots`` (the extension) and ``POST /v1/fetches`` (a link the backend fetched
itself) both call :func:`ingest`, so a server capture gets exactly the facts, receipt, chain
link, profile update and warnings an extension capture gets; only its ``source`` differs.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from .. import caches, clock, quotas
from ..evidence.hashing import sha256_hex
from ..facts import extract_facts_and_tree, facts_version, typed
from ..risk import service as risk_service
from ..storage import blobs, captures
from .fetch import Fetcher

log = logging.getLogger("kadun.capture")

# Facts parsed before for the same bytes at the same URL (kept in Redis with the captures).
FACTS_REUSE = caches.Tally()
caches.register("facts", "repeat captures whose facts were parsed before (stored with the captures)",
                limit=None, entries=None, totals=FACTS_REUSE.totals)


@dataclass
class Ingested:
    capture: captures.Capture
    facts: dict | None  # the facts as stored (the contract's JSON form)
    created: bool
    stored_bytes: int = 0


def ingest(r, signer, user: str, *, client_id: str, url: str, html: bytes, title: str | None,
           screenshot: bytes | None, captured_at: str | None, clock_offset_seconds_of: Callable[[str], float | None],
           trigger: str, extension_version: str | None, source: str | None = None,
           fetch: dict | None = None, config=None) -> Ingested:
    """Store one capture exactly once (idempotent on ``client_id``) and judge it.

    With the app's ``config``, the user's quotas apply to what is new (a retry of a stored
    capture spends nothing): a refusal raises before anything is stored."""
    existing = captures.find_by_client_id(r, user, client_id)
    if existing:
        existing = captures.settled(r, user, existing)
        return Ingested(existing, captures.get_facts(r, user, existing), False)
    ticket, bytes_limit, new_bytes = None, None, 0
    if config is not None:
        new_bytes = blobs.missing_bytes(r, user, [(sha256_hex(html), len(html)),
                                                  (sha256_hex(screenshot) if screenshot else "", len(screenshot or b""))])
        ticket = quotas.before_capture(r, user, config, new_bytes)
        # Checked again where the bytes are written, in the same step (parallel uploads).
        bytes_limit = quotas.bytes_limit(r, user, config)
    version = facts_version()
    try:
        cached, tree = captures.cached_facts(r, user, html, url, version), None
        if cached:
            FACTS_REUSE.hit()
            facts = typed(cached, url=url)
        else:
            FACTS_REUSE.miss()
            # The tree goes on to risk, which reads the page's text from it without a second parse.
            facts, tree = extract_facts_and_tree(html.decode("utf-8", errors="replace"), url)
        stored_facts = cached or facts.as_dict()
        capture, created = captures.store(
            r, user, client_id=client_id, html=html, screenshot=screenshot, url=url, title=title,
            captured_at=captured_at, clock_offset_seconds_of=clock_offset_seconds_of, trigger=trigger,
            extension_version=extension_version, facts=stored_facts, now=clock.now_iso,
            sign=lambda payload: signer.sign(payload).as_dict(), facts_version=version, source=source, fetch=fetch,
            bytes_limit=bytes_limit)
    except blobs.OverQuota:
        if ticket is not None:
            ticket.give_back()
        raise quotas.bytes_refused(r, user, config, new_bytes) from None
    except BaseException:
        if ticket is not None:
            ticket.give_back()
        raise
    if not created:
        if ticket is not None:
            ticket.give_back()  # a concurrent upload of the same client_id stored it
        return Ingested(captures.settled(r, user, capture), stored_facts, False)
    # The capture is stored and chained; judging it must never lose it nor fail the upload.
    try:
        warnings = risk_service.after_capture(r, user, capture, facts, html, tree=tree) or []
    except Exception:
        log.exception("risk.after_capture failed for %s", capture.id)
        warnings = []
    captures.set_warnings(r, user, capture, warnings)
    return Ingested(capture, stored_facts, True, capture.html_size + (capture.screenshot_size or 0))


def fetcher_of(app) -> Fetcher:
    """The app's share-a-link fetcher: a test may put its own in ``extra["fetcher"]`` (one that
    admits its loopback servers); otherwise the production fetcher, which no configuration value
    or environment variable can open to loopback or private addresses."""
    extra = app.extensions["kadun"].extra
    fetcher = extra.get("fetcher")
    if fetcher is None:
        fetcher = extra["fetcher"] = Fetcher()
    return fetcher
