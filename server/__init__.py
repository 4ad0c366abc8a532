"""KaDun backend. ``create_app()`` builds everything; nothing connects at import time."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from .config import DEFAULTS, default_data_dir


def create_app(config: dict | None = None) -> Flask:
    """The Flask app. ``config`` (tests) wins over ``KADUN_*`` environment variables.

    Storage: ``REDIS`` (a ready client, tests), else ``REDIS_URL`` (config, ``KADUN_REDIS_URL``
    or plain ``REDIS_URL``), else the embedded redis-server in ``DATA_DIR``.
    """
    from .api import errors
    from .api.access import init_access
    from .api.metrics import init_metrics
    from .evidence.receipts import Signer
    from .limits import init_limits
    from .observability import init_observability
    from .services import Services
    from .storage.private import make_private
    from .storage.redis import EmbeddedRedis, connect

    _load_rules()
    from scrapers.text.normalise import check_installed

    check_installed()  # a missing library stops the start, never a backend reading pages empty
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    if config is None:
        app.config.from_prefixed_env("KADUN")
        if not app.config.get("REDIS_URL") and os.environ.get("REDIS_URL"):
            app.config["REDIS_URL"] = os.environ["REDIS_URL"]
    else:
        app.config.update(config)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    from .config import is_hosted

    hosted = is_hosted(app.config)  # ValueError for a mode that is neither local nor hosted

    data_dir = make_private(Path(app.config.get("DATA_DIR") or default_data_dir()))
    app.config["DATA_DIR"] = str(data_dir)
    from .storage import scratch

    scratch.configure(data_dir)  # packs and exports are built where a killed build's files are swept

    embedded = None
    client = app.config.get("REDIS")
    if client is None:
        url = app.config.get("REDIS_URL")
        if not url:
            embedded = EmbeddedRedis(data_dir)
            url = embedded.start()
        client = connect(url, cluster=str(app.config.get("REDIS_CLUSTER", "")).lower() in ("1", "true", "yes"))
        _warn_if_not_durable(client)
    signer = Signer.load_or_create(app.config.get("SIGNING_KEY_PATH") or data_dir / "signing_key.pem")
    app.extensions["kadun"] = Services(redis=client, signer=signer, config=app.config, embedded=embedded)
    from .evidence.wacz_signing import WaczSigner

    app.extensions["kadun"].wacz_signer = WaczSigner.load_or_create(
        Path(app.config.get("SIGNING_KEY_PATH") or data_dir / "signing_key.pem").parent)
    _start_stamper(app)

    errors.register(app)
    # after_request hooks run last-registered first: the log line (which times the request) must
    # run before the metrics hook that reads its timing, so metrics are registered first.
    init_metrics(app)
    init_observability(app)
    _register_blueprints(app)
    # Host check, Origin gate and CORS run before the rate limits, so nothing they refuse is counted.
    init_access(app)
    from .api.space import init_space

    init_space(app)  # a write that cannot fit on the disk is refused before anything is counted
    from .api.revocation import init_revocation

    init_revocation(app)
    init_limits(app)
    from .ocr import init_ocr

    init_ocr(app)
    if hosted:
        # Accounts: the /account pages (after the limiter: sign-in limits and lockout).
        from .accounts.grants import allowed_extensions
        from .web.account import init_account

        allowed_extensions(app.config)  # a malformed KADUN_SIGNIN_EXTENSIONS stops the start
        init_account(app)
    return app


def _warn_if_not_durable(client) -> None:
    """Say so at start when the storage's settings would lose acknowledged captures (/readyz
    answers 503 while they do)."""
    import logging

    from .storage.redis import durability_problems

    try:
        problems = durability_problems(client)
    except Exception:  # unreachable now: requests answer 503 until it is back
        return
    for problem in problems:
        logging.getLogger("kadun.storage").error("storage would lose acknowledged captures: %s", problem)


def _start_stamper(app: Flask) -> None:
    """RFC 3161 stamping of chain heads, in a thread of this worker (when a TSA is configured)."""
    import atexit

    from . import clock
    from .evidence.stamping import Stamper, config_from

    svc = app.extensions["kadun"]
    svc.stamp_config = config_from(app.config)
    svc.stamper = Stamper(svc.redis, svc.stamp_config, clock.now_iso)
    if svc.stamp_config.enabled and app.config.get("STAMPER", True):
        svc.stamper.start()
        atexit.register(svc.stamper.stop, 2.0)


def _load_rules() -> None:
    """The judgement's rules files, checked once per process at start-up: a broken table stops the
    server here, not on some request."""
    from .risk import clauses
    from .rules import load

    load()
    clauses.load()


def _register_blueprints(app: Flask) -> None:
    from .api import (
        disputes,
        export,
        fetches,
        health,
        metrics,
        pairing,
        privacy,
        quota,
        risk,
        screenshots,
        snapshots,
    )

    for module in (pairing, snapshots, fetches, screenshots, risk, disputes, health, metrics, privacy, quota, export):
        app.register_blueprint(module.bp)
    from .api import devices, orders, reminders  # paired devices; the orders listing; reminders
    for module in (devices, orders, reminders):
        app.register_blueprint(module.bp)
    from .web import app as web_app  # the mobile app at /m/ (static files)

    app.register_blueprint(web_app.bp)
    from .config import is_hosted

    if is_hosted(app.config):
        from .api import account  # signing in from the extension: the code for a device token

        app.register_blueprint(account.bp)
