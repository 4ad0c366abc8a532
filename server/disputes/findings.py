"""Findings: promises against the problem, description changes, unfair terms, "no refund" claims.

Rules are tables: which promise kinds a problem breaks, and which policy kinds are answered with
which article (../shared/LEGAL.md). Quotes are the pages' own words, so a person can find them.
"""
from __future__ import annotations

import difflib
from datetime import timedelta

from .collect import Collection, Evidence
from .context import OrderContext, policies
from .kinds import problem_name

# problem kind → promise kinds the problem contradicts.
BROKEN_BY = {
    "account_recovered": ("lifetime", "stable", "original_owner", "warranty", "exclusive", "replacement"),
    "account_banned": ("lifetime", "stable", "warranty", "replacement"),
    "not_as_described": ("as_described", "exclusive", "lifetime", "stable", "original_owner"),
    "invalid_code": ("as_described", "replacement", "refund", "warranty", "lifetime"),
    "not_delivered": ("delivery_window", "auto_delivery"),
    "delivery_late": ("delivery_window", "auto_delivery"),
    "seller_unresponsive": ("warranty", "replacement", "refund"),
    "shop_vanished": ("delivery_window", "auto_delivery", "warranty", "replacement", "refund", "lifetime"),
    "platform_stalling": ("warranty", "replacement", "refund"),
    "other": (),
}

UNFAIR = {
    "final_interpretation": {
        "zh": "「{quote}」是平台单方拟定的格式条款。依据《消费者权益保护法》第二十六条，经营者不得以格式条款作出"
              "排除或者限制消费者权利、减轻或者免除经营者责任的规定，此类内容无效；条款的解释应按通常理解进行，"
              "不能由平台单方说了算。",
        "en": "“{quote}” is a standard clause written by the platform alone. Under Article 26 of the Consumer Rights "
              "Protection Law, standard clauses that exclude or limit consumers' rights, or reduce or remove the "
              "operator's liability, are invalid; the platform cannot be the final judge of its own terms.",
    },
    "liability_disclaimer": {
        "zh": "「{quote}」试图免除经营者的责任。依据《消费者权益保护法》第二十六条，以格式条款免除或者减轻经营者"
              "责任的规定无效；平台仍须依据《电子商务法》第五十九条受理投诉。",
        "en": "“{quote}” tries to remove the operator's liability. Under Article 26 of the Consumer Rights Protection "
              "Law such standard clauses are invalid; the platform must still handle complaints (E-Commerce Law, "
              "Article 59).",
    },
}

NO_REFUND = {
    "zh": "「{quote}」最多只能排除七天无理由退货（《消费者权益保护法》第二十五条）。本案不是无理由退货，"
          "而是商品{problem}：依据第二十三条、第二十四条，商品与所作说明不符或不能正常使用的，消费者仍可要求"
          "退货、更换或修理。以格式条款一概排除这些权利的，依第二十六条无效。",
    "en": "“{quote}” can at most exclude the seven-day no-reason return (Consumer Rights Protection Law, Article 25). "
          "This is not a no-reason return: {problem}. Under Articles 23 and 24 goods that do not match their "
          "description or do not work can still be returned, replaced or repaired; a standard clause that excludes "
          "this is invalid under Article 26.",
}

OFF_PLATFORM = {
    "zh": "页面要求「{quote}」，即在平台之外付款或联系。这会失去平台的交易保障，也是常见的诈骗特征；"
          "请保留收款账号和聊天记录，必要时向公安机关报案。",
    "en": "The page asks the buyer to “{quote}”: paying or talking outside the platform loses its protection and is a "
          "common sign of fraud. Keep the payee account and the chat; report to the police if needed.",
}


def _promises(coll: Collection) -> list[tuple[dict, Evidence]]:
    out = []
    for item in coll.products + coll.order + coll.shops:
        for promise in item.facts.get("promises") or []:
            if promise.get("quote"):
                out.append((promise, item))
    return out


