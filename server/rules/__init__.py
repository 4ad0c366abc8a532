"""Judgement rules as data: thresholds, weights, citations and zh/en templates, in TOML files a
reader can open beside this module.

- ``thresholds.toml``: every number the judgement decides with (48 hours, 120 days, ¥5000 …).
- ``weights.toml``: what each risk signal is worth.
- ``citations.toml``: the law articles and card-network dispute reasons that texts cite.
- ``warnings.toml``: the checkout and badge warnings (severity, zh, en).
- ``disputes.toml``: names, checklist advice, windows, escalation steps and letters.
- ``reminders.toml``: the reminders' notifications and the calendar feed's events and alarms.
- ``complaints.toml``: the complaint forms' fields (12315, 黑猫投诉, the payment apps), with each
  field's length limit and wording rules.

Each file is checked against its JSON Schema (``schema.py``) when first loaded; ``load()`` loads
them all and is called once per process at start-up (``create_app``), so a broken table stops the
server at once instead of failing on some request.

Texts are filled by ``fill`` from their placeholders: every threshold by its name
(``{seller_reply_hours}``), every law by ``{law.cprl_26}``, and the caller's values; a value that is
a ``{"zh", "en"}`` pair gives each language its own text. A number is therefore written once, in
``thresholds.toml``, and every sentence that states it is filled from there.
"""
from __future__ import annotations

import difflib
import functools
import string
import tomllib
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
FILES = ("thresholds", "weights", "citations", "warnings", "disputes", "reminders", "complaints")
LANGS = ("zh", "en")


class RulesError(ValueError):
    """A rules file that is missing, unreadable or not as its schema says."""


@functools.cache
def table(name: str) -> dict:
    """The parsed, schema-checked ``<name>.toml``."""
    import jsonschema

    from .schema import SCHEMAS

    path = HERE / f"{name}.toml"
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise RulesError(f"no rules file {path}") from None
    except tomllib.TOMLDecodeError as error:
        raise RulesError(f"{name}.toml: {error}") from None
    try:
        jsonschema.validate(data, SCHEMAS[name])
    except jsonschema.ValidationError as error:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise RulesError(f"{name}.toml: {where}: {error.message}") from None
    _check_placeholders(name, data)
    return data


def load() -> None:
    """Load and check every rules file (and that every threshold a citation names exists)."""
    for name in FILES:
        table(name)
    complaints = table("complaints")
    for form, spec in complaints["forms"].items():
        for field in spec["fields"]:
            if field not in complaints["fields"]:
                raise RulesError(f"complaints.toml: forms.{form}.fields names no field {field!r}")
    for key, network in table("citations")["network"].items():
        if network["days"] not in table("thresholds"):
            raise RulesError(f"citations.toml: network.{key}.days names no threshold {network['days']!r}")


def threshold(name: str) -> int | float:
    """The threshold ``name`` of thresholds.toml (KeyError names an unknown one)."""
    return table("thresholds")[name]


def weights() -> dict:
    return table("weights")


def law(key: str) -> dict:
    """A law citation ``{"zh", "en"}``."""
    return table("citations")["law"][key]


def network(key: str) -> dict:
    """A card network's or wallet's dispute rules (citations.toml ``[network.<key>]``)."""
    return table("citations")["network"][key]


def chargeback_reason(problem: str) -> str:
    """``not_received`` or ``not_as_described``: which dispute reason a problem kind is."""
    return "not_received" if problem in table("citations")["chargeback"]["not_received"] else "not_as_described"


def defective_problems() -> tuple[str, ...]:
    """Problem kinds that say the delivered goods are defective or not what was ordered."""
    return tuple(table("citations")["chargeback"].get("defective", []))


def charged_back(payment_method: str | None) -> bool:
    """Whether a payment of this method can be disputed with a card network or PayPal (an unknown
    method may be a card; wallets, balances and USDT cannot: citations.toml ``no_chargeback``)."""
    return payment_method not in table("citations")["chargeback"].get("no_chargeback", [])


def warning(code: str) -> dict:
    """A warning row of warnings.toml: ``{"severity", "zh", "en"}``."""
    return table("warnings")[code]


def texts(*path: str):
    """The entry at ``path`` in disputes.toml (a zh/en pair, or a table of them)."""
    value: object = table("disputes")
    for part in path:
        value = value[part]  # type: ignore[index]
    return value


def entry(name: str, *path: str):
    """The entry at ``path`` in ``<name>.toml`` (reminders, complaints): a zh/en pair or a table."""
    value: object = table(name)
    for part in path:
        value = value[part]  # type: ignore[index]
    return value


def _lang_values(values: dict, lang: str) -> dict:
    out = {}
    for key, value in values.items():
        if isinstance(value, dict) and set(value) >= set(LANGS) and all(isinstance(value[x], str) for x in LANGS):
            out[key] = value[lang]
        else:
            out[key] = value
    return out


@functools.cache
def _laws(lang: str) -> SimpleNamespace:
    return SimpleNamespace(**{k: v[lang] for k, v in table("citations")["law"].items()})


def fill(template: dict, **values) -> dict:
    """``{"zh", "en"}`` of a template pair, each formatted with the thresholds, the laws
    (``{law.<key>}``) and ``values`` (a ``{"zh", "en"}`` value gives each language its own)."""
    out = {}
    for lang in LANGS:
        merged = {**table("thresholds"), "law": _laws(lang), **_lang_values(values, lang)}
        out[lang] = template[lang].format(**merged)
    return out


def text(*path: str, **values) -> dict:
    """``fill(texts(*path), **values)``."""
    return fill(texts(*path), **values)


# --- placeholders: every {name} in a template must be something fill() can give -----------------
_FORMATTER = string.Formatter()


def _placeholders(template: str) -> list[str]:
    return [name for _, name, _, _ in _FORMATTER.parse(template) if name]


def _check_placeholders(name: str, data: dict) -> None:
    """A template that names a threshold or law that does not exist fails at load, not on a request.
    (Templates' own values are checked by the tests that render them.)"""
    if name not in ("warnings", "disputes", "reminders", "complaints"):
        return
    known_laws = set(table("citations")["law"])
    numbers = set(table("thresholds"))

    def walk(value, where: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, f"{where}.{key}" if where else key)
        elif isinstance(value, str):
            try:
                names = _placeholders(value)
            except ValueError as error:
                raise RulesError(f"{name}.toml: {where}: {error}") from None
            for placeholder in names:
                if placeholder.startswith("law.") and placeholder[4:] not in known_laws:
                    raise RulesError(f"{name}.toml: {where}: no law {placeholder[4:]!r} in citations.toml")
                if placeholder in numbers or placeholder.startswith("law."):
                    continue
                near = difflib.get_close_matches(placeholder, numbers, n=1, cutoff=0.8)
                if near or placeholder.endswith(("_minutes", "_hours", "_days", "_cny", "_users", "_sales", "_years")):
                    hint = f" (did you mean {near[0]!r}?)" if near else ""
                    raise RulesError(f"{name}.toml: {where}: no threshold {placeholder!r} in thresholds.toml{hint}")

    walk(data, "")
