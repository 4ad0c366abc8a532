"""The escalation plan: who to complain to, in order, and by when, arranged from the order's
judgement. Each deadline is one of the order's windows (``server.risk.windows``: the badge shows
the same instants); each step's ``basis`` says which rule and which stated time it rests on, and
``window`` names the window.
"""
from __future__ import annotations

from datetime import datetime

from .. import rules
from ..risk.messages import duration
from ..risk.order import OrderJudgement
from ..risk.windows import Window
from .kinds import problem_name


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _step(step: str, channel: dict, deadline: datetime | None, now: datetime, basis: dict,
          window: Window | None = None, advice: str = "other", **extra) -> dict:
    overdue = bool(deadline and now > deadline)
    out = {"step": step, "channel": channel["zh"], "channel_en": channel["en"], "deadline": _iso(deadline),
           "overdue": overdue, "basis": basis, "letter": step, "window": window.id if window else None}
    if overdue:
        out["advice"] = rules.text("escalation", "advice", advice)
    out.update(extra)
    return out


def _start_values(window: Window) -> dict:
    basis = rules.texts("start_basis", window.start_basis) if window.start_basis else {"zh": "", "en": ""}
    return {"start_basis": basis, "start": _iso(window.start) or "", "rule": window.rule()}


def _seller_step(judgement: OrderJudgement, now: datetime, numbers: dict[str, int]) -> dict:
    window = judgement.window("seller_reply")
    channel = rules.text("escalation", "channel", "seller_single_shop" if judgement.single_shop else "seller")
    start = window.start_evidence or {}
    no = numbers.get(start.get("snapshot_id") or start.get("attachment_id") or "")
    cited = {"zh": f"证据{no}，", "en": f"item {no}, "} if no else ""
    basis = rules.text("escalation", "basis", "seller", cited=cited, **_start_values(window))
    return _step("seller", channel, window.deadline, now, basis, window)


def _platform_step(judgement: OrderJudgement, now: datetime, numbers: dict[str, int]) -> dict:
    platform = judgement.platform or rules.texts("letters", "platform_fallback")
    key = "platform_cross_border" if judgement.cross_border else (
        "platform_single_shop" if judgement.single_shop else "platform")
    channel = rules.text("escalation", "channel", key, platform=platform)
    window = judgement.platform_window()
    windows = [w.as_dict(now) for w in judgement.windows if w.kind in ("feedback", "verify_now", "platform_apply")]
    for entry in windows:
        entry["quote"] = entry["basis"]["quote"]
    if window is None:
        basis = rules.text("escalation", "basis",
                           "platform_unknown_single_shop" if judgement.single_shop else "platform_unknown")
    else:
        key = "platform" if window.deadline else "platform_undated"
        no = numbers.get((window.clause or {}).get("snapshot_id") or "", "?")
        basis = rules.text("escalation", "basis", key, quote=window.quote, no=no, **_start_values(window))
    advice = "platform"
    if judgement.cross_border:
        # Where a refused buyer goes next: PayPal's own dispute, the card issuer, or, for a wallet
        # or a transfer, no card dispute at all.
        advice = ("platform_cross_border_paypal" if judgement.payment_network == "paypal" else
                  "platform_cross_border" if judgement.window("chargeback") is not None else
                  "platform_cross_border_no_card")
    if (any(f["code"] == "off_platform_payment" for f in judgement.findings) and not judgement.single_shop
            and not judgement.cross_border):
        # The money went past the platform: say what the platform will and will not do about it.
        note = rules.text("escalation", "basis", "platform_off_platform")
        basis = {lang: basis[lang] + note[lang] for lang in basis}
    # A change of mind is no complaint against the payee: no bill complaint for it.
    pay = None if judgement.no_reason_return else payment_channel(judgement)
    extra = {"payment_channel": pay} if pay else {}
    return _step("platform", channel, window.deadline if window else None, now, basis, window, advice=advice,
                 windows=windows, **extra)


