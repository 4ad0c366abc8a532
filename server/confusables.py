"""Look-alike usernames (after Unicode TR #39, "Security Mechanisms"): which characters cannot be
seen, which scripts a name's letters come from, and the "skeleton" two names that look the same
share.

- ``invisible(ch)``: characters that draw nothing or look blank (fillers, format and bidi controls,
  the braille blank, variation selectors, the default-ignorable code points), so ``"bob\u3164"``
  is not a second ``bob``.
- ``scripts(name)``: the scripts of a name's letters (digits and ``_ . -`` belong to every script).
  A name is ``single_script`` when they are one script, or one of TR #39's "highly restrictive"
  combinations with Latin: Han + Hiragana + Katakana, Han + Bopomofo, Han + Hangul (so ``张三abc``
  passes, ``pаypal`` with a Cyrillic ``а`` does not).
- ``look_key(name)``: the skeleton, case-folded. Each character that looks like another is
  replaced by the one it looks like (Cyrillic and Greek letters that look Latin, ``0``/``O``,
  ``1``/``I``/``l``, ``rn``/``m``, katakana that look like Han), before and after case folding.
  Two names with the same key look the same; the map is small and deliberately errs towards
  calling names alike (a refused sign-up only has to pick another name).

``LOOK_VERSION`` names the map: a stored key made by another version of it is never compared.
"""
from __future__ import annotations

import unicodedata

LOOK_VERSION = "v1"

# Blank-looking or invisible characters that Unicode counts as letters or symbols (so a letters-
# and-digits rule lets them through), and the default-ignorable ranges.
_INVISIBLE_POINTS = frozenset({
    0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x2800, 0x3164, 0xFFA0, 0xFEFF,
    0x1D159, 0x1D173, 0x1D174, 0x1D175, 0x1D176, 0x1D177, 0x1D178, 0x1D179, 0x1D17A,
})
_INVISIBLE_RANGES = ((0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0xFE00, 0xFE0F),
                     (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0xE0000, 0xE0FFF))


def invisible(ch: str) -> bool:
    """A character that draws nothing, looks blank, or steers text direction."""
    point = ord(ch)
    if point in _INVISIBLE_POINTS or any(low <= point <= high for low, high in _INVISIBLE_RANGES):
        return True
    category = unicodedata.category(ch)
    return category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")  # a space is seen: "chars" refuses it


_SCRIPT_WORDS = {"CJK": "Han", "IDEOGRAPHIC": "Han", "HIRAGANA": "Hiragana", "KATAKANA": "Katakana",
                 "BOPOMOFO": "Bopomofo", "HANGUL": "Hangul"}
_HIGHLY_RESTRICTIVE = (frozenset({"Latin", "Han", "Hiragana", "Katakana"}), frozenset({"Latin", "Han", "Bopomofo"}),
                       frozenset({"Latin", "Han", "Hangul"}))


def script_of(ch: str) -> str | None:
    """The script of a letter or of a digit that is not an ASCII one (None for ASCII digits,
    punctuation and marks, which every script shares), read from the character's Unicode name
    (``CYRILLIC SMALL LETTER A`` → Cyrillic, ``ARABIC-INDIC DIGIT ONE`` → Arabic-Indic)."""
    if ch.isascii():
        return "Latin" if ch.isalpha() else None
    if not ch.isalnum() or unicodedata.category(ch).startswith("M"):
        return None
    name = unicodedata.name(ch, "")
    if name.startswith("KATAKANA-HIRAGANA"):  # ー and the sound marks: Japanese, either kana
        return "Katakana"
    word = name.split(" ", 1)[0]
    return _SCRIPT_WORDS.get(word, word.title() or "Unknown")


def scripts(name: str) -> set[str]:
    return {s for s in (script_of(ch) for ch in name) if s is not None}


def single_script(name: str) -> bool:
    """One script, or Latin with the CJK scripts a Chinese, Japanese or Korean name mixes."""
    found = scripts(name)
    return len(found) <= 1 or any(found <= allowed for allowed in _HIGHLY_RESTRICTIVE)


# What each look-alike looks like (one direction: towards Latin, towards Han). Case matters for
# some (capital I is the lower-case l), so the map is applied before and after case folding.
_LOOKS_LIKE = {
    # Cyrillic
    "а": "a", "в": "b", "с": "c", "ԁ": "d", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j",
    "к": "k", "ӏ": "l", "м": "m", "н": "h", "о": "o", "р": "p", "ԛ": "q", "г": "r", "ѕ": "s", "т": "t",
    "ѵ": "v", "ԝ": "w", "х": "x", "у": "y", "ү": "y", "ь": "b",
    "А": "A", "В": "B", "С": "C", "Е": "E", "Ё": "E", "Н": "H", "І": "l", "Ї": "l", "Ј": "J", "К": "K",
    "М": "M", "О": "O", "Р": "P", "Ԛ": "Q", "Ѕ": "S", "Т": "T", "Х": "X", "У": "Y", "Ү": "Y", "Ԝ": "W",
    "Ӏ": "l", "З": "3", "з": "3", "Ь": "b",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "γ": "y", "ϲ": "c", "ϳ": "j", "ω": "w",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "l", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C",
    # Latin among itself, and digits
    "I": "l", "1": "l", "|": "l", "ı": "i", "ɩ": "i", "ɑ": "a", "ɡ": "g", "ǀ": "l", "0": "O",
    "ß": "ss", "ſ": "f",
    # Katakana that look like Han (and the long-vowel mark like 一)
    "ロ": "口", "エ": "工", "カ": "力", "タ": "夕", "ニ": "二", "ハ": "八", "ト": "卜", "ー": "一", "ヘ": "へ",
    "〇": "O",
}
# Letter pairs that read as one letter.
_PAIRS = (("rn", "m"), ("vv", "w"), ("cl", "d"))


def _map(text: str) -> str:
    return "".join(_LOOKS_LIKE.get(ch, ch) for ch in text)


def look_key(name: str) -> str:
    """The form two look-alike names share (NFKC, look-alikes replaced, case-folded)."""
    text = _map(unicodedata.normalize("NFKC", name))
    text = _map(unicodedata.normalize("NFKC", text.casefold())).casefold()
    for pair, one in _PAIRS:
        text = text.replace(pair, one)
    return text


__all__ = ["LOOK_VERSION", "invisible", "look_key", "script_of", "scripts", "single_script"]
