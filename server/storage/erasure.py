"""Deleting a user: every key of theirs, and their part of what is shared (reads and writes only).

What a user leaves in Redis, and how each is found:

1. Their own keys (``kadun:{u:<user>}:…``): one hash tag, so one cluster slot. On Redis Cluster the
   node that owns the slot lists them (``CLUSTER GETKEYSINSLOT``); on one server a ``SCAN`` with
   the user's prefix does. Everything a user stores is here: captures, blobs, chain, disputes,
   attachments, stamps, quota counters, the token list.
2. Service-wide keys that point at them: token records (found from their token list), pairing
   codes not yet used (``kadun:pair:*``, whose value is the user), the users set, the default-user
   pointer (local mode), the stamping queue, the calendar feed's secret, the OCR queue's jobs of
   uploads not read yet, and a hosted account's pointers (its username, passkeys,
   web sessions, pending passkey ceremonies and extension sign-in codes: ``accounts.erase_account``).
3. Their views of sites (``kadun:{p:<domain>}:u:<user>:…``): deleted, found by a scan of the site
   keys (every site slot).
4. Their contribution to the shared aggregates, taken out so that nothing shows who contributed:
   their one-way digest leaves every set of digests, their dispute ids leave the counted-disputes
   lists and the dispute counts go down with them, the capture counts of the sites and sellers
   they captured go down by their captures (a profile no one else contributed to is removed).

Writers that race a deletion (a request that was authorised just before it) are handled by the
callers: the API refuses writes for a user no longer in the users set and, after a write, erases
again if the user vanished meanwhile (``purge_if_gone``). The deletion is logged as a count of keys
with a random id: no user id and no digest of one (``deletions_log``).
"""
from __future__ import annotations

import json
import logging
import secrets
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .. import clock
from . import accounts, captures, keys, reminders
from .profiles import user_digest

log = logging.getLogger("kadun.audit")
BATCH = 500
DELETIONS_KEPT = 10_000

# Bumped in this process by every erasure, so this worker's token cache forgets at once
# (other workers see keys.auth_epoch move).
LOCAL_ERASURES = [0]

_DEL_IF_VALUE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


@dataclass
class Erasure:
    """What one deletion removed, in counts only (it names no one)."""

    deletion_id: str
    at: str
    user_keys: int = 0
    site_keys: int = 0
    service_keys: int = 0
    aggregates: int = 0
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"deletion_id": self.deletion_id, "at": self.at, "user_keys": self.user_keys,
                "site_keys": self.site_keys, "service_keys": self.service_keys, "aggregates": self.aggregates,
                **self.extra}


def is_cluster(r) -> bool:
    return r.__class__.__name__ == "RedisCluster"


def user_exists(r, user: str) -> bool:
    """A user the service knows (created by pairing or an account, not deleted)."""
    return bool(r.sismember(keys.users(), user))


# --- finding keys -------------------------------------------------------------------------------
def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def user_keys(r, user: str) -> list[bytes]:
    """Every key of the user's hash tag (their slot on Redis Cluster, a prefix scan otherwise)."""
    prefix = keys.user_prefix(user).encode()
    if is_cluster(r):
        slot = r.keyslot(prefix + b"x")
        node = r.nodes_manager.get_node_from_slot(slot)
        found, seen = [], set()
        total = int(r.execute_command("CLUSTER COUNTKEYSINSLOT", slot, target_nodes=node))
        # GETKEYSINSLOT returns the first N keys of the slot: ask for all of them at once (a slot
        # holds the keys of a few users), then keep only this user's.
        for key in r.execute_command("CLUSTER GETKEYSINSLOT", slot, max(total, 1), target_nodes=node) or []:
            key = key if isinstance(key, bytes) else str(key).encode()
            if key.startswith(prefix) and key not in seen:
                seen.add(key)
                found.append(key)
        return found
    return [k if isinstance(k, bytes) else str(k).encode()
            for k in r.scan_iter(match=keys.user_pattern(user).encode(), count=1000)]


def scan_all(r, pattern: str) -> Iterator[bytes]:
    """Every key matching ``pattern`` on every primary (the whole keyspace)."""
    for key in r.scan_iter(match=pattern.encode(), count=1000):
        yield key if isinstance(key, bytes) else str(key).encode()


def _batches(items: Iterable, size: int = BATCH) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _delete(r, names: list) -> int:
    """Delete keys (in any slots) in batches; how many existed."""
    removed = 0
    for batch in _batches(names):
        pipe = r.pipeline(transaction=False)
        for name in batch:
            pipe.delete(name)
        removed += sum(int(n or 0) for n in pipe.execute())
    return removed


