"""The rules tables (scrapers/text/rules/*.toml): loaded once, checked against their schema, and
read by the scrapers and by risk alike."""
from __future__ import annotations

import pytest

from scrapers.text import rules


def test_platform_table_loads_and_compiles():
    for name in ("deposit_system", "advance_compensation", "dispute_channel"):
        yes, no, yes_words, no_words, words = rules.mechanism(name)
        assert yes.pattern and no.pattern and yes_words and no_words and words.pattern


def test_a_malformed_table_is_refused_with_its_name(tmp_path, monkeypatch):
    (tmp_path / "platform.toml").write_text('[deposit_system]\nyes = "("\n', encoding="utf-8")
    monkeypatch.setattr(rules, "HERE", tmp_path)
    rules.table.cache_clear()
    try:
        with pytest.raises(rules.RuleTableError, match="platform.toml"):
            rules.table("platform")
    finally:
        rules.table.cache_clear()


def test_risk_quotes_a_mechanism_with_the_scrapers_words():
    from server.risk import signals

    (stated, _), (denied, _) = signals._mechanism_quotes("advance_compensation")
    assert stated.search("本平台提供先行赔付") and denied.search("本站不提供先行赔付")
