"""Server time. Times that count come from here, never from the client."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

# Users read China time; the offset is explicit in every stamp, so instants stay unambiguous.
CHINA = timezone(timedelta(hours=8))


def now() -> datetime:
    return datetime.now(CHINA)


def now_iso() -> str:
    return now().isoformat(timespec="milliseconds")


def parse_iso(text: str, default_tz=CHINA) -> datetime:
    """Parse an ISO 8601 time; a time without zone is read in ``default_tz``. Raises ValueError."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("empty time")
    # RFC 3339 allows a lower-case t and z, which fromisoformat does not read.
    moment = datetime.fromisoformat(text.strip().upper().replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=default_tz)
