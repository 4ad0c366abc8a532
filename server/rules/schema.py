"""JSON Schemas of the rules files (checked with ``jsonschema`` when each file is loaded)."""
from __future__ import annotations

PAIR = {"type": "object", "required": ["zh", "en"], "properties": {"zh": {"type": "string", "minLength": 1},
                                                                   "en": {"type": "string", "minLength": 1}}}
PAIRS = {"type": "object", "additionalProperties": PAIR, "minProperties": 1}
EFFECT = {"type": "array", "prefixItems": [{"enum": ["raises", "lowers", "neutral"]},
                                           {"type": "integer", "minimum": 0, "maximum": 100}],
          "minItems": 2, "maxItems": 2}
NUMBER = {"type": "number", "minimum": 0}

THRESHOLDS = ("seller_reply_hours", "short_window_hours", "max_window_days", "shell_shop_days",
              "established_shop_days", "established_sales", "few_sales", "young_platform_years",
              "card_chargeback_days", "paypal_dispute_days", "police_threshold_cny", "odr_working_days",
              "crowd_min_users", "account_check_hours", "reminder_halfway_percent", "reminder_final_lead_minutes",
              "reminder_reference_hours",
              "payment_match_minutes")
PROBLEMS = ("account_recovered", "account_banned", "not_as_described", "invalid_code", "not_delivered",
            "delivery_late", "seller_unresponsive", "platform_stalling", "shop_vanished", "minor_purchase",
            "other")
CHECKLIST = ("order_record", "description", "payment_proof", "delivery_record", "problem_proof",
             "negotiation_record")
WINDOW_KINDS = ("feedback", "verify_now", "platform_apply", "promised_delivery", "account_check", "seller_reply",
                "chargeback")
WARNINGS = ("no_deposit_system", "no_advance_compensation", "young_platform", "no_icp", "unfair_term",
            "no_refund_claim", "unfair_term_cross_border", "no_refund_claim_cross_border", "feedback_deadline", "off_platform_payment", "shell_shop", "shell_shop_no_order",
            "shell_shop_few_sales", "cross_border", "account_recovery_risk", "promise_recorded", "evidence_gap",
            "crowd_disputes")


def _all(*names: str, of: dict = PAIR) -> dict:
    return {"type": "object", "required": list(names), "properties": {n: of for n in names}}


def _laws(pair: dict = PAIR) -> dict:
    return {"type": "object", "required": ["domestic", "cross_border"],
            "properties": {"domestic": pair, "cross_border": pair}}


REMINDER_KINDS = ("halfway", "final")

