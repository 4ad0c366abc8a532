"""The judgement's rules files are checked when loaded, once per process at start-up: a broken table
is refused with its name and the place in it, before any request."""
from __future__ import annotations

import shutil

import pytest

from server import rules


@pytest.fixture
def rules_copy(tmp_path, monkeypatch):
    """The rules files copied to a place of their own, loaded from there (caches cleared)."""
    for path in rules.HERE.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.setattr(rules, "HERE", tmp_path)
    rules.table.cache_clear()
    rules._laws.cache_clear()
    yield tmp_path
    monkeypatch.undo()
    rules.table.cache_clear()
    rules._laws.cache_clear()


def test_the_shipped_rules_load():
    rules.load()
    assert rules.threshold("seller_reply_hours") > 0
    assert rules.network("visa")["not_received"]["code"] == "13.1"
    assert rules.chargeback_reason("not_delivered") == "not_received"
    assert rules.chargeback_reason("invalid_code") == "not_as_described"


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("thresholds.toml", "seller_reply_hours = 48", "seller_reply = 48", "seller_reply_hours"),
    ("thresholds.toml", "police_threshold_cny = 5000", "police_threshold_cny = \"a lot\"", "police_threshold_cny"),
    ("weights.toml", 'yes = ["lowers", 12]', 'yes = ["lowers"]', "weights.toml"),
    ("weights.toml", 'off_platform_payment = ["raises", 40]', 'off_platform_payment = ["worse", 40]', "weights.toml"),
    ("warnings.toml", 'severity = "danger"', 'severity = "panic"', "warnings.toml"),
    ("disputes.toml", "{seller_reply_hours}小时内", "{seller_reply_hourz}小时内", "seller_reply_hourz"),
    ("disputes.toml", "{law.cprl_26}", "{law.cprl_99}", "cprl_99"),
    ("citations.toml", 'days = "paypal_dispute_days"', 'days = "paypal_days"', "paypal_days"),
    ("disputes.toml", "[checklist.payment_proof]", "[checklist.payment_proofs]", "payment_proof"),
], ids=["renamed-threshold", "threshold-not-a-number", "effect-without-weight", "unknown-effect",
        "unknown-severity", "unknown-threshold-placeholder", "unknown-law", "unknown-network-limit",
        "missing-checklist-item"])
def test_a_broken_table_is_refused_at_load(rules_copy, file, old, new, message):
    _edit(rules_copy / file, old, new)
    with pytest.raises(rules.RulesError, match=message):
        rules.load()


def test_the_app_will_not_start_on_broken_rules(rules_copy, tmp_path):
    from server import create_app

    _edit(rules_copy / "thresholds.toml", "crowd_min_users = 3", "")
    with pytest.raises(rules.RulesError, match="crowd_min_users"):
        create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data"), "REDIS_URL": "redis://127.0.0.1:1/0"})
