"""Normalisation in front of every text rule, with the way back to the page's own characters.

Rules are written once, in simplified Chinese with ASCII digits; pages are not. Two kinds of change:

- **One character for one** (``fold``): traditional → simplified (OpenCC's ``t2s``: 保證金 → 保证金,
  概不退換 → 概不退换) and full-width letters, digits and money/code signs → ASCII (４８ → 48, ＱＱ →
  QQ). The folded text has the same length as the page text, so an offset in one is the same offset
  in the other: labels, phrases and flags match on the folded copy and take values and quotes from
  the page's own text at the same positions. The document folds all its lines at once, after a
  cheap check for any character that folding changes (most pages have none and pay only the check).
- **Runs that change length** (``numerals``): Chinese numerals before a unit of time (二十四小时 →
  24小时, 三十天 → 30天, 半小时 → 0.5小时) and digit-by-digit years (二〇二六年 → 2026年). The result
  carries an offset map, so a match in it maps back to the verbatim span of the page text.

Library choices (measured, README "Design notes"): OpenCC's C++ converter (the ``opencc`` wheel)
converts a 63-character line in 1.8-3 µs and 63,000 characters in 0.8 ms, 20-27x faster than
``zhconv`` or ``hanziconv`` and 4x faster than ``str.translate`` with OpenCC's own character table;
``cn2an`` takes 166 ms to import and 10-11 µs per numeral (and its ``transform`` turns 一经 into
1经), so a small exact converter (0.3 µs per numeral) reads the numerals.
"""
from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass

_LOCAL = threading.local()  # one OpenCC converter per thread

# Full-width ASCII that rules read as ASCII: digits, letters and the signs of money, codes and
# addresses. CJK punctuation (：，（）！？；) is kept: the rules accept both forms and labels keep theirs.
_FW_KEEP = set("！（），：；？［］｛｝｜～＂＇＜＞＾｀＝")
_FW_TABLE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if chr(c) not in _FW_KEEP}
_FW_TABLE[0x3000] = 0x20  # ideographic space
_FW = re.compile("[" + "".join(chr(c) for c in sorted(_FW_TABLE)) + "]+")


def check_installed() -> None:
    """Raise ImportError now if OpenCC (imported lazily on the first traditional-character page) is
    missing: a backend starting on a broken installation says so instead of reading pages empty."""
    import opencc  # noqa: F401


def _converter():
    conv = getattr(_LOCAL, "t2s", None)
    if conv is None:
        import opencc

        conv = _LOCAL.t2s = opencc.OpenCC("t2s")
    return conv


@functools.cache
def _tables() -> tuple[re.Pattern, dict[int, str]]:
    """(a pattern of every character that OpenCC's t2s changes on its own, that character table),
    derived once per process from OpenCC itself: each CJK character converted alone (one per line,
    so no phrase rule joins two of them)."""
    chars = [chr(c) for c in range(0x3400, 0xA000)] + [chr(c) for c in range(0xF900, 0xFB00)]
    converted = _converter().convert("\n".join(chars)).split("\n")
    table = {ord(a): b for a, b in zip(chars, converted, strict=False) if a != b and len(b) == 1}
    return re.compile("[" + "".join(chr(c) for c in sorted(table)) + "]"), table


def has_traditional(text: str, end: int | None = None) -> bool:
    """``text`` (its first ``end`` characters) holds a character that traditional → simplified
    conversion changes."""
    return (_tables()[0].search(text) if end is None else _tables()[0].search(text, 0, end)) is not None


def simplify(text: str) -> str:
    """Traditional → simplified (OpenCC t2s), character for character: the result has the same
    length (a phrase rule that would change it falls back to OpenCC's character table)."""
    if not text or not has_traditional(text):
        return text
    out = _converter().convert(text)
    if len(out) != len(text):
        out = text.translate(_tables()[1])
    return out


