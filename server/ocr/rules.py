"""The reader's tables (rules.toml), loaded and checked once per process."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

FIELDS = ("amount", "time", "transaction_no", "merchant_order_no", "payee", "item", "status")


@lru_cache(maxsize=1)
def rules() -> dict:
    """The parsed tables; raises ValueError naming the first thing that is wrong."""
    data = tomllib.loads((Path(__file__).with_name("rules.toml")).read_text(encoding="utf-8"))
    for section in ("labels", "platforms", "prompts", "match"):
        if not isinstance(data.get(section), dict):
            raise ValueError(f"server/ocr/rules.toml: missing table [{section}]")
    for name in FIELDS:
        words = data["labels"].get(name)
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
            raise ValueError(f"server/ocr/rules.toml: labels.{name} must be a list of words")
    for table in ("platforms", "prompts"):
        for name, words in data[table].items():
            if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
                raise ValueError(f"server/ocr/rules.toml: {table}.{name} must be a list of words")
    for name in ("window_minutes", "scan"):
        if not isinstance(data["match"].get(name), int) or data["match"][name] <= 0:
            raise ValueError(f"server/ocr/rules.toml: match.{name} must be a positive integer")
    return data


def labels() -> list[tuple[str, str]]:
    """(label, field) pairs, longest label first, so 商家订单号 wins over 订单号."""
    pairs = [(label, field) for field in FIELDS for label in rules()["labels"][field]]
    return sorted(pairs, key=lambda pair: -len(pair[0]))
