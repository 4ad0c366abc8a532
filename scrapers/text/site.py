"""Site identity in text: ICP numbers and copyright year ranges."""
from __future__ import annotations

import re

from . import nfkc

# patterns of the rules below, compiled once (re's own cache costs a lookup per call)
_SPACES = re.compile(r"\s+")
_DOMAIN_WORD = re.compile(r"\w\.(?:com|cn|net|org|top|xyz|cc|io|me)\b", re.I)
_CJK = re.compile(r"[\u4e00-\u9fa5]")
_LATIN_NAME = re.compile(r"[A-Z][A-Za-z0-9&'+-]*")


ICP_RE = re.compile(r"[\u4e00-\u9fa5]ICP[备证]\s*\d{5,12}\s*号(?:\s*-\s*\d{1,3})?")
COPYRIGHT_RE = re.compile(
    r"(?:©|\(c\)|copyright|版权所有|版权(?=\s*(?:19|20)\d{2}))\s*(?:©|\(c\))?\s*(?P<a>(?:19|20)\d{2})"
    r"(?:\s*[-–—~至到]\s*(?P<b>(?:19|20)\d{2}))?(?:\s*年)?(?P<rest>[^|\n]{0,60})", re.I)
_HOLDER_STOP = re.compile(
    r"\s*(?:all rights reserved|版权所有|保留所有权利|power(?:ed)?\s+by|[|｜·•]|\bicp\b|[\u4e00-\u9fa5]ICP|\s-\s"
    r"|(?<!\bco)(?<!\binc)(?<!\bcorp)(?<!\bst)(?<!\b[a-z])\.\s).*$", re.I)  # (a full stop ends it; "Co. " does not)
# software credits ("© 2001-2026 Discuz! Team"): notices of the software, not of the site
_VENDOR = re.compile(r"discuz|comsenz|phpwind|wordpress|typecho|sellix|shopline|shopify|tebex|woocommerce|dedecms|"
                     r"z-blog|emlog|halo|hexo|xenforo|vbulletin|phpbb|invision|discourse|flarum|mybb|jetbrains", re.I)
_COMPANY = re.compile(r"[\s,]*(?:ltd\.?|limited|inc\.?|llc|co\.,?|corp\.?|gmbh|s\.?a\.?|有限公司|股份有限公司)\s*$", re.I)


def find_icp(text: str) -> str | None:
    """The first ICP filing number (``浙ICP备2023031245号-1``); police filings (公网安备) are not ICP."""
    text = text or ""
    at = text.find("ICP")  # (every filing holds it, one CJK character after the match's start)
    m = ICP_RE.search(text, max(0, at - 1)) if at >= 0 else None
    return _SPACES.sub("", m.group(0)) if m else None


# "© KeyHaven 2026": the holder before the years
COPYRIGHT_NAME_FIRST_RE = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?P<rest>[A-Za-z\u4e00-\u9fff][^\d|\n©]{1,40}?)\s*,?\s*(?P<a>(?:19|20)\d{2})"
    r"(?:\s*[-–—~]\s*(?P<b>(?:19|20)\d{2}))?(?!\d)", re.I)
COPYRIGHT_AFTER_RE = re.compile(  # "2021 - 2026 © 月光小铺"
    r"(?<!\d)(?P<a>(?:19|20)\d{2})(?:\s*[-–—~至到]\s*(?P<b>(?:19|20)\d{2}))?\s*(?:©|\(c\)|copyright)"
    r"(?P<rest>[^|\n]{0,60})", re.I)


# Every notice holds one of these, before NFKC (full-width "（ｃ）" and "Ｃｏｐｙｒｉｇｈｔ" lower-case to
# the ones listed; "⒞" is one character). Only the text around them is normalised: NFKC of a whole
# Chinese page costs as much as parsing it.
ANCHOR_PLAIN = r"©|[(（﹙][cｃ][)）﹚]|⒞|[cｃ][oｏ][pｐ][yｙ][rｒ][iｉ][gｇ][hｈ][tｔ]|版权所有|版权(?=\s*[12]\d{3})"
# The same matches, written to start with one character class: re then skips in C to the next
# character that can start a match (for an alternation whose branches start with classes it tries
# every branch at every position, three to five times slower). Each branch's first character picks it.
_ANCHOR = re.compile(r"[©⒞(（﹙cｃ版](?:(?<=[©⒞])|(?<=[(（﹙])[cｃ][)）﹚]|(?<=[cｃ])[oｏ][pｐ][yｙ][rｒ][iｉ][gｇ][hｈ][tｔ]"
                     r"|(?<=版)权(?:所有|(?=\s*[12]\d{3})))")  # (版权2026-2025年: the sign with years, no 所有)