SCHEMAS = {
    "thresholds": {"type": "object", "required": list(THRESHOLDS), "additionalProperties": NUMBER},
    "weights": {
        "type": "object", "required": ["base", "critical_floor", "high_at", "medium_at", "yes_no", "age", "signal",
                                       "confidence"],
        "properties": {
            "base": NUMBER, "critical_floor": NUMBER, "high_at": NUMBER, "medium_at": NUMBER,
            "yes_no": {"type": "object", "additionalProperties": _all("yes", "no", of=EFFECT)},
            "age": {"type": "object", "required": ["bands", "middle", "young"], "properties": {
                "bands": {"type": "array", "items": {"type": "array", "prefixItems": [
                    {"type": "integer", "minimum": 1}, {"enum": ["raises", "lowers", "neutral"]},
                    {"type": "integer", "minimum": 0}], "minItems": 3, "maxItems": 3}},
                "middle": EFFECT, "young": EFFECT}},
            "signal": {"type": "object", "required": [
                "unfair_each", "unfair_cap", "short_feedback_window", "seller_deposit_positive", "seller_deposit_zero",
                "off_platform_payment", "shell_new", "shell_few_sales", "shell_established", "crowd_each",
                "crowd_cap"], "additionalProperties": {"oneOf": [EFFECT, NUMBER]}},
            "confidence": {"type": "object", "required": ["base", "per_signal"], "properties": {
                "base": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
                "per_signal": {"type": "integer", "minimum": 1}}}}},
    "citations": {
        "type": "object", "required": ["law", "network", "chargeback"],
        "properties": {
            "law": PAIRS,
            "network": {"type": "object", "required": ["visa", "mastercard", "paypal"], "additionalProperties": {
                "type": "object", "required": ["name", "not_received", "not_as_described", "days"], "properties": {
                    "name": PAIR, "days": {"type": "string"},
                    "not_received": {**PAIR, "required": ["code", "zh", "en"]},
                    "not_as_described": {**PAIR, "required": ["code", "zh", "en"]}}}},
            "chargeback": {"type": "object", "required": ["not_received", "no_chargeback"], "properties": {
                "not_received": {"type": "array", "items": {"enum": list(PROBLEMS)}},
                "defective": {"type": "array", "items": {"enum": list(PROBLEMS)}},
                "no_chargeback": {"type": "array", "items": {"enum": ["alipay", "wechat", "qqpay", "usdt", "card",
                                                                      "balance", "paypal", "other", "bank_transfer"]}}}}}},
    "warnings": {
        "type": "object", "required": [*WARNINGS, "words"],
        "properties": {
            **{code: {"type": "object", "required": ["severity", "zh", "en"], "properties": {
                "severity": {"enum": ["info", "caution", "danger"]}, "zh": {"type": "string", "minLength": 1},
                "en": {"type": "string", "minLength": 1}}} for code in WARNINGS},
            "words": {"type": "object", "required": ["subject"], "properties": {
                "subject": _all("platform", "seller", "shop")}}}},
    "disputes": {
        "type": "object",
        "required": ["problems", "phases", "attachments", "pages", "order_status", "checklist_states", "checklist",
                     "start_rules", "start_basis", "windows", "timeline", "findings", "police_reasons", "escalation",
                     "remedies", "letters", "payment_platforms", "screens", "cross_checks"],
        "properties": {
            "problems": _all(*PROBLEMS),
            "phases": _all("transaction", "delivery", "problem", "negotiation"),
            "attachments": _all("payment_proof", "chat_log", "error_screenshot", "other"),
            "pages": _all("product", "checkout", "order", "shop", "terms", "chat", "other"),
            "order_status": PAIRS,
            "checklist_states": _all("present", "partial", "missing"),
            "checklist": _all(*CHECKLIST, of=_all("name", "how", "partial")),
            "payment_platforms": _all("alipay", "wechat", "bank", "other"),
            "screens": _all("unknown", "payment", "number", "error"),
            "cross_checks": _all("same_bytes", "match", "differ", "heading", "fetched"),
            "start_rules": _all("delivery", "reveal", "purchase", "problem", "negotiation", "dispute_opened",
                                "transaction"),
            "start_basis": PAIRS,
            "windows": _all(*WINDOW_KINDS, of={**_all("rule", "action"), "required": ["zh", "en", "rule", "action"]}),
            "timeline": {"type": "object", "required": ["stated", "capture"], "properties": {
                "stated": _all("ordered", "paid", "delivered", "revealed"),
                "capture": _all("saved", "title", "codes", "status", "promises", "again", "seen", "attachment",
                                "changed", "nothing")}},
            "findings": {"type": "object", "required": [
                "promise_broken", "due", "description_changed", "final_interpretation", "liability_disclaimer",
                "no_refund", "off_platform"], "properties": {
                "promise_broken": _laws(), "due": _all("delivered_in_time", "delivered_late", "not_delivered", "stated_not_delivered",
                                                       "stated_late"),
                "description_changed": _laws(), "final_interpretation": _laws(), "liability_disclaimer": _laws(),
                "no_refund": _laws(), "off_platform": _laws()}},
            "police_reasons": _all("amount", "shop_vanished", "off_platform", "refund_fee_scam"),
            "escalation": {"type": "object", "required": ["channel", "basis", "advice", "regulator_fields"]},
            "remedies": _all(*PROBLEMS),
            "letters": {"type": "object", "required": [
                "unknown", "unknown_amount", "facts", "evidence_head", "evidence_line", "closing", "seller", "platform",
                "regulator", "regulator_cross_border", "consumer_association", "police", "chargeback"]}}},
    "reminders": {
        "type": "object", "required": ["kinds", "notification", "calendar"],
        "properties": {
            "kinds": _all(*REMINDER_KINDS),
            "notification": _all(*REMINDER_KINDS, of=_all("title", "body")),
            "calendar": _all("name", "summary", "description", "description_no_quote", "alarm")}},
    "complaints": {
        "type": "object", "required": ["forms", "fields", "demands", "problems", "pay_reasons", "texts"],
        "properties": {
            "forms": {"type": "object", "minProperties": 1, "additionalProperties": {
                "type": "object", "required": ["name", "how", "url", "domestic_only", "fields"],
                "properties": {"name": PAIR, "how": PAIR, "url": {"type": "string"},
                               "domestic_only": {"type": "boolean"},
                               "payment": {"enum": ["wechat", "alipay"]},
                               "fields": {"type": "array", "minItems": 1, "items": {"type": "string"}}}}},
            "fields": {"type": "object", "additionalProperties": {
                "type": "object", "required": ["label", "max"], "additionalProperties": False,
                "properties": {"label": PAIR, "max": {"type": "integer", "minimum": 10},
                               "one_line": {"type": "boolean"}, "shorten": {"enum": ["facts", "list"]}}}},
            "demands": {"type": "object", "required": ["kinds", "words"], "properties": {
                "kinds": _all(*PROBLEMS, of={"type": "array", "minItems": 1, "items": {
                    "enum": ["refund", "replace", "compensation"]}}),
                "words": _all("refund", "replace", "compensation")}},
            "problems": _all(*PROBLEMS),
            "pay_reasons": {"type": "object", "required": ["kinds", "words"], "properties": {
                "kinds": _all(*PROBLEMS, of={"enum": ["not_received", "not_as_described", "no_after_sales", "minor",
                                                      "fraud"]}),
                "words": _all("not_received", "not_as_described", "no_after_sales", "fraud")}},
            "texts": _all("joiner", "more", "cut", "unknown", "party_on_platform", "platform_site", "title",
                          "facts", "pay_facts", "evidence_line", "evidence_short_line")}},
}
