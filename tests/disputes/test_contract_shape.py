"""Every dispute the scenario tests build keeps the contract's closed vocabularies: ``scenario.open_dispute``,
``scenario.rebuild`` and ``assert_invariants`` run ``contract_checks.assert_contract`` on each one (and the
screenshot scenario on its API answer). This module checks that the check itself reads the contract and
fails on the shape that once broke it: a ``payment_channel`` step with a letter of its own."""
from __future__ import annotations

import copy

import pytest

from server import rules

from .complaint_checks import payment_complaint
from .contract_checks import assert_contract, contract_enums
from .scenario import assert_invariants, open_dispute, store_fixture

USER = "usr_contract_shape"


def test_the_enums_are_read_from_the_contract():
    enums = contract_enums()
    assert enums["step"] == ("seller", "platform", "regulator", "consumer_association", "police", "chargeback")
    assert enums["phase"] == ("transaction", "delivery", "problem", "negotiation")
    assert enums["item"] == ("order_record", "description", "payment_proof", "delivery_record", "problem_proof",
                             "negotiation_record")


def test_a_domestic_order_paid_by_alipay_keeps_the_contract_and_the_old_shape_fails(app):
    store_fixture(app, USER, "xingchen-km-order", "2026-11-20T10:00:00.000+08:00")
    d = open_dispute(app, USER, "account_recovered", domain="xingchen-km.com", order_no="XC20261124100322581",
                     occurred_at="2026-11-24T10:00:00+08:00", created_at="2026-11-24T12:00:00+08:00",
                     now="2026-11-24T12:00:00+08:00")
    assert_invariants(app, USER, d)
    pay, _ = payment_complaint(d)
    assert pay["app"] in ("alipay", "wechat")
    # The shape the scenarios round once produced: a step of its own with its own letter.
    old = copy.deepcopy(d)
    old["escalation"].insert(2, {**old["escalation"][1], "step": "payment_channel", "letter": "payment_channel"})
    old["letters"]["payment_channel"] = {"zh": "…", "en": "…"}
    with pytest.raises(AssertionError, match="steps outside the contract"):
        assert_contract(old)
    stray = copy.deepcopy(d)
    stray["letters"]["payment_channel"] = {"zh": "…", "en": "…"}
    with pytest.raises(AssertionError, match="letters keys"):
        assert_contract(stray)
    bad_phase = copy.deepcopy(d)
    bad_phase["timeline"][0]["phase"] = "payment"
    with pytest.raises(AssertionError, match="phases outside"):
        assert_contract(bad_phase)


def test_openapi_keeps_the_contracts_steps_and_describes_the_payment_app_complaint(client):
    spec = client.get("/openapi.json").get_json()
    step = spec["components"]["schemas"]["Dispute"]["properties"]["escalation"]["items"]["properties"]
    assert tuple(step["step"]["enum"]) == contract_enums()["step"] == tuple(step["letter"]["enum"])
    pay = step["payment_channel"]
    assert pay["properties"]["app"]["enum"] == ["wechat", "alipay"]
    assert set(pay["properties"]["form"]["enum"]) <= set(rules.entry("complaints", "forms"))
