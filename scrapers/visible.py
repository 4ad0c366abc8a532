"""What counts as visible (contract: labelling conventions): not scripts, styles, templates,
noscript or <head>, nothing under ``display:none`` or the ``hidden`` attribute, and nothing the page
conceals from the buyer while keeping it in the markup.

KaDun reads pages written by the sellers it judges, so text the buyer never sees must not become a
fact (a 保证金 or 先行赔付 claim stuffed where only a parser reads it would raise trust). Besides
``display:none`` and ``hidden``, an element is hidden when the captured markup itself says it is not
seen (the capture is the live DOM, so inline styles are the page's state at capture time):

- its inline style conceals it: ``visibility:hidden|collapse``, ``opacity:0``, a font size of at
  most 2px (``font-size:0``, ``font:0/0 a``), an offset of 500px or more off the page to the left or
  top (``left:-9999px``, ``text-indent:-9999px``, ``translate(-9999px)``; a box so moved that holds
  two or more elements is a carousel's track and counts), ``scale(0)``, a clip to
  nothing (``clip:rect(0 0 0 0)``, ``clip-path:inset(50%)``), zero width or height with overflow
  hidden, a transparent text colour (gradient text, ``background-clip:text``, is shown);
- its text colour (``style`` or ``<font color>``) is the background colour of itself or of its
  nearest ancestor that sets one inline (``style`` background or ``bgcolor``);
- a rule of the page's own ``<style>`` conceals it the same way (or says ``display:none``), where it
  is knowable statically: top-level rules only (not ``@media``, ``@supports``: the layout of one
  screen), selectors naming a class, id or attribute and no pseudo-class (``:hover`` is a state),
  and no rule of the page showing that class or id again for the same property (``.tab-pane{display:
  none}`` with ``.tab-pane.active{display:block}`` is a tab a click shows, which counts as visible;
  see contract page-facts.md), and not overridden by the element's own inline style.

``aria-hidden`` is not hidden: it hides from screen readers, not from the eyes. Small but legible
print (a grey 10px footer) is visible, and its terms count. Text in images, ``alt``/``title``
attributes and CSS ``content:`` is not page text at all (only ``platform.name`` reads a logo's alt).
"""
from __future__ import annotations

import functools
import re
import threading

import lxml.etree as etree

from .css import (
    COMMENT,
    MAY_CONCEAL,
    SHOWN_BY,
    background_colour,
    conceals,
    declarations,
    hider_bodies,
    last_names,
    parse_colour,
    prelude,
    selector_xpath,
    shown_again,
)

# exactly the elements the labelling tool drops, so every line is a span of the same visible text
SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "head"})

# ---- one element, from its own markup ------------------------------------------------------------
# Offsets move a box, not necessarily its text out of view: a carousel's or a ticker's track is
# shifted by whole slides (``translate3d(-964px, 0, 0)``, ``left:-1928px``) and shows the slide at that
# offset. A box moved off the page with two or more element children is such a track (which slide is
# in view is not known statically: its text counts); ``text-indent`` moves only text and always hides.
_OFFSETS = frozenset({"left", "top", "margin-left", "margin-top", "translate"})


def _hides(el, concealments) -> bool:
    """``concealments`` (of ``conceals``) hide ``el``: any but an offset does; an offset does unless
    ``el`` is a track of slides."""
    if not concealments:
        return False
    if not concealments <= _OFFSETS:
        return True
    children = 0
    for child in el:
        if isinstance(child.tag, str):
            children += 1
            if children >= 2:
                return False
    return True


@functools.lru_cache(maxsize=4096)
def _style_says(style: str) -> tuple[frozenset, tuple | None]:
    """(what the inline style conceals by itself, the plain text colour it sets or None): styles
    repeat across a page, so each distinct one is read once."""
    if not MAY_CONCEAL.search(style.lower()):
        return frozenset(), None
    decls = declarations(style)
    return frozenset(conceals(decls)), parse_colour(decls["color"]) if "color" in decls else None


