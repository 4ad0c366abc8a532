"""Where phrases count: promises and policies by page region, and the platform's own booleans.

A promise is the seller's or shop's own commitment: not a buyer's chat message, not a listing of
other goods, not a "recent sales" ticker, not a warning or article that quotes phrases.
"""
from __future__ import annotations

import re

import lxml.etree as etree

from ..facts import Phrase
from ..regexes import without_case
from ..text.normalise import fold as script_fold
from ..text.phrases import (
    DELIVERY_FIELD,
    QUOTING,
    SHOP_CHANNEL,
    SHOP_GUARANTEE,
    TICKER,
    field_window,
    fold,
    limited_denial,
    lines_with_hints_in,
    scan,
)
from ..text.rules import mechanism
from . import orders

_BUYER_MSG = re.compile(r"(?:^|[\s_-])(?:msg-right|right|self|mine|me|my|buyer|send|sent|outgoing)(?:$|[\s_-])")
_MSG = re.compile(r"msg|message|bubble|chat-item")
_PRICE = re.compile(r"[¥￥$]\s*\d|\d\s*元")
_LISTING_MIN = 4
# elements with at least _LISTING_MIN element children: the parents of every element that is its
# parent's _LISTING_MIN-th element child (a third of the time of testing each element for an Nth child)
_PARENTS = etree.XPath(f"descendant-or-self::*/*[{_LISTING_MIN}]/..")

# The platform mechanisms' words live in scrapers/text/rules/platform.toml (risk quotes from them too).
MECHANISMS = ("deposit_system", "advance_compensation", "dispute_channel")


def listing_parents(site) -> set:
    """Containers of repeated items (same tag and class, each with a price): other goods' names."""
    def build():
        root = site.doc.root
        found = set()
        if root is None:
            return found
        for parent in _PARENTS(root):
            groups: dict = {}
            for child in parent:
                tag = child.tag
                if tag.__class__ is str:  # (not a comment or processing instruction)
                    cls = child.get("class")
                    if cls or tag == "tr" or tag == "li":  # (table rows and list items need no class)
                        key = (tag, cls or "")
                        group = groups.get(key)
                        if group is None:
                            groups[key] = [child]
                        else:
                            group.append(child)
            for items in groups.values():
                if len(items) >= _LISTING_MIN and _priced(items[:8], 4):
                    found.add(parent)
                    break
        from .. import labels as L

        for table in site.doc.tables:  # a table of goods: a goods-name column over several rows
            if len(table.rows) >= 2 and any(L.ITEM_NAME.fullmatch(script_fold("".join(h.split())).lower()) for h in table.header):
                body = table.rows[0][0].getparent()
                if body is not None and all(tr.getparent() is body for tr, _ in table.rows):
                    found.add(body)
        return found
    return site.cached("listings", build)


def _text(el) -> str:
    """``el``'s text nodes run together, by libxml2 (a third of the time of joining ``itertext()``): the
    same text nodes, so ``_PRICE`` (a sign or digit, spaces, a digit or 元) finds a price exactly
    when it finds one in ``" ".join(el.itertext())``: spaces between two nodes are what its ``\\s*`` takes."""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def _priced(items: list, need: int) -> bool:
    """At least ``need`` of ``items`` show a price (stops as soon as the answer is known)."""
    left = len(items)
    for item in items:
        if need > left:
            return False
        left -= 1
        if _PRICE.search(_text(item)):
            need -= 1
            if need <= 0:
                return True
    return need <= 0


_ASIDE = re.compile(r"(?:^|[\s_-])(?:recommend\w*|related|similar|recent|also\w*|guess\w*|comments?|reviews?|evaluat\w*|accessories"
                    r"|pingjia|pinglun|feedbacks?|testimonials?)(?:$|[\s_-])", re.I)


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _section_after(el, box) -> list:
    """The siblings after the heading holding ``el`` (its ancestor that is a child of ``box``), up to
    the next heading: a flat section of a page laid out as heading, content, heading, content."""
    head = el
    while head is not None and head.getparent() is not box:
        head = head.getparent()
    out = []
    for sibling in head.itersiblings() if head is not None else ():
        if not isinstance(sibling.tag, str):
            continue
        if sibling.tag in _HEADINGS or sibling.tag == head.tag:
            break
        out.append(sibling)
    return out


