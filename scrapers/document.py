"""Parse once: the tree, its visible text as lines, label/value pairs, header-row tables, fingerprints.

Visibility follows the labelling rules (contract/page-facts.md): nothing from scripts, styles,
templates, noscript or <head>, nothing under ``display:none`` or ``[hidden]``. Each line is a
contiguous run of visible text nodes joined by one space, so any span of a line is also a span of
the page's whole visible text (quotes stay verbatim).
"""
from __future__ import annotations

import bisect
import re
import threading
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import add, attrgetter, itemgetter
from urllib.parse import parse_qsl, urlsplit

import lxml.etree as etree

from .joined import matching_labels
from .labels import known_label
from .regexes import needed
from .tables import Table, header_tables
from .tags import tame_attributes
from .text import squash, strip_numbering
from .text.normalise import fold
from .visible import SKIP_TAGS, hidden_elements, is_hidden, remember

BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table", "tbody", "thead",
    "tfoot", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer",
    "nav", "aside", "main", "form", "fieldset", "legend", "blockquote", "pre", "address", "figure",
    "figcaption", "details", "summary", "option", "select", "textarea", "button", "hr", "body",
    "html", "marquee", "center", "title",
})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# a badge shown with a name (el-tag, badge, label-success, pill, chip): not part of the name
BADGE_CLASS = re.compile(r"(?:^|[\s_-])(?:tag|badge|pill|chip|label-\w+|ico)(?:$|[\s_-])", re.I)  # (ico_safe: 안전거래)
_LABEL_COLON = re.compile(
    r"(?:(?<=[\s。，；;,！!）)】])|^)(?P<label>(?:[\u4e00-\u9fff]{1,2} )*"
    r"(?=[^\s：:]*[A-Za-z\u4e00-\u9fff])[^\s：:，。,;；|()（）【】\[\]]{1,16}"
    r"(?: [A-Za-z][A-Za-z]{0,12}){0,3}(?:(?<=[A-Za-z]) [\u4e00-\u9fff]{1,4})?)\s*(?:(?<![0-9])[：:]|[：:](?![0-9]))(?!//)")  # (3:06 is a clock)
# (a Latin channel name may take a Chinese role word: "WhatsApp 客服：+852 …")
_MAX_LINES = 60_000  # lines beyond this are ignored: pathological pages get partial facts


@dataclass(slots=True)
class Line:
    """A run of visible text between two block boundaries. ``norm`` is its normalised copy
    (simplified characters, ASCII digits and letters: ``normalise.fold``), offset for offset the
    same, so a rule matches ``norm`` and takes the page's own characters from ``text``."""

    text: str
    el: object  # the element holding the first text node
    index: int = 0
    norm: str = ""


@dataclass(slots=True)
class Pair:
    """One label/value pair as the page shows it (label without its colon or numbering)."""

    label: str  # normalised: no whitespace
    raw_label: str
    value: str
    line: int
    el: object = None


