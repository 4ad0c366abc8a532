"""Blind test pages for the risk badge: 24 pages written as card shops, account markets and key
marketplaces write them, each with its facts labelled by hand as contract/page-facts.md labels them
(not taken from the scrapers), so the badge's judgement is tested on its own.

Each entry: ``url``, ``html``, ``facts``. The expectations live in ``test_blind_badge.py``.
"""
from __future__ import annotations

from tests.risk.pages import facts

CNY = "CNY"


def _money(amount: str, currency: str = CNY) -> dict:
    return {"amount": amount, "currency": currency}


def _page(title: str, body: str, lang: str = "zh-CN") -> str:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
            f"<script>var cfg={{notice:'最终解释权归本站所有 加QQ付款'}};</script></head><body>{body}</body></html>")


PAGES: dict[str, dict] = {}


def page(name: str, url: str, domain: str, title: str, body: str, lang: str = "zh-CN", **parts) -> None:
    PAGES[name] = {"url": url, "html": _page(title, body, lang), "facts": facts(url, domain, **parts)}


# 1. A 卡盟's rules page: merchants lodge a deposit, the platform pays buyers first from it, a dispute
#    channel, a 24-hour after-sales window, ICP and 公安 filings, twelve years of copyright.
page("km_rules_pays_buyers", "https://www.jinniu-km.com/help/rules.html", "jinniu-km.com", "交易规则 - 金牛卡盟",
     """<header><a href="/"><img src="/logo.png" alt="金牛卡盟"></a><nav><a href="/">首页</a><a href="/goods">商品分类</a>
<a href="/help">帮助中心</a><a href="/user">会员中心</a></nav></header>
<main><h1>金牛卡盟交易规则</h1>
<h3>一、商家保证金</h3>
<p>所有入驻商家须缴纳不低于1000元的保证金，保证金由平台托管，用于赔付买家损失。</p>
<h3>二、先行赔付</h3>
<p>买家购买的商品与描述不符且商家拒不处理的，由平台先行赔付，再向商家追偿。</p>
<h3>三、售后</h3>
<p>卡密有问题请在收货后24小时内申请售后，逾期视为确认收货。</p>
<p>协商不成的，买家可在订单详情页点击“申请平台介入”。</p></main>
<footer><p><a href="/about">关于我们</a> | <a href="/help">帮助中心</a> | 客服QQ：800012345</p>
<p>Copyright © 2014-2026 金牛卡盟 版权所有</p>
<p><a href="https://beian.miit.gov.cn/">浙ICP备14022581号-2</a> <a href="#">浙公网安备 33010602008811号</a></p></footer>""",
     page_kind="terms",
     platform={"name": "金牛卡盟", "icp": "浙ICP备14022581号-2", "copyright_years": [2014, 2026],
               "deposit_system": True, "advance_compensation": True, "dispute_channel": True},
     policies=[{"kind": "feedback_window", "quote": "收货后24小时内申请售后", "hours": 24}])

# 2. A 发卡网's merchant-entry notice: the 保证金 is a fee sellers pay to sell (not a fund for buyers), the
#    platform states it does NOT compensate, disputes are the parties' own business, no ICP shown.
page("faka_deposit_for_sellers", "https://www.suka-pay.cn/merchant/join.html", "suka-pay.cn", "商户入驻 - 速卡发卡网",
     """<header><h2>速卡发卡网</h2><nav><a href="/">首页</a><a href="/merchant/join.html">商户入驻</a><a href="/query">订单查询</a></nav></header>
<main><h1>商户入驻须知</h1>
<ol><li>开通商户需缴纳入驻保证金300元，用于开通收款通道，保证金可在注销商户后申请退还。</li>
<li>本平台仅提供自动发卡技术服务，不提供先行赔付。</li>
<li>商品质量及售后由商户自行负责，交易纠纷与本平台无关。</li></ol></main>
<footer><p>Copyright © 2023-2026 速卡发卡网 All Rights Reserved</p></footer>""",
     page_kind="terms",
     platform={"name": "速卡发卡网", "copyright_years": [2023, 2026], "deposit_system": True,
               "advance_compensation": False},
     policies=[{"kind": "liability_disclaimer", "quote": "交易纠纷与本平台无关", "hours": None}])

