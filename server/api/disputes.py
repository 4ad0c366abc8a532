"""Dispute routes (POST/GET /v1/disputes, attachments, pack). Filled in by the disputes work."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("disputes", __name__)

OPENAPI: dict = {}
