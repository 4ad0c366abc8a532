"""Seller fields for the site modules: name, id, deposit, opening date, sales and contacts.

Single-shop systems have no separate seller (name and id stay null) while their customer-service
contacts count; on multi-merchant platforms the platform's own support contacts (footer, 平台客服)
are not the seller's, unless the label names the seller.
"""
from __future__ import annotations

import re
from operator import itemgetter

import lxml.etree as etree

from .. import labels as L
from ..facts import Contact, Money, Seller
from ..regexes import without_case
from ..text import squash, to_int
from ..text.contacts import (
    BARE_QQ,
    BUYER_LABEL,
    EMAIL_IN_TEXT,
    MOBILE,
    PLATFORM_LABEL,
    QQ_IN_TEXT,
    ROLE_EMAIL,
    ROLE_LABEL,
    TELEGRAM_IN_TEXT,
    TG_HANDLE_IN_TEXT,
    WECHAT_IN_TEXT,
    contact_from_link,
    label_type,
    parse_contact,
    telegram_from_link,
)
from ..text.dates import parse_date
from ..text.money import parse_money
from ..visible import visible_text
from . import context, orders

# patterns of the rules below, compiled once (re's own cache costs a lookup per call)
_OFFICIAL = re.compile(r"平台|官方")
_SELLER_LABEL = re.compile(r"卖家|商家|店主|店铺|seller|merchant")
_NOT_THE_SELLERS = re.compile(r"下单|买家|您的|你的|查询|骗|勿|不要|陌生|填写|输入|例如|比如|如：|充值|到账|账号|your|buyer|e\.g|example", re.I)
# a Telegram handle that is a bot (Telegram bot names end in "bot") or a link introduced as a channel or
# group for announcements: a broadcast, not a way to reach the seller
_BOT_HANDLE = re.compile(r"@\w*bot", re.I)
_BROADCAST = re.compile(r"(?:频道|公告群|通知群|channel|announcements?|news)\s*[:：]?\s*$", re.I)


_DISCORD_TAG = re.compile(r"(?i:discord)\s*(?:id|tag|name)?\s*(?:is\s*)?[:：]?\s*([A-Za-z0-9_.]{2,32}#\d{4})(?!\d)")
_PRESENCE_HEAD = re.compile(r"(?P<name>[^\s●•·|]{2,30}(?: [^\s●•·|]{1,20}){0,2})\s+[●•]\s*(?:online|offline|在线|离线|在線|離線)(?![a-z])", re.I)
_OPENED_IN_LINE = re.compile(r"(?:^|[·•|｜]\s*)(?:开店|入驻)(?:时间|日期)\s*[:：]?\s*((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})")
_MULTI_MERCHANT = re.compile(r"商家入驻|商户入驻|商家中心|商户中心|卖家中心|卖家服务|我要卖|我要出售|我要出租|weitere angebote|verkauft von|商家id|卖家id|店铺id|联系卖家"
                             r"|进店逛逛|进店|进入店铺|卖家信息|并非销售商|与商家自行协商|(?:普通|金牌|银牌|铜牌|钻石|认证|优质)商户"
                             r"|我是卖家|我卖出的|卖家发货|卖家所在地|联系商家|投诉商家|投诉卖家|merchant of record|with a seller"
                             r"|(?:跳回|返回|跳转回?)商户(?:网站|页面)"
                             r"|sell on |start selling|become a seller|sold by|seller id"
                             r"|卖家帮助|向卖家追偿|卖家须缴纳|卖家违规|판매자"
                             # fr, pl, pt, id, vi, th, ja: a seller named apart from the site, a door to its shop
                             r"|vendu par|vendeur|vendido por|vendedor|penjual|ผู้ขาย"
                             r"|出品者|販売者|ショップにメッセージ|このショップの|ショップ管理", re.I)  # (a market's rules about its sellers; its 판매자)
_MULTI_MERCHANT_CYRILLIC = re.compile(r"продав(?:ец|ца|цу|цом|цы|цов)\b|sprzedawc(?:a|y|ów|ę|om)\b|người bán")  # (on lower-cased
# text: a Russian market's Продавец, a Polish one's Sprzedawca, a Vietnamese one's Người bán)
# the same without re.I over the page's lower-cased copy (``Document.low``: same spans, no case fold
# per character tried; the letters above are all lower case, so ``without_case`` gives it)
_MULTI_MERCHANT_LOW = without_case(_MULTI_MERCHANT)
# a heading or label naming a seller apart from the site: the site hosts sellers
_SELLER_HEAD = re.compile(r"seller|sold by|seller info(?:rmation)?|about the seller|卖家|卖家信息|商家信息|卖家昵称|联系卖家|咨询卖家"
                          r"|询问卖家|(?:店铺|商家|卖家)名称|vendeur|sprzedawca|vendedor|penjual|người bán|ผู้ขาย|ショップ|出品者|販売者", re.I)
