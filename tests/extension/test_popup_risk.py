"""The popup's "this site" risk, decided by extension/src/popup/siterisk.js (run in Node): which of
its plain statements a TAB_RISK answer gets (judged, a shop KaDun knows nothing of, not a shop, not
a web page, not signed in, the backend unreachable), the level by the badge's rule (the worse of
platform and seller), and which reasons are quoted first."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

SITERISK = Path(__file__).resolve().parents[2] / "extension" / "src" / "popup" / "siterisk.js"
NODE = shutil.which("node") or "node"  # scripts/setup.sh installs Node.js (web-ext runs on it)


def _call(function: str, *args):
    """``function(*args)`` from siterisk.js, its result through JSON."""
    script = (f"const m = await import({json.dumps(SITERISK.as_uri())});"
              f"process.stdout.write(JSON.stringify(m.{function}(...{json.dumps(list(args))})));")
    done = subprocess.run([NODE, "--experimental-default-type=module", "--no-warnings", "--input-type=module", "-e", script],
                          capture_output=True, text=True, timeout=30, check=True)
    return json.loads(done.stdout)


def _risk(platform: str, seller: str | None = None) -> dict:
    subject = lambda level, kind: {"subject": kind, "level": level, "score": None, "signals": []}  # noqa: E731
    return {"platform": subject(platform, "platform"), "seller": subject(seller, "seller") if seller else None}


STATES = [
    ("judged_platform", {"host": "a.cn", "risk": _risk("high"), "error": None}, "judged"),
    ("judged_by_seller", {"host": "a.cn", "risk": _risk("unknown", "medium"), "error": None}, "judged"),
    ("shop_known_to_nobody", {"host": "a.cn", "risk": _risk("unknown", "unknown"), "error": None}, "unknown"),
    ("not_a_shop", {"host": "news.cn", "skipped": True}, "not_shop"),
    ("not_a_web_page", {"not_web": True}, "not_web"),
    ("not_paired", {"host": "a.cn", "risk": None, "error": "not_paired"}, "not_signed_in"),
    ("pairing_ended", {"host": "a.cn", "risk": None, "error": "unauthorized"}, "not_signed_in"),
    ("backend_down", {"host": "a.cn", "risk": None, "error": "unreachable"}, "unreachable"),
    ("no_answer_from_the_worker", None, "unreachable"),
    ("backend_refused", {"host": "a.cn", "risk": None, "error": "rate_limited"}, "error"),
    ("worker_failed", {"error": "TypeError: boom"}, "error"),
]


@pytest.mark.parametrize(("answer", "state"), [case[1:] for case in STATES], ids=[case[0] for case in STATES])
def test_each_answer_gets_its_own_plain_statement(answer, state):
    assert _call("siteRiskState", answer) == state


def _signal(code: str, effect: str, weight: int, quote: str | None = None) -> dict:
    evidence = [{"snapshot_id": "s1", "quote": quote, "url": "https://a.cn/", "seen_at": None}] if quote is not None else []
    return {"code": code, "subject": "platform", "value": True, "effect": effect, "weight": weight, "evidence": evidence}


def test_reasons_that_raise_the_risk_come_first_heaviest_first():
    subject = {"signals": [
        _signal("icp_filing", "lowers", -20, "京ICP备12345678号"),
        _signal("unfair_terms", "raises", 10, "本站拥有最终解释权"),
        _signal("platform_age", "neutral", 0),                      # no evidence: says nothing
        _signal("advance_compensation", "raises", 25, "本平台不提供先行赔付"),
        _signal("dispute_channel", "neutral", 0, "投诉请联系客服"),
    ]}
    top = _call("topSignals", subject, 3)
    assert [s["code"] for s in top["shown"]] == ["advance_compensation", "unfair_terms", "icp_filing"]
    assert top["more"] == 1   # the neutral one with evidence; the silent one is not counted
    assert _call("topSignals", subject, 10)["more"] == 0
    assert _call("topSignals", {"signals": []}) == {"shown": [], "more": 0}
    assert _call("topSignals", None) == {"shown": [], "more": 0}


def test_the_quote_is_the_first_non_empty_one():
    signal = {"evidence": [{"quote": None}, {"quote": "  "}, {"quote": " 概不退换 "}, {"quote": "later"}]}
    assert _call("quoteOf", signal) == "概不退换"
    assert _call("quoteOf", {"evidence": []}) == ""


LOCALES = SITERISK.parents[2] / "_locales"


def _names(locale: str, signals: list[dict]) -> list[str]:
    """signalName of each signal with the real ``locale`` messages as ``t``."""
    table = json.loads((LOCALES / locale / "messages.json").read_text("utf-8"))
    script = (f"const m = await import({json.dumps(SITERISK.as_uri())});"
              f"const table = {json.dumps(table)};"
              "const t = (key) => (table[key] ? table[key].message : key);"
              f"process.stdout.write(JSON.stringify({json.dumps(signals)}.map((s) => m.signalName(s, t))));")
    done = subprocess.run([NODE, "--no-warnings", "--input-type=module", "-e", script],
                          capture_output=True, text=True, timeout=30, check=True)
    return json.loads(done.stdout)


def test_a_reason_is_named_in_the_words_of_its_direction():
    """"▼ 新开或空壳店铺" read as a warning on an established shop, and "▲ ICP 备案" quoting a
    footer did not say the number is missing: each direction has its own words, so the name and
    its quote agree."""
    signals = [_signal("shell_shop", "lowers", 10), _signal("shell_shop", "raises", 15),
               _signal("icp_filing", "raises", 12), _signal("icp_filing", "lowers", 6),
               _signal("unfair_terms", "raises", 5),      # one direction only: its plain name
               _signal("made_up_code", "raises", 1)]      # unknown: the code, never an empty line
    zh = _names("zh_CN", signals)
    assert zh[:5] == ["店铺经营已久、有销量", "新开或空壳店铺", "未见 ICP 备案号", "有 ICP 备案号", "不公平格式条款"]
    assert zh[5] == "made_up_code"
    en = _names("en", signals)
    assert en[:3] == ["An established shop with sales", "New or shell shop", "No ICP filing number found"]


def test_every_two_way_reason_has_words_for_both_directions_in_both_languages():
    """A signal the weights let go either way (rules/weights.toml) is named for each direction."""
    import tomllib
    weights = tomllib.loads((SITERISK.parents[3] / "server" / "rules" / "weights.toml").read_text("utf-8"))
    two_way = {code for code, entry in weights["yes_no"].items()
               if {entry["yes"][0], entry["no"][0]} >= {"raises", "lowers"}}
    two_way |= {"platform_age", "shell_shop", "seller_deposit"}  # bands / per-case entries in [age] and [signal]
    for locale in ("zh_CN", "en"):
        table = json.loads((LOCALES / locale / "messages.json").read_text("utf-8"))
        for code in sorted(two_way):
            for effect in ("raises", "lowers"):
                assert table.get(f"signal_{code}_{effect}", {}).get("message"), (locale, code, effect)
