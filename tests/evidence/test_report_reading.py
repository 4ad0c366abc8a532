"""report.html as a third party reads it (a 12315 clerk, a platform's dispute handler): times in
words with the exact ISO value kept, no raw field names or ids in the Chinese text, and "how to
check" steps that describe this pack as it is: every file they name is in the pack, steps a clerk
can follow without tools, and, without a time-stamp authority, no stamp files promised but a plain
statement of what that means. (Width on a phone and in print: tests/disputes/test_report_browser.py.)"""
from __future__ import annotations

import re
import zipfile

import pytest
from bs4 import BeautifulSoup

from server.evidence.report_proof import what_is_proven
from server.evidence.report_words import ISO_TIME, human_time

from .conftest import USER, export

HUMAN = [
    ("2026-12-08T00:51:59.486000+08:00", "2026年12月8日 00:51:59 (UTC+8)", "8 Dec 2026, 00:51:59 (UTC+8)"),
    ("2026-11-24T10:03:22+08:00", "2026年11月24日 10:03:22 (UTC+8)", "24 Nov 2026, 10:03:22 (UTC+8)"),
    ("2026-12-07T17:20:00Z", "2026年12月7日 17:20:00 (UTC)", "7 Dec 2026, 17:20:00 (UTC)"),
    ("2026-01-02T03:04:05+05:30", "2026年1月2日 03:04:05 (UTC+5:30)", "2 Jan 2026, 03:04:05 (UTC+5:30)"),
    ("2026-07-04T09:00:00-03:00", "2026年7月4日 09:00:00 (UTC-3)", "4 Jul 2026, 09:00:00 (UTC-3)"),
    ("2026-11-27", "2026年11月27日", "27 Nov 2026"),
    ("not a time", "not a time", "not a time"),
    ("2026-13-40T99:00:00+08:00", "2026-13-40T99:00:00+08:00", "2026-13-40T99:00:00+08:00"),
]


@pytest.mark.parametrize(("iso", "zh", "en"), HUMAN, ids=[h[0] for h in HUMAN])
def test_times_as_people_read_them(iso, zh, en):
    assert human_time(iso, "zh") == zh
    assert human_time(iso, "en") == en


@pytest.fixture
def plain_pack(app, tmp_path):
    """(path, report soup): a pack from a server with no time-stamp authority."""
    from tests.disputes.scenario import account_recovered_dispute

    d = account_recovered_dispute(app, USER)
    path = tmp_path / "pack.zip"
    export(app, USER, d["id"], path)
    return path


def _report(path) -> tuple[BeautifulSoup, list[str]]:
    with zipfile.ZipFile(path) as zf:
        return BeautifulSoup(zf.read("report.html").decode("utf-8"), "html.parser"), zf.namelist()


@pytest.fixture(params=["plain", "stamped"])
def pack(request):
    if request.param == "plain":
        return request.getfixturevalue("plain_pack")
    return request.getfixturevalue("stamped_pack")[0]


def _without(soup: BeautifulSoup, *selectors: str) -> BeautifulSoup:
    copy = BeautifulSoup(str(soup), "html.parser")
    for selector in selectors:
        for tag in copy.select(selector):
            tag.decompose()
    return copy


def test_times_are_written_for_people_with_the_exact_value_kept(pack):
    """Every time the report states is in words (zh and en); the ISO value is in the <time>
    element, and shown as it is where the time is evidence (received, stamped). Letters, quotes
    and complaint forms are copied verbatim and may hold what the page wrote."""
    soup, _ = _report(pack)
    body = soup.find("body")
    times = body.find_all("time")
    assert len(times) > 10
    for tag in times:
        iso = tag["datetime"]
        assert tag["title"] == iso
        assert tag.find(lang="zh-CN").get_text() == human_time(iso, "zh")
        assert tag.find(lang="en").get_text() == human_time(iso, "en")
    order = {tr.th.get_text(): tr.td for tr in soup.find("table", class_="kv").find_all("tr")}
    assert " ".join(order["发生时间 Occurred at"].get_text(" ").split()) == "2026年11月26日 11:00:00 (UTC+8) 26 Nov 2026, 11:00:00 (UTC+8)"
    received = soup.select("table.rows td[data-label='服务器接收时间 Received']")
    assert received and all(cell.find("code", class_="iso") for cell in received)
    assert received[0].find("code", class_="iso").get_text() == "2026-11-20T09:00:00.000+08:00"
    rest = _without(soup, "time", "code", "pre", "div.beside table", "ol.plan table", "style", "title")
    assert ISO_TIME.findall(rest.get_text(" ")) == []


