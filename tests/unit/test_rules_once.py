"""Every threshold is defined once, in server/rules/thresholds.toml, and every text that states one
is filled from it (a lint over the judgement code and the rules files).

- The judgement code (server/risk, server/disputes, the report, the risk and dispute routes) never
  compares against a threshold's number written in the code, never builds a timedelta from a
  literal, and never writes a number with a unit (48小时, 120 days, ¥5000) into a string.
- The templates (warnings.toml, disputes.toml) state no number with a unit themselves: they use
  the thresholds' placeholders.
- Changing a threshold changes every text that states it.
"""
from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from server import rules

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "server" / "rules"
JUDGEMENT = [*(ROOT / "server" / "risk").glob("*.py"), *(ROOT / "server" / "disputes").glob("*.py"),
             ROOT / "server" / "evidence" / "report.py", ROOT / "server" / "api" / "risk.py",
             ROOT / "server" / "api" / "disputes.py"]
# A number with a unit a reader would take for a rule: 48小时, 7天, 10个工作日, 120 days, ¥5000.
STATED = re.compile(r"(?<![\d.{])\d+(?:\.\d+)?\s*(?:小时|天|个?工作日|hours?\b|days?\b|working days\b)|[¥￥]\s*\d+")
THRESHOLDS = tomllib.loads((RULES / "thresholds.toml").read_text(encoding="utf-8"))


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def _violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    # 0 and 1 are every count's edge (plurals, "more than one"); the rules' numbers are the others.
    values = {v for v in THRESHOLDS.values() if not isinstance(v, bool) and v > 1}
    out = []
    where = path.relative_to(ROOT)
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for part in [node.left, *node.comparators]:
                if isinstance(part, ast.Constant) and type(part.value) in (int, float) and part.value in values:
                    out.append(f"{where}:{node.lineno}: compares with {part.value} (a threshold's number)")
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "timedelta":
            literals = [a for a in [*node.args, *(k.value for k in node.keywords)]
                        if isinstance(a, ast.Constant) and type(a.value) in (int, float)]
            if literals:
                out.append(f"{where}:{node.lineno}: timedelta of a literal {literals[0].value}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            found = STATED.search(node.value)
            if found:
                out.append(f"{where}:{node.lineno}: states {found.group(0)!r} in a string")
    return out


@pytest.mark.parametrize("path", JUDGEMENT, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_threshold_in_the_judgement_code(path):
    assert _violations(path) == []


def _strings(value, where=""):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _strings(inner, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            yield from _strings(inner, f"{where}[{n}]")
    elif isinstance(value, str):
        yield where, value


@pytest.mark.parametrize("name", ["warnings", "disputes", "citations"])
def test_templates_state_numbers_through_placeholders(name):
    data = tomllib.loads((RULES / f"{name}.toml").read_text(encoding="utf-8"))
    stated = [(where, STATED.search(text).group(0)) for where, text in _strings(data) if STATED.search(text)]
    assert stated == []


def test_each_threshold_is_defined_once():
    defined: dict[str, list[str]] = {}
    for path in RULES.glob("*.toml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            match = re.match(r"\s*([a-z_]+)\s*=", line)
            if match and match.group(1) in THRESHOLDS:
                defined.setdefault(match.group(1), []).append(path.name)
    assert {name: files for name, files in defined.items() if files != ["thresholds.toml"]} == {}
    assert set(defined) == set(THRESHOLDS)


def test_a_changed_threshold_changes_every_text_that_states_it(monkeypatch):
    """Texts are filled from the table: set the seller's reply time to 36 hours and the letters'
    and plan's sentences say 36."""
    changed = {**rules.table("thresholds"), "seller_reply_hours": 36}
    monkeypatch.setattr(rules, "table", _replacing(rules.table, "thresholds", changed))
    text = rules.text("windows", "seller_reply", "rule")
    assert "36" in text["zh"] and "36" in text["en"] and "48" not in text["zh"]
    ask = rules.text("letters", "seller", "ask", deadline="D", remedy={"zh": "退款", "en": "refund"})
    assert "36小时" in ask["zh"] and "36 hours" in ask["en"]


def _replacing(original, name: str, value: dict):
    def table(which: str) -> dict:
        return value if which == name else original(which)

    return table
