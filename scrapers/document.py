"""Parse once: the tree, its visible text as lines, label/value pairs, header-row tables, fingerprints.

Visibility follows the labelling rules (contract/page-facts.md): nothing from scripts, styles,
templates, noscript or <head>, nothing under ``display:none`` or ``[hidden]``. Each line is a
contiguous run of visible text nodes joined by one space, so any span of a line is also a span of
the page's whole visible text (quotes stay verbatim).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import lxml.etree as etree
import lxml.html

from .labels import KNOWN
from .text import squash, strip_numbering

SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title", "meta", "link",
                       "svg", "iframe", "object", "canvas"})
BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table", "tbody", "thead",
    "tfoot", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer",
    "nav", "aside", "main", "form", "fieldset", "legend", "blockquote", "pre", "address", "figure",
    "figcaption", "details", "summary", "option", "select", "textarea", "button", "hr", "body",
    "html", "marquee", "center",
})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LABEL_COLON = re.compile(
    r"(?:(?<=\s)|^)(?P<label>(?=[^\s：:]*[A-Za-z\u4e00-\u9fff])[^\s：:，。,;；|()（）【】\[\]]{1,16}"
    r"(?: [A-Za-z][A-Za-z]{0,12}){0,3})\s*[：:](?!//)")
_MAX_DEPTH_TEXT = 200_000  # lines beyond this are ignored: pathological pages get partial facts


def _is_hidden(el) -> bool:
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style) and "display:none" in style.replace(" ", "").lower()


@dataclass
class Line:
    """A run of visible text between two block boundaries."""

    text: str
    el: object  # the element holding the first text node
    index: int = 0


@dataclass
class Pair:
    """One label/value pair as the page shows it (label without its colon or numbering)."""

    label: str  # normalised: no whitespace
    raw_label: str
    value: str
    line: int
    el: object = None


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[object, list[str]]] = field(default_factory=list)  # (tr element, cell texts)
    el: object = None


class Document:
    """One parsed page. Built once per ``extract`` call; every extractor reads from it."""

    def __init__(self, html: str, url: str):
        self.url = url or ""
        parts = urlsplit(self.url) if self.url else None
        self.path = parts.path if parts else ""
        self.query = dict(parse_qsl(parts.query)) if parts else {}
        self.raw = html
        self.root = _parse(html)
        self.title = ""
        self.lines: list[Line] = []
        self.links: list[tuple[str, object]] = []  # (href, element) of visible links
        self.assets: list[str] = []  # src/href of scripts, styles, images
        self.meta: dict[str, str] = {}
        if self.root is not None:
            self._walk()
        self.text = " ".join(line.text for line in self.lines)
        self.pairs = self._pairs()
        self._tables = None
        self.lang_en = _mostly_english(self.text)

    # ---- building -------------------------------------------------------------------------
    def _walk(self) -> None:
        root = self.root
        title = root.find(".//title")
        if title is not None and title.text:
            self.title = squash(title.text)
        for meta in root.iter("meta"):
            name = (meta.get("name") or meta.get("property") or "").lower()
            if name:
                self.meta[name] = meta.get("content") or ""
        buf: list[str] = []
        owner = [None]
        lines = self.lines
        soft = [False]

        def flush(soft_break: bool = False) -> None:
            if not buf:
                return
            text = squash(" ".join(buf))
            if text:
                prev = lines[-1] if lines else None
                if prev is not None and soft[0] and _short_fragment(prev.text):
                    prev.text = prev.text + " " + text
                else:
                    lines.append(Line(text, owner[0], len(lines)))
            buf.clear()
            owner[0] = None
            soft[0] = soft_break

        def add(text, el) -> None:
            if text and not text.isspace():
                if owner[0] is None:
                    owner[0] = el
                buf.append(text)

        walker = etree.iterwalk(root, events=("start", "end"))
        hidden_stack = set()
        for event, el in walker:
            tag = el.tag
            if not isinstance(tag, str):  # comments, processing instructions
                if event == "start":
                    walker.skip_subtree()
                else:
                    parent = el.getparent()
                    add(el.tail, parent)
                continue
            tag = tag.lower()
            if event == "start":
                if tag in ("script", "link", "img", "source"):
                    src = el.get("src") or el.get("href")
                    if src:
                        self.assets.append(src)
                if tag in SKIP_TAGS or _is_hidden(el):
                    hidden_stack.add(el)
                    walker.skip_subtree()
                    continue
                if tag == "a":
                    href = el.get("href")
                    if href:
                        self.links.append((href, el))
                if tag == "br":
                    flush(soft_break=True)
                elif tag in BLOCK_TAGS:
                    flush()
                add(el.text, el)
            else:
                if el in hidden_stack:
                    hidden_stack.discard(el)
                elif tag in BLOCK_TAGS:
                    flush()
                parent = el.getparent()
                add(el.tail, parent if parent is not None else el)
                if len(lines) > _MAX_DEPTH_TEXT:
                    break
        flush()
        for i, line in enumerate(lines):
            line.index = i

    def _pairs(self) -> list[Pair]:
        pairs: list[Pair] = []
        lines = self.lines
        for i, line in enumerate(lines):
            text = strip_numbering(line.text)
            matches = list(_LABEL_COLON.finditer(text))
            if matches:
                for j, m in enumerate(matches):
                    end = matches[j + 1].start() if j + 1 < len(matches) else len(text)
                    value = text[m.end():end].strip()
                    raw = m.group("label")
                    if not value and j + 1 == len(matches) and i + 1 < len(lines):
                        value = lines[i + 1].text
                    pairs.append(Pair(_norm_label(raw), raw, value, i, line.el))
                # text before the first label ("Order ID: …" after a heading) is ignored
            else:
                norm = _norm_label(text)
                nxt = lines[i + 1].text if i + 1 < len(lines) else ""
                if len(norm) <= 24 and KNOWN.fullmatch(norm):
                    pairs.append(Pair(norm, text, nxt, i, line.el))  # dt/dd, th/td: value is the next line
                    continue
                tokens = text.split(" ")
                for k in (3, 2, 1):
                    if k < len(tokens) and KNOWN.fullmatch(_norm_label(" ".join(tokens[:k]))):
                        raw = " ".join(tokens[:k])  # "库存 342", "价 格 ¥188.00", "Sold by X"
                        pairs.append(Pair(_norm_label(raw), raw, " ".join(tokens[k:]), i, line.el))
                        break
                else:
                    if len(norm) <= 24 and nxt and not any(ch.isdigit() for ch in norm):
                        pairs.append(Pair(norm, text, nxt, i, line.el))
        return pairs

    # ---- reading --------------------------------------------------------------------------
    def find(self, pattern: re.Pattern, *, start: int = 0) -> Pair | None:
        """The first pair whose normalised label matches ``pattern`` entirely."""
        for pair in self.pairs:
            if pair.line >= start and pattern.fullmatch(pair.label):
                return pair
        return None

    def find_all(self, pattern: re.Pattern) -> list[Pair]:
        return [pair for pair in self.pairs if pattern.fullmatch(pair.label)]

    @property
    def tables(self) -> list[Table]:
        if self._tables is None:
            self._tables = _tables(self.root) if self.root is not None else []
        return self._tables

    def classes(self, el) -> str:
        return ((el.get("class") or "") + " " + (el.get("id") or "")).lower()

    def ancestors(self, el, limit: int = 40):
        count = 0
        while el is not None and count < limit:
            yield el
            el = el.getparent()
            count += 1

    def fingerprint(self) -> str:
        """Asset paths, generator meta and footer text, lower-cased, for ``matches``."""
        tail = " ".join(line.text for line in self.lines[-40:])
        links = " ".join(href for href, _ in self.links[:300])
        return " ".join([" ".join(self.assets[:400]), links, " ".join(self.meta.values()), tail,
                         self.url]).lower()

    def element_text(self, el) -> list[str]:
        """The visible text lines inside ``el`` (br and newlines split lines)."""
        out: list[str] = []
        cur: list[str] = []

        def push():
            text = squash(" ".join(cur))
            if text:
                out.append(text)
            cur.clear()

        walker = etree.iterwalk(el, events=("start", "end"))
        for event, node in walker:
            tag = node.tag if isinstance(node.tag, str) else None
            if event == "start":
                if tag is None or tag.lower() in SKIP_TAGS or _is_hidden(node):
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


def _parse(html: str):
    if not html or not isinstance(html, str):
        return None
    try:
        data = html.encode("utf-8", errors="replace")
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=False)
        root = lxml.html.document_fromstring(data, parser=parser)
    except Exception:
        return None
    return root


def _short_fragment(text: str) -> bool:
    core = strip_numbering(text).replace(" ", "")
    return 0 < len(core) <= 4 and "：" not in core and ":" not in core


def _norm_label(raw: str) -> str:
    return re.sub(r"[\s\u3000]+", "", strip_numbering(raw)).rstrip("：:").lower()


def _mostly_english(text: str) -> bool:
    sample = text[:4000]
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    latin = sum(1 for ch in sample if ch.isascii() and ch.isalpha())
    return latin > 200 and cjk < latin / 20


def _cell_text(cell) -> str:
    parts = []
    for text in cell.itertext():
        parts.append(text)
    return squash(" ".join(parts))


def _tables(root) -> list[Table]:
    tables = []
    for table in root.iter("table"):
        if _hidden_within(table):
            continue
        rows = [tr for tr in table.iter("tr") if _closest_table(tr) is table]
        if len(rows) < 2:
            continue
        header_row = None
        for tr in rows[:2]:
            cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("th", "td")]
            if cells and all(c.tag == "th" for c in cells) and len(cells) >= 2:
                header_row = tr
                break
        if header_row is None:
            continue
        header = [_cell_text(c) for c in header_row if isinstance(c.tag, str) and c.tag in ("th", "td")]
        result = Table(header, [], table)
        for tr in rows:
            if tr is header_row or tr.getparent() is not None and tr.getparent().tag == "tfoot":
                continue
            if _is_hidden(tr):
                continue
            cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("th", "td")]
            if len(cells) != len(header):
                continue
            result.rows.append((tr, cells))
        tables.append(result)
    return tables


def _closest_table(el):
    el = el.getparent()
    while el is not None and el.tag != "table":
        el = el.getparent()
    return el


def _hidden_within(el) -> bool:
    while el is not None:
        if isinstance(el.tag, str) and (el.tag in SKIP_TAGS or _is_hidden(el)):
            return True
        el = el.getparent()
    return False
