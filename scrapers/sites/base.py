"""The base of every site module: generic field extractors that a shop system can override.

A site module subclasses :class:`SiteExtractor`, says how to recognise its pages (``matches``) and
overrides only what its markup does differently. ``register`` adds it to the registry; nothing
keeps a hand-written list. Order-related fields live in :mod:`.orders`, phrases in :mod:`.context`.
"""
from __future__ import annotations

import re
from itertools import islice

import lxml.etree as etree

from .. import labels as L
from ..document import BADGE_CLASS, Document
from ..facts import Money, PageFacts, Platform, Product, Seller
from ..text import squash, to_int
from ..text.money import page_currency, parse_money, sign_currency
from ..text.normalise import has_traditional
from ..text.rules import table
from ..text.site import copyright_notice, find_icp, is_legal_entity
from ..visible import visible_text
from . import context, orders
from .seller import SellerFields

# patterns of the rules below, compiled once (re's own cache costs a lookup per call)
_UTC = re.compile(r"\b(?:UTC|GMT)\b")
_CJK_NAME = re.compile(r"[\u4e00-\u9fff]{2}")
_SLOGAN = re.compile(r"[,，、]")
_CHOOSE = re.compile(r"请选择|选择商品|加载中|please (?:select|choose)|select (?:a|an|the) ", re.I)
_LD_PRODUCT = re.compile(r'<script[^>]*ld\+json[^>]*>\s*\{\s*"@context"\s*:\s*"[^"]*"\s*,\s*"@type"\s*:\s*"Product"', re.I)
_CONFIRMED_PATH = re.compile(r"order-received|purchase-confirmation|purchase-receipt|thank-?you|/success|order-complete|/receipt")
_DOLLAR = re.compile(r"\$|USD")
_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff]")  # hiragana and katakana: a Japanese page
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LOCAL_DOLLAR = (("HKD", re.compile(r"^zh[-_](?:hant[-_])?hk", re.I), ".hk"), ("MOP", re.compile(r"^zh[-_](?:hant[-_])?mo", re.I), ".mo"),
                 ("TWD", re.compile(r"^zh[-_](?:tw|hant)", re.I), ".tw"))


def _local_dollar(doc: Document) -> str | None:
    """The dollar a traditional-character page prices in, by its language tag (zh-TW, zh-Hant-TW, zh-HK)
    or its domain (.tw, .hk, .mo); None when neither says."""
    lang = (doc.root.get("lang") or "") if doc.root is not None else ""
    host = (doc.url or "").split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    for code, tag, tld in _LOCAL_DOLLAR:
        if tag.match(lang) or host.endswith(tld):
            return code
    return None
_CHAT_PATH = re.compile(r"chat(?![-_ ]?(?:gpt|bot))|/im(?:[/?]|$)|/message|kefu|/service/talk")  # (a ChatGPT item's slug is no chat)
# an order's own address: an order page may show its chat with the seller beside the order (FunPay-style)
_ORDER_ADDRESS = re.compile(r"/orders?/(?:detail/?)?[\w-]*\d[\w-]*|order[_-]?(?:no|id|sn)=", re.I)
_TERMS_PATH = re.compile(r"agreement|terms|/tos|rule|policy|protocol|xieyi|/help/|/article/|/notice")
_TERMS_ROUTE = re.compile(r"help|faq|rules?|terms|agreement|notice|xieyi|guide|policy|after-?sales?")
_SHOP_PATH = re.compile(r"/(?:shops?|stores?|sellers?|links|s|dianpu|merchants?)/|shop_?id=")
_LOOKUP_PATH = re.compile(r"order|query|search|/bill|/cx")
_ORDER_WORD_I = re.compile(r"订单|order", re.I)
_CHECKOUT_PATH = re.compile(r"/(?:bill|checkout|pay|payment|cashier|confirm)\b")
_DIGITS_FIRST = re.compile(r"\s*[\d,]+")
_DOTTED_COUNT = re.compile(r"\s*(\d{1,3}(?:\.\d{3})+)(?![\d.,])")
_STOCK_IN_LINE = re.compile(r"(?:库存|剩余|stock)\s*[:：(（]?\s*([\d,]+)|([\d,]+)\s+(?:in stock|left)"
                            r"|(?:仅剩|只剩|剩下|还剩|仅余)\s*([\d,]+)\s*(?:件|个|份|张|套)|only\s+([\d,]+)\s+left"
                            r"|в наличии\s*[:：]?\s*(\d[\d\u00a0\u202f ]*?)\s*шт", re.I)  # (в наличии: 213 шт.)
_NOT_THE_PRICE = re.compile(r"ori|old|market|del|line|was|strike|wholesale|range|cart|regular")  # (a header cart's total is no price)
_DIGIT_RUN = re.compile(r"\d+")
_STATUS_HINT = re.compile(r"(?:order|trade|pay)[-_]*status|status[-_]*(?:badge|tag|label|text|title|desc|name|info)")


def _struck(el) -> bool:
    """An old price: struck through (<del>, <s>, text-decoration: line-through) or classed as one
    (product-price-original, old-price, market-price)."""
    return el.tag in ("del", "s", "strike") or "line-through" in (el.get("style") or "") or bool(
        "price" in (cls := (el.get("class") or "").lower()) and _NOT_THE_PRICE.search(cls))


