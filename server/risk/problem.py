"""What the buyer says happened in a dispute (``Problem``), as every part of the judgement reads it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from scrapers.facts import Money


@dataclass
class Problem:
    """What the buyer says happened (a dispute)."""

    kind: str
    occurred_at: datetime
    created_at: datetime
    description: str = ""
    typed_amount: Money | None = None
