"""kadun score PAGE.html… --url URL: score saved pages offline (no Redis), printing GET /v1/risk's JSON.

The pages are read as one user's captures of one site, in the order given, exactly as the backend
would fold them in; the seller answered for is the one the last page shows (on a single-shop site,
the shop). ``--url`` is given either once (every page was captured at that URL, e.g. several saves
of one page) or once per page, in the same order; any other count is an error. ``--facts F.json``
(once per page) scores labelled facts instead of running the scrapers.
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from .. import jsonsafe
from ._common import check_page_url, echo, fail, read_html_page


def _seen_at(page: Path, at: str | None) -> str:
    from ..clock import CHINA, parse_iso

    if at:
        return parse_iso(at).isoformat()
    return datetime.fromtimestamp(page.stat().st_mtime, CHINA).isoformat(timespec="seconds")


def score_pages(pages: list[tuple[str, str, dict, str, str]], now: str | None = None) -> dict:
    """Score (name, html, facts, url, seen_at) pages of one site; returns the GET /v1/risk body."""
    from ..facts import typed
    from ..risk import profiles, service
    from ..risk.model import Observation, seller_key
    from ..risk.pagetext import page_lines
    from ..risk.signals import read_observation

    platform_state, sellers, last_seller = None, {}, None
    domain = None
    first_seen = None
    for name, html, facts, url, seen_at in pages:
        facts = typed(facts, url=url)
        domain = domain or facts.domain or service.domain_of(url)
        obs = Observation(facts=facts, snapshot_id=f"file:{name}", url=url, seen_at=seen_at, lines=page_lines(html))
        seller = seller_key(facts)
        platform_state, seller_state = profiles.apply(platform_state, sellers.get(seller), obs,
                                                      read_observation(obs), seller)
        if seller:
            sellers[seller] = seller_state
        last_seller = seller
        first_seen = min(filter(None, (first_seen, seen_at)), key=lambda t: datetime.fromisoformat(t))
    last_seller = last_seller or service.shop_seller(platform_state)
    return service.answer(domain, platform_state, last_seller, sellers.get(last_seller) if last_seller else None,
                          now=now, first_seen=first_seen)


@click.command("score")
@click.argument("pages", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--url", "urls", multiple=True, required=True,
              help="URL the pages were captured at: once for all pages, or once per page in order.")
@click.option("--facts", "facts_files", multiple=True, type=click.Path(path_type=Path),
              help="Labelled facts JSON per page (in order) instead of running the scrapers.")
@click.option("--at", "at", default=None, help="Capture time of the pages (ISO 8601); default: each file's mtime.")
def command(pages: tuple[Path, ...], urls: tuple[str, ...], facts_files: tuple[Path, ...], at: str | None) -> None:
    """Score saved pages of one site offline and print the risk JSON (as GET /v1/risk answers)."""
    from ..facts import extract_facts, typed
    from ..risk import service

    if len(urls) not in (1, len(pages)):
        fail(f"give --url once for all pages or once per page ({len(pages)} pages, {len(urls)} --url)", field="url")
    if facts_files and len(facts_files) != len(pages):
        fail(f"give --facts once per page ({len(pages)} pages, {len(facts_files)} --facts)", field="facts")
    if at:
        try:
            _seen_at(Path("."), at)
        except ValueError:
            fail("--at must be an ISO 8601 time", field="at")
    loaded = []
    domains = set()
    for index, page in enumerate(pages):
        url = urls[0] if len(urls) == 1 else urls[index]
        check_page_url(url)
        html = read_html_page(page)
        if facts_files:
            try:
                facts = jsonsafe.loads(facts_files[index].read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                fail(f"cannot read facts {facts_files[index]}: {error}", field="facts")
            if not isinstance(facts, dict):
                fail(f"facts {facts_files[index]} is not a JSON object", field="facts")
        else:
            facts = extract_facts(html, url)
        facts = typed(facts, url=url)
        domains.add(facts.domain or service.domain_of(url))
        loaded.append((page.name, html, facts, url, _seen_at(page, at)))
    if len(domains) > 1:
        fail(f"pages of one site only, got {', '.join(sorted(domains))}", field="url")
    echo(json.dumps(score_pages(loaded), ensure_ascii=False, indent=2))
