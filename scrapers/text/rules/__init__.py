"""Text rules as data: the one home of every phrase, negation and scope table.

Each ``*.toml`` file beside this module is a table a reader can open and change without touching
code. The scrapers read them to find facts on a page, and the backend's judgement (``server.risk``)
reads the same tables to quote the page text behind each fact, so the badge and the dispute never
work from two different word lists.

``table(name)`` loads ``<name>.toml`` once per process (the standard library's ``tomllib``) and
checks it against the small schema below; a malformed table fails at start-up, not on a page.
``regex(name, *path)`` gives a compiled pattern from a table entry. Tables of rows (``[[policy]]``
rows of phrases.toml) are checked row by row: every pattern compiles once its ``{VAR}`` names are
filled from the table's ``[vars]`` (``expand``).
"""
from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent


class RuleTableError(ValueError):
    """A rules file that does not follow its schema."""


# name → {section: {key: type}}: every section listed must be present with these keys.
_SCHEMA: dict[str, dict[str, dict[str, type]]] = {
    "platform": {
        mechanism: {"yes": str, "no": str, "yes_words": list, "no_words": list, "quote_words": str}
        for mechanism in ("deposit_system", "advance_compensation", "dispute_channel")
    },
    # Clause words of the backend's judgement (server/risk compiles and checks each pattern).
    "clauses": {
        "window_start": {"problem": str, "reveal": str, "delivery": str, "purchase": str, "order": list},
        "window_kind": {"platform_apply": str, "verify_now": str},
        "no_refund": {"blanket": str, "no_reason": str, "excepted": str},
        "account_goods": {"words": str, "item_labels": str, "shared": str},
        "deposit_use": {"for_buyers": str, "elsewhere": str, "merchant": str, "buyer_pays": str},
        "currency_marks": {"neutral": list},
        "payment_networks": {"visa": str, "mastercard": str, "paypal": str},
        "time_labels": {"delivered": str, "revealed": str, "promised_delivery": str},
    },
}


# name → {array of rows: ({required key: type}, {optional key: type})}
_ROWS: dict[str, dict[str, tuple[dict[str, type | tuple], dict[str, type | tuple]]]] = {
    "phrases": {
        family: ({"name": str, "pattern": (str, list), "hints": list, "examples": list} | (
            {"kind": str} if family != "mask" else {}),
                 {"hours": (str, int, float), "negatable": bool, "unless": str, "counter": list})
        for family in ("mask", "policy", "promise")
    },
}
# name → {section: {key: type}} like _SCHEMA, for tables this package added later (kept apart so
# that _SCHEMA's own entries merge without touching each other)
_SECTIONS: dict[str, dict[str, dict[str, type]]] = {
    "pages": {"article": {"words": str, "classes": list, "generators": str},
              "forum": {"words": str, "classes": list, "generators": str},
              "shop": {"buy": str, "buy_price": str, "pay": str}},
    "phrases": {"vars": {"P": str, "NUM": str}, "negation": {"cn": str, "en": str, "cn_window": int, "en_window": int},
                "scope": {"quoting": str, "ticker": str, "denial": str, "denial_clause": str, "denial_topic": str, "shop_channel": str,
                          "shop_guarantee": str},
                "quote": {"qualifier": str, "noun": str}},
}
_VAR = re.compile(r"\{([A-Z][A-Z_]*)\}")  # {NAME}: regex quantifiers ({2}, {0,8}) hold digits only


def expand(data: dict, pattern: str | list) -> str:
    """A row's pattern with its ``{VAR}`` names filled from the table's ``[vars]`` (a list of
    alternatives is joined with ``|``)."""
    if isinstance(pattern, list):
        pattern = "|".join(pattern)
    variables = data.get("vars") or {}

    def fill(m: re.Match) -> str:
        if m.group(1) not in variables:
            raise KeyError(m.group(1))
        return variables[m.group(1)]

    return _VAR.sub(fill, pattern)


def _check_rows(name: str, data: dict) -> None:
    for family, (required, optional) in _ROWS.get(name, {}).items():
        rows = data.get(family)
        if not isinstance(rows, list) or not rows:
            raise RuleTableError(f"{name}.toml: no [[{family}]] rows")
        for number, row in enumerate(rows, 1):
            where = f"{name}.toml: [[{family}]] {row.get('name') or number}"
            for key, kind in required.items():
                if not isinstance(row.get(key), kind):
                    raise RuleTableError(f"{where}: {key} is missing or of the wrong type")
            for key, kind in optional.items():
                if key in row and not isinstance(row[key], kind):
                    raise RuleTableError(f"{where}: {key} is of the wrong type")
            for key in ("pattern", "unless"):
                if key in row:
                    try:
                        re.compile(expand(data, row[key]), re.I)
                    except KeyError as error:
                        raise RuleTableError(f"{where}: {key} names no [vars] entry {error}") from None
                    except re.error as error:
                        raise RuleTableError(f"{where}: {key} is not a valid pattern: {error}") from None


def _check(name: str, data: dict) -> dict:
    _check_rows(name, data)
    for section, keys in (_SCHEMA.get(name, {}) | _SECTIONS.get(name, {})).items():
        entry = data.get(section)
        if not isinstance(entry, dict):
            raise RuleTableError(f"{name}.toml: section [{section}] is missing")
        for key, kind in keys.items():
            if not isinstance(entry.get(key), kind):
                raise RuleTableError(f"{name}.toml: [{section}] {key} must be a {kind.__name__}")
            if kind is str and (key in ("yes", "no", "quote_words") or name in _SECTIONS):
                try:
                    re.compile(entry[key])
                except re.error as error:
                    raise RuleTableError(f"{name}.toml: [{section}] {key} is not a valid pattern: {error}") from None
    return data


@functools.cache
def table(name: str) -> dict:
    """The parsed, checked table ``<name>.toml``."""
    path = HERE / f"{name}.toml"
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise RuleTableError(f"no rules table {name}.toml in {HERE}") from None
    except tomllib.TOMLDecodeError as error:
        raise RuleTableError(f"{name}.toml: {error}") from None
    return _check(name, data)


@functools.cache
def regex(name: str, *path: str) -> re.Pattern:
    """The compiled, case-insensitive pattern at ``path`` in table ``name``."""
    value: object = table(name)
    for part in path:
        value = value[part]  # type: ignore[index]
    return re.compile(str(value), re.I)


def mechanism(name: str) -> tuple[re.Pattern, re.Pattern, tuple[str, ...], tuple[str, ...], re.Pattern]:
    """A platform mechanism (``deposit_system``, ``advance_compensation``, ``dispute_channel``):
    (states it, denies it, words every "states" match holds, words every "denies" match holds,
    the broader words a quote of either may fall back to)."""
    entry = table("platform")[name]
    return (regex("platform", name, "yes"), regex("platform", name, "no"), tuple(entry["yes_words"]),
            tuple(entry["no_words"]), regex("platform", name, "quote_words"))
