"""The backend's clock, driven by the test (``clock.set("2026-12-01T10:00:00+08:00")``), and a
capture helper that posts a page as the extension does."""
from __future__ import annotations

import uuid
from datetime import datetime

import pytest


class Clock:
    """Replaces ``server.clock.now``: every time the server reads is the one the test set."""

    def __init__(self):
        self.moment: datetime | None = None

    def set(self, value: str | datetime) -> datetime:
        from server.clock import parse_iso

        self.moment = parse_iso(value) if isinstance(value, str) else value
        return self.moment

    def now(self) -> datetime:
        from server.clock import CHINA

        return self.moment if self.moment is not None else datetime.now(CHINA)


@pytest.fixture
def clock(monkeypatch):
    from server import clock as server_clock

    fake = Clock()
    monkeypatch.setattr(server_clock, "now", fake.now)
    return fake


def post_page(client, headers: dict, url: str, html: str) -> dict:
    body = {"client_id": str(uuid.uuid4()), "url": url, "title": "page", "trigger": "auto", "html": html,
            "captured_at": "2026-12-01T10:00:00+08:00", "extension_version": "0.1.0"}
    response = client.post("/v1/snapshots", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()
