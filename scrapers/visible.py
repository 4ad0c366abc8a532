"""What counts as visible (contract: labelling conventions): not scripts, styles, templates,
noscript or <head>, nothing under ``display:none`` or the ``hidden`` attribute."""
from __future__ import annotations

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
    while el is not None:
        if isinstance(el.tag, str) and (el.tag in SKIP_TAGS or is_hidden(el)):
            return True
        el = el.getparent()
    return False


_STYLED = etree.XPath("//@style|//@hidden")  # attribute values that know their element


def hidden_elements(root) -> list:
    """The elements under ``root`` that ``is_hidden``, found by one C-level XPath over the
    ``style``/``hidden`` attributes (most elements have neither, so none of the others is asked)."""
    owners = dict.fromkeys(value.getparent() for value in _STYLED(root))  # (once with both attributes)
    return [el for el in owners if el is not None and isinstance(el.tag, str) and is_hidden(el)]
