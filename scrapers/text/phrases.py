"""Promise and policy phrases: the rows of scrapers/text/rules/phrases.toml, read by a small engine.

Every row runs over a normalised copy of one visible line (simplified characters, ASCII digits,
Chinese numerals before a unit of time as digits; see ``normalise``) and each match maps back to
the page's own characters, so a quote is always verbatim page text. Rows run in table order (masks,
then policies, then promises); a match masks its span, so a phrase maps to one kind (``永久稳定`` is
``lifetime``; ``不支持无理由退款`` is ``no_refund``, not a ``refund`` promise). A negation right before
a negatable row's match drops it; a row's ``unless`` pattern drops a match whose sentence warns about
the practice instead of asking for it ("Sellers asking you to pay outside X should be reported").
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from ..facts import Phrase
from ..regexes import literal_trie, without_case
from .normalise import fold as fold_width_and_script
from .normalise import numerals
from .rules import expand, table

_UNIT_HOURS = {"小时": 1, "个小时": 1, "钟头": 1, "h": 1, "hour": 1, "hours": 1, "hr": 1, "hrs": 1,
               "天": 24, "日": 24, "day": 24, "days": 24, "工作日": 24, "个工作日": 24, "business day": 24,
               "business days": 24, "个月": 720, "月": 720, "month": 720, "months": 720, "周": 168, "星期": 168,
               "week": 168, "weeks": 168, "年": 8760, "year": 8760, "years": 8760, "分钟": 1 / 60, "min": 1 / 60,
               "mins": 1 / 60, "minute": 1 / 60, "minutes": 1 / 60, "second": 1 / 3600, "seconds": 1 / 3600,
               "sec": 1 / 3600, "secs": 1 / 3600, "秒": 1 / 3600,
               "时间": 1, "か月": 720, "営业日": 24,  # (Japanese: 時間 is hours, reads 时间 normalised)
               "час": 1, "часа": 1, "часов": 1, "минут": 1 / 60, "минуты": 1 / 60, "минуту": 1 / 60, "день": 24,
               "дня": 24, "дней": 24, "суток": 24, "месяц": 720, "месяца": 720, "месяцев": 720,  # Russian
               "시간": 1, "분": 1 / 60, "일": 24,  # Korean
               # fr, pt, pl, id, vi, th
               "heure": 1, "heures": 1, "jour": 24, "jours": 24, "hora": 1, "horas": 1, "minuto": 1 / 60, "minutos": 1 / 60,
               "dia": 24, "dias": 24, "godzin": 1, "godziny": 1, "godzina": 1, "minut": 1 / 60, "dni": 24, "menit": 1 / 60,
               "jam": 1, "hari": 24, "bulan": 720, "phút": 1 / 60, "giờ": 1, "ngày": 24, "นาที": 1 / 60, "ชั่วโมง": 1, "วัน": 24,
               "stunde": 1, "stunden": 1, "tag": 24, "tage": 24, "tagen": 24, "werktag": 24, "werktagen": 24,  # German
               "minuten": 1 / 60, "woche": 168, "wochen": 168, "monat": 720, "monate": 720, "monaten": 720}


@dataclass(frozen=True)
class Rule:
    """One row of phrases.toml, compiled."""

    family: str  # "promise", "policy" or "mask"
    kind: str
    name: str
    pattern: re.Pattern
    hours: str | float | None = None  # "n": from the number and unit groups; a number: fixed
    negatable: bool = True  # drop a match right after 不/无/非/not…
    hints: frozenset[str] = frozenset()  # a match contains one of these words (lower-case): a cheap pre-check
    unless: re.Pattern | None = None  # a match whose sentence holds this states nothing
    examples: tuple = ()
    counter: tuple = ()
    low: re.Pattern | None = None  # ``pattern`` without re.I, for the lower-cased line (``regexes.without_case``)


def _load() -> tuple[list[Rule], dict]:
    data = table("phrases")
    rules = []
    for family in ("mask", "policy", "promise"):
        for row in data[family]:
            hours = row.get("hours")
            rules.append(Rule(
                family, row.get("kind", "warning"), row["name"], re.compile(expand(data, row["pattern"]), re.I),
                hours if isinstance(hours, str) or hours is None else float(hours), row.get("negatable", True),
                frozenset(w.lower() for w in row["hints"]),
                re.compile(expand(data, row["unless"]), re.I) if row.get("unless") else None,
                tuple(row["examples"]), tuple(row.get("counter", ()))))
    return [replace(rule, low=without_case(rule.pattern)) for rule in rules], data


RULES, _DATA = _load()
_NEG_CN = re.compile(_DATA["negation"]["cn"])
_NEG_EN = re.compile(_DATA["negation"]["en"], re.I)
_CN_WINDOW = int(_DATA["negation"]["cn_window"])
_EN_WINDOW = int(_DATA["negation"]["en_window"])
QUOTING = re.compile(expand(_DATA, _DATA["scope"]["quoting"]), re.I)  # warnings and articles quoting phrases
TICKER = re.compile(expand(_DATA, _DATA["scope"]["ticker"]), re.I)  # "recent sales" tickers
DENIAL_SCOPE = re.compile(expand(_DATA, _DATA["scope"]["denial"]), re.I)  # a denial for private deals only
SHOP_CHANNEL = re.compile(expand(_DATA, _DATA["scope"]["shop_channel"]), re.I)  # a single shop's own support
SHOP_GUARANTEE = re.compile(expand(_DATA, _DATA["scope"]["shop_guarantee"]), re.I)  # … and its own money-back guarantee
DENIAL_CLAUSE = re.compile(expand(_DATA, _DATA["scope"]["denial_clause"]), re.I)  # … for some sellers only
DENIAL_TOPIC = re.compile(expand(_DATA, _DATA["scope"]["denial_topic"]), re.I)  # … in a topic clause before it
# a qualifier right before a promise, or the promise noun right after a bare qualifier, joins its quote
_QUALIFIER = re.compile(_DATA["quote"]["qualifier"])
_QUALIFIER_BEFORE = re.compile(_DATA["quote"]["qualifier"] + "$")
_NOUN_AFTER = re.compile(_DATA["quote"]["noun"])
_SENTENCE_END = re.compile(r"[。！？!?；;]|\.(?=\s|$)")
_CLAUSE_END = re.compile(r"[。！？!?；;，,]|\.(?=\s|$)")


# the value of a delivery field, on its own ("Delivery" / "Guaranteed within 1 hour"): a delivery window
DELIVERY_FIELD = re.compile(r"(?:guaranteed)?delivery(?:time|speed|eta)?|estimateddelivery|deliverytime|eta|发货时间|发货时效|发货速度|交付时间|到账时间", re.I)
_FIELD_WINDOW = re.compile(r"\s*(?:guaranteed|usually|typically|normally|approx\.?|about|~)?\s*(?:(?:within|in|under|up to)\s+)?"
                           r"(?P<n>\d+(?:\.\d+)?)\s*(?P<u>minutes?|mins?|hours?|hrs?|h|days?|business days?)\b\.?\s*", re.I)
# ("Guaranteed delivery" / "1 h"; "Instant" alone states no window: test_layouts' no-number case)


def field_window(value: str) -> Phrase | None:
    """A delivery window a delivery field's value states on its own ("Guaranteed within 1 hour")."""
    m = _FIELD_WINDOW.fullmatch(value or "")
    if not m:
        return None
    unit = m.group("u").lower()
    hours = float(m.group("n")) * _UNIT_HOURS.get(unit, _UNIT_HOURS.get(unit.rstrip("s"), 1))
    return Phrase("delivery_window", value.strip(), round(hours, 2) if hours % 1 else float(hours))


