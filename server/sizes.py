"""Every length limit of the API's fields, in one place (byte limits are settings: config.py).

Each limit is inclusive: a value of exactly the limit is accepted and one more is refused (400
naming the field; 413 for the byte limits). Lengths count characters (Unicode code points), as
JSON Schema's ``maxLength`` does; the byte limits count bytes (UTF-8 for html, decoded bytes for
the screenshot and attachments, the raw request for the whole body).
"""
from __future__ import annotations

CLIENT_ID = 128
URL = 8192
TITLE = 2000
TIME = 64  # captured_at, occurred_at
EXTENSION_VERSION = 64
PAIRING_CODE = 64
DEVICE_NAME = 200
DOMAIN = 253
ORDER_NO = 128
DESCRIPTION = 5000
SNAPSHOT_IDS = 500  # ids in one dispute
OBJECT_ID = 64  # snp_…, dsp_…, dev_… in a path
SEARCH = 200  # the q= search of GET /v1/snapshots
PAGE = 500  # items per page of a listing
TOKEN = 200
# Hosted accounts (server/accounts/): characters, as typed.
USERNAME_MIN = 3
USERNAME = 32
PASSWORD_MIN = 8
PASSWORD = 128
EMAIL = 254
PASSKEY_ANSWER = 16384  # a passkey's answer posted with a form (JSON text: ids, signature, client data)
FORM_TOKEN = 200  # a CSRF token, a PKCE verifier, an authorization code, a ceremony id
CREDENTIAL = 64 * 1024  # a passkey's JSON answer (attestation object, client data)
REDIRECT_URI = 512