def chargeback_reason(judgement: OrderJudgement) -> dict:
    """The dispute reason a chargeback letter names: the network's code for goods not received or
    not as described (both networks' when the card's network is not on the page)."""
    reason = rules.chargeback_reason(judgement.problem.kind)
    network = judgement.payment_network
    if network:
        entry = rules.network(network)[reason]
        return {"zh": entry["zh"], "en": entry["en"], "codes": [entry["code"]], "network": network}
    visa, mastercard = rules.network("visa")[reason], rules.network("mastercard")[reason]
    text = rules.text("letters", "chargeback", "either_network", visa={"zh": visa["zh"], "en": visa["en"]},
                      mastercard={"zh": mastercard["zh"], "en": mastercard["en"]})
    return {**text, "codes": [visa["code"], mastercard["code"]], "network": None}


def _chargeback_step(judgement: OrderJudgement, now: datetime) -> dict:
    window = judgement.window("chargeback")
    reason = chargeback_reason(judgement)
    network = judgement.payment_network
    if network == "paypal":
        channel = rules.text("escalation", "channel", "chargeback_paypal")
    else:
        names = rules.network(network)["name"] if network else {"zh": "Visa / Mastercard", "en": "Visa / Mastercard"}
        channel = rules.text("escalation", "channel", "chargeback", network=names)
    values = {"duration": duration(window.hours), **_start_values(window)}
    if network == "paypal":
        basis = rules.text("escalation", "basis", "chargeback_paypal", reason={"zh": reason["zh"], "en": reason["en"]},
                           **values)
        if judgement.funding_network:
            # The page shows a card paid PayPal: the card's own dispute may stand behind PayPal's.
            card = rules.network(judgement.funding_network)
            then = rules.text("escalation", "basis", "paypal_card", network=card["name"],
                              reason={"zh": card[rules.chargeback_reason(judgement.problem.kind)]["zh"],
                                      "en": card[rules.chargeback_reason(judgement.problem.kind)]["en"]})
            basis = {lang: basis[lang] + then[lang] for lang in basis}
    elif network:
        basis = rules.text("escalation", "basis", "chargeback", reason={"zh": reason["zh"], "en": reason["en"]},
                           network=rules.network(network)["name"], **values)
    else:
        visa = rules.network("visa")[rules.chargeback_reason(judgement.problem.kind)]
        mastercard = rules.network("mastercard")[rules.chargeback_reason(judgement.problem.kind)]
        basis = rules.text("escalation", "basis", "chargeback_unknown_network", visa=visa, mastercard=mastercard,
                           **values)
    if judgement.payment_method in (None, "other") and network is None:
        # No page says how the order was paid: the step holds only for a card payment.
        condition = rules.texts("escalation", "basis", "chargeback_if_card")
        basis = {lang: condition[lang] + basis[lang] for lang in ("zh", "en")}
    return _step("chargeback", channel, window.deadline, now, basis, window, reason_codes=reason["codes"],
                 network=network)


PAYMENT_FORMS = {"wechat": "wechat_pay", "alipay": "alipay"}


def payment_channel(judgement: OrderJudgement) -> dict | None:
    """The payment app's bill complaint (WeChat Pay, Alipay), when the order was paid through one: it
    reaches the payee's account provider; beside the platform, and the only way to the payee when the
    money left the platform. It rides on the ``platform`` step (the contract's step values are kept);
    ``form`` names the ready-to-file complaint in ``complaints`` that carries its text."""
    if not judgement.payment_app:
        return None
    app = rules.texts("payment_platforms", judgement.payment_app)
    off = any(f["code"] == "off_platform_payment" for f in judgement.findings)
    basis = rules.text("escalation", "basis", "payment_channel_off_platform" if off else "payment_channel", app=app)
    channel = rules.text("escalation", "channel", f"payment_channel_{judgement.payment_app}")
    return {"app": judgement.payment_app, "app_name": app, "channel": channel["zh"], "channel_en": channel["en"],
            "basis": basis, "off_platform": off, "form": PAYMENT_FORMS[judgement.payment_app]}


