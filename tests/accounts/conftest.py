"""Hosted-mode fixtures: an app with accounts on the session's real Redis, and a browser-like
client of its pages (cookies over https://localhost, CSRF tokens read from the forms)."""
from __future__ import annotations

import re

import pytest

# Real Argon2id, cheaper than production's 64 MiB so that the many sign-ins of the tests stay
# quick on a shared machine (test_enumeration.py measures with the production parameters).
FAST_ARGON2 = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 8192, "ARGON2_PARALLELISM": 1}
BASE = "https://localhost"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


# The extensions that may sign in (KADUN_SIGNIN_EXTENSIONS): the tests' Chrome id and KaDun's
# Firefox add-on id.
SIGNIN_EXTENSIONS = ["abcdefghijklmnopabcdefghijklmnop", "kadun@kadun.app"]


def hosted_config(redis_client, data_dir, **extra) -> dict:
    return {"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(data_dir), "MODE": "hosted",
            "RATELIMIT_ENABLED": False, "SIGNIN_EXTENSIONS": SIGNIN_EXTENSIONS, **FAST_ARGON2, **extra}


@pytest.fixture
def hosted_app(redis_client, data_dir):
    from server import create_app

    return create_app(hosted_config(redis_client, data_dir))


class Pages:
    """A client of the account pages as a browser uses them: GET a page, post its form with the
    CSRF token it carries, follow redirects on request."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()

    def get(self, path: str, **kwargs):
        return self.client.get(path, base_url=BASE, **kwargs)

    def token(self, path: str = "/account/signin") -> str:
        page = self.get(path)
        found = CSRF.search(page.get_data(as_text=True))
        assert found, f"no CSRF token on {path}: {page.status_code}"
        return found.group(1)

    def post(self, path: str, data: dict, *, form_page: str | None = None, csrf: bool = True, **kwargs):
        body = dict(data)
        if csrf:
            body.setdefault("csrf_token", self.token(form_page or path))
        return self.client.post(path, data=body, base_url=BASE, **kwargs)

    def sign_up(self, username: str, password: str, email: str = ""):
        return self.post("/account/signup", {"username": username, "password": password, "password2": password,
                                             "email": email})

    def sign_in(self, username: str, password: str):
        return self.post("/account/signin", {"username": username, "password": password})

    def cookie(self, name: str = "__Host-kadun"):
        return self.client.get_cookie(name, domain="localhost")


@pytest.fixture
def pages(hosted_app):
    return Pages(hosted_app)
