"""Quotas and abuse limits per user: the policy (storage/quotas.py keeps the counters).

Five limits, each configurable (``KADUN_QUOTA_<NAME>``; a number, ``unlimited``, and for bytes a
size such as ``2GiB``), with defaults by mode (``KADUN_MODE``: ``local`` keeps today's freedom,
``hosted`` protects a shared service), and overridable per user in Redis (``kadun quota``):

    captures_per_day          new captures a China-time day             429 + Retry-After
    bytes_stored              bytes of the user's distinct pages,       413
                              screenshots and attachments
    disputes_per_day          disputes opened a day                     429 + Retry-After
    attachments_per_dispute   attachments on one dispute                413
    exports_per_day           "export everything" packs a day           429 + Retry-After

A refusal is the contract's JSON error plus ``quota`` (name, limit, used, and when it resets) and
``messages`` ({zh, en}), so the extension can say what happened in the buyer's language without
showing a code. A retried upload of a capture that was already stored is never refused: the quota
is checked only for what would be new.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import clock
from .errors import BadRequest, QuotaRateLimited, QuotaTooLarge
from .storage import quotas as store

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


@dataclass(frozen=True)
class Quota:
    name: str
    unit: str            # "count" | "bytes"
    daily: bool
    hosted: int | None   # default limit in hosted mode (None: no limit)
    local: int | None    # default limit in local mode
    label: dict          # {zh, en}: what is counted, for UIs


QUOTAS: dict[str, Quota] = {q.name: q for q in (
    Quota("captures_per_day", "count", True, 2000, None, {"zh": "每日存证", "en": "Captures a day"}),
    Quota("bytes_stored", "bytes", False, 2 * GIB, None, {"zh": "存储空间", "en": "Storage"}),
    Quota("disputes_per_day", "count", True, 20, None, {"zh": "每日发起维权", "en": "Disputes a day"}),
    Quota("attachments_per_dispute", "count", False, 50, None,
          {"zh": "每起维权的补充材料", "en": "Attachments per dispute"}),
    Quota("exports_per_day", "count", True, 10, None, {"zh": "每日导出全部数据", "en": "Full exports a day"}),
)}
NAMES = tuple(QUOTAS)
_UNLIMITED = ("unlimited", "none", "no", "off", "-1", "无限")
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)?\s*", re.I)
_UNITS = {"": 1, "b": 1, "k": KIB, "kb": KIB, "kib": KIB, "m": MIB, "mb": MIB, "mib": MIB,
          "g": GIB, "gb": GIB, "gib": GIB, "t": 1024 * GIB, "tb": 1024 * GIB, "tib": 1024 * GIB}


def parse_limit(name: str, value) -> int | None:
    """A limit as configured or typed: a whole number (bytes may carry a unit: 500MiB, 2G), or
    ``unlimited``. Raises BadRequest naming the quota for anything else."""
    quota = QUOTAS.get(name)
    if quota is None:
        raise BadRequest(f"unknown quota {name!r}; one of: {', '.join(NAMES)}", field=name)
    if value is None:
        return None
    if isinstance(value, bool):
        raise BadRequest(f"quota {name} must be a number or 'unlimited'", field=name)
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip().lower()
        if text in _UNLIMITED:
            return None
        match = _SIZE.fullmatch(text)
        if not match or (match.group(2) and quota.unit != "bytes"):
            raise BadRequest(f"quota {name} must be a whole number{' of bytes (or 500MiB, 2GiB)' if quota.unit == 'bytes' else ''}"
                             " or 'unlimited', not {value!r}", field=name)
        number = int(float(match.group(1)) * _UNITS[(match.group(2) or "").lower()])
    if number < 0:
        return None
    return number


def mode_of(config) -> str:
    return "hosted" if str(config.get("MODE") or "local").strip().lower() == "hosted" else "local"


def defaults(config) -> dict[str, int | None]:
    """The service's limits: ``QUOTA_<NAME>`` from the config, else the mode's default."""
    hosted = mode_of(config) == "hosted"
    out = {}
    for name, quota in QUOTAS.items():
        configured = config.get(f"QUOTA_{name.upper()}")
        if configured is None or (isinstance(configured, str) and not configured.strip()):
            out[name] = quota.hosted if hosted else quota.local
        else:
            out[name] = parse_limit(name, configured)
    return out


def limits(r, user: str, config) -> dict[str, int | None]:
    """The user's effective limits: their own overrides over the service's defaults."""
    effective = defaults(config)
    for name, value in store.overrides(r, user).items():
        if name in effective:
            effective[name] = value
    return effective


# --- time ---------------------------------------------------------------------------------------
def today(now: datetime | None = None) -> str:
    """The China-time day a daily quota counts in (YYYYMMDD)."""
    return (now or clock.now()).astimezone(clock.CHINA).strftime("%Y%m%d")


def next_reset(now: datetime | None = None) -> datetime:
    """The next midnight, China time, when the daily counters start again."""
    moment = (now or clock.now()).astimezone(clock.CHINA)
    return (moment + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def human_bytes(n: int | None) -> str:
    if n is None:
        return "∞"
    for unit, size in (("GiB", GIB), ("MiB", MIB), ("KiB", KIB)):
        if n >= size:
            return f"{n / size:.1f} {unit}".replace(".0 ", " ")
    return f"{n} B"


# --- refusals -----------------------------------------------------------------------------------
def _daily_refusal(name: str, limit: int, used: int, what_zh: str, what_en: str) -> QuotaRateLimited:
    what_zh, unit_zh = what_zh.split("/")
    now = clock.now()
    reset = next_reset(now)
    wait = max(1, int((reset - now).total_seconds()) + 1)
    at = reset.strftime("%m-%d %H:%M")
    return QuotaRateLimited(
        f"daily limit reached: at most {limit} {what_en} a day; more are accepted after {reset.isoformat()}",
        retry_after=wait, retry_after_seconds=wait,
        quota={"name": name, "limit": limit, "used": used, "resets_at": reset.isoformat()},
        messages={"zh": f"今日{what_zh}已达上限：每天最多 {limit} {unit_zh}，北京时间 {at} 后恢复。",
                  "en": f"Daily limit reached: at most {limit} {what_en} a day; more are accepted after "
                        f"{at} China time."})


def _take_daily(r, user: str, name: str, limit: int | None, what_zh: str, what_en: str) -> str:
    day = today()
    ok, value = store.take(r, user, name, day, limit)
    if not ok:
        raise _daily_refusal(name, int(limit), value, what_zh, what_en)
    return day


@dataclass
class Ticket:
    """One unit taken from a daily quota for a request; given back if the request stored nothing."""

    r: object
    user: str
    name: str
    day: str | None

    def give_back(self) -> None:
        if self.day is not None:
            store.give_back(self.r, self.user, self.name, self.day)
            self.day = None


def check_bytes(r, user: str, config, need: int) -> None:
    """413 when storing ``need`` more bytes would pass the user's ``bytes_stored``."""
    limit = limits(r, user, config)["bytes_stored"]
    if limit is None or need <= 0:
        return
    used = store.bytes_used(r, user)
    if used + need > limit:
        raise bytes_refusal(used, limit, need)