_SELLER_HEAD_HINT = re.compile(r"seller|sold by|卖家|商家信息|店铺名称|商家名称|vendeur|sprzedawca|vendedor|penjual|người bán|ผู้ขาย"
                               r"|ショップ|出品者|販売者")  # (on lower-cased text, before the line scan)
_PRESENCE = re.compile(r"\s*(?:[✔✓☑✅⭐★]|\b(?:online|offline|away|verified)\b|在线|离线|忙碌|实名认证|已认证|认证商家|官方认证"
                       r"|企业认证|个人认证)\s*$", re.I)  # a presence badge after the name
_SELLER_NAME_CLASS = re.compile(r"(?:shop|seller|store|merchant|peer|vendor)(?:[-_]+(?:card|box|info|panel|head|header|profile|user))?"
                                r"[-_]*(?:name|title|nick)|\bdianpu\b")  # (BEM: seller-card__name)
_SELLER_BOX_CLASS = re.compile(r"shop|seller|store|merchant|vendor")
# the site's own footer (not a card's or a panel's footer): platform support contacts live there
_PLATFORM_ZONE = re.compile(r"(?:^|\s)(?!(?:card|panel|modal|box|list|item|table|dialog|el-card|layui-card|msg|order)[-_])"
                            r"[\w-]*(?:footer|foot)\b|(?:^|\s)(?:bottom|page-bottom|site-bottom|copyright|site-info)(?:\s|$)"
                            r"|(?:^|\s)(?:kf|kefu|service|cs)[-_]?(?:float|fixed|fix)(?:\s|$)")  # (a floating help widget)
# a contact label or sentence that names the shop's side, not the buyer's
_SELLER_WORDS = re.compile(r"客服|卖家|商家|店主|店铺|售后|站长|老板|官方|联系我们|咨询|加\s*(?:qq|微信|vx|wx)|support|seller|merchant|shop|store|service"
                           r"|contact us|vendor|kefu", re.I)
_CHROME = re.compile(r"(?:^|[\s_-])(?:header|navbar|nav|topbar|top-bar|sidebar|side|aside|kefu|service|contact|seller"
                     r"|shop-?info|store-?info|merchant|vendor|notice|announcement|gonggao)(?:$|[\s_-])")
# a box that asks the buyer to contact the shop ("暂无现货，请联系客服发货"): the contacts under it are the shop's
_ASK_SHOP = re.compile(r"(?:请|可)?联系(?:客服|卖家|商家|店主|我们)|contact (?:us|support|the seller)", re.I)
_BUYER_HEAD = re.compile(r"买家|收货|收件|下单人|购买人|buyer|your (?:details|info)|billing|shipping", re.I)
_CREDIT = re.compile(r"(?:theme|template|designed|design|made|powered|crafted|developed|built)\s*(?:by|with)\b|模板(?:作者|来自|by)"
                     r"|主题(?:作者|来自|by)|技术支持", re.I)
_BIG = etree.XPath("boolean(descendant::*[81])")  # an element with more than 80 descendants
# a seller named with its role tag in a chat ("暮雪清风 卖家") or with the door to its shop ("速充通讯专营店 进店")
_NAME_WITH_ROLE = re.compile(r"(?P<name>[^\s:：]{2,24})\s+(?:(?P<role>卖家|商家|店主|seller|vendor)|(?P<door>进店|进入店铺|进店逛逛|visit (?:store|shop)))",
                             re.I)
_CONVERSATION = re.compile(r"session|conversation|contact|dialog|chat-?(?:item|list)|(?:^|\s)room(?:\s|$)")
_SHORT_NAME_CLASS = re.compile(r"(?:^|\s)(?:[a-z]{1,3}[-_])?name(?:\s|$)")
_CHOSEN_WORD = re.compile(r"(?:^|[\s_-])(?:is-)?(?:active|current|selected)(?:$|\s)")
_MERCHANT_LEVEL = re.compile(r"(?:普通|金牌|银牌|铜牌|钻石|认证|优质|实名|诚信)(?:商户|商家|卖家|店铺)|(?:top|verified|trusted) (?:seller|vendor|merchant)",
                             re.I)