REGISTRY: list[type[SiteExtractor]] = []


def register(cls: type[SiteExtractor]) -> type[SiteExtractor]:
    """Class decorator: make a site module known to ``extract`` (highest ``priority`` first)."""
    REGISTRY.append(cls)
    REGISTRY.sort(key=lambda c: -c.priority)
    return cls


_PAGES = table("pages")  # article, forum and shop-control words (scrapers/text/rules/pages.toml)
_ARTICLE = re.compile(_PAGES["article"]["words"])  # (matched on lower-cased text: no re.I on the hot path)
_FORUM = re.compile(_PAGES["forum"]["words"], re.I | re.M)
_FORUM_HINT = re.compile(r"楼|帖|回复|回帖|沙发|板凳|引用|注册时间|poster|repl|posts:|joined:|thread")  # (on lower-cased text)
_ARTICLE_GEN = re.compile(_PAGES["article"]["generators"], re.I)
_FORUM_GEN = re.compile(_PAGES["forum"]["generators"], re.I)
_ICON = r"[\ue000-\uf8ff\u2190-\u21ff\u25a0-\u27bf\U0001f300-\U0001faff]"  # icon-font glyphs, arrows, emoji
_BUY = re.compile(rf"(?:{_ICON}\s*)*(?:{_PAGES['shop']['buy']}){_PAGES['shop']['buy_price']}\s*(?:{_ICON})*", re.I)
_CHECKOUT = re.compile(rf"(?:{_ICON}\s*)*(?:{_PAGES['shop']['pay']})\s*(?:{_ICON})*", re.I)
_BUY_CLASS = re.compile(r"(?:^|[\s_-])buy(?:[-_]?(?:now|btn|button))?(?:$|[\s_-])", re.I)  # (btn_buy, btn--buy, buy-button)
_POWERED = re.compile(r"(?:powered by|proudly powered|theme by|由)\s*@?\s*([\w.!-]+)", re.I)
_CHECKOUT_HEAD = re.compile(r"确认订单|收银台|订单支付|checkout|confirm (?:your )?order|confirmer (?:la |votre )?commande|confirmar (?:o )?pedido"
                            r"|potwierdź zamówienie|konfirmasi pesanan|xác nhận đơn hàng|ยืนยันคำสั่งซื้อ|ご?注文(?:内容)?の?確認", re.I)
# an open dialog over the page (role=dialog, aria-modal, a modal shown by its class)
_OPEN_MODAL = re.compile(r"(?:^|\s)(?:is-open|open|opened|show|in|active|visible|is-visible|is-active)(?:$|\s)")
# one item's page: an id in the path or the query (/item/36, /buy/17, ?pid=12, /goods/detail/773104)
_ITEM_URL = re.compile(r"/(?:items?|goods|products?|buy|detail|offers?)(?:/detail)?/?(?:[\w-]*\d[\w-]*)"
                       r"|/bundles?/[a-z0-9]+(?:-[a-z0-9]+)+/?(?:\?|$)"  # (one bundle's own page: /en/bundle/build-your-own-winter-indie-bundle)
                       r"|[?&](?:id|pid|tid|gid|goods_?id|item_?id|product_?id)=\w", re.I)
_COMPANY_WORDS = re.compile(r"科技|网络|信息技术|贸易|文化传媒|电子商务|商贸|公司")
_SHOP_LINK = re.compile(r"订单查询|查询订单|我的订单|购物车|商家入驻|商户入驻|商家中心|商户中心|卡密查询|自助下单|在线下单|购买商品"
                        r"|my orders|order lookup|cart|sell on \S+|start selling", re.I)
_TERMS_HEAD = re.compile(r"协议|条款|规则|须知|政策|声明|terms|policy|agreement|rules", re.I)
_TITLE_SEP = re.compile(r"\s+[|\-–—_·]\s+|\s*[|_｜]\s*|\s+-\s*")
# a logo image inside the link home (a payment or partner logo elsewhere names another company)
_LOGO_IMAGES = etree.XPath("descendant-or-self::a[@href='/' or @href='./' or @href='.' or starts-with(@href, 'index.')"
                           " or starts-with(@href, '/index.') or starts-with(@href, './index.')]//img[@alt and contains(@src, 'logo')]")
_NAMING_ALT = re.compile(r"(?!.*\blogo\b|.*(?:标志|图标|首页|图片|\bhome\b|\bimage\b|\bicon\b)|(?:layui|bootstrap|vue|react|element|"
                         r"placeholder|avatar|banner)$).+", re.I)  # (a template's default alt names the framework)  # an alt that names the site ("ACG Logo" does not)
_LOGO_SRC = re.compile(r"(?:^|[/_-])logo(?!ut)", re.I)
_BRAND_CLASS = re.compile(r"navbar-brand|logo(?!ut)|site-name|sitename|brand|site-title|web-name|header-title")
_GOODS_NAME_CLASS = ("goods-name", "goods-title", "goods_name", "goods_title", "goodsname", "product-title",
                     "product-name", "product_title", "product_name", "item-title", "item-name", "item_title",
                     "trade-goodname", "offer-title", "good-name", "good-title", "sku-name", "detail-title")