# 3. A platform's disclaimer page that says outright it does not compensate and has no deposit.
page("platform_no_compensation", "https://www.kuaifa-km.net/article/notice.html", "kuaifa-km.net", "免责声明 - 快发卡盟",
     """<header><h2>快发卡盟</h2><nav><a href="/">首页</a><a href="/article">公告</a></nav></header>
<main><h1>免责声明</h1>
<p>本平台不收取商家保证金，亦不提供任何形式的先行赔付。</p>
<p>用户在本站购买商品前请仔细阅读商品说明，因商品问题产生的一切损失，本站不承担任何责任。</p>
<p>本声明最终解释权归快发卡盟所有。</p></main>
<footer><p>© 2025-2026 快发卡盟</p><p>琼ICP备2025001234号</p></footer>""",
     page_kind="terms",
     platform={"name": "快发卡盟", "icp": "琼ICP备2025001234号", "copyright_years": [2025, 2026],
               "deposit_system": False, "advance_compensation": False},
     policies=[{"kind": "liability_disclaimer", "quote": "本站不承担任何责任", "hours": None},
               {"kind": "final_interpretation", "quote": "最终解释权归快发卡盟所有", "hours": None}])

# 4. A forum thread that quotes scam words: it describes, it is not a shop; nothing to judge.
page("forum_scam_thread", "https://bbs.wanjia-luntan.com/thread-883201-1-1.html", "wanjia-luntan.com",
     "被卡盟骗了怎么办 - 玩家论坛",
     """<div id="hd"><a href="/">玩家论坛</a> › <a href="/forum-12-1.html">防骗曝光</a></div>
<div class="post"><h1>被卡盟骗了怎么办？说说我的经历</h1>
<p>楼主：老猫 发表于 2026-11-20</p>
<p>上周在一个卡盟买点卡，商家说“通道维护，加QQ付款，先行赔付，假一赔三”，付了钱就把我拉黑了。</p>
<p>后来看他们的协议写着“最终解释权归本平台所有”“虚拟商品一经售出概不退换”，大家千万别信。</p>
<p>回复：这种开店3天的店最好别买，记得截图留证据。</p></div>
<div id="ft"><p>© 2009-2026 玩家论坛</p><p>京ICP备09012345号</p></div>""",
     page_kind="other",
     platform={"name": "玩家论坛", "icp": "京ICP备09012345号", "copyright_years": [2009, 2026]})

# 5. A 卡盟 product page: 假一赔三 badge, seller deposit ¥1,000 paid, shop open since 2019, 15,320 sales, 秒发.
page("km_product_jiayipeisan", "https://www.hongyun-km.com/goods/30418.html", "hongyun-km.com",
     "Steam钱包充值卡 100元 - 鸿运卡盟",
     """<header><h2>鸿运卡盟</h2><nav><a href="/">首页</a><a href="/cat/steam">Steam</a><a href="/user">会员中心</a></nav></header>
<div class="shop-head"><span class="shop-name">店铺：鹿鸣数卡</span><span>店铺编号：60211</span>
<span>开店时间：2019-03-12</span><span>成交量：15,320</span><span class="deposit">保证金：¥1,000.00 已缴纳</span>
<span class="badge">假一赔三</span></div>
<div class="goods"><h1>Steam钱包充值卡 100元（国区）</h1><p class="price">售价：¥ 96.50</p>
<p>库存：235</p><p class="tags"><span>自动发货</span> <span>秒发</span></p></div>
<footer><p>© 2012-2026 鸿运卡盟 版权所有</p><p>粤ICP备12047733号-1</p></footer>""",
     page_kind="product",
     platform={"name": "鸿运卡盟", "icp": "粤ICP备12047733号-1", "copyright_years": [2012, 2026],
               "advance_compensation": True},
     seller={"name": "鹿鸣数卡", "id": "60211", "deposit": _money("1000.00"), "opened_on": "2019-03-12",
             "sales": 15320},
     product={"title": "Steam钱包充值卡 100元（国区）", "price": _money("96.50"), "stock": 235},
     promises=[{"kind": "auto_delivery", "quote": "自动发货", "hours": None},
               {"kind": "delivery_window", "quote": "秒发", "hours": 0}])

