"""Start tags with too many attributes, cut down before libxml2 reads them.

libxml2 checks every attribute of a start tag against the ones before it (quadratic in their
number): one ``<div a0 a1 … a99999>`` (1 MB) took 15 s to parse, a page's 8 MiB worth far beyond
the worker's timeout, so a shop could keep its own pages from ever being stored. No page uses
hundreds of attributes on one element: a tag keeps its first :data:`MAX_ATTRIBUTES`, the rest are
dropped.

Tags are found as libxml2 (an HTML5 tokenizer) reads them, or an attacker would hide attributes
from the scan: a quote delimits a value only right after ``=`` (``<div "a0 a1 …">`` is thousands
of attributes whose first name starts with a quote), ``<`` inside a tag is part of a name, and
only ``>`` ends it. What libxml2 does not read as tags is skipped: comments and the contents of
script, style and the other raw-text elements (a ``i<n`` in a script is no tag). One scan in C
finds long tags (a quoted value counts once) on pages large enough to hold a costly one; only
where one is found is the page scanned again with comments and raw text told apart.
"""
from __future__ import annotations

import re

MAX_ATTRIBUTES = 256
# A start tag of at least this many units (a character, or a whole quoted value) may hold more
# than MAX_ATTRIBUTES attributes: each needs a name character and a separator.
_UNITS = 2 * MAX_ATTRIBUTES
_WS = rb"[\t\n\f\r ]"
_RAW = rb"script|style|textarea|title|xmp|iframe|noembed|noframes|plaintext"
_LONG = rb"<[A-Za-z](?:=" + _WS + rb"*+\"[^\"]*+\"|=" + _WS + rb"*+'[^']*+'|[^>]){%d,}+" % _UNITS
_LONG_TAG = re.compile(_LONG)
# The same with comments and raw text skipped, for pages where a long "tag" was found (it may be
# a ``<`` in a script): a raw-text element runs to its own end tag.
_SCAN = re.compile(
    rb"(<!--(?:[^-]++|-(?!->))*+(?:-->|\Z)"
    rb"|<(?P<raw>(?i:" + _RAW + rb"))\b[^>]*+>(?:[^<]++|<(?!/(?i:(?P=raw))\b))*+)"
    rb"|" + _LONG)
# One attribute as an HTML5 tokenizer reads it: separators, a name (anything up to a separator,
# ``=`` or ``>``; a first ``=`` belongs to the name), maybe ``= value`` (quoted or not).
_ATTRIBUTE = re.compile(rb"[\t\n\f\r /]*+(=?[^\t\n\f\r />=]++|=)(?:" + _WS + rb"*+=" + _WS
                        + rb"*+(?:\"[^\"]*+\"|'[^']*+'|[^\t\n\f\r >]*+))?+")
_NAME = re.compile(rb"<[A-Za-z][^\t\n\f\r />]*+")

# Below this size a page cannot cost much: libxml2 spends about 1 ns per pair of one tag's
# attributes, so the worst page of 32 KiB (one tag, ~8,000 attributes) costs ~60 ms. Smaller pages
# skip the scan (most pages are; the scan costs about half of a parse).
SCAN_FROM = 32 * 1024


def _cut(match: re.Match) -> bytes:
    tag = match.group(0)
    if match.group(1) is not None:
        return tag  # a comment or raw text
    name = _NAME.match(tag)
    position, kept = name.end(), 0
    while kept < MAX_ATTRIBUTES:
        found = _ATTRIBUTE.match(tag, position)
        if found is None or found.end() == position:
            return tag
        position, kept = found.end(), kept + 1
    return tag[:position]


def tame_attributes(data: bytes) -> bytes:
    """``data`` (HTML bytes) with every start tag cut to its first MAX_ATTRIBUTES attributes."""
    if len(data) < SCAN_FROM or not _LONG_TAG.search(data):
        return data
    return _SCAN.sub(_cut, data)
