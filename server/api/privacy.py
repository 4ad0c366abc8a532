"""GET /privacy: the privacy policy page (static HTML, Chinese first, English below, no scripts).

The same file is the store listings' privacy policy (scripts/build_extension.py copies it into
dist/store/), so what the backend shows and what the stores link to cannot drift apart."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import Blueprint, Response

bp = Blueprint("privacy", __name__)
PAGE = Path(__file__).with_name("privacy.html")
# Nothing on the page runs or loads: inline styles only.
PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


@cache
def page_bytes() -> bytes:
    """The policy page as shipped (read once per process)."""
    return PAGE.read_bytes()


@bp.get("/privacy")
def privacy():
    response = Response(page_bytes(), mimetype="text/html")
    response.charset = "utf-8"
    response.headers["Content-Security-Policy"] = PAGE_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


OPENAPI = {
    "/privacy": {"get": {"summary": "Privacy policy of the extension and backend (HTML, zh-CN then en)",
                         "security": [], "responses": {
                             "200": {"description": "the policy page",
                                     "content": {"text/html": {"schema": {"type": "string"}}}}}}},
}