# 6. A shop whose banner says 成立于2015年 but whose header says the shop opened three days ago.
page("shop_claims_2015_opened_3_days", "https://www.hongyun-km.com/shop/71903.html", "hongyun-km.com",
     "诚信游戏老店 - 鸿运卡盟",
     """<header><h2>鸿运卡盟</h2><nav><a href="/">首页</a></nav></header>
<div class="shop-head"><h1>诚信游戏老店</h1><p class="slogan">成立于2015年，十年老店，信誉保证！</p>
<p>店铺编号：71903 | 开店时间：2026-11-21 | 成交量：2 | 保证金：¥0.00</p></div>
<ul class="goods-list"><li>王者荣耀 点券 1000 ¥ 88.00</li><li>原神 创世结晶 6480 ¥ 499.00</li></ul>
<footer><p>© 2012-2026 鸿运卡盟 版权所有</p><p>粤ICP备12047733号-1</p></footer>""",
     page_kind="shop",
     platform={"name": "鸿运卡盟", "icp": "粤ICP备12047733号-1", "copyright_years": [2012, 2026]},
     seller={"name": "诚信游戏老店", "id": "71903", "deposit": _money("0.00"), "opened_on": "2026-11-21", "sales": 2})

# 7. A single-shop 发卡 site (独角数卡-like) whose notice asks for USDT via a Telegram handle; no ICP.
page("faka_tg_usdt", "https://shop.feiniao-ka.top/", "feiniao-ka.top", "飞鸟发卡 - 自动发卡",
     """<div class="notice"><h4>公告</h4><p>支付宝通道维护中，请联系客服TG @feiniao_kf 转USDT下单，确认到账后手动发卡。</p></div>
<div class="goods"><h1>ChatGPT Plus 独享账号 月卡</h1><p class="price">¥ 139.00</p><p>库存：12</p>
<p><span>独享</span> <span>不封号</span></p></div>
<footer><p>© 2025 飞鸟发卡 Powered by 独角数卡</p></footer>""",
     page_kind="product", system="dujiaoka",
     platform={"name": "飞鸟发卡", "copyright_years": [2025]},
     seller={"contacts": [{"type": "telegram", "value": "@feiniao_kf"}]},
     product={"title": "ChatGPT Plus 独享账号 月卡", "price": _money("139.00"), "stock": 12},
     promises=[{"kind": "exclusive", "quote": "独享", "hours": None},
               {"kind": "stable", "quote": "不封号", "hours": None}],
     policies=[{"kind": "off_platform", "quote": "请联系客服TG @feiniao_kf 转USDT下单", "hours": None}])

# 8. A G2A-like key marketplace product page in EUR, English, with a money-back guarantee.
page("g2a_like_product", "https://www.keyzar.com/elden-ring-steam-key-global-i100234", "keyzar.com",
     "ELDEN RING Steam Key GLOBAL - Keyzar",
     """<header><a href="/">Keyzar</a><nav><a href="/games">Games</a><a href="/support">Help</a></nav></header>
<main><h1>ELDEN RING (PC) - Steam Key - GLOBAL</h1>
<div class="offer"><p>Sold by <a href="/merchant/nordic-keys">NordicKeys</a> · 98% positive · 41,211 sales</p>
<p class="price">€27.49</p><p>Digital key · Instant delivery</p>
<p class="guarantee">Money-back guarantee: if your key doesn't work, we refund you.</p>
<p><a href="/support/ticket">Report a problem</a></p></div></main>
<footer><p>© 2016-2026 Keyzar Ltd. All rights reserved.</p><p>Keyzar Ltd., 12 Harbour St, Valletta, Malta</p></footer>""",
     lang="en", page_kind="product",
     platform={"name": "Keyzar", "copyright_years": [2016, 2026], "advance_compensation": True,
               "dispute_channel": True},
     seller={"name": "NordicKeys", "id": "nordic-keys", "sales": 41211},
     product={"title": "ELDEN RING (PC) - Steam Key - GLOBAL", "price": _money("27.49", "EUR")},
     promises=[{"kind": "delivery_window", "quote": "Instant delivery", "hours": 0}])