# --- what the user contributed ------------------------------------------------------------------
@dataclass
class Contributions:
    captures_by_domain: Counter = field(default_factory=Counter)
    captures_by_seller: Counter = field(default_factory=Counter)   # (domain, seller) → captures
    disputes: dict = field(default_factory=dict)                   # dispute id → {domains}


def contributions(r, user: str) -> Contributions:
    """Read from the user's own records what they added to the shared aggregates."""
    out = Contributions()
    domains_of: dict[str, str] = {}
    for sid, data in captures.user_records(r, user, BATCH):
        domain = (data.get("domain") or "").lower()
        if not domain:
            continue
        domains_of[sid] = domain
        out.captures_by_domain[domain] += 1
        if data.get("seller_id"):
            out.captures_by_seller[(domain, str(data["seller_id"]))] += 1
    for dispute_id in [_text(m) for m in r.zrange(keys.disputes_all(user), 0, -1)]:
        raw = r.get(keys.dispute(user, dispute_id))
        record = json.loads(raw) if raw else {}
        domains = {(record.get("domain") or "").lower()} | {domains_of.get(s, "") for s in record.get("snapshot_ids") or []}
        out.disputes[dispute_id] = {d for d in domains if d}
    return out


def _counted(r, user: str, domains: set[str]) -> dict[str, dict[str, int]]:
    """What the user's captures added to each site's counts, as the site keeps it beside the
    aggregate (``user_site_counted``): domain → {"platform": n, "seller:<s>": n}."""
    out: dict[str, dict[str, int]] = {}
    for domain in domains:
        raw = r.hgetall(keys.user_site_counted(domain, user)) or {}
        fields = {_text(k): _text(v) for k, v in raw.items()}
        if fields:
            out[domain] = {k: int(v) for k, v in fields.items() if k != "domain"}
    return out


def _lower(r, profile: str, n: int) -> None:
    if r.hincrby(profile, "captures", -n) <= 0:
        r.delete(profile)  # nobody else's capture made it: its first/last times were the user's


def _lower_counts(r, user: str, found: Contributions) -> int:
    """Take the user's captures and disputes out of the sites' counts; how many fields changed.
    Each site says what the user added to it; sites counted before that was kept fall back on the
    user's capture records."""
    changed = 0
    counted = _counted(r, user, set(found.captures_by_domain))
    for domain, n in found.captures_by_domain.items():
        if domain in counted:
            continue
        _lower(r, keys.platform_profile(domain), n)
        changed += 1
        for (seller_domain, seller), m in found.captures_by_seller.items():
            if seller_domain == domain:
                _lower(r, keys.seller_profile(domain, seller), m)
                changed += 1
    for domain, fields in counted.items():
        for field_name, n in fields.items():
            if field_name == "platform":
                _lower(r, keys.platform_profile(domain), n)
            elif field_name.startswith("seller:"):
                _lower(r, keys.seller_profile(domain, field_name[len("seller:"):]), n)
            changed += 1
    for dispute_id, domains in found.disputes.items():
        for domain in domains:
            changed += _uncount_dispute(r, domain, dispute_id)
    return changed


def _uncount_dispute(r, domain: str, dispute_id: str) -> int:
    """Remove one dispute from a site's counted disputes and its counts (the members key maps each
    counted dispute to the seller it was counted for)."""
    members = keys.site_dispute_members(domain)
    kind = _text(r.type(members))
    seller = None
    if kind == "hash":
        raw = r.hget(members, dispute_id)
        if raw is None:
            return 0
        seller = _text(raw) or None
        r.hdel(members, dispute_id)
    elif kind == "set":  # counted before sellers were kept with it: the platform count only
        if not r.srem(members, dispute_id):
            return 0
    else:
        return 0
    counts = keys.site_disputes(domain)
    left = r.hincrby(counts, "platform", -1)
    if seller:
        if r.hincrby(counts, f"seller:{seller}", -1) <= 0:
            r.hdel(counts, f"seller:{seller}")
    if left <= 0:
        r.delete(counts)  # its last_at was this dispute's time
    return 1


