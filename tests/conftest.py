"""Test fixtures: one real Redis per test session (the embedded redis-server, or REDIS_URL), a
clean database per test, an app on it, and a paired client."""
from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "pages"


def fixture_index() -> list[dict]:
    return json.loads((FIXTURES / "index.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session", autouse=True)
def _private_config_home(tmp_path_factory):
    """`kadun serve` notes its data directory under $XDG_CONFIG_HOME: keep the tests' notes (and
    the servers they start) out of the developer's own ~/.config."""
    previous = os.environ.get("XDG_CONFIG_HOME")
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("config-home"))
    yield
    if previous is None:
        os.environ.pop("XDG_CONFIG_HOME", None)
    else:
        os.environ["XDG_CONFIG_HOME"] = previous


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A real Redis server for the whole session."""
    url = os.environ.get("REDIS_URL")
    if url:
        yield url
        return
    from server.storage.redis import EmbeddedRedis

    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"))
    yield server.start()
    server.stop()


@pytest.fixture
def redis_client(redis_url):
    from server.api.metrics import close_all_buffers
    from server.storage.redis import connect

    close_all_buffers()  # figures pending from earlier tests' apps land before the wipe, not after
    client = connect(redis_url)
    client.flushall()
    yield client
    client.close()


@pytest.fixture(autouse=True)
def _no_reader_outlives_its_test():
    """An app made by a test with OCR_WORKER on (the default) starts a reader thread with its
    first request; stop it with the test, so a finished app never takes a later test's jobs from
    the shared queue."""
    yield
    from server.ocr.worker import stop_all

    stop_all(timeout=10)


@pytest.fixture
def data_dir(tmp_path):
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def app(redis_client, data_dir):
    from server import create_app

    # OCR_WORKER off: a test that reads screenshots runs its own worker (no idle reader thread
    # per test app).
    app = create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(data_dir),
                      "RATELIMIT_ENABLED": False, "OCR_WORKER": False})
    # Tests reach no network: a shared link (fuzzed ones included) is refused before any lookup
    # or connection, unless a test installs a fetcher for its own loopback shop.
    app.extensions["kadun"].extra["fetcher"] = OfflineFetcher()
    return app


@pytest.fixture(scope="session")
def tsa(tmp_path_factory):
    """A real RFC 3161 TSA on loopback (openssl ts -reply), one per session."""
    from tests.evidence.tsa import TSA

    server = TSA(tmp_path_factory.mktemp("tsa"))
    yield server
    server.stop()


@pytest.fixture
def tsa_app(redis_client, data_dir, tsa):
    """An app stamping with the loopback TSA; stamping is driven by hand (no thread)."""
    from server import create_app

    tsa.down, tsa.delay = False, 0.0
    return create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(data_dir),
                       "RATELIMIT_ENABLED": False, "TSA_URL": tsa.url, "TSA_CA_FILE": str(tsa.ca["root"]),
                       "STAMPER": False, "STAMP_BATCH_SECONDS": 0})


class OfflineFetcher:
    """The share-a-link fetcher with every address refused and no resolver, for tests."""

    def __new__(cls):
        from server.capture.fetch import Fetcher, FetchRefused

        class _Offline(Fetcher):
            def check_address(self, address, port, url, host):
                raise FetchRefused(f"refused to fetch {url}: tests reach no network", "not_public", url)

        def no_dns(host: str, port: int):
            raise FetchRefused(f"the host name {host} could not be resolved (tests reach no network)", "dns")

        return _Offline(resolver=no_dns)


@pytest.fixture
def client(app):
    return app.test_client()


def pair_user(app, new_user: bool = False) -> tuple[str, str]:
    """Pair a device through the real route; returns (token, user)."""
    from server.storage import users

    code = users.new_pairing_code(app.extensions["kadun"].redis, new_user=new_user)
    response = app.test_client().post("/v1/pair", json={"code": code, "device": "pytest"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    return body["token"], body["user"]


@pytest.fixture
def auth(app):
    token, _ = pair_user(app)
    return {"Authorization": f"Bearer {token}"}


def capture_body(file: str, url: str, **extra) -> dict:
    """A POST /v1/snapshots body for a fixture page."""
    body = {"client_id": str(uuid.uuid4()), "url": url, "title": file,
            "captured_at": "2026-11-24T10:03:30+08:00", "trigger": "auto",
            "html": (FIXTURES / file).read_text(encoding="utf-8"), "extension_version": "0.1.0"}
    body.update(extra)
    return body
