"""The visible text of a captured page, as lines, and finding short verbatim quotes in it.

Risk evidence must quote what a person can find on the page with Ctrl+F. The facts carry quotes
for promises and policies; the other signals (deposit badges, the copyright line, the shop's
opening date, a USD price) are located here. A *line* is the text of one block element with its
inline children joined as a browser shows them (whitespace collapsed), so a quote taken from a
line is a substring of the page's visible text. Scripts, styles, templates and elements hidden
with ``hidden`` or ``display:none`` say nothing (page-facts.md labelling conventions).

Pure functions; no I/O.
"""
from __future__ import annotations

import re
import threading

from scrapers.document import parse_html  # the scrapers' parser: the same tree, per thread
from scrapers.text.normalise import (  # traditional → simplified, full-width → ASCII, same length
    fold,
    simplify,
)
from scrapers.visible import hidden_elements, is_hidden  # the labelling rule

_SKIP = frozenset({"script", "style", "template", "noscript", "head", "title", "svg", "iframe", "object",
                   "textarea", "select"})
_INLINE = frozenset({"span", "a", "b", "i", "em", "strong", "font", "label", "small", "big", "sub", "sup", "u",
                     "s", "del", "ins", "code", "abbr", "cite", "q", "mark", "time", "img", "bdi", "bdo", "var",
                     "kbd", "samp", "wbr"})
