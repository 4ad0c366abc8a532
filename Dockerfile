# KaDun 卡盾 backend: a slim image running as an unprivileged user.
#   docker build -t kadun .
#   docker compose up -d          (the app + Redis 7 with an append-only file; see compose.yaml)
# Data (/data) and the receipt-signing key (/keys) are volumes: keep both, back up both.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    KADUN_DATA_DIR=/data \
    KADUN_SIGNING_KEY_PATH=/keys/signing_key.pem \
    KADUN_GUNICORN_CONF=/app/gunicorn.conf.py \
    KADUN_JSON_LOGS=1 \
    HOME=/data

WORKDIR /app
COPY pyproject.toml README.md gunicorn.conf.py ./
COPY server ./server
COPY scrapers ./scrapers
RUN pip install . \
 && useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin kadun \
 && mkdir -p /data /keys \
 && chown kadun:kadun /data /keys \
 && chmod 0700 /data /keys

USER kadun
EXPOSE 8765
VOLUME ["/data", "/keys"]
# Ready = storage takes writes and the signing key signs.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8765/readyz', timeout=4).status != 200)"]
CMD ["kadun", "serve", "--host", "0.0.0.0", "--port", "8765", "--data-dir", "/data"]
