"""The fast paths (one scan over joined strings instead of a call per line, label or element) give
exactly what the plain per-item rule gives, on every labelled page and on hand-made edge cases."""
from __future__ import annotations

import re

import pytest

from scrapers import labels as L
from scrapers.document import Document
from scrapers.joined import matching_labels as _matching
from scrapers.sites import context, pick
from scrapers.text.phrases import _ALL_HINTS, TRIGGER, fold, hints_in, lines_with_hints
from scrapers.text.rules import mechanism

from .helpers import FIXTURES, OWN_PAGES, labelled_pages

PAGES = labelled_pages(FIXTURES) + labelled_pages(OWN_PAGES)


def _doc(page) -> Document:
    _, path, url, _ = page
    return Document(path.read_bytes().decode("utf-8", errors="replace"), url)


def _hints_by_regex(line: str) -> set[str]:
    return {h for h in _ALL_HINTS if re.search(re.escape(h), line, re.I)}


EDGE_LINES = ["", "秒发", "PAY NOW", "ΙNSTANT DELIVERY", "İnstant delivery", "ınstant", "ſhared account",
              "Never\nexpires", "永久\n稳定", "100% genuine", "Don't pay outside", "\u212aey instant", "终身质保 7天包换"]


@pytest.mark.parametrize("line", EDGE_LINES)
def test_hints_in_is_the_case_insensitive_search(line):
    assert hints_in(line) == _hints_by_regex(line)
    assert bool(hints_in(line)) == bool(TRIGGER.search(line))
    assert len(fold(line)) == len(line)


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_hints_in_every_line_of_every_page_is_the_case_insensitive_search(page):
    doc = _doc(page)
    for line in doc.lines:
        for text in (line.text, line.norm):
            assert hints_in(text) == _hints_by_regex(text)


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_lines_with_hints_are_the_lines_with_any_hint(page):
    lines = [line.text for line in _doc(page).lines] + EDGE_LINES
    assert lines_with_hints(lines) == [i for i, text in enumerate(lines) if hints_in(text)]
    assert lines_with_hints(lines) == [i for i, text in enumerate(lines) if TRIGGER.search(text)]


BOUNDARY_LINES = ["please pay", "outside", "never", "expires", "never expires", "pay", " now", "无", "x pay", "自动发",
                  "货", "it is never", "expires soon", "p", "ay now"]


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_lines_with_hints_of_the_joined_page_are_the_lines_with_any_hint(page):
    from scrapers.text.phrases import lines_with_hints_in

    doc = _doc(page)
    assert len(doc.starts) == len(doc.lines) + 1 and doc.starts[-1] == len(doc.text) + 1
    assert all(doc.text[doc.starts[i]:doc.starts[i + 1] - 1] == line.text for i, line in enumerate(doc.lines))
    assert lines_with_hints_in(doc.low, doc.starts) == lines_with_hints([line.norm for line in doc.lines])
    # hints holding a space ("pay ", "never expires") across a line's end are not in that line
    lines = [line.text for line in doc.lines[:50]] + BOUNDARY_LINES + EDGE_LINES
    joined = Document("".join(f"<p>{text}</p>" for text in lines), "")
    assert lines_with_hints_in(joined.low, joined.starts) == lines_with_hints([line.norm for line in joined.lines])


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_find_all_matches_fullmatch_per_label(page):
    doc = _doc(page)
    labels = {}
    for pair in doc.pairs:
        labels.setdefault(pair.label, []).append(pair)
    joined = "\n".join(labels)
    patterns = [v for v in vars(L).values() if isinstance(v, re.Pattern)] + [p for _, p in L.TIME_ROLES]
    for pattern in patterns:
        assert _matching(pattern, labels, joined) == [k for k in labels if pattern.fullmatch(k)]