# 9. A Plati-like Russian digital-goods page in RUB.
page("plati_like_ru", "https://www.cifra-market.ru/itm/windows-11-pro/4455121", "cifra-market.ru",
     "Windows 11 Pro ключ - Цифра Маркет",
     """<header><a href="/">Цифра Маркет</a></header>
<main><h1>Windows 11 Pro — лицензионный ключ</h1>
<p>Продавец: <a href="/seller/soft-club">SoftClub</a> · Продано: 12 345</p>
<p class="price">490 ₽</p>
<p>Если ключ не подошёл, откройте претензию в течение 24 часов после покупки.</p></main>
<footer><p>© 2011-2026 Цифра Маркет. Все права защищены.</p></footer>""",
     lang="ru", page_kind="product",
     platform={"name": "Цифра Маркет", "copyright_years": [2011, 2026], "dispute_channel": True},
     seller={"name": "SoftClub", "id": "soft-club", "sales": 12345},
     product={"title": "Windows 11 Pro — лицензионный ключ", "price": _money("490", "RUB")},
     policies=[{"kind": "feedback_window", "quote": "откройте претензию в течение 24 часов после покупки",
                "hours": 24}])

# 10. An 8591-like Taiwanese account market (zh-TW, TWD): cross-border for a mainland buyer; a Taiwanese
#     site has no mainland ICP filing to show.
page("tw_account_market", "https://www.baowu-8599.com.tw/v3/mall/detail.php?id=6612039", "baowu-8599.com.tw",
     "【帳號】原神 天空島 滿命雷神 - 寶物交易網",
     """<header><a href="/">寶物交易網</a><nav><a href="/">首頁</a><a href="/mall">商城</a><a href="/help">新手教學</a></nav></header>
<main><h1>【帳號】原神 天空島 滿命雷神 75抽保底</h1>
<p>賣家：星空小舖 ｜ 賣場編號：6612039</p><p class="price">NT$ 3,200</p>
<p>交易安全：本站提供交易保障，買家確認收貨後款項才會撥給賣家。</p>
<p><a href="/service/complaint">我要投訴</a></p></main>
<footer><p>Copyright © 2006-2026 寶物交易網 All Rights Reserved.</p><p>台灣寶物交易股份有限公司 統一編號 12345678</p></footer>""",
     lang="zh-TW", page_kind="product",
     platform={"name": "寶物交易網", "copyright_years": [2006, 2026], "dispute_channel": True},
     seller={"name": "星空小舖"},
     product={"title": "【帳號】原神 天空島 滿命雷神 75抽保底", "price": _money("3200", "TWD")})

# 11. A 交易猫-like game-account page: platform 先行赔付, a 包找回 promise, account goods.
page("jym_like_account", "https://www.youxi-mao.cn/detail/wzry-230918.html", "youxi-mao.cn",
     "王者荣耀账号 安卓QQ V8 - 游戏猫",
     """<header><a href="/"><img alt="游戏猫" src="/logo.png"></a><nav><a href="/">首页</a><a href="/buy">我要买</a><a href="/sell">我要卖</a></nav></header>
<main><h1>王者荣耀 安卓QQ区 V8 账号 126皮肤 国服典韦</h1><p class="price">¥ 1,280.00</p>
<p>卖家：老K游戏 （信用等级 ★★★★）</p>
<ul class="service"><li>包找回赔付：如账号被原号主找回，平台按成交价赔付</li><li>平台担保交易，先行赔付</li></ul>
<p><a href="/help/complain">投诉卖家</a></p></main>
<footer><p>© 2013-2026 游戏猫 版权所有</p><p>浙ICP备13009876号-5</p></footer>""",
     page_kind="product",
     platform={"name": "游戏猫", "icp": "浙ICP备13009876号-5", "copyright_years": [2013, 2026],
               "advance_compensation": True, "dispute_channel": True},
     seller={"name": "老K游戏"},
     product={"title": "王者荣耀 安卓QQ区 V8 账号 126皮肤 国服典韦", "price": _money("1280.00")},
     promises=[{"kind": "original_owner", "quote": "包找回赔付", "hours": None}])