class Document:
    """One parsed page. Built once per ``extract`` call; every extractor reads from it."""

    def __init__(self, html: str, url: str):
        self.url = url or ""
        parts = urlsplit(self.url) if self.url else None
        self.path = parts.path if parts else ""
        self.query = dict(parse_qsl(parts.query)) if parts else {}
        # a single-page app's route lives in the fragment (/#/7/pay, /#!/order/detail?no=…)
        fragment = (parts.fragment if parts else "").lstrip("!")
        self.route = self.path
        if fragment.startswith("/"):
            route, _, query = fragment.partition("?")
            self.route = route
            self.query = {**self.query, **dict(parse_qsl(query))}
        self.raw = html
        self.root = parse_html(html)
        self.title = ""
        self.later_titles: list[str] = []
        self.lines: list[Line] = []
        self.links: list[tuple[str, object]] = []  # (href, element) of visible links
        self.assets: list[str] = []  # src/href of scripts, styles, images
        self.meta: dict[str, str] = {}
        if self.root is not None:
            self._walk()
        self.text = " ".join(map(_TEXT, self.lines))
        self.ntext = self._normalise()  # same length as self.text: one offset serves both
        self.pairs = self._pairs()
        self._tables = None
        self._by_label: dict | None = None
        self._labels = ""
        self._found: dict = {}
        self._fingerprint: str | None = None
        self._low: str | None = None
        self._parts: dict | None = None
        self._classed: tuple | None = None
        self._with_class: dict = {}
        self._starts: list[int] | None = None
        self.lang_en = _mostly_english(self.text)

    # ---- building -------------------------------------------------------------------------
    def _walk(self) -> None:
        root = self.root
        titles = [squash(el.text) for el in root.iter("title") if el is not root and el.text]
        if titles:
            self.title = titles[0]
        self.later_titles = titles[1:5]  # a template that prints a second <title> (the site's, after the page's)
        for meta in root.iter("meta"):
            name = (meta.get("name") or meta.get("property") or "").lower()
            if name:
                self.meta[name] = meta.get("content") or ""
        for el in root.iter("script", "link", "img", "source", "form"):
            src = el.get("src") or el.get("href") or el.get("action")
            if src and not src.startswith("data:"):
                self.assets.append(src)
                if len(self.assets) > 400:
                    break
        lines = self.lines
        buf: list[str] = []  # text nodes of the line being built
        first = None  # the element holding the line's first text
        soft = False  # the line started after a <br>
        full = False  # more than _MAX_LINES lines: the walk stops at the next end event

        def flush(first, soft: bool) -> None:  # (the caller clears buf and resets ``first`` and ``soft``)
            text = " ".join(" ".join(buf).split())  # str.split's whitespace is re's \s: same as squash
            if text:
                prev = lines[-1] if lines else None
                if prev is not None and soft and _short_fragment(prev.text):
                    prev.text = prev.norm = prev.text + " " + text  # "订<br>单<br>号：" is one label
                else:
                    lines.append(Line(text, first, len(lines), text))  # (``norm``: refolded if the page needs it)

        hidden = set(hidden_elements(root))  # (so the walk asks no element for its attributes)
        remember(root, hidden)
        custom: dict = {}  # custom elements (uni-view, taro-view-core): blocks by their name, once per tag
        blocks = dict.fromkeys(BLOCK_TAGS, True)  # tag → lays out as a block (answered once per tag)
        # comments and processing instructions have no start/end events, only their own: their text
        # is not visible but their tail is ("自动发货<!-- c -->自动发货" shows both words)
        walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
        skip_tags, links, append = SKIP_TAGS, self.links, buf.append
        skip = walker.skip_subtree
        for event, el in walker:
            if event == "start":
                tag = el.tag
                if tag.__class__ is not str or tag in skip_tags or (hidden and el in hidden):
                    skip()  # no text, and no block flush at its end
                    continue
                if tag == "a":
                    href = el.get("href")
                    if href:
                        links.append((href, el))
                block = blocks.get(tag)
                if block is None:
                    block = blocks[tag] = "-" in tag and _custom_block(tag, custom)
                if block or tag == "br":
                    if buf:
                        flush(first, soft)
                        buf.clear()
                        first = None
                        full = len(lines) > _MAX_LINES  # (read at the next end: lines grow only here and there)
                    soft = not block  # a block starts a line afresh; a <br> only breaks it
                text = el.text
                if text and not text.isspace():
                    if first is None:
                        first = el
                    append(text)
                continue
            if event == "end":
                if buf:
                    block = blocks.get(el.tag)
                    if block is None:
                        tag = el.tag
                        block = blocks[tag] = "-" in tag and _custom_block(tag, custom)
                    if block and not (hidden and el in hidden):  # a skipped block: no flush
                        flush(first, soft)
                        buf.clear()
                        first, soft = None, False
                        full = len(lines) > _MAX_LINES
                tail = el.tail
                if tail and not tail.isspace():
                    if first is None:  # the tail's text belongs to the enclosing element
                        parent = el.getparent()
                        first = parent if parent is not None else el
                    append(tail)
                if full:
                    break
                continue
            tail = el.tail  # a comment's or processing instruction's tail
            if tail and not tail.isspace():
                if first is None:
                    parent = el.getparent()
                    first = parent if parent is not None else el
                append(tail)
        if buf:
            flush(first, soft)  # a line's index is its position: lines are only appended, never removed

    def _normalise(self) -> str:
        """Fold every line once (one call over the joined text; most pages need no change at all)."""
        joined = "\n".join(map(_TEXT, self.lines))
        folded = fold(joined)
        if folded is joined:
            return self.text  # (every line's ``norm`` is its text since ``flush`` made it)
        for line, norm in zip(self.lines, folded.split("\n"), strict=True):
            line.norm = norm
        return " ".join(map(_NORM, self.lines))

    def _pairs(self) -> list[Pair]:
        pairs: list[Pair] = []
        lines = self.lines
        memo: dict = {}  # per page (a benchmark repeating one page must not ride on a warm cache)
        last = len(lines) - 1
        # no line holds a character ``fold`` changes (the page's fold gave back its own text, which
        # happens only then): a line's fold is the line itself, so it need not be asked again
        plain = self.ntext is self.text
        for i, line in enumerate(lines):
            el = line.el
            tag = el.tag if el is not None else None  # (read once: lxml builds the string on each read)
            may_label = el is None or tag not in _NOT_LABELS  # a menu link or button names nothing
            key = (line.text, may_label)
            found = memo.get(key)
            if found is None:
                found = memo[key] = _line_pairs(line.text, line.norm, may_label)
            for raw, norm, value, needs_next in found:
                if needs_next:
                    if tag == "label":
                        shown = _shown_input_value(el)  # layui forms: <label>商品单价</label> <input readonly value>
                        if shown:
                            pairs.append(Pair(norm, raw, shown, i, el))
                            continue
                    if tag == "th" and _header_cell(el):
                        continue  # a column name of a table's header row: its values are in the rows below
                    before = self._tile_value(i, memo)
                    if before is not None:  # a stat tile: the number above its caption ("98,412" / "Sales")
                        pairs.append(Pair(norm, raw, before, i, el))
                        continue
                    nxt = lines[i + 1].text if i < last else ""
                    if not nxt or _label_only(nxt, memo, plain):
                        continue  # a header cell or form label beside another names no value
                    value = nxt  # dt/dd, th/td, "订单金额：" then its value on the next line
                pairs.append(Pair(norm, raw, value, i, el))
        return pairs

    def _tile_value(self, i: int, memo: dict) -> str | None:
        """The value of a caption that follows it inside one small box (a stat tile: ``<div><b>98,412</b>
        <span>Sales</span></div>``): the box (the caption's parent or grandparent) holds the line
        before, which is a number, and neither the line after nor the one before that."""
        lines = self.lines
        if i == 0:
            return None
        prev, el = lines[i - 1], lines[i].el
        text = prev.text
        if el is None or prev.el is None or len(text) > 24 or "：" in text or ":" in text or not any(
                map(str.isdigit, text)):
            return None  # (a tile's value is a number: "98,412", "4.9", "¥5000.00", "2023-06-18")
        box = None
        p1 = el.getparent()
        p2 = p1.getparent() if p1 is not None else None
        q = prev.el
        for _ in range(4):  # the caption's parent or grandparent holds the number's element
            if q is None:
                break
            if q is p1 or q is p2:
                box = q
                break
            q = q.getparent()
        if box is None:
            return None
        for j in (i + 1, i - 2):  # the box holds only the value and its caption
            if 0 <= j < len(lines) and lines[j].el is not None:
                r = lines[j].el
                for _ in range(5):
                    if r is None:
                        break
                    if r is box:
                        return None
                    r = r.getparent()
        return text

    @property
    def low(self) -> str:
        """``ntext`` lower-cased the way the hint scans need it (``phrases.fold``), made once."""
        if self._low is None:
            from .text.phrases import fold as case_fold

            self._low = case_fold(self.ntext)
        return self._low

    # ---- reading --------------------------------------------------------------------------
    @property
    def starts(self) -> list[int]:
        """Where each line starts in ``self.text`` (lines are joined by one space), then one past the
        end of the text (``len(lines) + 1`` offsets, summed in C)."""
        if self._starts is None:
            self._starts = list(accumulate(map(add, map(len, map(_TEXT, self.lines)), repeat(1)), initial=0))
        return self._starts

    def line_at(self, offset: int) -> Line:
        """The line holding character ``offset`` of ``self.text`` (lines are joined by one space)."""
        return self.lines[min(max(0, bisect.bisect_right(self.starts, offset) - 1), len(self.lines) - 1)]

    def find(self, pattern: re.Pattern, *, start: int = 0) -> Pair | None:
        """The first pair whose normalised label matches ``pattern`` entirely."""
        for pair in self.find_all(pattern):
            if pair.line >= start:
                return pair
        return None

    def find_all(self, pattern: re.Pattern) -> list[Pair]:
        """Every pair whose normalised label matches ``pattern`` entirely, in page order."""
        found = self._found.get(pattern)
        if found is None:
            if self._by_label is None:
                self._by_label = {}
                for pair in self.pairs:
                    self._by_label.setdefault(pair.label, []).append(pair)
                self._labels = "\n".join(self._by_label)  # labels hold no whitespace
            by_label = self._by_label
            found = sorted((p for label in matching_labels(pattern, by_label, self._labels) for p in by_label[label]),
                           key=_LINE)
            self._found[pattern] = found
        return found

    @property
    def tables(self) -> list[Table]:
        if self._tables is None:
            self._tables = header_tables(self.root) if self.root is not None else []
        return self._tables

    def with_class(self, *parts: str) -> list:
        """Elements whose class or id contains one of ``parts`` (filtered in C by XPath)."""
        if self.root is None:
            return []
        found = self._with_class.get(parts)
        if found is not None:
            return list(found)
        if self._classed is None:  # one C-level pass; each lookup then scans one joined string
            try:
                values = _CLASSED(self.root)  # every class and id value, in document order
            except Exception:  # XPath on a pathological tree
                values = []
            self._classed = (values, "\0".join(values))  # (libxml2's values hold no NUL; they may hold newlines)
        values, joined = self._classed
        # fragments hold no NUL, so a value is hit exactly when it holds one: each fragment is looked
        # for with str.find (a C scan; a regex alternation of literals tries every branch at every
        # character), skipping to the next value after a hit; a hit's value is the count of separators
        # before it (a C count from the last hit on, no table of offsets built per page); only a hit
        # value is asked for its element (an element with both a class and an id once)
        hits: set[int] = set()
        find, count = joined.find, joined.count
        for part in _fragments(parts):
            if not part:  # (an empty fragment is in every value)
                hits.update(range(len(values)))
                break
            at, index, pos = find(part), 0, 0
            while at >= 0:
                index += count("\0", pos, at)
                hits.add(index)
                pos = find("\0", at) + 1  # the next value's start (0: this was the last one)
                if not pos:
                    break
                index += 1
                at = find(part, pos)
        found = self._with_class[parts] = list(dict.fromkeys(values[i].getparent() for i in sorted(hits)))
        return list(found)

    @staticmethod
    def first_text(el) -> str:
        """The first visible text node inside ``el`` ("北极星游戏工作室" of ``<h1>北极星…<span>金牌商家</span>``);
        a badge before the name (``<h1><span class="el-tag">官方验号</span>【原神】…</h1>``) is not it,
        unless nothing else is there."""
        badge = ""
        badges: set = set()
        for node in el.iter():
            if node is not el and (not isinstance(node.tag, str) or node.tag in SKIP_TAGS or is_hidden(node)):
                continue
            inside = node.getparent() in badges
            if node is not el and (inside or BADGE_CLASS.search(node.get("class") or "")):
                badges.add(node)
                if node.text and node.text.strip() and not badge:
                    badge = squash(node.text)
            elif node.text and node.text.strip() and (node is el or isinstance(node.tag, str)):
                return squash(node.text)
            if node is not el and node.tail and node.tail.strip() and node.getparent() not in badges:
                return squash(node.tail)
        return badge

    def classes(self, el) -> str:
        return ((el.get("class") or "") + " " + (el.get("id") or "")).lower()

    def ancestors(self, el, limit: int = 40):
        count = 0
        while el is not None and count < limit:
            yield el
            el = el.getparent()
            count += 1

    def fingerprint(self) -> str:
        """Asset paths, link targets, meta values, footer text and the URL, lower-cased, for ``matches``."""
        if self._fingerprint is None:
            self._fingerprint = self._build_fingerprint()
        return self._fingerprint

    def _build_fingerprint(self) -> str:
        # lower-cased part by part (ASCII parts take str.lower's fast path); a space is no case context
        return " ".join(self.fingerprint_parts().values())

    def fingerprint_parts(self) -> dict[str, str]:
        """The fingerprint's parts apart, lower-cased: ``assets`` (scripts, styles, images, form
        actions), ``links`` (visible link targets), ``meta``, ``tail`` (the last 40 lines' text) and
        ``url``. A route or asset mark counts where the page uses it, not where its text names it."""
        if self._parts is None:
            self._parts = {
                "assets": " ".join(self.assets[:400]).lower(),
                "links": " ".join(map(_HREF, self.links[:300])).lower(),
                "meta": " ".join(self.meta.values()).lower(),
                "tail": " ".join(map(_TEXT, self.lines[-40:])).lower(),
                "url": self.url.lower(),
            }
        return self._parts

    def marked(self, pattern: re.Pattern, *parts: str) -> bool:
        """``pattern`` is found in one of the named ``fingerprint_parts``."""
        found = self.fingerprint_parts()  # (a part holding none of the strings every match holds is skipped)
        strings = needed(pattern)  # (``may_match``, its strings looked up once for every part)
        for part in parts:
            text = found[part]
            if strings is None or any(s in text for s in strings):
                if pattern.search(text):
                    return True
        return False

    def element_text(self, el) -> list[str]:
        """The visible text lines inside ``el`` (br and newlines split lines)."""
        out: list[str] = []
        cur: list[str] = []

        def push():
            text = squash(" ".join(cur))
            if text:
                out.append(text)
            cur.clear()

        walker = etree.iterwalk(el, events=("start", "end", "comment", "pi"))
        for event, node in walker:
            tag = node.tag if isinstance(node.tag, str) else None
            if event in ("comment", "pi"):
                if node.tail:  # a comment's own text is not shown; the text after it is
                    parts = node.tail.split("\n")
                    for k, piece in enumerate(parts):
                        cur.append(piece)
                        if k < len(parts) - 1:
                            push()
                continue
            if event == "start":
                if tag is None or tag.lower() in SKIP_TAGS or is_hidden(node):
                    walker.skip_subtree()
                    continue
                if tag.lower() == "br" or tag.lower() in BLOCK_TAGS:
                    push()
                parts = (node.text or "").split("\n")
                for k, piece in enumerate(parts):
                    cur.append(piece)
                    if k < len(parts) - 1:
                        push()
            else:
                if tag is not None and tag.lower() in BLOCK_TAGS:
                    push()
                if node is not el and node.tail:
                    parts = node.tail.split("\n")
                    for k, piece in enumerate(parts):
                        cur.append(piece)
                        if k < len(parts) - 1:
                            push()
        push()
        return out