def _sweep_sites(r, user: str, dispute_ids: set[str]) -> tuple[int, int]:
    """Delete the user's views of every site and take their digest (and dispute ids) out of every
    shared set: (keys deleted, sets changed)."""
    own = _view_marker(user)
    digest = user_digest(user)
    deleted = changed = 0
    for batch in _batches(scan_all(r, keys.site_pattern())):
        views = [k for k in batch if own in k]
        deleted += _delete(r, views)
        rest = [k for k in batch if own not in k]
        pipe = r.pipeline(transaction=False)
        for name in rest:
            pipe.type(name)
        sets = [name for name, kind in zip(rest, pipe.execute(), strict=True) if _text(kind) == "set"]
        if sets:
            pipe = r.pipeline(transaction=False)
            for name in sets:
                pipe.srem(name, digest, *dispute_ids) if dispute_ids else pipe.srem(name, digest)
            changed += sum(1 for n in pipe.execute() if n)
    return deleted, changed


def _view_marker(user: str) -> bytes:
    """The segment every per-user site key has (``…}:u:<user>:…``), as keys.py builds it."""
    sample = keys.user_platform_view("x", user)
    return sample[sample.index("}:u:") + 1:sample.rindex(":platform") + 1].encode()


# --- service-wide pointers ----------------------------------------------------------------------
def _service_keys(r, user: str, codes: bool = True) -> int:
    """Token records, unused pairing codes (``codes``), the default-user pointer, the stamping
    queue entry, the calendar feed's secret and the OCR queue's jobs: the service-wide keys that
    name the user."""
    removed = 0
    digests = [_text(m) for m in r.smembers(keys.user_tokens(user)) or []]
    removed += _delete(r, [keys.token(d) for d in digests])
    if codes:
        for key in scan_all(r, keys.pairing_code_pattern()):
            removed += int(r.eval(_DEL_IF_VALUE, 1, key, user) or 0)
    removed += int(r.eval(_DEL_IF_VALUE, 1, keys.default_user(), user) or 0)
    removed += int(r.zrem(keys.stamp_due(), user) or 0)
    # The calendar feed's secret → user mapping, and uploads still waiting for OCR.
    feed = reminders.calendar_info(r, user)
    if feed and feed.get("digest"):
        removed += int(r.eval(_DEL_IF_VALUE, 1, keys.calendar_secret(str(feed["digest"])), user) or 0)
    jobs = [member for member, _score in r.zscan_iter(keys.ocr_queue(), match=keys.ocr_jobs_of_pattern(user))]
    if jobs:
        removed += int(r.zrem(keys.ocr_queue(), *jobs) or 0)
    return removed


# --- the deletion -------------------------------------------------------------------------------
def erase_user(r, user: str, *, audit: bool = True) -> Erasure:
    """Remove every trace of ``user`` (see the module's docstring); idempotent. Returns counts."""
    report = Erasure(deletion_id="del_" + secrets.token_hex(8), at=clock.now_iso())
    # First the user stops existing: writes are refused from here on, cached tokens forgotten.
    r.srem(keys.users(), user)
    r.incr(keys.auth_epoch())
    LOCAL_ERASURES[0] += 1
    report.service_keys += _service_keys(r, user)
    found = contributions(r, user)
    dispute_ids = set(found.disputes)
    report.aggregates += _lower_counts(r, user, found)
    site_deleted, sets_changed = _sweep_sites(r, user, dispute_ids)
    report.site_keys += site_deleted
    report.aggregates += sets_changed
    # The hosted account (username, passkeys, web sessions, pending sign-ins): its service-wide
    # pointers, found from the account's records, so before those go.
    report.service_keys += accounts.erase_account(r, user)
    # Last the user's own keys (the records the steps above read), then any token made meanwhile.
    report.user_keys += _delete(r, user_keys(r, user))
    report.service_keys += _service_keys(r, user, codes=False)
    report.user_keys += _delete(r, user_keys(r, user))
    if audit:
        entry = json.dumps(report.as_dict(), separators=(",", ":"))
        r.lpush(keys.deletions_log(), entry)
        r.ltrim(keys.deletions_log(), 0, DELETIONS_KEPT - 1)
        log.info("account deleted %s", entry)
    return report


def purge_if_gone(r, user: str, was_member: bool = True) -> bool:
    """After a write for ``user``: if they were deleted meanwhile, erase what the write left.
    ``was_member``: whether they existed when the write began (a user who never was in the users
    set is not ours to erase). True when something was erased."""
    if not was_member or user_exists(r, user):
        return False
    erase_user(r, user, audit=False)
    return True


def deletions(r, limit: int = 100) -> list[dict]:
    """The newest deletions (counts and times only)."""
    return [json.loads(raw) for raw in r.lrange(keys.deletions_log(), 0, max(0, limit - 1))]
