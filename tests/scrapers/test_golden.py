"""Golden tests: every labelled page (the shared fixture corpus and our own pages of systems the
corpus lacks) becomes one case. Every field is compared the way the eval tool compares it (money as
decimal + currency, times as instants, lists as sets of their scored parts); the output validates
against the contract schema and every quote is verbatim visible text."""
from __future__ import annotations

import pytest

import scrapers

from .helpers import FIXTURES, OWN_PAGES, eval_tool, labelled_pages, schema_validator

TOOL = eval_tool()
VALIDATOR = schema_validator()
CASES = labelled_pages(FIXTURES) + labelled_pages(OWN_PAGES, exact_only=True)
ALL_PAGES = labelled_pages(FIXTURES) + labelled_pages(OWN_PAGES)  # (the scored corpus: tests/scrapers/test_eval_floor.py)


def _facts(html_path, url) -> dict:
    return scrapers.extract(html_path.read_text(encoding="utf-8"), url).as_dict()


@pytest.mark.parametrize("name,html_path,url,expected", CASES, ids=[c[0] for c in CASES])
def test_page_facts_match_labels(name, html_path, url, expected):
    facts = _facts(html_path, url)
    assert not list(VALIDATOR.iter_errors(facts)), "output breaks the contract schema"
    assert facts["url"] == url
    wrong = {}
    for field in TOOL.SCALARS:
        want = TOOL.norm_scalar(field, TOOL.get(expected, field))
        got = TOOL.norm_scalar(field, TOOL.get(facts, field))
        if want != got:
            wrong[field] = (want, got)
    for field in TOOL.LISTS:
        want = TOOL.norm_list(field, TOOL.get(expected, field))
        got = TOOL.norm_list(field, TOOL.get(facts, field))
        if want != got:
            wrong[field] = (sorted(map(str, want - got)), sorted(map(str, got - want)))
    assert not wrong, f"{name}: field: (want, got) / (missing, extra): {wrong}"


@pytest.mark.parametrize("name,html_path,url,expected", ALL_PAGES, ids=[c[0] for c in ALL_PAGES])
def test_quotes_are_verbatim_visible_text(name, html_path, url, expected):
    facts = _facts(html_path, url)
    text = TOOL.visible_text(html_path.read_text(encoding="utf-8"))
    for field, quote in TOOL.quotes(facts):
        assert quote and TOOL.squash(quote) in text, f"{field} quote not on the page: {quote!r}"


def test_own_pages_cover_the_systems_the_corpus_lacks():
    systems = {expected["system"] for _, _, _, expected in labelled_pages(OWN_PAGES)}
    assert {"dujiaoka", "card-system", "zfaka", "generic"} <= systems


def test_every_page_not_read_exactly_says_why_and_most_pages_are_exact():
    import json

    entries = json.loads((OWN_PAGES / "index.json").read_text(encoding="utf-8"))
    loose = [e for e in entries if e.get("exact") is False]
    assert all(len(e.get("not_exact", "")) > 20 for e in loose)
    assert len(loose) * 3 < len(entries), "most own pages must be golden (exact) cases"
    assert not [e for e in entries if "not_exact" in e and e.get("exact") is not False]