_TEXT, _NORM, _LINE, _HREF = attrgetter("text"), attrgetter("norm"), attrgetter("line"), itemgetter(0)
_FRAGMENTS: dict = {}


def _fragments(parts: tuple[str, ...]) -> tuple[str, ...]:
    """``parts`` without those that hold another of them ("telegram" holds "tel"): a value holding
    the longer one holds the shorter, so it is hit either way (once per tuple per process)."""
    found = _FRAGMENTS.get(parts)
    if found is None:
        found = _FRAGMENTS[parts] = tuple(dict.fromkeys(
            p for p in parts if not any(q != p and q in p for q in parts)))
    return found


_CLASSED = etree.XPath("descendant-or-self::*/@class|descendant-or-self::*/@id")  # values that know their element
# (smart strings; relative to the root element, which holds every element: a tenth faster than //@class|//@id)
_LOCAL = threading.local()  # lxml parsers must not be shared between threads


def parse_html(html: str):
    """libxml2's tree of ``html`` (one HTML parser per thread), or None for what it cannot read."""
    if not html or not isinstance(html, str):
        return None
    try:
        # (a start tag's hundreds of thousands of attributes cost libxml2 minutes: cut first)
        data = tame_attributes(html.encode("utf-8", errors="replace"))
        # plain etree parser: lxml.html's Python-level element class lookup costs more than the parse
        parser = getattr(_LOCAL, "parser", None)
        if parser is None:
            # (no ID table: nothing looks elements up by id, and building it costs a share of the parse)
            parser = _LOCAL.parser = etree.HTMLParser(encoding="utf-8", remove_comments=False, collect_ids=False)
        root = etree.fromstring(data, parser=parser)
    except Exception:
        return None
    return root