def test_matching_falls_back_when_a_match_would_span_labels():
    labels = {"a": [], "b": [], "a-b": []}
    spanning = re.compile(r"a\Wb")  # \W matches the newline between two labels
    assert _matching(spanning, labels, "\n".join(labels)) == ["a-b"]
    anchored = re.compile(r"^a-b")
    assert _matching(anchored, labels, "\n".join(labels)) == ["a-b"]


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_with_class_matches_a_search_per_element(page):
    doc = _doc(page)
    for parts in [("price", "Price"), ("qq", "wechat", "tg", "tel"), ("order-item",), ("name", "title"), ("zz-none",),
                  ("telegram", "tel", "nickname", "name", "name")]:
        pattern = re.compile("|".join(map(re.escape, parts)))
        expected = [el for el in doc.root.iter() if isinstance(el.tag, str) and (el.get("class") is not None or
                    el.get("id") is not None) and pattern.search((el.get("class") or "") + " " + (el.get("id") or ""))]
        assert doc.with_class(*parts) == expected
        assert doc.with_class(*parts) == expected  # the cached answer is a fresh list, the same


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_flags_match_the_plain_searches(page):
    site = pick(_doc(page))
    assert context.flags_in(site.doc.ntext) == context.flags_in(site.doc.ntext, precheck=False)


def test_every_mechanism_match_holds_one_of_its_words():
    """The keyword pre-check is exact: every match of a mechanism's patterns on any labelled page
    contains one of the words the table lists for it (else the pre-check would skip a page)."""
    for name in context.MECHANISMS:
        yes, no, yes_words, no_words, _ = mechanism(name)
        for page in PAGES:
            text = _doc(page).ntext
            for pattern, words in ((yes, yes_words), (no, no_words)):
                for m in pattern.finditer(text):
                    assert any(w in fold(m.group(0)) for w in words), (name, m.group(0))


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_known_label_is_the_plain_regex_on_every_line(page):
    from scrapers.document import _norm_label

    for line in _doc(page).lines:
        for text in (line.norm, line.norm[:24], line.norm.split(" ")[0]):
            label = _norm_label(text) if text else text
            assert L.known_label(label) == bool(L.KNOWN_LOW.fullmatch(label)), label
            assert L.known_label(label, whole=False) == bool(L.KNOWN_LOW.match(label)), label


def test_first_chars_of_a_pattern_and_where_they_are_not_known():
    assert L.first_chars(re.compile(r"ab|c[de]|(?:x?y)+z")) == frozenset("acxy")
    assert L.first_chars(re.compile(r"[a-c]?d")) == frozenset("abcd")
    for unknown in (r"a?", r".b", r"\db", r"[^a]b", r"(?=a)a", r"^a", r"(?i:a)b"):
        assert L.first_chars(re.compile(unknown)) is None, unknown
    assert L.first_chars(re.compile("a", re.I)) is None
    assert L.first_chars(L.KNOWN_LOW)  # the label union has a known, small set of first characters


TRICKY = ["İnstant delivery", "ınstant", "ſhared", "\u212aeys delivered instantly", "INSTANT DELIVERY", "Delivered WITHIN 24 HOURS",
          "NO REFUND", "Lifetime WARRANTY", "24 Hours Replacement"]


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_rows_without_case_find_what_the_case_insensitive_rows_find(page):
    from scrapers.text.normalise import numerals
    from scrapers.text.phrases import RULES

    texts = [numerals(line.norm, line.text).text for line in _doc(page).lines] + TRICKY
    for rule in [rule for rule in RULES if rule.low is not None]:  # (a row with capitals runs with re.I)
        for text in texts:
            want = [(m.span(), m.groupdict()) for m in rule.pattern.finditer(text)]
            got = [(m.span(), {k: v.lower() if k == "u" and v else v for k, v in m.groupdict().items()})
                   for m in rule.low.finditer(fold(text))]
            want = [(span, {k: v.lower() if k == "u" and v else v for k, v in groups.items()}) for span, groups in want]
            assert got == want, (rule.name, text)


