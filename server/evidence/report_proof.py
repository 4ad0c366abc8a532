"""证明了什么 What is proven, the last section of a pack's report.html (and of an account export's):
who signed, how the chain links the items, what time stamps there are, and how to check the pack,
first what anyone can check by reading it, then the one command for a technical reviewer."""
from __future__ import annotations

from .report_words import esc, named, table, when


def _p(zh: str, en: str) -> str:
    """A paragraph in zh with its en line (both already HTML)."""
    return f"<p>{zh}<br><span class='en' lang='en'>{en}</span></p>"


def _li(zh: str, en: str) -> str:
    return f"<li>{zh}<br><span class='en' lang='en'>{en}</span></li>"


FOLDER_WORDS = (("captures", "captures/ 是保存的网页，以 .html.txt 保存，用记事本打开显示为源代码，不会运行",
                 "captures/ holds the saved pages as .html.txt (they open as text and never run)"),
                ("screenshots", "screenshots/ 是网页截图", "screenshots/ holds the pages' screenshots"),
                ("attachments", "attachments/ 是买家补充的材料", "attachments/ holds what the buyer added"))


def _stamp_rows(stamps: list) -> list[list[str]]:
    rows = []
    for stamp in stamps:
        for token in stamp["tokens"]:
            rows.append([esc(stamp["chain_index"]), when(token["time"], exact=True), esc(token["tsa_name"]),
                         f"<code>{esc(token['path'])}</code>", f"<code class='hash'>{esc(stamp.get('chain_hash'))}</code>"])
    return rows


