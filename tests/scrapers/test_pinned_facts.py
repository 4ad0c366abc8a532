"""Every labelled page (and its cut and root-URL variants) gives exactly the facts the engine gave
before the speed work (tests/scrapers/pinned_facts.json, written once by ``tests.scrapers.pinned``):
a change made for speed must not move a single fact, quote, float or list order."""
from __future__ import annotations

import json

import pytest

from .pinned import cases, facts_json, load

CASES = cases()
PINNED = load()


def test_every_case_is_pinned():
    assert sorted(PINNED) == sorted(key for key, _, _ in CASES)
    assert len(CASES) >= 3 * 80


@pytest.mark.parametrize("key,html,url", CASES, ids=[c[0] for c in CASES])
def test_facts_are_byte_for_byte_the_pinned_ones(key, html, url):
    got = facts_json(html, url)
    if got != PINNED[key]:
        want, now = json.loads(PINNED[key]), json.loads(got)
        moved = {part: (want[part], now[part]) for part in want if want[part] != now.get(part)}
        pytest.fail(f"{key}: facts moved (pinned, now): {moved or (PINNED[key], got)}")
