"""The shop detector reads traditional characters as the scrapers do: its fold table holds every
character that OpenCC (the scrapers' converter: t2s, tw2s, hk2s) simplifies into a character of
the detector's patterns, so a new label added to detect.js in simplified form is read in
traditional form too, or this test names what is missing."""
from __future__ import annotations

import re
from pathlib import Path

import opencc

DETECT = Path(__file__).resolve().parents[2] / "extension" / "src" / "content" / "detect.js"
_TABLE = re.compile(r'const FOLD_PAIRS = ((?:"[^"]*"\s*\+?\s*)+);')


def _fold_table(source: str) -> dict[str, str]:
    literal = "".join(re.findall(r'"([^"]*)"', _TABLE.search(source).group(1)))
    assert len(literal) % 2 == 0
    return {literal[i]: literal[i + 1] for i in range(0, len(literal), 2)}


def _pattern_characters(source: str) -> set[str]:
    """The Chinese characters the detector's patterns use (the fold table itself left out)."""
    return set("".join(re.findall(r"[\u4e00-\u9fff]+", _TABLE.sub("", source))))


def test_every_traditional_form_of_the_patterns_is_folded():
    source = DETECT.read_text(encoding="utf-8")
    table = _fold_table(source)
    wanted = _pattern_characters(source)
    every = "".join(chr(c) for c in range(0x4E00, 0xA000))
    missing = {}
    for config in ("t2s", "tw2s", "hk2s"):
        simplified = opencc.OpenCC(config).convert(every)
        assert len(simplified) == len(every)
        for traditional, plain in zip(every, simplified, strict=True):
            if traditional != plain and plain in wanted and table.get(traditional) != plain:
                missing.setdefault(traditional, plain)
    assert missing == {}, "add these (traditional, simplified) pairs to FOLD_PAIRS in detect.js"


def test_the_fold_table_only_simplifies():
    table = _fold_table(DETECT.read_text(encoding="utf-8"))
    assert table["訂"] == "订" and table["單"] == "单" and table["號"] == "号"
    assert all(a != b for a, b in table.items())
    # Every target is a character the patterns use (a pair for anything else is dead weight).
    wanted = _pattern_characters(DETECT.read_text(encoding="utf-8"))
    assert set(table.values()) <= wanted