def _hours(rule: Rule, m: re.Match) -> float | None:
    if rule.hours is None:
        return None
    if rule.hours != "n":
        return float(rule.hours)
    try:
        n = float(m.group("n"))
    except (TypeError, ValueError):
        return None
    unit = (m.group("u") or "").lower()
    hours = n * _UNIT_HOURS.get(unit, _UNIT_HOURS.get(unit.rstrip("s"), 1))
    return round(hours, 2) if hours % 1 else float(hours)


_LEAD = re.compile(r"^(?:\s|[0-9０-９]{1,2}\s*[.、．)）](?!\d)|[(（][0-9０-９]{1,2}[)）]|[,，:：;；\-*#•·●▪■◆✅✔☑⚠【\[])+")


def _trim(quote: str) -> str:
    """Drop list numbering and bullets in front of a quote; what is left is still verbatim."""
    trimmed = _LEAD.sub("", quote).strip()
    return trimmed if len(trimmed) >= 2 else quote.strip()


# every rule's match contains one of these; lines without any are skipped cheaply
_ALL_HINTS = sorted({w for rule in RULES for w in rule.hints}, key=len, reverse=True)
TRIGGER = re.compile("|".join(map(re.escape, _ALL_HINTS)), re.I)  # a line without any hint states nothing
# the same over folded text, without re.I's cost, as a trie (``regexes.literal_trie``: the longest hint
# at each position, as the longest-first alternation finds it, one branch tried per first character)
_HINT_RE = re.compile(literal_trie(_ALL_HINTS))
_RULES_BY_HINT = {h: tuple(i for i, rule in enumerate(RULES) if h in rule.hints) for h in _ALL_HINTS}
# each hint with every hint it holds ("自动发货" holds "发货"): a text holding the one holds the others
_WITHIN = {h: frozenset(g for g in _ALL_HINTS if g and g in h) for h in _ALL_HINTS if h}
_EMPTY = frozenset(h for h in _ALL_HINTS if not h)  # (an empty hint is in every line)
# the rules of every hint a found hint holds: ``scan`` goes from a match straight to its rules
_RULES_WITHIN = {h: frozenset(i for g in within for i in _RULES_BY_HINT.get(g, ())) for h, within in _WITHIN.items()}
_RULES_EMPTY = frozenset(i for h in _EMPTY for i in _RULES_BY_HINT.get(h, ()))