def test_without_case_only_for_patterns_whose_letters_are_lower_case():
    from scrapers.regexes import without_case

    assert without_case(re.compile(r"(?:instant|auto)\s+delivery|自动发货", re.I)).flags & re.I == 0
    for cased in (r"UTC", r"[A-Z]{3}", r"µs", r"(\w)\1", r"(?i:x)y"):
        assert without_case(re.compile(cased, re.I)) is None, cased
    assert without_case(re.compile(r"abc")) is None  # (already without re.I)
    for text in ["İ", "ı", "ſ", "\u212a", "I", "S", "K"]:
        for letter in "isk":
            assert bool(re.fullmatch(letter, text, re.I)) == (fold(text) == letter), (letter, text)


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_mechanism_patterns_without_case_find_the_same_spans(page):
    doc = _doc(page)
    for name in context.MECHANISMS:
        yes, no, _, _, yes_low, no_low = context._mechanism(name)
        for original, low in ((yes, yes_low), (no, no_low)):
            if low is not None:
                for text in (doc.ntext, *TRICKY):
                    assert [m.span() for m in low.finditer(fold(text))] == [m.span() for m in original.finditer(text)]


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_multi_merchant_words_without_case_find_the_same_spans(page):
    from scrapers.sites.seller import _MULTI_MERCHANT, _MULTI_MERCHANT_LOW

    assert _MULTI_MERCHANT_LOW is not None
    doc = _doc(page)
    assert len(doc.low) == len(doc.ntext)
    for text in (doc.ntext, *TRICKY, "商家ID 12", "SELL ON ſhop", "Seller İD", "卖家Id"):
        low = doc.low if text is doc.ntext else fold(text)
        assert [m.span() for m in _MULTI_MERCHANT_LOW.finditer(low)] == [m.span() for m in _MULTI_MERCHANT.finditer(text)]


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_icp_is_the_plain_search(page):
    from scrapers.text.site import ICP_RE, find_icp

    doc = _doc(page)
    for text in (doc.text, "ICP " + doc.text, doc.text + " 沪ICP备12345678号", "ICP备案：闽ICP备19023567号"):
        m = ICP_RE.search(text)
        assert find_icp(text) == (re.sub(r"\s+", "", m.group(0)) if m else None)


def test_needed_strings_are_in_every_match():
    from scrapers.regexes import may_match, needed_strings

    assert needed_strings(re.compile(r"ab(c|d)e")) == frozenset({"ab"})
    assert needed_strings(re.compile(r"x(?:foo|bar)+y")) == frozenset({"foo", "bar"})
    assert needed_strings(re.compile(r"zfaka|zlkb\.net")) == frozenset({"faka", "lkb.net"})
    for unknown in (r"\d+", r"(?:ab)?", r"a|\w", r"ab", ):
        pattern = re.compile(unknown)
        assert needed_strings(pattern) in (None, frozenset({"ab"}))
    assert needed_strings(re.compile("abc", re.I)) is None
    assert not may_match(re.compile(r"/buy/\d+"), "/item/12") and may_match(re.compile(r"/buy/\d+"), "/buy/x")


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_fingerprint_marks_are_the_plain_searches(page):
    from scrapers.sites import acg_faka, caihong, card_system, dujiaoka, qs_faka, zfaka

    doc = _doc(page)
    patterns = [m for _, m, _ in dujiaoka._MARKERS] + [acg_faka._ROUTES, acg_faka._GENERATOR, qs_faka._FINGERPRINT,
                                                         zfaka._ROUTES, zfaka._GENERATOR, card_system._ROUTES,
                                                         card_system._GENERATOR, caihong._ROUTES, caihong._GENERATOR]
    parts = doc.fingerprint_parts()
    for pattern in patterns:
        for name in parts:
            assert doc.marked(pattern, name) == bool(pattern.search(parts[name]))


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_hidden_within_is_the_plain_ancestor_check(page):
    from scrapers.visible import SKIP_TAGS, hidden_within, is_hidden

    def plain(el):
        while el is not None:
            if isinstance(el.tag, str) and (el.tag in SKIP_TAGS or is_hidden(el)):
                return True
            el = el.getparent()
        return False

    doc = _doc(page)  # (its walk remembered the hidden elements of its tree)
    for el in doc.root.iter():
        assert hidden_within(el) == plain(el)