_ROLE_AT_END = re.compile(r" (?:卖家|商家|店主|seller|vendor|进店|进入店铺|进店逛逛|visit store|visit shop)")
_MEMBER_ID = re.compile(r"会员编号|会员id|用户编号|用户id|userid|memberid|uid", re.I)
_MEMBER_ID_OR_ID = re.compile(_MEMBER_ID.pattern + "|id", re.I)  # (inside the seller's box a bare ID is the seller's)
# a deposit badge in a seller's box or line: "已缴保证金 ¥2,000.00"
_DEPOSIT_PAID = re.compile(r"(?:已缴纳?|已交纳?|已缴存)(?:商家|店铺|卖家)?保证金\s*[:：]?\s*((?:[¥￥$]|RMB|CNY)?\s*\d[\d,]*(?:\.\d+)?\s*元?)")
_INLINE_SALES = re.compile(r"(?<![\d.,])(\d[\d,.]*\s*[kK万]?)\+?\s*(?:sales|orders|completed orders|sold|笔成交|单成交|笔交易|笔订单|成交)"
                           r"|(?:已卖出|卖出|已售出|已成交)\s*(\d[\d,.]*\s*[kK万]?)\s*(?:件|单|笔)?", re.I)
_ICON_KIND = [("qq", re.compile(r"qq")), ("wechat", re.compile(r"wechat|weixin|\bwx\b")),
              ("telegram", re.compile(r"telegram|\btg\b")), ("email", re.compile(r"mail")),
              ("phone", re.compile(r"mobile|phone|\btel\b"))]


# every link ``contact_from_link`` reads holds one of these (lower-cased; none holds a space)
_LINK_MARKS = ("tencent://", "wpa.qq.com", "qm.qq.com", "wpa.b.qq.com", "t.me/", "telegram.me/", "mailto:")


def _img_hint(root) -> list:
    """Images whose alt or src names a contact app (a C-level walk over <img> only)."""
    out = []
    for el in root.iter("img"):
        alt, src = el.get("alt") or "", el.get("src") or ""
        if "QQ" in alt or "qq" in alt or "微信" in alt or "qq" in src or "wechat" in src or "weixin" in src or (
                "Telegram" in alt):
            out.append(el)
    return out


def _label_like(text: str) -> bool:
    from ..document import _norm_label
    from ..text.normalise import fold

    label = _norm_label(fold(text))
    return len(label) <= 24 and bool(L.KNOWN.fullmatch(label))


# The words of a control that opens a conversation with the seller ("联系卖家", "Contact seller",
# "ショップにメッセージを送る"): beside a name it is cut off; on its own it is never a name.
_DOOR_WORDS = (r"(?:ショップに)?メッセージを送る|(?:send (?:a )?)?message(?: the)? (?:seller|shop|store|vendor)"
               r"|(?:contact|chat with|ask) (?:the )?(?:seller|shop|store|vendor)|chat (?:penjual|seller)|enviar mensagem"
               r"|kirim pesan|nhắn tin|私信|(?:在线)?(?:咨询|联系|联络|私聊|询问)(?:卖家|商家|店主|客服|掌柜)|在线咨询|和我联系"
               r"|聯絡賣家|聯繫賣家")
_MESSAGE_DOOR = re.compile(rf"\s+(?:{_DOOR_WORDS})\s*$", re.I)
_DOOR = re.compile(_DOOR_WORDS, re.I)


_NAME_MAX = 80  # the longest shop name kept (marketplaces allow 50 to 64; past 80 it is a line of text)
_SENTENCE_MARK = re.compile(r"[，。！？；!?;,]|\.\s|\s[-–—]\s.*\s[-–—]\s")
_FUNCTION_WORD = re.compile(r"\b(?:the|a|an|is|are|was|has|have|not|no|this|that|you|your|we|our|will|can|please|to|of|for|with|and|or|yet|any|all)\b")


def _long_name(value: str) -> bool:
    """A name past 40 characters that is still a name ("Steam Wallet & Game Keys Official Reseller Store EU"):
    at most ``_NAME_MAX``, no clause mark, and in Latin script capitalised words with no sentence's small words
    ("This seller has not provided any information yet" is a sentence)."""
    if len(value) > _NAME_MAX or _SENTENCE_MARK.search(value):
        return False
    words = re.findall(r"[A-Za-z][A-Za-z'’&-]*", value)
    if len(words) >= 3:
        small = [w for w in words if w[0].islower()]
        if len(small) > len(words) // 3 or any(_FUNCTION_WORD.fullmatch(w) for w in small):
            return False
    return True