# 12. A 螃蟹-like account page from a two-week-old seller; no filing visible except 公安 (not an ICP number).
page("pangxie_like_new_seller", "https://www.xiezi-game.com/goods/ys-889120", "xiezi-game.com",
     "原神账号 官服 - 蟹子游戏",
     """<header><h2>蟹子游戏</h2></header>
<div class="seller"><span>卖家：原石仓库</span><span>（ID 889120）</span><span>开店时间：2026-11-10</span><span>成交 0 单</span></div>
<main><h1>原神 官服 成品号 满命胡桃 + 护摩之杖</h1><p class="price">¥ 2,650.00</p>
<p>找回包赔需另付商品价5%的服务费。</p></main>
<footer><p>© 2024-2026 蟹子游戏</p><p>沪公网安备 31011502012345号</p></footer>""",
     page_kind="product",
     platform={"name": "蟹子游戏", "copyright_years": [2024, 2026]},
     seller={"name": "原石仓库", "id": "889120", "opened_on": "2026-11-10", "sales": 0},
     product={"title": "原神 官服 成品号 满命胡桃 + 护摩之杖", "price": _money("2650.00")})

# 13. A 盼之-like account order: delivered, with a 24-hour 验号期 from delivery.
page("panzhi_like_order", "https://www.panyou-ddc.com/user/order/PZ2026112409153321", "panyou-ddc.com",
     "订单详情 - 盼游代售",
     """<header><h2>盼游代售</h2></header>
<main><h1>订单详情</h1><p>订单编号：PZ2026112409153321</p>
<p>商品名称：永劫无间 账号 金色武器x6 钥匙扣全套</p><p>实付金额：¥ 560.00</p><p>订单状态：已发货</p>
<p>下单时间：2026-11-24 09:15:33</p><p>发货时间：2026-11-24 09:40:10</p>
<p class="tip">验号期为发货后24小时，请及时登录换绑，逾期视为验号无误。</p>
<p><a href="/after-sale">申请售后</a></p></main>
<footer><p>© 2019-2026 盼游代售</p><p>川ICP备19004421号-1</p></footer>""",
     page_kind="order",
     platform={"name": "盼游代售", "icp": "川ICP备19004421号-1", "copyright_years": [2019, 2026],
               "dispute_channel": True},
     order={"order_no": "PZ2026112409153321", "item": "永劫无间 账号 金色武器x6 钥匙扣全套",
            "amount": _money("560.00"), "status": "delivered"},
     timestamps=[{"role": "ordered", "label": "下单时间", "at": "2026-11-24T09:15:33+08:00"},
                 {"role": "delivered", "label": "发货时间", "at": "2026-11-24T09:40:10+08:00"}],
     policies=[{"kind": "feedback_window", "quote": "验号期为发货后24小时", "hours": 24}])

