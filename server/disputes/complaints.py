"""Ready-to-file complaints: the fields the 12315 form, 黑猫投诉 and the payment apps' complaint
entries ask for, each filled from the dispute (its order's judgement and numbered evidence) and kept
within that field's length limit, in zh and en.

The forms, their fields, each field's limit and wording rules (one line; how a value too long is
shortened) and every sentence are data in ``server/rules/complaints.toml``. The Dispute JSON carries
them as ``complaints``: ``[{form, name, how, url, fields: [{key, label, value, max_length}]}]``, in the
order the buyer files them; the dispute page shows each field with a copy button (and the phone app
can do the same). 12315 is left out for a cross-border order (its plan goes to econsumer.gov), and a
payment app's form is given only when the order was paid through it.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from .. import rules
from ..risk.messages import china_minute
from ..risk.order import OrderJudgement
from .kinds import name
from .letters import money, remedy_of

LANGS = ("zh", "en")
SHA_SHOWN = 12
# The buyer's own words are dropped rather than cut to fewer characters than this.
MIN_TOLD = 10


def _texts(*path: str):
    return rules.entry("complaints", *path)


def _cut(text: str, limit: int, lang: str) -> str:
    """``text`` within ``limit`` characters, its end replaced by the cut mark when too long."""
    if len(text) <= limit:
        return text
    mark = _texts("texts", "cut")[lang]
    return text[:max(0, limit - len(mark))].rstrip() + mark


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _pair(value) -> dict:
    return value if isinstance(value, dict) else {lang: str(value) for lang in LANGS}


class _Filler:
    """The values of one dispute, field by field."""

    def __init__(self, judgement: OrderJudgement, evidence: list[dict]):
        self.j = judgement
        self.evidence = evidence
        problem = judgement.problem
        self.kind = problem.kind
        unknown = _texts("texts", "unknown")
        purchase = judgement.times.purchase()
        words = _texts("demands", "words")
        joiner = _texts("texts", "joiner")
        kinds = _texts("demands", "kinds")[self.kind]
        platform = judgement.platform or judgement.domain or ""
        self.values = {
            "platform": platform, "domain": judgement.domain or "", "item": judgement.item or unknown,
            "order_no": judgement.order_no or unknown, "money": money(judgement),
            "when": china_minute(purchase.at) if purchase else unknown,
            "occurred": china_minute(problem.occurred_at), "problem": name("problems", self.kind),
            "short_problem": _texts("problems", self.kind),
            "demand": {lang: joiner[lang].join(words[k][lang] for k in kinds) for lang in LANGS},
            "remedy": remedy_of(judgement),
        }
        self.off_platform = any(f["code"] == "off_platform_payment" for f in judgement.findings)
        told = (problem.description or "").strip()
        if told and told[-1] not in "。.!！?？":
            told += "。"
        self.told = told

    # --- one value per field -------------------------------------------------------------------
    def party_name(self) -> dict:
        j = self.j
        if j.seller and not j.single_shop:
            return rules.fill(_texts("texts", "party_on_platform"), seller=j.seller, platform=self.values["platform"])
        return _pair(self.values["platform"])

    def party_website(self) -> dict:
        for item in self.j.evidence.order:
            parts = urlsplit(item.url or "")
            if parts.scheme in ("http", "https") and parts.netloc:
                return _pair(f"{parts.scheme}://{parts.netloc}")
        return _pair(f"https://{self.values['domain']}" if self.values["domain"] else _texts("texts", "unknown")["zh"])

    def platform(self) -> dict:
        if self.values["domain"] and self.values["domain"] != self.values["platform"]:
            return rules.fill(_texts("texts", "platform_site"), platform=self.values["platform"],
                              domain=self.values["domain"])
        return _pair(self.values["platform"])

    def purchase_time(self) -> dict:
        return _pair(self.values["when"])

    def order_no(self) -> dict:
        return _pair(self.values["order_no"])

    def amount(self) -> dict:
        return self.values["money"]

    def demand(self) -> dict:
        return self.values["demand"]

    def problem(self) -> dict:
        return self.values["short_problem"]

    def title(self) -> dict:
        return rules.fill(_texts("texts", "title"), **self.values)

    def pay_reason(self) -> dict:
        return _texts("pay_reasons", "words")[_texts("pay_reasons", "kinds")[self.kind]]

    def facts_text(self, template: str, limit: int, squeeze: str = "told") -> dict:
        """The facts within ``limit``: whole when they fit, else the ``squeeze`` value (the buyer's
        own words; the item's name in a payment app's short description) shortened, then left out,
        and only then the end cut."""
        out = {}
        for lang in LANGS:
            whole = self.told if squeeze == "told" else _pair(self.values[squeeze])[lang]

            def render(part: str, lang: str = lang) -> str:
                values = {**self.values, "told": self.told, squeeze: part}
                return rules.fill(_texts("texts", template), **values)[lang].strip()

            text = render(whole)
            if len(text) > limit and whole:
                room = limit - (len(text) - len(whole))
                if room >= MIN_TOLD:
                    text = render(_cut(whole, room, lang))
                else:  # the buyer's words go; an item's name stays, shortened, and the end is cut
                    text = render("" if squeeze == "told" else _cut(whole, MIN_TOLD, lang))
            out[lang] = _cut(text, limit, lang)
        return out

    def pay_facts_template(self) -> str:
        """The payment app's description: a minor's payment, money paid outside the platform, or
        the plain case."""
        if self.kind == "minor_purchase":
            return "pay_facts_minor"
        return "pay_facts_off_platform" if self.off_platform else "pay_facts"

    def evidence_lines(self, template: str) -> list[dict]:
        lines = []
        for entry in self.evidence:
            lines.append(rules.fill(_texts("texts", template), no=entry["no"], title=entry["title"],
                                    received_at=china_minute_iso(entry["received_at"]), sha256=entry["sha256"],
                                    sha12=entry["sha256"][:SHA_SHOWN]))
        return lines

    def listing(self, lines: list[dict], limit: int) -> dict:
        """Whole lines while they fit, then a line saying how many there are in all."""
        out = {}
        for lang in LANGS:
            more = rules.fill(_texts("texts", "more"), total=len(lines))[lang]
            kept: list[str] = []
            for n, line in enumerate(lines):
                rest = n + 1 < len(lines)
                candidate = "\n".join([*kept, line[lang], *([more] if rest else [])])
                if len(candidate) > limit:
                    break
                kept.append(line[lang])
            if len(kept) < len(lines):
                kept.append(more)
            out[lang] = _cut("\n".join(kept), limit, lang)
        return out


def china_minute_iso(value: str) -> str:
    from ..clock import parse_iso

    try:
        return china_minute(parse_iso(value))
    except ValueError:
        return str(value)


_FACTS = {"facts": "facts", "facts_long": "facts"}
_LISTS = {"evidence": "evidence_line", "evidence_short": "evidence_short_line"}


def _field(key: str, filler: _Filler) -> dict:
    spec = _texts("fields", key)
    limit = spec["max"]
    if key == "pay_facts":
        value = filler.facts_text(filler.pay_facts_template(), limit, squeeze="item")
    elif key in _FACTS:
        value = filler.facts_text(_FACTS[key], limit)
    elif key in _LISTS:
        value = filler.listing(filler.evidence_lines(_LISTS[key]), limit)
    else:
        value = getattr(filler, key)()
    if spec.get("one_line"):
        value = {lang: _one_line(value[lang]) for lang in LANGS}
    value = {lang: _cut(value[lang], limit, lang) for lang in LANGS}
    return {"key": key, "label": spec["label"], "value": value, "max_length": limit}


def build_complaints(judgement: OrderJudgement, evidence: list[dict]) -> list[dict]:
    """Every complaint form that applies to this dispute, its fields filled (see the module doc)."""
    filler = _Filler(judgement, evidence)
    out = []
    if judgement.no_reason_return:
        # A return without a reason of goods that arrived: nothing to complain of to a regulator, a
        # complaint site or the payment app (消法第二十五条); the plan asks the seller and platform only.
        return out
    for form, spec in _texts("forms").items():
        if spec["domestic_only"] and judgement.cross_border:
            continue
        if spec.get("payment") and spec["payment"] != judgement.payment_app:
            continue
        out.append({"form": form, "name": spec["name"], "how": spec["how"], "url": spec["url"] or None,
                    "fields": [_field(key, filler) for key in spec["fields"]]})
    return out