def _line_pairs(text: str, norm: str, may_label: bool) -> tuple[tuple[str, str, str, bool], ...]:
    """(raw label, normalised label, value, value is on the next line) found in one line: labels are
    read on its normalised copy ``norm`` (訂單編號 is 订单编号), raw labels and values are the page's
    own characters at the same offsets. Memoised per page: listings repeat the same short lines
    ("已售 0", "库存：充足") many times."""
    if not norm or len(norm) != len(text):
        norm = text
    if norm[0] in _NUMBER_START:
        stripped = strip_numbering(norm)
        text, norm = text[len(norm) - len(stripped):], stripped
    out = []
    matches = list(_LABEL_COLON.finditer(norm)) if ("：" in norm or ":" in norm) else None
    if matches and len(matches) > 1:
        # A value that has a colon of its own right after its label ("订单名称：黑神话：悟空 豪华版"):
        # an unknown "label" that follows a known one with nothing between them is the value's start.
        kept = [matches[0]]
        for m in matches[1:]:
            prev = kept[-1]
            if (not norm[prev.end():m.start()].strip() and not known_label(_norm_label(m.group("label")))
                    and known_label(_norm_label(prev.group("label")))):
                continue
            kept.append(m)
        matches = kept
    if matches:
        starts = [m.start() for m in matches]
        for j, m in enumerate(matches):
            # a known label's last word after the previous value's tail, with no colon between them
            # ("… 98,7% pozytywnych Sprzedano: 12 431 szt."): the label is that word, the rest is the value before
            label = m.group("label")
            if j and " " in label and not known_label(_norm_label(label)):
                last = label.rsplit(" ", 1)[1]
                if known_label(_norm_label(last)):
                    starts[j] = m.end("label") - len(last)
        for j, m in enumerate(matches):
            end = starts[j + 1] if j + 1 < len(matches) else len(norm)
            value = text[m.end():end].strip()
            raw = text[starts[j] if starts[j] > m.start("label") else m.start("label"):m.end("label")]
            out.append((raw, _norm_label(raw if starts[j] > m.start("label") else m.group("label")), value,
                        not value and j + 1 == len(matches)))
        # text before the first label ("Order ID: …" after a heading) is ignored
        return tuple(out)
    if len(norm) > 60 or not may_label:
        return ()
    label = _norm_label(norm)
    if len(label) <= 24 and known_label(label):
        return ((text, label, "", True),)
    if " " in norm and known_label(label, whole=False):
        tokens, raw_tokens = norm.split(" "), text.split(" ")
        for k in (3, 2, 1):
            if k < len(tokens) and known_label(_norm_label(" ".join(tokens[:k]))):
                return _label_runs(tokens, raw_tokens, k)  # "库存 342", "价 格 ¥188.00", "Sold by X"
        return ()
    if len(label) <= 24 and not any(map(str.isdigit, label)):
        return ((text, label, "", True),)
    m = _NUM_FIRST.match(norm) if norm[0].isdigit() or norm[0] in "$¥￥€£" or norm[:3].isupper() else None
    if m and known_label(_norm_label(m.group("label"))):  # "98,412 sales", "4.9 rating"
        return ((text[m.start("label"):], _norm_label(m.group("label")), text[:m.end("value")].strip(), False),)
    return ()