_WS = re.compile(r"\s+")
_CLAUSE_END = re.compile(r"[。！？；;!?]|\.(?=\s)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
MAX_QUOTE = 60
MIN_CJK = 10  # fewer CJK characters than this say nothing about the script a page is written in


# One libxslt pass writes the visible text with a mark at every block boundary; Python only splits
# it. The mark is a Unicode noncharacter, which no page text carries (a page that does, raw or as a
# character reference, takes the Python walk). A hidden element is renamed for the pass (the HTML
# parser lower-cases every tag, so no page element bears the upper-case name) and named back after.
_MARK = "\ufdd0"
_HIDDEN_TAG = "KADUN_HIDDEN"
_MARK_REF = re.compile(r"&#(?:[xX]0*[fF][dD][dD]0|0*64976)(?![0-9])")
_LOCAL = threading.local()  # lxml stylesheets are per thread


def _stylesheet():
    import lxml.etree as etree

    mark = f"<xsl:text>&#x{ord(_MARK):X};</xsl:text>"
    return etree.XSLT(etree.XML(
        '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        '<xsl:output method="text" encoding="utf-8"/>'
        f'<xsl:template match="{"|".join(sorted(_SKIP))}|{_HIDDEN_TAG}"/>'
        f'<xsl:template match="{"|".join(sorted(_INLINE))}"><xsl:apply-templates/></xsl:template>'
        f'<xsl:template match="*">{mark}<xsl:apply-templates/>{mark}</xsl:template>'
        '</xsl:stylesheet>'))


def page_lines(html: str | bytes | None, tree=None) -> list[str]:
    """Visible text lines of a page (block by block). Never raises; a broken page gives [].
    ``tree``: ``parse_html`` of these same bytes when the caller already has it (the scrapers'
    tree); it is left as it was found."""
    if not html:
        return []
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    root = tree if tree is not None else parse_html(html)
    if root is None:  # libxml2 refuses some inputs (empty documents): no text, no quotes
        return []
    if _MARK not in html and not ("&#" in html and _MARK_REF.search(html)):
        marked = _marked_text(root)
        if marked is not None:
            return [line for part in marked.split(_MARK) if (line := _WS.sub(" ", part).strip())]
    return walk_lines(root)


def _marked_text(root) -> str | None:
    xslt = getattr(_LOCAL, "xslt", None)
    if xslt is None:
        xslt = _LOCAL.xslt = _stylesheet()
    renamed = []
    try:
        for el in hidden_elements(root):
            renamed.append((el, el.tag))
            el.tag = _HIDDEN_TAG
        return str(xslt(root))
    except Exception:  # libxslt's own limits (nesting) or a broken tree: the walk decides
        return None
    finally:
        for el, tag in renamed:
            el.tag = tag


def walk_lines(root) -> list[str]:
    """The same lines by a Python walk (pages holding the mark; the tests compare both)."""
    doc = root
    out: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = _WS.sub(" ", "".join(current)).strip()
        current.clear()
        if text:
            out.append(text)

    def walk(el, depth: int) -> None:
        if not isinstance(el.tag, str) or depth > 400:
            return
        tag = el.tag.lower()
        if tag in _SKIP or is_hidden(el):
            return
        block = tag not in _INLINE
        if block or tag == "br":
            flush()
        if el.text:
            current.append(el.text)
        for child in el:
            walk(child, depth + 1)
            if child.tail:
                current.append(child.tail)
        if block:
            flush()

    walk(doc, 0)
    flush()
    return out


def clip(line: str, start: int, end: int, max_len: int = MAX_QUOTE) -> str:
    """The shortest readable span of ``line`` around ``line[start:end]``: the whole line when short,
    else its clause (split at 。！？；), else a window around the match. Always a substring."""
    if len(line) <= max_len:
        return line
    left = max((m.end() for m in _CLAUSE_END.finditer(line, 0, start)), default=0)
    right_match = _CLAUSE_END.search(line, end)
    right = right_match.end() if right_match else len(line)
    clause = line[left:right].strip()
    if len(clause) <= max_len and clause:
        return clause
    pad = max(0, (max_len - (end - start)) // 2)
    a, b = _word_edges(line, max(left, start - pad), min(right, end + pad), start, end)
    return line[a:b].strip()


# Letters of scripts that separate words with spaces (Latin, Greek, Cyrillic), digits, apostrophes:
# a window edge between two of them would cut a word ("of re", "doesn'"). CJK has no such edges.
_WORDCHAR = re.compile(r"[0-9A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF'’]")


def _inside_word(line: str, at: int) -> bool:
    return 0 < at < len(line) and bool(_WORDCHAR.match(line[at - 1])) and bool(_WORDCHAR.match(line[at]))


def _word_edges(line: str, a: int, b: int, start: int, end: int) -> tuple[int, int]:
    """A window ``line[a:b]`` moved to whole words: an edge inside a word moves inwards to the word's
    end, or outwards when moving in would cut into the match ``line[start:end]`` itself."""
    if _inside_word(line, a):
        inner = a
        while inner < start and _inside_word(line, inner):
            inner += 1
        if not _inside_word(line, inner):
            a = inner
        else:
            while _inside_word(line, a):
                a -= 1
    if _inside_word(line, b):
        inner = b
        while inner > end and _inside_word(line, inner):
            inner -= 1
        if not _inside_word(line, inner):
            b = inner
        else:
            while _inside_word(line, b):
                b += 1
    return a, b


# A line saying this many characters besides the words a pattern matched states something; one with
# fewer is a heading, a tab or a button naming the topic ("一、商家保证金", "先行赔付").
STATEMENT_EXTRA = 8


def fold_lines(lines: list[str]) -> list[str]:
    """Each line as the rules read it (``normalise.fold``: same length, same offsets)."""
    return [fold(line) for line in lines]


def find_quote(lines: list[str], pattern: str | re.Pattern | tuple, *, max_len: int = MAX_QUOTE,
               statement: bool = False, folded: list[str] | None = None) -> str | None:
    """The first visible span matching ``pattern`` (a regex, or a tuple of regexes tried in order of
    preference), clipped to a short quote, or None. ``statement``: prefer a line that states
    something around the words over a heading that only names them (the first match when none does).
    ``folded``: ``fold_lines(lines)`` when the caller keeps it (a page is quoted many times)."""
    for one in pattern if isinstance(pattern, tuple) else (pattern,):
        regex = re.compile(one) if isinstance(one, str) else one
        if folded is None:
            folded = fold_lines(lines)
        first = None
        for line, same in zip(lines, folded, strict=True):
            # Rules are written in simplified characters and ASCII digits; the folded copy has the
            # same offsets, so the quote is cut from the page's own (traditional, full-width) text.
            match = regex.search(same)
            if not match:
                continue
            if not statement or len(line) - (match.end() - match.start()) >= STATEMENT_EXTRA:
                return clip(line, match.start(), match.end(), max_len)
            first = first or clip(line, match.start(), match.end(), max_len)
        if first:
            return first
    return None


def sentence_of(lines: list[str], text: str | None) -> str | None:
    """The sentence (between 。！？；; or a full stop) of the first line holding ``text``: a clause's
    own words around a short quote (what a time limit counts from is often outside the quote:
    "Contact us within 48 hours | of revealing the key")."""
    if not text:
        return None
    text = _WS.sub(" ", text).strip()
    for line in lines:
        at = line.find(text)
        if at >= 0:
            left = max((m.end() for m in _CLAUSE_END.finditer(line, 0, at)), default=0)
            right_match = _CLAUSE_END.search(line, at + len(text))
            right = right_match.end() if right_match else len(line)
            return line[left:right].strip()
    return None


def find_literal(lines: list[str], text: str | None, *, max_len: int = MAX_QUOTE) -> str | None:
    """``text`` itself when it is on the page (as facts give it), clipped to its line context."""
    if not text:
        return None
    text = _WS.sub(" ", text).strip()
    for line in lines:
        at = line.find(text)
        if at >= 0:
            return text if len(text) <= max_len else clip(line, at, at + len(text), max_len)
    return None


def is_chinese(lines: list[str], name: str | None = None) -> bool:
    """A page written for Chinese readers: CJK in the site name or in most of its text."""
    if name and _CJK.search(name):
        return True
    sample = "".join(lines)[:4000]
    if not sample:
        return False
    return len(_CJK.findall(sample)) >= max(MIN_CJK, len(sample) // 10)


def is_traditional(lines: list[str]) -> bool:
    """A page written in traditional characters (Taiwan, Hong Kong, Macao): at least a sixth of the
    CJK characters of its text are ones that traditional → simplified conversion changes. A mainland
    page with a traditional brand name or slogan stays well under that."""
    sample = "".join(lines)[:4000]
    cjk = len(_CJK.findall(sample))
    if cjk < MIN_CJK:
        return False
    changed = sum(1 for a, b in zip(sample, simplify(sample), strict=True) if a != b)
    return changed * 6 >= cjk


def matching_sentences(lines: list[str], regex: re.Pattern, *, max_len: int = MAX_QUOTE,
                       folded: list[str] | None = None) -> list[tuple[str, str]]:
    """(sentence, quote) of every sentence (between 。！？；) whose folded text ``regex`` matches, in
    page order; the quote is the sentence clipped around the match, verbatim."""
    out = []
    for line, same in zip(lines, folded if folded is not None else fold_lines(lines), strict=True):
        if not regex.search(same):
            continue
        cuts = [0] + [m.end() for m in _CLAUSE_END.finditer(line)] + [len(line)]
        for left, right in zip(cuts, cuts[1:], strict=False):
            match = regex.search(same, left, right)
            if match:
                out.append((line[left:right].strip(), clip(line, match.start(), match.end(), max_len)))
    return out
