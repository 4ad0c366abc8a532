"""Risk routes (GET /v1/risk). Filled in by the risk work."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("risk", __name__)

OPENAPI: dict = {}
