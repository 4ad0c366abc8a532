// Is this page a shop's product, checkout or order page? Decided from what the page is, never from
// its site's name: order numbers under an order label, prices, delivered codes, order and checkout
// labels in label position, buy controls of this site, the routes shop systems use, and the asset
// paths of known shop software. Text in running prose (an article, a forum post, a comment) does
// not count, so a page that talks about 订单号, 卡密 or ¥188 is not a shop page. A page is a shop
// page when its software is recognised, or when at least two different kinds of shop structure
// are on it (a price beside a known route alone is not enough). No other page leaves the browser.
// Cheap: one walk over the text nodes (bounded) and a few selector queries.
(function (ns) {
  // Asset paths, generator tags and markers that the shop systems leave in every page.
  const SYSTEM_FINGERPRINTS = [
    ["dujiaoka", /\/assets\/(?:unicorn|luna|hyper)\//i],
    ["acg-faka", /\/assets\/user\/(?:controller|js\/_index)|\/app\/Plugin\/|acg-?faka/i],
    ["zfaka", /zfaka|\/templates\/[\w-]+\/js\/product\.js/i],
    ["card-system", /card-system|\/plugins\/card-?system/i],
    ["caihong", /assets\/faka\/css\/|[?&]mod=(?:query|buy|faka)\b/i],
    ["qs-faka", /qs-?faka|\/web\/assets\/vendor-tdesign/i],
  ];
  // Labels of an order's number (the value beside them must look like one).
  const ORDER_NO_LABEL = /^(?:订\s*单\s*号|订单编号|订单号码|订单ID|交易号|交易单号|流水号|商户单号|Order\s*(?:No\.?|ID|number|#|reference|ref\.?)|Order|Invoice\s*(?:No\.?|number|#)|Transaction\s*ID)\s*[:：#]?\s*/i;
  const ORDER_NO_VALUE = /^#?\s*([A-Za-z0-9][A-Za-z0-9_-]{5,47})\b/;
  // Labels of an order's or checkout's other fields.
  const ORDER_LABEL = /^(?:下单时间|付款时间|支付时间|发货时间|创建时间|订单状态|支付方式|付款方式|实付金额|实付款|应付金额|订单金额|订单总额|支付金额|商品单价|单价|购买数量|数量|联系方式|取卡密码|查询密码|收货邮箱|Order\s*(?:time|date|status|total|placed)|Payment\s*(?:method|time|status)|Paid\s*(?:on|at|with)|Total\s*(?:paid|due|price)?|Subtotal|Quantity|Qty|Unit\s*price|Delivery\s*(?:time|status|method))\s*[:：]?\s*$/i;
  const ORDER_LABEL_INLINE = /^(?:下单时间|付款时间|支付时间|发货时间|订单状态|支付方式|付款方式|实付金额|应付金额|订单金额|商品单价|购买数量|Order\s*(?:time|date|status|total)|Payment\s*(?:method|time)|Total\s*paid|Subtotal|Unit\s*price)\s*[:：]/i;
  // Delivered codes: under a code label, or shaped like one (groups joined by dashes, account----password).
  const CODE_LABEL = /^(?:卡\s*密(?:信息|内容)?|激活码|兑换码|充值码|序列号|CDK(?:ey)?|CD-?Key|卡号|账号密码|Your\s*(?:key|code)s?|(?:Product|Game|License|Activation|Redeem)\s*(?:key|code)s?|Keys?|Codes?)\s*[:：]?\s*/i;
  const CODE_SHAPE = /(?:^|\s)(?:[A-Za-z0-9]{4,6}(?:-[A-Za-z0-9]{4,6}){2,}|\S{3,}----\S{3,})(?:\s|$)/;
  const CODE_VALUE = /^[A-Za-z0-9][A-Za-z0-9_-]{9,63}$/;
  // A price: a currency mark and an amount, or an amount and a currency word.
  const PRICE = /(?:^|[^\w])(?:[¥￥$€£₽₩]|US\$|HK\$|NT\$|RMB|CNY|USD|EUR|GBP)\s?\d{1,7}(?:[.,]\d{1,2})?(?!\d)|(?:^|[^\w.])\d{1,7}(?:\.\d{1,2})?\s?(?:元|CNY|USD|EUR|GBP|USDT)(?![A-Za-z])/i;
  // Buy, pay and checkout controls (buttons, form inputs, links to this site).
  const BUY = /^(?:立即购买|立即下单|马上购买|我要购买|购买|下单|立即支付|确认支付|确认付款|去支付|去付款|提交订单|确认下单|加入购物车|结算|Buy(?:\s*(?:now|it now))?|Add\s*to\s*cart|Checkout|Check\s*out|Place\s*(?:the\s*)?order|Pay(?:\s*now)?|Proceed\s*to\s*(?:checkout|payment)|Complete\s*(?:purchase|order))$/i;
  // Routes shop systems use for products, checkouts and orders.
  const ROUTE_PATH = /\/(?:order|orders|checkout|cart|buy|bill|pay|payment|item|items|goods|product|products|detail-order-sn|query|orderquery|search-order)(?:\/|$|[-_.?])/i;
  const ROUTE_QUERY = /[?&](?:mod=(?:query|buy)\b|(?:orderid|order_?no|tradeno|trade_no|out_trade_no)=)/i;
  // Text people write: an article's body, a forum post, a comment, a review. What it says about
  // orders and prices is prose, however short its lines.
  const WRITTEN = "article, blockquote, [itemprop=articleBody], [itemprop=reviewBody], [class*=comment], [id*=comment], " +
    "[class*=reply], [class*=post-body], [class*=postbody], [class*=post-content], [class*=post_content], " +
    "[class*=message-body], [class*=thread], [class*=forum], [class*=review]";
  // A page that declares itself an article, a blog post or a forum thread.
  const ARTICLE_TYPES = /^(?:article|blog|NewsArticle|Article|BlogPosting|Report|DiscussionForumPosting|SocialMediaPosting|QAPage|Question)$/;
  // An order form's fields: how many, the price, the buyer's contact for the delivery.
  const ORDER_FIELD = /^(?:num|number|quantity|qty|buy_?num|goods_?num|count|amount|price|total|contact|email|paypwd|pay_?type|payway|goods_?id|gid|tid)$/i;
  const PROSE_CHARS = 80;   // a block of text longer than this is running prose, not a label or a value
  const MAX_TEXT_NODES = 5000;
  const BLOCKS = "p,li,td,th,dd,dt,label,h1,h2,h3,h4,h5,h6,button,a,div,span,section,article,blockquote,figcaption,strong,b";

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

  const squash = (text) => (text || "").replace(/\s+/g, " ").trim();

  /** The short element a text node sits in (its label or value box), or null inside prose. */
  function shortBox(node) {
    let el = node.parentElement;
    while (el && el.tagName && /^(?:SPAN|B|STRONG|EM|I|FONT|SMALL|CODE|TIME|SUP|SUB|U|MARK)$/.test(el.tagName) && el.parentElement) {
      const text = squash(el.parentElement.textContent);
      if (text.length > PROSE_CHARS) break;
      el = el.parentElement;
    }
    if (!el || el.closest("script,style,template,noscript,textarea,select,kadun-badge")) return null;
    if (el.closest(WRITTEN)) return null;
    if (el.closest("p,blockquote,article p") && squash(el.closest("p,blockquote").textContent).length > PROSE_CHARS) return null;
    const text = squash(el.textContent);
    return text && text.length <= PROSE_CHARS ? el : null;
  }

  function nextValue(el) {
    let next = el.nextElementSibling;
    if (!next && el.parentElement && /^(?:DT|TH|LABEL|SPAN|B|STRONG)$/.test(el.tagName)) next = el.parentElement.nextElementSibling;
    const text = next ? squash(next.textContent) : "";
    return text.length <= PROSE_CHARS ? text : "";
  }

  function sameSiteLink(el, location) {
    if (el.tagName !== "A") return true;
    const href = el.getAttribute("href") || "";
    if (!href || href.startsWith("#") || href.startsWith("javascript:")) return true;
    try {
      return new URL(href, location.href).hostname === location.hostname;
    } catch {
      return false;
    }
  }

  /** Distinct paths of this site the page links to that are shop routes (a shop's own navigation). */
  function shopLinks(body, location) {
    const paths = new Set();
    for (const a of body.querySelectorAll("a[href]")) {
      let url;
      try {
        url = new URL(a.getAttribute("href"), location.href);
      } catch {
        continue;
      }
      if (url.hostname !== location.hostname) continue;
      const path = url.pathname.replace(/\/\d+(?=\/|$)/g, "/{id}");
      if (ROUTE_PATH.test(path) || ROUTE_QUERY.test(url.search)) paths.add(path + (ROUTE_QUERY.test(url.search) ? "?q" : ""));
      if (paths.size >= 2) return true;
    }
    return false;
  }

  /** A form that orders something: a quantity, price or delivery-contact field and a submit. */
  function orderForm(body) {
    for (const form of body.querySelectorAll("form")) {
      const fields = [...form.querySelectorAll("input, select")].filter((el) => ORDER_FIELD.test(el.name || el.id || ""));
      if (fields.length >= 2 || (fields.length && form.querySelector("input[type=number]"))) return true;
    }
    return false;
  }

  /** The kinds of shop structure on the page: order_number, order_label, codes, price, buy,
   *  route, shop_nav. */
  ns.shopStructure = function shopStructure(doc, location) {
    const kinds = new Set();
    if (ROUTE_PATH.test(location.pathname) || ROUTE_QUERY.test(location.search)) kinds.add("route");
    const body = doc.body;
    if (!body) return kinds;
    const walker = doc.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    let count = 0;
    for (let node = walker.nextNode(); node && count < MAX_TEXT_NODES; node = walker.nextNode()) {
      if (!node.nodeValue || !node.nodeValue.trim()) continue;
      count++;
      const box = shortBox(node);
      if (!box || seen.has(box)) continue;
      seen.add(box);
      const text = squash(box.textContent);
      const orderNo = text.match(ORDER_NO_LABEL);
      if (orderNo) {
        const value = text.slice(orderNo[0].length) || nextValue(box);
        const found = value.match(ORDER_NO_VALUE);
        if (found && (found[1].match(/\d/g) || []).length >= 4) kinds.add("order_number");
      }
      if (ORDER_LABEL.test(text) || ORDER_LABEL_INLINE.test(text)) kinds.add("order_label");
      const code = text.match(CODE_LABEL);
      if (code) {
        const value = text.slice(code[0].length) || nextValue(box);
        if (CODE_SHAPE.test(` ${value} `) || (CODE_VALUE.test(value) && /\d/.test(value) && /[A-Za-z]/.test(value))) {
          kinds.add("codes");
        }
      } else if (CODE_SHAPE.test(` ${text} `) && text.length <= 64) {
        kinds.add("codes");
      }
      if (PRICE.test(text)) kinds.add("price");
      if (kinds.size >= 4) break;
    }
    if (shopLinks(body, location)) kinds.add("shop_nav");
    if (orderForm(body)) kinds.add("buy");
    for (const el of body.querySelectorAll("button, a, input[type=submit], input[type=button], [role=button], [class*=buy], [class*=btn]")) {
      const text = squash(el.textContent || el.value);
      if (text.length > 24 || !BUY.test(text)) continue;
      if (el.closest("article p, blockquote")) continue;
      if (sameSiteLink(el, location)) {
        kinds.add("buy");
        break;
      }
    }
    return kinds;
  };

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

  /** {shop, reason}: why this page counts as a shop's page, or shop=false. */
  ns.ORDER_TEXT = /订单|卡密|下单时间|Order\s*(?:No|ID|number|#)|Your\s*key/i;

  ns.detectShop = function detectShop(doc, location, sites) {
    const assets = assetText(doc);
    for (const [system, pattern] of SYSTEM_FINGERPRINTS) {
      if (pattern.test(assets)) return {shop: true, reason: `system:${system}`};
    }
    if (!doc.body) return {shop: false, reason: "no_body"};
    const listed = hostListed(location.hostname.toLowerCase(), sites || []);
    if (declaredArticle(doc) && !listed) return {shop: false, reason: "article"};
    const kinds = ns.shopStructure(doc, location);
    const found = [...kinds].sort();
    const weakPair = kinds.size === 2 && kinds.has("price") && kinds.has("route");
    if (kinds.size >= 2 && !weakPair) return {shop: true, reason: `structure:${found.join("+")}`};
    // A site the user listed is a shop by the user's own word (the options page says so).
    if (listed) return {shop: true, reason: found.length ? `site_list:${found.join("+")}` : "site_list"};
    return {shop: false, reason: found.length ? `only:${found.join("+")}` : "no_marker"};
  };
})(globalThis.KadunCS = globalThis.KadunCS || {});
