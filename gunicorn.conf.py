"""gunicorn settings of the KaDun backend: `kadun serve` reads this file, and so do the Docker image,
compose.yaml and the systemd unit (`gunicorn -c gunicorn.conf.py`).

Environment: KADUN_BIND (default 127.0.0.1:8765), KADUN_WORKERS (default 2), plus every KADUN_*
setting of the app itself (server/config.py). `kadun serve --host/--port/--workers` override the first two.
"""
import os

wsgi_app = "server:create_app()"
bind = [os.environ.get("KADUN_BIND", "127.0.0.1:8765")]
workers = int(os.environ.get("KADUN_WORKERS", "2"))
# gthread, answering gunicorn's own refusals (414, 431, 400) as the contract's JSON errors.
worker_class = "server.gunicorn_worker.JsonErrorsWorker"
threads = 4
# A capture with a large screenshot on a slow link, or an evidence pack of a big dispute.
timeout = 120
graceful_timeout = 30
# GET /v1/risk?url=… carries a page URL; gunicorn's largest request line (8190 bytes) admits every
# URL the published schema (PageUrl) admits, so those requests reach the app.
limit_request_line = 8190
accesslog = None  # the app writes one structured line per request (KADUN_JSON_LOGS=1)
errorlog = "-"
loglevel = os.environ.get("KADUN_GUNICORN_LOGLEVEL", "warning")
proc_name = "kadun"
