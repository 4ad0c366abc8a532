"""Weights and scoring: what each signal is worth, and the level a set of signals gives.

The score is a *risk* score, 0 (safest) to 100 (riskiest): ``BASE`` plus the weights of the
signals that raise risk, minus those that lower it, clamped. Unknown (no evidence) is never
scored. A critical signal (off-platform payment, a shop opened days before the order) puts the
level at "high" and the score at least ``CRITICAL_FLOOR``, whatever bonuses there are.

The weights table (documented in docs/risk.md; change both together):

| code | value | effect | weight |
| --- | --- | --- | --- |
| deposit_system | true / false | lowers / raises | 12 / 10 |
| advance_compensation | true / false | lowers / raises | 12 / 10 |
| dispute_channel | true / false | lowers / raises | 6 / 6 |
| icp_filing | shown / Chinese shop without one | lowers / raises | 6 / 12 |
| platform_age | ≥ 10 y / ≥ 3 y / 1-3 y / < 1 y (copyright) | lowers / lowers / neutral / raises | 12 / 6 / 0 / 12 |
| unfair_terms | per clause, capped | raises | 5 each, ≤ 15 |
| feedback_window | shortest window < 72 h | raises | 3 |
| cross_border | true | raises | 15 |
| seller_deposit | > 0 / 0 | lowers / raises | 8 / 8 |
| off_platform_payment | any request | raises, critical | 40 |
| shell_shop | opened < 30 d before the order / < 10 sales / ≥ 1 y and ≥ 100 sales | raises (critical) / raises / lowers | 35 / 15 / 10 |
| account_goods | true | raises | 15 |
| crowd_disputes | per dispute, capped | raises | 5 each, ≤ 15 |
"""
from __future__ import annotations

import math
from datetime import date, datetime

from .signals import Signal

BASE = 40
CRITICAL_FLOOR = 70
HIGH_AT, MEDIUM_AT = 60, 35
UNFAIR_EACH, UNFAIR_CAP = 5, 15
CROWD_EACH, CROWD_CAP = 5, 15
SHELL_DAYS, FEW_SALES = 30, 10

BOOL_WEIGHTS = {  # code → {value: (effect, weight)}
    "deposit_system": {True: ("lowers", 12), False: ("raises", 10)},
    "advance_compensation": {True: ("lowers", 12), False: ("raises", 10)},
    "dispute_channel": {True: ("lowers", 6), False: ("raises", 6)},
    "icp_filing": {True: ("lowers", 6), False: ("raises", 12)},
    "cross_border": {True: ("raises", 15), False: ("neutral", 0)},
    "account_goods": {True: ("raises", 15), False: ("neutral", 0)},
}
AGE_BANDS = ((10, "lowers", 12), (3, "lowers", 6), (1, "neutral", 0))  # years ≥ n; below 1: YOUNG
YOUNG = ("raises", 12)

ORDER = ("off_platform_payment", "shell_shop", "crowd_disputes", "deposit_system", "seller_deposit",
         "advance_compensation", "platform_age", "icp_filing", "dispute_channel", "unfair_terms",
         "feedback_window", "cross_border", "account_goods")


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
        evidence = [{"snapshot_id": None, "quote": None, "url": None, "seen_at": first_seen}]
    effect, weight = "neutral", 0
    for floor, band_effect, band_weight in AGE_BANDS:
        if years >= floor:
            effect, weight = band_effect, band_weight
            break
    else:
        # Only the copyright line bounds the age from above; a first capture here is a lower bound.
        if source == "copyright":
            effect, weight = YOUNG
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
    if days is not None and days < SHELL_DAYS:
        return Signal("shell_shop", "seller", value, "raises", 35, _evidence([opened]), critical=True)
    if count is not None and count < FEW_SALES:
        return Signal("shell_shop", "seller", value, "raises", 15, _evidence([sales]))
    if days is not None and days >= 365 and count is not None and count >= 100:
        return Signal("shell_shop", "seller", value, "lowers", 10, evidence)
    return Signal("shell_shop", "seller", value, "neutral", 0, evidence)


def judge_state(state: dict, subject: str, *, now=None, first_seen: str | None = None,
                disputes: int = 0, disputes_at: str | None = None) -> list[Signal]:
    """The judged signals of a profile state, plus the shared aggregates (first capture of the
    domain on this backend, dispute count) when given. Codes with no evidence are left out."""
    moment = _now(now)
    out: list[Signal] = []
    for code, weights in BOOL_WEIGHTS.items():
        items = _items(state, code)
        if items:
            value = items[0]["value"]
            effect, weight = weights.get(value, ("neutral", 0))
            out.append(Signal(code, subject, value, effect, weight, _evidence(items)))
    unfair = _items(state, "unfair_terms")
    if unfair:
        weight = min(UNFAIR_CAP, UNFAIR_EACH * len(unfair))
        out.append(Signal("unfair_terms", subject, [i["value"]["quote"] for i in unfair], "raises", weight,
                          _evidence(unfair), detail={"kinds": {i["value"]["quote"]: i["value"]["kind"] for i in unfair}}))
    windows = _items(state, "feedback_window")
    if windows:
        shortest = min(windows, key=lambda i: i["value"]["hours"])
        hours = shortest["value"]["hours"]
        effect, weight = ("raises", 3) if hours < 72 else ("neutral", 0)
        out.append(Signal("feedback_window", subject, int(hours) if float(hours).is_integer() else hours,
                          effect, weight, shortest["evidence"]))
    deposit = _items(state, "seller_deposit")
    if deposit:
        value = deposit[0]["value"]
        positive = float(value["amount"]) > 0
        out.append(Signal("seller_deposit", subject, value, "lowers" if positive else "raises", 8,
                          _evidence(deposit)))
    off = _items(state, "off_platform_payment")
    if off:
        out.append(Signal("off_platform_payment", subject, True, "raises", 40, _evidence(off), critical=True))
    shell = _shell_signal(state)
    if shell:
        out.append(shell)
    if subject == "platform":
        age = _age_signal(state, moment, first_seen)
        if age:
            out.append(age)
    if disputes > 0:
        out.append(Signal("crowd_disputes", subject, {"disputes": disputes}, "raises",
                          min(CROWD_CAP, CROWD_EACH * disputes),
                          [{"snapshot_id": None, "quote": None, "url": None, "seen_at": disputes_at}]))
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
    total = BASE
    for s in counted:
        if s.effect == "raises":
            total += s.weight
        elif s.effect == "lowers":
            total -= s.weight
    value = max(0, min(100, total))
    critical = any(s.critical and s.effect == "raises" for s in counted)
    if critical:
        value = max(value, CRITICAL_FLOOR)
    level = "high" if critical or value >= HIGH_AT else "medium" if value >= MEDIUM_AT else "low"
    pieces = sum(min(3, len(s.evidence)) for s in counted)
    confidence = round(1 - math.pow(0.8, pieces), 2)
    return level, value, confidence


def risk_object(subject: str, signals: list[Signal], warnings: list[dict], updated_at: str | None,
                **extra) -> dict:
    """A contract Risk object."""
    level, value, confidence = score(signals)
    out = {"subject": subject, "level": level, "score": value, "confidence": confidence,
           "signals": [s.as_dict() for s in signals], "warnings": warnings, "updated_at": updated_at}
    out.update(extra)
    return out
