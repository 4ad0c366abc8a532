"""Facts enter the server typed (server.facts.typed, through PageFacts.from_dict): the contract's
JSON round-trips exactly, and stored or hand-written JSON of any shape never raises."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.facts import PageFacts, typed
from tests.conftest import FIXTURES

LABELS = sorted(FIXTURES.glob("*.json"))
LABELS = [p for p in LABELS if p.name != "index.json"]


@pytest.mark.parametrize("label", LABELS, ids=lambda p: p.stem)
def test_labelled_facts_round_trip(label):
    data = json.loads(label.read_text(encoding="utf-8"))
    facts = typed(data)
    assert isinstance(facts, PageFacts)
    assert facts.as_dict() == data


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=12)
KEYS = st.sampled_from(["url", "domain", "page_kind", "platform", "seller", "product", "order", "timestamps",
                        "promises", "policies"])


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(KEYS, JSON, max_size=10) | JSON)
def test_any_json_becomes_facts_without_raising(data):
    facts = typed(data, url="https://example.com/")
    assert isinstance(facts, PageFacts)
    assert set(facts.as_dict()) == {"url", "domain", "page_kind", "system", "platform", "seller", "product",
                                    "order", "timestamps", "promises", "policies"}
    assert all(isinstance(p.quote, str) and p.quote for p in facts.promises + facts.policies)