def asides(site) -> set:
    """Reviews, comments, "you may also like" and recent-sales boxes: buyers' words and other goods."""
    def build():
        found = set()
        for el in site.doc.with_class("recommend", "related", "similar", "recent", "also", "guess", "comment", "review", "accessories",
                                      "evaluat", "pingjia", "pinglun", "feedback", "testimonial", "Review", "Comment"):
            if _ASIDE.search((el.get("class") or "") + " " + (el.get("id") or "")):
                found.add(el)
        other = _OTHER_GOODS_HINT.search(site.doc.low) is not None  # (one look before the line scan)
        for line in site.doc.lines if other else ():  # a box headed "卖家其他商品", "You may also like", "Recent payments"
            if line.el is not None and _AD_LINE.match(line.norm):
                found.add(line.el)  # "推荐：【王者荣耀】V10 … 永久包售后 ￥399": an ad for another item, with its price
                continue
            if len(line.norm) <= 40 and line.el is not None and _OTHER_GOODS.fullmatch(line.norm.strip(" ：:")):
                box = line.el.getparent()
                while box is not None and len(site.doc.element_text(box)) < 2:
                    box = box.getparent()
                if box is not None and box.tag not in ("body", "html"):
                    if site.doc.element_text(box)[0] != line.text:
                        found.update(_section_after(line.el, box))  # a reviews or "Related Products" heading among
                        continue  # the page's other sections: what follows it up to the next heading is theirs, not the box
                    found.add(box)
        return found
    return site.cached("asides", build)


_OTHER_GOODS_HINT = re.compile(r"其他|其它|更多|相关|猜你|为你|推荐|看了又看|都在买|最近|recent|also|more|other|related|similar"
                               r"|top customer|review|评价|评论|aussi|similaires|même catégorie|podobne|inne oferty|relacionados"
                               r"|também|serupa|lainnya|liên quan|関連|おすすめ|ที่เกี่ยวข้อง")
_REVIEWS = r"(?:recent |latest |customer |buyer |user |all )?reviews|(?:买家|用户|商品|最新|全部|累计|近期)(?:评价|评论)"
_OTHER_GOODS = re.compile(r"(?:卖家|店铺|商家|本店|该店|他的)?(?:其他|其它|更多)(?:商品|宝贝|好物)|相关(?:商品|推荐)|猜你喜欢|为你推荐|热门推荐"
                          r"|(?:相似|同类|店铺|本店|商家|掌柜)(?:商品|宝贝)?推荐|(?:该|此)?(?:号主|卖家|店主)的?(?:其他|其它|更多)(?:号|账号|商品)|看了又看|大家都在买|最近(?:成交|购买)|recent (?:payments|purchases|sales)|you may also like"
                          r"|(?:more|other) (?:items|products|offers) (?:from|by) .{1,24}|related (?:items|products)|similar (?:items|offers)"
                          r"|customers also bought|top customer"
                          # fr, pl, pt, id, vi, ja, th: "you may also like", "related / similar products", "other offers"
                          r"|vous aimerez aussi|produits similaires|dans la même catégorie|(?:podobne|polecane) produkty|inne oferty"
                          r"|produtos relacionados|você também pode gostar|produk (?:serupa|lainnya)|sản phẩm (?:liên quan|tương tự)"
                          r"|関連(?:商品|アイテム)|おすすめ(?:商品|アイテム)|この(?:ショップ|作者)の(?:他の|ほかの)?(?:商品|アイテム)|สินค้าที่เกี่ยวข้อง"
                          r"|" + _REVIEWS, re.I)
_REVIEWS_HEAD = re.compile(_REVIEWS, re.I)
_AD_LINE = re.compile(r"(?:为你推荐|猜你喜欢|推荐|广告|热卖|热销)\s*[：:].{2,80}?[¥￥]\s*\d")


_PAIRED_PARENTS = etree.XPath("descendant-or-self::*/*[2]/..")
_STATUS_NODE = etree.XPath("descendant::*[not(*) and string-length(normalize-space()) > 1 and string-length(normalize-space()) < 13]")


def unnumbered_orders(site) -> set:
    """An order list that names no order number ("我的订单": blocks of one tag and class, each with its own
    status and a price): none is in focus, so the goods named in them are no promise of the page."""
    def build():
        root = site.doc.root
        found = set()
        if root is None:
            return found
        for parent in _PAIRED_PARENTS(root):
            groups: dict = {}
            for child in parent:
                if child.tag.__class__ is str and (child.get("class") or child.tag == "li"):
                    groups.setdefault((child.tag, child.get("class") or ""), []).append(child)
            for items in groups.values():
                if len(items) >= 2 and all(_PRICE.search(_text(item)) and any(
                        orders.map_status((node.text or "").strip()) for node in _STATUS_NODE(item)) for item in items[:6]):
                    found.update(items)
        return found
    return site.cached("unnumbered_orders", build)


