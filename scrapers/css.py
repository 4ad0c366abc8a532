"""Reading CSS as far as visibility needs it: declaration lists, what a declaration list conceals,
plain colours, and the rules of a page's own ``<style>`` that may conceal (scrapers/visible.py applies
them to the tree). Pure string work on the captured markup: no browser, no layout."""
from __future__ import annotations

import functools
import re

import lxml.etree as etree

# ---- declarations --------------------------------------------------------------
# a cheap gate: a declaration list that holds none of these cannot conceal anything
MAY_CONCEAL = re.compile(r"none|hidden|collapse|opacity|font|-\d{3}|clip|transparent|scale|color|:0|indent|translate")
COMMENT = re.compile(r"/\*.*?\*/", re.S)
_NUMBER = re.compile(r"^(-?\d*\.?\d+)([a-z%]*)$")


def declarations(style: str) -> dict[str, str]:
    """``"Color: RED; font-size:0 !important"`` → ``{"color": "red", "font-size": "0"}`` (the last one of
    a property wins, as in CSS; values lower-cased, ``!important`` and comments dropped)."""
    out: dict[str, str] = {}
    if "/*" in style:
        style = COMMENT.sub("", style)
    for part in style.lower().split(";"):
        name, colon, value = part.partition(":")
        if colon:
            value = value.replace("!important", "").strip()
            out[name.strip()] = " ".join(value.split())
    return out


def _length(value: str) -> tuple[float, str] | None:
    m = _NUMBER.match(value.strip())
    return (float(m.group(1)), m.group(2)) if m else None


def _tiny_font(value: str) -> bool:
    """A font size nobody reads: at most 2px (or the same in pt, em, rem, %)."""
    found = _length(value.split("/")[0].split(" ")[0]) if value else None
    if found is None:
        return False
    size, unit = found
    limit = {"": 0.0, "px": 2.0, "pt": 1.5, "em": 0.15, "rem": 0.15, "%": 15.0, "vw": 0.1, "vh": 0.1}.get(unit)
    return limit is not None and size <= limit


def _far_off(value: str) -> bool:
    """An offset of 500px (30em) or more towards the left or top: out of the page."""
    found = _length(value)
    if found is None:
        return False
    size, unit = found
    limit = {"px": -500.0, "pt": -375.0, "em": -30.0, "rem": -30.0, "%": -100.0, "vw": -100.0, "vh": -100.0}.get(unit)
    return limit is not None and size <= limit


_TRANSLATE = re.compile(r"translate(?:x|y|3d)?\(\s*([^,)\s]+)(?:\s*,\s*([^,)\s]+))?")
_SCALE = re.compile(r"scale(?:x|y|3d)?\(\s*([^)]*)\)")
_CLIP_RECT = re.compile(r"rect\(([^)]*)\)")
_INSET = re.compile(r"inset\(\s*(\d+(?:\.\d+)?)%")
_CIRCLE = re.compile(r"circle\(\s*0(?:px|%)?\s*(?:at|\))")


def _scaled_away(value: str) -> bool:
    for m in _SCALE.finditer(value):
        parts = [p for p in re.split(r"[\s,]+", m.group(1)) if p]
        if parts and any(_length(p) is not None and _length(p)[0] == 0 for p in parts):
            return True
    return False


def _translated_away(value: str) -> bool:
    return any(p and _far_off(p) for m in _TRANSLATE.finditer(value) for p in m.groups())


def _clip_hides(decls: dict[str, str]) -> bool:
    clip = decls.get("clip", "")
    m = _CLIP_RECT.search(clip)
    if m:
        edges = [_length(p) for p in re.split(r"[\s,]+", m.group(1).strip()) if p]
        if edges and all(e is not None and abs(e[0]) <= 1 for e in edges):
            return True
    path = decls.get("clip-path", "")
    m = _INSET.search(path)
    return bool(m and float(m.group(1)) >= 50) or bool(_CIRCLE.search(path))


def _zero(value: str | None) -> bool:
    found = _length(value) if value else None
    return found is not None and found[0] == 0


def _transparent(value: str) -> bool:
    colour = parse_colour(value)
    return colour is not None and colour[3] == 0


