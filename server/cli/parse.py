"""kadun parse PAGE.html --url URL: print the page's facts (contract/page-facts.md)."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ._common import fail


@click.command("parse")
@click.argument("page", type=click.Path(path_type=Path))
@click.option("--url", required=True, help="The URL the page was captured at.")
def command(page: Path, url: str) -> None:
    """Print the facts found on one saved page as JSON."""
    from ..facts import extract_facts, looks_like_html

    try:
        data = page.read_bytes()
    except OSError as error:
        fail(f"cannot read {page}: {error.strerror or error}")
    if not looks_like_html(data):
        fail(f"{page} is not an HTML page", error="unprocessable")
    facts = extract_facts(data.decode("utf-8", errors="replace"), url)
    click.echo(json.dumps(facts, ensure_ascii=False, indent=2))