def what_is_proven(public_key: dict | None, trust: dict | None = None, names: dict | None = None,
                  folders: set | None = None) -> str:
    """证明了什么 What is proven: which key signed, which TSA stamped and when, how the chain links
    the captures; then how to check the pack: what anyone can check by reading it (no tools), and
    the one command a technical reviewer runs. Every step names files that are in this pack:
    without trusted time it says so and what that means, never pointing at stamps that are absent.
    ``names``: evidence ids to their item numbers; ``folders``: the pack's folders of items
    (captures, screenshots, attachments), all three when not given."""
    key = public_key or {}
    trust = trust or {}
    names = names or {}
    stamps = (trust.get("timestamps") or {}).get("stamps") or []
    configured = (trust.get("timestamps") or {}).get("configured")
    unstamped = (trust.get("timestamps") or {}).get("unstamped") or []
    chain = trust.get("chain_range") or {}
    wacz = trust.get("wacz") or {}
    key_id, public = esc(key.get("key_id")), esc(key.get("public_key"))
    parts = [
        "<section id='proof'><h2>证明了什么 What is proven</h2>",
        "<h3>签名 Who signed</h3>",
        _p(f"清单文件 manifest.json 由卡盾服务器的 Ed25519 密钥签名，签名在 manifest.sig 中。密钥编号 "
           f"<code>{key_id}</code>，公钥 <code class='hash'>{public}</code>。清单列出本包每个文件的 SHA-256 和大小、"
           "证据件数和哈希链区间；任何文件被改动、增加或删除，校验都会失败并指出是哪个文件。每件证据另有一份由同一密钥"
           "签名的回执，回执签署了内容哈希、网址、服务器接收时间和在哈希链中的位置。",
           f"manifest.json is signed (manifest.sig) by the KaDun server's Ed25519 key, key id <code>{key_id}</code>. "
           "It lists every file of this pack with its SHA-256 and size, how many items the dispute holds and the chain "
           "range; changing, adding or removing any file fails the check, which names the file. Each item also has a "
           "receipt signed by the same key over its hash, URL, server-received time and chain position."),
        "<h3>哈希链 How the chain links captures</h3>",
        _p("每件证据是用户哈希链上的一环。每一环的“链哈希值”是把上一环的链哈希值、本件内容的 SHA-256、服务器接收时间"
           "和证据编号连在一起再算 SHA-256 得到的。"
           f"本包包含第 {esc(chain.get('first'))}–{esc(chain.get('last'))} 环（共 {esc(chain.get('count'))} 环），"
           "中间任何一件被删改、插入或重排，后面每一环的链哈希值都会对不上。",
           "Each item is a link of the user's hash chain. A link's chain hash is the SHA-256 of the previous link's "
           "chain hash, the item's content hash, its server-received time and its id. This pack holds links "
           f"{esc(chain.get('first'))}–{esc(chain.get('last'))} ({esc(chain.get('count'))} links); removing, inserting or "
           "reordering any item breaks the chain hash of every later link."),
        "<h3>可信时间 Trusted time (RFC 3161)</h3>",
    ]
    later = {lang: "、".join(named(names, i, lang) for i in unstamped) for lang in ("zh", "en")}
    if stamps:
        parts.append(_p("时间戳机构（TSA）为哈希链上的一环签发了 RFC 3161 时间戳：这一环以及它之前的每件证据，都在时间戳"
                        "上的时间之前已经存在。时间戳所盖的就是下表那一环的链哈希值。",
                        "A time-stamp authority (TSA) stamped a link of the chain: that link and every item before it "
                        "existed no later than the stamp's time. What the stamp covers is that link's chain hash, "
                        "shown below.")
                     + table(["链位置 Link", "时间戳时间 Stamp time", "时间戳机构 TSA", "文件 File",
                               "所盖的链哈希值 Stamped chain hash"], _stamp_rows(stamps)))
        if unstamped:
            parts.append(_p(f"尚未盖时间戳的证据：{later['zh']}。它们的时间是服务器自己的时间，只由服务器的签名担保。",
                            f"Not yet stamped: {later['en'].replace('、', ', ')}. Their times are the server's own, vouched for only by its "
                            "signature."))
    elif configured:
        parts.append(_p("该服务器已配置时间戳机构，但本包中的证据尚未盖时间戳（服务器定时为哈希链盖时间戳，之后重新导出的"
                        "证据包会包含时间戳文件）。在那之前，这些时间是服务器自己的时间，只由服务器的签名担保。",
                        "This server has a time-stamp authority, but the items in this pack are not stamped yet (the "
                        "server stamps the chain periodically; a pack exported later includes the stamp files). Until "
                        "then their times are the server's own, vouched for only by its signature."))
    else:
        parts.append(_p("本包没有可信时间戳：该卡盾服务器没有配置时间戳机构。这意味着报告和清单中的时间都来自卡盾服务器自己"
                        "的时钟，只由服务器的签名担保：签名能证明证据包在签名之后没有被改动，但没有独立的第三方证明这些页面"
                        "在某个时间之前已经存在。请把这些时间视为服务器运营方的陈述，可与平台订单记录、支付记录中的时间相互印证。",
                        "This pack has no trusted time stamps: this KaDun server has no time-stamp authority configured. "
                        "That means every time in this report and the manifest comes from the KaDun server's own "
                        "clock, vouched for only by its signature: the signature proves the pack was not changed after "
                        "signing, but no independent third party attests that these pages existed before a given "
                        "time. Read those times as the server operator's statement, and compare them with the times "
                        "in the platform's order records and the payment records."))
    parts.append("<h3>如何核验 How to check this pack</h3><h4>不用任何工具 Without any tools</h4><ol class='checks'>")
    folders = {"captures", "screenshots", "attachments"} if folders is None else folders
    where = [(zh, en) for folder, zh, en in FOLDER_WORDS if folder in folders]
    if wacz.get("path"):
        where.append(("archive.wacz 可在 ReplayWeb.page 中回放这些网页", "archive.wacz replays them in ReplayWeb.page"))
    parts.append(_li("原始页面：每件证据的原始文件都在本包中，路径和 SHA-256 见“证据清单”。"
                     + "".join(f"{zh}。" for zh, _ in where),
                     "The original pages: every item's file is in this pack, at the path listed with its SHA-256 "
                     "under Evidence." + "".join(f" {en}." for _, en in where)))
    parts.append(_li("内容哈希：投诉信和投诉表单中引用的每个 SHA-256（表单中可能只写开头几位）应与“证据清单”中同一编号"
                     "证据的 SHA-256 相同。",
                     "Content hashes: every SHA-256 quoted in the letters and complaint forms (a form may give only its "
                     "first characters) must match the SHA-256 of the item with the same number under Evidence."))
    parts.append(_li(f"签名密钥：用记事本打开 manifest.sig，其中写明的密钥编号应为 <code>{key_id}</code>，与本报告所写相同；"
                     "可请卡盾服务器的运营方出示其公布的公钥，核对密钥编号和公钥一致。",
                     f"The signing key: open manifest.sig as text; the key id it states must be <code>{key_id}</code>, "
                     "as this report says. Ask the KaDun server's operator for its published public key and compare "
                     "the key id and key."))
    if stamps:
        parts.append(_li("可信时间：timestamps/ 中的每个 .tsr 文件是上表所列时间戳机构签发的时间戳，其中记录的哈希值就是上表"
                         "的“所盖的链哈希值”。可将 .tsr 文件提交给该机构的验证服务（或任何 RFC 3161 验证工具），查看签发"
                         "时间和哈希值，与上表比对。",
                         "Trusted time: each .tsr file in timestamps/ is a stamp issued by the TSA listed above, and the "
                         "hash it records is the stamped chain hash in that table. Submit the .tsr file to that TSA's "
                         "verification service (or any RFC 3161 tool) to read its time and hash, and compare them with "
                         "the table."))
    else:
        parts.append(_li("可信时间：本包没有时间戳文件（见上文“可信时间”），所以无法独立核对时间；时间是服务器的陈述。",
                         "Trusted time: this pack has no stamp files (see Trusted time above), so its times cannot be "
                         "checked independently; they are the server's statement."))
    parts.append("</ol><h4>技术人员 For a technical reviewer</h4>")
    parts.append(_p(f"运行卡盾的校验命令 <code>kadun verify 证据包.zip --key {public}</code>（公钥也可从服务器的 /v1/keys "
                    f"取得），它离线检查每个文件的哈希、清单签名、每份回执{'、哈希链和时间戳' if stamps else '和哈希链'}，任何一处不符都会指出。",
                    f"Run KaDun's checker, <code>kadun verify PACK.zip --key {public}</code> (the key is also served at "
                    "the server's /v1/keys): offline, it checks every file hash, the manifest signature, every receipt"
                    f"{', the chain and the time stamps' if stamps else ' and the chain'}, and names anything that "
                    "does not match."))
    if stamps:
        first = stamps[0]
        token = first["tokens"][0]
        ca = esc(token.get("chain_path") or "timestamps/tsa-….pem")
        command = (f"openssl ts -verify -in {esc(token['path'])} -digest {esc(first.get('chain_hash'))} "
                   f"-CAfile {ca}")
        parts.append(_p(f"不用卡盾也可用 OpenSSL 核对时间戳，例如第 {esc(first['chain_index'])} 环：<code>{command}</code>"
                        "（其他 .tsr 文件同理，用上表中对应的链哈希值；最好用时间戳机构官网公布的根证书替换 -CAfile 的文件）。",
                        f"Without KaDun, check a stamp with OpenSSL, e.g. link {esc(first['chain_index'])}: "
                        f"<code>{command}</code> (the same for the other .tsr files with their chain hash from the "
                        "table; better, use the TSA's published root certificate as -CAfile)."))
    parts.append("</section>")
    return "".join(parts)
