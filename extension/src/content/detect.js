// Is this page a shop's product, checkout, order or rules page? Decided from what the page is, never
// from its site's name: order numbers under an order label, prices, delivered codes, order and
// checkout labels in label position, buy controls and order forms of this site, the routes shop
// systems use (in the path, or after "#" in single-page shops), the asset paths of known shop
// software, and a shop's own rules (a terms page on a site with shop controls: the platform's rules
// are evidence). Text in running prose (an article, a forum post, a comment) does not count, so a
// page that talks about 订单号, 卡密 or ¥188 is not a shop page. A page is a shop page when its
// software is recognised, when it is its shop's rules, or when at least two different kinds of shop
// structure are on it (a price beside a known route alone is not enough). No other page leaves the
// browser. Traditional characters and full-width forms are folded first (訂單編號 reads as 订单编号).
// Cheap: one walk over the text nodes (bounded) and a few selector queries.
(function (ns) {
  // Traditional → simplified for every character the patterns below use: pairs of (traditional,
  // simplified), every character that OpenCC's t2s, tw2s or hk2s (the scrapers' fold) turns into one
  // of the patterns' characters, and 帳 (帳號). tests/extension/test_detect_fold.py keeps it complete.
  const FOLD_PAIRS = "來来係系傢家價价兌兑內内則则創创協协卽即單单實实幫帮後后態态應应戶户換换數数時时枱台査查條条檯台權权狀状發发確确碼码稱称範范簡简"
    + "終终結结綫线網网線线編编總总繫系聯联聲声臺台號号規规訂订計计註注証证詢询認认說说説说證证議议貨货買买賠赔賣卖賬账購购車车郵邮"
    + "釋释間间閤合須须額额颱台馬马駐驻髮发鬚须帳账齣出";
  const FOLD = new Map();
  for (let i = 0; i + 1 < FOLD_PAIRS.length; i += 2) FOLD.set(FOLD_PAIRS[i], FOLD_PAIRS[i + 1]);
  const FOLDED = `[${[...FOLD.keys()].join("")}\\uFF01-\\uFF5E\\u3000]`;
  const FOLD_ANY = new RegExp(FOLDED);
  const FOLD_RE = new RegExp(FOLDED, "g");
  /** The text with the patterns' traditional characters simplified and full-width forms made ASCII. */
  const fold = (text) => (text && FOLD_ANY.test(text) ? text.replace(FOLD_RE, (c) => FOLD.get(c)
    || (c === "\u3000" ? " " : String.fromCharCode(c.charCodeAt(0) - 0xFEE0))) : text);
  ns.fold = fold;

  // Asset paths, generator tags and markers that the shop systems leave in every page (the
  // dujiaoka themes are the scrapers' list).
  const SYSTEM_FINGERPRINTS = [
    ["dujiaoka", /\/assets\/(?:unicorn|luna|hyper|morpho|neon|avatar|riniba|xiaoyu)\//i],
    ["acg-faka", /\/assets\/user\/(?:controller|js\/_index)|\/app\/Plugin\/|acg-?faka/i],
    ["zfaka", /zfaka|\/templates\/[\w-]+\/js\/product\.js/i],
    ["card-system", /card-system|\/plugins\/card-?system/i],
    ["caihong", /assets\/faka\/css\/|[?&]mod=(?:query|buy|faka)\b/i],
    ["qs-faka", /qs-?faka|\/web\/assets\/vendor-tdesign/i],
  ];
  // Labels of an order's number (the value beside them must look like one).
  const ORDER_NO_LABEL = /^(?:订\s*单\s*号|订单编号|订单号码|订单ID|交易号|交易单号|交易编号|流水号|商户单号|Order\s*(?:No\.?|ID|number|#|reference|ref\.?|code)|Order|Invoice\s*(?:No\.?|number|#|ID)|Invoice|Purchase\s*(?:ID|No\.?|number|#)|Transaction\s*(?:ID|#|No\.?))\s*[:：#]?\s*/i;
  const ORDER_NO_VALUE = /^#?\s*([A-Za-z0-9][A-Za-z0-9_-]{5,47})\b/;
  // Labels of an order's or checkout's other fields.
  const ORDER_LABEL = /^(?:下单时间|付款时间|支付时间|发货时间|交易时间|成交时间|创建时间|订单状态|交易状态|支付方式|付款方式|实付金额|实付款|实付|应付金额|订单金额|订单总额|支付金额|合计|总计|商品单价|单价|购买数量|数量|联系方式|取卡密码|查询密码|收货邮箱|Order\s*(?:time|date|status|total|placed)|Payment\s*(?:method|time|status)|Paid\s*(?:on|at|with)|Total\s*(?:paid|due|price)?|Subtotal|Quantity|Qty|Unit\s*price|Delivery\s*(?:time|status|method)|Amount\s*paid)\s*[:：]?\s*$/i;
  const ORDER_LABEL_INLINE = /^(?:下单时间|付款时间|支付时间|发货时间|交易时间|成交时间|订单状态|交易状态|支付方式|付款方式|实付金额|实付|应付金额|订单金额|合计|总计|商品单价|购买数量|Order\s*(?:time|date|status|total)|Payment\s*(?:method|time)|Total\s*paid|Amount\s*paid|Subtotal|Unit\s*price)\s*[:：]/i;
  // A quantity beside its number in one badge ("数量 ×2", "Qty x 3").
  const QUANTITY = /^(?:数量|购买数量|Qty|Quantity)\s*[×xX*]\s*\d{1,4}$/i;
  // Delivered codes: under a code label, or shaped like one (groups joined by dashes, account----password).
  const CODE_LABEL = /^(?:\d{1,3}\s*[.、:]?\s*)?(?:卡\s*密(?:信息|内容)?|激活码|兑换码|充值码|序列号|序号|CDK(?:ey)?|CD-?Key|卡号|账号密码|Your\s*(?:key|code|item|serial)s?|(?:Product|Game|License|Licence|Activation|Redeem|Serial)\s*(?:key|code|number)s?|Serials?|Keys?|Codes?|Delivered\s*(?:items?|goods|keys?))\s*[:：]?\s*/i;
  const CODE_SHAPE = /(?:^|\s)(?:[A-Za-z0-9]{4,6}(?:-[A-Za-z0-9]{4,6}){2,}|\S{3,}----\S{3,})(?:\s|$)/;
  // A value under a code label: a token of letters and digits (what follows it, such as a copy
  // button's word, may be run into it), or a link carrying one (a redeem or invitation link).
  const CODE_VALUE = /^([A-Za-z0-9][A-Za-z0-9_-]{9,63})(?![A-Za-z0-9_-])/;
  const CODE_LINK = /^https?:\/\/[^\s/]+\/\S*?([A-Za-z0-9_-]{10,64})(?![A-Za-z0-9_-])/;
  // A price: a currency mark and an amount, or an amount and a currency word (or sign, as Russian,
  // Korean, Japanese, Polish, Vietnamese and Thai shops write it: 1 049 ₽, 32,000 원, 4,280円, 149,99 zł,
  // 200.000 ₫, 299 บาท; Rp 78.500 and R$ 89,90 before it).
  const PRICE = /(?:^|[^\w])(?:[¥￥$€£₽₩฿₫]|US\$|HK\$|NT\$|R\$|Rp\.?|RMB|CNY|USD|EUR|GBP)\s?\d{1,7}(?:[.,]\d{1,3})*(?:[.,]\d{1,2})?(?!\d)|(?:^|[^\w.])\d{1,7}(?:\.\d{1,2})?\s?(?:元|CNY|USD|EUR|GBP|USDT)(?![A-Za-z])|(?:^|[^\w.,])\d{1,3}(?:[ \u00a0\u202f,.]\d{3})*(?:,\d{1,2})?\s?(?:₽|руб\.?|₩|원|円|€|zł|₫|đ|฿|บาท|RUB|KRW|JPY|PLN|IDR|VND|THB)(?![A-Za-zА-Яа-я])/i;
  // Buy, pay and checkout controls (buttons, form inputs, links to this site).
  const BUY = /^(?:立即购买|立即下单|马上购买|我要购买|购买|下单|立即支付|确认支付|确认付款|去支付|去付款|提交订单|确认下单|加入购物车|结算|立即租用|马上租用|Jetzt\s*kaufen|In\s*den\s*Warenkorb|Buy(?:\s*(?:now|it now))?|Add\s*to\s*(?:cart|basket)|Checkout|Check\s*out|Place\s*(?:the\s*)?order|Pay(?:\s*now)?|Proceed\s*to\s*(?:checkout|payment)|Complete\s*(?:purchase|order)|I\s*want\s*this!?|Купить(?:\s*сейчас)?|Оплатить|(?:Добавить\s*)?в\s*корзину|Оформить\s*заказ|구매(?:신청|하기)?|(?:바로|즉시)\s*구매|결제하기|주문하기|장바구니(?:\s*담기)?|購入(?:する|手続きへ)?|今すぐ購入|カートに入れる|注文する|Ajouter\s*au\s*panier|Acheter(?:\s*maintenant)?|Commander|Payer|Kup(?:\s*teraz)?|Dodaj\s*do\s*koszyka|Zapłać|Comprar(?:\s*agora)?|Adicionar\s*ao\s*carrinho|Finalizar\s*(?:compra|pedido)|Pagar|Beli(?:\s*Sekarang)?|Bayar(?:\s*Sekarang)?|Mua\s*ngay|Thêm\s*vào\s*giỏ(?:\s*hàng)?|Thanh\s*toán|ซื้อ(?:เลย|ทันที)?|ชำระเงิน|หยิบใส่ตะกร้า)$/i;
  // A shop's own controls and links besides buying (the scrapers' shop links, plus card shops'
  // 取卡/查单): they show that a page belongs to a shop's site.
  const SHOP_CONTROL = /^(?:订单查询|查询订单|我的订单|购物车|商家入驻|商户入驻|商家中心|商户中心|卡密查询|自助下单|在线下单|购买商品|取卡|提卡|查单|我要买|我要卖|我要出租|再来一单|提醒发货|查看卡密|My\s*orders|Order\s*(?:lookup|search|status|tracking)|Track\s*(?:my\s*)?orders?|Cart|Basket|Sell\s+on\s+\S+|Start\s+selling|Mes\s*commandes|Suivi\s*de\s*commande|Panier|Moje\s*zamówienia|Koszyk|Meus\s*pedidos|Carrinho|Pesanan\s*Saya|Keranjang|Tra\s*cứu\s*(?:giao\s*dịch|đơn\s*hàng)|Giỏ\s*hàng|ตรวจสอบคำสั่งซื้อ|ตะกร้าสินค้า|注文履歴)$/i;
  // Routes shop systems use for products, checkouts and orders.
  const ROUTE_PATH = /\/(?:order|orders|checkout|cart|buy|bill|pay|payment|item|items|goods|product|products|detail-order-sn|query|orderquery|search-order|delivery|invoice|invoices|purchases?)(?:\/|$|[-_.?])/i;
  const ROUTE_QUERY = /[?&](?:mod=(?:query|buy)\b|(?:orderid|order_?no|tradeno|trade_no|out_trade_no)=)/i;
  // Text people write: an article's body, a forum post, a comment, a review, an answer on a
  // question-and-answer site. What it says about orders and prices is prose, however short its lines.
  // (An <article> holding a table, a form or a schema.org offer or product is the page's own shop
  // content, as WordPress pages, receipts and product cards mark it up: not prose.)
  const WRITTEN = ["article:not(:has(table, form, [itemprop=offers], [itemtype*=Offer], [itemtype*=Product]))", "blockquote", "[itemprop=articleBody]", "[itemprop=reviewBody]", "[itemtype*=Answer]",
    ...["comment", "reply", "post-body", "postbody", "post-content", "post_content", "message-body", "thread", "forum",
        "review", "answer"].map((word) => `[class*=${word} i]`), "[id*=comment i]"].join(", ");
  // A page that declares itself an article, a blog post or a forum thread.
  const ARTICLE_TYPES = /^(?:article|blog|NewsArticle|Article|BlogPosting|Report|DiscussionForumPosting|SocialMediaPosting|QAPage|Question)$/;
  // An order form's fields: how many, the price, the buyer's contact for the delivery.
  const ORDER_FIELD = /^(?:num|number|quantity|qty|buy_?num|by_?amount|buy_?amount|goods_?num|count|amount|price|total|contact|email|paypwd|pay_?type|payway|goods_?id|gid|tid)$/i;
  // A rules page: its heading names rules or terms (the scrapers' words), its text speaks as the
  // rules themselves (本规则, 以下简称, 最终解释权, "these Terms"), about trading, in sections.
  // (a shop's help centre holding its after-sales notice, 买家帮助 + 售后须知, is its rules too)
  const RULES_HEAD = /协议|条款|规则|规范|须知|政策|声明|(?:保障|包赔|赔付|售后|退款|退换|交易)说明|帮助|terms|policy|agreement|rules|conditions|ข้อกำหนด|เงื่อนไข|Geschäftsbedingungen|\bAGB\b/i;
  const RULES_SELF = /本(?:规则|协议|条款|须知|政策|声明|规范|平台|站|网站|店|商城)|以下简称|最终解释权|(?:售后|购买|交易|购物)须知|\b(?:this|these|our)\s+(?:policy|agreement|terms|rules|conditions)\b|\bby\s+(?:using|placing|purchasing)\b|ข้อกำหนดนี้|\bdiese[nr]?\s+(?:AGB|Bedingungen|Nutzungsbedingungen)\b/i;
  const TRADE_WORD = /买家|卖家|商家|订单|退款|赔付|保证金|售后|发货|交易|卡密|คืนเงิน|ชำระเงิน|คำสั่งซื้อ|ส่งมอบสินค้า|Käufer|Verkäufer|Bestellung|Reklamation|Rückerstattung|Kaufpreis|Widerrufsrecht|Streitigkeit|\b(?:buyers?|sellers?|orders?|refunds?|deliver(?:y|ed)|payments?|purchases?|disputes?|chargebacks?)\b/gi;
  const QUOTED = /[“「『"][^”」』"]{0,200}[”」』"]/g;
  const CLAUSE_START = /^\s*(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十百\d]+条|\d{1,2}(?:\.\d{1,2})*[.、)]?\s|[(（][一二三四五六七八九十\d]+[)）])/;
  const PROSE_CHARS = 80;   // a block of text longer than this is running prose, not a label or a value
  const LINE_CHARS = 160;   // one line of a longer block (codes joined by <br>) is read up to this length
  const MAX_TEXT_NODES = 5000;
  const INLINE = /^(?:SPAN|B|STRONG|EM|I|FONT|SMALL|CODE|TIME|SUP|SUB|U|MARK)$/;

  function assetText(doc) {
    const parts = [];
    for (const el of doc.querySelectorAll("script[src], link[href], meta[name=generator]")) {
      parts.push(el.getAttribute("src") || el.getAttribute("href") || el.getAttribute("content") || "");
    }
    return parts.join("\n");
  }

  function hostListed(host, sites) {
    return sites.some((site) => host === site || host.endsWith("." + site));
  }

  const squash = (text) => fold((text || "").replace(/\s+/g, " ").trim());

  // During one detection run the DOM cannot change (the run is synchronous), so what is asked of
  // an element is worked out once: each of a page's text nodes asks the same ancestors for their
  // whole text and whether they sit in prose, which made a long page's detection cost about 20 µs
  // a text node. Null outside a run.
  let memo = null;

  /** ``fn`` with the per-run memo in place (a nested call shares its caller's). */
  function memoised(fn) {
    return function run(...args) {
      if (memo) return fn(...args);
      memo = {text: new Map(), hidden: new Map(), written: new Map(), answers: new Map()};
      try {
        return fn(...args);
      } finally {
        memo = null;
      }
    };
  }

  /** squash(el.textContent), read once per element in a run. */
  function textOf(el) {
    if (!memo) return squash(el.textContent);
    let text = memo.text.get(el);
    if (text === undefined) {
      text = squash(el.textContent);
      memo.text.set(el, text);
    }
    return text;
  }

  /** !!el.closest(selector), each element matched once in a run (``cache`` is that selector's). */
  function within(el, selector, cache) {
    if (!memo) return !!el.closest(selector);
    const path = [];
    let result = false;
    for (let node = el; node; node = node.parentElement) {
      const known = cache.get(node);
      if (known !== undefined) {
        result = known;
        break;
      }
      path.push(node);
      if (node.matches(selector)) {
        result = true;
        break;
      }
    }
    for (const node of path) cache.set(node, result);
    return result;
  }

  /** The route a single-page shop shows after "#" ("#/7/pay", "#!/order/3"), or "". */
  function hashRoute(hash) {
    const m = /^#!?(\/[^?#]*)/.exec(hash || "");
    return m ? m[1] : "";
  }

  /** Where a text node sits: null inside prose or hidden machinery; else {box}, the short element
   *  it belongs to (its label or value box), or box=null when that element is long (a block of
   *  lines joined by <br>, whose single lines may still be codes). */
  const HIDDEN = "script,style,template,noscript,textarea,select,kadun-badge";

  function placeOf(node) {
    let el = node.parentElement;
    while (el && el.tagName && INLINE.test(el.tagName) && el.parentElement) {
      const text = textOf(el.parentElement);
      if (text.length > PROSE_CHARS) break;
      el = el.parentElement;
    }
    if (!el || within(el, HIDDEN, memo && memo.hidden)) return null;
    if (within(el, WRITTEN, memo && memo.written)) return null;
    const para = el.closest("p,blockquote");
    if (para && textOf(para).length > PROSE_CHARS) return null;
    const text = textOf(el);
    return {el, box: text && text.length <= PROSE_CHARS ? el : null, text};
  }

  function nextValue(el) {
    let next = el.nextElementSibling;
    if (!next && el.parentElement && /^(?:DT|TH|LABEL|SPAN|B|STRONG)$/.test(el.tagName)) next = el.parentElement.nextElementSibling;
    const text = next ? textOf(next) : "";
    return text.length <= PROSE_CHARS ? text : "";
  }

  /** Does a link or form target (relative, "#…", "javascript:" or absolute) stay on this site? */
  function sameSite(href, location) {
    if (!href || href.startsWith("#") || href.startsWith("javascript:")) return true;
    try {
      return new URL(href, location.href).hostname === location.hostname;
    } catch {
      return false;
    }
  }

  const sameSiteLink = (el, location) => el.tagName !== "A" || sameSite(el.getAttribute("href"), location);

  // Every word of ROUTE_PATH and ROUTE_QUERY contains one of these. A link's resolved path, query
  // and fragment hold no word that neither its href (tabs and newlines taken out, as the URL parser
  // does) nor the page's own path and query hold: the parser adds only "%XX" escapes, which cannot
  // start a word after a "/" or "?", and dot segments only remove. So on a page whose own path and
  // query hold no such word, a link whose href holds none is not parsed at all.
  const ROUTE_WORD = /order|checkout|cart|buy|bill|pay|item|goods|product|query|deliver|invoice|purchase|trade/i;
  const URL_SPACE = /[\t\n\r]/g;

  /** Paths of this site the page links to that are shop routes (in the path, or a "#/…" route). */
  function shopRouteLinks(body, location, enough) {
    const paths = new Set();
    const inherits = ROUTE_WORD.test(location.pathname + location.search);
    const tried = new Set();   // hrefs already read (a page repeats its links)
    for (const a of body.querySelectorAll("a[href]")) {
      const href = a.getAttribute("href");
      if (tried.has(href)) continue;
      tried.add(href);
      if (!inherits && !ROUTE_WORD.test(href.replace(URL_SPACE, ""))) continue;
      let url;
      try {
        url = new URL(href, location.href);
      } catch {
        continue;
      }
      if (url.hostname !== location.hostname) continue;
      for (const route of [url.pathname, hashRoute(url.hash)]) {
        if (!route) continue;
        const path = route.replace(/\/\d+(?=\/|$)/g, "/{id}");
        const query = route === url.pathname && ROUTE_QUERY.test(url.search);
        if (ROUTE_PATH.test(path) || query) paths.add(path + (query ? "?q" : ""));
      }
      if (paths.size >= enough) return true;
    }
    return false;
  }

  /** ``fn(body, location)``, answered once in a run (detectShop and shopStructure both ask some). */
  function oncePerRun(fn) {
    return (body, location) => {
      if (!memo) return fn(body, location);
      if (!memo.answers.has(fn)) memo.answers.set(fn, fn(body, location));
      return memo.answers.get(fn);
    };
  }

  /** A form of this site that orders something: a quantity, price or delivery-contact field. */
  const orderForm = oncePerRun((body, location) => {
    for (const form of body.querySelectorAll("form")) {
      if (!sameSite(form.getAttribute("action"), location)) continue;
      const fields = [...form.querySelectorAll("input, select")].filter((el) => ORDER_FIELD.test(el.name || el.id || ""));
      if (fields.length >= 2 || (fields.length && form.querySelector("input[type=number]"))) return true;
    }
    return false;
  });

  /** Does the page carry its site's own shop controls: order lookup, cart, 取卡/查单, merchant centre? */
  const shopControls = oncePerRun((body, location) => {
    for (const el of body.querySelectorAll("a[href], button, [role=button]")) {
      const text = squash(el.textContent);
      if (!text || text.length > 24 || !text.split(/\s*[/|]\s*/).some((part) => SHOP_CONTROL.test(part))) continue;
      if (sameSiteLink(el, location)) return true;
    }
    return false;
  });

  /** The text of ``el``, its text nodes one per line (textContent would run "Scope" and "This
   *  policy" together), scripts and styles left out, up to ``limit`` characters. */
  function linesOf(el, limit) {
    const walker = el.ownerDocument.createTreeWalker(el, NodeFilter.SHOW_TEXT, {acceptNode: (node) =>
      (node.parentElement && /^(?:SCRIPT|STYLE|NOSCRIPT|TEMPLATE)$/.test(node.parentElement.tagName)
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT)});
    const parts = [];
    let size = 0;
    for (let node = walker.nextNode(); node && size < limit; node = walker.nextNode()) {
      parts.push(node.nodeValue);
      size += node.nodeValue.length + 1;
    }
    return parts.join("\n").slice(0, limit);
  }

  /** Is the page a set of trading rules speaking for itself (a platform's terms, rules, policies)? */
  function rulesDocument(doc) {
    const h1 = doc.querySelector("h1");
    const heading = squash(h1 ? h1.textContent : (doc.title || "").split(/\s+[|\-–—_·]\s+/)[0]);
    if (!heading || heading.length > 60 || !RULES_HEAD.test(heading)) return false;
    const scope = (h1 && h1.closest("article, main, section, [role=main]")) || doc.body;
    const text = fold(linesOf(scope, 30000));
    if (!RULES_SELF.test(text)) return false;
    const trade = new Set((text.match(TRADE_WORD) || []).map((w) => w.toLowerCase().replace(/s$/, "")));
    if (trade.size < 3) return false;
    let sections = scope.querySelectorAll("h2, h3, h4").length;
    if (sections < 2) {
      for (const p of scope.querySelectorAll("p, li, div")) {
        if (p.firstChild && p.firstChild.nodeType === 3 && CLAUSE_START.test(fold(p.firstChild.nodeValue)) && ++sections >= 2) break;
      }
    }
    if (sections < 2) return false;
    // A two-sided market's own rules (what its buyers and its sellers must do, in five or more
    // trading words) are a shop's rules even on a help page that links to no shop route.
    // (It must speak as the rules outside quotation marks: a news piece quoting “本规则…” is not them.)
    const own = RULES_SELF.test(text.replace(QUOTED, ""));
    const sides = trade.has("买家") && trade.has("卖家") || trade.has("käufer") && trade.has("verkäufer");  // (German: Käufer, Verkäufer)
    return own && sides && trade.size >= 5 ? "market" : true;
  }

  /** The kinds of shop structure on the page: order_number, order_label, codes, price, buy,
   *  route, shop_nav (links to two of this site's shop routes), controls (its order lookup, cart …).
   *  ``settled(kinds)`` says when the kinds found so far decide what the caller asks (it must stay
   *  true as kinds are added): the walk over the text stops there. */
  ns.shopStructure = memoised(function shopStructure(doc, location, settled = (kinds) => kinds.size >= 4) {
    const kinds = new Set();
    if (ROUTE_PATH.test(location.pathname) || ROUTE_QUERY.test(location.search) || ROUTE_PATH.test(hashRoute(location.hash))) {
      kinds.add("route");
    }
    const body = doc.body;
    if (!body) return kinds;
    // The kinds read from links, controls and forms first: they cost a few selector queries, and
    // with them the walk over the text (the larger cost) can stop sooner, or not start.
    if (shopRouteLinks(body, location, 2)) kinds.add("shop_nav");
    if (shopControls(body, location)) kinds.add("controls");
    if (settled(kinds)) return kinds;
    if (orderForm(body, location)) kinds.add("buy");
    for (const el of body.querySelectorAll("button, a, input[type=submit], input[type=button], [role=button], [class*=buy], [class*=btn]")) {
      if (kinds.has("buy")) break;
      const text = squash(el.textContent || el.value);
      if (text.length > 24 || !BUY.test(text)) continue;
      if (el.closest("article p, blockquote")) continue;
      if (sameSiteLink(el, location)) kinds.add("buy");
    }
    if (settled(kinds)) return kinds;
    // Elements are walked too, so that prose and hidden machinery are stepped over whole: a text
    // node's place never climbs above a block (not inline) element, so under a block element that
    // is prose or hidden (or sits in one) placeOf turns every text node away, and its subtree is not
    // walked at all. (The bound on text nodes counts the ones walked.)
    const walker = doc.createTreeWalker(body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    let stepOver = false;
    const next = () => {
      if (!stepOver) return walker.nextNode();
      stepOver = false;
      for (;;) {
        const sibling = walker.nextSibling();
        if (sibling) return sibling;
        if (!walker.parentNode()) return null;
      }
    };
    const seen = new Set();
    let count = 0;
    const read = (text, el) => {
      const orderNo = text.match(ORDER_NO_LABEL);
      if (orderNo) {
        const value = text.slice(orderNo[0].length) || nextValue(el);
        const found = value.match(ORDER_NO_VALUE);
        if (found && (found[1].match(/\d/g) || []).length >= 4) kinds.add("order_number");
      }
      if (ORDER_LABEL.test(text) || ORDER_LABEL_INLINE.test(text) || QUANTITY.test(text)) kinds.add("order_label");
      const code = text.match(CODE_LABEL);
      if (code) {
        const value = text.slice(code[0].length) || nextValue(el);
        const token = (value.match(CODE_VALUE) || value.match(CODE_LINK) || [])[1] || "";
        if (CODE_SHAPE.test(` ${value} `) || (/\d/.test(token) && /[A-Za-z]/.test(token))) kinds.add("codes");
      } else if (CODE_SHAPE.test(` ${text} `) && text.length <= 64) {
        kinds.add("codes");
      }
      if (PRICE.test(text)) kinds.add("price");
    };
    for (let node = walker.nextNode(); node && count < MAX_TEXT_NODES; node = next()) {
      if (node.nodeType === 1) {
        stepOver = !INLINE.test(node.tagName)
          && (within(node, HIDDEN, memo.hidden) || within(node, WRITTEN, memo.written));
        continue;
      }
      if (!node.nodeValue || !node.nodeValue.trim()) continue;
      count++;
      const place = placeOf(node);
      if (!place) continue;
      const own = squash(node.nodeValue);
      if (!place.box) {
        // One line of a longer block (codes one per line, joined by <br>): only its shape counts.
        if (own.length <= LINE_CHARS && CODE_SHAPE.test(` ${own} `)) kinds.add("codes");
        continue;
      }
      if (!seen.has(place.box)) {
        seen.add(place.box);
        read(place.text, place.box);
      }
      // The node's own words as well: a label beside its value in one short box ("Total $25.98"),
      // codes in one box that its text nodes keep apart.
      if (own !== place.text) read(own, node.parentElement);
      if (settled(kinds)) break;
    }
    return kinds;
  });

  /** Does the page declare itself an article, blog post or forum thread (Open Graph, JSON-LD)? */
  function declaredArticle(doc) {
    const og = doc.querySelector("meta[property='og:type']");
    if (og && ARTICLE_TYPES.test((og.getAttribute("content") || "").trim())) return true;
    for (const script of doc.querySelectorAll("script[type='application/ld+json']")) {
      const types = (script.textContent || "").match(/"@type"\s*:\s*"([^"]+)"/g) || [];
      if (types.some((t) => ARTICLE_TYPES.test(t.replace(/^"@type"\s*:\s*"|"$/g, "")))) return true;
    }
    return false;
  }

  /** Text whose arrival on a shop page may be an order's result (a capture follows). */
  ns.ORDER_TEXT = /订单|訂單|卡密|下单时间|下單時間|Order\s*(?:No|ID|number|#)|Invoice|Your\s*key/i;

  /** {shop, reason}: why this page counts as a shop's page, or shop=false. */
  ns.detectShop = memoised(function detectShop(doc, location, sites) {
    const assets = assetText(doc);
    for (const [system, pattern] of SYSTEM_FINGERPRINTS) {
      if (pattern.test(assets)) return {shop: true, reason: `system:${system}`};
    }
    if (!doc.body) return {shop: false, reason: "no_body"};
    const listed = hostListed(location.hostname.toLowerCase(), sites || []);
    // A shop's own rules (terms, trading rules, buyer protection) are evidence, even when its help
    // centre dresses them as articles; an article about rules on a site without shop controls is not.
    const rules = rulesDocument(doc);
    if (rules && (rules === "market" || shopControls(doc.body, location) || shopRouteLinks(doc.body, location, 1))) {
      return {shop: true, reason: "rules"};
    }
    // Some shop themes mark every product page og:type=article: an order form of this site and
    // two more kinds of order structure beside it are not something an article carries.
    const article = !listed && declaredArticle(doc);
    if (article && !orderForm(doc.body, location)) return {shop: false, reason: "article"};
    // Two kinds of shop structure make a shop page (a price beside a known route alone does not),
    // three on a page declared an article. Both only grow true as kinds are added, so the walk
    // over the text stops once they hold; a site the user listed is a shop by the user's own word
    // (the options page says so), and its walk is not needed at all.
    const shopBy = article ? (kinds) => kinds.size >= 3
      : (kinds) => kinds.size >= 3 || (kinds.size === 2 && !(kinds.has("price") && kinds.has("route")));
    const kinds = ns.shopStructure(doc, location, listed ? () => true : shopBy);
    const found = [...kinds].sort();
    if (shopBy(kinds)) return {shop: true, reason: `structure:${found.join("+")}`};
    if (listed) return {shop: true, reason: found.length ? `site_list:${found.join("+")}` : "site_list"};
    if (article) return {shop: false, reason: "article"};
    return {shop: false, reason: found.length ? `only:${found.join("+")}` : "no_marker"};
  });
})(globalThis.KadunCS = globalThis.KadunCS || {});