def test_chinese_text_names_things_in_words(pack):
    """No field name (key_id, chain_hash, any snake_case) in the report's text outside code and
    commands, and evidence ids (snp_…, att_…) only as file paths: items go by their number."""
    soup, _ = _report(pack)
    # (a shop's own URL, ?order_no=…, and the complaint forms' fields are quoted as they are)
    text = _without(soup, "code", "pre", "style", "title", "h1", ".url", "ol.plan table").get_text(" ")
    assert re.findall(r"\b[a-z]+_[a-z0-9_]+\b", text) == []
    assert re.findall(r"\b(?:snp|att)_[0-9a-f]+", text) == []
    chinese = _without(soup, "code", "pre", "style", "title", "h1", "[lang=en]", ".en").get_text(" ")
    assert "key_id" not in chinese and "chain_hash" not in chinese
    checklist = next(s for s in soup.find_all("section") if s.h2.get_text() == "证据检查 Checklist")
    assert "证据3 item 3" in checklist.get_text(" ")
    images = soup.find_all("img")
    assert images and all(re.fullmatch(r"证据\d+截图 screenshot of item \d+", img["alt"]) for img in images)


def test_every_file_the_report_names_is_in_the_pack(pack):
    """The steps never send a reader to a file that is not there (stamp files without a TSA)."""
    soup, names = _report(pack)
    text = _without(soup, "style").get_text(" ")
    named = set(re.findall(r"\b(?:captures|screenshots|attachments|timestamps)/[\w.\-]+", text))
    assert named and named <= set(names), named - set(names)
    folders = set(re.findall(r"\b(captures|screenshots|attachments|timestamps)/(?![\w.\-])", text))
    assert folders <= {n.split("/")[0] for n in names if "/" in n}
    assert "XXXXXXXX" not in text and "<该环的" not in text


def _proof(soup: BeautifulSoup) -> str:
    return soup.find(id="proof").get_text(" ")


def test_without_a_tsa_the_steps_say_what_that_means(plain_pack):
    soup, names = _report(plain_pack)
    assert not any(n.startswith("timestamps/") for n in names)
    proof = _proof(soup)
    assert ".tsr" not in proof and "openssl" not in proof
    assert "本包没有可信时间戳" in proof and "服务器运营方的陈述" in proof
    assert "This pack has no trusted time stamps" in proof and "operator's statement" in proof
    assert "不用任何工具 Without any tools" in proof and "技术人员 For a technical reviewer" in proof


def test_with_stamps_a_clerk_can_compare_the_tsa_token_and_its_hash(stamped_pack):
    path, manifest, _ = stamped_pack
    soup, names = _report(path)
    proof = soup.find(id="proof")
    stamps = manifest["timestamps"]["stamps"]
    table = proof.find("table", class_="rows")
    cells = [[td.get_text(" ").strip() for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")]
    assert [(c[3], c[4]) for c in cells] == [(t["path"], s["chain_hash"]) for s in stamps for t in s["tokens"]]
    steps = proof.find("ol", class_="checks").get_text(" ")
    assert "上表所列时间戳机构签发" in steps and "所盖的链哈希值" in steps and "SHA-256" in steps
    assert manifest["key_id"] in steps  # the key id as stated, to compare with manifest.sig
    command = next(c.get_text() for c in proof.find_all("code") if c.get_text().startswith("openssl ts -verify"))
    first = stamps[0]
    assert f"-in {first['tokens'][0]['path']} -digest {first['chain_hash']}" in command
    assert command.split("-CAfile ")[1] in names
    assert "尚未盖时间戳的证据：证据6。" in proof.get_text(" ") and "Not yet stamped: item 6." in proof.get_text(" ")


def test_a_configured_tsa_that_has_not_stamped_yet_promises_no_stamp_file():
    trust = {"timestamps": {"configured": True, "stamps": [], "unstamped": ["snp_a"]},
             "chain_range": {"first": 0, "last": 0, "count": 1}, "wacz": None}
    html = what_is_proven({"key_id": "k1", "public_key": "PK"}, trust, {"snp_a": 1}, {"captures"})
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    assert "尚未盖时间戳" in text and "not stamped yet" in text
    assert ".tsr" not in text and "openssl" not in text and "screenshots/" not in text and "archive.wacz" not in text
    assert "kadun verify 证据包.zip --key PK" in text
