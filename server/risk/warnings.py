"""Warnings: what the buyer reads (contract/risk.md), as a table of codes, severities and zh/en
templates, and the small functions that fill them from judged signals and one page.

Pure entry points (no Redis):

- ``signal_warnings(signals, subject, platform_signals=None) -> [Warning]``: the warnings a
  profile's judged signals call for (used for the Risk objects of GET /v1/risk).
- ``capture_warnings(obs, platform_state=None, *, now=None, disputes=None) -> [Warning]``: the
  checkout warnings for one captured page: what *this page* shows, plus the feedback deadline
  (from this page's or earlier captured rules of the site), promises recorded, the evidence gap
  of an order, and dispute counts. ``platform_state`` is the asking user's platform profile
  before this page (``server.risk.profiles``), or None offline.

Every warning's evidence quotes text of the page it came from (crowd counts carry none).
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from ..clock import CHINA
from . import messages, profiles, score
from .signals import PLATFORM, SELLER, Observation, Signal, read_observation, seller_key

LAW_26 = "《消费者权益保护法》第二十六条"

WARNINGS = {
    "no_deposit_system": ("caution",
        "{who}没有保证金可用于赔付买家（{quote}）：出了问题只能向商家追讨，付款前保存好商品页与聊天记录。",
        "No deposit backs this {who_en} ({quote_en}): if something goes wrong only the seller can be asked to pay; "
        "keep the product page and chats before paying."),
    "no_advance_compensation": ("caution",
        "平台声明不先行赔付（{quote}）：纠纷中平台不会先垫付，只能向商家索赔。",
        "The platform says it does not compensate buyers first ({quote_en}): claims go to the seller only."),
    "young_platform": ("caution",
        "该平台最早的记录始于{since}，不足一年（{quote}）：新站跑路风险较高，建议小额交易并保留全部截图。",
        "The earliest record of this platform is from {since}, under a year ago ({quote_en}): new sites vanish "
        "more often; keep orders small and keep every capture."),
    "no_icp": ("caution",
        "该中文网站未展示ICP备案号：面向国内经营的网站应当备案，找不到经营者时维权会更困难。",
        "This Chinese-language shop shows no ICP filing number: sites serving mainland China must file one, "
        "and an operator that cannot be identified is harder to hold to account."),
    "unfair_term": ("caution",
        "格式条款“{quote}”排除或限制消费者权利，依据" + LAW_26 + "，此类条款无效，不影响您依法维权。",
        "The standard clause \"{quote}\" excludes or limits consumers' rights; under Article 26 of the Consumer "
        "Rights Protection Law such a clause is invalid and does not stop you from claiming."),
    "no_refund_claim": ("info",
        "“{quote}”最多排除七日无理由退货（《消费者权益保护法》第二十五条）；商品与描述不符或无法使用时，仍可依据第二十四条要求更换或退款。",
        "\"{quote}\" can at most exclude no-reason returns (Article 25 of the Consumer Rights Protection Law); "
        "goods that do not work or are not as described can still be claimed under Article 24."),
    "feedback_deadline": ("caution",
        "平台规定{base}{window}内反馈：截止 {deadline_text}",
        "The platform requires problems to be reported within {window_en} of {base_en}: deadline {deadline_text} "
        "(China time)."),
    "off_platform_payment": ("danger",
        "页面要求在平台外付款或联系（{quote}）：脱离平台交易将失去平台担保与赔付，请勿付款；如已付款，立即保存付款凭证。",
        "The page asks you to pay or deal outside the platform ({quote_en}): that loses the platform's protection. "
        "Do not pay; if you already did, keep the payment proof now."),
    "shell_shop": ("danger",
        "商家开店于{opened_on}，距下单仅{days}天：新开店铺收款后跑路的风险很高，请勿大额交易。",
        "The shop opened on {opened_on}, only {days} days before the order: new shops that take the money and "
        "vanish are common; avoid large payments."),
    "shell_shop_few_sales": ("caution",
        "商家成交记录很少（{sales}笔）：缺少可参考的交易记录，请谨慎交易并保留全部截图。",
        "The shop has almost no sales ({sales}): there is no track record; be careful and keep every capture."),
    "cross_border": ("caution",
        "这是境外平台（{quote}）：国内投诉渠道作用有限，纠纷需通过平台的买家保障处理，或向发卡银行申请拒付（通常在交易后120天内）。",
        "This is a foreign marketplace ({quote_en}): domestic complaint channels have little reach; use the "
        "marketplace's buyer protection or ask your card issuer for a chargeback (commonly within 120 days)."),
    "account_recovery_risk": ("caution",
        "购买的是账号类商品（{quote}）：原号主可能通过申诉找回账号。请立即改密换绑，并保留每一次截图作为证据。",
        "You are buying an account ({quote_en}): the original owner can often recover it. Change the password "
        "and bindings at once, and keep every capture as evidence."),
    "promise_recorded": ("info",
        "已记录商家承诺：{quote}。如承诺未兑现，可凭此记录维权。",
        "Seller's promise recorded: {quote_en}. If it is broken, this record is your evidence."),
    "evidence_gap": ("caution",
        "尚未保存订单{order_no}所购商品的描述页：请打开商品详情页让卡盾留存描述，证明“与描述不符”时需要它。",
        "No product page with the description has been captured for order {order_no} yet: open the item's page "
        "so KaDun keeps it; a not-as-described claim needs it."),
    "crowd_disputes": ("caution",
        "本站用户已就该{who}发起{count}起纠纷（仅为汇总数，不含任何个人信息）。",
        "Users of this backend opened {count} dispute(s) about this {who_en} (a count only, no personal data)."),
}


def make(code: str, evidence: list[dict], *, template: str | None = None, deadline: str | None = None,
         **values) -> dict:
    """A contract Warning from the table row ``template`` (default: ``code``)."""
    severity, zh, en = WARNINGS[template or code]
    return {"code": code, "severity": severity,
            "message": {"zh": zh.format(**values), "en": en.format(**values)},
            "evidence": evidence, "deadline": deadline}


def _q(evidence: list[dict]) -> dict:
    found = [e["quote"] for e in evidence if e.get("quote")]
    q = messages.quotes(list(dict.fromkeys(found)), limit=2) if found else {"zh": "", "en": ""}
    return {"quote": q["zh"], "quote_en": q["en"]}


def _by_code(signals: list[Signal]) -> dict[str, Signal]:
    return {s.code: s for s in signals}


def signal_warnings(signals: list[Signal], subject: str, platform_signals: list[Signal] | None = None) -> list[dict]:
    """The warnings judged signals call for, in table order."""
    by = _by_code(signals)
    out: list[dict] = []
    who = messages.SUBJECT[subject]
    s = by.get("deposit_system")
    if s and s.value is False:
        out.append(make("no_deposit_system", s.evidence, who=who["zh"], who_en=who["en"], **_q(s.evidence)))
    s = by.get("seller_deposit")
    platform_has = next((p for p in platform_signals or [] if p.code == "deposit_system" and p.value is True), None)
    if s and float(s.value["amount"]) <= 0 and platform_has:
        out.append(make("no_deposit_system", s.evidence, who=who["zh"], who_en=who["en"], **_q(s.evidence)))
    s = by.get("advance_compensation")
    if s and s.value is False:
        out.append(make("no_advance_compensation", s.evidence, **_q(s.evidence)))
    s = by.get("platform_age")
    if s and s.effect == "raises":
        out.append(make("young_platform", s.evidence, since=s.value["since"][:4], **_q(s.evidence)))
    s = by.get("icp_filing")
    if s and s.value is False:
        out.append(make("no_icp", s.evidence))
    s = by.get("unfair_terms")
    if s:
        for quote, evidence in _clauses(s):
            kind = _clause_kind(s, quote)
            code = "no_refund_claim" if kind == "no_refund" else "unfair_term"
            out.append(make(code, evidence, quote=quote))
    for code, template in (("off_platform_payment", None), ("cross_border", None)):
        s = by.get(code)
        if s and s.effect == "raises":
            out.append(make(code, s.evidence, template=template, **_q(s.evidence)))
    s = by.get("shell_shop")
    if s and s.effect == "raises":
        if s.critical:
            out.append(make("shell_shop", s.evidence, opened_on=s.value["opened_on"], days=s.value["days_open"]))
        else:
            out.append(make("shell_shop", s.evidence, template="shell_shop_few_sales", sales=s.value["sales"]))
    s = by.get("account_goods")
    if s and s.value is True:
        out.append(make("account_recovery_risk", s.evidence, **_q(s.evidence)))
    s = by.get("crowd_disputes")
    if s:
        out.append(make("crowd_disputes", s.evidence, who=who["zh"], who_en=who["en"], count=s.value["disputes"]))
    return out


def _clauses(signal: Signal) -> list[tuple[str, list[dict]]]:
    """Each unfair clause with the evidence that quotes it (evidence quotes are the page's text)."""
    out = []
    for quote in signal.value:
        evidence = [e for e in signal.evidence if e.get("quote") == quote] or [
            e for e in signal.evidence if quote in (e.get("quote") or "")]
        out.append((quote, evidence))
    return out


def _clause_kind(signal: Signal, quote: str) -> str:
    return (signal.detail.get("kinds") or {}).get(quote, "")


def _timestamp(facts: dict, role: str) -> tuple[datetime, dict] | None:
    for stamp in facts.get("timestamps") or []:
        if stamp.get("role") == role:
            try:
                return datetime.fromisoformat(stamp["at"]), stamp
            except (KeyError, TypeError, ValueError):
                continue
    return None


def _feedback_deadline(obs: Observation, platform_state: dict | None) -> dict | None:
    windows = [(item["value"], item["evidence"]) for item in
               ((platform_state or {}).get("codes", {}).get("feedback_window") or {}).values()]
    for reading in read_observation(obs):
        if reading.code == "feedback_window":
            windows.append((reading.value, [reading.evidence]))
    best = None
    for window, evidence in windows:
        base = _timestamp(obs.facts, "delivered") if window["from"] == "delivered" else (
            _timestamp(obs.facts, "ordered") or _timestamp(obs.facts, "paid"))
        if base is None:
            continue
        deadline = base[0] + timedelta(hours=float(window["hours"]))
        if best is None or deadline < best[0]:
            best = (deadline, window, evidence, base[1])
    if best is None:
        return None
    deadline, window, evidence, stamp = best
    moment = best[3]["at"]
    when = datetime.fromisoformat(moment)
    time_pattern = rf"{when.year}\D{{1,3}}0?{when.month}\D{{1,3}}0?{when.day}\D{{1,3}}0?{when.hour}:{when.minute:02d}"
    label = re.escape(stamp["label"]) if stamp.get("label") else None
    stamp_quote = obs.quote(pattern=(rf"{label}[：:]?\s*{time_pattern}", time_pattern, label) if label
                            else (time_pattern,))
    evidence = list(evidence) + ([obs.evidence(stamp_quote)] if stamp_quote else [])
    span, base = messages.duration(window["hours"]), messages.BASE_EVENT[window["from"]]
    return make("feedback_deadline", evidence, deadline=deadline.astimezone(CHINA).isoformat(), base=base["zh"], base_en=base["en"],
                window=span["zh"], window_en=span["en"], deadline_text=messages.china_minute(deadline))


def _promises(obs: Observation) -> dict | None:
    evidence = []
    for promise in obs.facts.get("promises") or []:
        quote = obs.quote(literal=promise.get("quote"))
        if quote and quote not in [e["quote"] for e in evidence]:
            evidence.append(obs.evidence(quote))
    if not evidence:
        return None
    return make("promise_recorded", evidence, **_q_all(evidence))


def _q_all(evidence: list[dict]) -> dict:
    q = messages.quotes([e["quote"] for e in evidence], limit=5)
    return {"quote": q["zh"], "quote_en": q["en"]}


def _evidence_gap(obs: Observation, platform_state: dict | None, seller: str | None) -> dict | None:
    facts = obs.facts
    order_no = (facts.get("order") or {}).get("order_no")
    if facts.get("page_kind") not in ("order", "checkout") or not order_no:
        return None
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
    seller = score.judge_state(seller_state, SELLER, now=now or obs.seen_at) if seller_key(obs.facts) else []
    return platform, seller


def capture_warnings(obs: Observation, platform_state: dict | None = None, *, now=None,
                     disputes: dict | None = None, platform_signals: list[Signal] | None = None) -> list[dict]:
    """The checkout warnings for one captured page (see the module docstring)."""
    platform, seller = page_signals(obs, now=now)
    out = signal_warnings(platform, PLATFORM)
    out += signal_warnings(seller, SELLER, platform_signals=(platform_signals or []) + platform)
    key = seller_key(obs.facts)
    for extra in (_feedback_deadline(obs, platform_state), _promises(obs), _evidence_gap(obs, platform_state, key)):
        if extra:
            out.append(extra)
    for subject, count in (disputes or {}).items():
        if count:
            who = messages.SUBJECT[subject]
            out.append(make("crowd_disputes", [], who=who["zh"], who_en=who["en"], count=count))
    return out
