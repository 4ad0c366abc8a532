"""Risk without Redis: the signals a set of pages shows, judged (``kadun score`` and tests)."""
from __future__ import annotations

from . import profiles, score
from .model import PLATFORM, SELLER, as_observation, seller_key
from .signals import read_observation


def read_signals(facts_list, *, now: str | None = None) -> dict:
    """The signals a set of pages shows, judged (pure: no Redis). Items are facts (typed or dicts;
    quotes then come from the facts alone) or Observations (quotes located in the page text).

    Returns ``{"platform": [Signal dict], "sellers": {seller_key: [Signal dict]}}``.
    """
    platform_state = profiles.new_state()
    seller_states: dict[str, dict] = {}
    for item in facts_list:
        obs = as_observation(item)
        readings = read_observation(obs)
        profiles.fold(platform_state, [r for r in readings if r.subject == PLATFORM], obs)
        key = seller_key(obs.facts)
        if key:
            profiles.fold(seller_states.setdefault(key, profiles.new_state()),
                          [r for r in readings if r.subject == SELLER], obs)
    return {
        "platform": [s.as_dict() for s in score.judge_state(platform_state, PLATFORM, now=now)],
        "sellers": {k: [s.as_dict() for s in score.judge_state(v, SELLER, now=now)] for k, v in seller_states.items()},
    }
