"""What a compiled pattern can match, read from the standard library's own parse of it, for fast
paths that must give exactly the pattern's answers: the characters a match can start with, and a
copy without ``re.I`` to run over lower-cased text."""
from __future__ import annotations

import re
from re import _constants as _C
from re import _parser as _sre

_REPEATS = (_C.MAX_REPEAT, _C.MIN_REPEAT) + ((_C.POSSESSIVE_REPEAT,) if hasattr(_C, "POSSESSIVE_REPEAT") else ())


class _Unknown(Exception):
    pass


def _first(seq, zero_width: bool = False) -> tuple[set[str], bool]:
    """(the characters a match of the parsed ``seq`` can start with, whether it can match empty).
    ``zero_width``: anchors and lookarounds are passed over (they consume no character, so the
    characters found can still start a match; some of them may not, which a gate allows)."""
    out: set[str] = set()
    for op, av in seq:
        if zero_width and op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
            continue
        if op is _C.LITERAL:
            out.add(chr(av))
            return out, False
        if op is _C.IN:
            for item, value in av:
                if item is _C.LITERAL:
                    out.add(chr(value))
                elif item is _C.RANGE and value[1] - value[0] < 4096:
                    out.update(map(chr, range(value[0], value[1] + 1)))
                else:  # a negated class, a category (\d, \w): any character may start it
                    raise _Unknown
            return out, False
        if op is _C.BRANCH:
            empty = False
            for alternative in av[1]:
                chars, null = _first(alternative, zero_width)
                out |= chars
                empty = empty or null
            if not empty:
                return out, False
        elif op is _C.SUBPATTERN and not av[1] and not av[2]:  # a group without inline flags
            chars, null = _first(av[3], zero_width)
            out |= chars
            if not null:
                return out, False
        elif op in _REPEATS:
            chars, null = _first(av[2], zero_width)
            out |= chars
            if av[0] > 0 and not null:
                return out, False
        else:  # anchors, lookarounds, ``.``, back-references: not simply known
            raise _Unknown
    return out, True


def first_chars(pattern: re.Pattern, *, zero_width: bool = False) -> frozenset[str] | None:
    """Every character a match of ``pattern`` (compiled without re.I) can start with, or None when
    that is not simply known: a string whose first character is not among them is no match, so one
    set lookup can spare a regex of hundreds of branches."""
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        chars, empty = _first(_sre.parse(pattern.pattern, pattern.flags), zero_width)
    except _Unknown:
        return None
    return None if empty else frozenset(chars)


def _uncased(code: int) -> bool:
    char = chr(code)
    if char.isascii():
        return not char.isupper()  # lower-case letters, digits, signs
    return char.lower() == char and char.upper() == char  # CJK, punctuation: no case at all


def _lower_only(seq) -> bool:
    for op, av in seq:
        if op in (_C.LITERAL, _C.NOT_LITERAL):
            if not _uncased(av):
                return False
        elif op is _C.IN:
            for item, value in av:
                if item is _C.LITERAL and not _uncased(value) or item is _C.RANGE and not all(
                        map(_uncased, range(value[0], value[1] + 1))):
                    return False
        elif op is _C.BRANCH:
            if not all(_lower_only(alternative) for alternative in av[1]):
                return False
        elif op is _C.SUBPATTERN:
            if av[1] or av[2] or not _lower_only(av[3]):
                return False
        elif op in _REPEATS:
            if not _lower_only(av[2]):
                return False
        elif op in (_C.ASSERT, _C.ASSERT_NOT):
            if not _lower_only(av[1]):
                return False
        elif op not in (_C.AT, _C.ANY, _C.CATEGORY):  # back-references and the like: not known
            return False
    return True


def without_case(pattern: re.Pattern) -> re.Pattern | None:
    """For a pattern compiled with ``re.I`` whose letters are all ASCII lower case (the rest without
    case: CJK, digits, signs), the same pattern without ``re.I``: run over ``phrases.fold`` of a text
    (lower-cased, İ ı ſ folded to i i s, same length) it finds exactly the spans and groups the
    original finds in the text, without a case fold per character tried. None for any other pattern."""
    if not pattern.flags & re.IGNORECASE:
        return None
    try:
        parsed = _sre.parse(pattern.pattern, pattern.flags & ~re.IGNORECASE)
    except re.error:
        return None
    return gated(re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)) if _lower_only(parsed) else None


