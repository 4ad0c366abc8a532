"""Weights and scoring: what each signal is worth, and the level a set of signals gives.

The score is a *risk* score, 0 (safest) to 100 (riskiest): the base plus the weights of the
signals that raise risk, minus those that lower it, clamped. Unknown (no evidence) is never
scored. A critical signal (off-platform payment, a shop opened days before the order) puts the
level at "high" and the score at least the critical floor, whatever bonuses there are.

Every weight and band is data: ``server/rules/weights.toml`` (what a signal is worth) and
``server/rules/thresholds.toml`` (the numbers it applies at: 72 hours, 30 days, 10 sales …).
"""
from __future__ import annotations

import math
from datetime import date, datetime

from .. import rules
from . import profiles
from .model import Signal

ORDER = ("platform_closing", "off_platform_payment", "shell_shop", "crowd_disputes", "deposit_system", "seller_deposit",
         "advance_compensation", "platform_age", "icp_filing", "dispute_channel", "unfair_terms",
         "feedback_window", "cross_border", "account_goods")


def _w(name: str) -> tuple[str, int]:
    effect, weight = rules.weights()["signal"][name]
    return effect, weight


def _now(now) -> datetime:
    from .. import clock

    if now is None:
        return clock.now()
    return now if isinstance(now, datetime) else clock.parse_iso(now)


def _items(state: dict, code: str) -> list[dict]:
    return list(((state.get("codes") or {}).get(code) or {}).values())


def _evidence(items: list[dict]) -> list[dict]:
    out: list[dict] = []
    for item in items:
        out.extend(item.get("evidence") or [])
    return out


def copyright_since(state: dict) -> str | None:
    """Jan 1 of the earliest copyright start year the user's captures show (ISO date), or None."""
    start = min((int(i["value"]) for i in _items(state, "platform_age")), default=None)
    return date(start, 1, 1).isoformat() if start is not None else None


