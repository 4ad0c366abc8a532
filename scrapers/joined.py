"""Scans over newline-joined strings: one regex pass instead of one call per label."""
from __future__ import annotations

import re

_LINED: dict = {}  # label pattern → the same anchored to a line of the joined labels (False: not safe to)


def matching_labels(pattern: re.Pattern, labels: dict, joined: str) -> list[str]:
    """The labels (keys of ``labels``, in order) that ``pattern`` matches entirely: one scan over the
    newline-joined labels instead of a ``fullmatch`` per label, when that is provably the same."""
    lined = _LINED.get(pattern)
    if lined is None:
        src = pattern.pattern
        # no anchors, lookarounds or newlines that would see the neighbouring labels
        plain = not any(c in src for c in "^$\n") and "(?" not in src.replace("(?:", "") and not any(
            esc in src for esc in (r"\A", r"\Z", r"\n")) and not pattern.flags & re.VERBOSE
        try:
            flags = pattern.flags
            if not re.search(r"(?<!\\)[A-Z]", src):  # labels are lower-cased: re.I would only cost time
                flags &= ~re.IGNORECASE
            lined = re.compile(f"(?m)^(?:{src})$", flags) if plain else False
        except (re.error, ValueError):
            lined = False
        _LINED[pattern] = lined
    if lined:
        found = [m.group() for m in lined.finditer(joined)]
        if not any("\n" in label for label in found):  # no match spans two labels: each is one label
            return found
    return [label for label in labels if pattern.fullmatch(label)]