def test_class_lookups_see_every_element_hidden_or_not():
    html = "<body>" + "<p>x</p>" * 60_005 + '<div class="goods-name">late</div><div hidden><b id="x-price">9</b></div></body>'
    doc = Document(html, "https://shop.example.com/")
    assert 60_000 < len(doc.lines) < 60_005  # (the walk stops past _MAX_LINES lines)
    assert [el.text for el in doc.with_class("goods-name", "price")] == ["late", "9"]
    small = Document('<div hidden><i class="logo">a</i></div><script class="logo"></script><p class="logo">b</p>', "")
    assert [el.tag for el in small.with_class("logo")] == ["i", "script", "p"]
    # values holding newlines, a fragment twice in one value, hits in the first and the last value
    lined = Document('<p class="logo\nx logo">a</p><b class="y\n\nz">b</b><i id="z-logo">c</i><u class="logo">d</u>', "")
    assert [el.tag for el in lined.with_class("logo")] == ["p", "i", "u"]
    assert [el.tag for el in lined.with_class("z", "y")] == ["b", "i"]


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_price_check_on_libxml2_text_is_the_check_on_joined_itertext(page):
    doc = _doc(page)
    extra = Document("<div>¥<!-- 5 -->x<b>1</b> 元<script>var s='$9'</script></div><p>¥</p>", "").root
    for el in [*doc.root.iter(), *extra.iter()]:
        if isinstance(el.tag, str):
            assert bool(context._PRICE.search(context._text(el))) == bool(context._PRICE.search(" ".join(el.itertext())))


def _mostly_english_by_regex(text: str) -> bool:
    sample = text[:4000]
    latin = len(re.findall(r"[A-Za-z]", sample))
    return latin > 200 and len(re.findall(r"[\u4e00-\u9fff]", sample)) < latin / 20


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_mostly_english_counts_the_letters_a_regex_counts(page):
    from scrapers.document import _mostly_english

    doc = _doc(page)
    assert _mostly_english(doc.text) == _mostly_english_by_regex(doc.text)
    for text in ("a" * 201, "a" * 200, "Ａ" * 300, "é" * 300 + "a" * 150, "\u212a" * 300, "a" * 210 + "中" * 11,
                 "a" * 210 + "中" * 10, "x" * 3990 + "y" * 300):
        assert _mostly_english(text) == _mostly_english_by_regex(text)



