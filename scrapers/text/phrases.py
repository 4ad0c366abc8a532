"""Promise and policy phrases as data: one row per phrase shape, read by a small engine.

Rows run in order over one line of visible text; a match masks its span, so a phrase maps to one
kind (``永久稳定`` is ``lifetime``; ``不支持无理由退款`` is ``no_refund``, not a ``refund`` promise).
``mask`` rows consume warnings ("请勿脱离平台私下交易") without producing anything. A row's quote is
the matched span itself: verbatim text of one line.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..facts import Phrase
from . import nfkc

_UNIT_HOURS = {"小时": 1, "个小时": 1, "h": 1, "hour": 1, "hours": 1, "hr": 1, "hrs": 1,
               "天": 24, "日": 24, "day": 24, "days": 24, "个月": 720, "月": 720, "month": 720,
               "months": 720, "周": 168, "星期": 168, "week": 168, "weeks": 168, "年": 8760,
               "year": 8760, "years": 8760, "分钟": 1 / 60, "min": 1 / 60, "mins": 1 / 60,
               "minute": 1 / 60, "minutes": 1 / 60}
_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
NUM = r"(?<![0-9０-９])(?P<n>[0-9０-９]+|[一二两三四五六七八九十])"
_NEG_BEFORE = re.compile(r"(?:不|无|非|没有|未|勿|别|不是|不会|不能|不提供|不支持|拒绝|\bno|\bnot|\bnever|\bwithout|n't)\s*$",
                         re.I)
_P = "[^，。；;！!？?\n]"  # one character inside a clause


@dataclass(frozen=True)
class Rule:
    family: str  # "promise", "policy" or "mask"
    kind: str
    pattern: re.Pattern
    hours: str | float | None = None  # "n": from the number and unit groups; a number: fixed
    negatable: bool = True  # drop a match right after 不/无/非…
    hints: frozenset[str] = frozenset()  # a match contains one of these words (lower-case): a cheap pre-check


def _r(family, kind, pattern, hours=None, negatable=True, flags=re.I):
    words = frozenset(w.lower() for w in HINTS.get((family, kind), ()))
    return Rule(family, kind, re.compile(pattern, flags), hours, negatable, words)


HINTS = {
    ("mask", "warning"): ("勿", "不要", "禁止", "严禁", "谨防", "警惕", "不得", "never", "not", "n't", "avoid"),
    ("policy", "no_refund"): ("退", "refund", "final", "return"),
    ("policy", "final_interpretation"): ("解释权", "interpret"),
    ("policy", "liability_disclaimer"): ("责任", "无关", "承担", "不参与", "responsible", "liable"),
    ("policy", "feedback_window"): ("内", "within"),
    ("policy", "off_platform"): ("付款", "转账", "支付", "购买", "下单", "取卡", "收款码", "人工收款", "私聊", "pay "),
    ("policy", "shared_account"): ("共享", "独享", "shared"),
    ("promise", "auto_delivery"): ("自动", "deliver"),
    ("promise", "delivery_window"): ("秒", "内", "deliver"),
    ("promise", "warranty"): ("包售后", "终身", "质保", "保修", "售后保障", "warranty"),
    ("promise", "replacement"): ("换", "补发", "replacement"),
    ("promise", "refund"): ("退", "无理由"),
    ("promise", "exclusive"): ("独享", "一人一号", "共享", "exclusive"),
    ("promise", "original_owner"): ("找回", "一手", "原始邮箱", "首绑", "original", "first"),
    ("promise", "lifetime"): ("终身", "永久", "永不过期", "lifetime", "never expires"),
    ("promise", "stable"): ("掉线", "封号", "包稳", "稳定"),
    ("promise", "as_described"): ("正版", "官方", "正规", "正品", "保证", "official", "100%"),
}


RULES: list[Rule] = [
    # warnings and scam notices quote phrases; they state nothing
    _r("mask", "warning", rf"(?:请勿|切勿|不要|禁止|严禁|谨防|警惕|勿|不得){_P}{{0,16}}"
       r"(?:私下交易|站外交易|脱离平台|站外|付款|转账|加.{0,6}(?:QQ|微信))"),
    _r("mask", "warning", r"(?:never|do not|don't|avoid)[^.]{0,30}(?:outside|off[- ]platform|directly to)"),
    # ---- policies -------------------------------------------------------------------------
    _r("policy", "no_refund", rf"{_P}{{0,8}}?(?:一经|售出后?|发出后?|激活后|发放后?|购买后?|下单后|发货后|出售后?)"
       rf"{_P}{{0,6}}?(?:概不退[换款货]?|不退不换|不予退[款换货]|不支持(?:任何)?(?:七天|7天)?(?:无理由)?退[款换货]"
       r"|不退款|不退换|不可退[款换]?|不能退[款换]?)", negatable=False),
    _r("policy", "no_refund", r"概不退[换款货]|不退不换|售出不退|不支持(?:七天|7天)?无理由退[款货换]"
       r"|不(?:支持|予|接受|提供)(?:任何)?退[款换货]|不可退[款换货]|不能退[款换货]|不退款|无法退[款换货]"
       r"|no refunds?\b|non-refundable|all sales (?:are )?final|refunds? (?:are|is|will) not (?:be )?(?:available|possible"
       r"|provided|issued|given)|(?:we )?(?:do|does) not (?:offer|provide|issue|give) refunds"
       r"|(?:cannot|can ?not|can't|may not) be (?:returned|refunded)|non-returnable|no returns\b", negatable=False),
    _r("policy", "final_interpretation", rf"最终解释权{_P}{{0,10}}|(?:right of |right to )?final interpretation"
       r"|sole discretion to interpret", negatable=False),
    _r("policy", "liability_disclaimer", rf"{_P}{{0,6}}?不承担任何(?:法律|连带)?责任|与本(?:站|店|平台|网站)无关"
       r"|风险(?:由|需)?买卖双方自行承担|(?:本?平台|本站)不参与(?:商品)?(?:的)?(?:售卖|销售|买卖|交易)"
       r"|(?:is|are) not (?:held )?(?:responsible|liable) for", negatable=False),
    _r("policy", "feedback_window", rf"(?:须|需|请|应)?(?:在|于)?(?:交付|收货|收到{_P}{{0,6}}?|发货|购买|下单|问题发生)?后?"
       rf"{NUM}\s*(?P<u>个小时|小时|天|日|分钟|h)(?:之)?内{_P}{{0,6}}?(?:反馈|联系|登录验证|验证|申请|申诉|售后|投诉|确认|测试|检查)",
       hours="n", negatable=False),
    _r("policy", "feedback_window", rf"只(?:处理|受理){NUM}\s*(?P<u>个小时|小时|天|日)(?:之)?内(?:的)?订单", hours="n",
       negatable=False),
    _r("policy", "feedback_window", r"(?:open(?:ing)? an? (?:dispute|ticket|claim|case)|report|contact|claim|request a refund"
       r"|complain)[^.]{0,40}?"
       rf"within {NUM}\s*(?P<u>hours?|days?|weeks?)(?: of (?:purchase|delivery|receipt))?", hours="n", negatable=False),
    _r("policy", "off_platform", r"请?加(?:客服|店主|卖家)?\s*(?:QQ|微信|VX|wx|WeChat)\s*[:：]?\s*[A-Za-z0-9_-]{0,20}\s*"
       r"(?:付款|转账|支付|购买|下单|取卡)"
       r"|扫(?:描)?(?:一下)?(?:我的|店主的?|卖家的?|客服的?)?(?:个人)?(?:微信|支付宝|QQ)?(?:个人)?收款(?:二维)?码"
       r"|扫码(?:付款|支付|转账)(?:到|至|给)(?:我的|卖家|店主|客服)?(?:个人)?(?:微信|支付宝|QQ)"
       r"|(?:转账|付款)(?:到|至)(?:我的|卖家|店主|客服)?个人(?:微信|支付宝|QQ|账户|银行卡)"
       r"|(?:向|给)(?:客服|卖家|店主)?(?:个人)?(?:微信|支付宝)(?:转账|付款)|联系(?:客服|卖家|店主)(?:QQ|微信)?取卡"
       r"|人工收款|私聊付款|pay (?:the seller )?(?:directly|outside)", negatable=False),
    _r("policy", "shared_account", r"共享账号|非独享|多人共享|shared account"),
    # ---- promises -------------------------------------------------------------------------
    _r("promise", "auto_delivery", r"(?:24小时|7\s*[x×*]\s*24(?:小时)?|全天)?(?:付款后|下单后|购买后)?(?:系统)?"
       r"自动(?:发货|发卡|交付|发放)|(?:instant|automatic|auto)[- ]delivery|delivered (?:instantly|automatically)"),
    _r("promise", "delivery_window", r"秒发(?:货|卡)?|秒到账?", hours=0),
    _r("promise", "delivery_window", rf"{NUM}\s*(?P<u>个小时|小时|分钟|天|h|min)(?:之)?内{_P}{{0,4}}?"
       r"(?:发货|到账|发卡|交付|充值到账|完成发货)", hours="n"),
    _r("promise", "delivery_window", rf"deliver(?:y|ed|s)?\s+(?:within|in)\s+{NUM}\s*(?P<u>hours?|minutes?|mins?|days?|h)\b",
       hours="n"),
    _r("promise", "delivery_window", rf"delivery (?:time|speed)\s*[:：]?\s*(?:within\s*)?{NUM}\s*(?P<u>hours?|minutes?|mins?|days?|h)\b",
       hours="n"),
    _r("promise", "delivery_window", rf"(?:发货|到账|交付)(?:时间|时效|速度)\s*[:：]?\s*(?:约|预计)?{NUM}\s*"
       r"(?P<u>个小时|小时|分钟|天)(?:内|之内)", hours="n"),
    _r("promise", "warranty", r"永久包售后|终身(?:质保|包售后|售后)|lifetime warranty|warranty for life", hours=None),
    _r("promise", "warranty", rf"warranty\s*[:：]?\s*{NUM}\s*(?P<u>days?|months?|years?)\b", hours="n"),
    _r("promise", "warranty", rf"(?:质保|保修|包售后|售后保障)\s*{NUM}\s*(?P<u>天|日|小时|个月|月|年)", hours="n"),
    _r("promise", "warranty", rf"{NUM}\s*(?P<u>天|日|小时|个月|年)(?:质保|保修|包售后)", hours="n"),
    _r("promise", "warranty", rf"{NUM}[- ](?P<u>days?|months?|years?)\s+warranty", hours="n"),
    _r("promise", "replacement", r"(?:无效|掉线|失效|激活失败|封号|不能用)?包换|免费换新|无效补发|(?:free )?replacement"),
    _r("promise", "refund", r"无效(?:包)?退款|不满意(?:包)?退款|(?:七|7)天无理由(?:退[款货换])?|包退"),
    _r("promise", "exclusive", r"独享|一人一号|非共享|不共享|exclusive (?:account|use)"),
    _r("promise", "original_owner", rf"(?:若|如)?被?找回{_P}{{0,4}}包赔|包找回|永?不找回|一手号|一手账号|原始邮箱|首绑"
       r"|original (?:email|owner)|first[- ]hand account"),
    _r("promise", "lifetime", r"终身(?:会员|有效|使用)?|永久(?!包售后|封|冻结|禁)(?:稳定|激活|有效|使用|会员)?"
       r"|永不过期|lifetime|never expires"),
    _r("promise", "stable", r"不掉线|不封号|包稳|稳定(?:使用|不掉线?|可用)?(?!运行|性|的|、)"),
    _r("promise", "as_described", r"(?:官方)?正版(?:授权|激活|渠道|保证)?|官方(?:渠道|直营|正品|授权|直充)|正规渠道|正品保障"
       rf"|保证{_P}{{0,6}}?(?:未被?激活|可用|有效|正常使用|全新)"
       r"|official(?: [A-Za-z]+)? (?:top-?up|store|keys?|distributor|partner|retailer|licen[cs]e|codes?)"
       r"|100% (?:genuine|authentic|legit)"),
]


def _hours(rule: Rule, m: re.Match) -> float | None:
    if rule.hours is None:
        return None
    if rule.hours != "n":
        return float(rule.hours)
    raw = nfkc(m.group("n"))
    n = _CN_NUM.get(raw) if raw in _CN_NUM else int(raw)
    unit = m.group("u").lower()
    hours = n * _UNIT_HOURS.get(unit, _UNIT_HOURS.get(unit.rstrip("s"), 1))
    return round(hours, 2) if hours % 1 else float(hours)


_LEAD = re.compile(r"^(?:\s|[0-9０-９]{1,2}\s*[.、．)）](?!\d)|[(（][0-9０-９]{1,2}[)）]|[,，:：;；\-*#•·●▪■◆✅✔☑⚠【\[])+")


def _trim(quote: str) -> str:
    """Drop list numbering and bullets in front of a quote; what is left is still verbatim."""
    trimmed = _LEAD.sub("", quote).strip()
    return trimmed if len(trimmed) >= 2 else quote.strip()


# every rule's match contains one of these; lines without any are skipped cheaply
_ALL_HINTS = sorted({w.lower() for words in HINTS.values() for w in words}, key=len, reverse=True)
TRIGGER = re.compile("|".join(map(re.escape, _ALL_HINTS)), re.I)  # a line without any hint states nothing
_HINT_RE = re.compile("|".join(map(re.escape, _ALL_HINTS)))  # the same over folded text, without re.I's cost


_RULES_BY_HINT = {h: tuple(i for i, rule in enumerate(RULES) if h in rule.hints) for h in _ALL_HINTS}
_UNHINTED = tuple(i for i, rule in enumerate(RULES) if not rule.hints)


def fold(text: str) -> str:
    """Lower-case ``text`` so that ``hint in fold(text)`` is exactly ``re.search(hint, text, re.I)`` for
    the hints (ASCII letters, CJK, punctuation): the non-ASCII letters that ``re.I`` equates with ASCII
    ones (İ ı ſ K) fold to them too, and the length stays the same."""
    return text.replace("İ", "i").replace("ı", "i").replace("ſ", "s").lower()


def hints_in(line: str) -> set[str]:
    """The hint words present in ``line`` (lower-case)."""
    low = fold(line)
    return {h for h in _ALL_HINTS if h in low}


def lines_with_hints(lines: list[str]) -> list[int]:
    """The indices of the lines holding any hint (``hints_in`` not empty), in order: one case-sensitive
    regex scan over the joined, folded lines (no hint holds a newline, so none spans two lines),
    jumping to the next line after each hit."""
    low = fold("\n".join(lines))
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    out: list[int] = []
    search, at = _HINT_RE.search, 0
    while True:
        m = search(low, at)
        if m is None:
            return out
        index = bisect.bisect_right(starts, m.start()) - 1
        out.append(index)
        at = starts[index] + len(lines[index]) + 1


def scan(line: str, *, promises: bool = True, policies: bool = True,
         kinds: frozenset[str] | None = None, present: set[str] | None = None) -> list[tuple[str, Phrase]]:
    """Every promise or policy stated in one line of visible text, as (family, Phrase);
    ``present``: the line's ``hints_in`` when the caller already has them."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[str, Phrase]] = []
    if present is None:
        present = hints_in(line)
    if not present:
        return found
    wanted = set(_UNHINTED)  # the rules one of whose hints the line holds, run in table order
    for hint in present:
        wanted.update(_RULES_BY_HINT.get(hint, ()))
    for index in sorted(wanted):
        rule = RULES[index]
        if rule.family == "promise" and not promises or rule.family == "policy" and not policies:
            continue
        if kinds is not None and rule.family != "mask" and rule.kind not in kinds:
            continue
        for m in rule.pattern.finditer(line):
            start, end = m.span()
            if start == end or any(start < b and a < end for a, b in taken):
                continue
            if rule.negatable and _NEG_BEFORE.search(line[max(0, start - 4):start]):
                taken.append((start, end))
                continue
            taken.append((start, end))
            if rule.family == "mask":
                continue
            quote = _trim(line[start:end])
            if quote:
                found.append((rule.family, Phrase(rule.kind, quote, _hours(rule, m))))
    return found