def fold(text: str) -> str:
    """Lower-case ``text`` so that ``hint in fold(text)`` is exactly ``re.search(hint, text, re.I)`` for
    the hints (ASCII letters, CJK, punctuation): the non-ASCII letters that ``re.I`` equates with ASCII
    ones (İ ı ſ K) fold to them too, and the length stays the same."""
    return text.replace("İ", "i").replace("ı", "i").replace("ſ", "s").lower()


def hints_in(line: str) -> set[str]:
    """The hint words present in ``line`` (lower-case)."""
    return _hints_in_folded(fold(line))


def _hints_in_folded(low: str) -> set[str]:
    """``hints_in`` of a text already folded: the longest hint starting at each position where one
    starts (``_HINT_RE`` lists the longest first; the search skips to the next possible first
    character in C), with the hints it holds; a hint starting inside another is found from the next
    position on, so none is missed."""
    found = set(_EMPTY)
    search = _HINT_RE.search
    m = search(low)
    while m is not None:
        found.update(_WITHIN.get(m.group(), _EMPTY))
        m = search(low, m.start() + 1)
    return found


def lines_with_hints(lines: list[str]) -> list[int]:
    """The indices of the lines holding any hint (``hints_in`` not empty), in order: one case-sensitive
    regex scan over the joined, folded lines (no hint holds a newline, so none spans two lines),
    jumping to the next line after each hit. Give it the normalised lines (``normalise.fold``)."""
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


def lines_with_hints_in(low: str, starts: list[int]) -> list[int]:
    """``lines_with_hints`` of lines already joined and folded: ``low`` is ``fold`` of the normalised
    lines joined by one space (``Document.low``), ``starts`` where each line starts in it and one past
    the end (``Document.starts``); no join, fold or offsets made again. A hint may hold a space, so a
    match running past its line's end is looked for again inside the line only (``endpos``)."""
    out: list[int] = []
    search, right, at = _HINT_RE.search, bisect.bisect_right, 0
    last = len(starts) - 2  # the last line
    while True:
        m = search(low, at)
        if m is None:
            return out
        index = right(starts, m.start()) - 1
        if index > last:  # (past the last line: nothing is there)
            return out
        end = starts[index + 1] - 1  # the line's end
        if m.end() > end and search(low, m.start(), end) is None:
            at = end + 1  # no hint inside this line from there on: the next line
            continue
        out.append(index)
        at = end + 1


def _with_qualifier(low: str, start: int, end: int, taken: list[tuple[int, int]]) -> tuple[int, int]:
    """The span of a promise's whole phrase: ``[start, end)`` with a qualifier right before it (30天包换,
    永久包换), or, when the match is only a qualifier, with the promise noun right after it (永久包赔);
    nothing another phrase's span holds is taken."""
    m = _QUALIFIER_BEFORE.search(low, max(0, start - 12), start)
    if m and not any(m.start() < b and a < start for a, b in taken):
        start = m.start()
    if _QUALIFIER.fullmatch(low, start, end) and (m := _NOUN_AFTER.match(low, end)) and not any(
            end < b and a < m.end() for a, b in taken):
        end = m.end()
    return start, end


