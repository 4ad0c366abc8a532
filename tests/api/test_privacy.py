"""GET /privacy: the privacy policy as static HTML, Chinese first, without any script."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.sections: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        if tag == "section":
            self.sections.append(dict(attrs).get("lang"))


def test_privacy_page_is_served_as_static_html(client):
    response = client.get("/privacy")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.data == (ROOT / "server" / "api" / "privacy.html").read_bytes()
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    scan = _Scan()
    scan.feed(response.get_data(as_text=True))
    assert not {"script", "iframe", "object", "embed", "form", "link", "img"} & set(scan.tags)
    assert scan.handlers == []
    assert scan.sections == ["zh-CN", "en"], "Chinese first, English below"


def test_privacy_page_says_what_is_captured_and_where_it_goes(client):
    text = client.get("/privacy").get_data(as_text=True)
    for words in ("截图", "密码", "第三方", "你填写的后端", "screenshot", "password", "third part",
                  "Only to the backend you entered", "127.0.0.1"):
        assert words in text, words


def test_privacy_page_needs_no_token_and_is_documented(client):
    spec = client.get("/openapi.json").get_json()
    assert spec["paths"]["/privacy"]["get"]["security"] == []
    assert client.get("/privacy", headers={"Authorization": "Bearer nonsense"}).status_code == 200


def test_privacy_page_states_what_a_hosted_service_stores_and_the_buyers_rights(client):
    text = client.get("/privacy").get_data(as_text=True)
    for words in ("托管服务保存什么", "Argon2id", "请求日志", "备份", "导出全部数据", "删除我的账户", "网页登录", "个人信息保护法",
                  "What a hosted service stores", "Request logs", "Web sign-ins", "Export everything", "Delete my account",
                  "one-way digests", "kadun verify"):
        assert words in text, words
