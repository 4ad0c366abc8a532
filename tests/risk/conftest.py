"""Helpers for the risk tests: land a capture exactly as POST /v1/snapshots does (store it in the
real Redis, then ``after_capture``), with facts from the labelled fixture JSON (contract PageFacts)
or written by hand, so the risk rules are tested independently of the scrapers' progress."""
from __future__ import annotations

import json
import re
import uuid
from itertools import count

import pytest
from bs4 import BeautifulSoup

from tests.conftest import FIXTURES, fixture_index

_clock = count()


def fixture_url(file: str) -> str:
    return next(e["url"] for e in fixture_index() if e["file"] == file)


def fixture_facts(file: str) -> dict:
    return json.loads((FIXTURES / file.replace(".html", ".json")).read_text(encoding="utf-8"))


def visible_text(html: str) -> str:
    """An independent reading of a page's visible text (BeautifulSoup, not our own line splitter):
    scripts, styles, templates and hidden elements removed, whitespace collapsed."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "template", "noscript", "head", "title"]):
        tag.decompose()
    for tag in soup.find_all(hidden=True):
        tag.decompose()
    for tag in soup.find_all(style=re.compile(r"display\s*:\s*none", re.I)):
        tag.decompose()
    return re.sub(r"\s+", " ", soup.get_text(""))


def land(r, signer, user: str, *, file: str | None = None, html: str | None = None, facts: dict | None = None,
         url: str | None = None, at: str | None = None):
    """Store one capture and run the risk step, like the snapshots route; returns (capture, warnings)."""
    from server.risk import service
    from server.storage import captures

    if file:
        html = html or (FIXTURES / file).read_text(encoding="utf-8")
        facts = facts or fixture_facts(file)
        url = url or fixture_url(file)
    url = url or facts["url"]
    received = at or f"2026-11-24T10:{10 + next(_clock) % 40:02d}:00.000+08:00"
    capture, created = captures.store(
        r, user, client_id=str(uuid.uuid4()), html=html.encode("utf-8"), screenshot=None, url=url, title=file,
        captured_at=None, clock_offset_seconds_of=lambda _: None, trigger="auto", extension_version="test",
        facts=facts, now=lambda: received, sign=lambda payload: signer.sign(payload).as_dict())
    assert created
    warnings = service.after_capture(r, user, capture, facts)
    if warnings:
        captures.set_warnings(r, user, capture, warnings)
    return capture, warnings


@pytest.fixture
def r(app):
    return app.extensions["kadun"].redis


@pytest.fixture
def signer(app):
    return app.extensions["kadun"].signer
