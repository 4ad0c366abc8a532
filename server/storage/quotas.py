"""Quota state in Redis (reads and writes, no policy): per-user limit overrides, daily counters and
the bytes a user stores. Every key is in the user's slot (``{u:<user>}``), so one user's counters
are never spent by another, and deleting the user's slot deletes them.

- ``quota_overrides``: hash, quota name → the user's own limit (digits, or ``unlimited``).
- ``quota_day``: one counter per daily quota and China-time day; taken (checked and incremented)
  in one Lua call, so concurrent requests cannot both take the last unit; expires by itself.
- ``quota_bytes``: the uncompressed bytes of the user's distinct blobs. Kept exact by the blob
  writer (blobs.put adds a blob's size in the same call that stores it, and only when it was new);
  when the counter is missing (data from before it existed) it is counted once from the user's own
  records (captures and attachments), never by scanning other users' keys.
"""
from __future__ import annotations

import json

from . import captures, keys

UNLIMITED = "unlimited"
DAY_TTL_SECONDS = 2 * 86400

# KEYS[1] the day counter; ARGV[1] the limit (-1: none), ARGV[2] the amount, ARGV[3] the TTL.
# Returns {1, new value} when taken, {0, current value} when the limit would be passed.
_TAKE = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local limit = tonumber(ARGV[1])
local amount = tonumber(ARGV[2])
if limit >= 0 and current + amount > limit then return {0, current} end
local value = redis.call('INCRBY', KEYS[1], amount)
if value == amount then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
return {1, value}
"""
# KEYS[1] the day counter; ARGV[1] the amount: give back what a request took but did not use.
_GIVE_BACK = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current <= 0 then return 0 end
local amount = math.min(current, tonumber(ARGV[1]))
return redis.call('DECRBY', KEYS[1], amount)
"""


def _script(r, name: str, text: str):
    attr = f"_kadun_quota_{name}"
    script = getattr(r, attr, None)
    if script is None:
        script = r.register_script(text)
        try:
            setattr(r, attr, script)
        except AttributeError:
            pass
    return script


# --- overrides ---------------------------------------------------------------------------------
def overrides(r, user: str) -> dict[str, int | None]:
    """The user's own limits: name → a number, or None for no limit."""
    out: dict[str, int | None] = {}
    for field, value in (r.hgetall(keys.quota_overrides(user)) or {}).items():
        name = field.decode() if isinstance(field, bytes) else str(field)
        text = value.decode() if isinstance(value, bytes) else str(value)
        if text == UNLIMITED:
            out[name] = None
        else:
            try:
                out[name] = int(text)
            except ValueError:
                continue  # not a value we wrote: ignore it rather than fail every request
    return out


def set_override(r, user: str, name: str, limit: int | None) -> None:
    """Give the user their own limit for ``name`` (None: no limit)."""
    r.hset(keys.quota_overrides(user), name, UNLIMITED if limit is None else str(int(limit)))


def clear_override(r, user: str, name: str) -> None:
    """Back to the service's default for ``name``."""
    r.hdel(keys.quota_overrides(user), name)


# --- daily counters ----------------------------------------------------------------------------
def day_used(r, user: str, name: str, day: str) -> int:
    raw = r.get(keys.quota_day(user, name, day))
    return int(raw) if raw else 0


def take(r, user: str, name: str, day: str, limit: int | None, amount: int = 1) -> tuple[bool, int]:
    """Count ``amount`` against the day's quota unless that passes ``limit`` (None: no limit):
    (taken, the count now, or the count that refused it)."""
    ok, value = _script(r, "take", _TAKE)(keys=[keys.quota_day(user, name, day)],
                                          args=[-1 if limit is None else int(limit), int(amount), DAY_TTL_SECONDS])
    return bool(ok), int(value)


def give_back(r, user: str, name: str, day: str, amount: int = 1) -> None:
    """Return what :func:`take` took for a request that stored nothing (a duplicate, a failure)."""
    _script(r, "give_back", _GIVE_BACK)(keys=[keys.quota_day(user, name, day)], args=[int(amount)])


# --- bytes stored ------------------------------------------------------------------------------
def bytes_used(r, user: str) -> int:
    """The uncompressed bytes of the user's distinct blobs (counted from the records once if the
    counter does not exist yet)."""
    raw = r.get(keys.quota_bytes(user))
    if raw is not None:
        return int(raw)
    return recount_bytes(r, user)


def recount_bytes(r, user: str) -> int:
    """Count the user's stored bytes from their own records (every capture's page and screenshot
    and every attachment, each distinct SHA-256 once) and store the counter."""
    sizes: dict[str, int] = {}
    for _sid, data in captures.user_records(r, user):
        if data.get("sha256"):
            sizes[data["sha256"]] = int(data.get("html_size") or 0)
        if data.get("screenshot_sha256"):
            sizes[data["screenshot_sha256"]] = int(data.get("screenshot_size") or 0)
    for dispute_id in [m.decode() for m in r.zrange(keys.disputes_all(user), 0, -1)]:
        attachment_ids = [m.decode() for m in r.lrange(keys.dispute_attachments(user, dispute_id), 0, -1)]
        for raw in _get_many(r, [keys.attachment(user, a) for a in attachment_ids]):
            if raw:
                data = json.loads(raw)
                sizes[data["sha256"]] = int(data.get("size") or 0)
    total = sum(sizes.values())
    # Blob writes that land while we count only add to a counter that exists: SET NX keeps theirs.
    r.set(keys.quota_bytes(user), total, nx=True)
    raw = r.get(keys.quota_bytes(user))
    return int(raw) if raw is not None else total


def reset_bytes(r, user: str) -> int:
    """Forget the counter and count again (the admin CLI's ``--recount``)."""
    r.delete(keys.quota_bytes(user))
    return recount_bytes(r, user)


def _get_many(r, names: list[str]) -> list:
    if not names:
        return []
    if r.__class__.__name__ == "RedisCluster":
        pipe = r.pipeline(transaction=False)
        for name in names:
            pipe.get(name)
        return pipe.execute()
    return r.mget(names)
