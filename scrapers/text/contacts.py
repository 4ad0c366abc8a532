"""Contacts: QQ numbers, WeChat ids, Telegram handles (also from t.me links), phones, e-mail,
wpa.qq.com / tencent:// links. Which ones belong to the seller is decided by the caller; these
rules only read one label/value or one link."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from ..facts import Contact
from ..regexes import without_case
from . import nfkc
from .phrases import fold as case_fold

# label (normalised: no spaces, lower-case) → contact type
_LABELS = [
    ("qq", re.compile(r".*(?:qq|扣扣)(?:号|号码)?|q\s*q|.*(?:qq|q|扣扣)群(?:号|号码)?")),
    ("wechat", re.compile(r".*(?:微信|wechat|weixin|vx|wx)(?:号|id)?")),
    ("telegram", re.compile(r".*(?:telegram|tg|电报|飞机)(?:号|群)?")),
    ("email", re.compile(r".*(?:邮箱|e-?mail|电子邮件|电子邮箱|mail|信箱)(?:地址|address)?")),
    ("phone", re.compile(r".*(?:手机|电话|热线|专线|phone|tel|mobile|whatsapp|hotline|appelez-nous|téléphone|telefone|telefon|điệnthoại"
                         r"|โทร(?:ศัพท์)?)(?:号|号码)?")),
    ("other", re.compile(r"(?:.*(?<![a-z]))?(?:line|discord|skype|kakao(?:talk)?|signal|viber)(?:号|id|帐号|账号)?")),
]
_TRAILING_ROLE = re.compile(r"(?:客服|售后|support|kefu|cskh)$")  # (cskh: Vietnamese customer care)
# labels that name the buyer's own contact or the platform's, never the seller's
BUYER_LABEL = re.compile(r".*(?:下单|购买|买家|收货|查询|订单|您的|你的|your|buyer|充值|接收|取卡).*")
PLAIN_EMAIL_LABEL = re.compile(r"邮箱|电子邮箱|e-?mail|mail|邮件")  # on an order page: the buyer's own
PLATFORM_LABEL = re.compile(r".*(?:平台|官方|投诉|举报|监督|企业).*")  # (企业QQ: the operating company's account)
_QQ = re.compile(r"(?<!\d)([1-9]\d{4,11})(?!\d)")
_WECHAT = re.compile(r"(?<![A-Za-z0-9_-])([A-Za-z][-_A-Za-z0-9]{5,19})(?![A-Za-z0-9_-])")
_TG = re.compile(r"@?([A-Za-z][A-Za-z0-9_]{4,31})")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?<!\d)(\+?\d[\d\s-]{6,18}\d|\(\d{2,4}\)\s?\d[\d\s-]{5,14}\d)(?!\d)")  # (an area code in brackets: (02) 2771-3086)
QQ_IN_TEXT = re.compile(r"(?:QQ|ＱＱ|扣扣|(?<![A-Za-z])Q(?=群))\s*(?:群号?|号码?|号)?\s*[：:]?\s*([1-9]\d{5,11})(?![\d点个元币钻天月年万])")
# a number alone after a role label with no channel ("商家客服：1974306652"): on a Chinese shop, a QQ
ROLE_LABEL = re.compile(r"(?:商家|店铺|卖家|在线|售后)?(?:客服|售后)(?:号|号码)?")
BARE_QQ = re.compile(r"\s*([1-9]\d{4,10})\s*")
MOBILE = re.compile(r"1[3-9]\d{9}")
# an e-mail address after a contact word ("客服邮箱 Help@Shop.COM", "Support: …"); t.me addresses anywhere
EMAIL_IN_TEXT = re.compile(r"(?:客服|售后|联系|邮箱|メール|support|contact|service|e-?mail)[^@\n]{0,12}?"
                           r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})", re.I)
# a role address (support@, service@, kefu@ …) is the shop's wherever it is written
ROLE_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])((?:support|service|services|help|helpdesk|contact|kefu|cs|customer|sales|info|hello"
                        r"|admin|shop|store|billing|orders?|accounts)[A-Za-z0-9._%+-]*@[A-Za-z0-9.-]+\.[A-Za-z]{2,})", re.I)  # (billing@: an invoice's Pay To)
# a handle after the word Telegram in prose ("Support is handled on Telegram (@NordlichtSupport)")
TG_HANDLE_IN_TEXT = re.compile(r"(?:telegram|电报|飞机)\s*(?:号|群)?\s*[(（:：]?\s*(@[A-Za-z][A-Za-z0-9_]{4,31})(?![A-Za-z0-9_])", re.I)
TELEGRAM_IN_TEXT = re.compile(r"(?:https?://)?(?:t\.me|telegram\.me)/[A-Za-z][A-Za-z0-9_]{4,31}(?![A-Za-z0-9_/])")
WECHAT_IN_TEXT = re.compile(r"(?:(?:微信|VX|vx|WeChat|wechat)\s*(?:号|ID|id)?\s*[：:]|加我?的?\s*(?:微信|VX|vx|WX|wx)\s*号?\s*[：:]?)"
                            r"\s*([A-Za-z][-_A-Za-z0-9]{5,19})(?![-_A-Za-z0-9])")  # (…or "加我微信 tiwate_shop")


_LABEL_HINT = re.compile(r"qq|ｑｑ|扣扣|微信|wechat|weixin|vx|wx|telegram|tg|电报|飞机|邮箱|mail|邮件|手机|电话|热线|专线|电子邮|信箱"
                         r"|phone|tel|mobile|whatsapp|q\s*q|line|discord|skype|kakao|signal|viber|hotline|appelez|telefon"
                         r"|\wi\wn ?tho\wi|โทร", re.I)  # (téléphone holds phone; điện thoại by \w: its cased letters are not ASCII)
# The same test on the label lower-cased (``phrases.fold``): the words whose letters are ASCII lower
# case without re.I (``regexes.without_case``: no case fold per character tried), and full-width ｑｑ
# (any case of it lower-cases to ｑｑ) by a substring test.
_LABEL_HINT_LOW = without_case(re.compile(_LABEL_HINT.pattern.replace("|ｑｑ", ""), re.I))


def _has_label_hint(label: str) -> bool:
    """``_LABEL_HINT.search(label)`` found something."""
    low = case_fold(label)
    return "ｑｑ" in low or _LABEL_HINT_LOW.search(low) is not None


_COMPANY_FIRST = re.compile(r"^.{2,30}?(?:有限公司|有限責任公司|有限责任公司)\s*")


def label_type(label: str) -> str | None:
    """The contact type a label names (``客服QQ`` → ``qq``), or None."""
    if len(label) > 16:  # a company's name before the label ("智冠科技股份有限公司 MyCard 客服專線")
        label = _COMPANY_FIRST.sub("", label)
    if len(label) > 16 or not _has_label_hint(label):
        return None
    label = nfkc(label).lower().replace(" ", "")
    if len(label) > 16:
        return None
    label = _TRAILING_ROLE.sub("", label) or label  # "WhatsApp 客服", "微信客服": the channel names the type
    for kind, pattern in _LABELS:
        if pattern.fullmatch(label):
            return kind
    return None


def parse_contact(kind: str, value: str) -> Contact | None:
    """Read one value of a known type: QQ digits, WeChat id as shown, @handle, phone digits, e-mail."""
    value = nfkc(value or "").strip()
    if not value:
        return None
    if kind == "qq":
        m = _QQ.search(value)
        return Contact("qq", m.group(1)) if m and m.start() < 4 else None
    if kind == "wechat":
        m = _WECHAT.match(value)
        return Contact("wechat", m.group(1)) if m else None
    if kind == "telegram":
        if "t.me/" in value:
            return telegram_from_link(value)
        m = _TG.match(value)
        return Contact("telegram", "@" + m.group(1)) if m else None
    if kind == "email":
        m = _EMAIL.search(value)
        return Contact("email", m.group(0).lower()) if m and m.start() < 4 else None
    if kind == "other":  # a LINE, Discord or Skype id as shown
        m = re.match(r"@?[A-Za-z0-9][\w.#-]{2,31}", value)
        return Contact("other", m.group(0)) if m else None
    if kind == "phone":
        m = _PHONE.match(value)
        if not m:
            return None
        digits = re.sub(r"\D", "", m.group(1))
        return Contact("phone", digits) if 7 <= len(digits) <= 15 else None
    return None


def telegram_from_link(href: str) -> Contact | None:
    """``https://t.me/handle`` → ``@handle`` (invite and share links are not handles)."""
    m = re.search(r"(?:t\.me|telegram\.me)/([A-Za-z][A-Za-z0-9_]{4,31})(?![A-Za-z0-9_/])", href)
    if m and m.group(1).lower() not in ("joinchat", "share", "addstickers", "proxy", "socks"):
        return Contact("telegram", "@" + m.group(1))
    return None


def contact_from_link(href: str) -> Contact | None:
    """wpa.qq.com / tencent://message / qm.qq.com uin links, t.me links, wa.me links, mailto: links."""
    if not href:
        return None
    low = href.lower()
    if "tencent://" in low or "wpa.qq.com" in low or "qm.qq.com" in low or "wpa.b.qq.com" in low:
        try:
            query = parse_qs(urlsplit(href).query)
        except ValueError:
            query = {}
        for key in ("uin", "qq"):
            for value in query.get(key, []):
                if _QQ.fullmatch(value):
                    return Contact("qq", value)
        m = re.search(r"p=2:(\d{5,12})", href)
        if m:
            return Contact("qq", m.group(1))
        return None
    if "t.me/" in low or "telegram.me/" in low:
        return telegram_from_link(href)
    if "wa.me/" in low or "whatsapp.com/send" in low:  # a WhatsApp chat link names the number
        m = re.search(r"(?:wa\.me/|[?&]phone=)\+?(\d{7,15})(?!\d)", href)
        return Contact("phone", m.group(1)) if m else None
    if low.startswith("mailto:"):
        m = _EMAIL.search(href)
        return Contact("email", m.group(0).lower()) if m else None
    return None
