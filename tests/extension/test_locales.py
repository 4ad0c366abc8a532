"""The extension's two languages are complete: the same keys and placeholders in zh_CN and en, a
text for every key a script, page or the manifest uses, and a name in each language for every
value of the backend's vocabularies the pages show through ``label(prefix, value)`` (an unknown
value shows as the raw code, e.g. ``payment_proof``, on a Chinese screen)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
LOCALES = ("zh_CN", "en")
# t("key"), data-i18n="key" (and -placeholder / -label), __MSG_key__ in the manifest.
USES = (re.compile(r"\bt\(\s*\"([A-Za-z0-9_]+)\""), re.compile(r"data-i18n(?:-[a-z]+)?=\"([A-Za-z0-9_]+)\""),
        re.compile(r"__MSG_([A-Za-z0-9_]+)__"))
PLACEHOLDER = re.compile(r"\$\d|\$[A-Za-z_]+\$")
# Chrome reads "$name$" as a named placeholder (digits too: "$2$3" holds "$2$"); one the entry does
# not declare makes Chrome refuse to load the whole extension (no worker, no badge, no popup).
NAMED = re.compile(r"\$([A-Za-z0-9_@]+)\$")


def _messages(locale: str) -> dict:
    return json.loads((EXTENSION / "_locales" / locale / "messages.json").read_text(encoding="utf-8"))


def _used_keys() -> dict[str, str]:
    """Every key named literally in the extension's scripts, pages and manifest → where."""
    used = {}
    for path in sorted([*EXTENSION.rglob("*.js"), *EXTENSION.rglob("*.html"), EXTENSION / "manifest.json"]):
        text = path.read_text(encoding="utf-8")
        for pattern in USES:
            for key in pattern.findall(text):
                used.setdefault(key, str(path.relative_to(EXTENSION)))
    return used


def _vocabularies() -> dict[str, tuple[str, ...]]:
    from server.api.snapshots import _PAGE_KINDS
    from server.disputes.kinds import ATTACHMENT_KINDS, PHASES, PROBLEMS, STEPS
    from server.risk.score import ORDER

    # signal_…: the badge's reasons (an unnamed one showed its code, "off_platform_payment").
    return {"problem": tuple(PROBLEMS), "attach": tuple(ATTACHMENT_KINDS), "phase": tuple(PHASES),
            "step": tuple(STEPS), "pagekind": tuple(_PAGE_KINDS), "kind": ("extension", "phone", "account"),
            "signal": tuple(ORDER), "level": ("low", "medium", "high", "unknown")}


def problems(tables: dict[str, dict]) -> list[str]:
    """What is incomplete across the locales' tables ({locale: messages}), as readable lines."""
    found = []
    keys = {locale: set(table) for locale, table in tables.items()}
    every = set().union(*keys.values())
    for locale, have in keys.items():
        found += [f"{locale}: no text for {key}" for key in sorted(every - have)]
    for key in sorted(set.intersection(*keys.values())):
        holes = {locale: sorted(set(PLACEHOLDER.findall(tables[locale][key]["message"]))) for locale in tables}
        if len({tuple(h) for h in holes.values()}) > 1:
            found.append(f"{key}: placeholders differ {holes}")
        found += [f"{locale}: empty text for {key}" for locale in tables if not tables[locale][key]["message"].strip()]
    for locale, table in tables.items():
        for key, entry in sorted(table.items()):
            declared = {name.lower() for name in entry.get("placeholders") or {}}
            found += [f"{locale}: {key} names ${name}$, which is not declared (Chrome will not load the extension)"
                      for name in NAMED.findall(entry["message"]) if name.lower() not in declared]
    for key, where in sorted(_used_keys().items()):
        found += [f"{locale}: {where} uses {key}, which has no text" for locale in tables if key not in tables[locale]]
    for prefix, values in _vocabularies().items():
        for value in values:
            found += [f"{locale}: no name for {prefix}_{value}" for locale in tables if f"{prefix}_{value}" not in tables[locale]]
    return found


def test_both_languages_have_every_text_the_extension_uses():
    assert problems({locale: _messages(locale) for locale in LOCALES}) == []


@pytest.mark.parametrize("damage", ["drop_en", "drop_both", "placeholder", "vocabulary", "named"])
def test_the_check_finds_each_kind_of_gap(damage):
    """The check is real: each kind of gap in a damaged copy of the tables is reported."""
    tables = {locale: _messages(locale) for locale in LOCALES}
    if damage == "drop_en":
        del tables["en"]["disputeCreate"]
        expected = "en: no text for disputeCreate"
    elif damage == "drop_both":
        for table in tables.values():
            del table["filesNone"]
        expected = "uses filesNone, which has no text"
    elif damage == "placeholder":
        tables["en"]["quotaRow"]["message"] = "quota"
        expected = "quotaRow: placeholders differ"
    elif damage == "named":
        for table in tables.values():  # "$1：$2$3": Chrome reads "$2$" as a named placeholder
            table["badgeSubjectLevel"]["message"] = "$1：$2$3"
        expected = "badgeSubjectLevel names $2$, which is not declared"
    else:
        for table in tables.values():
            del table["attach_payment_proof"]
        expected = "no name for attach_payment_proof"
    assert any(expected in line for line in problems(tables)), problems(tables)