def _has_prefix(parsed) -> bool:
    """re's compiler gives the parsed pattern a prefix to skip to in C (its ``_get_literal_prefix`` and
    ``_get_charset_prefix``): it starts, inside any groups, with a literal, a class, or an alternation
    whose every branch starts with a literal."""
    data = parsed
    while len(data) and data[0][0] is _C.SUBPATTERN:
        data = data[0][1][3]
    if not len(data):
        return False
    op, av = data[0]
    if op in (_C.LITERAL, _C.IN, _C.AT):  # (a leading anchor: re tries few positions itself)
        return True
    return op is _C.BRANCH and all(len(branch) and branch[0][0] is _C.LITERAL for branch in av[1])


def gated(pattern: re.Pattern) -> re.Pattern:
    """``pattern`` behind a look at the character where a match would start: ``(?=[…])(?:pattern)``
    with the class of its ``first_chars``, for a pattern re cannot skip to on its own (one that starts
    with an optional group: ``(?:24小时|全天)?(?:下单后)?自动发货``, where re tries every branch at every
    position). Every match starts with one of those characters, so the gate drops only positions
    where no match starts: the same matches, spans and groups. Any other pattern is given back as it is."""
    if pattern.flags & re.VERBOSE:
        return pattern
    chars = first_chars(pattern, zero_width=True)
    if not chars:
        return pattern
    try:
        if _has_prefix(_sre.parse(pattern.pattern, pattern.flags)):
            return pattern
        gate = "[" + "".join(map(re.escape, sorted(chars))) + "]"
        return re.compile(f"(?={gate})(?:{pattern.pattern})", pattern.flags)
    except re.error:  # (a pattern with global inline flags cannot be wrapped)
        return pattern


def _needed(seq) -> frozenset[str] | None:
    """Strings one of which every match of the parsed ``seq`` holds, or None when none is known."""
    best: frozenset[str] | None = None
    run: list[str] = []

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        if found and (best is None or min(map(len, found)) > min(map(len, best))):
            best = found

    for op, av in seq:
        if op is _C.LITERAL:
            run.append(chr(av))
            continue
        consider(frozenset(("".join(run),)) if run else None)
        run = []
        if op is _C.SUBPATTERN and not av[1] and not av[2]:
            consider(_needed(av[3]))
        elif op is _C.BRANCH:
            alternatives = [_needed(alternative) for alternative in av[1]]
            if all(alternatives):
                consider(frozenset().union(*alternatives))
        elif op in _REPEATS and av[0] > 0:
            consider(_needed(av[2]))
    consider(frozenset(("".join(run),)) if run else None)
    return best


def needed_strings(pattern: re.Pattern) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` (compiled without re.I) holds, or None when
    none is known: a text holding none of them (a few C substring scans) has no match, so the regex
    need not try every position of it."""
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        found = _needed(_sre.parse(pattern.pattern, pattern.flags))
    except re.error:
        return None
    return found if found and all(found) else None


_NEEDED: dict = {}


def needed(pattern: re.Pattern) -> frozenset[str] | None:
    """``needed_strings(pattern)``, worked out once per pattern per process."""
    found = _NEEDED.get(pattern, False)
    if found is False:
        found = _NEEDED[pattern] = needed_strings(pattern)
    return found


def may_match(pattern: re.Pattern, text: str) -> bool:
    """False only when ``pattern`` certainly finds nothing in ``text`` (it holds none of the pattern's
    ``needed_strings``); the strings are worked out once per pattern per process."""
    strings = needed(pattern)
    return strings is None or any(s in text for s in strings)


def literal_trie(words) -> str:
    """A pattern that matches, at any position, the longest of ``words`` starting there: the same
    matches as the alternation of the escaped words longest first, written as a trie (自动(?:发货)?
    instead of 自动发货|自动): at a position re tries one branch per distinct first character, not one
    per word. An empty word makes the whole pattern optional, as it does the alternation."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)
