"""One way in for every capture: parse (or reuse cached facts), store and chain, judge.

``POST /v1/snapshots`` (the extension) and ``POST /v1/fetches`` (a link the backend fetched
itself) both call :func:`ingest`, so a server capture gets exactly the facts, receipt, chain
link, profile update and warnings an extension capture gets; only its ``source`` differs.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from .. import clock
from ..facts import extract_facts_and_tree, facts_version
from ..risk import service as risk_service
from ..storage import captures
from .fetch import Fetcher

log = logging.getLogger("kadun.capture")


@dataclass
class Ingested:
    capture: captures.Capture
    facts: dict | None
    created: bool
    stored_bytes: int = 0


def ingest(r, signer, user: str, *, client_id: str, url: str, html: bytes, title: str | None,
           screenshot: bytes | None, captured_at: str | None, clock_offset_seconds_of: Callable[[str], float | None],
           trigger: str, extension_version: str | None, source: str | None = None,
           fetch: dict | None = None) -> Ingested:
    """Store one capture exactly once (idempotent on ``client_id``) and judge it."""
    existing = captures.find_by_client_id(r, user, client_id)
    if existing:
        existing = captures.settled(r, user, existing)
        return Ingested(existing, captures.get_facts(r, user, existing), False)
    version = facts_version()
    facts, tree = captures.cached_facts(r, user, html, url, version), None
    if not facts:
        # The tree goes on to risk, which reads the page's text from it without a second parse.
        facts, tree = extract_facts_and_tree(html.decode("utf-8", errors="replace"), url)
    capture, created = captures.store(
        r, user, client_id=client_id, html=html, screenshot=screenshot, url=url, title=title,
        captured_at=captured_at, clock_offset_seconds_of=clock_offset_seconds_of, trigger=trigger,
        extension_version=extension_version, facts=facts, now=clock.now_iso,
        sign=lambda payload: signer.sign(payload).as_dict(), facts_version=version, source=source, fetch=fetch)
    if not created:
        return Ingested(captures.settled(r, user, capture), facts, False)
    # The capture is stored and chained; judging it must never lose it nor fail the upload.
    try:
        warnings = risk_service.after_capture(r, user, capture, facts, html, tree=tree) or []
    except Exception:
        log.exception("risk.after_capture failed for %s", capture.id)
        warnings = []
    captures.set_warnings(r, user, capture, warnings)
    return Ingested(capture, facts, True, capture.html_size + (capture.screenshot_size or 0))


def fetcher_of(app) -> Fetcher:
    """The app's share-a-link fetcher: a test may put its own in ``extra["fetcher"]`` (one that
    admits its loopback servers); otherwise the production fetcher, which no configuration value
    or environment variable can open to loopback or private addresses."""
    extra = app.extensions["kadun"].extra
    fetcher = extra.get("fetcher")
    if fetcher is None:
        fetcher = extra["fetcher"] = Fetcher()
    return fetcher