# 14. A 7881-like order: 72 hours after completion to ask for after-sales; a seller with a long record.
page("qiba_like_order", "https://www.qibayao.com/order/detail?no=Q78812611240001", "qibayao.com", "我的订单 - 七八幺",
     """<header><h2>七八幺游戏交易</h2></header>
<main><h1>订单详情</h1><p>订单号：Q78812611240001</p><p>商品：梦幻西游 点卡 1000点</p>
<p>卖家：天天点卡（开店时间：2016-05-20，成交量：88,102）</p>
<p>订单金额：¥ 95.00</p><p>付款时间：2026-11-24 10:01:05</p><p>完成时间：2026-11-24 10:02:13</p>
<p>交易完成后72小时内可申请售后。</p></main>
<footer><p>© 2008-2026 七八幺 版权所有 沪ICP备08015566号</p></footer>""",
     page_kind="order",
     platform={"name": "七八幺", "icp": "沪ICP备08015566号", "copyright_years": [2008, 2026], "dispute_channel": True},
     seller={"name": "天天点卡", "opened_on": "2016-05-20", "sales": 88102},
     order={"order_no": "Q78812611240001", "item": "梦幻西游 点卡 1000点", "amount": _money("95.00"),
            "status": "delivered"},
     timestamps=[{"role": "paid", "label": "付款时间", "at": "2026-11-24T10:01:05+08:00"},
                 {"role": "delivered", "label": "完成时间", "at": "2026-11-24T10:02:13+08:00"}],
     policies=[{"kind": "feedback_window", "quote": "交易完成后72小时内可申请售后", "hours": 72}])

# 15. A Kinguin-like order page in USD: report within 48 hours of revealing the key.
page("kinguin_like_order", "https://www.kingdomkeys.net/account/orders/KK-9912-4471", "kingdomkeys.net",
     "Order KK-9912-4471 - KingdomKeys",
     """<header><a href="/">KingdomKeys</a></header>
<main><h1>Order KK-9912-4471</h1><p>Item: Cyberpunk 2077 GOG CD Key</p><p>Total: $18.99</p>
<p>Status: Completed</p><p>Seller: GameVault</p>
<p>Report a problem within 48 hours of revealing the key, otherwise the order is final.</p></main>
<footer><p>© 2013-2026 KingdomKeys. All rights reserved.</p></footer>""",
     lang="en", page_kind="order",
     platform={"name": "KingdomKeys", "copyright_years": [2013, 2026], "dispute_channel": True},
     seller={"name": "GameVault"},
     order={"order_no": "KK-9912-4471", "item": "Cyberpunk 2077 GOG CD Key", "amount": _money("18.99", "USD"),
            "status": "delivered"},
     policies=[{"kind": "feedback_window", "quote": "Report a problem within 48 hours", "hours": 48}])

# 16. An Eneba-like page that is a Chinese-language storefront but prices in USD: still foreign.
page("eneba_like_zh", "https://www.enebo.com/zh/steam-gift-card-20-usd", "enebo.com", "Steam 礼品卡 20 美元 - Enebo",
     """<header><a href="/zh">Enebo</a><nav><a href="/zh/games">游戏</a><a href="/zh/support">客服</a></nav></header>
<main><h1>Steam 礼品卡 20 USD（美国区）</h1><p>卖家：CardHouse</p><p class="price">US$ 21.35</p>
<p>买家保护：如果卡密无效，我们将全额退款。</p></main>
<footer><p>© 2018-2026 Enebo UAB. 保留所有权利。</p></footer>""",
     page_kind="product",
     platform={"name": "Enebo", "copyright_years": [2018, 2026], "advance_compensation": True},
     seller={"name": "CardHouse"},
     product={"title": "Steam 礼品卡 20 USD（美国区）", "price": _money("21.35", "USD")},
     promises=[{"kind": "refund", "quote": "如果卡密无效，我们将全额退款", "hours": None}])

# 17. A single-shop 发卡 page: pay by scanning the owner's personal WeChat QR.
page("faka_personal_qr", "https://www.lingxi-ka.com/buy/18", "lingxi-ka.com", "腾讯视频VIP月卡 - 灵犀小店",
     """<div class="goods"><h1>腾讯视频VIP 月卡 激活码</h1><p class="price">¥ 15.80</p>
<p>温馨提示：在线支付暂时关闭，请扫下方个人微信收款码付款，备注订单号，客服微信：lingxi_2026</p>
<img src="/qr/wx-personal.png" alt="收款码"></div>
<footer><p>© 2026 灵犀小店</p></footer>""",
     page_kind="product", system="generic",
     platform={"name": "灵犀小店", "copyright_years": [2026]},
     seller={"contacts": [{"type": "wechat", "value": "lingxi_2026"}]},
     product={"title": "腾讯视频VIP 月卡 激活码", "price": _money("15.80")},
     policies=[{"kind": "off_platform", "quote": "请扫下方个人微信收款码付款", "hours": None}])