def in_listing(site, el) -> bool:
    """``el`` sits inside a listing of other goods."""
    parents = listing_parents(site)
    if not parents:
        return False
    for anc in site.doc.ancestors(el, 16):
        if anc in parents:
            return True
    return False


def in_aside(site, el) -> bool:
    """``el`` sits in a reviews, "Related Products" or recent-sales box (:func:`asides`)."""
    found = asides(site)
    return bool(found) and any(anc in found for anc in site.doc.ancestors(el, 16))


def other_orders(site) -> set:
    """Entries of orders not in focus (a repeated block or table row holding an order number):
    the goods named there are other orders' items, not promises."""
    def build():
        fc = orders.focus(site)
        if fc is None or not fc.several:
            return set()
        from .. import labels as L

        found = set(fc.other_rows)
        numbered = [(orders.order_token(p.value), p.el) for p in site.doc.find_all(L.ORDER_NO)]
        numbered = [(token, el) for token, el in numbered if token and el is not None]
        chains = [(token, list(site.doc.ancestors(el, 30))) for token, el in numbered]
        # Which order numbers each block holds, two at most (one other than any given order's is
        # all that is asked): linear in the rows, where the union of every other row's blocks
        # per row took 47 s for 20,000 rows.
        holders: dict = {}
        for token, chain in chains:
            for anc in chain:
                held = holders.setdefault(anc, [])
                if token not in held and len(held) < 2:
                    held.append(token)
        for token, chain in chains:
            if token == fc.order_no:
                continue
            entry = None
            for anc in chain:  # the largest block holding this order's number and no other's
                if any(other != token for other in holders[anc]):
                    break
                entry = anc
            if entry is not None:
                found.add(entry)
                if entry.tag == "tr":  # an order's header row (订单号：… 下单时间：…) over its item rows:
                    for row in entry.itersiblings():  # the rows up to the next order's are this order's
                        if not isinstance(row.tag, str) or row.tag != "tr" or holders.get(row):
                            break
                        found.add(row)
        return found
    return site.cached("other_orders", build)


def _item_table_bodies(site) -> set:
    """The bodies of tables of goods with no order-number column (a basket, an order's items)."""
    from .. import labels as L

    found = set()
    for table in site.doc.tables:
        heads = [script_fold("".join(h.split())).lower() for h in table.header]
        if table.rows and any(L.ITEM_NAME.fullmatch(h) for h in heads) and not any(L.ORDER_NO.fullmatch(h) for h in heads):
            body = table.rows[0][0].getparent()
            if body is not None:
                found.add(body)
    return found


def _inside(site, el, containers: set) -> bool:
    if not containers:
        return False
    return any(anc in containers for anc in site.doc.ancestors(el, 16))


def buyer_message(site, el) -> bool:
    """``el`` is inside the buyer's own chat message (right-hand / "me" bubble)."""
    for anc in site.doc.ancestors(el, 8):
        cls = site.doc.classes(anc)
        if _MSG.search(cls) and _BUYER_MSG.search(cls):
            return True
    return False


_PLATFORM_RULES = re.compile(r"卡盟|本平台|商家|商户|卖家|入驻|(?:our|the|this) platform|marketplace|sellers?\b|merchants?\b|vendors?\b")


_CLAUSE_MARK = re.compile(r"[，,。！!？?；;]|\.(?=\s)")  # (an English full stop before a space ends a clause too)


def _clause_start(norm: str, at: int) -> int:
    """Where the clause holding offset ``at`` starts (0: the line's first clause)."""
    start = 0
    for m in _CLAUSE_MARK.finditer(norm, 0, at):
        start = m.end()
    return start


_SYSTEM_MSG = re.compile(r"(?:[\d/.:\- ]{4,24}(?:[ap]m\s*)?)?(?:system|系统消息|系统提示|系統訊息|系統提示|平台消息|平台提示)\s*[:：]|[\[【](?:system|系统|系統)[\]】]", re.I)
_SYSTEM_CLASS = re.compile(r"(?:^|[\s_-])(?:sys|system)(?:$|[\s_-])", re.I)


def _system_message(el, norm: str) -> bool:
    """A chat's message from the platform (System: …, 系统消息：…, a message box classed sys/system)."""
    if _SYSTEM_MSG.match(norm):
        return True
    for _ in range(3):
        if el is None or not isinstance(el.tag, str):
            return False
        cls = el.get("class") or ""
        if _SYSTEM_CLASS.search(cls) and re.search(r"msg|message|chat|bubble|sys", cls, re.I):
            return True
        el = el.getparent()
    return False


