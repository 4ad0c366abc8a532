"""Entry points the API and the disputes work call; the only risk module that touches Redis.

- ``after_capture(r, user, capture, facts, html=None) -> [Warning]``: fold a new capture into the user's
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
import json
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


@lru_cache(maxsize=4096)
def registered_domain(host: str) -> str:
    """example-km.com for shop.example-km.com (the platform a page belongs to), by the same rule
    the scrapers use for ``facts.domain`` so profiles and captures always meet."""
    import scrapers

    host = (host or "").lower()
    bare = host.strip(".")
    if not bare:  # a name of dots only is still the page's host
        return host
    netloc = f"[{bare}]" if ":" in bare else bare  # an IPv6 literal keeps its brackets in a URL
    return scrapers.registered_domain(f"http://{netloc}/") or bare


def domain_of(url: str) -> str:
    try:
        return registered_domain(urlsplit(url.strip()).hostname or "")
    except ValueError:
        return ""


def _observation(r, user: str, capture, facts: dict, html: bytes | str | None = None, tree=None) -> Observation:
    if html is None:
        html = blobs.get(r, user, capture.sha256)
    return Observation(facts=facts, snapshot_id=capture.id, url=capture.url, seen_at=capture.received_at,
                       lines=page_lines(html, tree=tree))


def after_capture(r, user: str, capture, facts: dict, html: bytes | str | None = None, *, tree=None) -> list[dict]:
    """Update the site's profiles with a new capture and return the checkout warnings for it.
    ``html``: the page's bytes when the caller has them (else they are read back from storage);
    ``tree``: the scrapers' parse of those bytes, when the caller has it (saves a second parse)."""
    try:
        facts = facts or {}
        domain = (facts.get("domain") or capture.domain or "").lower()
        if not domain:
            return []
        if not facts.get("domain"):
            facts = {**facts, "domain": domain}
        obs = _observation(r, user, capture, facts, html, tree)
        readings = read_observation(obs)
        seller = seller_key(facts)
        before: dict = {}

        def change(old_platform, old_seller, aggregates):
            before["platform"] = copy.deepcopy(old_platform)
            platform_state, seller_state = profiles.apply(old_platform, old_seller, obs, readings, seller)
            return (platform_state, seller_state,
                    *render_badges(domain, platform_state, seller, seller_state, aggregates, capture.received_at))

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
        seller_state.get("updated_at"),
        name=seller_state.get("name") or (platform_state.get("name") if seller == SHOP_SELLER else None),
        **_seller_ids(seller))
    return {"platform": platform, "seller": seller_risk}


def _dump(body) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _platform_fp(since: str | None, first_seen: str | None, disputes: dict, disputes_at: str | None, now) -> list:
    """What a precomputed platform answer depends on besides the user's own profile."""
    count = disputes.get("platform", 0)
    return [first_seen, count, disputes_at if count else None, score.age_years(now, since, first_seen)]


def _seller_fp(seller: str, disputes: dict, disputes_at: str | None, platform_version: int) -> list:
    count = disputes.get(f"seller:{seller}", 0)
    return [count, disputes_at if count else None, platform_version]


def render_badges(domain: str, platform_state: dict, seller: str | None, seller_state: dict | None,
                  aggregates: dict, at: str) -> tuple[bytes, bytes | None]:
    """The answers GET /v1/risk will serve, made when the capture lands: each is a small header
    (what the answer depends on outside the profile) and the Risk JSON, one line each."""
    now = clock.parse_iso(at)
    first_seen, disputes, disputes_at = aggregates["first_seen"], aggregates["disputes"], aggregates.get("disputes_at")
    body = answer(domain, platform_state, seller, seller_state, now=now, first_seen=first_seen,
                  disputes=disputes, disputes_at=disputes_at)
    since = score.copyright_since(platform_state)
    version = int(platform_state.get("captures") or 0)
    header = {"fp": _platform_fp(since, first_seen, disputes, disputes_at, now), "since": since,
              "shop": shop_seller(platform_state) is not None, "v": version}
    platform_badge = _dump(header) + b"\n" + _dump(body["platform"])
    if not seller:
        return platform_badge, None
    seller_header = {"fp": _seller_fp(seller, disputes, disputes_at, version)}
    return platform_badge, _dump(seller_header) + b"\n" + _dump(body["seller"])


def badge_body(r, user: str, url: str, *, now=None) -> bytes:
    """The JSON body of GET /v1/risk. Fast path: the answers precomputed when the user's last
    capture of the site landed, served as they are when the live aggregates (dispute counts, first
    capture here, the platform's age) still match what they were made from; else computed now
    from the user's profile states (never a stale answer either way)."""
    domain = domain_of(url)
    if not domain:
        return _dump(answer(None, None, None, None))
    now = clock.parse_iso(now) if isinstance(now, str) else (now or clock.now())
    live = store.badge_fast_read(r, domain, user, url, SHOP_SELLER)
    blob = live["badge"]
    if blob is None:  # this user has captured nothing here: aggregates only
        return _dump(answer(domain, None, None, None, now=now, first_seen=live["first_seen"],
                            disputes=live["disputes"], disputes_at=live["disputes_at"]))
    header_raw, platform_json = blob.split(b"\n", 1)
    header = json.loads(header_raw)
    seller = live["seller"] or (SHOP_SELLER if header.get("shop") else None)
    fresh = header.get("fp") == _platform_fp(header.get("since"), live["first_seen"], live["disputes"],
                                             live["disputes_at"], now)
    seller_json = b"null"
    if fresh and seller:
        seller_blob = live["seller_badge"]
        if seller_blob is None:
            fresh = False
        else:
            seller_header_raw, seller_json = seller_blob.split(b"\n", 1)
            fresh = json.loads(seller_header_raw).get("fp") == _seller_fp(
                seller, live["disputes"], live["disputes_at"], header.get("v"))
    if fresh:
        return b'{"platform":' + platform_json + b',"seller":' + seller_json + b"}"
    platform_state, seller_state = store.read_views(r, domain, user, seller)
    return _dump(answer(domain, platform_state, seller, seller_state, now=now, first_seen=live["first_seen"],
                        disputes=live["disputes"], disputes_at=live["disputes_at"]))


def risk_for_url(r, user: str, url: str, *, now=None) -> dict:
    """The body of GET /v1/risk for ``url``, as seen by ``user`` (``now``: the server clock, or a
    given time for reproducible answers; it only moves the platform's age)."""
    return json.loads(badge_body(r, user, url, now=now))


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
