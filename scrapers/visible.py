"""What counts as visible (contract: labelling conventions): not scripts, styles, templates,
noscript or <head>, nothing under ``display:none`` or the ``hidden`` attribute."""
from __future__ import annotations

import threading

import lxml.etree as etree

# exactly the elements the labelling tool drops, so every line is a span of the same visible text
SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "head"})


def is_hidden(el) -> bool:
    """``el`` itself is not rendered: ``hidden`` attribute or inline ``display:none``."""
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style) and "display:none" in style.replace(" ", "").lower()


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


_STYLED = etree.XPath("descendant-or-self::*/@style|descendant-or-self::*/@hidden")  # values that know their element
# (relative to the root element, which holds every element: a tenth faster than //@style|//@hidden)


def hidden_elements(root) -> list:
    """The elements under ``root`` that ``is_hidden``, in document order, found by one C-level XPath
    over the ``style``/``hidden`` attributes (most elements have neither, so none of the others is
    asked). ``is_hidden`` is read from the values themselves: an element is hidden when it has a
    ``hidden`` attribute or its style says ``display:none``, so only a hidden one is asked for."""
    return list(dict.fromkeys(value.getparent() for value in _STYLED(root) if value.attrname == "hidden"
                              or "display:none" in value.replace(" ", "").lower()))