_BEFORE, _AFTER = 40, 300  # a notice's years sit just before its sign; its holder within 60 after


def find_copyright(text: str) -> tuple[list[int] | None, str | None]:
    """([first, last] years, holder name) of the last copyright notice in ``text``."""
    text = text or ""
    low = text.replace("İ", "i").lower()  # (the one character whose lower case is longer)
    if len(low) != len(text):
        return _find_copyright_in(nfkc(text))
    anchors = [m.start() for m in _ANCHOR.finditer(low)]
    if not anchors:
        return None, None
    if any(_VENDOR_LOW.search(low, max(0, at - _BEFORE), at + _AFTER) for at in anchors):
        return _find_copyright_in(nfkc(text))  # (a software credit near a notice: the whole-text reading drops it)
    found = None
    taken = -1  # notices do not overlap: an anchor inside the last notice's text starts none
    for at in anchors:  # "© 2024 X" notices first, the last on the page wins (not a software credit after it)
        if at >= taken and (m := COPYRIGHT_RE.match(nfkc(text[at:at + _AFTER]))):
            found, taken = m, at + m.end()
    if not found:  # then "2021 - 2026 © X"
        for at in reversed(anchors):
            for m in COPYRIGHT_AFTER_RE.finditer(nfkc(text[max(0, at - _BEFORE):at + _AFTER])):
                found = m
            if found:
                break
    if not found:  # then "© X 2026"
        for at in anchors:
            if at >= taken and (m := COPYRIGHT_NAME_FIRST_RE.match(nfkc(text[at:at + _AFTER]))):
                found, taken = m, at + m.end()
    years, holder = _years_and_holder(found)
    if years and not holder:
        holder = _name_first(text, found)
    return years, holder


def _name_first(text: str, found) -> str | None:
    """The holder named right before a notice's sign ("快卡小站 © 2024-2026"), when none follows its years."""
    name = None
    for m in _NAME_FIRST.finditer(nfkc(text)):
        name = m.group("name")
    if not name or _VENDOR.search(name) or re.fullmatch(r"[\d\W]+", name) or re.fullmatch(
            r"copyright|版权(?:所有)?|all|rights|reserved", name, re.I) or _SIGN_WORD_LAST.search(name):
        return None
    return name


def _find_copyright_in(text: str) -> tuple[list[int] | None, str | None]:
    """The same over a whole normalised text (the slow way, for text whose offsets lower() moves)."""
    text = _VENDOR_NOTICE.sub(lambda m: " " * len(m.group()), text)  # a software credit is not the site's notice
    found = None
    for m in COPYRIGHT_RE.finditer(text):
        found = m
    if not found:
        for m in COPYRIGHT_AFTER_RE.finditer(text):
            found = m
    if not found:
        for m in COPYRIGHT_NAME_FIRST_RE.finditer(text):
            found = m
    years, holder = _years_and_holder(found)
    if years and not holder:
        holder = _name_first(text, found)
    return years, holder


_VENDOR_LOW = re.compile(_VENDOR.pattern)  # (on lower-cased text: no re.I)
_VENDOR_NOTICE = re.compile(r"(?:©|\(c\)|copyright)\s*(?:©|\(c\))?\s*(?:(?:19|20)\d{2}(?:\s*[-–—~]\s*(?:19|20)\d{2})?)?\s*"
                            r"(?:" + _VENDOR.pattern + r")[\w!. ]{0,20}", re.I)


def is_legal_entity(text: str | None) -> bool:
    """``text`` names a company (Ltd., Inc., GmbH, 有限公司, 网络科技…), not a brand."""
    return bool(text) and bool(_ENTITY.search(text) or _ENTITY_CASED.search(text))


