"""Platform and seller profiles in Redis (reads and writes; the judging is in server.risk).

Every key of one site carries the hash tag ``{p:<domain>}``, so a site's shared aggregates and
every user's view of it live in one cluster slot: the badge read is one pipelined round trip
(two when the page's seller must be looked up), and a capture's update is one WATCH/MULTI.

- Per user (``user_platform_view``, ``user_seller_view``, ``user_site_urls``): that user's
  profile states, JSON, with evidence from that user's captures only. Only the owner reads them.
- Shared aggregates (``platform_profile``, ``seller_profile``, ``site_users``, ``site_disputes``):
  counts and first/last times, never a snapshot id, URL, quote or user id.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

import redis

from ..errors import Conflict
from . import keys


def page_key(url: str) -> str:
    """A page URL as the url→seller map stores it: scheme and host lower-cased, no fragment."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()[:2000]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))[:2000]


def _loads(raw) -> dict | None:
    return json.loads(raw) if raw else None


def _dumps(state: dict) -> str:
    return json.dumps(state, ensure_ascii=False, separators=(",", ":"))


def update_views(r, domain: str, user: str, seller: str | None, url: str, seen_at: str,
                 change: Callable[[dict | None, dict | None], tuple[dict, dict | None]],
                 attempts: int = 50) -> tuple[dict, dict | None]:
    """Read this user's platform (and seller) view of ``domain``, let ``change`` return the new
    states, and write them with the shared aggregates in one transaction (retried on a race)."""
    platform_key = keys.user_platform_view(domain, user)
    seller_key = keys.user_seller_view(domain, user, seller) if seller else None
    watched = [platform_key] + ([seller_key] if seller_key else [])
    for _ in range(attempts):
        with r.pipeline(transaction=True) as pipe:
            try:
                pipe.watch(*watched)
                old_platform = _loads(pipe.get(platform_key))
                old_seller = _loads(pipe.get(seller_key)) if seller_key else None
                new_platform, new_seller = change(old_platform, old_seller)
                pipe.multi()
                pipe.set(platform_key, _dumps(new_platform))
                if seller_key and new_seller is not None:
                    pipe.set(seller_key, _dumps(new_seller))
                    pipe.hset(keys.user_site_urls(domain, user), page_key(url), seller)
                _aggregate(pipe, domain, user, seller, seen_at)
                pipe.execute()
                return new_platform, new_seller
            except redis.WatchError:
                continue
    raise Conflict("the site's profile is busy; retry")


def _aggregate(pipe, domain: str, user: str, seller: str | None, seen_at: str) -> None:
    platform = keys.platform_profile(domain)
    pipe.hsetnx(platform, "first_seen", seen_at)
    pipe.hincrby(platform, "captures", 1)
    pipe.hset(platform, "updated_at", seen_at)
    # A one-way digest: the count of distinct users, never who they are.
    pipe.pfadd(keys.site_users(domain), hashlib.sha256(f"kadun-user:{user}".encode()).hexdigest())
    if seller:
        profile = keys.seller_profile(domain, seller)
        pipe.hsetnx(profile, "first_seen", seen_at)
        pipe.hincrby(profile, "captures", 1)


def first_seen(r, domain: str) -> str | None:
    raw = r.hget(keys.platform_profile(domain), "first_seen")
    return raw.decode() if raw else None


def disputes(r, domain: str) -> dict[str, int]:
    """Dispute counts of a site: ``platform`` and ``seller:<key>`` → count."""
    return _counts(r.hgetall(keys.site_disputes(domain)))


def _counts(raw: dict) -> dict[str, int]:
    out = {}
    for field, value in (raw or {}).items():
        name = field.decode() if isinstance(field, bytes) else field
        if name == "last_at":
            continue
        out[name] = int(value)
    return out


def badge_read(r, domain: str, user: str, url: str, fallback_seller: Callable[[dict | None], str | None]) -> dict:
    """Everything GET /v1/risk needs, in one round trip (two when a seller view is needed):
    the user's platform view, the seller the page maps to and its view, and the aggregates."""
    pipe = r.pipeline(transaction=False)
    pipe.get(keys.user_platform_view(domain, user))
    pipe.hget(keys.user_site_urls(domain, user), page_key(url))
    pipe.hgetall(keys.platform_profile(domain))
    pipe.hgetall(keys.site_disputes(domain))
    raw_platform, raw_seller, aggregate, dispute_raw = pipe.execute()
    platform = _loads(raw_platform)
    seller = raw_seller.decode() if raw_seller else fallback_seller(platform)
    seller_state = _loads(r.get(keys.user_seller_view(domain, user, seller))) if seller else None
    aggregate = {k.decode(): v.decode() for k, v in (aggregate or {}).items()}
    last_dispute = (dispute_raw or {}).get(b"last_at")
    return {"platform": platform, "seller": seller, "seller_state": seller_state,
            "first_seen": aggregate.get("first_seen"), "captures": int(aggregate.get("captures") or 0),
            "disputes": _counts(dispute_raw), "disputes_at": last_dispute.decode() if last_dispute else None}


def users_count(r, domain: str) -> int:
    return int(r.pfcount(keys.site_users(domain)))


def record_dispute(r, domain: str, seller: str | None, dispute_id: str, at: str) -> bool:
    """Count one dispute about a site (and its seller) once; False when already counted."""
    if not r.sadd(keys.site_dispute_members(domain), dispute_id):
        return False
    pipe = r.pipeline(transaction=True)
    pipe.hincrby(keys.site_disputes(domain), "platform", 1)
    if seller:
        pipe.hincrby(keys.site_disputes(domain), f"seller:{seller}", 1)
    pipe.hset(keys.site_disputes(domain), "last_at", at)
    pipe.execute()
    return True