_PAGE_TITLE = re.compile(r"(?:订单|商品|店铺|卖家|买家|用户|会员|个人)?(?:详情|查询|确认|中心|列表|信息|协议|须知|首页|主页|结果)"
                         r"|确认订单|订单查询|查询订单|我的订单|购买商品|在线下单|自助下单|登录|注册|首页|主页|帮助中心"
                         r"|(?:order|product|item)s?(?: details?| status| #?\S+)?|checkout|home|my account|terms of service"
                         r"|privacy policy|log ?in|sign ?up", re.I)  # a page's own name in <title>, not the site's
# a chosen option: by class (active, selected, checked, current, on, is-checked …) or by ARIA state
_CHOSEN_CLASSES = ("active", "selected", "checked", "current", "on")
_CHOSEN_TOKEN = re.compile(r"\s(?:active|selected|checked|current|on|is-active|is-selected|is-checked"
                           r"|ant-radio-button-wrapper-checked|van-radio--checked)\s")
# the ARIA state attributes' values, which know their element (an XPath predicate tested at every
# element, //*[@aria-checked='true' or …], cost 7x more: most elements have none of them)
_ARIA_STATES = etree.XPath("descendant-or-self::*/@aria-checked|descendant-or-self::*/@aria-selected"
                           "|descendant-or-self::*/@aria-pressed")


def aria_chosen(root) -> list:
    """Elements with ``aria-checked``, ``aria-selected`` or ``aria-pressed`` equal to ``true``, in
    document order, each once."""
    return list(dict.fromkeys(value.getparent() for value in _ARIA_STATES(root) if value == "true"))
_MONEY_TOKEN = (r"(?:(?:[A-Z]{0,3}[$¥￥€£฿₫]|Rp\.?)\s*\d[\d.,]*|\d[\d.,]*\s*(?:[¥￥€£元₫฿]|zł|đ(?!\w)|บาท|[A-Z]{3}\b)"
                r"|[A-Z]{3}\s*\d[\d.,]*)")
_PRICE_LINE = re.compile(rf"\s*{_MONEY_TOKEN}(?:\s+(?:{_MONEY_TOKEN}|-?\d{{1,2}}%|(?:省|save|off)\s*\S+))*\s*", re.I)
_TAX_NOTE = re.compile(r"\s*(?:[(（]\s*)?(?:incl\.?|inc\.?|excl\.?|including|excluding|plus|\+)\s*(?:vat|tax(?:es)?|gst|mwst\.?)"
                       r"(?:\s*[)）])?\s*$|\s*[(（]?(?:含税|不含税|含增值税)[)）]?\s*$", re.I)
_CHIP_STOCK = re.compile(r"[(（]\s*(?:库存|剩余|stock)?\s*[:：]?\s*(\d[\d,]*)\s*(?:件|个|张|left|in stock)?\s*[)）]\s*$"
                         r"|(?:库存|剩余|stock)\s*[:：]?\s*(\d[\d,]*)", re.I)
_TEST_IDS = etree.XPath("descendant-or-self::*/@data-testid")  # (values that know their element; from the root element)
_LABELLED = re.compile(r"[:：]")
_EMPHASIS_CLASS = re.compile(r"(?:^|[\s_-])(?:title|name|desc|pro-desc|goods|product)(?:$|[\s_-])", re.I)
_GENERIC_HEADING = re.compile(r"^(?:商品详情|商品描述|商品信息|商品介绍|购买信息|下单信息|填写信息|产品详细信息|产品详情|宝贝详情|购买须知|购买提示|交易须知|常见问题|公告|店铺公告|订单查询|"
                              r"description|details|product details|reviews|faq|notice)$", re.I)


# a page's statement of the zone its times are shown in ("heure de Paris (UTC+1)", "fuso de Brasília (UTC−3)",
# "日本時間（JST）"): bare times on it are in that zone
_ZONE_OFFSET = re.compile(r"[(（]\s*(?:UTC|GMT)\s*(?P<sign>[+−–-])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?\s*[)）]")
_ZONE_WORD = re.compile(r"(?:heure|horário|horários|fuso|time ?zone|times?|waktu|giờ|เวลา|時間|时间|zone|strefa|czas)[^.。\n]{0,40}$", re.I)
_JST = re.compile(r"日本時間|日本时间|\bJST\b")


def _stated_zone(text: str) -> str | None:
    """The one zone the page says its times are in, as "+HH:MM", or None (none stated, or several):
    a bracketed offset after a word for time ("heure de Paris (UTC+1)"), or Japan time named."""
    found = set()
    text = text[:60000]
    for m in _ZONE_OFFSET.finditer(text):  # (a literal bracket first: cheap over a whole page)
        if _ZONE_WORD.search(text, max(0, m.start() - 60), m.start()):
            sign = "+" if m.group("sign") == "+" else "-"
            found.add(f"{sign}{int(m.group('h')):02d}:{m.group('m') or '00'}")
    if ("JST" in text or "日本" in text) and _JST.search(text):
        found.add("+09:00")
    return found.pop() if len(found) == 1 else None


_OLD_PRICE_WORD = re.compile(r"批发|wholesale|原价|市场价|通常価格|定価|regular price|list price", re.I)


def _before_value(line: str, value: str) -> str:
    """The part of a labelled line before its value ("售 价 ￥688.00 原价 ￥899.00": "售 价 "): an old price named
    after the current one ("原价 ￥899.00") says nothing about the label before it."""
    at = line.find(value[:12]) if value else -1
    return line[:at] if at > 0 else line


