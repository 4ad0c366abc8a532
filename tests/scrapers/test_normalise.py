"""The normalisation layer in front of every text rule (issue 12, class 1): named examples for each
change, and properties that keep quotes verbatim (a fold keeps every offset; a numeral rewrite maps
every span back to the page's own characters)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrapers.text.normalise import cn_number, fold, halfwidth, has_traditional, normalise, numerals, simplify


def table(rows):
    return pytest.mark.parametrize("text,expected", [r[1:] for r in rows], ids=[r[0] for r in rows])


NUMBERS = [
    ("twenty-four", "二十四", 24), ("thirty", "三十", 30), ("hundred-twenty", "一百二十", 120), ("fifteen", "十五", 15),
    ("two-liang", "两", 2), ("thousand-and-eight", "一千零八", 1008), ("ten-thousand", "一万", 10000),
    ("year-digit-by-digit", "二〇二六", 2026), ("not-a-number", "二三四x", None), ("two-digits-in-a-row", "一二", 12),
]


@table(NUMBERS)
def test_chinese_numerals(text, expected):
    assert cn_number(text) == expected


NORMALISED = [
    ("traditional", "虛擬商品一經售出概不退換", "虚拟商品一经售出概不退换"),
    ("traditional-deposit", "保證金", "保证金"),
    ("fullwidth-digits", "质保３０天", "质保30天"),
    ("fullwidth-letters", "ＱＱ：１２３４５６", "QQ：123456"),  # (the CJK colon is kept)
    ("numerals-before-hours", "付款后二十四小时内发货", "付款后24小时内发货"),
    ("numerals-before-days", "三十天质保", "30天质保"),
    ("half-an-hour", "半小时内到账", "0.5小时内到账"),
    ("year-and-date", "二〇二六年十一月二十四日", "2026年11月24日"),
    ("not-a-count", "一经售出概不退换，一人一号", "一经售出概不退换，一人一号"),
    ("traditional-and-numerals", "付款後二十四小時內發貨", "付款后24小时内发货"),
]


@table(NORMALISED)
def test_normalised_copy(text, expected):
    assert normalise(text).text == expected


def test_a_match_maps_back_to_the_pages_own_characters():
    mapped = normalise("付款後二十四小時內發貨，質保三十天")
    start = mapped.text.index("24小时内发货")
    assert mapped.quote(start, start + len("24小时内发货")) == "二十四小時內發貨"
    start = mapped.text.index("质保30天")
    assert mapped.quote(start, start + len("质保30天")) == "質保三十天"


def test_detection_and_one_for_one_folds():
    assert has_traditional("保證金") and not has_traditional("保证金")
    assert simplify("自動發貨") == "自动发货" and halfwidth("４８ｈ") == "48h"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("保證金退換發貨０１２ＡＢ 　，：二十四小时天半年〇一两三質保a1")), max_size=40))
def test_fold_keeps_every_offset_and_numerals_map_every_span(text):
    assert len(fold(text)) == len(text)
    mapped = numerals(fold(text), text)
    for start in range(len(mapped.text)):
        for end in range(start, len(mapped.text) + 1):
            quote = mapped.quote(start, end)
            assert quote in text  # a span of the normalised copy is a span of the page text
