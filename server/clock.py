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


def written(value) -> str:
    """A time as a person writes it in a letter or an explanation: 2026-11-24 10:03:40 (UTC+08:00).
    ``value``: a datetime or an ISO 8601 text (anything else is returned as its text)."""
    try:
        moment = value if isinstance(value, datetime) else parse_iso(str(value))
    except ValueError:
        return str(value)
    offset = moment.strftime("%z")
    return f"{moment.strftime('%Y-%m-%d %H:%M:%S')} (UTC{offset[:3]}:{offset[3:]})"
