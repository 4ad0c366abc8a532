"""A missing library is a broken installation, said as such: never empty facts that look like a
shop page with nothing on it (which is how a stale environment once scored F1 0.15 on the
fixtures), and in one line from the CLI."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import scrapers
import scrapers.sites
from server.cli import main

PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "caihong-query.html"


def _missing_opencc(doc):
    raise ModuleNotFoundError("No module named 'opencc'", name="opencc")


def test_extract_raises_on_a_missing_library_instead_of_answering_empty(monkeypatch):
    monkeypatch.setattr(scrapers.sites, "pick", _missing_opencc)
    with pytest.raises(ImportError):
        scrapers.extract(PAGE.read_text(encoding="utf-8"), "https://example.com/query")


def test_a_page_that_cannot_be_read_still_gives_the_empty_shape(monkeypatch):
    def broken(doc):
        raise ValueError("a rule tripped over this page")

    monkeypatch.setattr(scrapers.sites, "pick", broken)
    facts = scrapers.extract(PAGE.read_text(encoding="utf-8"), "https://example.com/query")
    assert facts.as_dict() == scrapers.empty_facts("https://example.com/query").as_dict()


def test_kadun_parse_says_the_installation_is_broken_in_one_line(monkeypatch):
    monkeypatch.setattr(scrapers.sites, "pick", _missing_opencc)
    result = CliRunner().invoke(main, ["parse", str(PAGE), "--url", "https://example.com/query"])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "opencc" in result.output and "setup.sh" in result.output
    assert "Traceback" not in result.output