def _clean_name(value: str | None) -> str | None:
    """A seller name as a label's value shows it, without a rating, badge or presence suffix; None
    for a caption (Rating), a number or a sentence."""
    if not value:
        return None
    value = re.split(r"\s+[·•|]\s+|\s*[（(](?:会员|會員|卖家|賣家|用户|用戶)?(?:编号|編號|id|ID)", value)[0]  # "X · 98,412 sales"
    value = _MESSAGE_DOOR.sub("", value)  # "星屑ラボ ショップにメッセージを送る": the link to message the shop beside its name
    if _DOOR.fullmatch(value.strip()):
        return None  # the control itself ("联系卖家", "Contact seller"), never a name
    if len(value) > 40 and not _long_name(value.strip()) or re.search(r"[\w)）][:：]\s*\S", value):
        return None  # a line of its own labels ("店铺：X 商家ID：…") or a sentence
    name = re.split(r"\s+(?:(?:信用|信誉)?等级|★|☆|[0-9.]+\s*\(|[0-9.,]+\s?%|金牌|银牌|铜牌|认证|官方|旗舰|Lv\.?\d)", value)[0].strip()
    for _ in range(3):  # "GameHubEU ✔", "南风游戏工作室 实名认证"
        name = _PRESENCE.sub("", name).strip(" ·|")
    m = re.match(r"^[\d.,]+[kK万+%]*\s*(.+)$", name)
    if m and _label_like(m.group(1)):
        return None  # "4.9 Rating", "98,412 sales": a stat, not a name
    if not name or _label_like(name) or re.fullmatch(r"[\d\s.,%★☆+()/-]+", name) or L.RATING.fullmatch(
            "".join(name.split()).lower()):
        return None
    return name


def _count(text: str) -> int | None:
    """``3482笔`` → 3482, ``98,214`` → 98214, ``31.204`` → 31204 (dots group thousands), ``1 874`` → 1874, ``1.2万`` → 12000,
    ``12.5k`` → 12500."""
    m = re.match(r"\s*(\d+(?:\.\d+)?)\s*(万|[kK])", text or "")
    if m:
        return int(float(m.group(1)) * (10000 if m.group(2) == "万" else 1000))
    m = re.match(r"\s*(\d{1,3}(?:\.\d{3})+)(?![\d.,])", text or "")
    if m:
        return int(m.group(1).replace(".", ""))
    m = re.match(r"\s*(\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+)(?![\d.,])", text or "")  # "1 874": spaces group thousands
    if m:
        return int(re.sub(r"\D", "", m.group(1)))
    return to_int(text)