def phrases(site, kind: str) -> tuple[list[Phrase], list[Phrase]]:
    """(promises, policies) of the page: none on non-shop pages, no promises on a platform's terms pages."""
    if kind == "other":
        return [], []
    fc = orders.focus(site)
    unfocused_list = fc is not None and fc.order_no is None and fc.several
    promises: list[Phrase] = []
    policies: list[Phrase] = []
    seen = set()
    usual: list[Phrase] = []
    lines = site.doc.lines
    silent = listing_parents(site) | other_orders(site) | asides(site)  # one ancestor walk per line
    if kind == "order" and fc is None:
        silent = silent | unnumbered_orders(site)
    if kind == "checkout" or kind == "order" and fc is not None and fc.order_no is not None:
        silent = silent - _item_table_bodies(site)  # the order's own items table names what was bought
    scanned: dict = {}  # listings repeat the same lines ("自动发货" under every item)
    # a single shop's own help or after-sales page commits the shop ("全部商品均为自动发货"); a platform's
    # rules describe how its sellers' goods work and promise nothing (page-facts.md)
    own_terms = kind == "terms" and not site.multi_merchant() and not _PLATFORM_RULES.search(site.doc.low[:20000])
    low, starts = site.doc.low, site.doc.starts
    for index in lines_with_hints_in(low, starts):
        line = lines[index]
        text, norm = line.text, line.norm
        lowered = low[starts[index]:starts[index + 1] - 1]  # ``fold(norm)``, cut from the page's copy
        if len(text) < 2:
            continue
        if _inside(site, line.el, silent):
            continue  # other goods' names, other orders' entries and buyers' reviews state nothing for the shop
        if kind == "chat" and buyer_message(site, line.el):
            continue
        if line.el is not None and line.el.tag == "option" and line.el.get("selected") is None:
            continue  # a menu's other choices (other goods) say nothing about this one
        quoting = QUOTING.search(norm) if _QUOTING_LOW is None else _QUOTING_LOW.search(lowered)
        # a warning in a later clause ("本站只售正版激活码，谨防低价盗版！") leaves the clauses before it
        before = _clause_start(norm, quoting.start()) if quoting else 0
        allow_promises = (kind != "terms" or own_terms) and not (
            (TICKER.search(norm) if _TICKER_LOW is None else _TICKER_LOW.search(lowered)) or quoting and not before)
        if allow_promises and unfocused_list and re.search(r"订单类型|order type", norm, re.I):
            allow_promises = False
        if allow_promises and kind == "chat" and _system_message(line.el, norm):
            allow_promises = False  # "System: Buyer has paid. Seller please deliver within 20 min.": the platform's rule, no one's promise
        found = scanned.get((text, allow_promises))
        if found is None:
            found = scanned[(text, allow_promises)] = scan(text, promises=allow_promises, policies=True, norm=norm,
                                                           low=lowered)
        timed = any(phrase.kind == "delivery_window" for _, phrase in found)
        for family, phrase in found:
            if timed and phrase.kind == "auto_delivery" and _SPEED_WORD.fullmatch(phrase.quote):
                continue  # "Instant delivery: your key arrives within 5 minutes": a speed its own line times
            if family == "policy" and phrase.kind == "off_platform" and quoting:
                continue
            if family == "promise" and quoting and not 0 <= text.find(phrase.quote) <= before - len(phrase.quote):
                continue
            if phrase.kind == "as_described" and _in_badge(line.el, phrase.quote):
                continue  # a store's status badge ("Official Store" beside its name) is its standing, no claim
            key = (family, phrase.kind, phrase.hours, phrase.quote)
            if key in seen:
                continue
            seen.add(key)
            if phrase.kind == "delivery_window" and (at := text.find(phrase.quote)) > 0 and _USUAL.search(text[max(0, at - 12):at]):
                usual.append(phrase)  # "一般1分钟内到账，最迟2小时内到账": the usual time binds nobody
            (promises if family == "promise" else policies).append(phrase)
    if usual and any(p.kind == "delivery_window" and p not in usual for p in promises):
        promises = [p for p in promises if p not in usual]  # the latest time given is the commitment
    if kind in ("product", "checkout") and not any(p.kind == "delivery_window" for p in promises):
        for pair in site.doc.pairs:  # "Delivery" over "Guaranteed within 1 hour"
            if DELIVERY_FIELD.fullmatch(pair.label) and (phrase := field_window(pair.value)) is not None \
                    and not _inside(site, lines[pair.line].el, silent):
                promises.append(phrase)
                break
    return _dedupe(promises), _dedupe(policies)