# 18. A 卡盟 page that WARNS against off-platform deals: neutral (no off-platform request).
page("km_warns_off_platform", "https://www.jinniu-km.com/goods/55120.html", "jinniu-km.com", "QQ音乐绿钻 月卡 - 金牛卡盟",
     """<header><a href="/"><img src="/logo.png" alt="金牛卡盟"></a></header>
<div class="shop-head"><span>店铺：音悦小站</span><span>店铺编号：30877</span><span>开店时间：2021-06-01</span><span>成交量：4,410</span><span>保证金：¥500.00</span></div>
<main><h1>QQ音乐绿钻 月卡 直充</h1><p class="price">¥ 12.50</p>
<p class="warn">防骗提醒：请勿脱离平台私下交易，任何要求加QQ、扫个人码付款的都是骗子！</p></main>
<footer><p>Copyright © 2014-2026 金牛卡盟 版权所有</p><p>浙ICP备14022581号-2</p></footer>""",
     page_kind="product",
     platform={"name": "金牛卡盟", "icp": "浙ICP备14022581号-2", "copyright_years": [2014, 2026]},
     seller={"name": "音悦小站", "id": "30877", "opened_on": "2021-06-01", "sales": 4410, "deposit": _money("500.00")},
     product={"title": "QQ音乐绿钻 月卡 直充", "price": _money("12.50")})

# 19. A terms page whose no-refund clause excepts faulty cards (lawful), with a short 12-hour window.
page("terms_no_refund_with_exception", "https://www.mingyue-ka.com/terms", "mingyue-ka.com", "服务条款 - 明月发卡",
     """<header><h2>明月发卡</h2></header>
<main><h1>服务条款</h1>
<p>1. 本站商品均为虚拟商品，非质量问题一经售出不予退换，卡密无效的可申请补发或退款。</p>
<p>2. 卡密有问题请在购买后12小时内反馈，逾期不予处理。</p></main>
<footer><p>© 2021-2026 明月发卡 版权所有</p><p>鄂ICP备21007890号-1</p></footer>""",
     page_kind="terms",
     platform={"name": "明月发卡", "icp": "鄂ICP备21007890号-1", "copyright_years": [2021, 2026]},
     policies=[{"kind": "no_refund", "quote": "非质量问题一经售出不予退换", "hours": None},
               {"kind": "feedback_window", "quote": "请在购买后12小时内反馈", "hours": 12}])

# 20. A terms page that only excludes 七天无理由 for digital goods (消法第二十五条: lawful).
page("terms_no_seven_day", "https://www.yunduan-shop.com/help/after-sale", "yunduan-shop.com", "售后政策 - 云端数码",
     """<header><h2>云端数码</h2></header>
<main><h1>售后政策</h1>
<p>根据《消费者权益保护法》第二十五条，在线下载或拆封的数字化商品不适用七天无理由退货。</p>
<p>商品存在质量问题的，可联系客服办理退换。</p></main>
<footer><p>© 2017-2026 云端数码 版权所有 苏ICP备17011223号</p></footer>""",
     page_kind="terms",
     platform={"name": "云端数码", "icp": "苏ICP备17011223号", "copyright_years": [2017, 2026]},
     policies=[{"kind": "no_refund", "quote": "数字化商品不适用七天无理由退货", "hours": None}])

