"""Warnings: what the buyer reads (contract/risk.md), filled from the templates of
``server/rules/warnings.toml`` by the small functions here, from judged signals and one page.

Pure entry points (no Redis):

- ``signal_warnings(signals, subject, platform_signals=None, single_shop=False) -> [Warning]``: the
  warnings a profile's judged signals call for (the Risk objects of GET /v1/risk).
- ``capture_warnings(obs, platform_state=None, *, now=None, disputes=None, judgement=None)``: the
  checkout warnings for one captured page: what *this page* shows, the deadline of the order's
  window that closes first (from the order's judgement, the same one the badge and the dispute
  read), promises recorded, the evidence gap of an order, and other users' dispute counts.

Every warning's evidence quotes text of a captured page (crowd counts carry none).
"""
from __future__ import annotations

from datetime import datetime

from .. import rules
from . import messages, profiles, score
from .model import PLATFORM, SELLER, Observation, Signal, seller_key
from .signals import read_observation


def make(code: str, evidence: list[dict], *, template: str | None = None, deadline: str | None = None,
         **values) -> dict:
    """A contract Warning from the warnings.toml row ``template`` (default: ``code``)."""
    row = rules.warning(template or code)
    return {"code": code, "severity": row["severity"], "message": rules.fill(row, **values),
            "evidence": evidence, "deadline": deadline}


def _q(evidence: list[dict], limit: int = 2) -> dict:
    found = [e["quote"] for e in evidence if e.get("quote")]
    return messages.quotes(list(dict.fromkeys(found)), limit=limit) if found else {"zh": "", "en": ""}


def _who(subject: str, single_shop: bool = False) -> dict:
    words = rules.table("warnings")["words"]["subject"]
    return words["shop"] if (subject == SELLER and single_shop) else words[subject]


def signal_warnings(signals: list[Signal], subject: str, platform_signals: list[Signal] | None = None,
                    single_shop: bool = False) -> list[dict]:
    """The warnings judged signals call for, in table order."""
    by = {s.code: s for s in signals}
    out: list[dict] = []
    who = _who(subject, single_shop)
    s = by.get("deposit_system")
    if s and s.value is False:
        out.append(make("no_deposit_system", s.evidence, who=who, quote=_q(s.evidence)))
    s = by.get("seller_deposit")
    platform_has = next((p for p in platform_signals or [] if p.code == "deposit_system" and p.value is True), None)
    if s and float(s.value["amount"]) <= 0 and platform_has:
        out.append(make("no_deposit_system", s.evidence, who=who, quote=_q(s.evidence)))
    s = by.get("advance_compensation")
    if s and s.value is False:
        out.append(make("no_advance_compensation", s.evidence, quote=_q(s.evidence)))
    s = by.get("platform_age")
    if s and s.effect == "raises":
        out.append(make("young_platform", s.evidence, since=s.value["since"][:4], quote=_q(s.evidence)))
    s = by.get("icp_filing")
    if s and s.value is False:
        out.append(make("no_icp", s.evidence))
    s = by.get("unfair_terms")
    if s:
        # A foreign marketplace may not be bound by Chinese law: its variant states the rule without
        # promising it applies, and names the marketplace's own dispute process and a chargeback.
        foreign = "_cross_border" if (by.get("cross_border") and by["cross_border"].effect == "raises") else ""
        for quote, evidence in _clauses(s):
            kind = (s.detail.get("kinds") or {}).get(quote, "")
            code = "no_refund_claim" if kind == "no_refund" else "unfair_term"
            out.append(make(code, evidence, template=code + foreign, quote=quote))
    for code in ("off_platform_payment", "cross_border"):
        s = by.get(code)
        if s and s.effect == "raises":
            out.append(make(code, s.evidence, quote=_q(s.evidence)))
    s = by.get("shell_shop")
    if s and s.effect == "raises":
        if s.critical:
            template = "shell_shop" if s.value.get("counted_to", "order") == "order" else "shell_shop_no_order"
            out.append(make("shell_shop", s.evidence, template=template, opened_on=s.value["opened_on"],
                            days=s.value["days_open"]))
        else:
            out.append(make("shell_shop", s.evidence, template="shell_shop_few_sales", who=who, sales=s.value["sales"]))
    s = by.get("account_goods")
    if s and s.value is True:
        out.append(make("account_recovery_risk", s.evidence, quote=_q(s.evidence)))
    s = by.get("crowd_disputes")
    if s:
        out.append(make("crowd_disputes", s.evidence, who=who, count=s.value["users"]))
    return out


def _clauses(signal: Signal) -> list[tuple[str, list[dict]]]:
    """Each unfair clause with the evidence that quotes it (evidence quotes are the page's text)."""
    out = []
    for quote in signal.value:
        evidence = [e for e in signal.evidence if e.get("quote") == quote] or [
            e for e in signal.evidence if quote in (e.get("quote") or "")]
        out.append((quote, evidence))
    return out