def halfwidth(text: str) -> str:
    """Full-width digits, letters and signs → ASCII (３０ → 30, ＱＱ → QQ), same length."""
    if not text or not _FW.search(text):
        return text
    return _FW.sub(lambda m: m.group().translate(_FW_TABLE), text)


def fold(text: str) -> str:
    """``simplify`` and ``halfwidth``: the copy every rule matches on, offset for offset the same.
    An ASCII text is its own fold (both change only CJK and full-width characters): ``isascii`` is
    known without a scan, the two character-class searches are spared."""
    if text.isascii():
        return text
    return halfwidth(simplify(text))


# ---- Chinese numerals --------------------------------------------------------------------------
_DIGIT = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
          "九": 9}
_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN = "零〇○一二两三四五六七八九十百千万"
_TIME_UNIT = r"(?:个|個)?\s*(?:小时|钟头|天|日|周|星期|礼拜|个月|月|年|分钟|秒|工作日)"
# a numeral (or 半) right before a unit of time; a digit-by-digit year (二〇二六年)
_NUMERAL = re.compile(rf"(?<![{_CN}])(?P<n>[{_CN}]+|半)(?={_TIME_UNIT})|(?P<y>[零〇○一二三四五六七八九]{{4}})(?=年)")
_HINT = re.compile(f"[{_CN}半]")


def cn_number(text: str) -> int | None:
    """二十四 → 24, 一百二十 → 120, 十五 → 15, 两 → 2, 一千零八 → 1008, 二〇二六 → 2026; None for
    anything else. Exact for the numerals pages write (up to 万)."""
    if not text:
        return None
    if len(text) > 1 and all(ch in _DIGIT and ch != "两" for ch in text):  # digit by digit: 二〇二六
        return int("".join(str(_DIGIT[ch]) for ch in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in "零〇○":
            continue  # a gap inside a number (一千零八): nothing to add
        if ch in _DIGIT:
            if digit is not None:
                return None  # two digits in a row outside a digit-by-digit number (一二小时)
            digit = _DIGIT[ch]
        elif ch in _UNIT:
            section += (1 if digit is None else digit) * _UNIT[ch]
            digit = None
        elif ch == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


@dataclass(slots=True)
class Mapped:
    """A normalised copy of ``source`` and, when lengths changed, where each of its characters came
    from (``starts[i]``/``ends[i]``: the source span of normalised character ``i``)."""

    text: str
    source: str
    starts: list[int] | None = None
    ends: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source span of the normalised span ``[start, end)``."""
        if self.starts is None:
            return start, end
        if end <= start:
            at = self.starts[start] if start < len(self.starts) else len(self.source)
            return at, at
        return self.starts[start], self.ends[end - 1]

    def quote(self, start: int, end: int) -> str:
        """The page's own characters behind the normalised span ``[start, end)``."""
        a, b = self.span(start, end)
        return self.source[a:b]


def numerals(text: str, source: str | None = None) -> Mapped:
    """Chinese numerals before a unit of time as digits, with the offset map back to ``source``
    (``text`` itself when not given; ``text`` must be ``source`` or a same-length fold of it)."""
    source = text if source is None else source
    if not _HINT.search(text):
        return Mapped(text, source)
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    at = 0
    for m in _NUMERAL.finditer(text):
        raw = m.group("n") or m.group("y")
        value = "0.5" if raw == "半" else cn_number(raw)
        if value is None:
            continue
        a, b = m.span()
        for i in range(at, a):  # the text before: one for one
            starts.append(i)
            ends.append(i + 1)
        digits = str(value)
        pieces.append(text[at:a])
        pieces.append(digits)
        starts.extend([a] * len(digits))
        ends.extend([b] * len(digits))
        at = b
    if not pieces:
        return Mapped(text, source)
    pieces.append(text[at:])
    for i in range(at, len(text)):
        starts.append(i)
        ends.append(i + 1)
    return Mapped("".join(pieces), source, starts, ends)


def normalise(text: str) -> Mapped:
    """``fold`` then ``numerals``: the copy a phrase rule matches, and the way back to ``text``."""
    return numerals(fold(text), text)