# 21. A 卡盟's shop page of a seller with no deposit on a platform whose rules page requires one.
page("km_seller_no_deposit", "https://www.jinniu-km.com/shop/40112.html", "jinniu-km.com", "小鱼游戏 - 金牛卡盟",
     """<header><a href="/"><img src="/logo.png" alt="金牛卡盟"></a></header>
<div class="shop-head"><h1>小鱼游戏</h1><p>店铺编号：40112 ｜ 开店时间：2024-02-18 ｜ 成交量：320 ｜ 保证金：¥0.00（未缴纳）</p></div>
<ul><li>和平精英 60UC ¥ 5.80</li></ul>
<footer><p>Copyright © 2014-2026 金牛卡盟 版权所有</p><p>浙ICP备14022581号-2</p></footer>""",
     page_kind="shop",
     platform={"name": "金牛卡盟", "icp": "浙ICP备14022581号-2", "copyright_years": [2014, 2026]},
     seller={"name": "小鱼游戏", "id": "40112", "opened_on": "2024-02-18", "sales": 320, "deposit": _money("0.00")})

# 22. An old shop (opened 2023) with almost no sales.
page("shop_old_few_sales", "https://www.hongyun-km.com/shop/52001.html", "hongyun-km.com", "晨曦小铺 - 鸿运卡盟",
     """<header><h2>鸿运卡盟</h2></header>
<div class="shop-head"><h1>晨曦小铺</h1><p>店铺编号：52001 | 开店时间：2023-08-09 | 成交量：3</p></div>
<footer><p>© 2012-2026 鸿运卡盟 版权所有</p><p>粤ICP备12047733号-1</p></footer>""",
     page_kind="shop",
     platform={"name": "鸿运卡盟", "icp": "粤ICP备12047733号-1", "copyright_years": [2012, 2026]},
     seller={"name": "晨曦小铺", "id": "52001", "opened_on": "2023-08-09", "sales": 3})

# 23. A checkout on a young 卡盟 (copyright 2026 only), shared Netflix account, no ICP, QQ contact in footer.
page("young_km_checkout_shared", "https://www.xinghe-km.vip/checkout?goods=771", "xinghe-km.vip", "确认订单 - 星河卡盟",
     """<header><h2>星河卡盟</h2></header>
<main><h1>确认订单</h1><p>商品名称：Netflix 4K 共享账号 一个月（一人一位）</p><p>卖家：影视小栈（店铺ID 10233）</p>
<p>应付金额：¥ 19.90</p><p>说明：共享账号，非独享，请勿修改密码。</p>
<button>立即支付</button></main>
<footer><p>© 2026 星河卡盟 客服QQ：3301882211</p></footer>""",
     page_kind="checkout",
     platform={"name": "星河卡盟", "copyright_years": [2026]},
     seller={"name": "影视小栈", "id": "10233"},
     order={"item": "Netflix 4K 共享账号 一个月（一人一位）", "amount": _money("19.90"), "status": "unpaid"},
     policies=[{"kind": "shared_account", "quote": "共享账号，非独享", "hours": None}])

# 24. A 卡盟 whose only footer line is a 公安 filing: no ICP number is shown.
page("km_police_filing_only", "https://www.tianyu-km.com/goods/9031.html", "tianyu-km.com", "迅雷会员 年卡 - 天宇卡盟",
     """<header><h2>天宇卡盟</h2></header>
<div class="shop-head"><span>店铺：天宇自营</span><span>店铺编号：1</span><span>开店时间：2018-01-01</span><span>成交量：9,870</span></div>
<main><h1>迅雷白金会员 年卡</h1><p class="price">¥ 118.00</p><p>终身质保，掉线包换</p></main>
<footer><p>© 2018-2026 天宇卡盟 版权所有</p><p><a href="#">川公网安备 51010702043210号</a></p></footer>""",
     page_kind="product",
     platform={"name": "天宇卡盟", "copyright_years": [2018, 2026]},
     seller={"name": "天宇自营", "id": "1", "opened_on": "2018-01-01", "sales": 9870},
     product={"title": "迅雷白金会员 年卡", "price": _money("118.00")},
     promises=[{"kind": "warranty", "quote": "终身质保", "hours": None},
               {"kind": "replacement", "quote": "掉线包换", "hours": None}])