@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_copyright_anchors_are_the_plain_alternation(page):
    from scrapers.text.site import _ANCHOR, ANCHOR_PLAIN

    plain = re.compile(ANCHOR_PLAIN)
    for text in (_doc(page).text.lower(), "(c)(ｃ)（c）﹙ｃ﹚ ⒞ © copyright ｃｏｐｙｒｉｇｈｔ copyrigh (c 版权所有 版权 cc©(c)",
                 "ccopyright((c))版版权所有", "版权2026-2025年 版权 2026 版权"):
        assert [m.span() for m in _ANCHOR.finditer(text)] == [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_a_page_whose_fold_is_itself_has_lines_whose_fold_is_themselves(page):
    from scrapers.text.normalise import fold as script_fold

    doc = _doc(page)
    if doc.ntext is doc.text:  # (then the label-only check of a line skips its fold)
        assert all(script_fold(line.text) == line.text for line in doc.lines)
    else:
        assert any(script_fold(line.text) != line.text for line in doc.lines)


def test_a_page_with_one_traditional_or_full_width_character_is_not_plain():
    for odd in ("訂單", "ＱＱ", "１２"):
        doc = Document(f"<p>商品名称</p><p>数量</p><p>{odd}</p>", "")
        assert doc.ntext is not doc.text
    plain = Document("<p>商品名称</p><p>数量</p>", "")
    assert plain.ntext is plain.text


def _every_start(pattern: re.Pattern, text: str) -> list[tuple[int, str]]:
    out, m = [], pattern.search(text)
    while m is not None:
        out.append((m.start(), m.group()))
        m = pattern.search(text, m.start() + 1) if m.start() < len(text) else None
    return out


TRIE_WORDS = [["自动发货", "自动", "发货", "发", "a.b", "a", "a+", "(x)", "never expires", "never", "n't", "ab", "abc"],
              ["", "x", "xy"], ["same", "same", "s"], ["单"]]


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_hint_trie_finds_what_the_longest_first_alternation_finds(page):
    from scrapers.regexes import literal_trie
    from scrapers.text.phrases import _HINT_RE

    alternation = re.compile("|".join(map(re.escape, _ALL_HINTS)))
    doc = _doc(page)
    for text in (fold("\n".join(line.norm for line in doc.lines)), *map(fold, TRICKY)):
        assert _every_start(_HINT_RE, text) == _every_start(alternation, text)
    probe = "自动发货 自动发 发 a.b a+ ab abc abd (x) never expires never n't same s xy x 单 " + doc.low[:2000]
    for words in TRIE_WORDS:
        trie = re.compile(literal_trie(words))
        plain = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))
        assert _every_start(trie, probe) == _every_start(plain, probe)
        assert [m.span() for m in trie.finditer(probe)] == [m.span() for m in plain.finditer(probe)]


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_contact_label_hint_is_the_case_insensitive_search(page):
    from scrapers.text.contacts import _LABEL_HINT, _LABEL_HINT_LOW, _has_label_hint

    assert _LABEL_HINT_LOW is not None
    doc = _doc(page)
    labels = [p.label for p in doc.pairs] + [p.raw_label for p in doc.pairs] + [line.text[:20] for line in doc.lines]
    edge = ["ＱＱ", "Ｑｑ", "ｑＱ", "客服ｑｑ", "Q Q", "q\tq", "WeChat", "TELEGRAM", "ſkype", "\u212aakao", "İine", "ıine",
            "E-MAIL", "Tel", "电话", "WhatsApp", "Line ID", "Discord", "QQ号", "qQ", ""]
    for label in labels + edge:
        assert _has_label_hint(label) == (_LABEL_HINT.search(label) is not None), label