def regulator_fields(judgement: OrderJudgement, evidence: list[dict]) -> dict:
    """What 12315 asks for: 商家名称, 平台名称, 订单编号, 问题描述, 证据清单."""
    labels = rules.texts("escalation", "regulator_fields")
    record = judgement.problem
    seller = judgement.seller or judgement.platform
    return {labels["seller"]: seller, labels["platform"]: judgement.platform, labels["order_no"]: judgement.order_no,
            labels["problem"]: f"{problem_name(record.kind)}：{record.description}".strip("："),
            labels["evidence"]: [labels["evidence_line"].format(no=e["no"], title=e["title"]["zh"], url=e.get("url") or "",
                                                                sha256=e["sha256"]).replace("  ", " ")
                                 for e in evidence]}


def _step_name(judgement: OrderJudgement, step: str) -> dict:
    """The step's name as the buyer reads it, by where it really goes."""
    key = step
    if step in ("seller", "platform") and judgement.single_shop:
        key = f"{step}_single_shop"
    if step in ("platform", "regulator") and judgement.cross_border:
        key = f"{step}_cross_border"
    if step == "chargeback" and judgement.payment_network == "paypal":
        key = "chargeback_paypal"
    names = rules.texts("escalation", "step_names")
    return dict(names.get(key) or names[step])


def _numbered(reason: dict, numbers: dict[str, int]) -> dict:
    """A police reason with the page it quotes named by its evidence number (证据3 / item 3), as the
    letters number it ("other page" when it is not among the numbered evidence)."""
    if "item_id" not in reason:
        return reason
    no = numbers.get(reason["item_id"])
    label = {"zh": f"证据{no}", "en": f"item {no}"} if no else rules.texts("pages", "other")
    return {**reason, "zh": reason["zh"].replace("{item}", label["zh"]), "en": reason["en"].replace("{item}", label["en"])}


def build_escalation(judgement: OrderJudgement, evidence: list[dict], now: datetime) -> list[dict]:
    steps = _build_steps(judgement, evidence, now)
    for step in steps:
        step["name"] = _step_name(judgement, step["step"])
    return steps


def _build_steps(judgement: OrderJudgement, evidence: list[dict], now: datetime) -> list[dict]:
    numbers = {}
    for entry in evidence:
        for item_id in entry.get("ids") or [entry["id"]]:
            numbers[item_id] = entry["no"]
    steps = [_seller_step(judgement, now, numbers), _platform_step(judgement, now, numbers)]
    if judgement.no_reason_return:
        # A return without a reason of goods that arrived: a request to the seller and the platform
        # (its own refund rules); no regulator, mediation or chargeback can order it (消法第二十五条).
        pass
    elif judgement.cross_border:
        # A chargeback only where a card network or PayPal stands behind the payment (the
        # judgement opens its window only then): not for a wallet, a balance or USDT.
        # A wallet payment abroad gets its bill's complaint on the platform step instead.
        if judgement.window("chargeback") is not None:
            steps.append(_chargeback_step(judgement, now))
        steps.append(_step("regulator", rules.text("escalation", "channel", "regulator_cross_border"), None, now,
                           rules.text("escalation", "basis", "regulator_cross_border")))
    else:
        steps.append(_step("regulator", rules.text("escalation", "channel", "regulator"), None, now,
                           rules.text("escalation", "basis", "regulator"),
                           fields=regulator_fields(judgement, evidence)))
        steps.append(_step("consumer_association", rules.text("escalation", "channel", "consumer_association"), None,
                           now, rules.text("escalation", "basis", "consumer_association")))
    reasons = [_numbered(r, numbers) for r in judgement.police_reasons]
    if reasons:
        joined = {"zh": "；".join(r["zh"] for r in reasons), "en": "; ".join(r["en"] for r in reasons)}
        codes = list(dict.fromkeys(r["code"] for r in reasons))
        # A fee demanded before a refund is someone else's fraud, not the operator's (no 消法第五十五条
        # for it): the basis says to stop paying.
        key = ("police_scam" if set(codes) <= {"refund_fee_scam", "unfreeze_fee"} else
               "police_cross_border" if judgement.cross_border else "police")
        basis = rules.text("escalation", "basis", key, reasons=joined)
        if "refund_fee_scam" in codes and key != "police_scam":
            stop = rules.texts("escalation", "basis", "stop_paying")
            basis = {lang: basis[lang] + stop[lang] for lang in basis}
        steps.append(_step("police", rules.text("escalation", "channel", "police"), None, now, basis, reasons=codes))
    return steps
