"""Fixtures of the hosted-service tests: a real TSA on loopback and an app that stamps with it."""
from __future__ import annotations

import pytest

from tests.evidence.tsa import TSA


@pytest.fixture(scope="session")
def tsa(tmp_path_factory):
    server = TSA(tmp_path_factory.mktemp("tsa"))
    yield server
    server.stop()


@pytest.fixture
def tsa_app(redis_client, data_dir, tsa):
    """An app that stamps with the loopback TSA (stamping driven by hand, no thread)."""
    from server import create_app

    tsa.down, tsa.delay = False, 0.0
    return create_app({"TESTING": True, "REDIS": redis_client, "DATA_DIR": str(data_dir),
                       "RATELIMIT_ENABLED": False, "TSA_URL": tsa.url, "TSA_CA_FILE": str(tsa.ca["root"]),
                       "STAMPER": False, "STAMP_BATCH_SECONDS": 0})