@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_scope_words_without_case_on_the_page_copy_are_the_plain_searches(page):
    from scrapers.text.phrases import QUOTING, TICKER

    assert context._QUOTING_LOW is not None and context._TICKER_LOW is not None
    doc = _doc(page)
    for i, line in enumerate(doc.lines):
        lowered = doc.low[doc.starts[i]:doc.starts[i + 1] - 1]
        assert lowered == fold(line.norm)
        for plain, low in ((QUOTING, context._QUOTING_LOW), (TICKER, context._TICKER_LOW)):
            assert [m.span() for m in low.finditer(lowered)] == [m.span() for m in plain.finditer(line.norm)]
    for text in (*TRICKY, "JUST BOUGHT", "Beware of SCAMS", "ſcam", "Purchaſed", "BOUGHT"):
        for plain, low in ((QUOTING, context._QUOTING_LOW), (TICKER, context._TICKER_LOW)):
            assert [m.span() for m in low.finditer(fold(text))] == [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_order_word_on_the_page_copy_and_the_dash_check_are_the_plain_searches(page):
    from scrapers.sites.orders import _ORDER_WORD, _ORDER_WORD_LOW, _TRAILING_KEY

    assert _ORDER_WORD_LOW is not None
    doc = _doc(page)
    for line in doc.lines:
        found = _ORDER_WORD_LOW.search(doc.low, doc.starts[line.index], doc.starts[line.index + 1] - 1)
        assert (found.span() if found else None) == (lambda m: m and (m.start() + doc.starts[line.index],
                                                                      m.end() + doc.starts[line.index]))(
            _ORDER_WORD.search(line.norm))
        assert _TRAILING_KEY.search(line.text) is None or "-" in line.text
    for text in ("ORDER", "Orders", "ORDER\u212a", "订单", "ordEr"):
        assert bool(_ORDER_WORD_LOW.search(fold(text))) == bool(_ORDER_WORD.search(text))


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_hidden_elements_are_the_elements_that_are_hidden(page):
    from scrapers.document import parse_html
    from scrapers.visible import hidden_elements, is_hidden

    edge = parse_html('<div style="color:red"><p hidden>a</p><b style="DISPLAY : NONE" hidden="">x</b><i style="display:'
                      ' none">y</i><u style="">z</u><s hidden="false" style="display:block">w</s><!-- c --><q style="'
                      'Display:None;color:red">v</q></div>')
    for root in (_doc(page).root, edge):
        assert hidden_elements(root) == [el for el in root.iter() if isinstance(el.tag, str) and is_hidden(el)]


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_every_lines_norm_is_its_fold_of_the_whole_page(page):
    from scrapers.text.normalise import fold as script_fold

    doc = _doc(page)
    folded = script_fold("\n".join(line.text for line in doc.lines)).split("\n")
    assert [line.norm for line in doc.lines] == folded
    assert doc.ntext == " ".join(folded)
    merged = Document("<div>订<br>单<br>号：123</div><p>訂<br>單</p>", "")  # lines joined after a <br>
    assert [(line.text, line.norm) for line in merged.lines] == [("订 单 号：123", "订 单 号：123"), ("訂 單", "订 单")]


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_scan_given_the_lines_lower_cased_copy_finds_what_it_finds_alone(page):
    from scrapers.text.phrases import scan

    doc = _doc(page)
    for i, line in enumerate(doc.lines):
        lowered = doc.low[doc.starts[i]:doc.starts[i + 1] - 1]
        assert scan(line.text, norm=line.norm, low=lowered) == scan(line.text, norm=line.norm) == scan(line.text)
    for text in ("二十四小时内发货，不退款", "三天包换 ſ", "İ 24H delivery"):
        assert scan(text, norm=text, low=fold(text)) == scan(text)


def test_a_plain_page_holds_no_traditional_character():
    from scrapers.text.normalise import has_traditional

    for page in PAGES:
        doc = _doc(page)
        if doc.ntext is doc.text:  # (then the currency reading skips its look for traditional characters)
            assert not has_traditional(doc.text)


def test_rules_reached_from_a_hint_are_the_rules_of_the_hints_it_holds():
    from scrapers.text.phrases import _RULES_BY_HINT, _RULES_WITHIN, RULES

    for hint in _ALL_HINTS:
        held = {h for h in _ALL_HINTS if h in hint}
        assert _RULES_WITHIN[hint] == {i for h in held for i in _RULES_BY_HINT[h]}
        assert all(h in RULES[i].hints for h in held for i in _RULES_BY_HINT[h])


def _listing_parents_plain(site) -> set:
    """``context.listing_parents`` as a plain loop: each element's children grouped by (tag, class)
    in the order of their first child, a group of four or more with prices marks the element."""
    from scrapers import labels as L
    from scrapers.text.normalise import fold as script_fold

    found = set()
    for parent in site.doc.root.iter():
        groups: dict = {}
        for child in parent:
            if isinstance(child.tag, str) and (child.get("class") or child.tag in ("tr", "li")):
                groups.setdefault((child.tag, child.get("class") or ""), []).append(child)
        if any(len(items) >= context._LISTING_MIN and context._priced(items[:8], 4) for items in groups.values()):
            found.add(parent)
    for table in site.doc.tables:
        if len(table.rows) >= 2 and any(L.ITEM_NAME.fullmatch(script_fold("".join(h.split())).lower())
                                        for h in table.header):
            body = table.rows[0][0].getparent()
            if body is not None and all(tr.getparent() is body for tr, _ in table.rows):
                found.add(body)
    return found


LISTING_EDGES = [
    # classless rows and list items group together whether class is missing or empty; comments and
    # processing instructions between them are no item; a group of three is no listing
    "<table><tbody>" + "<tr><td>x</td><td>¥9</td></tr><!-- c --><tr class=''><td>y</td><td>¥8</td></tr>" * 2
    + "</tbody></table>",
    "<ul>" + "<li>a ¥1</li><?pi x?>" * 4 + "</ul><ol>" + "<li>a ¥1</li>" * 3 + "</ol>",
    # the first group is unpriced, the second priced; two tags with one class are two groups
    "<div>" + "<p class='k'>no price</p>" * 5 + "<span class='k'>9元</span>" * 4 + "</div>",
    "<div>" + "<p class='k'>9元</p><span class='k'>9元</span>" * 3 + "</div>",
    "<div>" + "<b>¥1</b>" * 6 + "</div>",  # no class and not a row: no group
]


@pytest.mark.parametrize("html", LISTING_EDGES)
def test_listing_parents_edge_cases_are_the_plain_grouping(html):
    site = pick(Document(html, "https://shop.example.com/"))
    assert context.listing_parents(site) == _listing_parents_plain(site)


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_listing_parents_are_the_plain_grouping(page):
    site = pick(_doc(page))
    assert context.listing_parents(site) == _listing_parents_plain(site)


def _gated_patterns() -> list[re.Pattern]:
    """Every case-free copy the rules run (``regexes.without_case`` gates them where re has no prefix)."""
    from scrapers.sites import orders, seller
    from scrapers.text import contacts
    from scrapers.text.phrases import RULES

    found = [rule.low for rule in RULES if rule.low is not None]
    for name in context.MECHANISMS:
        found += [p for p in context._mechanism(name)[4:] if p is not None]
    found += [context._QUOTING_LOW, context._TICKER_LOW, orders._ORDER_WORD_LOW, seller._MULTI_MERCHANT_LOW,
              contacts._LABEL_HINT_LOW]
    return [p for p in found if p is not None]


def _ungated(pattern: re.Pattern) -> re.Pattern:
    m = re.fullmatch(r"\(\?=\[[^\]]*(?:\\.[^\]]*)*\]\)\(\?:(.*)\)", pattern.pattern, re.S)
    return re.compile(m.group(1), pattern.flags) if m else pattern


def test_gates_are_where_re_has_no_prefix_of_its_own():
    from scrapers.regexes import gated

    patterns = _gated_patterns()
    assert sum(p is not _ungated(p) for p in patterns) >= 10  # (the phrase rows that start with optional groups)
    for plain in (r"自动发货|秒发", r"[ab]c", r"(?:x|y)z", "abc"):  # re skips to these itself: left as they are
        assert gated(re.compile(plain)) .pattern == plain
    for unknown in (r"a?", r".b", r"\db", r"(?:x)?", r"(?x) a b", r"(?i)ab|c"):  # no known first character
        assert gated(re.compile(unknown)).pattern == unknown
    assert gated(re.compile(r"(?:\d|x)y")).pattern == r"(?:\d|x)y"  # (a category: not simply known)
    assert gated(re.compile(r"(?:24小时)?自动发货")).pattern == r"(?=[2自])(?:(?:24小时)?自动发货)"
    # anchors and lookarounds consume nothing: the characters after them start the match
    assert gated(re.compile(r"(?:约)?(?<![0-9.])(?P<n>[0-9]+)天")).pattern.startswith("(?=[0123456789约])")
    assert gated(re.compile(r"(?:^|x)?\bab")).pattern == r"(?=[ax])(?:(?:^|x)?\bab)"
    assert gated(re.compile(r"^/item/\d+")).pattern == r"^/item/\d+"  # (anchored: re tries one position)


GATE_EDGES = ["", "x", "自动发货", "24小时自动发货", "7x24自动发卡", "全天自动发货", "1.5小时内发货", "a1天内售后", "0.5天", "..3天内",
              "永久包售后", "instant delivery", "auto-delivery 自动发货 自动发货", "限24小时内反馈", "收到后3天内联系", "é自动",
              "发货后48h内验货", "\n自动发货\n", "請勿"]


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_gated_patterns_find_what_the_plain_patterns_find(page):
    from scrapers.text.normalise import numerals

    lines = _doc(page).lines
    texts = [fold(numerals(line.norm, line.text).text) for line in lines] + [fold(t) for t in GATE_EDGES + TRICKY]
    texts.append(" ".join(texts))
    for pattern in _gated_patterns():
        plain = _ungated(pattern)
        for text in texts:
            assert [(m.span(), m.groups()) for m in pattern.finditer(text)] == [
                (m.span(), m.groups()) for m in plain.finditer(text)], (pattern.pattern[:60], text[:80])


def test_first_chars_past_anchors_and_lookarounds_only_when_asked():
    assert L.first_chars(re.compile(r"(?<![0-9])[0-9]+天")) is None
    assert L.first_chars(re.compile(r"(?<![0-9])[0-9]+天"), zero_width=True) == frozenset("0123456789")
    assert L.first_chars(re.compile(r"^a|\bb|(?=c)c|(?!d)e"), zero_width=True) == frozenset("abce")
    assert L.first_chars(re.compile(r"^$"), zero_width=True) is None  # (matches empty)


ARIA_EDGES = ('<ul><li aria-selected="true" aria-checked="true">a</li><li aria-selected="false">b</li>'
              '<li aria-pressed="true"><b aria-checked="true">c</b></li><li aria-pressed="TRUE">d</li>'
              '<li aria-checked=" true">e</li></ul><p aria-selected="true" hidden>f</p>')


@pytest.mark.parametrize("html", [p[1].read_bytes().decode("utf-8", errors="replace") for p in PAGES] + [ARIA_EDGES],
                         ids=[p[0] for p in PAGES] + ["edges"])
def test_aria_chosen_is_the_xpath_predicate(html):
    import lxml.etree as etree

    from scrapers.sites.base import aria_chosen

    root = Document(html, "https://shop.example.com/").root
    plain = etree.XPath("//*[@aria-checked='true' or @aria-selected='true' or @aria-pressed='true']")(root)
    assert aria_chosen(root) == plain
    if html is ARIA_EDGES:
        assert [el.text for el in plain] == ["a", None, "c", "f"]


STATUS_EDGES = [
    '<div class="order-status">已支付</div><span data-testid="pay-status">待付款</span>',  # both: document order
    '<span data-testid="pay-status">待付款</span><div class="order-status">已支付</div>',
    '<p data-testid="order-status-x" class="status-text">已完成</p><i data-testid="status-badge">已退款</i>',  # one element both ways
    '<b data-testid="trade-status">已发货</b><b data-testid="order-status">已支付</b>',  # data-testid only
    '<b class="x-status">no</b><em id="status-label">已关闭</em>',  # class/id only
]


@pytest.mark.parametrize("html", [p[1].read_bytes().decode("utf-8", errors="replace") for p in PAGES] + STATUS_EDGES,
                         ids=[p[0] for p in PAGES] + [f"edge{i}" for i in range(len(STATUS_EDGES))])
def test_status_hint_is_the_search_in_document_order(html):
    site = pick(Document(html, "https://shop.example.com/order/1"))
    root = site.doc.root
    plain = None
    for el in root.iter():  # every element whose class, id or data-testid holds "status", in order
        if not isinstance(el.tag, str):
            continue
        hint = " ".join(el.get(a) or "" for a in ("class", "id", "data-testid"))
        if "status" in (el.get("class") or "") + " " + (el.get("id") or "") or "status" in (el.get("data-testid") or ""):
            if re.search(r"(?:order|trade|pay)[-_]*status|status[-_]*(?:badge|tag|label|text|title|desc|name|info)",
                         hint.lower()):
                text = " ".join(el.itertext()).strip()
                plain = context.orders.map_status(text) if len(text) <= 20 else None
                if plain:
                    break
    assert site.status_hint() == plain


@pytest.mark.parametrize("text", ["", "Order ID: 123", "PAY NOW  \n\t~!@#$%^&*()", "".join(map(chr, range(128))),
                                  "订单", "Ｑ", "é", "\u3000", "保證金"])
def test_fold_of_ascii_text_is_the_text(text):
    from scrapers.text.normalise import fold as script_fold
    from scrapers.text.normalise import halfwidth, simplify

    assert script_fold(text) == halfwidth(simplify(text))
    if text.isascii():
        assert script_fold(text) is text
