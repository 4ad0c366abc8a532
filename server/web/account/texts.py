"""Every text of the account pages, Chinese first, then English: key → (zh-CN, en).

``$1``, ``$2`` are filled in order (as the extension's messages.json does). Refusals of the
accounts service are looked up by their ``reason``.
"""
from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # Page titles and navigation
    "site_name": ("卡盾", "KaDun"),
    "title_signin": ("登录卡盾", "Sign in to KaDun"),
    "title_signup": ("注册卡盾账户", "Create a KaDun account"),
    "title_account": ("我的卡盾账户", "My KaDun account"),
    "title_authorize": ("允许扩展登录", "Let the extension sign in"),
    "title_error": ("出错了", "Something went wrong"),
    "language_other": ("English", "中文"),
    "privacy_link": ("隐私政策", "Privacy policy"),
    # Forms
    "label_username": ("用户名", "Username"),
    "label_password": ("密码", "Password"),
    "label_password2": ("再次输入密码", "Password again"),
    "label_current_password": ("当前密码", "Current password"),
    "label_new_password": ("新密码", "New password"),
    "label_email": ("电子邮箱（可选）", "E-mail (optional)"),
    "hint_username": ("3–32 个字符：汉字、字母、数字或 _ . -", "3–32 characters: letters (any script), digits, _ . -"),
    "hint_password": ("至少 8 个字符；越长越好，一句话也可以。", "At least 8 characters; longer is better, a sentence is fine."),
    "hint_email": ("可以不填。我们不会向它发送邮件，也不会验证它。", "You may leave it empty. We never send mail to it or verify it."),
    "btn_signin": ("登录", "Sign in"),
    "btn_signup": ("注册", "Create account"),
    "btn_passkey_signin": ("用通行密钥登录", "Sign in with a passkey"),
    "btn_passkey_signup": ("用通行密钥注册（推荐）", "Create with a passkey (recommended)"),
    "btn_password_signup": ("用密码注册", "Create with a password"),
    "btn_signout": ("退出登录", "Sign out"),
    "btn_signout_all": ("退出其它所有登录", "Sign out everywhere else"),
    "btn_allow": ("允许", "Allow"),
    "btn_deny": ("拒绝", "Deny"),
    "btn_revoke": ("移除", "Remove"),
    "btn_add_passkey": ("添加通行密钥", "Add a passkey"),
    "btn_remove_passkey": ("删除", "Delete"),
    "btn_pairing_code": ("生成配对码", "Make a pairing code"),
    "btn_change_password": ("修改密码", "Change password"),
    "passkey_better": ("通行密钥比密码更安全：不用记，也不会被钓鱼网站骗走。",
                       "A passkey is safer than a password: nothing to remember, and phishing sites cannot steal it."),
    "or": ("或", "or"),
    "link_to_signup": ("还没有账户？注册一个", "No account yet? Create one"),
    "link_to_signin": ("已有账户？登录", "Have an account? Sign in"),
    # Refusals (by reason)
    "signin_failed": ("用户名或密码错误。", "Wrong username or password."),
    "too_many": ("尝试次数过多，请 $1 分钟后再试。也可以用通行密钥登录。",
                 "Too many attempts; try again in $1 minutes. You can also sign in with a passkey."),
    "too_many_signups": ("这个网络注册的账户太多了，请 $1 分钟后再试。",
                         "Too many accounts created from this network; try again in $1 minutes."),
    "username_length": ("用户名需要 3–32 个字符。", "A username has 3 to 32 characters."),
    "username_chars": ("用户名只能包含汉字、字母、数字和 _ . -。", "A username has letters, digits and _ . - only."),
    "username_invisible": ("用户名不能包含看不见的字符或空白字符（如零宽字符、韩文填充符、盲文空白）。",
                           "A username cannot hold invisible or blank characters (zero-width, fillers, braille blank)."),
    "username_scripts": ("用户名不能混用不同文字的字母（如拉丁字母里夹着西里尔或希腊字母）；汉字和拉丁字母可以一起用。",
                         "A username cannot mix letters of different scripts (such as Cyrillic or Greek among Latin); "
                         "Chinese characters with Latin letters are fine."),
    "username_unavailable": ("这个用户名不可用，请换一个。", "This username is not available; choose another."),
    "password_length": ("密码需要 8–128 个字符。", "A password has 8 to 128 characters."),
    "password_common": ("这个密码太常见，别人第一个就会试它，请换一个。",
                        "This password is among the first anyone tries; choose another."),
    "password_is_username": ("密码不能和用户名相同。", "The password must not be the username."),
    "password_mismatch": ("两次输入的密码不一致。", "The two passwords differ."),
    "password_wrong": ("当前密码不正确。", "The current password is not right."),
    "reauth_needed": ("登录已有一段时间：为了安全，请先输入当前密码再试，这次没有做任何更改。",
                      "You signed in a while ago: for your safety, enter your current password and try again; "
                      "nothing was changed."),
    "reauth_hint": ("登录已超过 $1 分钟：为了安全，生成配对码或删除通行密钥前需要再确认一次身份。",
                    "You signed in more than $1 minutes ago: for your safety, confirm it is you again before making a "
                    "pairing code or removing a passkey."),
    "password_changed": ("密码已修改，其它设备上的网页登录已退出。", "Password changed; the account pages signed out elsewhere."),
    "email_format": ("这不是电子邮箱地址（可以不填）。", "This is not an e-mail address (you may leave it empty)."),
    "csrf": ("页面已过期或不是从本站提交的，请重新提交。", "This page has expired or was not sent from this site; please send it again."),
    "bad_form": ("表单内容有误：$1", "The form is not right: $1"),
    "passkey_failed": ("通行密钥验证没有通过，请再试一次。", "The passkey could not be checked; please try again."),
    "passkey_expired": ("这次通行密钥请求已过期，请重新开始。", "This passkey request has expired; please start again."),
    "passkey_confirm_needed": ("这个账户没有密码：需要先用你的通行密钥确认（几分钟内有效），这次没有做任何更改。",
                               "This account has no password: confirm with your passkey first (valid for a few "
                               "minutes); nothing was changed."),
    "passkey_not_yours": ("这个通行密钥不属于这个账户，这次没有做任何更改。",
                          "This passkey is not one of this account's; nothing was changed."),
    "delete_passkey_hint": ("这个账户没有密码：按下删除后，浏览器会请你用通行密钥确认。",
                            "This account has no password: when you press delete, the browser asks you to confirm "
                            "with your passkey."),
    "passkey_unknown": ("这个通行密钥没有在卡盾注册过。", "This passkey is not registered with KaDun."),
    "passkey_known": ("这个通行密钥已经注册过了。", "This passkey is already registered."),
    "passkey_unsupported": ("这个浏览器不支持通行密钥，请用密码。", "This browser has no passkeys; use a password."),
    "passkey_cancelled": ("通行密钥操作已取消。", "The passkey request was cancelled."),
    "passkey_last": ("这是唯一的登录方式，先设置密码或添加另一个通行密钥再删除它。",
                     "This is the only way to sign in; set a password or add another passkey first."),
    "signin_needed": ("请先登录。", "Please sign in first."),
    "https_needed": ("账户页面只能通过 HTTPS 打开。", "The account pages open over HTTPS only."),
    "not_found": ("没有这个页面。", "No such page."),
    "too_large": ("提交的内容太大，没有保存。", "What was sent is too large; nothing was saved."),
    "bad_request": ("这个请求无法处理，请回到账户页再试一次。", "This request could not be handled; go back to your account page and try again."),
    "server_error": ("服务器出错了，请稍后再试。", "The server failed; please try again later."),
    "storage_down": ("存储暂时不可用，请稍后再试。", "Storage is unavailable for a moment; please try again."),
    # The account page
    "signed_in_as": ("已登录：$1", "Signed in as $1"),
    "section_devices": ("已登录的设备", "Signed-in devices"),
    "devices_hint": ("在浏览器扩展的设置页点“登录卡盾”，设备就会出现在这里；移除后它立即失去访问权限。",
                     "Click “登录卡盾 / Sign in” in the extension's settings and the device shows here; removing "
                     "it takes its access away at once."),
    "no_devices": ("还没有设备。", "No devices yet."),
    "kind_extension": ("浏览器扩展（配对码）", "Browser extension (pairing code)"),
    "kind_account": ("浏览器扩展（账户登录）", "Browser extension (account sign-in)"),
    "kind_phone": ("手机", "Phone"),
    "device_unnamed": ("未命名设备", "Unnamed device"),
    "device_since": ("登录于 $1", "signed in $1"),
    "device_last_seen": ("最近使用 $1", "last used $1"),
    "device_expires": ("$1 到期", "expires $1"),
    "device_revoked": ("已移除：$1", "Removed: $1"),
    "section_data": ("我的数据", "My data"),
    "data_counts": ("$1 份存证，$2 个纠纷", "$1 captures, $2 disputes"),
    "recent_captures": ("最近的存证", "Recent captures"),
    "no_captures": ("还没有存证。装好扩展并登录后，浏览卡网时会自动存证。",
                    "No captures yet. With the extension signed in, shop pages are captured as you browse."),
    "pagekind_product": ("商品页", "product page"),
    "pagekind_checkout": ("下单页", "checkout page"),
    "pagekind_order": ("订单页", "order page"),
    "pagekind_shop": ("店铺页", "shop page"),
    "pagekind_terms": ("规则页", "terms page"),
    "pagekind_chat": ("聊天记录", "chat"),
    "pagekind_other": ("其它页面", "other page"),
    "export_hint": ("把你的全部存证（含截图）、附件和纠纷下载为一个签名证据包（含 WACZ 网页存档）：包内文件都有签名，"
                    "任何人都能离线核对它们没有被改动过。",
                    "Download every capture (with screenshots), attachment and dispute as one signed evidence pack "
                    "(with a WACZ web archive): every file in it is signed, so anyone can check offline that "
                    "nothing was changed."),
    "btn_export": ("导出全部数据", "Export everything"),
    "section_delete": ("删除账户", "Delete my account"),
    "delete_hint": ("删除后，你的账户、全部存证、附件、纠纷和设备会立即永久删除，所有设备和网页登录立即失效，无法恢复。"
                    "公共统计中也不会留下你的痕迹。需要留存证据请先导出。",
                    "Your account, every capture, attachment, dispute and device are deleted at once and for good; "
                    "every device and web sign-in stops working at once, and nothing can bring them back. The shared "
                    "statistics keep no trace of you. Export first if you need the evidence."),
    "label_confirm_username": ("输入你的用户名以确认", "Type your username to confirm"),
    "btn_delete_account": ("永久删除我的账户", "Delete my account for good"),
    "delete_confirm_wrong": ("输入的用户名不对，账户没有删除。", "That is not your username; the account was not deleted."),
    "deleted_title": ("账户已删除", "Account deleted"),
    "deleted_text": ("你的账户和全部数据已删除，所有设备和登录都已失效。", "Your account and all its data are deleted; "
                     "every device and sign-in has stopped working."),
    "deleted_id": ("删除记录编号：$1（记录中只有时间和数量，不含你的任何信息）。",
                   "Deletion record: $1 (it holds only the time and counts, nothing about you)."),
    "section_passkeys": ("通行密钥", "Passkeys"),
    "no_passkeys": ("还没有通行密钥。", "No passkeys yet."),
    "passkey_added": ("已添加通行密钥。", "Passkey added."),
    "passkey_removed": ("已删除通行密钥。", "Passkey deleted."),
    "passkey_created": ("创建于 $1", "created $1"),
    "passkey_used": ("最近使用 $1", "last used $1"),
    "section_password": ("密码", "Password"),
    "no_password": ("这个账户没有密码，只用通行密钥登录。可以在这里设置一个密码作为备用。",
                    "This account has no password and signs in with passkeys; you may set one as a fallback."),
    "section_pairing": ("配对码（备用）", "Pairing code (fallback)"),
    "pairing_hint": ("不能用“登录卡盾”的浏览器或手机，可以在扩展里输入这个一次性配对码（$1 分钟内有效）。",
                     "A browser or phone that cannot use “Sign in” can enter this one-time pairing code in the "
                     "extension (valid $1 minutes)."),
    "pairing_code_is": ("配对码：", "Pairing code:"),
    "pairing_phone_link": ("在这部手机上打开卡盾手机版并用这个配对码配对", "Open KaDun's phone app on this phone, paired with this code"),
    "section_sessions": ("网页登录", "Web sign-ins"),
    "sessions_count": ("这个账户有 $1 个网页登录（含本页）。", "This account is signed in on $1 web page sessions (this one included)."),
    "signed_out_others": ("已退出其它 $1 个网页登录。", "Signed out $1 other web sessions."),
    # Signing in from the extension
    "authorize_text": ("$1 上的卡盾扩展请求登录你的账户“$2”。允许后，它会得到一个只属于这台设备的令牌，可以随时在账户页移除。",
                       "The KaDun extension in $1 asks to sign in to your account “$2”. If you allow it, it gets a "
                       "token for this device only, which you can remove on your account page at any time."),
    "authorize_browser_chrome": ("Chrome / Edge", "Chrome / Edge"),
    "authorize_browser_firefox": ("Firefox", "Firefox"),
    "authorize_not_you": ("不是你的账户？", "Not your account?"),
    "authorize_bad": ("这个登录请求不完整或已损坏，请回到扩展的设置页重新点“登录卡盾”。",
                      "This sign-in request is incomplete or damaged; go back to the extension's settings and "
                      "click “登录卡盾 / Sign in” again."),
    "account_gone": ("这个账户刚刚被删除了，所以没有再往里添加任何东西。",
                     "This account has just been deleted, so nothing was added to it."),
    "account_busy": ("你的账户正被另一个请求修改，这次什么都没有改。请稍后再试一次。",
                     "Your account is being changed by another request right now; nothing was changed. "
                     "Please try again in a moment."),
    "authorize_unknown_extension": ("请求登录的不是卡盾发布的扩展，所以不会把你的账户交给它。请只从官方商店安装卡盾。",
                                    "The extension asking to sign in is not KaDun's published extension, so your "
                                    "account will not be handed to it. Install KaDun from the official store only."),
}

LANGUAGES = ("zh", "en")


def text(key: str, lang: str, *subs) -> str:
    """The text ``key`` in ``lang`` ("zh" or "en") with $1, $2… filled in; the key when unknown."""
    pair = TEXTS.get(key)
    if pair is None:
        return key
    out = pair[0 if lang == "zh" else 1]
    for number, value in enumerate(subs, start=1):
        out = out.replace(f"${number}", str(value))
    return out