def conceals(decls: dict[str, str]) -> set[str]:
    """The properties of ``decls`` that hide the element's text from the eyes (empty: none do)."""
    found: set[str] = set()
    if decls.get("display") == "none":
        found.add("display")
    if decls.get("visibility") in ("hidden", "collapse"):
        found.add("visibility")
    opacity = _length(decls.get("opacity", "x"))
    if opacity is not None and opacity[0] <= (5 if opacity[1] == "%" else 0.05):
        found.add("opacity")
    if _tiny_font(decls.get("font-size", "")) or _tiny_font(decls.get("font", "")):
        found.add("font-size")
    for name in ("left", "top", "margin-left", "margin-top", "text-indent"):
        if _far_off(decls.get(name, "")):
            found.add(name)
    transform = decls.get("transform", "")
    if transform and _scaled_away(transform):
        found.add("transform")
    elif transform and _translated_away(transform):
        found.add("translate")
    if _clip_hides(decls):
        found.add("clip")
    overflow = decls.get("overflow", "") + " " + decls.get("overflow-x", "") + " " + decls.get("overflow-y", "")
    if ("hidden" in overflow or "clip" in overflow) and any(
            _zero(decls.get(name)) for name in ("width", "height", "max-width", "max-height")):
        found.add("overflow")
    gradient_text = "text" in (decls.get("background-clip", "") + decls.get("-webkit-background-clip", ""))
    if not gradient_text and "text-shadow" not in decls and (
            _transparent(decls.get("color", "")) or _transparent(decls.get("-webkit-text-fill-color", ""))):
        found.add("color")
    if not gradient_text and "color" in decls:
        background = background_colour(decls)
        colour = parse_colour(decls["color"])
        if colour is not None and colour == background:
            found.add("color")
    return found


# ---- colours ---------------------------------------------------------------------------------
_NAMED = {  # the CSS names shop pages use for plain text and backgrounds
    "white": "#ffffff", "black": "#000000", "red": "#ff0000", "green": "#008000", "blue": "#0000ff",
    "yellow": "#ffff00", "gray": "#808080", "grey": "#808080", "silver": "#c0c0c0", "orange": "#ffa500",
    "purple": "#800080", "navy": "#000080", "maroon": "#800000", "lime": "#00ff00", "aqua": "#00ffff",
    "cyan": "#00ffff", "fuchsia": "#ff00ff", "magenta": "#ff00ff", "teal": "#008080", "olive": "#808000",
    "whitesmoke": "#f5f5f5", "snow": "#fffafa", "ivory": "#fffff0", "lightgray": "#d3d3d3",
    "lightgrey": "#d3d3d3", "gainsboro": "#dcdcdc", "pink": "#ffc0cb", "gold": "#ffd700", "beige": "#f5f5dc",
}
_HEX = re.compile(r"#([0-9a-f]{3,8})\b")
_FUNC = re.compile(r"(rgba?|hsla?)\(([^)]*)\)")


@functools.lru_cache(maxsize=512)
def parse_colour(value: str) -> tuple[int, int, int, float] | None:
    """``#fff``, ``#ffffff80``, ``rgb(255 255 255)``, ``rgba(0,0,0,0)``, ``white``, ``transparent`` →
    (r, g, b, alpha); None for what is not a plain colour (``var(--x)``, ``currentColor``, images)."""
    value = value.strip().lower()
    if not value or "var(" in value:
        return None
    if value == "transparent":
        return (0, 0, 0, 0.0)
    value = _NAMED.get(value, value)
    m = _HEX.fullmatch(value)
    if m:
        digits = m.group(1)
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits)
        if len(digits) not in (6, 8):
            return None
        alpha = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16), round(alpha, 2))
    m = _FUNC.fullmatch(value)
    if m and m.group(1).startswith("rgb"):
        parts = [p for p in re.split(r"[\s,/]+", m.group(2).strip()) if p]
        try:
            rgb = [round(float(p[:-1]) * 2.55) if p.endswith("%") else round(float(p)) for p in parts[:3]]
            alpha = (float(parts[3][:-1]) / 100 if parts[3].endswith("%") else float(parts[3])) if len(parts) > 3 else 1.0
        except ValueError:
            return None
        if len(rgb) == 3:
            return (rgb[0], rgb[1], rgb[2], round(alpha, 2))
    if m and m.group(1).startswith("hsl"):
        parts = [p for p in re.split(r"[\s,/]+", m.group(2).strip()) if p]
        if len(parts) > 3:
            try:
                if (float(parts[3][:-1]) / 100 if parts[3].endswith("%") else float(parts[3])) == 0:
                    return (0, 0, 0, 0.0)
            except ValueError:
                return None
    return None


def background_colour(decls: dict[str, str]) -> tuple | None:
    """The plain colour a declaration list paints behind its text (None: none, or an image/gradient)."""
    if "background-color" in decls:
        return parse_colour(decls["background-color"])
    short = decls.get("background", "")
    if not short or "(" in short and not _FUNC.search(short):
        return None
    if "gradient" in short or "url(" in short:
        return None
    m = _FUNC.search(short)
    if m:
        return parse_colour(m.group(0))
    for token in short.split():
        colour = parse_colour(token)
        if colour is not None:
            return colour
    return None


