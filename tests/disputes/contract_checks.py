"""The Dispute JSON's closed vocabularies as docs/contract/api.md fixes them, read from the contract
itself, and a check that a built dispute keeps to them: every timeline ``phase``, checklist ``item`` and
escalation ``step`` is one of the contract's values, and the ``letters`` keys are exactly the steps'
``letter`` values. Extra fields are allowed (the contract's objects are open); extra enum values are not.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "contract" / "api.md"
_ALTERNATIVE = re.compile(r'\s*"([a-z_]+)"\s*(\|)?')


def _enum(text: str, field: str) -> tuple[str, ...]:
    """The ``"a" | "b" | …`` values written after ``"field":`` in the Dispute JSON block."""
    start = text.index(f'"{field}":') + len(field) + 3
    values = []
    while True:
        match = _ALTERNATIVE.match(text, start)
        assert match, f"no enum after {field!r} in {CONTRACT}"
        values.append(match.group(1))
        start = match.end()
        if not match.group(2):
            return tuple(values)


@cache
def contract_enums() -> dict[str, tuple[str, ...]]:
    """``{"phase": …, "item": …, "step": …}`` from the Dispute JSON of docs/contract/api.md."""
    text = CONTRACT.read_text(encoding="utf-8")
    block = text[text.index('"id": "dsp_'):]
    return {field: _enum(block, field) for field in ("phase", "item", "step")}


def assert_contract(dispute: dict) -> None:
    """``dispute`` keeps the contract's closed vocabularies (see the module doc)."""
    enums = contract_enums()
    phases = [e["phase"] for e in dispute["timeline"]]
    assert set(phases) <= set(enums["phase"]), f"phases outside the contract: {set(phases) - set(enums['phase'])}"
    items = [row["item"] for row in dispute["checklist"]]
    assert set(items) <= set(enums["item"]), f"checklist items outside the contract: {set(items) - set(enums['item'])}"
    steps = [s["step"] for s in dispute["escalation"]]
    assert set(steps) <= set(enums["step"]), f"steps outside the contract: {set(steps) - set(enums['step'])}"
    assert len(steps) == len(set(steps)), f"a step twice: {steps}"
    letters = [s["letter"] for s in dispute["escalation"]]
    assert sorted(dispute["letters"]) == sorted(letters), \
        f"letters keys {sorted(dispute['letters'])} are not the steps' letters {sorted(letters)}"
    assert_letters_readable(dispute)


_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_DIRECTION = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def assert_letters_readable(dispute: dict) -> None:
    """The letters are filed as written: times as a person writes them (no ISO ``…T…``), and no
    direction control from a page's quote that would reverse the rest of a line."""
    for key, letter in dispute["letters"].items():
        for lang, text in (letter.items() if isinstance(letter, dict) else [("", letter)]):
            if not isinstance(text, str):
                continue
            iso = _ISO_TIME.search(text)
            assert not iso, f"letter {key} ({lang}) prints a machine time: …{text[max(0, iso.start() - 20):iso.end() + 20]}…"
            assert not _DIRECTION.search(text), f"letter {key} ({lang}) carries a direction control"