class SellerFields:
    """Mixed into :class:`SiteExtractor`; reads ``self.doc`` and ``self.cached``."""

    single_shop: bool | None = None  # None: decide from the page (multi-merchant platform signals)

    def multi_merchant(self) -> bool:
        """The site hosts many sellers (商家入驻, 卖家ID, Sell on …) rather than being one shop."""
        if self.single_shop is not None:
            return not self.single_shop
        return self.cached("multi", lambda: bool(
            _MULTI_MERCHANT_LOW.search(self.doc.low) if _MULTI_MERCHANT_LOW is not None
            else _MULTI_MERCHANT.search(self.doc.ntext)) or _MULTI_MERCHANT_CYRILLIC.search(self.doc.low) is not None or (
            _SELLER_HEAD_HINT.search(self.doc.low) is not None and any(
                len(line.norm) <= 24 and _SELLER_HEAD.fullmatch(line.norm.strip(" ：:"))
                for line in self.doc.lines[:3000])) or any(m.group("role") for _, m in self._named_with_role()))
        # (… or a party tagged 卖家 in a chat)

    def _named_with_role(self) -> list:
        """(line, match) of the short lines that are a name and its role tag or shop door ("暮雪清风 卖家",
        "速充通讯专营店 进店"): found by one scan of the page for a role word ending a line."""
        def build():
            doc, out = self.doc, []
            starts = doc.starts
            for hit in _ROLE_AT_END.finditer(doc.low):
                line = doc.line_at(hit.start())
                if hit.end() != starts[line.index + 1] - 1:
                    continue  # (the word must end its line)
                m = _NAME_WITH_ROLE.fullmatch(line.norm) if len(line.norm) <= 40 else None
                if m and (not out or out[-1][0] is not line):
                    out.append((line, m))
            return out
        return self.cached("named_with_role", build)

    def seller(self, kind: str) -> Seller:
        """Seller facts; name, id and deposit only on multi-merchant platforms."""
        if kind == "other":
            return Seller()
        doc = self.doc
        seller = Seller(contacts=self.contacts(kind))
        if kind == "terms":
            return seller  # rules about sellers' deposits and shops name no seller ("保证金不低于300元")
        if kind == "chat" and not self.multi_merchant():
            seller.name = self.open_conversation() or self._head_with_presence()  # (a messenger listing several counterparts is a marketplace's)
        if self.multi_merchant():
            seller.name = self.seller_name(kind)
            seller.id = self.seller_id()
            pair = doc.find(L.DEPOSIT)
            seller.deposit = parse_money(pair.value, self.currency or "CNY") if pair else None
            if seller.deposit is None and "保证金" in doc.ntext:
                seller.deposit = self._deposit_badge()
        pair = doc.find(L.OPENED)
        seller.opened_on = parse_date(pair.value) if pair else None
        if seller.opened_on is None and ("开店" in doc.ntext or "入驻" in doc.ntext) and (m := _OPENED_IN_LINE.search(doc.ntext)):
            seller.opened_on = parse_date(m.group(1))  # "微店认证 · 已缴纳保证金 ¥2000 · 开店时间 2020-04-11": one fact of a dotted line
        pair = doc.find(L.SALES)
        seller.sales = _count(pair.value) if pair else None
        if seller.sales is None and self.multi_merchant():
            for pair in doc.find_all(L.SELLER_NAME):  # "Sold by X · 98,412 sales · 99.2% positive"
                m = _INLINE_SALES.search(pair.value)
                if m:
                    seller.sales = _count(m.group(1) or m.group(2))
                    break
        if seller.sales is None and self.multi_merchant():
            seller.sales = self._boxed_sales()
        return seller

    def _deposit_badge(self) -> Money | None:
        """A deposit the seller's badge line states ("实名认证 已缴保证金 ¥2,000.00"), outside listings."""
        for line in self.doc.lines:
            m = _DEPOSIT_PAID.search(line.norm) if "保证金" in line.norm else None
            if m and line.el is not None and not context.in_listing(self, line.el):
                money = parse_money(line.text[m.start(1):m.end(1)], self.currency or "CNY")
                if money:
                    return money
        return None

    def _boxed_sales(self) -> int | None:
        """"98,412 sales" inside the seller's box (a number before its word, on a line with the name)."""
        for el in self.doc.with_class("seller", "shop", "store", "merchant", "vendor", "Seller"):
            if not _SELLER_BOX_CLASS.search(self.doc.classes(el)) or _BIG(el) or orders.hidden(el):
                continue  # (a page-wide wrapper named "shop-page" is no seller's box)
            for text in self.doc.element_text(el)[:12]:
                m = _INLINE_SALES.search(text)
                if m:
                    return _count(m.group(1) or m.group(2))
        return None

    def seller_name(self, kind: str) -> str | None:
        """A 店铺/卖家/Sold by label's value, else the name in a box headed "Seller" (its profile link),
        else a shop-name element's own first text. A caption (Rating, 好评率) or a number is no name."""
        pairs = self.doc.find_all(L.SELLER_NAME)
        for pair in pairs:
            name = _clean_name(pair.value)
            if name:
                return name
        for pair in pairs:
            if self.doc.lines[pair.line].text.strip().rstrip("：:") == pair.raw_label.strip():  # a heading "Seller"
                name = self._boxed_name(pair)
                if name:
                    return name
        for line, m in self._named_with_role():
            if kind == "chat" or m.group("door"):  # "暮雪清风 卖家" over a chat message, "X专营店 进店"
                name = _clean_name(line.text[m.start("name"):m.end("name")])
                if name:
                    return name
        if kind == "chat":
            name = self.open_conversation() or self.chat_partner() or self._head_with_presence()
            if name:
                return name
        lines = self.doc.lines
        for index, line in enumerate(lines[1:400], 1):  # a name over its merchant level ("鲸落游戏CDK" / "普通商户")
            if len(line.norm) <= 12 and _MERCHANT_LEVEL.fullmatch(line.norm.strip()):
                name = _clean_name(lines[index - 1].text) if len(lines[index - 1].text) <= 24 else None
                if name:
                    return name
        for el in self.doc.with_class("name", "Name", "nick", "title", "dianpu"):
            cls = el.get("class") or ""
            named = _SELLER_NAME_CLASS.search(cls.lower())
            if not named and _SHORT_NAME_CLASS.search(cls):  # (name, s-name, u_name inside a seller's box)
                parent = el.getparent()
                grand = parent.getparent() if parent is not None else None
                named = any(p is not None and _SELLER_BOX_CLASS.search(self.doc.classes(p))
                            for p in (parent, grand))
            if named and not orders.hidden(el):
                text = self.doc.first_text(el)
                if text and (len(text) <= 40 or _long_name(text)):
                    return text
        return None

    def _head_with_presence(self) -> str | None:
        """A chat head's name beside its presence dot ("NordicGrind ● online", "暮雪 ● 在线"): the other party."""
        for line in self.doc.lines[:200]:
            m = _PRESENCE_HEAD.match(line.norm) if len(line.norm) <= 80 else None
            if m:
                name = _clean_name(m.group("name"))
                if name:
                    return name
        return None

    def chat_partner(self) -> str | None:
        """The party a chat's heading names ("与 老K游戏号 的对话 · 订单编号：…", "Chat with KeyHub"):
        on a marketplace's order chat, the seller."""
        for line in self.doc.lines[:400]:
            if len(line.norm) > 120:
                continue
            head = re.split(r"\s+[·|｜•/]\s+", line.norm, maxsplit=1)[0].strip()
            m = orders.CHAT_WITH.match(head)
            if m:
                name = _clean_name(m.group("name") or m.group("en"))
                if name:
                    return name
        return None

    def open_conversation(self) -> str | None:
        """The name on the conversation open in a chat's list of several (<div class="im-session is-active">
        among its siblings): the party the buyer is talking to on a marketplace's messenger."""
        for el in self.doc.with_class("active", "current", "selected"):
            cls = (el.get("class") or "").lower()
            parent = el.getparent()
            if not (_CONVERSATION.search(cls) and _CHOSEN_WORD.search(cls)) or parent is None or sum(
                    1 for c in parent if isinstance(c.tag, str) and _CONVERSATION.search((c.get("class") or "").lower())) < 2:
                continue
            names = [n for n in el.iter() if isinstance(n.tag, str) and "name" in (n.get("class") or "").lower()]
            if not names:  # (a room's name in bold before its last message: <a class="room active"><b>X</b><span>…</span>)
                names = [n for n in el.iter("b", "strong")][:1]
            name = _clean_name(self.doc.first_text(names[0])) if names else None
            if name:
                return name
        return None

    def _boxed_name(self, pair) -> str | None:
        """The name in the box a "Seller" heading tops: its link to a seller/shop profile, else its
        first line that is not a caption or a number."""
        doc = self.doc
        box = pair.el
        for _ in range(4):
            box = box.getparent() if box is not None else None
            if box is None:
                return None
            texts = doc.element_text(box)
            if len(texts) >= 2:
                break
        for a in box.iter("a"):
            href = (a.get("href") or "").lower()
            if re.search(r"/(?:seller|shop|store|user|profile|merchant|vendor|u)s?/|[?&](?:seller|shop|store)", href):
                name = _clean_name(squash(visible_text(a)))
                if name:
                    return name
        for text in texts[1:6]:
            name = _clean_name(text)
            if name:
                return name
        return None

    def seller_id(self) -> str | None:
        """A 商家ID/Seller ID label's value, a member number in the seller's box or beside the seller's
        name (阿凱點卡舖（會員編號：S1027745）), else the shop id in the URL (/shop/28517, ?shop=28517)."""
        pair = self.doc.find(L.SELLER_ID)
        if pair:
            m = re.search(r"[A-Za-z0-9_-]{2,32}", pair.value)
            if m:
                return m.group(0)
        for pair in self.doc.find_all(_MEMBER_ID_OR_ID):
            if any(_SELLER_BOX_CLASS.search(self.doc.classes(anc)) for anc in self.doc.ancestors(pair.el, 5)):
                m = re.search(r"[A-Za-z0-9_-]{2,32}", pair.value)
                if m:
                    return m.group(0)
        for pair in self.doc.find_all(L.SELLER_NAME):
            m = re.search(r"[（(](?:会员|會員|卖家|賣家|用户|用戶)?(?:编号|編號|id|ID)\s*[:：]\s*([A-Za-z0-9_-]{2,32})", pair.value)
            if m:
                return m.group(1)
        m = re.search(r"/(?:shop|store|seller|merchant)/(\d{2,12})\b", self.doc.path)
        if m:
            return m.group(1)
        for key in ("shop", "shop_id", "shopid", "seller", "seller_id", "sid", "merchant_id"):
            value = self.doc.query.get(key)
            if value and re.fullmatch(r"\d{2,12}", value):
                return value
        return None

    def contacts(self, kind: str) -> list[Contact]:
        """The seller's (or single shop's) contacts: labelled values, QQ/WeChat in text, contact links
        and icon + value pairs; never the buyer's own, nor the platform's support on a marketplace."""
        doc = self.doc
        multi = self.multi_merchant()
        out: list[Contact] = []

        def keep(contact, el, line_text="", seller_label=False):
            if contact is None or contact in out:
                return
            if contact.type == "telegram" and _BOT_HANDLE.fullmatch(contact.value):
                return  # the shop's bot sells; it is no one to talk to
            if multi and not seller_label and (self.platform_zone(el) or _OFFICIAL.search(line_text)):
                return
            if contact.type == "email" and multi and contact.value.endswith("@" + self._domain()):
                return
            out.append(contact)

        ordering = kind in ("order", "checkout")
        types: dict = {}  # label → contact type (pages repeat their labels)
        for pair in doc.pairs:
            kind_ = types.get(pair.label, False)
            if kind_ is False:
                kind_ = types[pair.label] = label_type(pair.label)
            if not kind_ and self.cn and ROLE_LABEL.fullmatch(pair.label) and (bare := BARE_QQ.fullmatch(pair.value)) \
                    and not MOBILE.fullmatch(bare.group(1)):
                kind_ = "qq"  # "商家客服：1974306652": a number alone after a role is a QQ
            if not kind_ or BUYER_LABEL.fullmatch(pair.label) or PLATFORM_LABEL.fullmatch(pair.label):
                continue
            if ordering and not _SELLER_WORDS.search(pair.label) and not self.site_chrome(pair.el) and not (
                    self._under_shop_ask(pair.line)):
                continue  # on an order, a plain "QQ"/"邮箱"/"手机号" is what the buyer typed in
            keep(parse_contact(kind_, pair.value), pair.el, doc.lines[pair.line].text,
                 seller_label=bool(_SELLER_LABEL.search(pair.label)))
        text = doc.ntext  # (normalised: ＱＱ is QQ, full-width digits are ASCII; offsets are the page text's)
        at_sign = "@" in text
        scans = ((QQ_IN_TEXT, "qq"), (WECHAT_IN_TEXT, "wechat")) + (
            ((EMAIL_IN_TEXT, "email"), (TG_HANDLE_IN_TEXT, "telegram")) if at_sign else ())
        for pattern, kind_ in scans:
            for m in pattern.finditer(text):  # one pass over the page text, mapped back to lines
                before = text[max(0, m.start() - 8):m.start(1)]
                if _NOT_THE_SELLERS.search(before) or PLATFORM_LABEL.fullmatch(text[max(0, m.start() - 4):m.start()]):
                    continue  # (the buyer's, or the platform's: "企业QQ", "投诉QQ")
                line = doc.line_at(m.start())
                if ordering and not _SELLER_WORDS.search(text[max(0, m.start() - 12):m.start(1)]) and not (
                        self.site_chrome(line.el)):
                    continue
                value = doc.text[m.start(1):m.end(1)]
                keep(parse_contact(kind_, value) if kind_ == "email" else Contact(kind_, m.group(1)), line.el, line.text)
        for m in _DISCORD_TAG.finditer(text) if "#" in text and "discord" in doc.low else ():  # "add me on Discord nordic#2231"
            line = doc.line_at(m.start())
            if not ordering or self.site_chrome(line.el):  # (on an order form, what the buyer typed)
                keep(Contact("other", m.group(1)), line.el, line.text)
        for m in ROLE_EMAIL.finditer(text) if at_sign else ():  # support@shop.example: the shop's wherever it is
            line = doc.line_at(m.start())
            keep(parse_contact("email", doc.text[m.start(1):m.end(1)]), line.el, line.text)
        for m in TELEGRAM_IN_TEXT.finditer(text) if "t.me/" in text or "telegram.me/" in text else ():  # written out
            if _CREDIT.search(text[max(0, m.start() - 30):m.start()]):
                continue
            line = doc.line_at(m.start())
            keep(telegram_from_link(m.group(0)), line.el, line.text)
        hrefs = " ".join(map(itemgetter(0), doc.links)).lower()  # (most pages link to no contact at all)
        for href, el in doc.links if any(mark in hrefs for mark in _LINK_MARKS) else ():
            contact = contact_from_link(href)
            if contact is not None and not self._credited(el) and not (
                    contact.type == "telegram" and _BROADCAST.search(self._before(el))) and not (
                    contact.type == "qq" and PLATFORM_LABEL.fullmatch(self._before(el).strip(" ：:").lower())):
                keep(contact, el)
        for contact, el in self.icon_contacts():
            keep(contact, el)
        return out

    def icon_contacts(self):
        """Icon + value pairs (``<svg class="icon-qq"/><span>123</span>``) with no text label."""
        root = self.doc.root
        if root is None:
            return
        icons = [el for el in self.doc.with_class("qq", "wechat", "weixin", "wx", "telegram", "tg", "mail", "mobile",
                                                  "phone", "tel") if el.tag in ("svg", "i", "img", "span")]
        icons += _img_hint(root)
        for el in icons:
            src = el.get("src") or ""
            if src.startswith("data:"):
                continue  # an inline image (perhaps kilobytes of base64) names no contact
            hint = (self.doc.classes(el) + " " + (el.get("alt") or "") + " " + src).lower()
            kind = next((k for k, p in _ICON_KIND if p.search(hint)), None)
            if kind is None:
                continue
            parent = el.getparent()
            if parent is None or orders.hidden(parent):
                continue
            lines = self.doc.element_text(parent)
            if not lines and el.tag != "img" and parent.tag == "a" and (holder := parent.getparent()) is not None and len(holder) <= 2 \
                    and holder.tag in ("li", "span", "p", "div", "td"):
                parent, lines = holder, self.doc.element_text(holder)  # an icon link beside its number (OpenCart's top bar)
            if len(lines) == 1 and len(lines[0]) <= 40:
                contact = parse_contact(kind, lines[0])
                if contact:
                    yield contact, parent

    def _under_shop_ask(self, line: int) -> bool:
        """One of the three lines above asks the buyer to contact the shop, and none heads the buyer's
        own details in between ("暂无现货，请联系客服发货" over the shop's QQ; not "买家信息" over the buyer's)."""
        lines = self.doc.lines
        for j in range(line - 1, max(-1, line - 4), -1):
            if _BUYER_HEAD.search(lines[j].norm):
                return False
            if _ASK_SHOP.search(lines[j].norm):
                return True
        return False

    def _credited(self, el) -> bool:
        """A link in a credit ("Theme by @riniba", "Made by …"): the template's author, not the shop."""
        return bool(_CREDIT.search(self._before(el)[-30:] + " " + visible_text(el, "")))

    def _before(self, el) -> str:
        """The text right before ``el`` within its block (about 40 characters)."""
        before, node = "", el
        while node is not None and len(before) < 40:  # the text right before the link, within its block
            prev = node.getprevious()
            if prev is not None:
                own = visible_text(prev) if isinstance(prev.tag, str) else ""
                before = own + (prev.tail or "") + before
                node = prev
                continue
            parent = node.getparent()
            if parent is None:
                break
            before = (parent.text or "") + before
            if parent.tag in ("p", "div", "li", "footer", "section", "td", "body"):
                break
            node = parent
        return before

    def site_chrome(self, el) -> bool:
        """``el`` is in the site's header, footer, navigation or a sidebar: where a shop puts its own
        contacts (not inside the order's rows, where the buyer's are)."""
        for anc in self.doc.ancestors(el, 14):
            if anc.tag in ("body", "html"):
                break  # (the body's classes name the page's layout: "right-sidebar" holds everything)
            if anc.tag in ("footer", "header", "nav", "aside") or _CHROME.search(self.doc.classes(anc)):
                return True
        return self.platform_zone(el)

    def platform_zone(self, el) -> bool:
        """``el`` is in the site's own footer (where a marketplace lists its support contacts)."""
        for anc in self.doc.ancestors(el, 12):
            if anc.tag == "footer" or _PLATFORM_ZONE.search(self.doc.classes(anc)):
                return True
        return False

    def _domain(self) -> str:
        from .. import registered_domain

        return self.cached("domain", lambda: registered_domain(self.doc.url))
