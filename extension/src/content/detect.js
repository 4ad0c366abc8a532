// Is this page a card shop's? Fingerprints of known shop systems, order/checkout/product page
// patterns, and the user's own site list. Cheap: a few selector queries and one text scan.
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
  // A shop's own name in the <title> suffix or logo: 卡盟, 发卡, 卡铺, 数卡 …
  const SHOP_NAME = /卡盟|发卡|卡铺|卡网|数卡|小铺|自助下单|卡密查询|card\s*shop/i;
  // Labels of order, checkout and product pages (a label is followed by a colon or stands alone
  // in a table cell / definition term), and buy buttons.
  const LABEL = /(?:订单号|订单编号|下单时间|付款时间|支付时间|发货时间|卡密信息|卡密|商品单价|实付金额|Order\s*(?:No\.?|ID|number|#))\s*[:：]/i;
  const LABEL_CELL = /^(?:订\s*单\s*号|订单编号|下单\s*时间|卡\s*密|Order\s*(?:No\.?|ID))$/i;
  const BUY = /^(?:立即购买|立即下单|立即支付|确认下单|提交订单|去支付|Buy now|Checkout|Place order)$/i;

  function assetText(doc) {
    const parts = [];
    for (const el of doc.querySelectorAll("script[src], link[href], meta[name=generator]")) {
      parts.push(el.getAttribute("src") || el.getAttribute("href") || el.getAttribute("content") || "");
    }
    return parts.join("\n");
  }

  function siteName(doc) {
    const title = (doc.title || "").trim();
    const parts = title.split(/\s*[-|_–—]\s*/).filter(Boolean);
    const logo = doc.querySelector("header img[alt], .logo img[alt], img.logo[alt], .navbar-brand");
    const logoText = logo ? (logo.getAttribute("alt") || logo.textContent || "") : "";
    return [parts.length > 1 ? parts[parts.length - 1] : (parts[0] || ""), parts[0] || "", logoText];
  }

  function hostListed(host, sites) {
    return sites.some((site) => host === site || host.endsWith("." + site));
  }

  /** {shop, reason}: why this page counts as a card shop's page, or shop=false. */
  ns.ORDER_TEXT = /订单|卡密|下单时间|Order\s*(?:No|ID)/i;

  ns.detectShop = function detectShop(doc, location, sites) {
    if (hostListed(location.hostname.toLowerCase(), sites || [])) return {shop: true, reason: "site_list"};
    const assets = assetText(doc);
    for (const [system, pattern] of SYSTEM_FINGERPRINTS) {
      if (pattern.test(assets)) return {shop: true, reason: `system:${system}`};
    }
    const names = siteName(doc);
    // Only the site's own name counts: an article *about* 卡盟 puts it at the start of its title.
    if (SHOP_NAME.test(names[0]) || SHOP_NAME.test(names[2])) return {shop: true, reason: "shop_name"};
    const body = doc.body;
    if (!body) return {shop: false, reason: "no_body"};
    if (LABEL.test(body.textContent || "")) return {shop: true, reason: "order_label"};
    for (const el of body.querySelectorAll("th, td, dt, label, button, a.btn, input[type=submit]")) {
      const text = (el.textContent || el.value || "").trim();
      if (text.length > 16) continue;
      if (LABEL_CELL.test(text)) return {shop: true, reason: "order_label"};
      if (BUY.test(text)) return {shop: true, reason: "buy_button"};
    }
    return {shop: false, reason: "no_marker"};
  };
})(globalThis.KadunCS = globalThis.KadunCS || {});
