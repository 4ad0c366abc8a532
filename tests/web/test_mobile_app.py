"""The mobile app's files as the backend serves them: strict CSP on every /m/ answer, no inline
script or style anywhere, a manifest a browser can install (icons, share target), the service
worker's version and offline shell filled in, the share fallback without a worker, the texts."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html
from PIL import Image

from server.web.app import CSP, STATIC, shell

ROOT = Path(__file__).resolve().parents[2]
EXTENSION_LOCALES = ROOT / "extension" / "_locales"


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/m/", "/m/share", "/m/sw.js", "/m/js/app.js", "/m/app.css",
                                  "/m/manifest.webmanifest", "/m/locales/zh_CN.json", "/m/icons/icon-192.png",
                                  "/m/does-not-exist.js"])
def test_every_answer_under_m_carries_the_strict_policy(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404), path
    policy = _csp(response)
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'" and "unsafe" not in response.headers["Content-Security-Policy"]
    assert policy["style-src"] == "'self'" and policy["connect-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_api_answers_keep_their_own_headers(client):
    assert "Content-Security-Policy" not in client.get("/healthz").headers


def test_m_redirects_to_the_app_and_types_are_right(client):
    assert client.get("/m").status_code == 308 and client.get("/m").headers["Location"].endswith("/m/")
    assert client.get("/m/").content_type.startswith("text/html")
    assert client.get("/m/js/app.js").content_type.startswith("text/javascript")
    assert client.get("/m/manifest.webmanifest").content_type.startswith("application/manifest+json")


@pytest.mark.parametrize("path", ["/m/../server/config.py", "/m/%2e%2e/pyproject.toml", "/m/js/../../app.py",
                                  "/m/app.py", "/m/js/", "/m/.hidden.js", "/m/static/../../__init__.py"])
def test_nothing_outside_the_static_files_is_served(client, path):
    response = client.get(path)
    assert response.status_code in (404, 308), (path, response.status_code)
    if response.status_code == 404:
        assert response.get_json()["error"] == "not_found"


def test_no_inline_script_style_or_handler_in_the_shell():
    tree = lxml_html.fromstring((STATIC / "index.html").read_bytes())
    for script in tree.iter("script"):
        assert script.get("src") and not (script.text or "").strip(), "inline script"
    assert not list(tree.iter("style")), "inline <style>"
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        assert "style" not in element.attrib, f"style attribute on <{element.tag}>"
        assert not [a for a in element.attrib if a.lower().startswith("on")], f"handler on <{element.tag}>"
    for link in tree.iter("link", "script", "img"):
        target = link.get("href") or link.get("src") or ""
        assert target.startswith("/m/"), f"{target} is not served by the app itself"


def test_scripts_build_no_html_from_strings():
    for path in STATIC.rglob("*.js"):
        text = path.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                     "setAttribute(\"style\"", "http://", "https://"):
            if sink in ("http://", "https://"):
                # Only in the placeholder text, the URL pattern and comments; never a resource.
                assert not re.search(rf"(fetch|import|src|href)\W+['\"`]{sink}", text), (path.name, sink)
                continue
            assert sink not in text, (path.name, sink)


def test_manifest_is_installable_and_declares_the_share_target(client):
    manifest = json.loads(client.get("/m/manifest.webmanifest").data)
    assert manifest["start_url"] == "/m/" and manifest["scope"] == "/m/" and manifest["display"] == "standalone"
    assert manifest["lang"] == "zh-CN" and manifest["short_name"] == "卡盾"
    sizes = {}
    for icon in manifest["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        image = Image.open(__import__("io").BytesIO(response.data))
        assert f"{image.width}x{image.height}" == icon["sizes"]
        sizes.setdefault(icon.get("purpose", "any"), set()).add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes["any"] and "512x512" in sizes["maskable"]
    share = manifest["share_target"]
    assert share["action"] == "/m/share" and share["method"] == "POST" and share["enctype"] == "multipart/form-data"
    assert share["params"]["url"] == "url" and share["params"]["text"] == "text"
    assert share["params"]["files"][0]["name"] == "files" and "image/*" in share["params"]["files"][0]["accept"]


def test_service_worker_gets_its_version_and_shell(client):
    response = client.get("/m/sw.js")
    text = response.get_data(as_text=True)
    version, urls = shell()
    assert "__KADUN" not in text and json.dumps(version) in text and json.dumps(urls) in text
    assert response.headers["Service-Worker-Allowed"] == "/m/" and response.headers["Cache-Control"] == "no-cache"
    assert "/m/" in urls and "/m/js/app.js" in urls and "/m/locales/en.json" in urls
    for url in urls:
        assert client.get(url).status_code == 200, url
    # Every module the shell imports is in the offline shell.
    for path in STATIC.rglob("*.js"):
        for imported in re.findall(r"from \"(\.{1,2}/[^\"]+)\"", path.read_text(encoding="utf-8")):
            target = (path.parent / imported).resolve().relative_to(STATIC).as_posix()
            assert f"/m/{target}" in urls or target == "sw.js", (path.name, imported)


def test_a_share_post_without_a_worker_hands_the_link_on_and_names_lost_files(client):
    import io

    response = client.post("/m/share", data={"title": "卡网", "text": "看看这个 https://shop.example.com/item/1",
                                             "files": (io.BytesIO(b"\x89PNG\r\n\x1a\nxx"), "a.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/m/share?") and "lost_files=1" in location and "shop.example.com" in location
    assert client.post("/m/share", data={}).headers["Location"] == "/m/"


def _locale(lang: str) -> dict:
    return json.loads((STATIC / "locales" / f"{lang}.json").read_text(encoding="utf-8"))


def test_locales_have_the_same_keys_and_every_key_the_scripts_use():
    zh, en = _locale("zh_CN"), _locale("en")
    assert set(zh) == set(en)
    used = set()
    for path in STATIC.rglob("*.js"):
        used |= set(re.findall(r"\bt\(\"([A-Za-z0-9_]+)\"", path.read_text(encoding="utf-8")))
    used |= set(re.findall(r'data-i18n="([A-Za-z0-9_]+)"', (STATIC / "index.html").read_text(encoding="utf-8")))
    assert used - set(zh) == set(), "texts used but missing"
    for key, text in zh.items():
        assert text.strip(), key
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), f"raw code in the Chinese text of {key}: {text}"


def test_shared_vocabulary_matches_the_extension():
    for lang in ("zh_CN", "en"):
        ours = _locale(lang)
        theirs = json.loads((EXTENSION_LOCALES / lang / "messages.json").read_text(encoding="utf-8"))
        for key, text in ours.items():
            if key.startswith(("problem_", "phase_", "attach_")) and key in theirs:
                assert text == theirs[key]["message"], (lang, key)


def test_problem_and_upload_kinds_match_the_backend():
    from server.disputes.kinds import ATTACHMENT_KINDS, PROBLEMS

    disputes_js = (STATIC / "js" / "screens" / "disputes.js").read_text(encoding="utf-8")
    capture_js = (STATIC / "js" / "screens" / "capture.js").read_text(encoding="utf-8")
    problems = re.search(r"PROBLEMS = \[([^\]]+)\]", disputes_js).group(1)
    assert re.findall(r'"([a-z_]+)"', problems) == list(PROBLEMS)
    kinds = re.search(r"UPLOAD_KINDS = \[([^\]]+)\]", capture_js).group(1)
    assert re.findall(r'"([a-z_]+)"', kinds) == list(ATTACHMENT_KINDS)
    zh = _locale("zh_CN")
    for kind in (*PROBLEMS, ):
        assert zh.get(f"problem_{kind}"), kind
    for kind in ATTACHMENT_KINDS:
        assert zh.get(f"attach_{kind}"), kind


def test_policy_constant_has_no_inline_allowance():
    assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP and "*" not in CSP
