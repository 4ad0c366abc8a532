"""Start tags with too many attributes, cut down before libxml2 reads them.

libxml2 checks every attribute of a start tag against the ones before it (quadratic in their
number): one ``<div a0 a1 … a99999>`` (1 MB) took 15 s to parse, a page's 8 MiB worth far beyond
the worker's timeout, so a shop could keep its own pages from ever being stored. No page uses
hundreds of attributes on one element: a tag keeps its first :data:`MAX_ATTRIBUTES`, the rest are
dropped. Finding such tags is one scan in C that matches only long tags (counted in characters
outside quotes, a quoted value counting once), on pages large enough to hold a costly one.
"""
from __future__ import annotations

import re

MAX_ATTRIBUTES = 256
# A start tag of at least this many units (a character outside quotes, or a whole quoted value)
# may hold more than MAX_ATTRIBUTES attributes: each needs a name character and a separator.
_UNITS = 2 * MAX_ATTRIBUTES
_LONG_TAG = re.compile(rb"<[A-Za-z](?:[^<>\"']|\"[^\"]*+\"|'[^']*+'){%d,}+" % _UNITS)
# One attribute inside a tag: a name, and maybe ``= value`` (quoted or not).
_ATTRIBUTE = re.compile(rb"[\s/]*+([^\s\"'<>/=]++)(?:\s*+=\s*+(?:\"[^\"]*+\"|'[^']*+'|[^\s\"'<>]*+))?+")
_NAME = re.compile(rb"<[A-Za-z][^\s/<>\"']*+")


def _cut(match: re.Match) -> bytes:
    tag = match.group(0)
    name = _NAME.match(tag)
    position, kept = name.end(), 0
    while kept < MAX_ATTRIBUTES:
        found = _ATTRIBUTE.match(tag, position)
        if found is None or found.end() == position:
            return tag
        position, kept = found.end(), kept + 1
    return tag[:position]


# Below this size a page cannot cost much: libxml2 spends about 1 ns per pair of one tag's
# attributes, so the worst page of 32 KiB (one tag, ~8,000 attributes) costs ~60 ms. Smaller pages
# skip the scan (most pages are; the scan costs about half of a parse).
SCAN_FROM = 32 * 1024


def tame_attributes(data: bytes) -> bytes:
    """``data`` (HTML bytes) with every start tag cut to its first MAX_ATTRIBUTES attributes."""
    if len(data) < SCAN_FROM:
        return data
    return _LONG_TAG.sub(_cut, data)