_CUSTOM_BLOCK = re.compile(r"view|page|block|cell|row|item|list|header|footer|section|container|card|panel|body|wrapper"
                           r"|swiper|scroll|navbar|form|button|input|textarea|image")


def _custom_block(tag: str, seen: dict) -> bool:
    """A custom element (``uni-view``, ``taro-view-core``, ``van-cell``) that lays out as a block: by
    the usual names of mini-program and component-library blocks (``uni-text`` is inline)."""
    found = seen.get(tag)
    if found is None:
        found = seen[tag] = bool(_CUSTOM_BLOCK.search(tag))
    return found


def _header_cell(th) -> bool:
    """``th`` sits in a row of two or more header cells and no data cell."""
    row = th.getparent()
    if row is None:
        return False
    tags = [c.tag for c in row if isinstance(c.tag, str)]
    return tags.count("th") >= 2 and "td" not in tags


def _up(el, levels: int) -> tuple:
    """``el``'s ancestors, nearest first, at most ``levels`` of them."""
    out = []
    el = el.getparent()
    while el is not None and len(out) < levels:
        out.append(el)
        el = el.getparent()
    return tuple(out)


def _within(el, box) -> bool:
    """``el`` is ``box`` or inside it (ancestors walked up to 12 levels)."""
    for _ in range(12):
        if el is None:
            return False
        if el is box:
            return True
        el = el.getparent()
    return False


