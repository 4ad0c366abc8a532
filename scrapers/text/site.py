"""Site identity in text: ICP numbers and copyright year ranges."""
from __future__ import annotations

import re

from . import nfkc

ICP_RE = re.compile(r"[\u4e00-\u9fa5]ICP[备证]\s*\d{5,12}\s*号(?:\s*-\s*\d{1,3})?")
COPYRIGHT_RE = re.compile(
    r"(?:©|\(c\)|copyright|版权所有)\s*(?:©|\(c\))?\s*(?P<a>(?:19|20)\d{2})"
    r"(?:\s*[-–—~至到]\s*(?P<b>(?:19|20)\d{2}))?(?P<rest>[^|\n]{0,60})", re.I)
_HOLDER_STOP = re.compile(
    r"\s*(?:all rights reserved|版权所有|保留所有权利|powered by|[|｜]|\bicp\b|[\u4e00-\u9fa5]ICP|\s-\s).*$", re.I)
_COMPANY = re.compile(r"[\s,]*(?:ltd\.?|limited|inc\.?|llc|co\.,?|corp\.?|gmbh|s\.?a\.?|有限公司|股份有限公司)\s*$", re.I)


def find_icp(text: str) -> str | None:
    """The first ICP filing number (``浙ICP备2023031245号-1``); police filings (公网安备) are not ICP."""
    m = ICP_RE.search(text or "")
    return re.sub(r"\s+", "", m.group(0)) if m else None


COPYRIGHT_AFTER_RE = re.compile(  # "2021 - 2026 © 月光小铺"
    r"(?<!\d)(?P<a>(?:19|20)\d{2})(?:\s*[-–—~至到]\s*(?P<b>(?:19|20)\d{2}))?\s*(?:©|\(c\)|copyright)"
    r"(?P<rest>[^|\n]{0,60})", re.I)


def find_copyright(text: str) -> tuple[list[int] | None, str | None]:
    """([first, last] years, holder name) of the last copyright notice in ``text``."""
    found = None
    text = nfkc(text or "")
    for m in COPYRIGHT_RE.finditer(text):
        found = m
    if not found:
        for m in COPYRIGHT_AFTER_RE.finditer(text):
            found = m
    if not found:
        return None, None
    a = int(found.group("a"))
    b = int(found.group("b") or a)
    if b < a:
        a, b = b, a
    return [a, b], _holder(found.group("rest"))


def _holder(rest: str) -> str | None:
    rest = _HOLDER_STOP.sub("", rest or "").strip(" .,;，。·-")
    words = [w for w in rest.split() if not re.search(r"\w\.(?:com|cn|net|org|top|xyz|cc|io|me)\b", w, re.I)]
    if not words:
        return None
    if re.search(r"[\u4e00-\u9fa5]", words[0]):
        name = words[0]
    else:
        name = " ".join(words[:4])
    name = _COMPANY.sub("", name).strip(" .,")
    return name or None
