"""Page text for risk quotes: the libxslt pass (page_lines) and the Python walk (walk_lines) give
the same lines on every page, and a page carrying the pass's own mark is read correctly."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrapers.document import parse_html as _parse
from server.risk.pagetext import _marked_text, page_lines, walk_lines
from tests.conftest import FIXTURES

OWN_PAGES = Path(__file__).resolve().parents[1] / "scrapers" / "pages"
PAGES = sorted(FIXTURES.glob("*.html")) + sorted(OWN_PAGES.glob("*.html"))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_marked_pass_matches_the_walk(path):
    html = path.read_text(encoding="utf-8")
    lines = page_lines(html)
    assert lines and lines == walk_lines(_parse(html))


def test_hidden_elements_are_named_back():
    html = "<html><body><div hidden>甲</div><p style='display:none'>乙</p><p>丙</p></body></html>"
    root = _parse(html)
    assert "丙" in _marked_text(root) and "甲" not in _marked_text(root)
    assert [el.tag for el in root.iter("div", "p")] == ["div", "p", "p"]
    assert page_lines(html) == ["丙"]


@pytest.mark.parametrize("html", [
    "<p>甲\ufdd0乙</p><p>丙</p>",                 # the mark itself in the text
    "<p>甲&#xFDD0;乙</p><p>丙</p>",               # ... as a character reference
    "<p>甲&#64976;乙</p><p>丙</p>",
])
def test_a_page_holding_the_mark_takes_the_walk(html):
    assert page_lines(html) == ["甲\ufdd0乙", "丙"]


_TAGS = ["p", "div", "span", "b", "a", "br", "li", "td", "script", "style", "template", "svg", "select",
         "textarea", "custom-el", "title"]
_ATTRS = ["", " hidden", " style='display: none'", " style='color:red'", " class='x'"]


@st.composite
def _fragment(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 4 and draw(st.booleans()):
            tag = draw(st.sampled_from(_TAGS))
            attr = draw(st.sampled_from(_ATTRS))
            parts.append(f"<{tag}{attr}>{draw(_fragment(depth + 1))}</{tag}>")
        else:
            parts.append(draw(st.sampled_from(["甲", "乙 丙", "  ", "\n", "A b", "&amp;", "<!-- c -->", "¥30"])))
    return "".join(parts)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(_fragment())
def test_marked_pass_matches_the_walk_on_any_markup(fragment):
    html = f"<html><body>{fragment}</body></html>"
    assert page_lines(html) == walk_lines(_parse(html))


def test_an_element_hidden_twice_over_is_named_back_once():
    html = "<html><body><div hidden style='display:none'>甲</div><p>乙</p></body></html>"
    root = _parse(html)
    assert "甲" not in _marked_text(root)
    assert [el.tag for el in root.iter("div", "p")] == ["div", "p"]


@pytest.mark.parametrize("path", PAGES[:6], ids=lambda p: p.name)
def test_a_given_tree_gives_the_same_lines_and_is_left_as_found(path):
    from lxml import etree

    html = path.read_text(encoding="utf-8")
    tree = _parse(html)
    before = etree.tostring(tree)
    assert page_lines(html, tree=tree) == page_lines(html)
    assert etree.tostring(tree) == before