def promise_findings(coll: Collection, ctx: OrderContext) -> list[dict]:
    problem = coll.record.problem
    kinds = BROKEN_BY.get(problem, ())
    grouped: dict[str, dict] = {}
    for promise, item in _promises(coll):
        if promise.get("kind") not in kinds:
            continue
        quote = promise["quote"]
        finding = grouped.setdefault(quote, {
            "code": "promise_broken", "quote": quote, "promise_kind": promise.get("kind"), "evidence": [],
            "explanation": {
                "zh": f"商家承诺「{quote}」，而实际情况是{problem_name(problem)}。依据《消费者权益保护法》第二十三条、"
                      f"第二十四条，商品应当与所作的说明相符；不符的，消费者可以要求退货、更换或修理。",
                "en": f"The seller promised “{quote}”, but {problem_name(problem, 'en')}. Under Articles 23 and 24 of "
                      f"the Consumer Rights Protection Law goods must match what the seller stated; when they do not, "
                      f"the buyer may ask for a return, replacement or repair."}})
        if promise.get("kind") == "delivery_window" and "due" not in finding:
            _add_due(finding, promise, ctx)
        if all(e["snapshot_id"] != item.id for e in finding["evidence"]):
            finding["evidence"].append({"snapshot_id": item.id, "quote": quote, "url": item.url,
                                        "seen_at": item.received_at, "sha256": item.sha256})
    return list(grouped.values())


def _add_due(finding: dict, promise: dict, ctx: OrderContext) -> None:
    """For a delivery promise: when delivery was due (payment or order time + the promised hours)
    and whether the stated delivery time met it."""
    hours = promise.get("hours")
    start = ctx.at("paid", "ordered")
    if not isinstance(hours, int | float) or isinstance(hours, bool) or start is None or not 0 <= hours < 24 * 3650:
        return
    due = start[0] + timedelta(hours=hours)
    delivered = ctx.at("delivered")
    finding["due"] = due.isoformat()
    if delivered and delivered[0] <= due:
        late_zh, late_en = f"页面显示的发货时间为 {delivered[0].isoformat()}。", f"The page states delivery at {delivered[0].isoformat()}."
    elif delivered:
        late_zh = f"而页面显示的发货时间为 {delivered[0].isoformat()}，已超时。"
        late_en = f"The page states delivery at {delivered[0].isoformat()}, after that time."
    else:
        late_zh, late_en = "截至保存的页面，仍未显示发货。", "No delivery is shown on any saved page."
    finding["explanation"]["zh"] += f"按承诺应在 {due.isoformat()} 前交付（付款/下单时间加{hours:g}小时）；{late_zh}"
    finding["explanation"]["en"] += (f" By the promise, delivery was due by {due.isoformat()} (payment/order time plus "
                                     f"{hours:g} hours). {late_en}")


def _purchase_time(coll: Collection, ctx: OrderContext):
    """When the buyer bought: the page-stated payment/order time, else the first capture of an
    order or checkout page (the buyer was at the till by then), else unknown."""
    stated = ctx.at("paid", "ordered")
    if stated:
        return stated[0]
    tills = [e.when for e in coll.order if e.kind in ("order", "checkout")]
    return min(tills) if tills else None


def _page_key(item: Evidence) -> str:
    url = item.url or ""
    return url.split("#", 1)[0]


def _described(item: Evidence) -> list[str]:
    """The lines of a product page that describe what was sold (title, price, promises)."""
    facts = item.facts
    product = facts.get("product") or {}
    price = product.get("price") or {}
    lines = [f"商品 / item: {product.get('title') or ''}",
             f"价格 / price: {price.get('amount') or ''} {price.get('currency') or ''}".rstrip()]
    lines += [f"承诺 / promise [{p.get('kind')}]: {p.get('quote')}" for p in facts.get("promises") or []]
    lines += [f"规则 / policy [{p.get('kind')}]: {p.get('quote')}" for p in facts.get("policies") or []]
    return lines


