"""Pages written for the detection tests: shop pages in layouts no fixture has (no known shop
software, no shop words in the site's name) and pages that talk about shops without being one (an
article on a site whose name holds 数卡, a forum thread quoting an order, a price-comparison blog)."""
from __future__ import annotations

EN_ORDER_URL = "https://www.keyforge-market.eu/account/purchases/KF99120483"
EN_ORDER = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Purchase KF99120483 · KeyForge</title>
</head><body><header><a href="/">KeyForge</a> <a href="/account">Account</a></header>
<main><h1>Your purchase</h1>
<dl class="facts"><dt>Order number</dt><dd>KF99120483</dd><dt>Placed</dt><dd>24 Nov 2026, 09:12</dd>
<dt>Paid with</dt><dd>Mastercard ending 5100</dd></dl>
<section class="lines"><div class="line"><span class="name">Hades II | Steam Key | EU</span>
<span class="amount">€24.99</span></div><div class="sum">Total <b>€24.99</b></div></section>
<section class="delivery"><h2>Your key</h2><div class="keybox">7H2KQ-9XW4P-M3LT8</div>
<p>Keep this key private. Contact us within 48 hours of revealing the key if it does not work.</p></section>
</main><footer>© 2022-2026 KeyForge S.L.</footer></body></html>"""

CN_PRODUCT_URL = "https://shop.yunqi-xz.com/g/3381"
CN_PRODUCT = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>网易云音乐黑胶VIP 月卡 - 云栖小站</title></head>
<body><div class="top"><a href="/">云栖小站</a></div>
<div class="goods-box"><h1>网易云音乐黑胶VIP 月卡</h1>
<div class="row"><span class="k">售价</span><span class="v">¥ 9.90</span></div>
<div class="row"><span class="k">库存</span><span class="v">126</span></div>
<form class="buy" action="/g/3381/submit" method="post">
<label>数量 <input type="number" name="num" value="1" min="1"></label>
<label>联系邮箱 <input type="text" name="contact" placeholder="用于查询订单"></label>
<button type="submit">立即购买</button></form>
<div class="desc"><p>自动发货，激活码可在订单页查看。</p></div></div>
<footer>© 2025 云栖小站</footer></body></html>"""

CN_CHECKOUT_URL = "https://pay.lingguang-store.net/confirm?sn=LG20261124093312"
CN_CHECKOUT = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>确认付款 - 灵光</title></head>
<body><div class="panel"><h2>确认付款</h2>
<table class="info"><tr><th>订单编号</th><td>LG20261124093312</td></tr>
<tr><th>商品</th><td>Steam 钱包充值卡 50元</td></tr><tr><th>应付金额</th><td>¥48.50</td></tr></table>
<div class="ways"><label><input type="radio" name="way" checked> 支付宝</label>
<label><input type="radio" name="way"> 微信支付</label></div>
<button class="go" type="button">去支付</button></div></body></html>"""

EN_LOOKUP_URL = "https://www.pixelden.io/lookup"
EN_LOOKUP = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Find your purchase — PixelDen</title></head>
<body><div id="app"><div class="card"><div class="head">Order #: PD2026118842</div>
<div class="grid"><div>Status</div><div>Delivered</div><div>Activation code</div><div>ZX4R-9KQ2-LM7T-P3WD</div></div>
</div></div></body></html>"""

ARTICLE_URL = "https://www.shuka-zixun.com/news/2026/kami-bei-dao.html"
ARTICLE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>卡密被盗怎么办？老用户教你三招 - 数卡资讯站</title></head>
<body><header><a href="/">数卡资讯站</a> <a href="/news/">资讯</a> <a href="/guide/">指南</a></header>
<div class="main"><h1>卡密被盗怎么办？老用户教你三招</h1>
<div class="text"><p>不少读者在数卡平台购买点卡后发现卡密已被使用。比如一位读者在下单后把订单号：2026112455332178 截图发到群里，结果卡密被别人抢先兑换，损失了¥188.00，平台客服以“虚拟商品不退换”为由拒绝处理。</p>
<p>第一招：下单后立即兑换，不要把订单详情和卡密截图发给任何人；第二招：保存订单页面与付款凭证；第三招：遇到问题第一时间申请平台介入，必要时向12315投诉。</p>
<p><strong>小贴士：</strong>保存好订单号和卡密截图。</p></div>
<div class="ad"><span>推荐</span> <a class="btn" href="https://www.other-card-shop.com/buy/12">立即购买</a></div></div>
<footer>© 2026 数卡资讯站</footer></body></html>"""

FORUM_URL = "https://bbs.wanjia-luntan.com/thread-88213-1-1.html"
FORUM = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>被卡网坑了，求助 - 玩家论坛</title></head>
<body><div class="thread"><h1>被卡网坑了，求助</h1>
<div class="post"><div class="author">楼主 小白</div><div class="post-content">
<p>前天在一个发卡网买了激活码，一直没发货。</p><p>订单号：DD2026112488213</p><p>金额：¥188.00</p>
<p>卡密：还没收到</p><p>大家有遇到过吗？</p></div></div>
<div class="post"><div class="author">2楼 老玩家</div><div class="post-content"><p>赶紧申请平台介入，保存好订单页。</p></div></div>
</div></body></html>"""

BLOG_URL = "https://www.gamedeals-weekly.com/2026/11/best-steam-key-prices"
BLOG = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Best Steam key prices this week</title></head>
<body><h1>Best Steam key prices this week</h1><p>We compared the big key sellers so you do not have to.</p>
<table><tr><th>Game</th><th>Price</th><th></th></tr>
<tr><td>Hades II</td><td>$19.99</td><td><a class="btn" href="https://www.keyforge-market.eu/p/hades-2">Buy now</a></td></tr>
<tr><td>Elden Ring</td><td>$34.50</td><td><a class="btn" href="https://www.g2x-market.com/en/p/elden-ring">Buy now</a></td></tr>
</table></body></html>"""

SHOPS = {EN_ORDER_URL: EN_ORDER, CN_PRODUCT_URL: CN_PRODUCT, CN_CHECKOUT_URL: CN_CHECKOUT, EN_LOOKUP_URL: EN_LOOKUP}
NOT_SHOPS = {ARTICLE_URL: ARTICLE, FORUM_URL: FORUM, BLOG_URL: BLOG}
DETECTION_PAGES = {**SHOPS, **NOT_SHOPS}