def _painted_behind(el) -> tuple | None:
    """The background colour behind ``el``'s text as inline markup sets it (itself or the nearest
    ancestor that sets one), or None when none does (then the page's sheets decide: unknown)."""
    depth = 0
    while el is not None and depth < 60:
        if isinstance(el.tag, str):
            style = el.get("style")
            if style and "background" in style.lower():
                return background_colour(declarations(style))  # (None: an image or gradient, not known here)
            bgcolor = el.get("bgcolor")
            if bgcolor:
                return parse_colour(bgcolor)
        el = el.getparent()
        depth += 1
    return None


def _inline_hidden(el) -> bool:
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    colour = None
    if style:
        concealed, colour = _style_says(style)
        if concealed and _hides(el, concealed):
            return True
    if colour is None and el.tag == "font" and el.get("color"):
        colour = parse_colour(el.get("color"))
    if colour is None or colour[3] == 0:
        return False
    return colour == _painted_behind(el)


def is_hidden(el) -> bool:
    """``el`` itself is not rendered or not seen: the ``hidden`` attribute, an inline style that
    conceals it, its text colour on the same background, or a rule of its page's own ``<style>``
    (module docstring)."""
    if _inline_hidden(el):
        return True
    root = el.getroottree().getroot()
    return root is not None and el in _sheet_hidden(root)


def hidden_within(el) -> bool:
    """``el`` or one of its ancestors is skipped or not rendered."""
    known = _known().get(el.getroottree().getroot()) if el is not None else None
    if known is not None:  # the hidden elements of this tree were found once (``remember``)
        while el is not None:
            if el in known or el.tag in SKIP_TAGS:
                return True
            el = el.getparent()
        return False
    while el is not None:
        if isinstance(el.tag, str) and (el.tag in SKIP_TAGS or is_hidden(el)):
            return True
        el = el.getparent()
    return False


_LOCAL = threading.local()
_KEEP = 1  # trees remembered per thread (the document being read now; the one before falls out)


def _known() -> dict:
    known = getattr(_LOCAL, "known", None)
    if known is None:
        known = _LOCAL.known = {}
    return known


def remember(root, hidden: set) -> None:
    """Keep ``hidden`` (every element of ``root``'s tree that ``is_hidden``) for ``hidden_within``:
    membership instead of reading two attributes of every ancestor. The set holds the element
    proxies, so lxml hands back the same objects for those nodes while they are kept (lxml elements
    take no weak references: the last tree of a thread is kept until the next one)."""
    known = _known()
    known[root] = hidden
    while len(known) > _KEEP:
        del known[next(iter(known))]


def forget() -> None:
    """Drop the tree this thread remembered (``remember``): the document is read and a request
    thread should not keep its tree, which can hold megabytes, until the next page comes."""
    known = getattr(_LOCAL, "known", None)
    if known:
        known.clear()
    for name in ("sheets", "left_out"):
        cache = getattr(_LOCAL, name, None)
        if cache:
            cache.clear()


# ---- the page's own style sheets --------------------------------------------------------------
_CLASS_OR_ID = etree.XPath("descendant-or-self::*/@class|descendant-or-self::*/@id")


def sheet_hidden(root) -> set:
    """The elements of ``root``'s tree that a rule of the page's own ``<style>`` hides (module
    docstring: what is knowable statically). Empty for pages without such rules."""
    hiding: list[tuple[str, set[str], str]] = []
    for style in root.iter("style"):
        media = " ".join((style.get("media") or "all").lower().split())
        css = style.text
        if not css or media not in ("all", "screen", "") or "{" not in css:
            continue  # print, or one size of screen
        if "/*" in css:
            css = COMMENT.sub("", css)
        for brace, body in hider_bodies(css):
            hides = conceals(declarations(body))
            if not hides:
                continue
            selectors, start = prelude(css, brace)
            if selectors.lstrip().startswith("@") or css.count("{", 0, start) != css.count("}", 0, start):
                continue  # inside @media or @supports: one kind of screen, not the page
            for selector in selectors.split(","):
                selector = selector.strip()
                if not selector or ":" in selector or not re.search(r"[.#\[]", selector):
                    continue  # a state, a pseudo-element, or a bare type selector (body{display:none} before a script shows it)
                hiding.append((selector, hides, css))
    if not hiding:
        return set()
    present = None
    found: set = set()
    for selector, hides, css in hiding:
        names = last_names(selector)
        if names:
            if present is None:  # every class and id the page uses, once
                present = set()
                for value in _CLASS_OR_ID(root):
                    present.update("." + v if value.attrname == "class" else "#" + v for v in value.split())
            if not names <= present:
                continue  # names an element the page does not have
            for name in names:
                hides = hides - shown_again(css, name, hides)
            if not hides:
                continue  # the page shows it again (a tab, a dropdown, an accordion)
        xpath = selector_xpath(selector)
        if xpath is None:
            continue
        try:
            matched = xpath(root)
        except Exception:  # libxml2's limits on a pathological tree
            continue
        for el in matched:
            if not isinstance(el.tag, str):
                continue
            style = el.get("style")
            own = declarations(style) if style else {}
            if own and any(p in own for c in hides for p in SHOWN_BY[c]) and not (hides & conceals(own)):
                continue  # its inline style shows it (a script opened it before the capture)
            if _hides(el, hides):
                found.add(el)
    return found