_ENTITY = re.compile(r"\b(?:ltd|limited|inc|llc|corp|corporation|gmbh|b\.?v|s\.?a|s\.?l|s\.?r\.?l|pte|plc|co\.,?"
                     r"|oü|oy|ag|aps|pty|llp|sas|sarl|s\.?p\.?a|n\.?v|k\.?k|s\.?r\.?o|kft|sp\. z o\.o)\b\.?"
                     r"|有限公司|有限责任公司|股份有限公司|科技|网络|信息技术|贸易|文化传媒|电子商务|商贸|公司|株式会社|合同会社"
                     r"|\b(?:ltda|eireli|tbk|tnhh|jsc)\b|công ty|บริษัท|จำกัด", re.I)
# forms whose letters are words too in lower case: Indonesian PT / CV before the name (PT Item Kita Digital)
_ENTITY_CASED = re.compile(r"(?:^|\s)(?:PT|CV)\.?\s+[A-Z]")


def copyright_notice(text: str) -> tuple[list[int] | None, str | None, bool]:
    """``find_copyright`` and whether the notice's holder is a legal entity (© 2026 Example Digital
    Ltd.): a footer's company is not the site's name when the page shows a brand."""
    years, holder = find_copyright(text)
    if not holder:
        return years, holder, False
    at = text.rfind(holder)
    around = text[at:at + len(holder) + 40] if at >= 0 else holder
    return years, holder, is_legal_entity(_NOTICE_END.split(around)[0])


_NOTICE_END = re.compile(r"[|·]|版权所有|all rights reserved", re.I)  # the holder's part of a notice ends there


# "快卡小站 © 2024-2026": the name before the sign
# (a Latin name of capitalised words keeps them: "Keylane Software © 2026")
_NAME_FIRST = re.compile(r"(?:^|(?<![|｜·•]\s)(?<=\s))(?P<name>(?:[A-Z][A-Za-z0-9&'-]+ ){1,2}[A-Z][A-Za-z0-9&'-]+"
                         r"|[^\s|·•©()（）:：,，.。]{2,24})"
                         r"(?:\s*[（(]?(?:www\.)?[A-Za-z0-9-]+\.(?:com|cn|net|org|top|xyz|cc|io|me)(?:\.cn)?[)）]?)?"
                         r"\s*(?i:©|\(c\)|copyright)\s*(?:19|20)\d{2}")  # (微店 weidian.com ©2014: the name before its domain)
# "… Open a Dispute Copyright © 2016-2026 Z2U.com": a notice that starts with the word Copyright is its own
# line; the words before it (a link, a button) are another block's, and "Dispute Copyright" names nothing
_SIGN_WORD_LAST = re.compile(r"(?:^|\s)copyright$", re.I)


def _years_and_holder(found) -> tuple[list[int] | None, str | None]:
    if not found:
        return None, None
    a = int(found.group("a"))
    b = int(found.group("b") or a)
    if b < a:
        a, b = b, a
    return [a, b], _holder(found.group("rest"))


# a site's domain written right after its Chinese name ("京东JD.com", "Q游宝（qyoubao.com）"): the name is the holder
_NAME_DOMAIN = re.compile(r"(?<=[\u4e00-\u9fa5])\s*[（(]?\s*(?:www\.)?[A-Za-z0-9-]+\.(?:com|cn|net|org|top|xyz|cc|io|me)"
                          r"(?:\.cn)?\s*[)）]?(?=\s|$)", re.I)


def _holder(rest: str) -> str | None:
    rest = _HOLDER_STOP.sub("", rest or "").strip(" .,;，。·-")
    rest = _NAME_DOMAIN.sub("", rest)
    words = [w for w in rest.split() if not _DOMAIN_WORD.search(w)]
    if not words:
        return None
    if _CJK.search(words[0]):
        name = words[0]  # "點卡王 Card King HK": a Latin brand after the Chinese one stays with it
        for word in words[1:4]:
            if not _LATIN_NAME.fullmatch(word):
                break
            name += " " + word
    else:
        name = " ".join(words[:4])
    name = _COMPANY.sub("", name).strip(" .,")
    return name or None