_NUM_FIRST = re.compile(r"^(?P<value>(?:[A-Z]{0,3}\$|[¥￥€£])?\s*\d[\d,.]*(?:[-/]\d{1,2}[-/]\d{1,2})?\s*[kKmM万+]*)\s*"
                        r"(?P<label>[^\d\s$¥￥€£/-].{0,23})$")


def _label_runs(tokens: list[str], raw_tokens: list[str], k: int) -> tuple:
    """A line of labels and values without colons ("数量 ×2 实付 ¥ 258 .00"): a new pair starts at
    each token that is a known label (a CJK one word; labels of several words only at the start)."""
    out, label, raw, value = [], " ".join(tokens[:k]), " ".join(raw_tokens[:k]), []
    for token, raw_token in zip(tokens[k:], raw_tokens[k:], strict=False):
        if value and re.search(r"[\u4e00-\u9fff]", token) and len(token) <= 6 and known_label(_norm_label(token)):
            out.append((raw, _norm_label(label), " ".join(value), False))
            label, raw, value = token, raw_token, []
        else:
            value.append(raw_token)
    out.append((raw, _norm_label(label), " ".join(value), False))
    return tuple(out)


def _shown_input_value(label) -> str | None:
    """The value a read-only form field beside ``label`` shows (the shop filled it in; the buyer
    cannot change it), or None. Fields the buyer types into (quantity, e-mail) are not facts."""
    box = label.getnext()
    if box is None or not isinstance(box.tag, str):
        return None
    for field in ([box] if box.tag == "input" else box.iter("input")):
        kind = (field.get("type") or "text").lower()
        if kind in ("text", "number") and (field.get("readonly") is not None or field.get("disabled") is not None):
            value = " ".join((field.get("value") or "").split())
            if value and not is_hidden(field):
                return value
        break  # only the field right after the label
    return None