# a concealment is undone by a rule (or the element's inline style) setting one of these otherwise
def _sheet_hidden(root) -> set:
    """``sheet_hidden`` of ``root``, found once per tree per thread (the last one is kept)."""
    sheets = getattr(_LOCAL, "sheets", None)
    if sheets is None:
        sheets = _LOCAL.sheets = {}
    found = sheets.get(root)
    if found is None:
        found = sheet_hidden(root)
        sheets.clear()
        sheets[root] = found
    return found


_STYLED = etree.XPath("descendant-or-self::*/@style|descendant-or-self::*/@hidden|descendant-or-self::font/@color")
# (values that know their element; relative to the root element, which holds every element: most
# elements have none of them, and a value is asked for its element only when it may hide it)


def _inline_values(root) -> list:
    out = []
    for value in _STYLED(root):
        name = value.attrname
        if name == "style":
            concealed, colour = _style_says(value)
            if not concealed and colour is None:
                continue
        el = value.getparent()
        if _inline_hidden(el):
            out.append(el)
    return list(dict.fromkeys(out))


def hidden_elements(root) -> list:
    """The elements under ``root`` that ``is_hidden``, in document order: those whose own markup
    hides them (one C-level XPath finds the ``style``, ``hidden`` and ``<font color>`` values; an
    element is asked only when its value may hide it) and those the page's own style sheets hide."""
    sheet = _sheet_hidden(root)
    inline = _inline_values(root)
    if not sheet:
        return inline
    found = set(inline) | sheet
    return [el for el in root.iter() if el in found]


def _left_out(root) -> tuple[set, set]:
    """(the hidden elements of ``root``'s tree, every element holding a hidden or skipped one),
    found once per tree per thread: most elements hold neither, and their text is libxml2's."""
    cache = getattr(_LOCAL, "left_out", None)
    if cache is None:
        cache = _LOCAL.left_out = {}
    found = cache.get(root)
    if found is None:
        hidden = _known().get(root)
        if hidden is None:
            hidden = set(hidden_elements(root))
        holders: set = set()
        for inner in (*hidden, *root.iter(*SKIP_TAGS)):
            up = inner.getparent()
            while up is not None and up not in holders:
                holders.add(up)
                up = up.getparent()
        found = (hidden, holders)
        cache.clear()
        cache[root] = found
    return found


def visible_text(el, sep: str = " ") -> str:
    """``sep.join(el.itertext())`` without the text the buyer does not see: nothing inside a hidden
    element (``is_hidden``) or a script, style, template or noscript (itertext yields all of them).
    Reads ``el``'s tree's hidden elements as remembered by the walk, else finds them once."""
    root = el.getroottree().getroot()
    if root is None:
        return sep.join(el.itertext())
    hidden, holders = _left_out(root)
    if el not in holders:
        return "" if el in hidden else sep.join(el.itertext())  # (nothing inside to leave out: libxml2 joins it)
    parts: list[str] = []

    def collect(node, depth: int) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if depth < 200 and isinstance(child.tag, str) and child.tag not in SKIP_TAGS and child not in hidden:
                collect(child, depth + 1)
            if child.tail:
                parts.append(child.tail)  # (a hidden element's or a comment's tail is shown)

    collect(el, 0)
    return sep.join(parts)
