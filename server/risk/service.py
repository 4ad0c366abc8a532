"""Entry points the API and the disputes work call; the only risk module that touches Redis.

- ``after_capture(r, user, capture, facts) -> [Warning]``: fold a new capture into the user's
  platform and seller profiles of the site (and the shared aggregates), then return the checkout
  warnings for it. Never raises: the capture is already stored.
- ``risk_for_url(r, user, url) -> {"platform": Risk, "seller": Risk | None}``: the body of
  GET /v1/risk, read from the precomputed profiles in one or two round trips.
- ``record_dispute(r, domain, seller_id, dispute_id)``: count a dispute for the crowd signal
  (idempotent per dispute id; counts only, never whose).

Privacy: a user's answer is built from that user's own profile views (their captures' evidence)
plus shared aggregates that name no one (the first capture of the domain on this backend, dispute
counts). Another user's captures never appear as evidence.
"""
from __future__ import annotations

import copy
import logging
from functools import lru_cache
from urllib.parse import urlsplit

from .. import clock
from ..storage import blobs
from ..storage import profiles as store
from . import profiles, score, warnings
from .pagetext import page_lines
from .signals import PLATFORM, SELLER, SHOP_SELLER, Observation, read_observation, seller_key

log = logging.getLogger("kadun.risk")


@lru_cache(maxsize=1)
def _extractor():
    import tldextract

    # The suffix list bundled with tldextract: no network, ever.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=4096)
def registered_domain(host: str) -> str:
    """example-km.com for shop.example-km.com (the platform a page belongs to)."""
    host = (host or "").lower().strip(".")
    if not host:
        return ""
    parts = _extractor()(host)
    domain = getattr(parts, "top_domain_under_public_suffix", None) or parts.registered_domain
    return domain or host


def domain_of(url: str) -> str:
    try:
        return registered_domain(urlsplit(url.strip()).hostname or "")
    except ValueError:
        return ""


def _observation(r, user: str, capture, facts: dict) -> Observation:
    html = blobs.get(r, user, capture.sha256)
    return Observation(facts=facts, snapshot_id=capture.id, url=capture.url, seen_at=capture.received_at,
                       lines=page_lines(html))


def after_capture(r, user: str, capture, facts: dict) -> list[dict]:
    """Update the site's profiles with a new capture and return the checkout warnings for it."""
    try:
        facts = facts or {}
        domain = (facts.get("domain") or capture.domain or "").lower()
        if not domain:
            return []
        if not facts.get("domain"):
            facts = {**facts, "domain": domain}
        obs = _observation(r, user, capture, facts)
        readings = read_observation(obs)
        seller = seller_key(facts)
        before: dict = {}

        def change(old_platform, old_seller):
            before["platform"] = copy.deepcopy(old_platform)
            return profiles.apply(old_platform, old_seller, obs, readings, seller)

        platform_state, _ = store.update_views(r, domain, user, seller, capture.url, capture.received_at, change)
        counts = store.disputes(r, domain)
        platform_signals = score.judge_state(platform_state, PLATFORM, now=capture.received_at)
        crowd = {"platform": counts.get("platform", 0), "seller": counts.get(f"seller:{seller}", 0) if seller else 0}
        return warnings.capture_warnings(obs, before.get("platform"), now=capture.received_at, disputes=crowd,
                                         platform_signals=platform_signals)
    except Exception:  # judging must never lose a stored capture
        log.exception("risk: after_capture failed for %s", getattr(capture, "id", "?"))
        return []


def shop_seller(platform_state: dict | None) -> str | None:
    """On a single-shop site, every page's seller is the shop itself."""
    return SHOP_SELLER if platform_state and SHOP_SELLER in (platform_state.get("sellers") or []) else None


def _seller_ids(key: str) -> dict:
    if key == SHOP_SELLER:
        return {"id": None}
    if key.startswith("name:"):
        return {"id": None}
    return {"id": key}


def answer(domain: str | None, platform_state: dict | None, seller: str | None, seller_state: dict | None, *,
           now=None, first_seen: str | None = None, disputes: dict | None = None,
           disputes_at: str | None = None) -> dict:
    """``{"platform": Risk, "seller": Risk | None}`` from profile states (pure; the CLI uses it too)."""
    now = now or clock.now()
    disputes = disputes or {}
    platform_state = platform_state or profiles.new_state()
    platform_signals = score.judge_state(platform_state, PLATFORM, now=now, first_seen=first_seen,
                                         disputes=disputes.get("platform", 0), disputes_at=disputes_at)
    platform = score.risk_object(PLATFORM, platform_signals, warnings.signal_warnings(platform_signals, PLATFORM),
                                 platform_state.get("updated_at"), domain=domain, name=platform_state.get("name"))
    if not seller:
        return {"platform": platform, "seller": None}
    seller_state = seller_state or profiles.new_state()
    seller_signals = score.judge_state(seller_state, SELLER, now=now, disputes=disputes.get(f"seller:{seller}", 0),
                                       disputes_at=disputes_at)
    seller_risk = score.risk_object(
        SELLER, seller_signals, warnings.signal_warnings(seller_signals, SELLER, platform_signals),
        seller_state.get("updated_at"), name=seller_state.get("name"), **_seller_ids(seller))
    return {"platform": platform, "seller": seller_risk}


def risk_for_url(r, user: str, url: str) -> dict:
    """The body of GET /v1/risk for ``url``, as seen by ``user``."""
    domain = domain_of(url)
    if not domain:
        return answer(None, None, None, None)
    data = store.badge_read(r, domain, user, url, shop_seller)
    return answer(domain, data["platform"], data["seller"], data["seller_state"], first_seen=data["first_seen"],
                  disputes=data["disputes"], disputes_at=data["disputes_at"])


def record_dispute(r, domain: str, seller_id: str | None, dispute_id: str) -> None:
    """Count a dispute about ``domain`` (and its seller) once per dispute id, for the crowd signal.
    ``seller_id`` is the seller's id as the facts show it (or ``signals.seller_key(facts)``)."""
    try:
        domain = (domain or "").lower().strip()
        if not domain or not dispute_id:
            return
        store.record_dispute(r, domain, str(seller_id) if seller_id else None, str(dispute_id), clock.now_iso())
    except Exception:  # the dispute itself matters more than its count
        log.exception("risk: record_dispute failed for %s", dispute_id)