def window_warning(window, obs: Observation | None = None) -> dict:
    """The ``feedback_deadline`` warning of one dated window of an order's judgement; its evidence is
    the clause and, when on this page, the stated time it counts from."""
    from .windows import Window

    assert isinstance(window, Window) and window.deadline is not None
    clause = window.clause or {}
    evidence = [{"snapshot_id": clause.get("snapshot_id"), "quote": window.quote, "url": clause.get("url"),
                 "seen_at": clause.get("seen_at")}]
    start = window.start_evidence or {}
    if obs is not None and start.get("snapshot_id") == obs.snapshot_id and start.get("label"):
        quote = obs.quote(literal=start["label"])
        if quote:
            evidence.append(obs.evidence(quote))
    return make("feedback_deadline", evidence, deadline=window.deadline.isoformat(), rule=window.rule(),
                deadline_text=messages.china_minute(window.deadline))


def order_deadline(judgement, now: datetime, obs: Observation | None = None) -> dict | None:
    """The warning of the order's page window that closes first and is still open (else the last
    one that closed), from the order's judgement."""
    from .windows import PAGE_KINDS

    dated = sorted((w for w in judgement.windows if w.kind in PAGE_KINDS and w.deadline), key=lambda w: w.deadline)
    if not dated:
        return None
    upcoming = [w for w in dated if w.deadline >= now]
    return window_warning(upcoming[0] if upcoming else dated[-1], obs)


def _promises(obs: Observation) -> dict | None:
    evidence = []
    for promise in obs.facts.promises:
        quote = obs.quote(literal=promise.quote)
        if quote and quote not in [e["quote"] for e in evidence]:
            evidence.append(obs.evidence(quote))
    if not evidence:
        return None
    return make("promise_recorded", evidence, quote=messages.quotes([e["quote"] for e in evidence], limit=5))


def _evidence_gap(obs: Observation, platform_state: dict | None, seller: str | None) -> dict | None:
    """An order or checkout page, the description of its item not kept: neither on this page (it
    shows the product) nor on a product page captured before."""
    facts = obs.facts
    order_no = facts.order.order_no
    if facts.page_kind not in ("order", "checkout") or not order_no:
        return None
    if facts.product.title or (facts.page_kind == "checkout" and facts.order.item):
        return None  # the page itself shows the product it sells
    if profiles.product_capture_for(platform_state or {}, facts, seller):
        return None
    quote = obs.quote(literal=order_no)
    return make("evidence_gap", [obs.evidence(quote)] if quote else [], order_no=order_no)


def page_signals(obs: Observation, *, now=None) -> tuple[list[Signal], list[Signal]]:
    """(platform, seller) signals judged from this one page alone."""
    readings = read_observation(obs)
    platform_state = profiles.fold(profiles.new_state(), [r for r in readings if r.subject == PLATFORM], obs)
    seller_state = profiles.fold(profiles.new_state(), [r for r in readings if r.subject == SELLER], obs)
    platform = score.judge_state(platform_state, PLATFORM, now=now or obs.seen_at)
    # Seller readings of a page that names no seller (an account order on a market that shows none)
    # still warn the buyer on this page; no seller profile keeps them.
    seller_readings = seller_key(obs.facts) or any(r.subject == SELLER for r in readings)
    seller = score.judge_state(seller_state, SELLER, now=now or obs.seen_at) if seller_readings else []
    return platform, seller


def capture_warnings(obs: Observation, platform_state: dict | None = None, *, now=None,
                     disputes: dict | None = None, platform_signals: list[Signal] | None = None,
                     judgement=None) -> list[dict]:
    """The checkout warnings for one captured page (see the module docstring). ``disputes``: how
    many *other* users opened disputes about the platform and the seller (already the crowd
    signal's count); ``judgement``: the order's judgement when the page belongs to an order."""
    from .model import SHOP_SELLER

    platform, seller = page_signals(obs, now=now)
    key = seller_key(obs.facts)
    single_shop = key == SHOP_SELLER
    out = signal_warnings(platform, PLATFORM)
    out += signal_warnings(seller, SELLER, platform_signals=(platform_signals or []) + platform, single_shop=single_shop)
    moment = now if isinstance(now, datetime) else (datetime.fromisoformat(now) if now else None)
    deadline = order_deadline(judgement, moment, obs) if judgement is not None and moment else None
    for extra in (deadline, _promises(obs), _evidence_gap(obs, platform_state, key)):
        if extra:
            out.append(extra)
    minimum = rules.threshold("crowd_min_users")
    for subject, count in (disputes or {}).items():
        if count >= minimum:
            out.append(make("crowd_disputes", [], who=_who(subject, single_shop), count=count))
    return out