# ---- the page's own style sheets --------------------------------------------------------------
_COMPOUND_NAMES = re.compile(r"[.#][\w-]+")
_COMBINATOR = re.compile(r"\s*[\s>+~]\s*")
# where a rule body may conceal (the cheap gate; ``conceals`` decides): C-level scans for the tokens,
# each match then widened to its rule's braces, so a sheet costs a few scans unless it hides something
_HIDER_TOKENS = (  # on the lower-cased sheet: re.I costs several times more; a literal first lets re skip in C
    re.compile(r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|opacity\s*:\s*[0.]|font(?:-size)?\s*:\s*[0.]"
               r"|-\d{3}|clip|transparent|scale|indent"),
    re.compile(r"color\s*:\s*([#\w]+)[^{}]*?background(?:-color)?\s*:\s*\1(?![\w(])"),
    re.compile(r"background(?:-color)?\s*:\s*([#\w]+)[^{}]*?color\s*:\s*\1(?![\w(])"),
)
_HIDER_TOKENS_ANY_CASE = tuple(re.compile(p.pattern, re.I) for p in _HIDER_TOKENS)


def hider_bodies(css: str) -> list[tuple[int, str]]:
    """``(offset of its "{", declarations)`` of each rule of ``css`` that may conceal, in order."""
    low = css.lower()
    patterns = _HIDER_TOKENS
    if len(low) != len(css):  # (a character whose lower case is longer: offsets would not match)
        low, patterns = css, _HIDER_TOKENS_ANY_CASE
    found: dict[int, str] = {}
    for pattern in patterns:
        for m in pattern.finditer(low):
            brace = css.rfind("{", 0, m.start())
            if brace < 0 or css.rfind("}", 0, m.start()) > brace or brace in found:
                continue  # not inside a rule's declarations, or that rule is already in
            end = css.find("}", m.end())
            found[brace] = css[brace + 1:end if end >= 0 else len(css)]
    return sorted(found.items())


def last_names(selector: str) -> set[str]:
    """The classes and ids of a selector's last compound (``.a > .b.c`` → ``{".b", ".c"}``)."""
    last = _COMBINATOR.split(selector.strip())[-1]
    return set(_COMPOUND_NAMES.findall(last))


@functools.lru_cache(maxsize=1024)
def selector_xpath(selector: str):
    """The compiled XPath of one CSS selector (cssselect's translation), or None when cssselect or
    libxml2 cannot read it (a hostile or broken sheet)."""
    from cssselect import HTMLTranslator, SelectorError

    try:
        return etree.XPath(HTMLTranslator().css_to_xpath(selector, prefix="descendant-or-self::"))
    except (SelectorError, etree.XPathError, ValueError, TypeError):
        return None


def prelude(css: str, brace: int) -> tuple[str, int]:
    """The selector text before the ``{`` at ``brace`` and its start."""
    start = max(css.rfind("}", 0, brace), css.rfind("{", 0, brace), css.rfind(";", 0, brace)) + 1
    return css[start:brace], start


def shown_again(css: str, name: str, hides: set[str]) -> set[str]:
    """Of ``hides``, the concealments that some rule of ``css`` naming ``name`` in its last compound
    undoes (``.tab-pane.active{display:block}``, at any depth: ``@media`` may show it)."""
    undone: set[str] = set()
    for m in re.finditer(re.escape(name) + r"(?![\w-])", css):
        brace, close = css.find("{", m.end()), css.find("}", m.end())
        if brace < 0 or 0 <= close < brace:
            continue  # not in a selector
        selectors, start = prelude(css, brace)
        at = m.start() - start
        chosen = ""
        for selector in selectors.split(","):  # the one selector of the list holding this occurrence
            if at <= len(selector):
                chosen = selector
                break
            at -= len(selector) + 1
        if name not in last_names(chosen):
            continue
        end = css.find("}", brace)
        decls = declarations(css[brace + 1:end if end >= 0 else len(css)])
        own = conceals(decls)
        for concealment in hides:
            if concealment not in own and any(p in decls for p in SHOWN_BY[concealment]):
                undone.add(concealment)
    return undone


SHOWN_BY = {
    "display": ("display",), "visibility": ("visibility",), "opacity": ("opacity",),
    "font-size": ("font-size", "font"), "left": ("left",), "top": ("top",), "margin-left": ("margin-left", "margin"),
    "margin-top": ("margin-top", "margin"), "text-indent": ("text-indent",), "transform": ("transform",),
    "translate": ("transform",), "clip": ("clip", "clip-path", "position"),
    "overflow": ("overflow", "width", "height", "max-width", "max-height"),
    "color": ("color", "background", "background-color"),
}