def age_years(now: datetime, since: str | None, first_seen: str | None) -> int | None:
    """Whole years from the earliest evidence (copyright start, first capture here) to ``now``.
    Every band edge is a whole year, and a whole number lets a precomputed answer last a year."""
    dates = [date.fromisoformat(since)] if since else []
    if first_seen:
        dates.append(datetime.fromisoformat(first_seen).date())
    if not dates:
        return None
    return max(0, int((now.date() - min(dates)).days // 365.25))


def day_only(moment: str | None) -> str | None:
    """An aggregate's time (the first capture of a site by anyone, the latest dispute by other
    users) as the start of its day, in its own offset: such a time comes from other users' data,
    and the badge says no more of it than the day."""
    if not moment:
        return moment
    parsed = datetime.fromisoformat(moment)
    return parsed.replace(hour=0, minute=0, second=0, microsecond=0).isoformat(timespec="milliseconds")


def _age_signal(state: dict, now: datetime, first_seen: str | None) -> Signal | None:
    since = copyright_since(state)
    years = age_years(now, since, first_seen)
    if years is None:
        return None
    seen = datetime.fromisoformat(first_seen).date() if first_seen else None
    if since and (seen is None or date.fromisoformat(since) <= seen):
        earliest, source, evidence = date.fromisoformat(since), "copyright", _evidence(_items(state, "platform_age"))
    else:
        earliest, source = seen, "first_capture"
        evidence = [{"snapshot_id": None, "quote": None, "url": None, "seen_at": day_only(first_seen)}]
    age = rules.weights()["age"]
    effect, weight = age["middle"]
    for floor, band_effect, band_weight in age["bands"]:
        if years >= floor:
            effect, weight = band_effect, band_weight
            break
    else:
        # Only the copyright line bounds the age from above; a first capture here is a lower bound.
        if source == "copyright" and years < rules.threshold("young_platform_years"):
            effect, weight = age["young"]
    if source == "first_capture" and effect == "neutral":
        return None  # "first seen here recently" says nothing about the platform
    return Signal("platform_age", "platform", {"years": years, "since": earliest.isoformat(), "source": source},
                  effect, weight, evidence)


def _shell_signal(state: dict) -> Signal | None:
    slots = (state.get("codes") or {}).get("shell_shop") or {}
    if not slots:
        return None
    opened, sales = slots.get("opened"), slots.get("sales")
    value = {**(opened or {}).get("value", {}), **(sales or {}).get("value", {})}
    days, count = value.get("days_open"), value.get("sales")
    evidence = _evidence([i for i in (opened, sales) if i])
    if days is not None and days < rules.threshold("shell_shop_days"):
        return Signal("shell_shop", "seller", value, *_w("shell_new"), _evidence([opened]), critical=True)
    if count is not None and count < rules.threshold("few_sales"):
        return Signal("shell_shop", "seller", value, *_w("shell_few_sales"), _evidence([sales]))
    if (days is not None and days >= rules.threshold("established_shop_days") and count is not None
            and count >= rules.threshold("established_sales")):
        return Signal("shell_shop", "seller", value, *_w("shell_established"), evidence)
    return Signal("shell_shop", "seller", value, "neutral", 0, evidence)


def judge_state(state: dict, subject: str, *, now=None, first_seen: str | None = None,
                disputes: int = 0, disputes_at: str | None = None) -> list[Signal]:
    """The judged signals of a profile state, plus the shared aggregates (first capture of the
    domain on this backend, dispute count) when given. Codes with no evidence are left out."""
    moment = _now(now)
    out: list[Signal] = []
    for code, table in rules.weights()["yes_no"].items():
        items = _items(state, code)
        if code == "cross_border" and not profiles.cross_border(state):
            continue  # an ICP filing shown on another page: a domestic operator after all
        if code == "icp_filing" and profiles.cross_border(state):
            continue  # no ICP shown by a foreign marketplace (another page showed it is one): expected
        if items:
            value = items[0]["value"]
            effect, weight = table["yes" if value is True else "no"] if isinstance(value, bool) else ("neutral", 0)
            out.append(Signal(code, subject, value, effect, weight, _evidence(items)))
    unfair = _items(state, "unfair_terms")
    if unfair:
        effect, each = _w("unfair_each")
        weight = min(rules.weights()["signal"]["unfair_cap"], each * len(unfair))
        out.append(Signal("unfair_terms", subject, [i["value"]["quote"] for i in unfair], effect, weight,
                          _evidence(unfair), detail={"kinds": {i["value"]["quote"]: i["value"]["kind"] for i in unfair}}))
    windows = _items(state, "feedback_window")
    if windows:
        shortest = min(windows, key=lambda i: i["value"]["hours"])
        hours = shortest["value"]["hours"]
        effect, weight = _w("short_feedback_window") if hours < rules.threshold("short_window_hours") else ("neutral", 0)
        out.append(Signal("feedback_window", subject, int(hours) if float(hours).is_integer() else hours,
                          effect, weight, shortest["evidence"]))
    deposit = _items(state, "seller_deposit")
    if deposit:
        value = deposit[0]["value"]
        positive = float(value["amount"]) > 0
        effect, weight = _w("seller_deposit_positive" if positive else "seller_deposit_zero")
        out.append(Signal("seller_deposit", subject, value, effect, weight, _evidence(deposit)))
    closing = _items(state, "platform_closing")
    if closing:  # critical: the site says it closes, and after-sales and balances with it
        effect, weight = _w("platform_closing")
        out.append(Signal("platform_closing", subject, True, effect, weight, _evidence(closing), critical=True))
    off = _items(state, "off_platform_payment")
    if off:
        effect, weight = _w("off_platform_payment")
        out.append(Signal("off_platform_payment", subject, True, effect, weight, _evidence(off), critical=True))
    shell = _shell_signal(state)
    if shell:
        out.append(shell)
    if subject == "platform":
        age = _age_signal(state, moment, first_seen)
        if age:
            out.append(age)
    if disputes >= rules.threshold("crowd_min_users"):
        effect, each = _w("crowd_each")
        out.append(Signal("crowd_disputes", subject, {"users": disputes, "disputes": disputes}, effect,
                          min(rules.weights()["signal"]["crowd_cap"], each * disputes),
                          [{"snapshot_id": None, "quote": None, "url": None, "seen_at": day_only(disputes_at)}]))
    out.sort(key=lambda s: ORDER.index(s.code) if s.code in ORDER else len(ORDER))
    return out


def score(signals: list[Signal]) -> tuple[str, int | None, float]:
    """(level, score, confidence) of judged signals. No evidence at all → ("unknown", None, 0)."""
    # A neutral reading backed only by an aggregate (a first capture on this backend) is no evidence
    # about the subject itself: alone it leaves the level unknown.
    counted = [s for s in signals if s.evidence and (
        s.effect != "neutral" or any(e.get("snapshot_id") or e.get("quote") for e in s.evidence))]
    if not counted:
        return "unknown", None, 0.0
    table = rules.weights()
    total = table["base"]
    for s in counted:
        if s.effect == "raises":
            total += s.weight
        elif s.effect == "lowers":
            total -= s.weight
    value = max(0, min(100, total))
    critical = any(s.critical and s.effect == "raises" for s in counted)
    if critical:
        value = max(value, table["critical_floor"])
    level = "high" if critical or value >= table["high_at"] else "medium" if value >= table["medium_at"] else "low"
    pieces = sum(min(table["confidence"]["per_signal"], len(s.evidence)) for s in counted)
    confidence = round(1 - math.pow(table["confidence"]["base"], pieces), 2)
    return level, value, confidence


def risk_object(subject: str, signals: list[Signal], warnings: list[dict], updated_at: str | None,
                **extra) -> dict:
    """A contract Risk object."""
    level, value, confidence = score(signals)
    out = {"subject": subject, "level": level, "score": value, "confidence": confidence,
           "signals": [s.as_dict() for s in signals], "warnings": warnings, "updated_at": updated_at}
    out.update(extra)
    return out
