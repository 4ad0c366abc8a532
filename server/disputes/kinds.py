"""The vocabularies every dispute module shares (their zh/en names are in server/rules/disputes.toml)."""
from __future__ import annotations

from .. import rules

PROBLEMS = ("account_recovered", "account_banned", "not_as_described", "invalid_code", "not_delivered",
            "delivery_late", "seller_unresponsive", "platform_stalling", "shop_vanished", "minor_purchase",
            "other")
PHASES = ("transaction", "delivery", "problem", "negotiation")
# The escalation steps and letters the contract allows (docs/contract/api.md); the payment app's bill
# complaint rides on the platform step as its ``payment_channel`` field.
STEPS = ("seller", "platform", "regulator", "consumer_association", "police", "chargeback")
ATTACHMENT_KINDS = ("payment_proof", "chat_log", "error_screenshot", "other")


def problem_name(kind: str, lang: str = "zh") -> str:
    return name("problems", kind if kind in PROBLEMS else "other")[lang]


def name(table: str, key: str | None, fallback: str = "other") -> dict:
    """The ``{"zh", "en"}`` name of ``key`` in disputes.toml's ``[table]`` (else its ``fallback``)."""
    names = rules.texts(table)
    value = names.get(key) if key else None
    return value or names.get(fallback) or {"zh": str(key or ""), "en": str(key or "")}