_SPEED_WORD = re.compile(r"(?:instant|immediate)[- ]delivery", re.I)
_BADGE_CLASS = re.compile(r"badge|(?:^|[\s_-])(?:tag|pill|chip|tier|label)(?:$|[\s_-])", re.I)


def _in_badge(el, quote: str) -> bool:
    """``quote`` runs across a badge in the line's element or beside it: it joins the badge (a seller's status
    tag, "Official Store") to the text before it. A badge that states a promise alone (自动发货) still counts."""
    if el is None:
        return False
    box = el if len(el) else el.getparent()
    for d in box.iterdescendants() if box is not None else ():
        if isinstance(d.tag, str) and _BADGE_CLASS.search(d.get("class") or ""):
            text = " ".join("".join(d.itertext()).split())
            if len(text) >= 3 and text in quote and quote not in text:
                return True  # (a quote running from the name into the badge: "Official Official Store")
    return False


# the scope words without re.I over the lower-cased line (``regexes.without_case``: the same spans),
# when the table's words allow it (their letters all lower case)
_QUOTING_LOW = without_case(QUOTING)
_TICKER_LOW = without_case(TICKER)


# a usual time before a window ("一般1分钟内到账", "usually processed within 15 minutes"), not the latest one
_USUAL = re.compile(r"(?:一般|通常|平时|正常情况下?|多数|大多|大部分|大概|usually|typically|normally|often|most orders are)"
                    r"[^，。,;；]{0,6}$", re.I)


def _dedupe(items: list[Phrase]) -> list[Phrase]:
    """One entry per (kind, hours): the shortest quote stands for the rest."""
    best: dict = {}
    for item in items:
        key = (item.kind, item.hours)
        if key not in best or len(item.quote) < len(best[key].quote):
            best[key] = item
    return [best[k] for k in dict.fromkeys((i.kind, i.hours) for i in items)]


def flags(site) -> tuple[bool | None, bool | None, bool | None]:
    """(deposit_system, advance_compensation, dispute_channel) as the page states them."""
    deposit, advance, dispute = flags_in(site.doc.ntext, low=site.doc.low)  # (normalised: 保證金 is 保证金)
    if dispute and not site.multi_merchant() and _only_shop_channels(site.doc.ntext):
        dispute = None  # a single shop's "open a ticket" reaches the seller, not a platform
    if advance and not site.multi_merchant() and _only_shop_guarantees(site.doc.ntext):
        advance = None  # a single shop's own money-back guarantee is its refund promise, no platform paying first
    return deposit, advance, dispute


def _only_shop_channels(text: str) -> bool:
    yes = mechanism("dispute_channel")[0]
    return all(SHOP_CHANNEL.fullmatch(m.group()) for m in yes.finditer(text))


def _only_shop_guarantees(text: str) -> bool:
    yes = mechanism("advance_compensation")[0]
    return all(SHOP_GUARANTEE.fullmatch(m.group()) for m in yes.finditer(text))


_MECHANISMS: dict = {}


def _mechanism(name: str) -> tuple:
    """``mechanism(name)``'s patterns and words, with their copies without re.I for the lower-cased
    text (``regexes.without_case``: the same spans, without a case fold per character tried)."""
    found = _MECHANISMS.get(name)
    if found is None:
        yes, no, yes_words, no_words, _ = mechanism(name)
        found = _MECHANISMS[name] = (yes, no, yes_words, no_words, without_case(yes), without_case(no))
    return found


def flags_in(text: str, precheck: bool = True, low: str | None = None) -> tuple[bool | None, bool | None, bool | None]:
    """The platform mechanisms stated in normalised ``text``: ``False`` where a denial covers the
    platform as a whole (one limited to private deals or some sellers does not), ``True`` where it
    states the mechanism, else ``None``. ``precheck``: skip a pattern when the text holds none of
    the words its every match holds (the answer is the same, faster)."""
    low = fold(text) if low is None or len(low) != len(text) else low  # (the copy the case-free patterns read)

    def tri(name):
        yes, no, yes_words, no_words, yes_low, no_low = _mechanism(name)
        if not precheck or any(w in low for w in no_words):
            for m in no_low.finditer(low) if no_low is not None else no.finditer(text):
                if not limited_denial(text, m.start(), m.end()):
                    return False
        if not precheck or any(w in low for w in yes_words):
            return True if (yes_low.search(low) if yes_low is not None else yes.search(text)) else None
        return None

    return tri("deposit_system"), tri("advance_compensation"), tri("dispute_channel")
