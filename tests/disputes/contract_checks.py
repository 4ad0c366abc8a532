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