def _negated(text: str, start: int) -> bool:
    if _NEG_CN.search(text[max(0, start - _CN_WINDOW):start]):
        return True
    before = text[max(0, start - _EN_WINDOW):start]
    return bool(before) and before[-1:].isascii() and _NEG_EN.search(before) is not None


def sentence(text: str, start: int, end: int, reach: int = 80, *, clause: bool = False) -> str:
    """The sentence (``clause``: the clause, cut at commas too) around ``[start, end)``, at most
    ``reach`` characters either side (lines of a page are joined without a full stop)."""
    ends = _CLAUSE_END if clause else _SENTENCE_END
    low = max(0, start - reach)
    head = low
    for m in ends.finditer(text, low, start):
        head = m.end()
    m = ends.search(text, end, end + reach)
    return text[head:m.start() if m else min(len(text), end + reach)]


def limited_denial(text: str, start: int, end: int) -> bool:
    """Whether the denial at ``[start, end)`` of ``text`` covers only private deals (its sentence), some
    sellers or goods (its clause) or the orders a topic clause before it names ("未购买包赔服务的订单，
    平台不提供先行赔付"), not the platform as a whole."""
    if DENIAL_SCOPE.search(sentence(text, start, end)) or DENIAL_CLAUSE.search(sentence(text, start, end, clause=True)):
        return True
    head = max(0, start - 80)
    for m in _SENTENCE_END.finditer(text, head, start):
        head = m.end()
    before = _CLAUSE_END.split(text[head:start])
    return len(before) > 1 and bool(DENIAL_TOPIC.search(before[-2]))


def scan(line: str, *, promises: bool = True, policies: bool = True, kinds: frozenset[str] | None = None,
         norm: str | None = None, low: str | None = None) -> list[tuple[str, Phrase]]:
    """Every promise or policy stated in one line of visible text, as (family, Phrase). ``norm``: the
    line's ``normalise.fold`` when the caller has it (the same length as ``line``); ``low``: ``fold``
    of ``norm``, when the caller has that too."""
    found: list[tuple[str, Phrase]] = []
    if norm is None or len(norm) != len(line):
        norm, low = fold_width_and_script(line), None
    mapped = numerals(norm, line)
    text = mapped.text
    if low is None or text is not norm or len(low) != len(norm):  # (numerals changed it: fold it again)
        low = fold(text)  # (same length: the rows without case letters run over it, without re.I)
    # the rules one of whose hints the line holds (``hints_in``: the longest hint at each position
    # where one starts, with the hints it holds), run in table order
    wanted = set(_RULES_EMPTY)
    search, within = _HINT_RE.search, _RULES_WITHIN
    m = search(low)
    if m is None and not _EMPTY:
        return found  # no hint in the line
    while m is not None:
        wanted.update(within.get(m.group(), _RULES_EMPTY))
        m = search(low, m.start() + 1)
    taken: list[tuple[int, int]] = []
    for index in sorted(wanted):
        rule = RULES[index]
        if rule.family == "promise" and not promises or rule.family == "policy" and not policies:
            continue
        if kinds is not None and rule.family != "mask" and rule.kind not in kinds:
            continue
        for m in rule.low.finditer(low) if rule.low is not None else rule.pattern.finditer(text):
            start, end = m.span()
            if start == end or any(start < b and a < end for a, b in taken):
                continue
            if rule.family == "promise":  # the whole phrase: 30天包换, 永久包赔 (not 包换, 永久)
                own, (start, end) = start, _with_qualifier(low, start, end, taken)
                if rule.negatable and start != own and _negated(text, own):
                    taken.append((start, end))
                    continue
            taken.append((start, end))
            if rule.negatable and _negated(text, start):
                continue
            if rule.unless is not None and rule.unless.search(sentence(text, start, end)):
                continue
            if rule.family == "mask":
                continue
            quote = _trim(mapped.quote(start, end))
            if quote:
                found.append((rule.family, Phrase(rule.kind, quote, _hours(rule, m))))
    return found
