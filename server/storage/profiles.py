"""Platform and seller profiles in Redis (reads and writes; the judging is in server.risk).

Every key of one site carries the hash tag ``{p:<domain>}``, so a site's shared aggregates and
every user's view of it live in one cluster slot: the badge read is one pipelined round trip
(two when the page's seller must be looked up), and a capture's update is one WATCH/MULTI.

- Per user (``user_platform_view``, ``user_seller_view``, ``user_site_urls``): that user's
  profile states, JSON, with evidence from that user's captures only. Only the owner reads them.
- Shared aggregates (``platform_profile``, ``seller_profile``, ``site_users``, ``site_disputes``,
  ``site_dispute_users``): counts, first/last times and one-way digests of users, never a snapshot
  id, URL, quote or user id. Dispute counts are read per asking user: the distinct *other* users
  who opened disputes about a subject (one's own disputes never count for oneself). Each
  contribution can be taken out again when its user deletes their account (storage/erasure.py):
  the digests are set members, the counts are per-site numbers the site records per user.
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


def user_digest(user: str) -> str:
    """A one-way digest of a user id: counts distinct users without naming them."""
    return hashlib.sha256(f"kadun-user:{user}".encode()).hexdigest()


def seller_subject(seller: str) -> str:
    return f"seller:{seller}"


def _others(pipe, key: str, digest: str) -> int:
    """Members of a dispute-users set other than the asking user."""
    total = int(pipe.scard(key) or 0)
    return total - (1 if total and pipe.sismember(key, digest) else 0)


def update_views(r, domain: str, user: str, seller: str | None, url: str, seen_at: str,
                 change: Callable[..., tuple[dict, dict | None, bytes, bytes | None]],
                 attempts: int = 50, order_no: str | None = None) -> tuple[dict, dict | None]:
    """Read this user's platform (and seller) view of ``domain``; ``change(old_platform, old_seller,
    aggregates)`` returns the new states and their precomputed badge answers, which are written
    with the shared aggregates in one transaction (retried on a race), so a badge answer can never
    be older than the profile it was made from. ``order_no``: the order the page shows (the badge
    of that URL then shows the order's windows)."""
    platform_key = keys.user_platform_view(domain, user)
    seller_key = keys.user_seller_view(domain, user, seller) if seller else None
    watched = [platform_key] + ([seller_key] if seller_key else [])
    for _ in range(attempts):
        with r.pipeline(transaction=True) as pipe:
            try:
                pipe.watch(*watched)
                old_platform = _loads(pipe.get(platform_key))
                old_seller = _loads(pipe.get(seller_key)) if seller_key else None
                first = pipe.hget(keys.platform_profile(domain), "first_seen")
                last = pipe.hget(keys.site_disputes(domain), "last_at")
                digest = user_digest(user)
                counts = {"platform": _others(pipe, keys.site_dispute_users(domain, "platform"), digest)}
                if seller:
                    counts[seller_subject(seller)] = _others(
                        pipe, keys.site_dispute_users(domain, seller_subject(seller)), digest)
                aggregates = {"first_seen": first.decode() if first else seen_at, "disputes": counts,
                              "disputes_at": last.decode() if last else None}
                new_platform, new_seller, platform_badge, seller_badge = change(old_platform, old_seller, aggregates)
                pipe.multi()
                pipe.set(platform_key, _dumps(new_platform))
                pipe.set(keys.user_platform_badge(domain, user), platform_badge)
                if seller_key and new_seller is not None:
                    pipe.set(seller_key, _dumps(new_seller))
                    pipe.set(keys.user_seller_badge(domain, user, seller), seller_badge)
                    # The seller and where its badge is, so the badge read needs one round trip.
                    pipe.hset(keys.user_site_urls(domain, user), page_key(url),
                              f"{seller}\n{keys.user_seller_badge(domain, user, seller)}\n"
                              f"{keys.site_dispute_users(domain, seller_subject(seller))}")
                if order_no:
                    pipe.hset(keys.user_site_orders(domain, user), page_key(url), order_no)
                _aggregate(pipe, domain, user, seller, seen_at)
                pipe.execute()
                return new_platform, new_seller
            except redis.WatchError:
                continue
    raise Conflict("the site's profile is busy; retry")


def read_views(r, domain: str, user: str, seller: str | None) -> tuple[dict | None, dict | None]:
    """This user's platform and seller profile states of a site (the slow path of the badge)."""
    pipe = r.pipeline(transaction=False)
    pipe.get(keys.user_platform_view(domain, user))
    pipe.get(keys.user_seller_view(domain, user, seller) if seller else keys.user_platform_view(domain, user))
    platform, seller_state = pipe.execute()
    return _loads(platform), (_loads(seller_state) if seller else None)


# One round trip for the hot badge read: every key is in the site's slot ({p:<domain>}); the seller
# badge's key and its dispute-users set are read from the url map (written by update_views with keys
# from keys.py). Dispute counts are those of the *other* users (the asking user's digest is ARGV[2]).
_BADGE_SCRIPT = """
local badge = redis.call('GET', KEYS[1])
local mapped = redis.call('HGET', KEYS[2], ARGV[1])
local first = redis.call('HGET', KEYS[3], 'first_seen')
local last = redis.call('HGET', KEYS[4], 'last_at')
local seller_key = KEYS[5]
local seller_set = KEYS[7]
if mapped then
  local parts = {}
  for part in string.gmatch(mapped, '[^\\n]+') do parts[#parts + 1] = part end
  if parts[2] then seller_key = parts[2] end
  seller_set = parts[3] or false
end
local seller_badge = false
if badge then seller_badge = redis.call('GET', seller_key) end
local function others(key)
  if not key then return -1 end
  local total = redis.call('SCARD', key)
  if total > 0 and redis.call('SISMEMBER', key, ARGV[2]) == 1 then total = total - 1 end
  return total
end
local order = redis.call('HGET', KEYS[8], ARGV[1])
return {badge or false, mapped or false, first or false, last or false, seller_badge or false,
        others(KEYS[6]), others(seller_set), order or false}
"""


def _script(r):
    script = getattr(r, "_kadun_badge_script", None)
    if script is None:
        script = r.register_script(_BADGE_SCRIPT)
        try:
            r._kadun_badge_script = script
        except AttributeError:  # a client that refuses attributes: register each time (cached by sha)
            pass
    return script


def badge_fast_read(r, domain: str, user: str, url: str, shop_seller: str) -> dict:
    """One round trip: the precomputed platform badge, the seller the page maps to and its badge
    (else the single-shop seller's), the order the page showed, and the live aggregates the badges
    must still agree with (dispute counts of the other users)."""
    badge, mapped, first, last, seller_badge, platform_others, seller_others, order = _script(r)(
        keys=[keys.user_platform_badge(domain, user), keys.user_site_urls(domain, user),
              keys.platform_profile(domain), keys.site_disputes(domain),
              keys.user_seller_badge(domain, user, shop_seller),
              keys.site_dispute_users(domain, "platform"),
              keys.site_dispute_users(domain, seller_subject(shop_seller)),
              keys.user_site_orders(domain, user)],
        args=[page_key(url), user_digest(user)])
    seller = mapped.decode().split("\n", 1)[0] if mapped else None
    counts = {"platform": int(platform_others)}
    subject = seller or shop_seller
    if int(seller_others) >= 0:
        counts[seller_subject(subject)] = int(seller_others)
    else:  # a url map entry written before the dispute-users sets existed
        counts[seller_subject(subject)] = dispute_others(r, domain, user, subject)
    return {"badge": badge or None, "seller": seller, "seller_badge": seller_badge or None,
            "first_seen": first.decode() if first else None, "disputes": counts,
            "disputes_at": last.decode() if last else None, "order_no": order.decode() if order else None}


def platform_badge_header(r, domain: str, user: str) -> dict | None:
    """The header of the user's kept platform answer of a site (``v``: the profile's version)."""
    raw = r.get(keys.user_platform_badge(domain, user))
    if not raw:
        return None
    try:
        return json.loads(raw.split(b"\n", 1)[0])
    except ValueError:
        return None


def dispute_others(r, domain: str, user: str, subject: str) -> int:
    """Distinct users other than ``user`` who opened disputes about ``subject`` of the site."""
    return _others(r, keys.site_dispute_users(domain, subject), user_digest(user))


def order_of_url(r, domain: str, user: str, url: str) -> str | None:
    """The order number the user's capture of ``url`` showed, if any."""
    raw = r.hget(keys.user_site_orders(domain, user), page_key(url))
    return raw.decode() if raw else None


def _aggregate(pipe, domain: str, user: str, seller: str | None, seen_at: str) -> None:
    platform = keys.platform_profile(domain)
    pipe.hsetnx(platform, "first_seen", seen_at)
    pipe.hincrby(platform, "captures", 1)
    pipe.hset(platform, "updated_at", seen_at)
    # A one-way digest: the count of distinct users, never who they are (a set, not a
    # HyperLogLog, so that a deleted account's digest can be taken out again).
    pipe.sadd(keys.site_users(domain), user_digest(user))
    # What this user added, beside it (same slot, same MULTI), to be taken out on deletion.
    counted = keys.user_site_counted(domain, user)
    pipe.hset(counted, "domain", domain)
    pipe.hincrby(counted, "platform", 1)
    if seller:
        profile = keys.seller_profile(domain, seller)
        pipe.hsetnx(profile, "first_seen", seen_at)
        pipe.hincrby(profile, "captures", 1)
        pipe.hincrby(counted, f"seller:{seller}", 1)


def first_seen(r, domain: str) -> str | None:
    raw = r.hget(keys.platform_profile(domain), "first_seen")
    return raw.decode() if raw else None


def disputes(r, domain: str, user: str, seller: str | None = None) -> dict[str, int]:
    """Dispute counts of a site as ``user`` sees them: ``platform`` and ``seller:<key>`` → the
    distinct other users who opened disputes about it."""
    out = {"platform": dispute_others(r, domain, user, "platform")}
    if seller:
        out[seller_subject(seller)] = dispute_others(r, domain, user, seller_subject(seller))
    return out


def users_count(r, domain: str) -> int:
    """Distinct users who captured the site (the legacy HyperLogLog's count if it is larger)."""
    pipe = r.pipeline(transaction=False)
    pipe.scard(keys.site_users(domain))
    pipe.pfcount(keys.site_users_legacy(domain))
    now, legacy = pipe.execute()
    return max(int(now or 0), int(legacy or 0))


def record_dispute(r, domain: str, seller: str | None, dispute_id: str, at: str, user: str) -> bool:
    """Count one dispute about a site (and its seller) once, and its user once per subject; False
    when already counted. The counted disputes map each id to the seller it was counted for, so
    that the counts can be lowered again when its user deletes their account (storage/erasure.py)."""
    members = keys.site_dispute_members(domain)
    try:
        added = r.hsetnx(members, dispute_id, seller or "")
    except redis.ResponseError:  # counted before sellers were kept (a set of ids)
        added = r.sadd(members, dispute_id)
    if not added:
        return False
    digest = user_digest(user)
    pipe = r.pipeline(transaction=True)
    pipe.hincrby(keys.site_disputes(domain), "platform", 1)
    pipe.sadd(keys.site_dispute_users(domain, "platform"), digest)
    if seller:
        pipe.hincrby(keys.site_disputes(domain), seller_subject(seller), 1)
        pipe.sadd(keys.site_dispute_users(domain, seller_subject(seller)), digest)
    pipe.hset(keys.site_disputes(domain), "last_at", at)
    pipe.execute()
    return True