class SiteExtractor(SellerFields):
    """Generic fallbacks for every field; subclasses override what their shop system does differently."""

    system = "generic"
    priority = 0

    def __init__(self, doc: Document):
        self.doc = doc
        self.cn = not doc.lang_en
        self.currency = self._currency()
        self.offset = _stated_zone(doc.text) or ("+08:00" if self.cn or not _UTC.search(doc.text) else "+00:00")
        lang = (doc.root.get("lang") or "").lower() if doc.root is not None else ""
        self.day_first = bool(re.match(r"(?!en(?:-us)?$|zh|ja|ko)[a-z]{2}", lang))  # 24/11/2026 outside the US
        self._cache: dict = {}

    @classmethod
    def matches(cls, doc: Document) -> bool:
        return False

    def _currency(self) -> str | None:
        """What a bare amount is in: the currency the page says it prices in; else CNY on a Chinese
        page (a traditional-character page marked NT$ or HK$ throughout: that one); else the
        currency most amounts on the page are marked with."""
        doc = self.doc
        declared = page_currency(doc.ntext, doc.low)
        if declared:
            return declared
        if self.cn:
            if len(_KANA.findall(doc.text, 0, 4000)) >= 20:
                return "JPY"  # a Japanese page: ￥ and 円 are yen
            for script, local in ((_HANGUL, "KRW"), (_CYRILLIC, "RUB")):
                if len(script.findall(doc.text, 0, 4000)) >= 40:
                    return sign_currency(doc.text) or local  # a Korean or Russian page: its own money, never yuan
            # (a page whose fold is itself holds no traditional character: the scan is spared)
            if doc.ntext is not doc.text and has_traditional(doc.text, 20000):
                marked = sign_currency(doc.text)
                if marked in ("TWD", "HKD", "MOP"):
                    return marked
                if marked in (None, "USD"):  # a bare "$" on a Taiwanese or Hong Kong page is the local dollar
                    local = _local_dollar(doc)
                    if local:
                        return local
            return "CNY"
        return sign_currency(doc.text) or ("USD" if _DOLLAR.search(doc.text) else None)

    # ---- orchestration ----------------------------------------------------------------------
    def extract(self, facts: PageFacts) -> PageFacts:
        """Fill ``facts`` (already carrying url and domain) field by field; a failing field stays empty."""
        facts.system = self.system
        kind = self._safe(self.page_kind, "other")
        facts.page_kind = kind
        facts.platform = self._safe(lambda: self.platform(kind), Platform())
        facts.seller = self._safe(lambda: self.seller(kind), Seller())
        facts.product = self._safe(lambda: self.product(kind), Product())
        facts.order = self._safe(lambda: orders.order(self, kind), facts.order)
        facts.timestamps = self._safe(lambda: orders.timestamps(self, kind), [])
        promises, policies = self._safe(lambda: context.phrases(self, kind), ([], []))
        facts.promises, facts.policies = promises, policies
        return facts

    @staticmethod
    def _safe(fn, default):
        try:
            return fn()
        except Exception:  # one broken field must not cost the others
            return default

    def cached(self, key, fn):
        if key not in self._cache:
            self._cache[key] = fn()
        return self._cache[key]

    # ---- hooks for site modules ------------------------------------------------------------
    def order_no_hint(self) -> str | None:
        """An order number the page shows without a label (a site module knows where)."""
        return None

    def order_entries(self) -> list[tuple[str, object]]:
        """(order number, element) of each order block, for systems whose list markup is known."""
        return []

    def status_hint(self) -> str | None:
        """An unlabelled status badge (``data-testid="order-status"``, ``.order-status``)."""
        root = self.doc.root
        if root is None:
            return None
        # elements whose class, id or data-testid holds "status", in document order: the class index
        # and the few data-testid values instead of an XPath test of three attributes of every element
        # (each part is in document order already: the tree is walked to order them only when both hold some)
        classed = self.doc.with_class("status")
        tested = list(dict.fromkeys(v.getparent() for v in _TEST_IDS(root) if "status" in v))
        if classed and tested:
            marked = set(classed) | set(tested)
            classed, tested = [el for el in root.iter() if el in marked], []
        for el in classed or tested:
            hint = ((el.get("class") or "") + " " + (el.get("id") or "") + " " + (el.get("data-testid") or "")).lower()
            if _STATUS_HINT.search(hint):
                text = visible_text(el).strip()
                status = orders.map_status(text) if len(text) <= 20 else None
                if status:
                    return status
        return None

    # ---- page kind --------------------------------------------------------------------------
    def page_kind(self) -> str:
        doc = self.doc
        path = (doc.route + "?" + "&".join(doc.query)).lower()
        if len(doc.text) < 2:
            return "other"
        if self.is_article():
            headings = self.headings()
            if headings and _TERMS_HEAD.search(headings[0]) and self.shop_navigation():
                return "terms"  # a shop's own rules page dressed as an article (发布时间, 作者)
            return "other"
        if _CHAT_PATH.search(path):
            return "chat"
        focus = orders.focus(self)
        has_order = focus is not None
        if len(doc.with_class("msg-item", "message-item", "chat-item", "msg-bubble", "chat-bubble", "chat-msg", "im-msg")) >= 3 and not (
                has_order and focus.order_no and _ORDER_ADDRESS.search(path)):
            return "chat"
        if not has_order and (_TERMS_PATH.search(path) or any(
                _TERMS_ROUTE.fullmatch(str(v).lower()) for v in doc.query.values())):
            return "terms"  # (a PHP front controller names its page in the query: ?action=help, ?mod=rules)
        if has_order:
            if focus.order_no is None and focus.several:
                return "order"  # a list of orders (one of them unpaid, with its own pay button)
            return "checkout" if self.is_checkout() else "order"
        if self._open_checkout_dialog():
            return "checkout"  # an order-confirmation dialog open over the item's page (Xác nhận đơn hàng … Thanh toán)
        listing = bool(context.listing_parents(self))
        buy = self.has_buy_button()
        if not buy and self.is_checkout() and (doc.find(L.AMOUNT_PAID) or orders.ordered_items(self)):
            return "checkout"  # confirming an order that has no number yet
        if doc.route in ("", "/", "/index", "/index.html", "/index.php") and listing:
            return "shop"
        item_url = _ITEM_URL.search(doc.route + "?" + "&".join(f"{k}={v}" for k, v in doc.query.items()))
        if _SHOP_PATH.search(path) and not (buy or item_url or self._one_item_form()):
            return "shop"
        if buy or item_url or self._product_markup() or self._one_item_form():
            return "product"
        if _LOOKUP_PATH.search(path) and _ORDER_WORD_I.search(doc.ntext[:20000]):
            return "order"  # an order lookup page (perhaps with nothing found)
        headings = self.headings()
        if headings and _TERMS_HEAD.search(headings[0]) and len(doc.text) > 1500:
            return "terms"
        if listing:
            return "shop"  # a page of many priced goods and no item in focus is a storefront
        return "other"

    def _open_checkout_dialog(self) -> bool:
        """A visible dialog (role=dialog or aria-modal=true, or a modal its class shows open) headed by an
        order confirmation: the buyer is confirming the order, the item's page under it is no longer the page."""
        root = self.doc.root
        raw = self.doc.raw
        if root is None or "dialog" not in raw and "modal" not in raw or not any(_CHECKOUT_HEAD.search(h) for h in self.headings()):
            return False  # (a shown dialog's heading is among the page's shown headings)
        marked = root.xpath("//*[@aria-modal='true']") if "aria-modal" in raw else []
        marked += list(root.iter("dialog")) if "<dialog" in raw else []  # (<dialog open>)
        marked = [e for e in marked if e.tag != "dialog" or e.get("open") is not None]
        for el in [e for e in self.doc.with_class("modal", "dialog", "popup") if _OPEN_MODAL.search(e.get("class") or "")] + marked:
            if orders.hidden(el):
                continue
            heads = [squash(visible_text(h)) for h in islice(el.iter("h1", "h2", "h3", "h4", "h5", "h6", "strong"), 2)]
            if any(_CHECKOUT_HEAD.search(h) for h in heads):
                return True
        return False

    def _one_item_form(self) -> bool:
        """A shop's buy form with one item already in it: its 商品名称 shows a name (not 请选择商品) and its
        price a positive amount (a shop's link with the item chosen, /links/8E5B27D4?goodid=…)."""
        doc = self.doc
        name = doc.find(L.ITEM_NAME)
        if name is None or not 2 <= len(name.value) <= 120 or _CHOOSE.search(name.value):
            return False
        price = doc.find(L.PRICE) or doc.find(L.UNIT_PRICE)
        money = parse_money(price.value, self.currency or "CNY") if price else None
        return money is not None and float(money.amount) > 0

    def _product_markup(self) -> bool:
        """The page marks itself up as one product (og:type product, product:price meta, a schema.org
        Product as its main entity), as stores that sell one item per page do."""
        meta = self.doc.meta
        if meta.get("og:type", "").lower() == "product" or "product:price:amount" in meta or "og:price:amount" in meta:
            return True
        raw = self.doc.raw
        return '"Product"' in raw and _LD_PRODUCT.search(raw[:100000]) is not None  # (a plain look before the pattern)

    def is_article(self) -> bool:
        """An article, blog post or forum thread (contract: ``other``), whatever the site's name and
        whatever shop words it quotes: bylines and post navigation, article body classes, a blog or
        forum engine; a forum thread's floors and replies outweigh an order number or a buy button
        that a post quotes."""
        return self.cached("article", self._is_article)

    def _generator(self) -> str:
        doc = self.doc
        tail = " ".join(line.norm for line in doc.lines[-12:])
        return " ".join([doc.meta.get("generator", "")] + [m.group(1) for m in _POWERED.finditer(tail)])

    def _is_article(self) -> bool:
        doc = self.doc
        low = doc.low
        words = len({m.group() for m in _ARTICLE.finditer(low, 0, 12000)})
        floors = 0
        if _FORUM_HINT.search(low, 0, 30000):  # (a cheap look for any forum word before the line scan)
            floors = len({_DIGIT_RUN.sub("N", m.group().lower()) for m in _FORUM.finditer("\n".join(
                line.norm for line in doc.lines[:1500] if len(line.norm) <= 60))})  # (floor marks are short lines)
        generator = self._generator()
        forum = floors + (2 if _FORUM_GEN.search(generator) else 0)
        if forum >= 1:  # (the class index is asked only when the words already point to a thread)
            forum += 1 if len(doc.with_class(*_PAGES["forum"]["classes"])) >= 2 else 0
        if forum >= 3:
            return True  # a thread: posts quote orders, prices and buy buttons
        og = doc.meta.get("og:type", "").lower() == "article"  # (shop themes set it on every page too)
        blog = bool(_ARTICLE_GEN.search(generator))
        article_classes = words >= 1 and bool(doc.with_class(*_PAGES["article"]["classes"]))
        strong = (og or blog or article_classes) and words >= 1
        if orders.focus(self) is not None or self.has_buy_button():
            return strong and words >= 2
        return strong or words >= 2 or bool(words and re.search(
            r"/(?:article|news|post|p|blog|archives?|\d{4}/\d{2})/", doc.route))

    def shop_navigation(self) -> bool:
        """The page's links lead to a shop's own order lookup, cart or merchant centre."""
        for _, el in self.doc.links[:300]:
            text = visible_text(el, "").strip()
            if _SHOP_LINK.fullmatch(text):
                return True
        return False

    def is_checkout(self) -> bool:
        return self.cached("checkout", self._is_checkout)

    def _is_checkout(self) -> bool:
        doc = self.doc
        if _CHECKOUT_PATH.search(doc.route.lower()):
            # (a checkout's own confirmation step shows the order placed: /checkout/order-received/48213/)
            return not _CONFIRMED_PATH.search(doc.route.lower())
        if any(len(line.norm) <= 24 and _CHECKOUT.fullmatch(line.norm) for line in doc.lines):
            return True
        title = _TITLE_SEP.split(doc.title)[0] if doc.title else ""
        return any(_CHECKOUT_HEAD.search(h) for h in self.headings()[:3]) or bool(title and _CHECKOUT_HEAD.fullmatch(
            title.strip()))

    def has_buy_button(self) -> bool:
        """A buy button for the page's own item (per-item buttons in a listing do not count): its words,
        or a link or button classed as one (btn_buy, btn--buy, buy-button) with a short caption."""
        return self.cached("buy", lambda: any(
            len(line.norm) <= 24 and _BUY.fullmatch(line.norm) and line.el is not None
            and line.el.tag in ("button", "a", "span", "input", "div") and not context.in_listing(self, line.el)
            for line in self.doc.lines) or any(
            el.tag in ("a", "button") and _BUY_CLASS.search(el.get("class") or "") and 2 <= len(squash(visible_text(el))) <= 12
            and not orders.hidden(el) and not context.in_listing(self, el) for el in self.doc.with_class("buy")))

    def headings(self) -> list[str]:
        def build():
            root = self.doc.root
            if root is None:
                return []
            out = []
            for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
                text = squash(visible_text(el)) if el.text or len(el) else ""
                if text and len(el) and not (el.text or "").strip() and isinstance(el[0].tag, str) and BADGE_CLASS.search(
                        el[0].get("class") or ""):  # a badge before the name (<h2><span class="ico_safe">안전거래</span> …)
                    badge = squash(visible_text(el[0]))
                    if badge and text.startswith(badge) and len(text) > len(badge) + 2:
                        text = text[len(badge):].strip()
                if text and not orders.hidden(el):  # (a hidden part inside a shown heading is rare)
                    out.append(text)
                    if len(out) >= 60:
                        break  # (a listing's card titles: the page's own headings come first)
            return out
        return self.cached("headings", build)

    # ---- platform ---------------------------------------------------------------------------
    def platform(self, kind: str) -> Platform:
        doc = self.doc
        years, holder = self.copyright()
        platform = Platform(name=self.platform_name(holder), icp=find_icp(doc.text), copyright_years=years)
        if kind != "other":
            platform.deposit_system, platform.advance_compensation, platform.dispute_channel = context.flags(self)
        return platform

    def platform_name(self, holder: str | None) -> str | None:
        """The site's name: the copyright holder, else the <title> part the logo repeats, else the
        title's last part. A company name (…网络科技) yields to the brand the page shows."""
        parts = [p.strip() for p in _TITLE_SEP.split(self.doc.title)
                 if p.strip() and not _PAGE_TITLE.fullmatch(p.strip())]
        for later in self.doc.later_titles if not parts else ():  # the first <title> names only the page
            parts = [p.strip() for p in _TITLE_SEP.split(later) if p.strip() and not _PAGE_TITLE.fullmatch(p.strip())]
            if parts:
                break
        if len(parts) > 1 and any(not _SLOGAN.search(p) for p in parts):
            parts = [p for p in parts if not _SLOGAN.search(p)]  # "自动发卡平台,卡密寄售平台" describes; it names nothing
        brands = self.brands()
        company = holder is not None and (self.cached("entity", lambda: copyright_notice(self.doc.text)[2])
                                          or _COMPANY_WORDS.search(holder) is not None)
        if holder and len(holder) <= 24 and not (company and (brands or len(parts) > 1 or parts and parts[0] not in holder
                                                              and _CJK_NAME.search(parts[0]))):
            return holder  # (a company yields to a brand, and to a Chinese site name the title gives: 千岛发卡 of 杭州千岛网络科技)
        for part in parts:
            if part in brands:
                return part
        for part in parts:  # "確認訂單 | MyCard 點數卡線上購買": the logo's brand, then the site's tagline
            for brand in brands:
                if part.startswith(brand + " ") and not re.fullmatch(r"[A-Za-z0-9&'-]+", part[len(brand) + 1:].strip()):
                    return brand  # ("Emberfall Network Store": one more word is the name itself, not a tagline)
        if brands and self.doc.title and self.doc.title in self.headings():
            return brands[0]  # a <title> that is the item's own heading names no site: the brand does
        if len(parts) > 1:
            shown = [p for p in parts if p in self.doc.text]  # the part the page names itself by …
            if len(shown) > 1 or shown and shown[0] != parts[-1]:
                heads = set(self.headings())  # … and not as its heading (the item's name)
                shown = [p for p in shown if p not in heads]
            return shown[0] if len(shown) == 1 else parts[-1]
        if holder is None and parts == [self.doc.title.strip()] and parts[0] in self.headings() and not self._shop_heading(parts[0]):
            return None  # an H5 item page's <title> that is only the item's own heading names no site
        return brands[0] if brands else (parts[0] if parts else holder)

    def _shop_heading(self, text: str) -> bool:
        """``text`` is a heading classed as the shop's or site's name (shop-title, shop-name, logo)."""
        for el in self.doc.with_class("shop", "store", "site", "logo", "brand"):
            if re.search(r"shop|store|site|logo|brand", el.get("class") or "", re.I) and squash(visible_text(el)) == text:
                return True
        return False

    def copyright(self) -> tuple[list[int] | None, str | None]:
        """``find_copyright`` of the page text, read once (callers do not change it)."""
        def read():
            years, holder, company = copyright_notice(self.doc.text)
            self._cache["entity"] = company
            return years, holder
        return self.cached("copyright", read)

    def brands(self) -> list[str]:
        """Names the logo or brand elements show (read once; callers do not change the list)."""
        return self.cached("brands", self._brands)

    def _brands(self) -> list[str]:
        root = self.doc.root
        out = []
        if root is None:
            return out
        for key in ("og:site_name", "application-name", "apple-mobile-web-app-title"):
            name = squash(self.doc.meta.get(key, ""))
            if name and len(name) <= 20 and not is_legal_entity(name) and name not in out:
                out.append(name)
        for el in self.doc.with_class("brand", "logo", "site-name", "sitename", "site-title", "web-name", "header-title"):
            if el.tag not in ("a", "div", "span", "img", "h1"):
                continue
            cls = self.doc.classes(el)
            if not _BRAND_CLASS.search(cls):
                continue
            text = (el.get("alt") or "") if el.tag == "img" else squash(visible_text(el))
            if el.tag != "img" and len(el) and (img := el.find(".//img[@alt]")) is not None and _NAMING_ALT.fullmatch(
                    squash(img.get("alt"))):
                text = squash(img.get("alt"))  # a logo box's image names the site; its other text is a menu toggle
            if text and text.lower() not in ("logo", "首页", "home") and len(text) <= 20:
                out.append(text)
            if len(out) >= 5:
                break
        if not out:  # a logo known by its image's path (/img/logo/chengzi_logo.png) in the link home, not its class
            for el in _LOGO_IMAGES(root):
                alt = squash(el.get("alt") or "")
                if _NAMING_ALT.fullmatch(alt) and len(alt) <= 20 and _LOGO_SRC.search(el.get("src") or ""):
                    out.append(alt)
                    break
        return out

    # ---- product ----------------------------------------------------------------------------
    def product(self, kind: str) -> Product:
        if kind in ("order", "checkout", "chat"):
            return orders.ordered_item(self, kind)
        if kind != "product":
            return Product()
        return Product(self.product_title(), self.product_price(), self.product_stock())

    def product_title(self) -> str | None:
        doc = self.doc
        name = self.platform_name(None)
        brands = set(self.brands()) | {name, self.platform_name(self.copyright()[1])}
        parts = [p.strip() for p in _TITLE_SEP.split(doc.title) if p.strip() and p.strip() not in brands]
        headings = [h for h in self.headings() if h not in brands]
        for el in doc.with_class(*_GOODS_NAME_CLASS):
            if orders.hidden(el) or context.in_listing(self, el) or context.in_aside(self, el):
                continue  # (a "you may also like" card's product-title names another item)
            text = doc.first_text(el)
            if 2 <= len(text) <= 120 and text not in brands:
                return text
        if self._one_item_form():  # a buy form's 商品名称 field holding the one item
            return self.doc.find(L.ITEM_NAME).value
        for part in parts[:1]:
            for h in headings:
                if part in h and len(h) <= 120:
                    return h  # the heading holds the whole name when the title splits it ("X - Instant | Shop")
            if any(line.text == part for line in doc.lines[:400]):
                return part
        for h in headings:
            if len(h) >= 4 and not _GENERIC_HEADING.search(h):
                return h
        return self._title_above_fields() or (parts[0] if len(parts) > 1 else None)

    def _title_above_fields(self) -> str | None:
        """An emphasised line (<strong>, <b>, a title/name/desc class) right above the item's labelled
        rows (商品编号 / 库存 / 售价), where a theme shows the name without a heading or a name class."""
        doc = self.doc
        first = next((p.line for p in doc.pairs if L.PRICE.fullmatch(p.label) or L.STOCK.fullmatch(p.label)), None)
        if first is None:
            return None
        for line in reversed(doc.lines[max(0, first - 4):first]):
            el = line.el
            if el is None or not 4 <= len(line.text) <= 80 or _LABELLED.search(line.text):
                continue
            if el.tag in ("strong", "b") or _EMPHASIS_CLASS.search(el.get("class") or ""):
                return line.text if not context.in_listing(self, el) else None
        return None

    def product_price(self) -> Money | None:
        pairs = [p for p in self.doc.find_all(L.PRICE) if not _OLD_PRICE_WORD.search(_before_value(self.doc.lines[p.line].text, p.value))]
        for pair in pairs:  # a labelled price with a currency sign first: wholesale tables have bare numbers
            money = parse_money(pair.value, self.currency or "CNY", require_marker=True)
            if money:
                return money
        chip = self.chosen_option()  # the chosen variant's price ("月卡 ¥129.00 (37)", a bundle's chosen tier)
        if chip:  # (before the price classes: every tier or variant chip holds one)
            money = parse_money(chip, None, require_marker=True)
            if money:
                return money
        for el in self.doc.with_class("price", "Price"):
            cls = (el.get("class") or "").lower()
            if "price" in cls and not _NOT_THE_PRICE.search(cls):
                if orders.hidden(el) or context.in_listing(self, el) or context.in_aside(self, el) or any(  # (inside a regular-price box)
                        _NOT_THE_PRICE.search((anc.get("class") or "").lower()) for anc in self.doc.ancestors(el, 2)
                        if anc is not el and isinstance(anc.tag, str)):
                    continue
                if any(_struck(d) for d in el.iterdescendants() if isinstance(d.tag, str)):
                    continue  # a box of the price beside its struck-through old one: the price's own element follows
                money = parse_money(squash(visible_text(el)), self.currency or "CNY")
                if money:
                    return money
        for heading in self.headings()[:8]:  # dujiaoka hyper: <h3><span>¥30.00</span><del>¥39.00</del></h3>
            money = parse_money(heading, None, require_marker=True)
            if money and re.match(r"\s*(?:[¥￥$€£]|US\$|RMB|CNY|USD)", heading):
                return money
        return self._price_under_title() or self._price_before_buy()

    def _price_before_buy(self) -> Money | None:
        """A buy box's price: a line of prices alone (a tax note may follow: "€7,49 incl. VAT") within a
        few lines before the page's own buy button."""
        lines = self.doc.lines
        at = next((line.index for line in lines if len(line.norm) <= 24 and _BUY.fullmatch(line.norm)
                   and line.el is not None and not context.in_listing(self, line.el)), None)
        if at is None:
            return None
        for line in reversed(lines[max(0, at - 5):at]):
            price = _TAX_NOTE.sub("", line.norm)
            if _PRICE_LINE.fullmatch(price) and line.el is not None and not _struck(line.el):
                return parse_money(price, self.currency or "CNY", require_marker=True)
        return None

    def _price_under_title(self) -> Money | None:
        """A line of prices alone ("98.00 ￥", "€54.99 €69.99 -21%") within a few lines after the item's
        title: the first is the price (a struck-through old price and a discount follow it)."""
        title = self.product_title()
        lines = self.doc.lines
        at = next((line.index for line in lines if title and line.text == title), None)
        if at is None:
            return None
        for line in lines[at + 1:at + 8]:
            if _PRICE_LINE.fullmatch(line.norm) and line.el is not None and not _struck(line.el):
                if context.in_listing(self, line.el):
                    continue
                return parse_money(line.norm, self.currency or "CNY", require_marker=True)
        return None

    def product_stock(self) -> int | None:
        pair = self.doc.find(L.STOCK)
        if pair and (dotted := _DOTTED_COUNT.match(pair.value)):
            return int(dotted.group(1).replace(".", ""))  # "Stok: 1.250": a dot groups thousands in a count
        if pair and to_int(pair.value) is not None and _DIGITS_FIRST.match(pair.value):
            return to_int(pair.value)
        for line in self.doc.lines:
            m = _STOCK_IN_LINE.search(line.norm)
            if m:
                return to_int(re.sub(r"[\s\u00a0\u202f]", "", next(g for g in m.groups() if g)))  # (1 213 шт.)
        chip = self.chosen_option()
        if chip:
            m = _CHIP_STOCK.search(chip)
            if m:
                return to_int(m.group(1) or m.group(2))
        return None

    def chosen_option(self) -> str | None:
        """The text of the chosen option chip of an item (``<span class="sku active">月卡 ¥129.00 (37)</span>``)
        among its siblings, when the chips carry prices: the variant being bought."""
        return self.cached("chip", self._chosen_option)

    def _chosen_option(self) -> str | None:
        doc = self.doc
        root = doc.root
        if root is None:
            return None
        chosen = [el for el in doc.with_class(*_CHOSEN_CLASSES) if _CHOSEN_TOKEN.search(f" {el.get('class') or ''} ")]
        for el in chosen + aria_chosen(root):
            parent = el.getparent()
            if parent is None or orders.hidden(el):
                continue
            siblings = [c for c in parent if isinstance(c.tag, str) and c.tag == el.tag]
            if len(siblings) < 2:
                continue
            text = squash(visible_text(el))
            if 2 <= len(text) <= 60 and parse_money(text, None, require_marker=True):
                return text
        return None
