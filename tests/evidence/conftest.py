"""Fixtures of the trusted-evidence tests: a second TSA and a stamped, signed pack (the loopback
TSA and an app stamping with it, ``tsa`` and ``tsa_app``, are in tests/conftest.py)."""
from __future__ import annotations

import pytest

from .tsa import TSA


@pytest.fixture(scope="session")
def other_tsa(tmp_path_factory):
    """A second TSA with its own CA (a forger's, or simply another authority)."""
    server = TSA(tmp_path_factory.mktemp("tsa-other"), label="Other TSA")
    yield server
    server.stop()


def stamp(app, user: str):
    """Stamp ``user``'s head now, as the stamper thread would."""
    from server import clock
    from server.evidence.stamping import stamp_user

    svc = app.extensions["kadun"]
    return stamp_user(svc.redis, user, svc.stamp_config, clock.now_iso)


def export(app, user: str, dispute_id: str, path) -> dict:
    from server.disputes.export import export_pack

    svc = app.extensions["kadun"]
    with open(path, "wb") as handle:
        return export_pack(svc.redis, user, dispute_id, svc.signer, handle,
                           tsa_configured=bool(svc.stamp_config and svc.stamp_config.enabled),
                           wacz_signer=svc.wacz_signer, stamp_config=svc.stamp_config)


USER = "u_trust"


@pytest.fixture
def stamped_pack(tsa_app, tmp_path):
    """(path, manifest, app): captures stamped in two rounds, one capture after the last stamp
    (not yet stamped), an attachment, a screenshot; exported with the signed WACZ."""
    from tests.disputes.scenario import PNG_1PX, attach, open_dispute, store_fixture

    app = tsa_app
    store_fixture(app, USER, "xingchen-km-terms", "2026-11-20T09:00:00.000+08:00")
    store_fixture(app, USER, "xingchen-km-product", "2026-11-24T10:01:00.000+08:00", screenshot=PNG_1PX)
    assert stamp(app, USER) is not None
    store_fixture(app, USER, "xingchen-km-order", "2026-11-24T10:06:00.000+08:00")
    store_fixture(app, USER, "xingchen-km-chat", "2026-11-24T12:00:00.000+08:00")
    d = open_dispute(app, USER, "account_recovered", domain="xingchen-km.com", order_no="XC20261124100322581",
                     occurred_at="2026-11-26T11:00:00+08:00", created_at="2026-11-26T14:00:00+08:00",
                     now="2026-11-26T15:00:00+08:00")
    attach(app, USER, d["id"], "payment_proof", b"alipay bill 188.00\n", "bill.txt", "2026-11-26T14:10:00.000+08:00")
    assert stamp(app, USER) is not None
    attach(app, USER, d["id"], "chat_log", b"<html><script>alert(1)</script>chat</html>", "chat.html",
           "2026-11-26T14:20:00.000+08:00")
    path = tmp_path / "pack.zip"
    manifest = export(app, USER, d["id"], path)
    return path, manifest, app
