"""Shared text rules: money, dates, contacts, ICP numbers, promise and policy phrases."""
from __future__ import annotations

import re
import unicodedata

# patterns of the rules below, compiled once (re's own cache costs a lookup per call)
_INTEGER = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+")


_NUMBERING = re.compile(r"^\s*(?:[0-9０-９]{1,2}\s*[、.．)）]|[（(][0-9０-９]{1,2}[)）]|[一二三四五六七八九十]{1,2}\s*、|[•·●▪■◆\-*#]\s*)\s*")


def squash(text: str) -> str:
    """Whitespace-collapse and trim, the way quotes and labels are compared."""
    return " ".join(text.split())  # str.split's whitespace is exactly re's \s (and strip's)


def strip_numbering(text: str) -> str:
    """``１、订单号：`` → ``订单号：``: list numbering in front of a label is not part of it."""
    m = _NUMBERING.match(text)  # (anchored at the start: the one place ``sub`` could replace)
    return text[m.end():] if m else text


def nfkc(text: str) -> str:
    """Full-width digits and letters to ASCII (３０.００ → 30.00, ＱＱ → QQ)."""
    return unicodedata.normalize("NFKC", text)


def to_int(text: str | None) -> int | None:
    """The first integer in ``text`` (thousands separators allowed), or None."""
    if not text:
        return None
    m = _INTEGER.search(nfkc(text))
    if not m:
        return None
    try:
        return int(m.group(0).replace(",", ""))
    except ValueError:
        return None