def _label_only(text: str, memo: dict, plain: bool = False) -> bool:
    """``text`` is a known label and nothing else ("数量" after "订单名称" in a header row).
    ``plain``: ``fold`` leaves every line of the page as it is."""
    key = ("label-only", text)
    found = memo.get(key)
    if found is None:
        found = memo[key] = len(text) <= 24 and known_label(_norm_label(text if plain else fold(text)))
    return found


def _short_fragment(text: str) -> bool:
    core = strip_numbering(text).replace(" ", "")
    return 0 < len(core) <= 4 and "：" not in core and ":" not in core


_NOT_LABELS = frozenset({"a", "button", "option", "select", "textarea"})
_NUMBER_START = frozenset("0123456789０１２３４５６７８９一二三四五六七八九十(（•·●▪■◆-*#")


def _norm_label(raw: str) -> str:
    if raw[:1] in _NUMBER_START:
        raw = strip_numbering(raw)
    return "".join(raw.split()).rstrip("：:").lower()


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


_NOT_LATIN = bytes(b for b in range(256) if not (65 <= b <= 90 or 97 <= b <= 122))  # bytes other than A-Z a-z


def _mostly_english(text: str) -> bool:
    sample = text[:4000]
    # ASCII letters: the ASCII characters kept, then every byte but A-Z a-z deleted (two C passes)
    latin = len(sample.encode("ascii", "ignore").translate(None, _NOT_LATIN))
    if latin <= 200:
        return False
    cjk = len(sample) - len(_CJK_RUN.sub("", sample))  # CJK characters, removed run by run
    return cjk < latin / 20