def description_findings(coll: Collection, ctx: OrderContext) -> list[dict]:
    """The same product page captured before and after the purchase, with its promises diffed."""
    purchase = _purchase_time(coll, ctx)
    pages: dict[str, list[Evidence]] = {}
    for item in coll.products:
        pages.setdefault(_page_key(item), []).append(item)
    out = []
    for versions in pages.values():
        versions.sort(key=lambda e: e.when)
        if purchase is not None:
            before = [v for v in versions if v.when <= purchase]
            after = [v for v in versions if v.when > purchase]
        else:
            before, after = versions[:1], versions[1:]
        if not before or not after:
            continue
        old, new = before[-1], after[-1]
        old_quotes = [p.get("quote") for p in old.facts.get("promises") or []]
        new_quotes = [p.get("quote") for p in new.facts.get("promises") or []]
        removed = [q for q in old_quotes if q not in new_quotes]
        added = [q for q in new_quotes if q not in old_quotes]
        old_lines, new_lines = _described(old), _described(new)
        if old_lines == new_lines and old.sha256 == new.sha256:
            continue
        if old_lines == new_lines:
            continue  # the bytes changed (a counter, an ad) but not what was promised
        diff = list(difflib.unified_diff(old_lines, new_lines, fromfile=f"{old.id} {old.received_at}",
                                         tofile=f"{new.id} {new.received_at}", lineterm=""))
        shown = "、".join(f"「{q}」" for q in removed) or "商品描述"
        out.append({
            "code": "description_changed", "quote": removed[0] if removed else (added[0] if added else ""),
            "evidence": [{"snapshot_id": old.id, "quote": "；".join(old_quotes), "url": old.url,
                          "seen_at": old.received_at, "sha256": old.sha256},
                         {"snapshot_id": new.id, "quote": "；".join(new_quotes), "url": new.url,
                          "seen_at": new.received_at, "sha256": new.sha256}],
            "diff": {"before": old.id, "after": new.id, "removed": removed, "added": added, "lines": diff,
                     "before_seen": [s.get("received_at") for s in old.sightings],
                     "after_seen": [s.get("received_at") for s in new.sightings]},
            "explanation": {
                "zh": f"同一商品页在购买前（{old.received_at}）显示{shown}，购买后（{new.received_at}）已被修改"
                      f"（删去：{'、'.join(removed) or '无'}；新增：{'、'.join(added) or '无'}）。交易应以购买时的描述为准"
                      f"（《消费者权益保护法》第二十三条），购买后修改描述不能免除商家按原描述履行的义务。",
                "en": f"The same product page showed {', '.join(removed) or 'the description'} before the purchase "
                      f"({old.received_at}) and was changed after it ({new.received_at}; removed: "
                      f"{', '.join(removed) or 'none'}; added: {', '.join(added) or 'none'}). The description at the time "
                      f"of purchase is what was sold (Consumer Rights Protection Law, Article 23)."}})
    return out


def term_findings(coll: Collection, ctx: OrderContext) -> list[dict]:
    out = []
    problem = coll.record.problem
    for policy, item in policies(coll, "final_interpretation", "liability_disclaimer", "no_refund", "off_platform"):
        quote, kind = policy["quote"], policy["kind"]
        evidence = [{"snapshot_id": item.id, "quote": quote, "url": item.url, "seen_at": item.received_at,
                     "sha256": item.sha256}]
        if kind in UNFAIR:
            text = {lang: UNFAIR[kind][lang].format(quote=quote) for lang in ("zh", "en")}
            out.append({"code": "unfair_term", "quote": quote, "policy_kind": kind, "evidence": evidence,
                        "explanation": text})
        elif kind == "no_refund":
            text = {lang: NO_REFUND[lang].format(quote=quote, problem=problem_name(problem, lang)) for lang in ("zh", "en")}
            out.append({"code": "no_refund_claim", "quote": quote, "policy_kind": kind, "evidence": evidence,
                        "explanation": text})
        else:
            text = {lang: OFF_PLATFORM[lang].format(quote=quote) for lang in ("zh", "en")}
            out.append({"code": "off_platform_payment", "quote": quote, "policy_kind": kind, "evidence": evidence,
                        "explanation": text})
    return out


def build_findings(coll: Collection, ctx: OrderContext) -> list[dict]:
    return promise_findings(coll, ctx) + description_findings(coll, ctx) + term_findings(coll, ctx)
