"""kadun parse PAGE.html --url URL: print the page's facts (contract/page-facts.md)."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ._common import check_page_url, echo, read_html_page


@click.command("parse")
@click.argument("page", type=click.Path(path_type=Path))
@click.option("--url", required=True, help="The URL the page was captured at.")
def command(page: Path, url: str) -> None:
    """Print the facts found on one saved page as JSON."""
    from ..facts import extract_facts

    check_page_url(url)
    facts = extract_facts(read_html_page(page), url)
    echo(json.dumps(facts.as_dict(), ensure_ascii=False, indent=2))