def bytes_limit(r, user: str, config) -> int | None:
    """The user's ``bytes_stored`` limit (None: none), for the blob writer to enforce atomically."""
    return limits(r, user, config)["bytes_stored"]


def bytes_refused(r, user: str, config, need: int) -> QuotaTooLarge:
    """The 413 for new bytes the blob writer did not store (parallel uploads took the room
    between the check and the write)."""
    limit = bytes_limit(r, user, config)
    return bytes_refusal(store.bytes_used(r, user), limit if limit is not None else 0, need)


def bytes_refusal(used: int, limit: int, need: int) -> QuotaTooLarge:
    """The 413 of the ``bytes_stored`` quota, in both languages."""
    return QuotaTooLarge(
        f"storage quota reached: {human_bytes(used)} of {human_bytes(limit)} used, this needs {human_bytes(need)} more",
        quota={"name": "bytes_stored", "limit": limit, "used": used, "needed": need},
        messages={"zh": f"存储空间已满：额度 {human_bytes(limit)}，已用 {human_bytes(used)}，这次还需要 "
                        f"{human_bytes(need)}。请联系后端管理员提高额度。",
                  "en": f"Storage is full: {human_bytes(used)} of {human_bytes(limit)} used and this needs "
                        f"{human_bytes(need)} more. Ask whoever runs the backend for a larger quota."})


def before_capture(r, user: str, config, new_bytes: int) -> Ticket:
    """Check a new capture against the space and the day's count; the ticket gives the count back
    when the capture turns out not to be new."""
    check_bytes(r, user, config, new_bytes)
    limit = limits(r, user, config)["captures_per_day"]
    day = _take_daily(r, user, "captures_per_day", limit, "存证/条", "captures")
    return Ticket(r, user, "captures_per_day", day)


def before_dispute(r, user: str, config) -> Ticket:
    limit = limits(r, user, config)["disputes_per_day"]
    day = _take_daily(r, user, "disputes_per_day", limit, "发起维权/次", "disputes")
    return Ticket(r, user, "disputes_per_day", day)


def before_export(r, user: str, config) -> Ticket:
    limit = limits(r, user, config)["exports_per_day"]
    day = _take_daily(r, user, "exports_per_day", limit, "导出全部数据/次", "full exports")
    return Ticket(r, user, "exports_per_day", day)


def before_attachment(r, user: str, config, attached: int, new_bytes: int) -> None:
    """413 when the dispute already holds ``attached`` attachments and may hold no more, or when the
    file's bytes do not fit the user's space."""
    limit = attachments_limit(r, user, config)
    if limit is not None and attached + 1 > limit:
        raise attachments_refusal(limit, attached)
    check_bytes(r, user, config, new_bytes)


def attachments_limit(r, user: str, config) -> int | None:
    """How many attachments one dispute may hold (None: no limit)."""
    return limits(r, user, config)["attachments_per_dispute"]


def attachments_refusal(limit: int, attached: int) -> QuotaTooLarge:
    """The 413 of the ``attachments_per_dispute`` quota, in both languages."""
    return QuotaTooLarge(
        f"this dispute already has {attached} attachments, the most allowed is {limit}",
        quota={"name": "attachments_per_dispute", "limit": limit, "used": attached},
        messages={"zh": f"这起维权的补充材料已达上限：最多 {limit} 个。",
                  "en": f"This dispute already has the most attachments allowed ({limit})."})


# --- what a user has used ---------------------------------------------------------------------
def usage(r, user: str, config) -> dict:
    """Every quota of the user: limit (None: none), what is used, where it comes from, labels."""
    effective = defaults(config)
    own = store.overrides(r, user)
    day = today()
    reset = next_reset().isoformat()
    items = []
    for name, quota in QUOTAS.items():
        limit = own[name] if name in own else effective[name]
        if quota.daily:
            used: int | None = store.day_used(r, user, name, day)
        elif name == "bytes_stored":
            used = store.bytes_used(r, user)
        else:
            used = None
        items.append({"name": name, "unit": quota.unit, "period": "day" if quota.daily else None,
                      "limit": limit, "used": used, "source": "user" if name in own else "default",
                      "resets_at": reset if quota.daily else None, "label": quota.label})
    return {"mode": mode_of(config), "day": day, "quotas": items}
